"""The device token in the OS keyring (系统凭据库, e.g. Windows Credential Manager)."""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from services.domain.errors import ServiceError
from services.domain.messages import msg

SERVICE = "zongzhi-workbench/hub-token"
NO_KEYRING = msg(
    "本机没有可用的系统凭据库（如 Windows 凭据管理器），无法安全保存设备令牌。"
    "请联系管理员开启凭据管理服务后重试。"
)


class CredentialError(ServiceError):
    """The keyring is missing or refused the operation."""


class CredentialStore:
    """Device tokens per hub URL, in the OS keyring; never on disk in clear text.

    Args:
        backend: a keyring backend for tests; default the system one ``keyring`` picks.
    """

    def __init__(self, backend: KeyringBackend | None = None, service: str = SERVICE) -> None:
        self._backend = backend
        self._service = service

    def _ring(self) -> KeyringBackend:
        # With no usable backend keyring returns its "fail" keyring, whose every call raises
        # NoKeyringError: that is turned into the Chinese message below.
        return self._backend or keyring.get_keyring()

    def get_token(self, hub_url: str) -> str | None:
        try:
            return self._ring().get_password(self._service, _key(hub_url))
        except NoKeyringError:
            raise CredentialError("credentials.no_keyring", NO_KEYRING) from None
        except KeyringError as exc:
            raise CredentialError(
                "credentials.failed", msg("读取设备令牌失败：{error}", error=str(exc))
            ) from None

    def set_token(self, hub_url: str, token: str) -> None:
        clean = token.strip()
        if not clean or len(clean) > 200 or any(ch.isspace() for ch in clean):
            raise CredentialError(
                "credentials.token", "设备令牌格式无效，请按县级管理员发放的原样填写"
            )
        try:
            self._ring().set_password(self._service, _key(hub_url), clean)
        except NoKeyringError:
            raise CredentialError("credentials.no_keyring", NO_KEYRING) from None
        except KeyringError as exc:
            raise CredentialError(
                "credentials.failed", msg("保存设备令牌失败：{error}", error=str(exc))
            ) from None

    def delete_token(self, hub_url: str) -> None:
        try:
            self._ring().delete_password(self._service, _key(hub_url))
        except PasswordDeleteError:
            return
        except NoKeyringError:
            raise CredentialError("credentials.no_keyring", NO_KEYRING) from None
        except KeyringError as exc:
            raise CredentialError(
                "credentials.failed", msg("删除设备令牌失败：{error}", error=str(exc))
            ) from None


def _key(hub_url: str) -> str:
    return hub_url.strip().rstrip("/").lower() or "default"
