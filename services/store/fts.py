"""Merging the full-text indexes off the writing path (issues 11 and 12: registration p95).

``case_fts`` (trigram) and ``case_fts_bigram`` are fed by triggers on ``case_search``: every
commit that registers or changes a case adds a small segment to each. By default FTS5 then
merges segments *inside that commit* (``automerge``: about 64 × levels pages of merge work every
64 pages written, and a "crisis merge" of a whole level at 16 segments): 20-200 ms that land on
an unlucky registration. Migration 0021 turns ``automerge`` off and raises ``crisismerge``
(:data:`SETTINGS`); :func:`merge_step` does the same merging in small transactions of its own,
bounded in time, from a background job (``Store.merge_search_index``: the desktop runs it every
few seconds beside the WAL checkpoint, never inside a user's write).

A process that writes without that job (a command line, a screenshot run) keeps the segment count
bounded through ``crisismerge`` and should call ``Store.merge_search_index`` when it is done.
:func:`segment_counts` reads the index's structure record to say how many segments there are.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable

INDEXES = ("case_fts", "case_fts_bigram")
# Segments on one level before FTS5 merges that level inside the writing commit whatever
# ``automerge`` says (default 16). The background job keeps every level far below it; it is the
# bound for a process that never merges (each level then holds at most this many segments).
CRISIS_MERGE = 64
# A ``merge`` command merges a level once it has this many segments (FTS5's ``usermerge``,
# 2-16, default 4). 16: merges touching the large old segments of a big index (a step then
# writes whole doclists of common terms, 10-50 ms holding the lock at 100k cases) come 16^L
# registrations apart instead of 4^L; a query probes at most ~15 segments per level.
USER_MERGE = 16
SETTINGS: tuple[tuple[str, int], ...] = (
    ("automerge", 0),
    ("crisismerge", CRISIS_MERGE),
    ("usermerge", USER_MERGE),
)
# Leaf pages (~4 KB) one merge transaction writes: ~1-3 ms, the longest a registration waits
# behind the background job for the write lock.
STEP_PAGES = 32
STRUCTURE_ROWID = 10  # FTS5_STRUCTURE_ROWID: the record listing levels and segments


def settings_sql(table: str) -> list[str]:
    """The statements that store :data:`SETTINGS` in ``table``'s config (persistent)."""
    return [f"INSERT INTO {table}({table}, rank) VALUES ('{name}', {value})"
            for name, value in SETTINGS]  # fmt: skip


def _varint(data: bytes, i: int) -> tuple[int, int]:
    """SQLite's varint at ``data[i]``: (value, next offset)."""
    value = 0
    for k in range(8):
        byte = data[i + k]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, i + k + 1
    return (value << 8) | data[i + 8], i + 9


def parse_structure(data: bytes) -> list[int]:
    """The number of segments on each level of an FTS5 structure record."""
    i = 4  # the cookie
    v2 = data[4:9] == b"\xff\x00\x00\x00\x01"  # SQLite >= 3.43 with tombstones
    if v2:
        i += 5
    levels, i = _varint(data, i)
    _total, i = _varint(data, i)
    _writes, i = _varint(data, i)
    per_segment = 8 if v2 else 3
    counts = []
    for _ in range(levels):
        _merge, i = _varint(data, i)
        n, i = _varint(data, i)
        counts.append(n)
        for _ in range(n * per_segment):
            _, i = _varint(data, i)
    return counts


def segment_counts(conn: sqlite3.Connection, table: str) -> list[int]:
    """Segments per level of ``table`` (an FTS5 table) as committed."""
    row = conn.execute(
        f"SELECT block FROM {table}_data WHERE id = ?", (STRUCTURE_ROWID,)
    ).fetchone()
    return [] if row is None or not row[0] else parse_structure(bytes(row[0]))


def needs_merge(conn: sqlite3.Connection, tables: Iterable[str] = INDEXES) -> bool:
    """True when some level of some index has :data:`USER_MERGE` segments or more."""
    return any(n >= USER_MERGE for t in tables for n in segment_counts(conn, t))


def merge_step(conn: sqlite3.Connection, *, budget_s: float = 0.05, pages: int = STEP_PAGES,
               tables: Iterable[str] = INDEXES) -> int:  # fmt: skip
    """Merge segments of the indexes in transactions of ``pages`` leaf pages each until nothing
    is left to merge or ``budget_s`` has passed; the number of transactions that did work.

    ``conn`` is a connection of its own in autocommit mode (each ``merge`` is its own
    transaction, holding the write lock a few milliseconds); call from one thread at a time.
    A merge that cannot get the write lock within the connection's timeout (writers back to
    back) ends the step quietly: merging can wait, a registration cannot.
    """
    deadline = time.perf_counter() + budget_s
    steps = 0
    for table in tables:
        while time.perf_counter() < deadline:
            before = conn.total_changes
            try:
                conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('merge', ?)", (pages,))
            except sqlite3.OperationalError as exc:
                # writers kept the lock past the connection's timeout: theirs has priority;
                # the next run of the job carries on where this one stopped
                if "locked" in str(exc) or "busy" in str(exc):
                    return steps
                raise
            # FTS5's documented signal: a merge that did work changes total_changes by 2 or more
            if conn.total_changes - before < 2:
                break
            steps += 1
    return steps
