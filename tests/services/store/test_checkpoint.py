"""The WAL checkpoint off the writing thread (issue 11, registration p95): by default the commit
that takes the WAL past 1,000 pages copies it into the database file inline (100-400 ms with FULL
sync on a busy disk: the slowest registrations of the benchmark). With ``defer_checkpoints`` the
commits never do; ``Store.checkpoint`` (the desktop's background job) does it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from services.setup.township import open_store
from services.store.engine import Store


def _fill(store: Store, commits: int) -> None:
    for i in range(commits):
        with store.write() as session:
            session.execute(text("INSERT INTO filler (v) VALUES (:v)"), {"v": f"{i}" * 6000})


def _wal_frames(store: Store) -> int:
    """Frames in the WAL now, read without checkpointing anything (a FULL checkpoint is not
    asked for: PASSIVE with the WAL already copied reports its size)."""
    assert store.path is not None
    return Path(str(store.path) + "-wal").stat().st_size // 4120  # 4096-byte pages + header


def test_commits_leave_the_checkpoint_to_the_background_job(tmp_path: Path) -> None:
    store = open_store(tmp_path / "c.db")
    try:
        with store.write() as session:
            session.execute(text("CREATE TABLE filler (v TEXT)"))
        _fill(store, 400)  # ~1,200 pages: the default checkpoints inside a commit
        assert _wal_frames(store) < 1100
        store.defer_checkpoints()
        _fill(store, 800)  # ~2,400 pages more, and no commit checkpointed them
        assert _wal_frames(store) > 2000
        busy, frames, copied = store.checkpoint()
        assert busy == 0 and frames == copied > 2000
        _fill(store, 1)  # the next writer starts the WAL from its beginning
        assert store.checkpoint()[1] < 10
    finally:
        store.dispose()
