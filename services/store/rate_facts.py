"""Each close and each evaluation, with what the dashboard's rates need (``rate_fact``, 0020).

The 统计 screen's rates count, over a window of days, each case's latest close in the window
(化解成功率, 按期办结率) and its latest evaluation in the window (满意率), leaving out voided cases.
Read from ``closure_fact`` and ``case_event`` grouped per case, 365 days of 1M cases took 1.1 s
county-wide and 1.4-2.6 s for one township (every counted case's row was read for its township
and state). ``rate_fact`` holds one row per close (from ``closure_fact``: type, on time) and per
evaluation event (from ``case_event``: the evaluation), with the case's township and whether the
case is live (not voided), and two instants that say, for ANY window, whether a later fact of the
same case and kind falls inside it:

* ``next_at``: the earliest instant among the case's later facts of the kind at or after this one;
* ``back_at``: the latest instant among its later facts before this one (a later evaluation with
  an earlier ``occurred_at``: HLC order and wall time of two PCs may disagree).

"Later" is the rates' own order: a close by (``closed_at``, event id), an evaluation by
(``hlc``, event id). A fact is its case's latest in ``[lo, hi)`` exactly when
``lo <= at < hi`` and no later fact lies in the window, that is
``(next_at IS NULL OR next_at >= hi) AND (back_at IS NULL OR back_at < lo)``. Nearly every fact
has no later one (both NULL): those, when live, are counted per (kind, day, township,
``<value>|<ok>``) in ``rate_tally``; the few others are read by range through the partial indexes
``ix_rate_fact_later`` / ``ix_rate_fact_later_township``. A window's rates are then a few hundred
tally rows plus that range (1M cases, 365 days: 2.1 s county / 7.0 s one township -> 10-12 ms).

The triggers below keep it exact for every write, in the writer's own transaction: a close fact
written or removed (``services.statistics.closures``, sync's re-derivation), an evaluation event
inserted (a registration PC, a sync pull) or re-stamped (``services.sync.clockfix``), a case
voided or restored or moved to another township. After each change of a case's facts of a kind,
``next_at``/``back_at`` of those few rows are worked out again (rate_fact's own insert/delete
triggers), and rate_fact's tally triggers move the counts. ``rebuild_sql`` recomputes both
tables from their sources (migration 0020 and bulk loads that drop the triggers).
"""

from __future__ import annotations

from services.store.models import rate_fact, rate_tally

TABLE, TALLY = "rate_fact", "rate_tally"
TRIGGER_PREFIX = "rate_fact_"
CLOSE, EVALUATE = "close", "evaluate"

# The case's township and liveness where the case row is missing (facts are never made for a
# missing case in practice): counted county-wide, in no township (as the join of old read).
_TOWNSHIP = "coalesce((SELECT c.township_id FROM case_file c WHERE c.id = {case}), '')"
_LIVE = "coalesce((SELECT c.state != 'voided' FROM case_file c WHERE c.id = {case}), 1)"
_EVALUATION = "CASE WHEN json_valid({r}.payload) THEN json_extract({r}.payload, '$.evaluation') END"


# "``l`` is a later fact of the same case and kind than the row updated" (the rates' order;
# a trigger's UPDATE takes no alias, so the row updated is named by the table's name)
_F = TABLE
_LATER = (
    f"l.case_id = {_F}.case_id AND l.kind = {_F}.kind "
    f"AND (l.ord > {_F}.ord OR (l.ord = {_F}.ord AND l.event_id > {_F}.event_id))"
)


def _order_sql(where: str) -> str:
    """UPDATE ``next_at``/``back_at`` of the facts selected by ``where``."""
    return (
        f"UPDATE {TABLE} SET "
        f"next_at = (SELECT min(l.at) FROM {TABLE} l WHERE {_LATER} AND l.at >= {_F}.at), "
        f"back_at = (SELECT max(l.at) FROM {TABLE} l WHERE {_LATER} AND l.at < {_F}.at) "
        f"WHERE {where}"
    )


