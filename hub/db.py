"""The hub's database: PostgreSQL through psycopg 3 in production, SQLite for a demo."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import (
    ColumnElement,
    Engine,
    String,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    inspect,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, sessionmaker

from hub.models import HubBase
from services.sqlcache import COMPILED_SQL, share_flush_sql

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "hub_alembic_version"  # as hub/migrations/env.py names it


def normalise_url(url: str) -> str:
    """Accept ``postgresql://``, ``postgres://``, ``sqlite:///…`` or a bare file path."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{url}"
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # One writer at a time, taken up front: the same serialisation the counter row lock
        # gives on PostgreSQL.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    # compiled SQL is shared with the process's other hub engines (services.sqlcache)
    shared = {"compiled_cache": COMPILED_SQL}
    share_flush_sql(HubBase.registry)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               execution_options=shared)  # fmt: skip
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_size=10, max_overflow=30, pool_pre_ping=True,
                         execution_options=shared)  # fmt: skip


IN_CHUNK = 500
SEP = "\x1f"  # joins keys into one text parameter; the hub never stores a control character


def one_of(session: Session, column: Any, values: Sequence[str]) -> list[ColumnElement[bool]]:
    """Conditions that together select the rows whose text ``column`` is one of ``values``.

    PostgreSQL: one ``column = ANY(:array)`` (one parameter, planned as an index probe per
    value); an ``IN (…)`` list of a thousand parameters cost the driver more to build and
    parse than the query took. Elsewhere: ``IN`` lists of at most 500 values.
    """
    if not values:
        return []
    if session.get_bind().dialect.name == "postgresql":
        if all(SEP not in v and v for v in values):
            # One text parameter split on the server: binding a thousand-element text[] cost
            # the driver more than the lookup itself.
            return [column == any_(func.string_to_array(bindparam(None, SEP.join(values)), SEP))]
        return [column == any_(bindparam(None, list(values), type_=ARRAY(String)))]
    return [column.in_(values[i : i + IN_CHUNK]) for i in range(0, len(values), IN_CHUNK)]


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@functools.cache
def head_revision() -> str | None:
    """The newest migration (read once per process: loading the scripts costs ~20 ms)."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def _at_head(engine: Engine) -> bool:
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return False
        current = conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar()
    return current is not None and current == head_revision()


def migrate(engine: Engine) -> None:
    """Apply the hub's Alembic migrations (at every start); a database already at the newest
    one is only read (the tests open a hub per test: Alembic's run cost ~30 ms each)."""
    if _at_head(engine):
        return
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class HubDB:
    """Engine and units of work of the hub."""

    def __init__(self, url: str, *, run_migrations: bool = True) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        if run_migrations:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
