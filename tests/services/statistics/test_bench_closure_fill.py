"""The benchmark database's closure facts (tests/bench/closure_fill.py) are the app's own.

The generator fills ``closure_fact`` set-based in SQL while it builds (before, a generated
database had none, and the first report or dashboard on 1M cases spent over 17 minutes filling
them close by close); a cache built before that is filled when reused. Both must give exactly
what the app's row-wise path (``ensure_closures``) gives, with the rates' facts and tallies
that follow from them.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.setup.township import make_context, open_store
from services.statistics.closures import ensure_closures
from services.store import sealed
from tests.bench import closure_fill
from tests.bench.generate import DEFAULT_SEED, build

CASES = 3_000
TABLES = {
    "closure_fact": "SELECT * FROM closure_fact ORDER BY event_id",
    "rate_fact": "SELECT * FROM rate_fact ORDER BY event_id",
    "rate_tally": "SELECT * FROM rate_tally WHERE n != 0 ORDER BY kind, day, township_id, key",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    keys = sealed.installed()
    path = tmp_path_factory.mktemp("bench") / "generated.db"
    try:
        build(path, CASES, DEFAULT_SEED, log=lambda _line: None)
        yield path
    finally:
        sealed.install(keys)  # the build installs the bench's keys


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in TABLES.items()}
    finally:
        conn.close()


def _app_path(source: Path, target: Path) -> dict[str, list[tuple[object, ...]]]:
    """The same database with its closure facts made again by the app, close by close."""
    shutil.copy(source, target)
    conn = sqlite3.connect(target)
    with conn:
        conn.execute("DELETE FROM closure_fact")  # rate_fact's triggers remove their facts
    conn.close()
    store = open_store(target)
    try:
        assert ensure_closures(make_context(store)) > CASES // 4
    finally:
        store.dispose()
    return _tables(target)


def test_the_generator_fills_closure_facts_as_the_app_would(
    generated: Path, tmp_path: Path
) -> None:
    built = _tables(generated)
    app = _app_path(generated, tmp_path / "app.db")
    assert len(built["closure_fact"]) == len(app["closure_fact"]) > CASES // 4
    assert {r[-1] for r in app["closure_fact"]} >= {1}  # on_time answered (and compared)
    for name in TABLES:
        assert built[name] == app[name], name


def test_a_cache_without_closure_facts_is_filled_as_the_app_would(
    generated: Path, tmp_path: Path
) -> None:
    """A cache built before the generator filled them: ensure_db fills it (fill_file)."""
    stale = tmp_path / "stale.db"
    shutil.copy(generated, stale)
    conn = sqlite3.connect(stale)
    with conn:
        conn.execute("DELETE FROM closure_fact")
    conn.close()
    added = closure_fill.fill_file(stale, log=lambda _line: None)
    assert added == len(_tables(generated)["closure_fact"])
    assert closure_fill.fill_file(stale, log=lambda _line: None) == 0  # nothing missing now
    assert _tables(stale) == _app_path(generated, tmp_path / "app.db")
    assert closure_fill.check(stale) > 0


def test_the_fill_reads_each_cases_events_by_case_even_without_statistics(
    generated: Path, tmp_path: Path
) -> None:
    """While building, the planner's statistics still describe the empty template: it then
    walked the action-and-time index for each close's acceptance (every earlier acceptance of
    every case), and a 100,000-case build ran for over 10 minutes in the fill."""
    bare = tmp_path / "bare.db"
    shutil.copy(generated, bare)
    conn = sqlite3.connect(bare)
    with conn:
        conn.execute("DELETE FROM sqlite_stat1")
    conn.close()
    conn = sqlite3.connect(bare)  # statistics are read when a connection opens
    try:
        steps = closure_fill.plan(conn)
    finally:
        conn.close()
    events = [s for s in steps if s.startswith(("SEARCH a ", "SEARCH h "))]
    assert len(events) == 2 and all("(case_id=?)" in s for s in events), steps
    assert not any(s.startswith("SCAN") for s in steps), steps
