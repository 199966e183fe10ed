"""Report templates as data (一表通): which figures, tables and charts each report carries.

The shipped ``resources/reports/templates.json`` is replaced by the county's
``report_templates.json`` when sync brings one. A county file naming a figure this version does
not know is refused with that name, and the template in force before it stays in force.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.errors import ServiceError
from services.statistics.catalogue import FIGURES
from services.statistics.tables import CHARTS, TABLES
from services.store.models import SyncReference

TEMPLATES_FILE: Final = "report_templates.json"
ACCEPTED: Final = "report_templates.json#accepted"  # the county file last accepted on this PC
SHIPPED: Final[Path] = (
    Path(__file__).resolve().parents[2] / "resources" / "reports" / TEMPLATES_FILE
)
KINDS: Final = ("daily", "weekly", "monthly")


@dataclass(frozen=True, slots=True)
class SectionSpec:
    title: str
    figures: tuple[str, ...]
    tables: tuple[str, ...]
    charts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportSpec:
    title: str
    columns: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    signatures: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Templates:
    version: str
    reports: Mapping[str, ReportSpec]
    origin: str  # shipped / county


def _refuse(detail: str) -> ServiceError:
    return ServiceError("report_template.invalid", f"报表模板无效：{detail}")


def _names(
    obj: Mapping[str, Any], key: str, known: Mapping[str, Any], what: str, where: str
) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _refuse(f"{where}的“{key}”应为名称列表")
    for name in value:
        if name not in known:
            raise _refuse(f"{where}含有本版本不认识的{what}“{name}”")
    return tuple(value)


def _text(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _refuse(f"{where}缺少“{key}”")
    return value.strip()


def _report(kind: str, obj: Any) -> ReportSpec:
    where = f"“{kind}”报表"
    if not isinstance(obj, dict):
        raise _refuse(f"{where}应为对象")
    sections = []
    raw = obj.get("sections")
    if not isinstance(raw, list) or not raw:
        raise _refuse(f"{where}缺少“sections”")
    for i, sec in enumerate(raw, 1):
        here = f"{where}第{i}节"
        if not isinstance(sec, dict):
            raise _refuse(f"{here}应为对象")
        sections.append(
            SectionSpec(
                _text(sec, "title", here),
                _names(sec, "figures", FIGURES, "指标", here),
                _names(sec, "tables", TABLES, "表格", here),
                _names(sec, "charts", CHARTS, "图表", here),
            )
        )
    signatures = obj.get("signatures", [])
    if not isinstance(signatures, list) or not all(isinstance(s, str) for s in signatures):
        raise _refuse(f"{where}的“signatures”应为文字列表")
    return ReportSpec(
        _text(obj, "title", where),
        _names(obj, "columns", FIGURES, "指标", where),
        tuple(sections),
        tuple(signatures),
    )


def parse_templates(data: Any, origin: str) -> Templates:
    """Validate a template file's JSON.

    Raises:
        ServiceError: not an object, a report missing, or an unknown figure/table/chart (named).
    """
    if not isinstance(data, dict) or not isinstance(data.get("reports"), dict):
        raise _refuse("文件应包含“reports”对象")
    reports = data["reports"]
    missing = [k for k in KINDS if k not in reports]
    if missing:
        raise _refuse(f"缺少“{missing[0]}”报表")
    parsed = {kind: _report(kind, reports[kind]) for kind in reports if kind in KINDS}
    version = data.get("version")
    return Templates(str(version) if version else "", parsed, origin)


def shipped_templates() -> Templates:
    return parse_templates(json.loads(SHIPPED.read_text(encoding="utf-8")), "shipped")


def county_template_pending(session: Session) -> str:
    """``new`` when the county's file is valid and not yet accepted, a Chinese notice when it is
    refused, else ``""`` (read only)."""
    row = session.get(SyncReference, TEMPLATES_FILE)
    if row is None:
        return ""
    accepted = session.get(SyncReference, ACCEPTED)
    if accepted is not None and accepted.version == row.version and accepted.content == row.content:
        return ""
    try:
        parse_templates(row.content, "county")
    except ServiceError as exc:
        return f"{exc.message}；继续使用此前的报表模板"
    return "new"


def adopt_county_templates(session: Session, now: dt.datetime) -> str:
    """Accept the county's template file if it is valid; returns a Chinese notice if refused.

    Called in a write unit of work before reports are made. A refused file leaves the template
    accepted before it (or the shipped one) in force.
    """
    row = session.get(SyncReference, TEMPLATES_FILE)
    if row is None:
        return ""
    accepted = session.get(SyncReference, ACCEPTED)
    if accepted is not None and accepted.version == row.version and accepted.content == row.content:
        return ""
    try:
        parse_templates(row.content, "county")
    except ServiceError as exc:
        return f"{exc.message}；继续使用此前的报表模板"
    session.merge(
        SyncReference(name=ACCEPTED, version=row.version, content=row.content, received_at=now)
    )
    return ""


def effective_templates(session: Session) -> Templates:
    """The templates in force: the county's last accepted file, else the shipped one."""
    accepted = session.scalar(select(SyncReference).where(SyncReference.name == ACCEPTED))
    if accepted is not None:
        try:
            return parse_templates(accepted.content, "county")
        except ServiceError:  # accepted by an older version that knew more figures
            pass
    return shipped_templates()