def _reorder(case: str, kind: str) -> str:
    return _order_sql(f"case_id = {case} AND kind = {kind}") + ";"


def _insert_close(r: str) -> str:
    case = f"{r}.case_id"
    return (
        f"INSERT INTO {TABLE} (event_id, case_id, township_id, kind, at, ord, value, ok, live) "
        f"VALUES ({r}.event_id, {case}, {_TOWNSHIP.format(case=case)}, '{CLOSE}', "
        f"{r}.closed_at, {r}.closed_at, coalesce({r}.closure_type, ''), {r}.on_time, "
        f"{_LIVE.format(case=case)});"
    )


def _insert_evaluation(r: str) -> str:
    case = f"{r}.case_id"
    return (
        f"INSERT INTO {TABLE} (event_id, case_id, township_id, kind, at, ord, value, ok, live) "
        f"SELECT {r}.id, {case}, {_TOWNSHIP.format(case=case)}, '{EVALUATE}', "
        f"{r}.occurred_at, {r}.hlc, {_EVALUATION.format(r=r)}, NULL, {_LIVE.format(case=case)} "
        f"WHERE {r}.action = '{EVALUATE}';"
    )


def _case_state(case: str, when: str = "") -> str:
    """Set the facts of case id ``case`` to its township and liveness (a missing case: '' and
    live), where ``when`` holds."""
    return (
        f"UPDATE {TABLE} SET township_id = {_TOWNSHIP.format(case=case)}, "
        f"live = {_LIVE.format(case=case)} WHERE case_id = {case}{when};"
    )


# --- rate_tally: the facts no later fact can outrank, counted per day -------------------------


def _tallied(r: str) -> str:
    """``r`` is counted in ``rate_tally``: live and its case's last fact of its kind."""
    return f"{r}.live AND {r}.next_at IS NULL AND {r}.back_at IS NULL"


def day_sql(r: str) -> str:
    """The day of fact ``r`` (the date part of ``at``, as the window's bounds compare it)."""
    return f"substr({r}.at, 1, 10)"


def key_sql(r: str) -> str:
    """``<value>|<ok>``: the closure type or evaluation and, for a close, 1 if on time."""
    return f"coalesce({r}.value, '') || '|' || coalesce({r}.ok, '')"


_TALLY_COLUMNS = ("kind", "at", "township_id", "value", "ok", "live", "next_at", "back_at")


def _tally_add(r: str) -> str:
    return (
        f"INSERT INTO {TALLY} (kind, day, township_id, key, n) VALUES ({r}.kind, {day_sql(r)}, "
        f"{r}.township_id, {key_sql(r)}, 1) "
        "ON CONFLICT (kind, day, township_id, key) DO UPDATE SET n = n + 1;"
    )


def _tally_remove(r: str) -> str:
    return (
        f"UPDATE {TALLY} SET n = n - 1 WHERE kind = {r}.kind AND day = {day_sql(r)} "
        f"AND township_id = {r}.township_id AND key = {key_sql(r)};"
    )


def _tally_ddl() -> list[str]:
    p = TRIGGER_PREFIX
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _TALLY_COLUMNS)
    return [
        f"CREATE TRIGGER {p}tally_insert AFTER INSERT ON {TABLE} WHEN {_tallied('NEW')} "
        f"BEGIN\n  {_tally_add('NEW')}\nEND",
        f"CREATE TRIGGER {p}tally_delete AFTER DELETE ON {TABLE} WHEN {_tallied('OLD')} "
        f"BEGIN\n  {_tally_remove('OLD')}\nEND",
        f"CREATE TRIGGER {p}tally_update_old AFTER UPDATE ON {TABLE} "
        f"WHEN {_tallied('OLD')} AND ({changed}) BEGIN\n  {_tally_remove('OLD')}\nEND",
        f"CREATE TRIGGER {p}tally_update_new AFTER UPDATE ON {TABLE} "
        f"WHEN {_tallied('NEW')} AND ({changed}) BEGIN\n  {_tally_add('NEW')}\nEND",
    ]


