"""``INDEXED BY`` for SQLite through SQLAlchemy's table hints.

SQLAlchemy's SQLite compiler drops table hints (``Select.with_hint``); this renders a hint given
for the ``sqlite`` dialect after the table name, so ``indexed_by(query, Case, "ix_…")`` emits
``FROM case_file INDEXED BY ix_…``. SQLite then uses that index or refuses the statement.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, Table
from sqlalchemy.ext.compiler import compiles

S = TypeVar("S", bound=Select[Any])


@compiles(Table, "sqlite")
def _table_with_hint(element: Table, compiler: Any, **kw: Any) -> str:
    sql: str = compiler.visit_table(element, **kw)
    hints = kw.get("fromhints")
    if kw.get("asfrom") and hints and element in hints:
        sql += " " + hints[element]
    return sql


def indexed_by(query: S, table: Any, index: str) -> S:
    """``query`` reading ``table`` through ``index`` (SQLite only; other dialects ignore it)."""
    return query.with_hint(table, f"INDEXED BY {index}", "sqlite")
