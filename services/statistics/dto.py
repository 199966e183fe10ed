"""Frozen DTOs of the statistics (统计): figures, rates, breakdowns, series and freshness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from services.cases.ledger import LedgerFilter
from services.domain.messages import msg, when

# Rate definitions printed as footnotes and shown one click away on the dashboard
# (research/domain.md §4.2 item 2 and §4.3; wording fixed here so every report says the same).
RATE_DEFINITIONS: dict[str, tuple[str, str]] = {
    "resolution": (
        "化解成功率",
        "化解成功率＝本期办结案件中化解成功的件数÷本期办结件数×100%。化解成功指经调解达成协议"
        "或经承办单位办理、审核通过后办结；调解不成终止、上报县级办结的不计为成功。",
    ),
    "closure": (
        "办结率",
        "办结率＝本期受理且截至数据截止时间已办结的件数÷本期受理件数×100%（不含已作废、"
        "不予受理和咨询当场答复）。",
    ),
    "on_time": (
        "按期办结率",
        "按期办结率＝本期办结件数中在办理时限（含批准延期、扣除暂停计时）内办结的件数÷"
        "本期办结件数×100%。",
    ),
    "satisfaction": (
        "满意率",
        "满意率＝本期群众评价为“满意”或“基本满意”的件数÷本期已评价件数×100%；"
        "同一案件多次评价的，以本期最后一次评价为准。",
    ),
    "mediation_success": (
        "调解成功率",
        "调解成功率＝本期登记调解结果为“达成协议”的件数÷本期登记调解结果"
        "（达成或未达成）的件数×100%。",
    ),
}
ROUNDING_NOTE = "比率保留两位小数，四舍五入；分母为0时记作“—”。"


def percent(numerator: int, denominator: int) -> str:
    """``numerator / denominator`` as a percentage with two decimals, half up; "—" for 0/0."""
    if denominator <= 0:
        return "—"
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return f"{value}%"


@dataclass(frozen=True, slots=True)
class Rate:
    """A rate with its parts and definition (比率及其口径)."""

    key: str
    label: str
    numerator: int
    denominator: int
    definition: str

    @property
    def text(self) -> str:
        return percent(self.numerator, self.denominator)


def make_rate(key: str, numerator: int, denominator: int) -> Rate:
    label, definition = RATE_DEFINITIONS[key]
    return Rate(key, label, numerator, denominator, definition)


@dataclass(frozen=True, slots=True)
class Figure:
    """One number on the dashboard; ``filter`` opens the ledger on exactly these cases."""

    key: str
    label: str
    value: int
    filter: LedgerFilter | None = None


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a breakdown (by class, village, channel, unit or colour)."""

    key: str
    label: str
    value: int
    filter: LedgerFilter | None = None


@dataclass(frozen=True, slots=True)
class Breakdown:
    key: str
    title: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class DayPoint:
    """New and resolved cases on one day (每日新增/办结)."""

    day: dt.date
    new: int
    resolved: int
    new_filter: LedgerFilter | None = None
    resolved_filter: LedgerFilter | None = None


@dataclass(frozen=True, slots=True)
class Freshness:
    """How current the data is (数据新鲜度): one line per township."""

    township_id: str
    township_name: str
    last_sync_at: dt.datetime | None
    latest_event_at: dt.datetime | None

    def text(self, cutoff: dt.datetime) -> str:
        """Stable once synced past the cut-off, so a closed period prints the same later.

        A :func:`~services.domain.messages.msg`, so the screen shows it in its own language."""
        name = self.township_name
        if self.last_sync_at is not None and self.last_sync_at >= cutoff:
            return msg("{township}：截止时间后已同步，数据完整至截止时间", township=name)
        if self.last_sync_at is None:
            return msg("{township}：尚未与县级同步（仅含本机数据）", township=name)
        at = when(self.last_sync_at, "%Y-%m-%d %H:%M")
        return msg("{township}：最近同步 {at}", township=name, at=at)


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The 统计 screen's content, computed in one background task."""

    now: dt.datetime
    days: int
    today: tuple[Figure, ...]
    week: tuple[Figure, ...]
    series: tuple[DayPoint, ...]
    breakdowns: tuple[Breakdown, ...]
    rates: tuple[Rate, ...]
    freshness: tuple[Freshness, ...]
    county: bool = False
    townships: tuple[TownshipRow, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class TownshipRow:
    """One township in the county comparison (乡镇对比)."""

    township_id: str
    name: str
    registered: int
    open: int
    overdue: int
    red: int
    closed: int
    filter: LedgerFilter | None = None