def tally_rebuild_sql() -> list[str]:
    """Statements that count ``rate_tally`` again from ``rate_fact``."""
    return [
        f"DELETE FROM {TALLY}",
        f"INSERT INTO {TALLY} (kind, day, township_id, key, n) "
        f"SELECT kind, {day_sql(TABLE)}, township_id, {key_sql(TABLE)}, count(*) FROM {TABLE} "
        f"WHERE {_tallied(TABLE)} GROUP BY 1, 2, 3, 4",
    ]


def trigger_ddl() -> list[str]:
    """CREATE TRIGGER statements that keep ``rate_fact`` and ``rate_tally`` exact."""
    p = TRIGGER_PREFIX
    close_del = f"DELETE FROM {TABLE} WHERE event_id = OLD.event_id;"
    event_del = f"DELETE FROM {TABLE} WHERE event_id = OLD.id;"
    return [
        # closes: one per closure_fact row
        f"CREATE TRIGGER {p}close_insert AFTER INSERT ON closure_fact BEGIN\n"
        f"  {_insert_close('NEW')}\nEND",
        f"CREATE TRIGGER {p}close_delete AFTER DELETE ON closure_fact BEGIN\n  {close_del}\nEND",
        f"CREATE TRIGGER {p}close_update AFTER UPDATE ON closure_fact BEGIN\n"
        f"  {close_del}\n  {_insert_close('NEW')}\nEND",
        # evaluations: one per evaluate event (case_event is append-only but for re-stamping);
        # the ordering is done by rate_fact's own triggers below. A sync pull's bulk insert of
        # events drops the insert trigger and adds the facts set-based (add_evaluations_sql).
        f"CREATE TRIGGER {p}evaluate_insert AFTER INSERT ON case_event "
        f"WHEN NEW.action = '{EVALUATE}' BEGIN\n  {_insert_evaluation('NEW')}\nEND",
        f"CREATE TRIGGER {p}evaluate_delete AFTER DELETE ON case_event "
        f"WHEN OLD.action = '{EVALUATE}' BEGIN\n  {event_del}\nEND",
        f"CREATE TRIGGER {p}evaluate_update AFTER UPDATE ON case_event "
        f"WHEN OLD.action = '{EVALUATE}' OR NEW.action = '{EVALUATE}' BEGIN\n"
        f"  {event_del}\n  {_insert_evaluation('NEW')}\nEND",
        # a fact written or removed: next_at/back_at of its case's facts of its kind again
        # (facts change otherwise only in township and liveness, never in order)
        f"CREATE TRIGGER {p}order_insert AFTER INSERT ON {TABLE} BEGIN\n"
        f"  {_reorder('NEW.case_id', 'NEW.kind')}\nEND",
        f"CREATE TRIGGER {p}order_delete AFTER DELETE ON {TABLE} BEGIN\n"
        f"  {_reorder('OLD.case_id', 'OLD.kind')}\nEND",
        # the case's township and liveness (voided or not), copied onto its facts
        f"CREATE TRIGGER {p}case_insert AFTER INSERT ON case_file BEGIN\n"
        f"  {_case_state('NEW.id')}\nEND",
        f"CREATE TRIGGER {p}case_delete AFTER DELETE ON case_file BEGIN\n"
        f"  {_case_state('OLD.id')}\nEND",
        f"CREATE TRIGGER {p}case_update AFTER UPDATE OF id, state, township_id ON case_file "
        f"WHEN OLD.id IS NOT NEW.id OR OLD.township_id IS NOT NEW.township_id "
        f"OR (OLD.state = 'voided') IS NOT (NEW.state = 'voided') BEGIN\n"
        f"  {_case_state('OLD.id', ' AND OLD.id IS NOT NEW.id')}\n  {_case_state('NEW.id')}\nEND",
        *_tally_ddl(),
    ]


