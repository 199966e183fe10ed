"""Read a SQLite file the way an outsider would (plain sqlite3, the connection closed at once: an
open one would make the restore assistant see the database as in use)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def case_codes(db: Path) -> set[str]:
    """Every case code in ``db``."""
    conn = sqlite3.connect(db)
    try:
        return {str(r[0]) for r in conn.execute("SELECT code FROM case_file")}
    finally:
        conn.close()
