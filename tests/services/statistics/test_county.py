"""County mode (县级): the same reports over every township, with a township comparison table and
chart; the dashboard compares townships too. Figures of 红旗乡 below are counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from services.cases.ledger import ledger_count
from services.context import ServiceContext
from services.setup.township import add_org
from services.statistics.catalogue import figure_value
from services.statistics.documents import build_report, prepare
from services.statistics.figures import period_stats
from services.statistics.periods import month_period
from services.statistics.service import StatisticsService
from tests.services.statistics.scenario import D, Scenario, build_november

NOVEMBER = month_period(2026, 11)


@pytest.fixture
def county(scenario: Scenario) -> tuple[Scenario, str, str]:
    """青山镇's November (scenario.py) plus 红旗乡: P accepted 25 Nov (open, due in December),
    Q answered on the spot 26 Nov; then the PC works as the county's (no township of its own)."""
    build_november(scenario)
    ctx = scenario.ctx
    own, own_code = ctx.township_id, ctx.township_code
    with ctx.store.write() as session:
        other = add_org(
            session, kind="township", name="红旗乡", parent_id=None, code="620123102000"
        )
        village = add_org(session, kind="village", name="红旗村", parent_id=other.id,
                          code="620123102001")  # fmt: skip
        other_id, village_id = other.id, village.id
    scenario.villages["R1"] = village_id
    ctx.township_id, ctx.township_code = other_id, "620123102000"
    scenario.register("P", D(2026, 11, 25, 9), "R1", "0202")
    scenario.register("Q", D(2026, 11, 26, 9), "R1", "0401", disposition="answered")
    assert own is not None and own_code is not None
    ctx.township_id, ctx.township_code = None, None
    scenario.at(D(2026, 12, 1, 8))
    return scenario, own, other_id


def _township_report(ctx: ServiceContext, township_id: str) -> dict[str, str]:
    prepare(ctx)
    with ctx.store.read() as session:
        stats = period_stats(session, ctx, NOVEMBER, NOVEMBER.cutoff, township_id=township_id)
    return {k: figure_value(k, stats) for k in ("accepted", "closed", "overdue", "registered")}


def test_county_report_compares_townships_in_a_table_and_a_chart(
    county: tuple[Scenario, str, str],
) -> None:
    s, own, other = county
    doc = build_report(s.ctx, NOVEMBER, kind="monthly")
    names = [name for name, _ in doc.township_rows]
    assert names == ["青山镇", "红旗乡"]
    keys = [c.key for c in doc.columns]
    rows = dict(doc.township_rows)
    qingshan = _township_report(s.ctx, own)
    for key in ("accepted", "closed", "overdue", "registered"):
        if key in keys:
            assert rows["青山镇"][keys.index(key)] == qingshan[key]
    # 红旗乡 by hand: 2 registered (P, Q), 1 accepted (P), nothing closed or overdue
    assert _township_report(s.ctx, other) == {
        "accepted": "1",
        "closed": "0",
        "overdue": "0",
        "registered": "2",
    }
    assert doc.township_chart is not None
    series = dict(doc.township_chart.series)
    assert doc.township_chart.categories == ("青山镇", "红旗乡")
    assert series["新受理"] == (int(qingshan["accepted"]), 1)
    assert series["办结"] == (int(qingshan["closed"]), 0)
    assert series["超期在办"] == (int(qingshan["overdue"]), 0)
    # the county's own figures are the townships' sum
    county_accepted = next(c.value for c in doc.columns if c.key == "accepted")
    assert int(county_accepted) == int(qingshan["accepted"]) + 1


def test_township_report_has_no_comparison(county: tuple[Scenario, str, str]) -> None:
    s, own, _ = county
    s.ctx.township_id = own
    doc = build_report(s.ctx, NOVEMBER, kind="monthly")
    assert doc.township_rows == () and doc.township_chart is None


def test_county_dashboard_compares_townships_and_each_row_opens_its_cases(
    county: tuple[Scenario, str, str],
) -> None:
    s, own, other = county
    s.at(dt.datetime(2026, 11, 27, 12))
    d = StatisticsService(s.ctx).dashboard(days=30)
    assert d.county
    rows = {t.name: t for t in d.townships}
    assert list(rows) == ["青山镇", "红旗乡"]
    hq = rows["红旗乡"]
    assert (hq.registered, hq.open, hq.overdue, hq.red, hq.closed) == (2, 1, 0, 0, 0)
    total = next(f.value for f in d.today if f.key == "open")
    assert rows["青山镇"].open + hq.open == total
    with s.ctx.store.read() as session:
        for t in d.townships:
            assert t.filter is not None and t.filter.township_id in (own, other)
            assert ledger_count(session, t.filter, s.ctx.now()) == t.registered
