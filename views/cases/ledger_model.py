"""Columns of the case ledger over :class:`services.cases.ledger.LedgerRow`."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from services.cases.ledger import LedgerRow
from services.reference.data import Reference
from ui.i18n import QT_TRANSLATE_NOOP, vocab
from ui.paged_model import Column

COLOUR_HEX = {"green": "#C8E6C9", "yellow": "#FFF59D", "orange": "#FFCC80", "red": "#EF9A9A"}
SUPERVISION_HEX = {"reminder": "#BBDEFB", "yellow": "#FFF59D", "red": "#EF9A9A"}
CENTER = Qt.AlignmentFlag.AlignCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate("LedgerColumns", text)


def _remaining_text(row: LedgerRow) -> str:
    days = row.remaining_working_days
    if days is None:
        return ""
    mark = "*" if row.due_provisional else ""
    if days < 0:
        return (
            QCoreApplication.translate("LedgerColumns", "超期%1天").replace("%1", str(-days)) + mark
        )
    return QCoreApplication.translate("LedgerColumns", "剩%1天").replace("%1", str(days)) + mark


def _remaining_colour(row: LedgerRow) -> str | None:
    days = row.remaining_working_days
    if days is None:
        return None
    if days < 0:
        return "#EF9A9A"
    if days <= 1:
        return "#FFCC80"
    return "#E8F5E9"


def ledger_columns(ref: Reference, *, county: bool = False) -> list[Column]:
    """The ledger's columns; ``county`` adds the township column (县级模式)."""
    columns = _columns(ref)
    if county:
        columns.insert(
            1, Column(QT_TRANSLATE_NOOP("Columns", "乡镇(街道)"), lambda r: r.township_name)
        )
    return columns


def _columns(ref: Reference) -> list[Column]:
    colours = {o.code: o.name for o in ref.options("colours")}
    levels = {o.code: o.name for o in ref.options("handling_levels")}
    supervision = {o.code: o.name for o in ref.options("supervision_levels")}

    def category(row: LedgerRow) -> str:
        try:
            return ref.qualified_name(row.category_code)
        except KeyError:
            return row.category_code

    return [
        Column(QT_TRANSLATE_NOOP("Columns", "案件编号"), lambda r: r.code, sort_key="code"),
        Column(QT_TRANSLATE_NOOP("Columns", "标题"), lambda r: r.title, tooltip=lambda r: r.title),
        Column(QT_TRANSLATE_NOOP("Columns", "当事人"), lambda r: r.names),
        Column(QT_TRANSLATE_NOOP("Columns", "状态"), lambda r: vocab(r.state_label)),
        Column(
            QT_TRANSLATE_NOOP("Columns", "风险"),
            lambda r: vocab(colours.get(r.risk_colour, r.risk_colour)),
            align=CENTER,
            background=lambda r: COLOUR_HEX.get(r.risk_colour),
        ),  # fmt: skip
        Column(
            QT_TRANSLATE_NOOP("Columns", "剩余工作日"),
            _remaining_text,
            align=CENTER,
            background=_remaining_colour,
            tooltip=lambda r: (
                QCoreApplication.translate("LedgerColumns", "*期限为临时计算（节假日安排未导入）")
                if r.due_provisional
                else ""
            ),
        ),  # fmt: skip
        Column(
            QT_TRANSLATE_NOOP("Columns", "督办"),
            lambda r: (
                ""
                if r.supervision_level == "none"
                else vocab(supervision.get(r.supervision_level, ""))
            ),
            align=CENTER,
            background=lambda r: SUPERVISION_HEX.get(r.supervision_level),
        ),  # fmt: skip
        Column(QT_TRANSLATE_NOOP("Columns", "类别"), category),
        Column(QT_TRANSLATE_NOOP("Columns", "村(社区)"), lambda r: r.village_name),
        Column(
            QT_TRANSLATE_NOOP("Columns", "层级"),
            lambda r: vocab(levels.get(r.handling_level, r.handling_level)),
        ),
        Column(
            QT_TRANSLATE_NOOP("Columns", "登记时间"),
            lambda r: f"{r.registered_at:%Y-%m-%d %H:%M}",
            sort_key="registered_at",
        ),  # fmt: skip
        Column(
            QT_TRANSLATE_NOOP("Columns", "办结期限"),
            lambda r: f"{r.due_at:%Y-%m-%d}" if r.due_at else "",
            sort_key="due_at",
        ),  # fmt: skip
    ]
