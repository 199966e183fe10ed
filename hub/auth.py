"""Device tokens (设备令牌): random bearer tokens kept only as SHA-256 hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.models import Device, Township

COUNTY = "county"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: one device, scoped to a township or to the whole county."""

    device_id: str
    label: str
    scope: str
    township_id: str | None
    township_code: str | None
    township_name: str | None
    bound_device: str | None

    @property
    def is_county(self) -> bool:
        return self.scope == COUNTY

    @property
    def owner(self) -> str:
        """The owner key of what this device writes: ``county`` or its township id."""
        return COUNTY if self.is_county else str(self.township_id)

    def may_see(self, township_id: str | None, public: bool) -> bool:
        return self.is_county or public or (township_id is not None and
                                             township_id == self.township_id)  # fmt: skip


def authenticate(session: Session, token: str, now: dt.datetime) -> Principal | None:
    """The live device behind ``token``; ``None`` for an unknown or revoked token."""
    if not token or len(token) > 200:
        return None
    row = session.execute(
        select(Device, Township)
        .outerjoin(Township, Township.id == Device.township_id)
        .where(Device.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    device, township = row
    if device.revoked_at is not None:
        return None
    if device.last_seen_at is None or now - device.last_seen_at > dt.timedelta(minutes=1):
        device.last_seen_at = now  # at most once a minute: a no-op sync writes nothing
    return Principal(
        device_id=device.id,
        label=device.label,
        scope=device.scope,
        township_id=device.township_id,
        township_code=township.code if township else None,
        township_name=township.name if township else None,
        bound_device=device.bound_device,
    )
