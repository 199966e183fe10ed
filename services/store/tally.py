"""Daily tallies of the live cases (案件日计数), kept by SQLite triggers on ``case_file``.

The 统计 screen breaks the cases registered in a window of up to 365 days down by class, village,
channel, handling unit and colour, and counts them per day. Counted row by row, 365 days of 1M
cases meant reading about 330,000 rows per refresh. ``case_tally`` holds, per registration day
and township, how many live (not voided) cases have each value of each dimension; a refresh sums
a few hundred rows per day instead.

The triggers below keep it exact for every write to ``case_file`` (registration, workflow, sync
pull, repair), in the writer's own transaction: an insert adds one to the new row's key of each
dimension, a delete takes one away, an update that changes any counted column does both. Rows
whose count falls to 0 stay (sums ignore them). ``rebuild`` recomputes the table from the cases
(used by migration 0019 and by bulk loads that drop the triggers).

``dimension`` keys (NULL columns are stored as ''):

* ``all``: '' (the day's count);
* ``class``: the GB/T 31000 class (first two digits of ``category_code``);
* ``village``, ``channel``, ``unit`` (``assignee_unit_id``), ``colour`` (``risk_colour``);
* ``state``: ``<state>|<1 if closed_at is set else 0>`` (the rates' 受理 and 办结 counts);
* ``closed``: '', with ``day`` the day the case was closed ('' while open): the 办结 series.
"""

from __future__ import annotations

from services.store.models import case_tally

TABLE = "case_tally"
TRIGGER_PREFIX = "case_tally_"

# dimension -> SQL of its key over a row alias (NEW / OLD / case_file)
DIMENSIONS: dict[str, str] = {
    "all": "''",
    "class": "coalesce(substr({r}.category_code, 1, 2), '')",
    "village": "coalesce({r}.village_id, '')",
    "channel": "coalesce({r}.channel, '')",
    "unit": "coalesce({r}.assignee_unit_id, '')",
    "colour": "coalesce({r}.risk_colour, '')",
    "state": "{r}.state || '|' || ({r}.closed_at IS NOT NULL)",
    "closed": "''",
}
# dimension -> SQL of its day, where not the registration day: 'closed' counts the live cases
# by the day they were closed (办结); cases not closed count under day '' (never in a span)
DAYS: dict[str, str] = {"closed": "coalesce(date({r}.closed_at), '')"}


def day_sql(dimension: str, r: str) -> str:
    """The SQL of ``dimension``'s day over the row alias ``r``."""
    return DAYS.get(dimension, "date({r}.registered_at)").format(r=r)


# the columns the keys read: an update that changes none of them leaves the tally alone
COUNTED_COLUMNS = (
    "registered_at",
    "township_id",
    "category_code",
    "village_id",
    "channel",
    "assignee_unit_id",
    "risk_colour",
    "state",
    "closed_at",
)


def _live(r: str) -> str:
    return f"{r}.state != 'voided'"


def _add(r: str) -> str:
    values = ",\n    ".join(
        f"({day_sql(dim, r)}, {r}.township_id, '{dim}', {key.format(r=r)}, 1)"
        for dim, key in DIMENSIONS.items()
    )
    return (
        f"INSERT INTO {TABLE} (day, township_id, dimension, key, n) VALUES\n    {values}\n"
        "  ON CONFLICT (day, township_id, dimension, key) DO UPDATE SET n = n + 1;"
    )


def _remove(r: str) -> str:
    return "\n  ".join(
        f"UPDATE {TABLE} SET n = n - 1 WHERE day = {day_sql(dim, r)} "
        f"AND township_id = {r}.township_id AND dimension = '{dim}' AND key = {key.format(r=r)};"
        for dim, key in DIMENSIONS.items()
    )


def _changed() -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COUNTED_COLUMNS)


def trigger_ddl() -> list[str]:
    """CREATE TRIGGER statements that keep ``case_tally`` (insert, delete, update)."""
    cols = ", ".join(COUNTED_COLUMNS)
    return [
        f"CREATE TRIGGER {TRIGGER_PREFIX}insert AFTER INSERT ON case_file "
        f"WHEN {_live('NEW')} BEGIN\n  {_add('NEW')}\nEND",
        f"CREATE TRIGGER {TRIGGER_PREFIX}delete AFTER DELETE ON case_file "
        f"WHEN {_live('OLD')} BEGIN\n  {_remove('OLD')}\nEND",
        f"CREATE TRIGGER {TRIGGER_PREFIX}update_old AFTER UPDATE OF {cols} ON case_file "
        f"WHEN {_live('OLD')} AND ({_changed()}) BEGIN\n  {_remove('OLD')}\nEND",
        f"CREATE TRIGGER {TRIGGER_PREFIX}update_new AFTER UPDATE OF {cols} ON case_file "
        f"WHEN {_live('NEW')} AND ({_changed()}) BEGIN\n  {_add('NEW')}\nEND",
    ]


__all__ = ["add_cases_sql", "case_tally", "day_sql", "rebuild_sql", "trigger_ddl"]


def rebuild_sql() -> list[str]:
    """Statements that empty ``case_tally`` and count it again from every case (one read each)."""
    out = [f"DELETE FROM {TABLE}"]
    for dim, key in DIMENSIONS.items():
        k = key.format(r="case_file")
        out.append(
            f"INSERT INTO {TABLE} (day, township_id, dimension, key, n) "
            f"SELECT {day_sql(dim, 'case_file')}, township_id, '{dim}', {k}, count(*) "
            f"FROM case_file WHERE state != 'voided' "
            f"GROUP BY {day_sql(dim, 'case_file')}, township_id, {k}"
        )
    return out


def add_cases_sql(dimension: str) -> str:
    """Add the live cases whose ids are in the JSON array ``:ids`` to ``dimension``'s counts."""
    k = DIMENSIONS[dimension].format(r="case_file")
    return (
        f"INSERT INTO {TABLE} (day, township_id, dimension, key, n) "
        f"SELECT {day_sql(dimension, 'case_file')}, township_id, '{dimension}', {k}, count(*) "
        f"FROM case_file WHERE id IN (SELECT value FROM json_each(:ids)) AND state != 'voided' "
        f"GROUP BY {day_sql(dimension, 'case_file')}, township_id, {k} "
        f"ON CONFLICT (day, township_id, dimension, key) DO UPDATE SET n = n + excluded.n"
    )
