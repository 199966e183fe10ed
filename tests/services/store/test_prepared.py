"""services.store.prepared: one compiled text per shape, values bound at each run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, bindparam, event
from sqlalchemy import select as sa_select

from services.store import prepared
from services.store.engine import Store

META = MetaData()
THING = Table(
    "thing",
    META,
    Column("id", Integer, primary_key=True),
    Column("name", String(10)),
    Column("at", DateTime),
    Column("flag", Boolean),
)
T0 = dt.datetime(2024, 1, 2, 3, 4, 5, 678900)


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "p.db")
    META.create_all(store.write_engine)
    with store.write() as s:
        s.execute(
            THING.insert(),
            [
                {"id": i, "name": n, "at": T0 + dt.timedelta(days=i), "flag": i % 2 == 0}
                for i, n in enumerate(["a", "b", "c", "b", "x"])
            ],
        )
    return store


def _build() -> Any:
    # "name" is a named parameter; the IN list and the LIMIT are constants of the statement
    return (
        sa_select(THING.c.id, THING.c.at, THING.c.flag)
        .where(THING.c.name == bindparam("name", "b"), THING.c.id.in_([0, 1, 3, 4]))
        .where(THING.c.at >= bindparam("since", T0, type_=DateTime()))
        .order_by(THING.c.id)
        .limit(10)
    )


def test_values_change_the_text_is_compiled_once(tmp_path: Path) -> None:
    store = _store(tmp_path)
    key = ("test_prepared", object())
    builds: list[int] = []

    def build() -> Any:
        builds.append(1)
        return _build()

    with store.read() as s:
        b = prepared.run(s, key, build, {"name": "b", "since": T0})
        a = prepared.run(s, key, build, {"name": "a", "since": T0})
        late = prepared.run(s, key, build, {"name": "b", "since": T0 + dt.timedelta(days=2)})
        expected = s.execute(_build()).all()
    assert builds == [1]
    # typed like the ORM's own results: datetimes and booleans, not SQLite's strings and ints
    assert b == [(1, T0 + dt.timedelta(days=1), False), (3, T0 + dt.timedelta(days=3), False)]
    assert b == [tuple(r) for r in expected]
    assert a == [(0, T0, True)]
    assert late == [(3, T0 + dt.timedelta(days=3), False)]


def test_statement_listeners_still_see_the_statement(tmp_path: Path) -> None:
    store = _store(tmp_path)
    seen: list[str] = []

    def hook(_c: object, _cur: object, statement: str, *_a: object) -> None:
        seen.append(statement)

    event.listen(store.read_engine, "before_cursor_execute", hook)
    try:
        with store.read() as s:
            rows = prepared.run(s, ("test_prepared_hook",), _build, {"name": "x", "since": T0})
    finally:
        event.remove(store.read_engine, "before_cursor_execute", hook)
    assert rows == [(4, T0 + dt.timedelta(days=4), True)]
    assert any("FROM thing" in statement for statement in seen)


def test_the_benchmark_recorder_watches_only_while_it_records(tmp_path: Path) -> None:
    """tests/bench's Recorder: a listener left on the engine sent every compiled statement
    through the engine's event path in the timed calls (which the app does not take)."""
    from tests.bench.run import Recorder

    store = _store(tmp_path)
    rec = Recorder(store.read_engine)

    def page() -> Any:
        with store.read() as s:
            return prepared.run(s, ("test_prepared_rec",), _build, {"name": "b", "since": T0})

    calls = rec.record(page)
    assert any("FROM thing" in statement for statement, _ in calls)
    assert not store.read_engine.dispatch.before_cursor_execute
    assert page() == [(1, T0 + dt.timedelta(days=1), False), (3, T0 + dt.timedelta(days=3), False)]
    assert rec.record(page) == calls
