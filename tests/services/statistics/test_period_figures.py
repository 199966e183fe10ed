"""Report figures against the hand-worked scenario (scenario.py): every expected number below
was counted by hand from the scenario's table, not from the code."""

from __future__ import annotations

import datetime as dt

import pytest

from services.statistics.catalogue import FIGURES, figure_value
from services.statistics.documents import build_report
from services.statistics.figures import PeriodStats, period_stats
from services.statistics.periods import day_period, month_period, week_period
from tests.services.statistics.scenario import (
    Scenario,
    build_after,
    build_early_december,
    build_november,
)


def stats_of(s: Scenario, period_kind: str, *args: int) -> PeriodStats:
    period = {"month": month_period, "week": week_period}[period_kind](*args)
    s.ctx.store.run_write(lambda session: None)
    from services.statistics.documents import prepare

    prepare(s.ctx)
    with s.ctx.store.read() as session:
        return period_stats(session, s.ctx, period, period.cutoff)


def values(stats: PeriodStats) -> dict[str, str]:
    return {key: figure_value(key, stats) for key in FIGURES}


def codes(s: Scenario, facts: object) -> set[str]:
    ids = {v: k for k, v in s.cases.items()}
    return {ids[f.id] for f in facts}  # type: ignore[attr-defined]


@pytest.fixture
def full(scenario: Scenario) -> Scenario:
    build_november(scenario)
    build_early_december(scenario)
    build_after(scenario)
    return scenario


def test_november_figures_are_the_hand_counted_ones(full: Scenario) -> None:
    st = stats_of(full, "month", 2026, 11)
    assert codes(full, st.registered) == {"A", "B", "C", "D", "E", "G", "I", "L"}
    assert codes(full, st.accepted) == {"A", "B", "C", "D", "E", "I", "L"}
    assert codes(full, st.closed) == {"A", "B", "C"}
    assert codes(full, st.open) == {"D", "E", "H", "I", "L"}
    assert codes(full, st.overdue) == {"H"}
    v = values(full_stats := st)
    assert v["registered"] == "8"
    assert v["accepted"] == "7"
    assert v["answered"] == "1"
    assert v["closed"] == "3"
    assert v["closed_ok"] == "2"  # C ended in 调解不成
    assert v["open"] == "5"
    assert v["overdue"] == "1"
    assert v["visits"] == "9"  # F's visit happened, though the case was voided
    assert v["visitors"] == "14"  # D came with 6 people
    assert v["assigned"] == "2"  # B and E (H was assigned in October)
    assert v["supervisions"] == "1"
    assert v["red_warnings"] == "1"
    assert v["send_backs"] == "1"
    assert v["escalations"] == "1"
    assert v["rate_resolution"] == "66.67%"  # 2 / 3
    assert v["rate_closure"] == "42.86%"  # 3 / 7
    assert v["rate_on_time"] == "100.00%"  # B within its extension
    assert v["rate_satisfaction"] == "100.00%"  # A 满意, B last 基本满意
    assert v["rate_mediation"] == "50.00%"  # A reached, C not
    assert v["ytd_accepted"] == "8"  # H + 7
    assert v["ytd_closed"] == "3"
    assert v["ytd_closure_rate"] == "37.50%"
    assert [(codes(full, [f for f in full_stats.facts if f.id == c])) for c, _o, _n in
            full_stats.activity.colour_changes] == [{"E"}]  # fmt: skip


def test_an_extension_counts_toward_on_time(scenario: Scenario) -> None:
    """Without B's 5-day extension B would have been 6 days late (hand check of the rule)."""
    build_november(scenario)
    st = stats_of(scenario, "month", 2026, 11)
    assert codes(scenario, st.closed) == {"A", "B", "C"}
    assert len(st.on_time) == 3


