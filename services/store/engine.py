"""Engine set-up for the local SQLite store: WAL, foreign keys, busy timeout, durable commits."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from services.domain.errors import StoreBusyError
from services.sqlcache import COMPILED_SQL, share_flush_sql

BUSY_TIMEOUT_MS = 5000
MERGE_TIMEOUT_S = 0.5  # the background merge gives way to writers holding the lock this long
# ``session.info`` key of a callable run inside each write unit of work just before it commits
# (the audit log appends its entry there, in the same transaction).
BEFORE_COMMIT_KEY = "before_commit"
T = TypeVar("T")
# FULL in WAL mode: a commit that returned survives power loss, not only a crash.
DURABLE = "FULL"
# The read connections' page cache (KiB; SQLite's default is 2,000): a ledger search over 1M
# cases probes hundreds of scattered case rows (the pinyin 'wjg': 722), whose index and table
# pages fell out of 2 MB between pages and came back through a syscall each; with 32 MB that
# page's SQL went 28 -> 16 ms (raw sqlite3, alternated). SQLite fills it only as pages are read.
READ_CACHE_KIB = 32 * 1024
_synchronous = DURABLE


def set_synchronous(mode: str) -> None:
    """Choose PRAGMA synchronous for stores opened from now on (FULL unless a test says otherwise).

    The test suite uses OFF: a commit then survives the process being killed (the OS keeps the
    pages) but not a power cut, and tests make thousands of commits (15 ms each with FULL here).
    """
    global _synchronous
    if mode not in ("FULL", "NORMAL", "OFF"):
        raise ValueError(mode)
    _synchronous = mode


def _sqlite_url(path: Path | str) -> str:
    text = str(path)
    return text if "://" in text else f"sqlite:///{text}"


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling is broken).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA synchronous = {_synchronous}")
        if not immediate:
            cur.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front, so two writers queue on busy_timeout instead of
        # failing with SQLITE_BUSY when a deferred reader tries to upgrade.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_flush_shared = False


def _share_flush_sql() -> None:
    global _flush_shared
    if not _flush_shared:
        from services.store.models import Base

        share_flush_sql(Base.registry)
        _flush_shared = True


class Store:
    """The local database: a write engine (BEGIN IMMEDIATE) and a read engine (deferred BEGIN)."""

    def __init__(self, path: Path | str) -> None:
        url = _sqlite_url(path)
        self.url = url
        self.path = Path(str(path)) if "://" not in str(path) else None
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        # compiled SQL is shared with the process's other stores (services.sqlcache)
        kwargs["execution_options"] = {"compiled_cache": COMPILED_SQL}
        _share_flush_sql()
        self.write_engine = create_engine(url, **kwargs)
        self.read_engine = create_engine(url, **kwargs)
        _configure_sqlite(self.write_engine, immediate=True)
        _configure_sqlite(self.read_engine, immediate=False)
        self._write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        self.session_info: dict[str, Any] = {}
        self._checkpointer: sqlite3.Connection | None = None
        self._merger: sqlite3.Connection | None = None
        self.checkpoints_deferred = False

    def dispose(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()
        for conn in (self._checkpointer, self._merger):
            if conn is not None:
                conn.close()
        self._checkpointer = self._merger = None

    def defer_checkpoints(self) -> None:
        """Commits stop copying the WAL back into the database file (``wal_autocheckpoint = 0``
        on the write connections); the owner runs :meth:`checkpoint` off the writing thread.

        By default the commit that takes the WAL past 1,000 pages checkpoints it inline: with
        FULL sync that commit writes and fsyncs the database file, 100-400 ms on a busy disk,
        the slowest registrations of the benchmark. The desktop calls :meth:`checkpoint` every
        few seconds (``desktop.controllers.BackgroundJobs``); a store nobody checkpoints must
        keep the default, or its WAL grows without end.
        """
        if self.checkpoints_deferred:
            return
        self.checkpoints_deferred = True

        @event.listens_for(self.write_engine, "connect")
        def _no_autocheckpoint(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA wal_autocheckpoint = 0")

        self.write_engine.dispose()  # connections opened before get the pragma too

    def checkpoint(self) -> tuple[int, int, int]:
        """``PRAGMA wal_checkpoint(PASSIVE)`` on a connection of its own: copies what it can of
        the WAL into the database without waiting for (or blocking) readers and writers; the
        next write then starts the WAL from its beginning. Returns (busy, WAL frames, frames
        checkpointed). Call from one thread at a time."""
        if self.path is None:
            return (0, 0, 0)
        if self._checkpointer is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False, isolation_level=None)  # fmt: skip
            conn.execute(f"PRAGMA synchronous = {_synchronous}")
            self._checkpointer = conn
        row = self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return (int(row[0]), int(row[1]), int(row[2]))

    def merge_search_index(self, budget_s: float = 0.05) -> int:
        """Merge the full-text indexes' segments (``services.store.fts.merge_step``) on a
        connection of its own, in transactions of a few milliseconds, for at most ``budget_s``;
        the number of merge transactions that did work. Migration 0021 turned FTS5's merging
        inside the writing commit off: the desktop runs this beside :meth:`checkpoint`; a process
        that writes many cases without that job calls it when done. Call from one thread at a
        time."""
        from services.store import fts

        if self.path is None:
            return 0
        if self._merger is None:
            conn = sqlite3.connect(self.path, timeout=MERGE_TIMEOUT_S,
                                   check_same_thread=False, isolation_level=None)  # fmt: skip
            # A merge only reorganises the index: losing the last one to a power cut loses
            # nothing, so its commit does not fsync (the next durable commit syncs the WAL).
            conn.execute("PRAGMA synchronous = NORMAL" if _synchronous == "FULL"
                         else f"PRAGMA synchronous = {_synchronous}")  # fmt: skip
            self._merger = conn
        if not fts.needs_merge(self._merger):
            return 0
        return fts.merge_step(self._merger, budget_s=budget_s)

    def maintain(self) -> tuple[int, int, int]:
        """The background job of a store that :meth:`defer_checkpoints`: a bounded merge of the
        full-text indexes, then the WAL checkpoint (its result). A merge that fails (a damaged
        index, a full disk) still lets the checkpoint run, then its error is raised: the WAL
        must not grow for ever behind an index problem."""
        try:
            self.merge_search_index()
        finally:
            done = self.checkpoint()
        return done

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        session = self._write_sessions(info=dict(self.session_info))
        try:
            yield session
            hook = session.info.get(BEFORE_COMMIT_KEY)
            if hook is not None:
                session.flush()
                hook(session)
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if _is_busy(exc):
                raise StoreBusyError("store.busy", "数据库正被其他程序占用，请稍后重试") from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session over one consistent snapshot."""
        session = self._read_sessions(info=dict(self.session_info))
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def run_write(self, fn: Callable[[Session], T], *, retries: int = 3) -> T:
        """Run ``fn`` in a write unit of work, retrying when the database stays busy."""
        for attempt in range(retries):
            try:
                with self.write() as session:
                    return fn(session)
            except StoreBusyError:
                if attempt == retries - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text
