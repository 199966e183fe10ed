"""Test harness: a hub (in-process or real), township and county PCs that sync with it."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import itertools
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy import func, select, text

from hub import admin
from hub.app import create_app
from hub.db import HubDB
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.hlc import HybridClock
from services.reception.registration import register_walk_in
from services.setup.township import add_org, make_context, open_store, stored_offset
from services.store import rate_facts, tally
from services.store.engine import Store
from services.store.models import Case, CaseEvent, OrgUnit, Outbox
from services.store.outbox import CLOCK_KEY
from services.sync.client import HubConfig
from services.sync.service import SyncService
from tests.hub.asgi import SyncASGITransport

TOWNSHIP_A = ("620123101000", "青山镇")
TOWNSHIP_B = ("620123102000", "柳河乡")
PG_URL = os.environ.get("ZONGZHI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_phones = itertools.count(13800000001)


def postgres_available() -> bool:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


class _MigratedSchemas:
    """Hub schemas on PostgreSQL, each migrated once per test process and handed to one user
    at a time, emptied back to what the migrations left (tables and seeded rows) before each use.

    Migrating a new schema costs ~0.3 s; emptying one costs a few milliseconds. The schema names
    carry the process id and a random part, so xdist workers and other checkouts running tests
    against the same server never share one.
    """

    def __init__(self) -> None:
        self.free: list[str] = []
        self.made: list[str] = []
        self.tables: dict[str, list[str]] = {}  # schema → its tables, children first
        self.seeded: dict[str, list[str]] = {}  # schema → the tables the migrations put rows in
        self.sequences: dict[str, list[str]] = {}  # schema → its sequences (none today)
        self._engine: sa.Engine | None = None

    @property
    def engine(self) -> sa.Engine:
        if self._engine is None:
            self._engine = sa.create_engine(PG_URL)
        return self._engine

    @staticmethod
    def url(schema: str) -> str:
        return f"{PG_URL}?options=-csearch_path%3D{schema}"

    def acquire(self) -> str:
        if not self.free:
            return self._make()
        schema = self.free.pop()
        self._reset(schema)
        return schema

    def release(self, schema: str) -> None:
        self.free.append(schema)

    def _make(self) -> str:
        schema = f"hubtest_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self.engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        self.made.append(schema)
        db = HubDB(self.url(schema))  # migrates
        db.dispose()
        meta = sa.MetaData()
        meta.reflect(self.engine, schema=schema)
        # children before parents, so plain DELETEs never trip a foreign key
        tables = [t.name for t in reversed(meta.sorted_tables)]
        seed = f"{schema}_seed"
        with self.engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{seed}"'))
            seeded = []
            for table in tables:
                if conn.execute(
                    text(f'SELECT EXISTS (SELECT 1 FROM "{schema}"."{table}")')
                ).scalar():
                    conn.execute(
                        text(f'CREATE TABLE "{seed}"."{table}" AS TABLE "{schema}"."{table}"')
                    )
                    seeded.append(table)
            sequences = list(conn.execute(
                text("SELECT sequence_name FROM information_schema.sequences"
                     " WHERE sequence_schema = :s"), {"s": schema}).scalars())  # fmt: skip
        self.made.append(seed)
        self.tables[schema], self.seeded[schema] = tables, seeded
        self.sequences[schema] = sequences
        return schema

    def _reset(self, schema: str) -> None:
        """Every table back to its rows right after migrating (the Alembic version table too).
        DELETE, not TRUNCATE: on these few small tables it takes ~10 ms where TRUNCATE takes
        ~150 ms. Waits at most 10 s for a lock: a hub process still holding rows fails the next
        test instead of hanging it."""
        with self.engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            for table in self.tables[schema]:
                conn.execute(text(f'DELETE FROM "{schema}"."{table}"'))
            for table in reversed(self.tables[schema]):
                if table in self.seeded[schema]:
                    conn.execute(text(
                        f'INSERT INTO "{schema}"."{table}" SELECT * FROM "{schema}_seed"."{table}"'
                    ))  # fmt: skip
            for sequence in self.sequences[schema]:
                conn.execute(text(f'ALTER SEQUENCE "{schema}"."{sequence}" RESTART'))

    def drop_all(self) -> None:
        if self._engine is None:
            return
        with self._engine.begin() as conn:
            for schema in reversed(self.made):
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        self.made.clear()
        self.free.clear()
        self._engine.dispose()
        self._engine = None


PG_SCHEMAS = _MigratedSchemas()
_sqlite_template: list[Path] = []


def _migrated_sqlite() -> Path:
    """A hub SQLite file migrated once per test process (kept in a temporary folder)."""
    if not _sqlite_template:
        folder = Path(tempfile.mkdtemp(prefix="zz-hub-template-"))
        db = HubDB(f"sqlite:///{folder / 'hub.db'}")
        db.dispose()  # the last connection closing folds the WAL back into the file
        _sqlite_template.append(folder / "hub.db")
    return _sqlite_template[0]


def migrated_sqlite_hub(path: Path) -> str:
    """The URL of a migrated, empty hub SQLite database at ``path`` (a copy of the template)."""
    shutil.copyfile(_migrated_sqlite(), path)
    return f"sqlite:///{path}"


def drop_hub_templates() -> None:
    """Remove this process's hub schemas and template file (at the end of a test session)."""
    PG_SCHEMAS.drop_all()
    for path in _sqlite_template:
        shutil.rmtree(path.parent, ignore_errors=True)
    _sqlite_template.clear()