def test_december_and_january_across_the_year_end(full: Scenario) -> None:
    dec = stats_of(full, "month", 2026, 12)
    assert codes(full, dec.registered) == {"J"}  # L voided on 5 Dec is in no December figure
    assert codes(full, dec.closed) == {"H"}
    assert dec.on_time == frozenset()  # H closed 3 Dec, due 21 Oct
    assert codes(full, dec.open) == {"D", "E", "I", "J"}
    jan = stats_of(full, "month", 2027, 1)
    assert codes(full, jan.registered) == set()
    assert codes(full, jan.closed) == {"J"}
    assert codes(full, jan.ytd_registered) == set()  # a new year starts from zero
    assert figure_value("ytd_closure_rate", jan) == "—"


def test_week_on_week(full: Scenario) -> None:
    w48 = stats_of(full, "week", 2026, 48)  # 23–29 Nov
    assert codes(full, w48.registered) == {"G", "L"}
    assert codes(full, w48.closed) == {"B"}
    assert codes(full, w48.overdue) == {"H"}
    w47 = stats_of(full, "week", 2026, 47)  # 16–22 Nov
    assert codes(full, w47.registered) == {"C", "D", "E"}
    assert codes(full, w47.closed) == {"C"}


def test_a_closed_month_built_again_later_is_identical(scenario: Scenario) -> None:
    build_november(scenario)
    build_early_december(scenario)
    first = build_report(scenario.ctx, month_period(2026, 11))
    build_after(scenario)
    again = build_report(scenario.ctx, month_period(2026, 11))
    assert again == first
    assert first.cutoff_text == "数据截止：2026年12月01日 00:00"


def test_the_late_arrival_counts_in_the_month_it_happened(scenario: Scenario) -> None:
    build_november(scenario)
    before = build_report(scenario.ctx, month_period(2026, 11))
    build_early_december(scenario)
    after = build_report(scenario.ctx, month_period(2026, 11))
    column = {c.key: c.value for c in before.columns}
    column_after = {c.key: c.value for c in after.columns}
    assert (column["registered"], column_after["registered"]) == ("7", "8")


def test_daily_report_of_18_november(full: Scenario) -> None:
    doc = build_report(full.ctx, day_period(dt.date(2026, 11, 18)))
    col = {c.key: c.value for c in doc.columns}
    assert col["registered"] == "1"  # D
    assert col["visitors"] == "6"
    assert col["red_warnings"] == "1"
    assert col["open"] == "4"  # B, C (调解未成), D, H
    assert col["overdue"] == "1"  # H
    assert col["due_today"] == "0"
    assert doc.zero_report == ""


def test_village_screening_table_of_november(full: Scenario) -> None:
    doc = build_report(full.ctx, month_period(2026, 11))
    table = next(t for s in doc.sections for t in s.tables if t.key == "village_screening")
    rows = {r[0]: r[1:6] for r in table.rows}
    assert rows["东沟村"] == ("3", "2", "66.67%", "1", "50.00%")  # A, C, G
    assert rows["西岔村"] == ("3", "1", "33.33%", "1", "100.00%")  # B, E, L
    assert rows["南湾村"] == ("2", "0", "0.00%", "0", "—")  # D, I
    assert rows["合计"] == ("8", "3", "37.50%", "2", "66.67%")


def test_month_on_month_and_year_on_year(full: Scenario) -> None:
    doc = build_report(full.ctx, month_period(2026, 11))
    table = next(t for s in doc.sections for t in s.tables if t.key == "comparison")
    assert table.columns == ("指标", "本期", "上期", "环比", "去年同期", "同比")
    rows = {r[0]: r[1:] for r in table.rows}
    # October: H accepted, nothing closed, one visitor; November 2025: nothing at all.
    assert rows["新受理（立案）"] == ("7", "1", "+600.00%", "0", "—")
    assert rows["办结"] == ("3", "0", "—", "0", "—")
    assert rows["化解成功"] == ("2", "0", "—", "0", "—")
    assert rows["来访人次"] == ("14", "1", "+1300.00%", "0", "—")