TRIGGER_NAMES = tuple(
    f"{TRIGGER_PREFIX}{name}"
    for name in (
        "close_insert",
        "close_delete",
        "close_update",
        "evaluate_insert",
        "evaluate_delete",
        "evaluate_update",
        "case_insert",
        "case_delete",
        "case_update",
        "order_insert",
        "order_delete",
        "tally_insert",
        "tally_delete",
        "tally_update_old",
        "tally_update_new",
    )
)


def rebuild_sql() -> list[str]:
    """Statements that empty ``rate_fact`` and ``rate_tally`` and fill them again from their
    sources (with the triggers dropped: a bulk load, the migration)."""
    township = "coalesce(c.township_id, '')"
    live = "coalesce(c.state != 'voided', 1)"
    cols = "event_id, case_id, township_id, kind, at, ord, value, ok, live"
    return [
        f"DELETE FROM {TABLE}",
        f"INSERT INTO {TABLE} ({cols}) "
        f"SELECT f.event_id, f.case_id, {township}, '{CLOSE}', f.closed_at, f.closed_at, "
        f"coalesce(f.closure_type, ''), f.on_time, {live} "
        f"FROM closure_fact f LEFT JOIN case_file c ON c.id = f.case_id",
        f"INSERT INTO {TABLE} ({cols}) "
        f"SELECT e.id, e.case_id, {township}, '{EVALUATE}', e.occurred_at, e.hlc, "
        f"{_EVALUATION.format(r='e')}, NULL, {live} "
        f"FROM case_event e LEFT JOIN case_file c ON c.id = e.case_id "
        f"WHERE e.action = '{EVALUATE}'",
        # only a case with two or more facts of a kind has a later one
        _order_sql(
            f"(case_id, kind) IN (SELECT case_id, kind FROM {TABLE} "
            f"GROUP BY case_id, kind HAVING count(*) > 1)"
        ),
        *tally_rebuild_sql(),
    ]


EVALUATE_INSERT_TRIGGER = f"{TRIGGER_PREFIX}evaluate_insert"


def add_evaluations_sql() -> str:
    """Add the facts of the evaluate events whose ids are in the JSON array ``:ids`` (a bulk
    insert of events with ``EVALUATE_INSERT_TRIGGER`` dropped: every event ran that trigger's
    program, and in a transaction each row then kept a statement journal, ~100 µs per event)."""
    return (
        f"INSERT INTO {TABLE} (event_id, case_id, township_id, kind, at, ord, value, ok, live) "
        f"SELECT e.id, e.case_id, coalesce(c.township_id, ''), '{EVALUATE}', e.occurred_at, "
        f"e.hlc, {_EVALUATION.format(r='e')}, NULL, coalesce(c.state != 'voided', 1) "
        f"FROM case_event e LEFT JOIN case_file c ON c.id = e.case_id "
        f"WHERE e.id IN (SELECT value FROM json_each(:ids)) AND e.action = '{EVALUATE}'"
    )


CASE_INSERT_TRIGGER = f"{TRIGGER_PREFIX}case_insert"


def cases_added_sql() -> str:
    """What ``CASE_INSERT_TRIGGER`` does for each case whose id is in the JSON array ``:ids``
    (a bulk insert of cases with it dropped): their facts take the case's township and
    liveness. Only facts that came before their case (a bulk load) have any to update."""
    case = f"{TABLE}.case_id"
    return (
        f"UPDATE {TABLE} SET township_id = {_TOWNSHIP.format(case=case)}, "
        f"live = {_LIVE.format(case=case)} WHERE case_id IN (SELECT value FROM json_each(:ids))"
    )


__all__ = [
    "CASE_INSERT_TRIGGER",
    "CLOSE",
    "EVALUATE",
    "EVALUATE_INSERT_TRIGGER",
    "add_evaluations_sql",
    "cases_added_sql",
    "day_sql",
    "key_sql",
    "rate_fact",
    "rate_tally",
    "rebuild_sql",
    "tally_rebuild_sql",
    "trigger_ddl",
]