atexit.register(drop_hub_templates)  # the benchmarks use these outside pytest


@contextlib.contextmanager
def fresh_hub_url(tmp_path: Path, *, postgres: bool) -> Iterator[str]:
    """A hub database URL used by one test only, already migrated and holding nothing else: a
    PostgreSQL schema emptied for it (see ``_MigratedSchemas``), or a copied SQLite file."""
    if not postgres:
        yield migrated_sqlite_hub(tmp_path / "hub.db")
        return
    schema = PG_SCHEMAS.acquire()
    try:
        yield PG_SCHEMAS.url(schema)
    finally:
        PG_SCHEMAS.release(schema)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class InProcessHub:
    """The hub's ASGI app over a database, reached through a synchronous httpx transport."""

    def __init__(self, url: str) -> None:
        self.db = HubDB(url)
        self.app = create_app(self.db)
        self.transport = SyncASGITransport(self.app)

    def token(self, label: str, township: tuple[str, str] | None = None) -> admin.IssuedToken:
        if township is None:
            return admin.issue_token(self.db, label, county=True)
        return admin.issue_token(
            self.db, label, township_code=township[0], township_name=township[1]
        )

    def client(self, token: str, device: str = "pc-test") -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"}
        if device:
            headers["X-Device-Id"] = device
        return httpx.Client(transport=self.transport, base_url="https://hub.test", headers=headers)

    def count(self, table: str) -> int:
        with self.db.engine.connect() as conn:
            return int(conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())

    def close(self) -> None:
        self.transport.shutdown()
        self.db.dispose()


@dataclass
class Pc:
    """One desktop PC: its store, service context and sync service."""

    name: str
    store: Store
    ctx: ServiceContext
    sync: SyncService
    shift_ms: list[int]  # how far this PC's clock is off (both its wall time and its HLC)

    def set_clock(self, skew: dt.timedelta, *, while_closed: bool = False) -> None:
        """Set this PC's clock wrong by ``skew`` (or right again with 0), as a user would: with
        the app running (its clock sees the jump), or ``while_closed``: the app then starts
        again with the hub offset stored at its last sync, as ``make_context`` reads it."""
        self.shift_ms[0] = int(skew.total_seconds() * 1000)
        if while_closed:
            with self.store.read() as session:
                self.ctx.clock.offset_ms = stored_offset(session, self.ctx.now())

    def register(self, summary: str = "邻里宅基地边界纠纷，要求调解", **overrides: Any) -> str:
        party = PartyInput(name="张三", phone=str(next(_phones)))
        form = WalkInInput(
            parties=(party,),
            summary=summary,
            category_code="0202",
            disposition="accepted",
            **overrides,
        )
        return register_walk_in(self.ctx, form).case_id

    def add_unit(self, name: str = "青山司法所") -> str:
        with self.store.write() as session:
            return add_org(
                session, kind="unit", name=name, parent_id=self.ctx.township_id, unit_type="司法所"
            ).id

    def case_ids(self) -> set[str]:
        with self.store.read() as session:
            return set(session.scalars(select(Case.id)))

    def event_ids(self) -> set[str]:
        with self.store.read() as session:
            return set(session.scalars(select(CaseEvent.id)))

    def cases(self) -> dict[str, tuple[str, str, int]]:
        """case id → (code, state, event count) as this PC sees it."""
        events = (
            select(CaseEvent.case_id, func.count().label("n"))
            .group_by(CaseEvent.case_id)
            .subquery()
        )
        stmt = select(Case.id, Case.code, Case.state, func.coalesce(events.c.n, 0)).outerjoin(
            events, events.c.case_id == Case.id
        )  # one query: read per test step, over a thousand cases (it was one query per case)
        with self.store.read() as session:
            return {cid: (code, state, int(n)) for cid, code, state, n in session.execute(stmt)}

    def pending(self) -> int:
        with self.store.read() as session:
            return len(session.scalars(select(Outbox.seq).where(Outbox.status == "pending")).all())

    def pending_changes(self) -> list[tuple[str, str]]:
        """(entity, payload's device_id) of each change waiting in this PC's outbox."""
        with self.store.read() as session:
            rows = session.execute(
                select(Outbox.entity, Outbox.payload).where(Outbox.status == "pending")
            ).all()
        return [
            (entity, str((payload.get("row") or payload.get("fields") or {}).get("device_id", "")))
            for entity, payload in rows
        ]

    def tally_mismatches(self) -> dict[tuple[str, ...], tuple[int, int]]:
        """Where the daily tally (case_tally) differs from a count over case_file, or the rates'
        facts and tally (rate_fact, rate_tally) from their rebuild: key -> (held, counted);
        empty when they are exact."""
        counted: dict[tuple[str, ...], int] = {}
        with self.store.read() as session:
            for dim, key in tally.DIMENSIONS.items():
                k = key.format(r="case_file")
                for day, township, value, n in session.execute(text(
                    f"SELECT {tally.day_sql(dim, 'case_file')}, township_id, {k}, count(*) "
                    f"FROM case_file WHERE state != 'voided' GROUP BY 1, 2, 3"
                )):  # fmt: skip
                    counted[(day, township, dim, value)] = n
            held: dict[tuple[str, ...], int] = {
                (day, township, dim, key): n
                for day, township, dim, key, n in session.execute(
                    text("SELECT day, township_id, dimension, key, n FROM case_tally WHERE n != 0")
                )
            }
        held.update(self._rate_rows())
        counted.update(self._rate_rows(rebuilt=True))
        return {
            k: (held.get(k, 0), counted.get(k, 0))
            for k in held.keys() | counted.keys()
            if held.get(k, 0) != counted.get(k, 0)
        }

    def _rate_rows(self, *, rebuilt: bool = False) -> dict[tuple[str, ...], int]:
        """The rates' facts (rate_fact, one each) and daily counts (rate_tally), as kept by the
        triggers or as the migration's rebuild makes them (in a transaction rolled back)."""
        out: dict[tuple[str, ...], int] = {}
        with self.store.write_engine.connect() as conn:
            tx = conn.begin()
            try:
                if rebuilt:
                    for statement in rate_facts.rebuild_sql():
                        conn.exec_driver_sql(statement)
                for row in conn.exec_driver_sql("SELECT * FROM rate_fact"):
                    out[("rate_fact", *(str(v) for v in row))] = 1
                for *key, n in conn.exec_driver_sql("SELECT * FROM rate_tally WHERE n != 0"):
                    out[("rate_tally", *(str(v) for v in key))] = int(n)
            finally:
                tx.rollback()
        return out

    def township_ids(self) -> set[str]:
        with self.store.read() as session:
            return set(session.scalars(select(OrgUnit.id).where(OrgUnit.kind == "township")))

    def close(self) -> None:
        self.sync.close()
        self.store.dispose()


