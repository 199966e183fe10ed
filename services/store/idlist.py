"""Many ids as one bound parameter: ``column.in_(listed(ids))`` (SQLite's ``json_each``).

A pull page names up to 2,000 cases; as ``IN (?, ?, …)`` lists they took a statement per 500
ids, each with 500 parameters for SQLAlchemy to expand and bind (costlier than running it).
One JSON array is one parameter, whatever the number of ids, and SQLite still answers
``x IN (SELECT value FROM json_each(?))`` with an index probe per id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Select, String, column, func, literal, select


def listed(ids: Iterable[str]) -> Select[str]:
    """``SELECT value FROM json_each(:ids)``: the ids as rows of one text column."""
    array = json.dumps(list(ids), ensure_ascii=False)
    return select(column("value", String)).select_from(func.json_each(literal(array, String)))
