"""Hub address, CA bundle and device token (县级平台连接设置): settings file plus OS keyring."""

from __future__ import annotations

from collections.abc import Callable

from desktop.settings import Settings
from services.domain.errors import ServiceError, ValidationError
from services.sync.client import HubConfig
from services.sync.credentials import CredentialStore
from services.sync.service import SyncService
from views.settings.view import HubInfo


class HubSettings:
    """What the settings screen calls to read and change how this PC reaches the county hub."""

    def __init__(self, settings: Settings, save: Callable[[Settings], None],
                 sync: SyncService, credentials: CredentialStore) -> None:  # fmt: skip
        self._settings, self._save, self._sync, self._creds = settings, save, sync, credentials

    def hub_info(self) -> HubInfo:
        url = self._settings.hub_url
        try:
            has = bool(url) and self._creds.get_token(url) is not None
            note = ""
        except ServiceError as exc:
            has, note = False, exc.message
        return HubInfo(url, self._settings.ca_bundle, has, note)

    def save_hub(self, url: str, ca_bundle: str, token: str) -> HubInfo:
        url, ca_bundle, token = url.strip(), ca_bundle.strip(), token.strip()
        if url and not url.startswith(("https://", "http://")):
            raise ValidationError("hub_url", "hub.url", "平台地址应以 https:// 开头")
        if token:
            self._creds.set_token(url, token)  # raises a Chinese message without a keyring
        self._settings.hub_url, self._settings.ca_bundle = url, ca_bundle
        self._save(self._settings)
        self._sync.close()
        self._sync.config = HubConfig(url, ca_bundle or None)
        return self.hub_info()


def make_sync(ctx: object, settings: Settings) -> tuple[SyncService, CredentialStore]:
    """The sync service for this PC; the token is read from the keyring at each sync."""
    creds = CredentialStore()
    config = HubConfig(settings.hub_url, settings.ca_bundle or None)

    def token() -> str | None:
        return creds.get_token(settings.hub_url) if settings.hub_url else None

    return SyncService(ctx, config, token), creds  # type: ignore[arg-type]