def make_pc(tmp_path: Path, name: str, token: str, transport: httpx.BaseTransport, *,
            url: str = "https://hub.test", skew: dt.timedelta = dt.timedelta(0),
            config: HubConfig | None = None) -> Pc:  # fmt: skip
    """A fresh PC; ``skew`` moves both its wall clock and its HLC (a PC clock set wrong)."""
    store = open_store(tmp_path / f"{name}.db")
    ctx = make_context(store)
    shift = [int(skew.total_seconds() * 1000)]
    clock = HybridClock(ctx.device_id, wall=lambda: dt_ms() + shift[0])
    clock.offset_ms, last = ctx.clock.offset_ms, ctx.clock.last
    if last.wall_ms:
        clock.observe(last)
    ctx.clock = clock
    store.session_info[CLOCK_KEY] = clock
    ctx.now = lambda: dt.datetime.now() + dt.timedelta(milliseconds=shift[0])
    sync = SyncService(ctx, config or HubConfig(url), lambda: token, transport=transport)
    return Pc(name, store, ctx, sync, shift)


def case_row(case_id: str, township_id: str, title: str = "x", **extra: Any) -> dict[str, Any]:
    """A complete ``case_file`` row as a PC would push it (for hand-made pushes)."""
    return {"id": case_id, "code": f"T-{case_id[-12:]}", "township_id": township_id,
            "title": title, "summary": "邻里纠纷", "category_code": "0202", "channel": "walk_in",
            "registered_at": "2026-11-18T09:00:00", "state": "registered", **extra}  # fmt: skip


def dt_ms() -> int:
    return int(dt.datetime.now().timestamp() * 1000)


class FaultyTransport(httpx.BaseTransport):
    """Wraps a transport and misbehaves on purpose (a bad county link).

    ``plan`` is called with the request number and returns one of ``ok``, ``drop_before``
    (the request never arrives), ``drop_after`` (it arrives but the answer is lost),
    ``duplicate`` (it arrives twice) or ``replay`` (an earlier request arrives again first).
    """

    def __init__(self, inner: httpx.BaseTransport, plan: Callable[[int], str]) -> None:
        self.inner = inner
        self.plan = plan
        self.count = 0
        self.history: list[tuple[str, str, bytes, dict[str, str]]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        action = self.plan(self.count)
        body = request.read()
        if action == "drop_before":
            raise httpx.ConnectError("connection reset (injected)", request=request)
        if action == "replay" and self.history:
            method, url, old_body, headers = self.history[-1]
            self.inner.handle_request(
                httpx.Request(method, url, content=old_body, headers=headers)
            ).read()
        self.history.append((request.method, str(request.url), body, dict(request.headers)))
        response = self.inner.handle_request(request)
        response.read()
        if action == "duplicate":
            again = httpx.Request(
                request.method, request.url, content=body, headers=request.headers
            )
            self.inner.handle_request(again).read()
        if action == "drop_after":
            raise httpx.ReadError(
                "connection cut after the hub answered (injected)", request=request
            )
        return response
