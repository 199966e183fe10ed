"""Apply the store's Alembic migrations (run automatically at start-up)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_REV = re.compile(r'^revision(?:: str)? = "([^"]+)"', re.M)
_DOWN = re.compile(r'^down_revision(?:: [^=]+)? = "([^"]+)"', re.M)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest revision, read from the scripts' text (importing alembic costs ~0.2 s)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if match := _REV.search(text):
            revisions.add(match.group(1))
        if match := _DOWN.search(text):
            parents.add(match.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


_template: Path | None = None


def use_template(path: Path | None) -> None:
    """Seed new, empty SQLite databases from ``path``, a database already migrated to head.

    Running every migration costs 0.2-0.5 s; copying a migrated file costs a few milliseconds.
    The test suite migrates one template per session; ``None`` turns seeding off.
    """
    global _template
    _template = path


def _seed_from_template(engine: Engine) -> bool:
    """Copy the template into the empty database behind ``engine``; False when it cannot."""
    template = _template
    if template is None or engine.dialect.name != "sqlite" or not template.exists():
        return False
    with sqlite3.connect(template) as check:
        row = check.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None or row[0] != head_revision():
        return False
    with engine.connect() as conn:
        target = conn.connection.driver_connection
        if not isinstance(target, sqlite3.Connection):
            return False
        source = sqlite3.connect(template)
        try:
            source.backup(target)
        finally:
            source.close()
    return True


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` in one transaction."""
    if revision == "head":
        current = current_revision(engine)
        if current == head_revision():
            return
        if current is None and _is_empty(engine) and _seed_from_template(engine):
            return
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not inspect(conn).get_table_names()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return None if row is None else str(row[0])


ANALYSIS_LIMIT = 1000  # rows ANALYZE samples per index: milliseconds of CPU even on 1M cases
_STATS_MIN_ROWS = 1000  # below this every plan is fast; no statistics needed


def refresh_statistics(engine: Engine) -> bool:
    """Run a sampled ``ANALYZE`` when the planner's statistics are missing or stale.

    SQLite plans from ``sqlite_stat1``; without it every index looks alike. Stale means the case
    table has grown more than twice past what the statistics describe. True when it ran.
    """
    if engine.dialect.name != "sqlite":
        return False
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM case_file").scalar()
        has_stats = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).first()
        described = None
        if has_stats:
            # The first number of an index's stat is the rows it had (partial indexes hold fewer).
            described = conn.exec_driver_sql(
                "SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'case_file'"
            ).scalar()
        rows = int(rows or 0)
        if rows < _STATS_MIN_ROWS or (described is not None and rows <= 2 * int(described)):
            return False
        conn.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return True
