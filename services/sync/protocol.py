"""The county sync wire protocol (同步协议): limits, field classes and change hashing.

Shared by the desktop's sync client and the hub, so both sides agree on what a change is, which
fields are derived (never synced as truth) and which records are append-only.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final

from services.domain.enums import HandlingLevel, RiskColour, SupervisionLevel
from services.domain.projection import DERIVED_COLUMNS
from services.domain.workflow import Action, CaseState

API_PREFIX: Final = "/v1"
MAX_BODY_BYTES: Final = 8 * 1024 * 1024  # one request; larger gets 413
MAX_BATCH: Final = 1000  # changes per push request
DEFAULT_PULL_LIMIT: Final = 500
MAX_PULL_LIMIT: Final = 2000
MAX_LEASE: Final = 1000  # numbers in one lease
# Leased numbers of one series one device may hold unused (leased, no case code given yet):
# enough to renumber several thousand offline walk-ins at once, not enough to hoard a year.
MAX_OUTSTANDING_PER_SERIES: Final = 10_000
MAX_CHANGE_BYTES: Final = 64 * 1024  # one change's payload as JSON; larger gets 413
# An HLC further ahead of the hub's wall time than this is refused (本机时钟不准); PCs stamp the
# hub's time (services.sync.clockfix), so only a clock set wrong since the last sync meets it.
MAX_FUTURE_SKEW_MS: Final = 10 * 60 * 1000
# The most one push can move the hub's clock past the hub's own wall time: a device whose clock
# is fast cannot drag the shared clock (and every PC's) along with it.
MAX_CLOCK_DRAG_MS: Final = 60 * 1000

ENTITY_RE: Final = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DEVICE_RE: Final = re.compile(r"^[A-Za-z0-9_.:\-]{1,40}$")  # a PC's device id (X-Device-Id)
HLC_RE: Final = re.compile(r"^\d{13}-\d{10}-[A-Za-z0-9_.:\-]{1,40}$")
CHANGE_ID_RE: Final = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SERIES_RE: Final = re.compile(r"^[a-z_]{1,20}:[A-Za-z0-9_]{1,30}(:[A-Za-z0-9_]{1,20})*$")

CONFLICT_ENTITY: Final = "sync_conflict"
# Reference data flows down only: written by the hub's admin import, never by a device.
REFERENCE_ENTITIES: Final = frozenset({"deadline_rule", "calendar_day", "reference_file"})
# Append-only records (事件、别名): inserted once, never updated, so they can never conflict.
APPEND_ONLY: Final = frozenset({"case_event", "case_alias"})
# Projection columns re-derived from the event log on every device: never pushed, never merged,
# never a conflict (defined beside the outbox capture, which leaves them out of updates).
DERIVED_FIELDS: Final[Mapping[str, frozenset[str]]] = DERIVED_COLUMNS
# Fields that follow another field (the blind index of a sealed value): merged by HLC like any
# field, never a conflict of their own (their field's conflict is the one to settle).
MIRRORED_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "person": frozenset({"id_number_hmac", "phone_hmac"}),
    "person_phone": frozenset({"phone_hmac"}),
}
# The only fields of a conflict record a device may change (settling it, 裁决).
CONFLICT_SETTLE_FIELDS: Final = frozenset({"status", "settled_by", "settled_at", "settled_value"})
# Coded fields the workflow reads (services.domain): a value outside the vocabulary would make
# every PC that pulls it fail re-deriving the case, so the hub refuses it (422) on push.
VOCABULARIES: Final[Mapping[tuple[str, str], type[StrEnum]]] = {
    ("case_event", "action"): Action,
    ("case_file", "state"): CaseState,
    ("case_file", "risk_colour"): RiskColour,
    ("case_file", "handling_level"): HandlingLevel,
    ("case_file", "supervision_level"): SupervisionLevel,
}
_CODES: Final[dict[str, tuple[tuple[str, frozenset[str]], ...]]] = {}
for (_entity, _field), _vocabulary in VOCABULARIES.items():
    _CODES[_entity] = (*_CODES.get(_entity, ()), (_field, frozenset(v.value for v in _vocabulary)))


def vocabulary_problem(entity: str, row: Mapping[str, Any]) -> str | None:
    """The first coded field of ``row`` whose value is outside its vocabulary
    (:data:`VOCABULARIES`), or ``None``; a null is left to the field's own check."""
    for name, allowed in _CODES.get(entity, ()):
        value = row.get(name)
        if value is not None and (not isinstance(value, str) or value not in allowed):
            return name
    return None


# Parent links that place a record in a township when it has no township_id of its own.
PARENT_LINKS: Final[tuple[tuple[str, str], ...]] = (
    ("case_id", "case_file"),
    ("visit_id", "visit"),
    ("org_id", "org_unit"),
    ("parent_id", "org_unit"),
    ("slip_id", "slip"),
)


def derived(entity: str) -> frozenset[str]:
    return DERIVED_FIELDS.get(entity, frozenset())


def mirrored(entity: str) -> frozenset[str]:
    return MIRRORED_FIELDS.get(entity, frozenset())


def strip_derived(entity: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an update that are truth, not projection."""
    skip = derived(entity)
    return {k: v for k, v in fields.items() if k not in skip}


# ``json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))``, with the
# encoder built once (json.dumps builds one per call when given options).
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# How that encoder writes a string (json.encoder's C function, as ensure_ascii=False uses it).
JSON_STRING: Final = json.encoder.encode_basestring


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


def change_hash(entity: str, entity_id: str, op: str, hlc: str, payload: Any) -> str:
    """SHA-256 of a change's content; the same change id must always carry the same hash."""
    return hash_and_payload_json(entity, entity_id, op, hlc, payload)[0]


def hash_and_payload_json(entity: str, entity_id: str, op: str, hlc: str,
                          payload: Any) -> tuple[str, str]:  # fmt: skip
    """:func:`change_hash` and the payload's canonical JSON, encoded once for both."""
    digest, payload_json, _raw = hash_and_payload_bytes(entity, entity_id, op, hlc, payload)
    return digest, payload_json


def hash_and_payload_bytes(entity: str, entity_id: str, op: str, hlc: str,
                           payload: Any) -> tuple[str, str, bytes]:  # fmt: skip
    """:func:`change_hash`, the payload's canonical JSON and its UTF-8, each encoded once.

    ``canonical_json([e, i, o, h, payload])`` is exactly ``canonical_json([e, i, o, h])``
    with ``,`` + ``canonical_json(payload)`` spliced in before the closing bracket; the four
    strings' part is written by the encoder's own string function (one call each, not an
    encoder run per change).
    """
    payload_json = canonical_json(payload)
    raw = payload_json.encode("utf-8")
    if all(type(v) is str for v in (entity, entity_id, op, hlc)):
        head = "[" + ",".join(map(JSON_STRING, (entity, entity_id, op, hlc))) + ","
    else:
        head = canonical_json([entity, entity_id, op, hlc])[:-1] + ","
    digest = hashlib.sha256(head.encode("utf-8"))
    digest.update(raw)
    digest.update(b"]")
    return digest.hexdigest(), payload_json, raw


def series_township(series: str) -> str:
    """The township code a number series belongs to (``case:620123101000:2026`` → code)."""
    parts = series.split(":")
    return parts[1] if len(parts) > 1 else ""
