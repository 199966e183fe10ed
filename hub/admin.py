"""Hub administration (平台管理): issue and revoke device tokens, import reference data."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hub.auth import COUNTY, hash_token, new_token
from hub.db import HubDB
from hub.merge import BASE, RecordState
from hub.models import Device, Record, Township
from hub.service import load_records, save_counter, take_counter, write_records
from services.domain.errors import NotFoundError, ServiceError, ValidationError
from services.domain.hlc import HybridClock
from services.domain.identity import validate_township_code
from services.domain.ids import uuid7
from services.reference.data import (
    CATEGORIES_FILE,
    CHANNELS_FILE,
    DEADLINE_RULES_FILE,
    DICTIONARIES_FILE,
    load_reference,
)
from services.reference.report_templates import TEMPLATES_FILE, parse_templates

REF_NS = uuid.UUID("0d8a6c0e-5b5e-4a57-9d7e-3f0f7c2d9b11")
CALENDAR_FILE = "calendar.json"
UNITS_FILE = "units.json"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new device token; the token itself is shown once and never stored."""

    device_id: str
    token: str
    scope: str
    township_id: str | None


def _clock() -> HybridClock:
    return HybridClock("hub-admin")


def upsert_records(
    session: Session, entity: str, rows: dict[str, dict[str, Any]], *, township_id: str | None,
    public: bool, owner: str, now: dt.datetime,
) -> int:  # fmt: skip
    """Write county-issued records (reference data, townships) as new record versions."""
    seq = take_counter(session)
    hlc = _clock().now().encode()
    existing = load_records(session, [(entity, key) for key in rows])
    states = []
    for key, row in rows.items():
        old = existing.get((entity, key))
        if old is not None and old.row == row:
            continue
        seq += 1
        state = RecordState(entity, key, township_id, public, owner, dict(row), {BASE: hlc},
                            is_new=old is None, dirty=True, seq=seq)  # fmt: skip
        states.append(state)
    write_records(session, states, now)
    save_counter(session, seq)
    return len(states)


def issue_token(
    db: HubDB, label: str, *, township_code: str | None = None, township_name: str | None = None,
    county: bool = False, now: dt.datetime | None = None,
) -> IssuedToken:  # fmt: skip
    """Issue a token for one PC of a township (or a county-wide one with ``county=True``)."""
    now = now or dt.datetime.now()
    if county == bool(township_code):
        raise ValidationError(
            "scope", "token.scope", "请指定乡镇代码，或指定县级（--county），二者选一"
        )
    token = new_token()
    with db.session() as session:
        township_id = None
        if township_code:
            township_id = _township(session, validate_township_code(township_code),
                                    township_name, now)  # fmt: skip
        device = Device(id=uuid7(), label=label.strip()[:100] or "未命名设备",
                        scope=COUNTY if county else "township", township_id=township_id,
                        token_hash=hash_token(token), issued_at=now, pending=0,
                        quarantined=0)  # fmt: skip
        session.add(device)
        device_id = device.id
    return IssuedToken(device_id, token, COUNTY if county else "township", township_id)


def _township(session: Session, code: str, name: str | None, now: dt.datetime) -> str:
    township = session.scalars(select(Township).where(Township.code == code)).first()
    if township is None:
        if not name or not name.strip():
            raise ValidationError("name", "township.name", "新乡镇须提供名称（--township-name）")
        township = Township(id=uuid7(), code=code, name=name.strip()[:100], created_at=now)
        session.add(township)
        session.flush()
        row = {"id": township.id, "parent_id": None, "kind": "township", "name": township.name,
               "code": code, "unit_type": None, "sort_order": 0, "active": True}  # fmt: skip
        upsert_records(session, "org_unit", {township.id: row}, township_id=township.id,
                       public=False, owner=COUNTY, now=now)  # fmt: skip
    return township.id


def revoke_token(db: HubDB, device_id: str, now: dt.datetime | None = None) -> None:
    """Revoke a device's token; its next request gets 401."""
    with db.session() as session:
        result = session.execute(
            update(Device).where(Device.id == device_id, Device.revoked_at.is_(None))
            .values(revoked_at=now or dt.datetime.now())
        )  # fmt: skip
        if not result.rowcount:  # type: ignore[attr-defined]
            raise NotFoundError("device.not_found", f"找不到未吊销的设备：{device_id}")


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ServiceError("reference.invalid", f"无法读取{path.name}：{exc}") from None


