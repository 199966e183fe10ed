"""The hub databases the tests get: migrated once per process, handed out empty every time."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from tests.hub.conftest import require_postgres
from tests.hub.harness import (
    TOWNSHIP_A,
    InProcessHub,
    fresh_hub_url,
    make_pc,
    migrated_sqlite_hub,
)


def _contents(hub: InProcessHub) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every hub table (the Alembic version table too), as sorted text."""
    tables = sa.inspect(hub.db.engine).get_table_names()
    with hub.db.engine.connect() as conn:
        return {
            table: sorted(
                tuple(str(v) for v in row) for row in conn.execute(text(f'SELECT * FROM "{table}"'))
            )
            for table in tables
        }


def _use(hub: InProcessHub, tmp_path: Path) -> None:
    """What a test does to a hub: tokens, a PC's registration pushed, the clock moved."""
    pc = make_pc(tmp_path, "a1", hub.token("A1", TOWNSHIP_A).token, hub.transport)
    try:
        pc.sync.sync_now()  # the PC learns its township from the hub
        pc.register()
        assert pc.sync.sync_now().status.pending == 0
    finally:
        pc.close()


def _reused_database_starts_as_migrated(tmp_path: Path, *, postgres: bool) -> None:
    for part in ("1", "2"):
        (tmp_path / part).mkdir()
    with fresh_hub_url(tmp_path / "1", postgres=postgres) as url:
        hub = InProcessHub(url)
        migrated = _contents(hub)
        _use(hub, tmp_path / "1")
        used = _contents(hub)
        hub.close()
    changed = [t for t in migrated if migrated[t] != used[t]]
    assert {"change", "record", "counter", "device", "township"} <= set(changed), changed
    with fresh_hub_url(tmp_path / "2", postgres=postgres) as again:
        if postgres:
            assert again == url  # the same schema, emptied, not a new one
        hub = InProcessHub(again)
        try:
            assert _contents(hub) == migrated
        finally:
            hub.close()


def test_a_reused_postgres_schema_holds_only_what_the_migrations_left(tmp_path: Path) -> None:
    require_postgres()
    _reused_database_starts_as_migrated(tmp_path, postgres=True)


def test_a_copied_sqlite_hub_holds_only_what_the_migrations_left(tmp_path: Path) -> None:
    _reused_database_starts_as_migrated(tmp_path, postgres=False)


def test_two_hubs_open_at_once_never_share_a_schema(tmp_path: Path) -> None:
    require_postgres()
    with fresh_hub_url(tmp_path, postgres=True) as first:
        with fresh_hub_url(tmp_path, postgres=True) as second:
            assert first != second
            one, two = InProcessHub(first), InProcessHub(second)
            try:
                one.token("A1", TOWNSHIP_A)
                assert two.count("device") == 0 and one.count("device") == 1
            finally:
                one.close()
                two.close()


def test_hubs_opened_one_after_another_reuse_compiled_sql_and_read_their_own_rows(
    tmp_path: Path,
) -> None:
    """The second hub's statement is not compiled again (services.sqlcache), and each hub,
    PostgreSQL schema or SQLite file, still answers from its own database."""
    from hub.models import Device

    require_postgres()
    stmt = sa.select(sa.func.count()).select_from(Device).where(Device.label != sa.bindparam("x"))
    seen: list[tuple[int, object]] = []
    for i, postgres in enumerate((True, True, False, False)):
        (tmp_path / str(i)).mkdir()
        with fresh_hub_url(tmp_path / str(i), postgres=postgres) as url:
            hub = InProcessHub(url)
            try:
                for n in range(i):
                    hub.token(f"A{n}", TOWNSHIP_A)
                with hub.db.engine.connect() as conn:
                    result = conn.execute(stmt, {"x": "none"})
                    seen.append((int(result.scalar_one()), result.context.cache_hit))
            finally:
                hub.close()
    hit = sa.engine.Dialect.CACHE_HIT
    assert [n for n, _ in seen] == [0, 1, 2, 3]
    assert [c for _, c in seen][1::2] == [hit, hit], seen


def test_a_hub_database_at_the_newest_migration_is_only_read_and_one_behind_is_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from hub import db as hub_db

    path = tmp_path / "hub.db"
    url = migrated_sqlite_hub(path)
    upgrades: list[str] = []
    monkeypatch.setattr(hub_db.command, "upgrade", lambda _cfg, rev: upgrades.append(rev))
    hub_db.HubDB(url).dispose()
    assert upgrades == []
    with sqlite3.connect(path) as conn:  # one migration behind (hub0004 follows hub0005)
        conn.execute("UPDATE hub_alembic_version SET version_num = 'hub0005'")
    conn.close()
    assert hub_db.head_revision() == "hub0004"
    hub_db.HubDB(url).dispose()
    assert upgrades == ["head"]
