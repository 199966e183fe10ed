"""Report templates (一表通): which figures, tables and charts each report carries, as data.

The shipped ``resources/reports/report_templates.json`` is replaced by the county's file of the
same name, published by the hub with the other reference data (``hub.admin.import_reference``)
and pulled by every PC. Parsing is pure (no database): the hub validates a county file with the
same code before publishing it, and a PC validates what it pulled before adopting it
(``services.statistics.templates``). A file naming a figure this version does not know is
refused with that name.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from services.domain.errors import ServiceError

TEMPLATES_FILE: Final = "report_templates.json"
SHIPPED: Final[Path] = (
    Path(__file__).resolve().parents[2] / "resources" / "reports" / TEMPLATES_FILE
)
# What a template may name. ``services.statistics`` computes each (its FIGURES, TABLES and
# CHARTS have exactly these keys, checked by a test); listed here so the county hub can validate
# a template without the desktop's database layer.
FIGURE_NAMES: Final = frozenset(
    {
        "visits", "visitors", "repeat_visits", "collective_visits", "registered", "accepted",
        "answered", "assigned", "closed", "closed_ok", "open", "overdue", "due_today",
        "supervisions", "red_warnings", "send_backs", "escalations", "slips_assignment",
        "slips_supervision", "slips_risk_warning", "slips_total", "room_bookings", "room_hours",
        "sessions", "agreements", "agreement_amount", "rate_resolution", "rate_closure",
        "rate_on_time", "rate_satisfaction", "rate_mediation", "ytd_accepted", "ytd_closed",
        "ytd_closure_rate",
    }
)  # fmt: skip
TABLE_NAMES: Final = frozenset(
    {
        "due_list", "overdue_list", "next_due", "overdue_by_unit", "comparison", "slips_ledger",
        "risk_changes", "village_class", "village_screening", "class_screening",
        "case_handling", "mediation",
    }
)  # fmt: skip
CHART_NAMES: Final = frozenset({"by_class", "daily"})
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
    obj: Mapping[str, Any], key: str, known: Collection[str], what: str, where: str
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
                _names(sec, "figures", FIGURE_NAMES, "指标", here),
                _names(sec, "tables", TABLE_NAMES, "表格", here),
                _names(sec, "charts", CHART_NAMES, "图表", here),
            )
        )
    signatures = obj.get("signatures", [])
    if not isinstance(signatures, list) or not all(isinstance(s, str) for s in signatures):
        raise _refuse(f"{where}的“signatures”应为文字列表")
    return ReportSpec(
        _text(obj, "title", where),
        _names(obj, "columns", FIGURE_NAMES, "指标", where),
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
