"""The local store: connection PRAGMAs, migrations, append-only events, outbox and durability."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from services.cases.actions import perform
from services.cases.search import search_case_ids
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import ServiceError, ValidationErrors
from services.domain.hlc import Timestamp
from services.reception.registration import register_in, register_walk_in
from services.store import sealed
from services.store.engine import BUSY_TIMEOUT_MS, Store
from services.store.migrate import alembic_config, current_revision, upgrade
from services.store.models import Base, Case, CaseEvent, Person

if TYPE_CHECKING:
    from tests.services.conftest import Orgs

REPO = Path(__file__).resolve().parents[3]
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def installed_keys() -> str:
    keys = sealed.installed()
    assert keys is not None
    return keys.to_json()


def count(store: Store, table: str) -> int:
    with store.read() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# --- PRAGMAs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("engine_name", ["write_engine", "read_engine"])
def test_fresh_connection_pragmas(
    store: Store, engine_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.store import engine as store_engine

    # The suite relaxes fsync (tests/conftest.py); the app's own setting is FULL.
    monkeypatch.setattr(store_engine, "_synchronous", store_engine.DURABLE)
    engine: sa.Engine = getattr(store, engine_name)
    engine.dispose()  # make sure the connection below is a brand-new one
    with engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert str(pragma("journal_mode")).lower() == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == BUSY_TIMEOUT_MS == 5000
        # reads keep a larger page cache: a search over 1M cases probes hundreds of scattered
        # case rows, whose index and table pages did not stay in SQLite's default 2 MB
        expected = -store_engine.READ_CACHE_KIB if engine_name == "read_engine" else -2000
        assert pragma("cache_size") == expected


def test_stores_share_compiled_sql_and_each_reads_its_own_rows(tmp_path: Path) -> None:
    """A statement compiled for one store is reused by the next store opened (tests open
    hundreds; each compiled everything again), and each store still reads its own file."""
    version = sa.table("alembic_version", sa.column("version_num"))
    stmt = select(version.c.version_num).where(version.c.version_num != sa.bindparam("not_"))
    stores = [Store(tmp_path / f"s{i}.db") for i in range(2)]
    try:
        for s in stores:
            upgrade(s.write_engine)
        with stores[0].write_engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'first'")
        seen, hits = [], []
        for s in stores:
            with s.read_engine.connect() as conn:
                result = conn.execute(stmt, {"not_": "none"})
                seen.append(result.scalars().all())
                hits.append(result.context.cache_hit)
        assert hits[1] == stores[1].read_engine.dialect.CACHE_HIT, hits
        assert seen == [["first"], [current_revision(stores[1].write_engine)]]
    finally:
        for s in stores:
            s.dispose()


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(DBAPIError, match="FOREIGN KEY"), store.write() as session:
        session.execute(
            text("INSERT INTO case_party (id, case_id, person_id, role, sort_order) "
                 "VALUES ('p1', 'no-such-case', 'no-such-person', 'applicant', 0)")
        )  # fmt: skip
    assert count(store, "case_party") == 0


def test_write_sessions_take_the_write_lock_up_front(store: Store) -> None:
    """BEGIN IMMEDIATE: an open write unit of work blocks a second writer even before writing."""
    with store.write() as session:
        session.execute(text("SELECT 1"))
        other = sa.create_engine(store.url, connect_args={"timeout": 0})
        try:
            with other.connect() as conn:
                with pytest.raises(DBAPIError, match="locked"):
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            other.dispose()


# --- migrations ------------------------------------------------------------------------------

CASE_ID = "0190c000-0000-7000-8000-000000000001"


def _seed_revision_0001(engine: sa.Engine) -> None:
    rows = [
        "INSERT INTO org_unit (id, parent_id, kind, name, code, sort_order, active) "
        "VALUES ('org-1', NULL, 'township', '青山镇', '620123101000', 0, 1)",
        "INSERT INTO person (id, name, name_pinyin, name_initials, id_type, created_at) "
        "VALUES ('person-1', '王小二', 'wangxiaoer', 'wxe', '111', '2025-03-01 09:00:00.000000')",
        "INSERT INTO case_file (id, code, township_id, title, summary, description, "
        "category_code, risk_colour, risk_basis, handling_level, channel, people_count, "
        "occurred_place, registered_at, state, supervision_level, due_provisional, "
        "clock_paused, rework_count, event_count, revision) VALUES "
        f"('{CASE_ID}', '620123101000-2025-000007', 'org-1', '果园灌溉用水纠纷', "
        "'两户因果园灌溉用水轮次发生争执', '', '0201', 'green', '', 'township', 'walk_in', 1, "
        "'东沟村', '2025-03-01 09:00:00.000000', 'accepted', 'none', 0, 0, 0, 2, 1)",
        "INSERT INTO case_party (id, case_id, person_id, role, sort_order) "
        f"VALUES ('cp-1', '{CASE_ID}', 'person-1', 'applicant', 0)",
    ]
    with engine.begin() as conn:
        for sql in rows:
            conn.exec_driver_sql(sql)


def test_upgrade_keeps_data_and_backfills_search(tmp_path: Path) -> None:
    store = Store(tmp_path / "old.db")
    try:
        upgrade(store.write_engine, "0001")
        assert current_revision(store.write_engine) == "0001"
        with store.read() as session:
            assert not sa.inspect(session.connection()).has_table("case_search")
        _seed_revision_0001(store.write_engine)

        upgrade(store.write_engine)

        assert current_revision(store.write_engine) == HEAD
        with store.read() as session:
            assert session.execute(text("SELECT name FROM org_unit")).scalar_one() == "青山镇"
            assert session.execute(text("SELECT name FROM person")).scalar_one() == "王小二"
            code = session.execute(text("SELECT code FROM case_file")).scalar_one()
            assert code == "620123101000-2025-000007"
            assert session.execute(text("SELECT person_id FROM case_party")).scalar_one() == (
                "person-1"
            )
            # 3+ characters: the FTS5 trigram index filled by the 0002 backfill
            assert search_case_ids(session, "灌溉用水") == [CASE_ID]
            assert search_case_ids(session, "王小二") == [CASE_ID]
            assert search_case_ids(session, "2025-000007") == [CASE_ID]
            # 2 characters: the base table
            assert search_case_ids(session, "果园") == [CASE_ID]
            assert search_case_ids(session, "小二") == [CASE_ID]
            # and a term that is not there finds nothing
            assert search_case_ids(session, "宅基地") == []
            assert search_case_ids(session, "鱼塘") == []
    finally:
        store.dispose()


def test_upgrade_is_idempotent(store: Store) -> None:
    upgrade(store.write_engine)
    assert current_revision(store.write_engine) == HEAD


def _not_fts(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "table" and name is not None and name.startswith("case_fts"))


def test_models_agree_with_migrations(store: Store) -> None:
    with store.write_engine.connect() as conn:
        mc = MigrationContext.configure(
            conn,
            opts={"include_object": _not_fts, "compare_type": True},
        )
        with warnings.catch_warnings():  # SQLite reflection skips expression indexes
            for name in ("ix_ledger_class", "ix_ledger_month_code", "ix_ledger_month_due"):
                warnings.filterwarnings(
                    "ignore", f"Skipped unsupported reflection of expression-based index {name}"
                )
                warnings.filterwarnings("ignore", f".*expression-based index '{name}")
            diffs = compare_metadata(mc, Base.metadata)

        # Two known artefacts of SQLite reflection on the hand-written ``case_search`` DDL of
        # 0002, checked directly below instead: the inline ``UNIQUE`` after ``VARCHAR(36)`` is
        # not parsed by SQLAlchemy, and ``INTEGER PRIMARY KEY`` (the rowid alias) reflects as
        # nullable although it can never hold NULL.
        def artefact(diff: Any) -> bool:
            if isinstance(diff, list) and len(diff) == 1:
                diff = diff[0]
            if diff[0] == "add_index" and diff[1].name.startswith(
                ("ix_ledger_class_", "ix_ledger_month_code", "ix_ledger_month_due")
            ):
                return True  # not reflected: checked below
            if diff[0] == "add_constraint":
                uq = diff[1]
                return uq.table.name == "case_search" and [c.name for c in uq.columns] == [
                    "case_id"
                ]
            return diff[0] == "modify_nullable" and diff[2:4] == ("case_search", "rowid")

        assert [d for d in diffs if not artefact(d)] == []
        class_indexes: dict[str, str] = dict(
            conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE name LIKE 'ix_ledger_class_%'"
            ).all()
        )
        assert sorted(class_indexes) == ["ix_ledger_class_code", "ix_ledger_class_due",
                                         "ix_ledger_class_reg"]  # fmt: skip
        for sql in class_indexes.values():
            assert "(substr(category_code, 1, 2), " in sql
        month = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'ix_ledger_month_code'"
        ).scalar()
        assert "(substr(registered_at, 1, 7), code, registered_at)" in str(month)
        month_due = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'ix_ledger_month_due'"
        ).scalar()
        assert (
            "(substr(registered_at, 1, 7), due_at, id, registered_at) WHERE due_at IS NOT NULL"
            in str(month_due)
        )
        indexes = conn.exec_driver_sql("PRAGMA index_list('case_search')").all()
        unique_cols = [
            [c[2] for c in conn.exec_driver_sql(f"PRAGMA index_info('{ix[1]}')").all()]
            for ix in indexes
            if ix[2] == 1
        ]
        assert ["case_id"] in unique_cols
        columns = {c[1]: c for c in conn.exec_driver_sql("PRAGMA table_info('case_search')")}
        assert columns["rowid"][2].upper() == "INTEGER" and columns["rowid"][5] == 1


def test_fts_shadow_tables_exist(store: Store) -> None:
    with store.read() as session:
        names = set(session.execute(text("SELECT name FROM sqlite_master")).scalars())
    assert {"case_search", "case_fts", "case_event_no_update", "case_event_no_delete"} <= names


# --- case_event is append-only ---------------------------------------------------------------


def test_case_event_is_append_only(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    result = register_walk_in(ctx, walk_in())
    store = ctx.store
    before = count(store, "case_event")
    assert before == 2  # register + accept
    with pytest.raises(DBAPIError, match="append-only"), store.write() as session:
        session.execute(text("UPDATE case_event SET action = 'void' WHERE case_id = :c"),
                        {"c": result.case_id})  # fmt: skip
    with pytest.raises(DBAPIError, match="append-only"), store.write() as session:
        session.execute(text("DELETE FROM case_event WHERE case_id = :c"), {"c": result.case_id})
    with store.read() as session:
        actions = session.scalars(
            select(CaseEvent.action).where(CaseEvent.case_id == result.case_id)
            .order_by(CaseEvent.seq)
        ).all()  # fmt: skip
    assert actions == ["register", "accept"]
    # inserting is still allowed: the guard is on UPDATE and DELETE only
    perform(ctx, result.case_id, "supervise", {"level": "reminder", "opinion": "请加快办理"})
    assert count(store, "case_event") == before + 1


# --- outbox ----------------------------------------------------------------------------------


def _outbox(store: Store, after_seq: int = 0) -> list[dict[str, Any]]:
    with store.read() as session:
        rows = session.execute(
            text("SELECT seq, change_id, entity, entity_id, op, hlc, payload, status "
                 "FROM outbox WHERE seq > :s ORDER BY seq"), {"s": after_seq}
        ).mappings().all()  # fmt: skip
    return [dict(r, payload=json.loads(r["payload"])) for r in rows]


def _last_seq(store: Store) -> int:
    with store.read() as session:
        return int(session.execute(text("SELECT coalesce(max(seq), 0) FROM outbox")).scalar_one())


def test_registration_writes_outbox_rows(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    start = _last_seq(ctx.store)
    form = walk_in(parties=(
        PartyInput(name="张三", phone="13812345678"),
        PartyInput(name="李四", role="respondent", is_visitor=False),
    ))  # fmt: skip
    result = register_walk_in(ctx, form)
    rows = _outbox(ctx.store, start)

    inserts = {(r["entity"], r["entity_id"]) for r in rows if r["op"] == "insert"}
    assert {e for e, _ in inserts} >= {
        "case_file", "case_event", "person", "visit", "visit_person", "case_party"
    }  # fmt: skip
    assert ("case_file", result.case_id) in inserts
    assert ("visit", result.visit_id) in inserts
    assert {("person", p) for p in result.person_ids} <= inserts
    with ctx.store.read() as session:
        event_ids = session.scalars(
            select(CaseEvent.id).where(CaseEvent.case_id == result.case_id)
        ).all()
    assert {("case_event", e) for e in event_ids} <= inserts
    assert sum(1 for e, _ in inserts if e == "case_party") == 2
    assert sum(1 for e, _ in inserts if e == "visit_person") == 1  # the respondent did not come

    case_row = next(r for r in rows if r["entity"] == "case_file" and r["op"] == "insert")
    assert case_row["payload"]["row"]["code"] == result.case_code
    assert case_row["payload"]["row"]["id"] == result.case_id

    change_ids = [r["change_id"] for r in rows]
    assert len(set(change_ids)) == len(change_ids)
    for r in rows:
        assert r["status"] == "pending"
        stamp = Timestamp.decode(r["hlc"])
        assert stamp.encode() == r["hlc"]
        assert stamp.device == ctx.device_id
        assert stamp.wall_ms > 1_600_000_000_000
    hlcs = [r["hlc"] for r in rows]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)


def test_outbox_rows_share_the_transaction(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    """A unit of work that fails after the writes leaves neither the rows nor their outbox."""
    counts = {t: count(ctx.store, t) for t in ("outbox", "case_file", "person", "visit")}

    class BoomError(Exception):
        pass

    with pytest.raises(BoomError), ctx.store.write() as session:
        register_in(session, ctx, walk_in())
        assert session.execute(text("SELECT count(*) FROM outbox")).scalar_one() > counts["outbox"]
        raise BoomError
    assert {t: count(ctx.store, t) for t in counts} == counts


def test_action_queues_its_event_not_the_derived_projection(
    ctx: ServiceContext, orgs: Orgs, walk_in: Callable[..., WalkInInput]
) -> None:
    result = register_walk_in(ctx, walk_in())
    start = _last_seq(ctx.store)
    perform(ctx, result.case_id, "assign", {"unit_id": orgs.unit_id})
    rows = _outbox(ctx.store, start)
    # state, assignee, counters… are re-derived from the event on every PC; the county hub
    # refuses updates that write them (issue 10), so only the event goes up.
    assert [r["entity"] for r in rows if r["entity"] == "case_file"] == []
    # the event, and the unit of work's audit entry (issue 11) that goes up to the hub too
    assert [r["entity"] for r in rows if r["op"] == "insert"] == ["case_event", "audit_log"]


def test_failed_registration_leaves_nothing(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    tables = ("outbox", "case_file", "case_event", "person", "visit", "visit_person",
              "case_party", "case_search", "number_block")  # fmt: skip
    counts = {t: count(ctx.store, t) for t in tables}
    bad = walk_in(visitor={"phone": "12345"}, summary="")
    with pytest.raises(ValidationErrors):
        register_walk_in(ctx, bad)
    assert {t: count(ctx.store, t) for t in tables} == counts
    # and no case number was used up
    assert register_walk_in(ctx, walk_in()).case_code.endswith("-2026-000001")


def test_deleting_a_synced_row_is_refused(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    result = register_walk_in(ctx, walk_in())
    for model, key in ((Person, result.person_ids[0]), (Case, result.case_id)):
        with pytest.raises(ServiceError) as info, ctx.store.write() as session:
            obj = session.get(model, key)
            assert obj is not None
            session.delete(obj)
            session.flush()
        assert info.value.code == "store.delete_forbidden"
        with ctx.store.read() as session:
            assert session.get(model, key) is not None


def test_synced_write_without_clock_is_refused(tmp_path: Path) -> None:
    """A session with no HLC clock cannot write a synced row (it could not be ordered)."""
    store = Store(tmp_path / "bare.db")
    try:
        upgrade(store.write_engine)
        with pytest.raises(ServiceError) as info, store.write() as session:
            session.add(Person(id="p", name="王五", created_at=dt.datetime(2026, 1, 1)))
        assert info.value.code == "store.no_clock"
        assert count(store, "person") == 0
    finally:
        store.dispose()


# --- durability ------------------------------------------------------------------------------

CHILD = """
import sys
sys.path.insert(0, {repo!r})
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import make_context
from services.store import sealed
from services.store.engine import Store

