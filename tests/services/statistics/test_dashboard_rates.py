"""The dashboard's four rates, aggregated in SQL, against the hand-counted November scenario."""

from __future__ import annotations

import datetime as dt

from services.statistics.closures import ensure_closures
from services.statistics.rates import window_rates
from services.store import rate_facts
from tests.services.conftest import Orgs
from tests.services.statistics.scenario import (
    Scenario,
    build_after,
    build_early_december,
    build_november,
)
from tests.services.store.test_rate_facts import held, recomputed, tally_held, tally_recomputed


def test_window_rates_by_hand(scenario: Scenario, orgs: Orgs) -> None:
    """30 days to Wed 25 Nov: closes A (normal), B (normal, reopened), C (terminated), all on
    time; accepted in the window A B C D E L (F voided, G answered, H in October), 3 closed;
    evaluated A (满意) and B, whose latest evaluation (基本满意) replaces its 不满意."""
    build_november(scenario)
    scenario.at(dt.datetime(2026, 11, 25, 12))
    ctx = scenario.ctx
    ensure_closures(ctx)
    start, end = dt.date(2026, 10, 27), dt.date(2026, 11, 25)
    with ctx.store.read() as session:
        county = window_rates(session, ctx, start, end)
        own = window_rates(session, ctx, start, end, orgs.township_id)
        other = window_rates(session, ctx, start, end, "no-such-township")
    expected = {"resolution": (2, 3), "closure": (3, 6), "on_time": (3, 3), "satisfaction": (2, 2)}
    assert {r.key: (r.numerator, r.denominator) for r in county} == expected
    assert {r.key: (r.numerator, r.denominator) for r in own} == expected
    assert all((r.numerator, r.denominator) == (0, 0) for r in other)


def test_rate_fact_through_the_services_equals_its_rebuild(scenario: Scenario) -> None:
    """October to January written through the services (closes, 退回重办, voids before and after
    a cut-off, re-evaluation, a case registered offline and synced late): the table the
    triggers keep equals a recomputation from its sources and the migration's rebuild."""
    build_november(scenario)
    build_early_december(scenario)
    build_after(scenario)
    ensure_closures(scenario.ctx)
    with scenario.ctx.store.write_engine.connect() as conn:
        tx = conn.begin()
        try:
            kept = held(conn)
            assert sorted(row[2] for row in kept.values()).count("close") == 5
            assert sorted(row[2] for row in kept.values()).count("evaluate") == 5
            assert kept == recomputed(conn)
            counted = tally_held(conn)
            assert counted == tally_recomputed(kept)
            for statement in rate_facts.rebuild_sql():
                conn.exec_driver_sql(statement)
            assert held(conn) == kept
            assert tally_held(conn) == counted
        finally:
            tx.rollback()
