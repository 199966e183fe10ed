"""The dashboard's live counts over open cases each read one covering index (migration 0018).

Without it, 已超期, 红色预警 and 督办中 each read every open case's row: on 1M cases (250,000 open)
the refresh took well over its 500 ms budget. The plan is checked with the statistics SQLite
would have on a large ledger (a few states, colours and levels over many rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select, text

from services.cases.ledger import LedgerFilter, ledger_conditions
from services.context import ServiceContext
from services.statistics.dashboard import OPEN_STATES
from services.store.models import Case

NOW = dt.datetime(2026, 11, 20, 17, 30)
BASE = LedgerFilter()


@pytest.mark.parametrize(
    ("label", "filt", "index"),
    [
        ("已超期", replace(BASE, overdue=True), "ix_stat_open_clock"),
        ("今日到期", replace(BASE, due_today=True), "ix_stat_open_clock"),
        ("红色预警", replace(BASE, states=OPEN_STATES, colours=("red",)), "ix_stat_colour_state"),
        (
            "督办中",
            replace(BASE, states=OPEN_STATES, supervision_levels=("yellow", "red")),
            "ix_stat_supervision_state",
        ),
    ],
)
def test_open_case_counts_read_one_covering_index(
    ctx: ServiceContext, label: str, filt: LedgerFilter, index: str
) -> None:
    with ctx.store.write() as session:
        # What ANALYZE finds on a big ledger: 1M rows, a handful of values per column.
        session.execute(text("ANALYZE"))
        session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'case_file'"))
        rows = session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='case_file'")
        ).all()
        for name, sql in rows:
            if sql is None:
                continue
            width = sql.count(",") + 1
            stat = "1000000 " + " ".join(["50000"] + ["10"] * (width - 1))
            session.execute(
                text("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('case_file', :n, :s)"),
                {"n": name, "s": stat},
            )
    with ctx.store.read() as session:
        session.execute(text("ANALYZE sqlite_schema"))  # reload the statistics
        query = select(func.count()).select_from(Case).where(*ledger_conditions(session, filt, NOW))
        compiled = query.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        plan = " ".join(
            str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        )
    assert f"COVERING INDEX {index}" in plan, f"{label}: {plan}"


def _fake_big_statistics(ctx: ServiceContext) -> None:
    with ctx.store.write() as session:
        session.execute(text("ANALYZE"))
        session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'case_file'"))
        rows = session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='case_file'")
        ).all()
        for name, sql in rows:
            if sql is None:
                continue
            width = sql.count(",") + 1
            # states, colours, levels: a handful of values; dates: many
            first = "50000" if any(k in name for k in ("state", "colour", "supervision")) else "3"
            stat = "1000000 " + " ".join([first] + ["2"] * (width - 1))
            session.execute(
                text("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('case_file', :n, :s)"),
                {"n": name, "s": stat},
            )


def test_cases_closed_in_a_span_are_counted_through_the_closed_at_index(
    ctx: ServiceContext,
) -> None:
    """办结 counts read ``ix_case_closed``: left alone, SQLite walked the state
    index over every live case (about 1 s per count on 1M cases)."""
    from sqlalchemy import event

    from services.statistics.service import StatisticsService

    ctx.now = lambda: NOW
    _fake_big_statistics(ctx)
    sent: list[tuple[str, object]] = []

    def hook(conn: object, cursor: object, sql: str, params: object, *_: object) -> None:
        if "FROM case_file" in sql and "case_file.closed_at >=" in sql:
            sent.append((sql, params))

    engine = ctx.store.read_engine
    event.listen(engine, "before_cursor_execute", hook)
    try:
        StatisticsService(ctx).dashboard(days=30)
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    assert len(sent) >= 2  # 今日办结, 本周办结 (the 办结 series reads the daily tally)
    with ctx.store.read() as session:
        raw = session.connection().connection.driver_connection
        assert raw is not None
        session.execute(text("ANALYZE sqlite_schema"))
        for sql, params in sent:
            plan = " ".join(str(r[-1]) for r in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            assert "ix_case_closed" in plan, plan


def test_cases_changed_since_a_cut_off_are_read_through_the_event_time_index(
    ctx: ServiceContext,
) -> None:
    """A report's ``changed_since`` reads only the events after its cut-off. With DISTINCT,
    SQLite walked every event in case order instead (199 ms of a 100k monthly report)."""
    from sqlalchemy import event

    from services.statistics.snapshot import changed_since

    with ctx.store.write() as session:  # case_event's statistics on the 100k bench ledger
        session.execute(text("ANALYZE"))
        session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'case_event'"))
        stats = {
            "ix_case_event_action_occurred": "606328 25264 2",
            "ix_case_event_occurred": "606328 2",
            "ix_case_event_case_hlc": "606328 7 1",
            "sqlite_autoindex_case_event_2": "606328 7 1",
            "sqlite_autoindex_case_event_1": "606328 1",
        }
        for name, stat in stats.items():
            session.execute(
                text("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('case_event', :n, :s)"),
                {"n": name, "s": stat},
            )
    sent: list[tuple[str, object]] = []
    with ctx.store.read() as session:
        session.execute(text("ANALYZE sqlite_schema"))
        engine = session.get_bind()
        record = lambda _c, _cur, st, params, _x, _m: sent.append((st, params))  # noqa: E731
        event.listen(engine, "before_cursor_execute", record)
        try:
            changed_since(session, dt.datetime(2026, 11, 1))
        finally:
            event.remove(engine, "before_cursor_execute", record)
        statement, params = sent[-1]
        plan = " ".join(
            str(r[-1])
            for r in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)  # type: ignore[arg-type]
        )
    assert "ix_case_event_occurred" in plan, plan


def test_the_collector_pause_restores_the_collector_even_on_an_error() -> None:
    import gc

    from services.statistics.snapshot import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested (another report in the same thread): still paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        _ = 1 / 0
    assert gc.isenabled()


def test_a_report_leaves_the_collector_running(ctx: ServiceContext) -> None:
    import gc

    from services.statistics.documents import build_report
    from services.statistics.periods import month_period

    ctx.now = lambda: NOW
    build_report(ctx, month_period(2026, 10))
    assert gc.isenabled()
