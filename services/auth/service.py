"""Signing in (登录), lockout, passwords and user management (用户管理).

Failed attempts and lockout live on the user's row on this PC; like the password hash they
never leave it (``info={"local": True}`` columns stay out of the outbox and out of pulls).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.audit.log import tag
from services.auth.passwords import hash_password, needs_rehash, verify_password
from services.auth.roles import Policy, RoleBook, load_roles
from services.context import ServiceContext
from services.domain.access import Principal
from services.domain.dto import Changes
from services.domain.errors import NotFoundError, ServiceError, ValidationError
from services.domain.ids import uuid7
from services.domain.messages import msg, when
from services.domain.textutil import clean_text
from services.store.models import AppUser

log = logging.getLogger(__name__)
# Verified when the user name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = hash_password("not a password", salt=b"0123456789abcdef")


class SignInError(ServiceError):
    """Signing in was refused (用户名或密码错误、账号已锁定、账号已停用)."""


@dataclass(frozen=True, slots=True)
class UserRow:
    """A user as the administrator's list shows it."""

    id: str
    username: str
    display_name: str
    role: str
    role_label: str
    active: bool
    locked: bool
    has_password: bool


@dataclass(frozen=True, slots=True)
class _Attempt:
    principal: Principal | None
    error: SignInError | None


def _refused(code: str, message: str) -> _Attempt:
    return _Attempt(None, SignInError(code, message))


def principal_of(roles: RoleBook, user: AppUser) -> Principal:
    return roles.principal(user.id, user.username, user.display_name, user.role)


