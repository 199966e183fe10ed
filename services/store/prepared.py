"""Hot read statements compiled once per shape and run on the session's DBAPI connection.

A ledger page is 1–3 statements of a few hundred microseconds in SQLite, but building a
``Select``, generating its cache key, executing it through the ORM session and wrapping the
result cost several times that. :func:`run` compiles a statement the first time its *shape* (a
key the caller derives from everything that changes the SQL text) is seen, keeps the SQL text,
the parameter order and the type processors, and afterwards only binds the values and runs the
text on the connection of the session's transaction (same snapshot, same connection); through
the engine's ``exec_driver_sql`` instead when something listens to its statements (echo, events).

Every value must reach the statement as a *named* ``bindparam`` whose name is a key of
``params``; constants the statement holds itself (an ``IN`` over fixed states, say) keep the value
they were compiled with.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

MAX_SHAPES = 4096  # far more than the ledger's filter combinations; a runaway caller is cut off


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    binds: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]  # name, constant, processor
    results: tuple[tuple[int, Callable[[Any], Any]], ...]  # the columns to process, by position


_CACHE: dict[Hashable, _Compiled] = {}


def _compile(statement: ClauseElement, dialect: Any, names: set[str]) -> _Compiled:
    compiled: Any = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    constants = compiled.construct_params(_check=False)
    processors = compiled._bind_processors
    binds = tuple(
        (name, None if name in names else constants[name], processors.get(name))
        for name in compiled.positiontup
    )
    processors = (
        col[3]._cached_result_processor(dialect, None) for col in compiled._result_columns
    )
    results = tuple((i, p) for i, p in enumerate(processors) if p is not None)
    return _Compiled(str(compiled), binds, results)


def run(
    session: Session, key: Hashable, build: Callable[[], ClauseElement], params: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """The rows of the statement ``build()`` makes for shape ``key``, with ``params`` bound."""
    conn = session.connection()
    compiled = _CACHE.get(key)
    if compiled is None:
        if len(_CACHE) >= MAX_SHAPES:
            _CACHE.clear()
        compiled = _compile(build(), conn.dialect, set(params))
        _CACHE[key] = compiled
    values = []
    for name, constant, process in compiled.binds:
        value = params[name] if name in params else constant
        values.append(value if process is None else process(value))
    rows: list[tuple[Any, ...]]
    if conn._echo or conn.dispatch.before_cursor_execute or conn.dispatch.after_cursor_execute:
        # Someone watches the statements (echo, a test's plan check): send it through them.
        rows = list(conn.exec_driver_sql(compiled.sql, tuple(values)).all())
    else:
        cursor = conn.connection.cursor()
        try:
            rows = cursor.execute(compiled.sql, values).fetchall()
        finally:
            cursor.close()
    if not compiled.results:
        return rows
    out: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(row)
        for i, process in compiled.results:
            if values[i] is not None:
                values[i] = process(values[i])
        out.append(tuple(values))
    return out


def scalar(
    session: Session, key: Hashable, build: Callable[[], ClauseElement], params: dict[str, Any]
) -> Any:
    """The single value of a one-row, one-column statement (see :func:`run`)."""
    return run(session, key, build, params)[0][0]
