"""The 统计 screen's figures: every clickable number opens a ledger filter with that many cases."""

from __future__ import annotations

import datetime as dt

import pytest

from services.cases.ledger import ledger_count, ledger_page
from services.statistics.dto import Dashboard
from services.statistics.service import StatisticsService
from tests.services.statistics.scenario import Scenario, build_november


@pytest.fixture
def dash(scenario: Scenario) -> tuple[Scenario, Dashboard]:
    build_november(scenario)
    scenario.at(dt.datetime(2026, 11, 25, 12))  # Wed 25 Nov: the last November event is L's
    return scenario, StatisticsService(scenario.ctx).dashboard(days=30)


def _clickable(d: Dashboard) -> list[tuple[str, int, object]]:
    out: list[tuple[str, int, object]] = []
    out += [(f.label, f.value, f.filter) for f in (*d.today, *d.week) if f.filter]
    for b in d.breakdowns:
        out += [(f"{b.key}:{bar.label}", bar.value, bar.filter) for bar in b.bars if bar.filter]
    for p in d.series:
        out += [
            (f"new {p.day}", p.new, p.new_filter),
            (f"done {p.day}", p.resolved, p.resolved_filter),
        ]
    return out


def test_every_clickable_figure_counts_what_the_ledger_shows(
    dash: tuple[Scenario, Dashboard],
) -> None:
    s, d = dash
    now = s.ctx.now()
    with s.ctx.store.read() as session:
        for label, value, filt in _clickable(d):
            assert ledger_count(session, filt, now) == value, label  # type: ignore[arg-type]
            page = ledger_page(session, filt, limit=500, now=now)  # type: ignore[arg-type]
            assert len(page.rows) == value, label


def test_dashboard_figures_by_hand(dash: tuple[Scenario, Dashboard]) -> None:
    """Live view on Wed 25 Nov 12:00, hand-counted from scenario.py."""
    _s, d = dash
    today = {f.key: f.value for f in d.today}
    week = {f.key: f.value for f in d.week}
    assert (today["today_visits"], today["today_accepted"], today["today_closed"]) == (1, 1, 0)
    assert today["open"] == 4  # D (escalated), E (paused), H, L
    assert today["due_today"] == 0
    assert today["overdue"] == 1  # H; E's clock is paused
    assert today["red"] == 1  # D
    assert (week["week_visits"], week["week_accepted"], week["week_answered"]) == (2, 1, 1)
    assert week["week_closed"] == 1  # B on 24 Nov
    series = {p.day: (p.new, p.resolved) for p in d.series}
    assert series[dt.date(2026, 11, 24)] == (1, 1)  # G registered, B closed
    assert series[dt.date(2026, 11, 18)] == (1, 0)  # D
    assert series[dt.date(2026, 11, 11)] == (0, 0)  # F (10 Nov) is voided
    colours = {b.key: b.value for b in next(x for x in d.breakdowns if x.key == "colour").bars}
    assert colours == {"green": 4, "yellow": 2, "red": 1}  # A C G L / B E (assessed) / D
    units = {b.label: b.value for b in next(x for x in d.breakdowns if x.key == "unit").bars}
    assert units == {"青山司法所": 2, "未交办": 5}  # B, E


def test_rates_have_their_definitions(dash: tuple[Scenario, Dashboard]) -> None:
    _s, d = dash
    assert [r.label for r in d.rates] == ["化解成功率", "办结率", "按期办结率", "满意率"]
    assert all(r.definition.startswith(r.label + "＝") for r in d.rates)