class AuthService:
    """Sign-in and users for one PC; each call is one unit of work."""

    def __init__(self, ctx: ServiceContext, roles: RoleBook | None = None) -> None:
        self._ctx = ctx
        self.roles = roles or load_roles()

    @property
    def policy(self) -> Policy:
        return self.roles.policy

    # --- signing in ------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Principal:
        """Check the password and make the user the context's principal.

        Raises:
            SignInError: unknown user or wrong password (one message for both), locked or
                disabled account, or no password set on this PC.
        """
        name = (username or "").strip()
        attempt = self._ctx.store.run_write(lambda s: self._attempt(s, name, password or ""))
        if attempt.error is not None:
            log.info("sign-in refused: %s", attempt.error.code)
            raise attempt.error
        assert attempt.principal is not None
        self._ctx.principal = attempt.principal
        self._ctx.user_id = attempt.principal.user_id
        return attempt.principal

    def _attempt(self, session: Session, name: str, password: str) -> _Attempt:
        """One sign-in attempt, recorded in the audit log whatever its outcome."""
        attempt, user_id = self._check(session, name, password)
        code = attempt.error.code if attempt.error is not None else "ok"
        tag(session, "sign_in" if attempt.error is None else "sign_in_failed",
            entity="app_user", entity_id=user_id, user_id=user_id or None, username=name[:50],
            result=code)  # fmt: skip
        return attempt

    def _check(self, session: Session, name: str, password: str) -> tuple[_Attempt, str]:
        now = self._ctx.now()
        user = session.scalars(select(AppUser).where(AppUser.username == name)).first()
        if user is None or not user.active:
            verify_password(password, _DUMMY_HASH)
            return _refused("auth.bad_credentials", "用户名或密码错误"), ""
        if user.locked_until is not None and user.locked_until > now:
            message = msg(
                "连续输错密码次数过多，账号已锁定至{until}，请稍后再试或请系统管理员解锁",
                until=when(user.locked_until, "%H:%M"),
            )
            return _refused("auth.locked", message), user.id
        if not user.password_hash:
            message = msg("该用户尚未在本机设置密码，请系统管理员重设密码")
            return _refused("auth.no_password", message), user.id
        if not verify_password(password, user.password_hash):
            return self._failed(user, now), user.id
        user.failed_attempts, user.locked_until = 0, None
        if needs_rehash(user.password_hash):  # an old PBKDF2 hash: upgrade it now
            user.password_hash = hash_password(password)
            user.password_changed_at = now
        return _Attempt(principal_of(self.roles, user), None), user.id

    def _failed(self, user: AppUser, now: dt.datetime) -> _Attempt:
        policy = self.roles.policy
        user.failed_attempts = (user.failed_attempts or 0) + 1
        left = policy.max_failures - user.failed_attempts
        if left > 0:
            return _refused(
                "auth.bad_credentials", msg("用户名或密码错误（再错{left}次将锁定账号）", left=left)
            )
        user.locked_until = now + dt.timedelta(minutes=policy.lockout_minutes)
        user.failed_attempts = 0
        return _refused("auth.locked", msg("连续{count}次输错密码，账号已锁定{minutes}分钟",
                                            count=policy.max_failures,
                                            minutes=policy.lockout_minutes))  # fmt: skip

    def check_password(self, password: str) -> bool:
        """The signed-in user's own password (unlocking the screen); counts as an attempt."""
        principal = self._signed_in()
        try:
            self.sign_in(principal.username, password)
        except SignInError:
            return False
        return True

    def change_password(self, old: str, new: str) -> None:
        """The signed-in user changes their own password (修改密码)."""
        principal = self._signed_in()
        self._check_new(new)

        def work(session: Session) -> None:
            user = self._user(session, principal.user_id)
            if not verify_password(old, user.password_hash):
                raise ValidationError("old_password", "auth.old_password", "原密码不正确")
            user.password_hash = hash_password(new)
            user.password_changed_at = self._ctx.now()
            tag(session, "password_change", entity="app_user", entity_id=user.id)

        self._ctx.store.run_write(work)

    def _check_new(self, new: str) -> None:
        least = self.roles.policy.min_password_length
        if len(new) < least:
            raise ValidationError(
                "new_password", "auth.password_short", msg("新密码至少{least}位", least=least)
            )
        if len(new) > 128:
            raise ValidationError("new_password", "auth.password_long", "新密码不能超过128位")
        if new.isdigit() or new.isalpha():
            raise ValidationError("new_password", "auth.password_weak",
                                  "新密码须同时包含字母和数字")  # fmt: skip

    def _signed_in(self) -> Principal:
        principal = self._ctx.principal
        if principal is None:
            raise SignInError("auth.required", "请先登录")
        return principal

    @staticmethod
    def _user(session: Session, user_id: str) -> AppUser:
        user = session.get(AppUser, user_id)
        if user is None:
            raise NotFoundError("user.not_found", "找不到该用户")
        return user

    # --- user management (系统管理员) -------------------------------------------------

    def role_choices(self) -> tuple[tuple[str, str], ...]:
        """(code, label) of every role, for the administrator's user form."""
        return tuple((r.code, r.label) for r in self.roles.roles)

    def users(self) -> tuple[UserRow, ...]:
        self._ctx.require("users.manage")
        now = self._ctx.now()
        with self._ctx.store.read() as session:
            rows = session.scalars(
                select(AppUser).order_by(AppUser.active.desc(), AppUser.username)
            )
            return tuple(self._row(u, now) for u in rows)

    def _row(self, u: AppUser, now: dt.datetime) -> UserRow:
        locked = u.locked_until is not None and u.locked_until > now
        return UserRow(u.id, u.username, u.display_name, u.role, self.roles.role_label(u.role),
                       u.active, locked, bool(u.password_hash))  # fmt: skip

    def add_user(self, username: str, display_name: str, role: str, password: str) -> UserRow:
        self._ctx.require("users.manage")
        self.roles.role(role)
        self._check_new(password)
        clean = clean_text(username, "username", "用户名", max_len=50, required=True)
        if not clean.isascii() or not clean.replace("_", "").replace(".", "").isalnum():
            raise ValidationError(
                "username", "username.chars", "用户名只能用字母、数字、点和下划线"
            )

        def work(session: Session) -> UserRow:
            same = func.lower(AppUser.username) == clean.lower()
            taken = session.scalar(select(func.count()).select_from(AppUser).where(same))
            if taken:
                raise ValidationError(
                    "username", "username.taken", msg("用户名“{name}”已被使用", name=clean)
                )
            user = AppUser(
                id=uuid7(), username=clean, role=role, org_id=self._ctx.township_id,
                display_name=clean_text(display_name, "display_name", "姓名", max_len=50,
                                        required=True),
                password_hash=hash_password(password), active=True, failed_attempts=0,
                password_changed_at=self._ctx.now(),
            )  # fmt: skip
            session.add(user)
            session.flush()
            tag(session, "user_add", entity="app_user", entity_id=user.id, role=role)
            return self._row(user, self._ctx.now())

        return self._ctx.store.run_write(work)

    def update_user(self, user_id: str, *, display_name: str, role: str, active: bool) -> Changes:
        self._ctx.require("users.manage")
        self.roles.role(role)
        principal = self._signed_in()
        if user_id == principal.user_id and (not active or role != principal.role):
            raise ValidationError("role", "user.self", "不能停用自己或更改自己的角色")
        name = clean_text(display_name, "display_name", "姓名", max_len=50, required=True)

        def work(session: Session) -> None:
            user = self._user(session, user_id)
            user.display_name, user.role, user.active = name, role, active
            tag(session, "user_edit", entity="app_user", entity_id=user.id, role=role,
                active=active)  # fmt: skip

        self._ctx.store.run_write(work)
        return Changes(frozenset())

    def reset_password(self, user_id: str, password: str) -> None:
        """Set a user's password on this PC and unlock the account (重设密码)."""
        self._ctx.require("users.manage")
        self._check_new(password)

        def work(session: Session) -> None:
            user = self._user(session, user_id)
            user.password_hash = hash_password(password)
            user.password_changed_at = self._ctx.now()
            user.failed_attempts, user.locked_until = 0, None
            tag(session, "password_reset", entity="app_user", entity_id=user.id)

        self._ctx.store.run_write(work)

    def unlock(self, user_id: str) -> None:
        self._ctx.require("users.manage")

        def work(session: Session) -> None:
            user = self._user(session, user_id)
            user.failed_attempts, user.locked_until = 0, None
            tag(session, "user_unlock", entity="app_user", entity_id=user.id)

        self._ctx.store.run_write(work)