def import_reference(db: HubDB, directory: Path, now: dt.datetime | None = None) -> dict[str, int]:
    """Load reference data from ``directory`` and publish it to every device.

    The four files of ``resources/reference`` (categories, channels, dictionaries, deadline
    rules) are validated with the desktop's own loader; ``calendar.json`` (holiday schedule
    entries, including next year's official one) and ``units.json`` (county handling units) are
    optional, and so is ``report_templates.json`` (the county's report templates, 一表通).
    Returns how many records of each kind changed.
    """
    now = now or dt.datetime.now()
    ref = load_reference(directory)  # raises a Chinese error naming the bad file
    files = {name: _json(directory / name) for name in
             (CATEGORIES_FILE, CHANNELS_FILE, DICTIONARIES_FILE, DEADLINE_RULES_FILE)}  # fmt: skip
    ref_rows = {name: {"id": name, "name": name, "version": ref.version, "content": content}
                for name, content in files.items()}  # fmt: skip
    ref_rows.update(_report_templates(directory))
    rules: dict[str, dict[str, Any]] = {}
    for r in ref.deadline_rules:
        key = f"{r.handling_level}|{r.category_code}|{r.risk_colour}|{r.milestone}"
        rid = str(uuid.uuid5(REF_NS, "rule:" + key))
        rules[rid] = {"id": rid, "handling_level": r.handling_level,
                      "category_code": r.category_code, "risk_colour": r.risk_colour,
                      "milestone": r.milestone, "amount": r.amount, "unit": r.unit,
                      "source": "county", "active": True}  # fmt: skip
    counts: dict[str, int] = {}
    with db.session() as session:
        retired = session.scalars(select(Record).where(Record.entity == "deadline_rule")).all()
        for old in retired:  # rules the county dropped stay, switched off (no silent delete)
            if old.entity_id not in rules and old.row.get("active"):
                rules[old.entity_id] = {**old.row, "active": False}
        counts["reference_file"] = upsert_records(session, "reference_file", ref_rows,
                                                  township_id=None, public=True, owner=COUNTY,
                                                  now=now)  # fmt: skip
        counts["deadline_rule"] = upsert_records(session, "deadline_rule", rules, township_id=None,
                                                 public=True, owner=COUNTY, now=now)  # fmt: skip
        counts["calendar_day"] = upsert_records(session, "calendar_day",
                                                _calendar(directory), township_id=None,
                                                public=True, owner=COUNTY, now=now)  # fmt: skip
        counts["org_unit"] = upsert_records(session, "org_unit", _units(directory),
                                            township_id=None, public=True, owner=COUNTY,
                                            now=now)  # fmt: skip
    return counts


def _report_templates(directory: Path) -> dict[str, dict[str, Any]]:
    """The county's report templates (一表通), if the directory has them.

    Validated with the desktop's own parser before anything is published: a file naming a
    figure this version does not know is refused with that name, and the template published
    before stays in force (nothing of this import is written).
    """
    path = directory / TEMPLATES_FILE
    if not path.exists():
        return {}
    content = _json(path)
    templates = parse_templates(content, "county")  # raises, naming the unknown figure
    version = templates.version or dt.date.today().isoformat()
    return {TEMPLATES_FILE: {"id": TEMPLATES_FILE, "name": TEMPLATES_FILE, "version": version,
                             "content": content}}  # fmt: skip


def _calendar(directory: Path) -> dict[str, dict[str, Any]]:
    path = directory / CALENDAR_FILE
    if not path.exists():
        return {}
    top = _json(path)
    official = set(top.get("official_years", [])) if isinstance(top, dict) else set()
    rows: dict[str, dict[str, Any]] = {}
    for item in top.get("entries", []) if isinstance(top, dict) else []:
        try:
            day = dt.date.fromisoformat(str(item["day"]))
            is_workday = bool(item["is_workday"])
        except (KeyError, TypeError, ValueError):
            raise ServiceError(
                "reference.invalid", f"{CALENDAR_FILE}中有无效的日期条目：{item}"
            ) from None
        rows[day.isoformat()] = {
            "day": day.isoformat(),
            "is_workday": is_workday,
            "name": str(item.get("name", ""))[:40],
            "source": "official" if day.year in official else "override",
        }
    return rows


def _units(directory: Path) -> dict[str, dict[str, Any]]:
    path = directory / UNITS_FILE
    if not path.exists():
        return {}
    top = _json(path)
    rows: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(top.get("units", []) if isinstance(top, dict) else []):
        name = str(item.get("name", "")).strip() if isinstance(item, dict) else ""
        if not name:
            raise ServiceError("reference.invalid", f"{UNITS_FILE}第{i + 1}项缺少名称")
        uid = str(uuid.uuid5(REF_NS, "unit:" + name))
        rows[uid] = {"id": uid, "parent_id": None, "kind": "unit", "name": name[:100],
                     "code": item.get("code"), "unit_type": item.get("unit_type"),
                     "sort_order": i, "active": True}  # fmt: skip
    return rows