sealed.install(sealed.KeySet.from_json({keys!r}))
store = Store({path!r})
ctx = make_context(store)
form = WalkInInput(
    parties=(PartyInput(name="赵六", phone="13900001111"),),
    summary="耕地边界纠纷，请求调解", category_code="0202", disposition="accepted",
)
print("ready", flush=True)
while True:
    result = register_walk_in(ctx, form)
    print(result.case_code, flush=True)
"""


@pytest.mark.slow
def test_acknowledged_registrations_survive_sigkill(ctx: ServiceContext, db_path: Path) -> None:
    ctx.store.dispose()
    wanted = 40
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD.format(repo=str(REPO), path=str(db_path), keys=installed_keys()),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=str(REPO),
    )
    watchdog = threading.Timer(30, proc.kill)
    watchdog.start()
    acknowledged: list[str] = []
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        while len(acknowledged) < wanted:
            line = proc.stdout.readline()
            if not line:
                break
            acknowledged.append(line.strip())
        os.kill(proc.pid, signal.SIGKILL)
        rest, err = proc.communicate(timeout=10)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert len(acknowledged) >= wanted, err
    assert proc.returncode == -signal.SIGKILL
    # anything fully printed before the kill was acknowledged too
    code_re = re.compile(r"\d{12}-\d{4}-\d{6}")
    acknowledged += [line for line in rest.splitlines() if code_re.fullmatch(line)]

    conn = sa.create_engine(f"sqlite:///{db_path}")
    try:
        with conn.connect() as c:
            assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            codes = set(c.exec_driver_sql("SELECT code FROM case_file").scalars())
            assert set(acknowledged) <= codes
            # every stored case is whole: its events, visit, search row and outbox row
            broken = c.exec_driver_sql(
                "SELECT c.code FROM case_file c WHERE c.event_count != "
                "(SELECT count(*) FROM case_event e WHERE e.case_id = c.id) "
                "OR NOT EXISTS (SELECT 1 FROM visit v WHERE v.case_id = c.id) "
                "OR NOT EXISTS (SELECT 1 FROM case_search s WHERE s.case_id = c.id) "
                "OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'case_file' "
                "               AND o.entity_id = c.id AND o.op = 'insert')"
            ).all()
            assert broken == []
            numbers = sorted(int(code[-6:]) for code in codes)
            assert numbers == list(range(1, len(numbers) + 1))
    finally:
        conn.dispose()


def test_a_store_seeded_from_the_template_equals_a_migrated_one(tmp_path: Path) -> None:
    """The suite's template shortcut (migrate.use_template) gives exactly the migrated schema."""
    from services.store import migrate

    def schema(path: Path) -> list[tuple[str, str]]:
        with sqlite3.connect(path) as conn:
            rows = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        return [(str(n), str(s)) for n, s in rows]

    seeded = Store(tmp_path / "seeded.db")
    upgrade(seeded.write_engine)
    seeded.dispose()
    previous = migrate._template
    migrate.use_template(None)
    try:
        migrated = Store(tmp_path / "migrated.db")
        upgrade(migrated.write_engine)
        migrated.dispose()
    finally:
        migrate.use_template(previous)
    assert previous is not None
    assert schema(tmp_path / "seeded.db") == schema(tmp_path / "migrated.db")
    assert current_revision(Store(tmp_path / "seeded.db").write_engine) == migrate.head_revision()
