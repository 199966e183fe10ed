"""The figures a report template may name (一表通指标目录), each computed from ``PeriodStats``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from services.reference.data import Reference
from services.statistics.compare import Counts
from services.statistics.dto import percent
from services.statistics.figures import PeriodStats
from services.statistics.snapshot import CaseFact


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a report is built from: this period, the one before (环比), a year before (同比)."""

    stats: PeriodStats
    current: Counts | None  # 同比/环比 counts of this period, counted as the others
    previous: Counts | None
    year_ago: Counts | None
    names: Mapping[str, str]  # org unit id -> name
    reference: Reference
    issuer: str
    list_limit: int = 40  # longest case list printed (a 日报 keeps to one page)
    class_names: dict[str, str] = field(default_factory=dict)  # GB/T 31000 class code -> name
    memo: dict[str, object] = field(default_factory=dict)  # what several tables count alike


def _n(value: int) -> str:
    return str(value)


def _yuan(cents: int) -> str:
    return f"{cents / 100:,.2f}"


def _due_on(facts: tuple[CaseFact, ...], day: dt.date) -> int:
    return sum(1 for f in facts if f.due_at is not None and f.due_at.date() == day and not f.paused)


def _rate(key: str) -> Callable[[PeriodStats], str]:
    def get(s: PeriodStats) -> str:
        return next(r.text for r in s.rates() if r.key == key)

    return get


Getter = Callable[[PeriodStats], str]
FIGURES: Mapping[str, tuple[str, Getter]] = MappingProxyType(
    {
        "visits": ("来访批次", lambda s: _n(s.visits.batches)),
        "visitors": ("来访人次", lambda s: _n(s.visits.heads)),
        "repeat_visits": ("重复来访", lambda s: _n(s.visits.repeat)),
        "collective_visits": ("集体访", lambda s: _n(s.visits.collective)),
        "registered": ("登记件数", lambda s: _n(len(s.registered))),
        "accepted": ("新受理（立案）", lambda s: _n(len(s.accepted))),
        "answered": ("当场化解（答复）", lambda s: _n(s.answered)),
        "assigned": ("交办", lambda s: _n(s.activity.assignments)),
        "closed": ("办结", lambda s: _n(len(s.closed))),
        "closed_ok": ("化解成功", lambda s: _n(len(s.closed_ok))),
        "open": ("在办", lambda s: _n(len(s.open))),
        "overdue": ("超期在办", lambda s: _n(len(s.overdue))),
        "due_today": ("当日到期", lambda s: _n(_due_on(s.open, s.period.end))),
        "supervisions": ("督办", lambda s: _n(s.activity.supervisions)),
        "red_warnings": ("红色预警", lambda s: _n(s.activity.red_warnings)),
        "send_backs": ("退回重办", lambda s: _n(s.activity.send_backs)),
        "escalations": ("上报县级", lambda s: _n(s.activity.escalations)),
        "slips_assignment": ("交办单", lambda s: _n(s.slips.get("assignment", 0))),
        "slips_supervision": ("督办单", lambda s: _n(s.slips.get("supervision", 0))),
        "slips_risk_warning": ("风险预警单", lambda s: _n(s.slips.get("risk_warning", 0))),
        "slips_total": ("签发文书", lambda s: _n(sum(s.slips.values()))),
        "room_bookings": ("调解室使用场次", lambda s: _n(s.rooms.bookings)),
        "room_hours": ("调解室使用时长（小时）", lambda s: f"{s.rooms.hours:.1f}"),
        "sessions": ("调解场次", lambda s: _n(s.rooms.sessions)),
        "agreements": ("达成调解协议", lambda s: _n(s.rooms.agreements)),
        "agreement_amount": ("协议涉及金额（元）", lambda s: _yuan(s.rooms.agreement_amount_cents)),
        "rate_resolution": ("化解成功率", _rate("resolution")),
        "rate_closure": ("办结率", _rate("closure")),
        "rate_on_time": ("按期办结率", _rate("on_time")),
        "rate_satisfaction": ("满意率", _rate("satisfaction")),
        "rate_mediation": (
            "调解成功率",
            lambda s: percent(s.activity.mediation_reached, s.activity.mediation_decided),
        ),
        "ytd_accepted": (
            "本年累计立案",
            lambda s: _n(sum(1 for f in s.ytd_registered if f.accepted)),
        ),
        "ytd_closed": ("本年累计办结", lambda s: _n(len(s.ytd_closed))),
        "ytd_closure_rate": ("年度办结率", lambda s: s.ytd_closure_rate().text),
    }
)

# Figures that, when all zero, make the period a 零报告 (nothing notable happened).
NOTABLE = (
    "registered",
    "visits",
    "overdue",
    "red_warnings",
    "supervisions",
    "due_today",
    "escalations",
)


def figure_value(key: str, stats: PeriodStats) -> str:
    return FIGURES[key][1](stats)


def is_zero_period(stats: PeriodStats) -> bool:
    return all(figure_value(k, stats) in ("0", "0.0") for k in NOTABLE)


def change(now: int, before: int) -> str:
    """环比/同比 as a signed percentage; "—" when the earlier figure is 0."""
    if before == 0:
        return "—"
    text = percent(abs(now - before), before)
    return ("+" if now >= before else "-") + text
