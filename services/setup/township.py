"""Opening the local store and first-run set-up: device, township, organisation tree, users."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.audit.log import AuditWriter
from services.audit.signing import Signer, device_signer
from services.auth.passwords import hash_password
from services.backup.service import take_backup
from services.cases.schedule import record_fingerprint
from services.context import ServiceContext
from services.domain.errors import ValidationError
from services.domain.hlc import HybridClock, Timestamp
from services.domain.identity import validate_township_code
from services.domain.ids import uuid7
from services.domain.textutil import clean_text
from services.reference.calendar import seed_rules
from services.reference.data import Reference, default_reference
from services.reference.store import effective_reference
from services.store.engine import Store
from services.store.migrate import current_revision, head_revision, refresh_statistics, upgrade
from services.store.models import AppUser, DeadlineRule, DeviceState, OrgUnit, Outbox, SyncState
from services.store.outbox import CLOCK_KEY

ORG_KINDS = ("county", "township", "village", "community", "grid", "unit")


@dataclass(frozen=True, slots=True)
class OrgInfo:
    """An organisation tree node (组织机构) as the UI shows it."""

    id: str
    parent_id: str | None
    kind: str
    name: str
    code: str | None
    unit_type: str | None


def open_store(path: Path | str, *, backup_folder: Path | None = None) -> Store:
    """Open (creating if needed) the database at ``path`` and apply pending migrations, taking
    an online backup first (into ``backup_folder``, default ``backups`` beside the file)."""
    if "://" not in str(path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    store = Store(path)
    if store.path is not None and store.path.exists() and store.path.stat().st_size > 0:
        current = current_revision(store.write_engine)
        if current is not None and current != head_revision():  # a backup before migrating
            take_backup(store.path, backup_folder or store.path.parent / "backups",
                        reason=f"before-{head_revision()}")  # fmt: skip
    upgrade(store.write_engine)
    refresh_statistics(store.write_engine)
    return store


def _device(session: Session) -> DeviceState:
    device = session.scalars(select(DeviceState).limit(1)).first()
    if device is None:
        device = DeviceState(device_id="pc-" + uuid7().replace("-", "")[-12:], hlc_last="")
        session.add(device)
        session.flush()
    return device


def stored_offset(session: Session, now: dt.datetime) -> int:
    """The hub's time minus this PC's as learned at the last sync (ms), to read the hub's time
    from the start; 0 when under 2 s, or when this PC's clock now reads earlier than it did at
    that sync: it was set back since (set right, most often), so the old offset would be off by
    that change (a PC a year fast, set right while the app was closed, coded last year)."""
    row = session.execute(
        select(SyncState.clock_skew_ms, SyncState.last_success_at).where(SyncState.id == 1)
    ).first()  # fmt: skip
    if row is None or row[0] is None or abs(row[0]) < 2000:
        return 0
    if row[1] is not None and now < row[1] - dt.timedelta(seconds=2):
        return 0
    return int(row[0])


def make_context(
    store: Store, *, reference: Reference | None = None, user_id: str | None = None,
    signer: Signer | None = None,
) -> ServiceContext:  # fmt: skip
    """Build the service context for this PC, seeding reference data on first use.

    Installs the audit log writer with ``signer`` (default: this PC's key from the keyring).
    """
    ref = reference or default_reference()
    with store.read() as session:  # the usual start: everything is there, no write, no fsync
        device = session.scalars(select(DeviceState).limit(1)).first()
        found = (device.device_id, device.township_id) if device else None
        has_rules = session.scalars(select(DeadlineRule.id).limit(1)).first() is not None
    if found is None:
        with store.write() as session:  # device_state is not synced: no clock needed yet
            device = _device(session)
            found = (device.device_id, device.township_id)
    device_id, township_id = found
    clock = HybridClock(device_id)
    with store.read() as session:  # a PC restarted with its clock set back stays monotonic
        # Not the stamps the hub refused as ahead of its time: those are forgotten (clockfix).
        last = session.scalar(select(func.max(Outbox.hlc)).where(Outbox.status != "quarantined"))
        offset = stored_offset(session, dt.datetime.now())
    if offset:  # read the hub's time, as learned at last sync
        clock.offset_ms = offset
    if last:
        clock.observe(Timestamp.decode(last))
    store.session_info[CLOCK_KEY] = clock
    if not has_rules:
        with store.write() as session:
            seed_rules(session, ref.deadline_rules)
            session.flush()
            record_fingerprint(session)  # a new database: no stored deadline to refresh
    notice = ""
    with store.read() as session:
        township = session.get(OrgUnit, township_id) if township_id else None
        township_code = township.code if township else None
        if reference is None:  # the county's published reference replaces the shipped one
            ref, notice = effective_reference(session)
    ctx = ServiceContext(
        store=store,
        device_id=device_id,
        clock=clock,
        township_id=township_id,
        township_code=township_code,
        user_id=user_id,
        reference=ref,
        reference_notice=notice,
    )
    who = lambda: (ctx.user_id, ctx.township_id)  # noqa: E731 - read at each entry
    AuditWriter(device_id, signer or device_signer(device_id), who, lambda: ctx.now()).install(
        store.session_info
    )
    return ctx


def add_org(
    session: Session, *, kind: str, name: str, parent_id: str | None, code: str | None = None,
    unit_type: str | None = None, sort_order: int = 0,
) -> OrgUnit:  # fmt: skip
    if kind not in ORG_KINDS:
        raise ValidationError("kind", "org.kind", "组织类型无效")
    clean = clean_text(name, "name", "名称", max_len=100, required=True)
    org = OrgUnit(id=uuid7(), parent_id=parent_id, kind=kind, name=clean, code=code,
                  unit_type=unit_type, sort_order=sort_order, active=True)  # fmt: skip
    session.add(org)
    session.flush()
    return org


def set_up_township(ctx: ServiceContext, name: str, code: str) -> OrgInfo:
    """First-run: record this PC's township (本乡镇)."""
    clean_code = validate_township_code(code)

    def work(session: Session) -> OrgInfo:
        org = add_org(session, kind="township", name=name, parent_id=None, code=clean_code)
        device = _device(session)
        device.township_id = org.id
        return org_info(org)

    info = ctx.store.run_write(work)
    ctx.township_id, ctx.township_code = info.id, info.code
    return info


def org_info(org: OrgUnit) -> OrgInfo:
    return OrgInfo(org.id, org.parent_id, org.kind, org.name, org.code, org.unit_type)


def list_orgs(ctx: ServiceContext, kind: str | None = None) -> tuple[OrgInfo, ...]:
    with ctx.store.read() as session:
        query = select(OrgUnit).where(OrgUnit.active.is_(True))
        if kind:
            query = query.where(OrgUnit.kind == kind)
        rows = session.scalars(query.order_by(OrgUnit.kind, OrgUnit.sort_order, OrgUnit.name))
        return tuple(org_info(o) for o in rows)


def add_user(
    session: Session, *, username: str, display_name: str, role: str, org_id: str | None,
    password: str | None = None,
) -> AppUser:  # fmt: skip
    user = AppUser(
        id=uuid7(), username=clean_text(username, "username", "用户名", max_len=50, required=True),
        display_name=clean_text(display_name, "display_name", "姓名", max_len=50, required=True),
        role=role, org_id=org_id, password_hash=hash_password(password) if password else None,
        active=True,
    )  # fmt: skip
    session.add(user)
    session.flush()
    return user
