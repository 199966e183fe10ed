"""Hashes of the audit chain and of case events (pure functions, no storage).

An entry's hash is SHA-256 over the previous entry's hash and the entry's canonical JSON; the
device signs that hash with Ed25519. A case_event's digest covers every column but ``seq``,
which a pull may renumber (the order is by HLC).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any, Final

GENESIS: Final = "0" * 64
EPOCH_SPAN: Final = 1_000_000  # after a restore the chain goes on at a multiple of this, plus 1
EVENT_FIELDS: Final = ("id", "case_id", "action", "actor_id", "device_id", "hlc", "occurred_at",
                       "payload")  # fmt: skip
ENTRY_FIELDS: Final = ("id", "device_id", "device_seq", "key_id", "at", "user_id", "action",
                       "case_id", "entity", "entity_id", "detail", "township_id")  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_plain)  # fmt: skip


def event_digest(event: Mapping[str, Any]) -> str:
    """SHA-256 of a case_event's content (``seq`` left out)."""
    body = canonical([_plain(event.get(name)) for name in EVENT_FIELDS])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The chain hash of an entry: SHA-256 over the previous hash and the entry's content."""
    body = canonical({name: _plain(entry.get(name)) for name in ENTRY_FIELDS})
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()
