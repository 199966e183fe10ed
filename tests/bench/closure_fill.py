"""``closure_fact`` of a generated database, filled set-based in SQL (not close by close).

The app works out each close's fact row by row (``services.statistics.closures``: the case's
events replayed, its clocks computed): over the ~450,000 closes of the 1M-case database that took
more than 17 minutes the first time a report or the dashboard ran. The generated cases follow a
few fixed event shapes (register, accept, ... 反馈 or 调解达成, ..., close; no pause, extension,
re-grade, escalation or re-work before a close), for which the app's answer reduces to:

* the handling clock starts at the (last) acceptance before the close, under the rule that
  ``pick_rule`` gives the case's level, category and colour (no re-grade moves it);
* its deadline is ``compute_due`` of that rule from the acceptance's day (day-based units only:
  the deadline then depends on the day alone, not the hour);
* the handling was done at the latest 反馈 or 调解达成 before the close (else at the close), and
  the close is on time when that is no later than the deadline.

The rules and the calendar are the database's own (``load_rules``/``load_calendar`` as the app
reads them); the deadline of each (rule, day) is computed in Python by the app's ``compute_due``
into a small temporary table, and one ``INSERT … SELECT`` joins every close to it. ``check``
compares a sample with what the app's own row-wise path computes for the same closes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, literal_column, select

from services.domain.deadlines import MILESTONE_RESOLVE, RuleSpec, pick_rule
from services.domain.workcalendar import (
    UNIT_NATURAL_DAYS,
    UNIT_WORKING_DAYS,
    WorkCalendar,
    compute_due,
)
from services.reference.calendar import load_calendar, load_rules
from services.setup.township import make_context, open_store
from services.statistics.closures import refresh_closures
from services.store import rate_facts
from services.store.models import ClosureFact

DAY_UNITS = (UNIT_WORKING_DAYS, UNIT_NATURAL_DAYS)

# Every close without its fact, with what its fact needs; then its deadline by (rule, day).
# A case's own events are read by case id: the unary ``+`` keeps the planner off the action
# and time index, which it took while the statistics still described the empty template (each
# close then walked every earlier acceptance: 100,000 cases ran for over 10 minutes).
_FILL = """
INSERT INTO closure_fact (event_id, case_id, township_id, closed_at, closure_type, due_at, on_time)
SELECT x.id, x.case_id, x.township_id, x.closed_at, x.closure_type, d.due_at,
       d.due_at IS NULL OR coalesce(x.handled_at, x.closed_at) <= d.due_at
FROM (
    SELECT e.id, e.case_id, c.township_id, e.occurred_at AS closed_at,
           coalesce(json_extract(e.payload, '$.closure_type'), '') AS closure_type,
           c.handling_level AS level, c.category_code AS category, c.risk_colour AS colour,
           (SELECT max(a.occurred_at) FROM case_event a
             WHERE a.case_id = e.case_id AND +a.action = 'accept'
               AND +a.occurred_at <= e.occurred_at) AS started_at,
           (SELECT max(h.occurred_at) FROM case_event h
             WHERE h.case_id = e.case_id AND +h.occurred_at <= e.occurred_at
               AND (+h.action = 'feedback' OR (+h.action = 'mediation_result'
                    AND json_extract(h.payload, '$.result') = 'reached'))) AS handled_at
    FROM case_event e JOIN case_file c ON c.id = e.case_id
    WHERE e.action = 'close'
      AND NOT EXISTS (SELECT 1 FROM closure_fact f WHERE f.event_id = e.id)
) x
LEFT JOIN temp.zz_close_rule r
       ON r.level = x.level AND r.category = x.category AND r.colour = x.colour
LEFT JOIN temp.zz_close_due d ON d.rule = r.rule AND d.day = substr(x.started_at, 1, 10)
"""


def _ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy's DateTime stores it


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS zz_close_rule (level TEXT, category TEXT,"
                 " colour TEXT, rule INTEGER, PRIMARY KEY (level, category, colour))")  # fmt: skip
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS zz_close_due (rule INTEGER, day TEXT,"
                 " due_at TEXT, PRIMARY KEY (rule, day))")  # fmt: skip


def _tables(conn: sqlite3.Connection, rules: tuple[RuleSpec, ...],
            calendar: WorkCalendar) -> None:  # fmt: skip
    """The temporary rule and deadline tables the fill joins to."""
    _create(conn)
    conn.execute("DELETE FROM temp.zz_close_rule")
    conn.execute("DELETE FROM temp.zz_close_due")
    combos = conn.execute(
        "SELECT DISTINCT handling_level, category_code, risk_colour FROM case_file"
    ).fetchall()
    picked: dict[RuleSpec, int] = {}
    for level, category, colour in combos:
        rule = pick_rule(rules, level, category, colour, MILESTONE_RESOLVE)
        if rule is None:
            continue
        if rule.unit not in DAY_UNITS:
            raise ValueError(f"the set-based fill computes day-based rules only, not {rule}")
        number = picked.setdefault(rule, len(picked))
        conn.execute("INSERT INTO temp.zz_close_rule VALUES (?,?,?,?)",
                     (level, category, colour, number))  # fmt: skip
    first, last = conn.execute(
        "SELECT min(occurred_at), max(occurred_at) FROM case_event WHERE action = 'accept'"
    ).fetchone()
    if first is None:
        return
    day = dt.date.fromisoformat(first[:10])
    end = dt.date.fromisoformat(last[:10])
    rows: list[tuple[int, str, str]] = []
    while day <= end:
        start = dt.datetime.combine(day, dt.time())
        for rule, number in picked.items():
            due = compute_due(start, rule.amount, rule.unit, calendar, now=start)
            rows.append((number, day.isoformat(), _ts(due.due_at)))
        day += dt.timedelta(days=1)
    conn.executemany("INSERT INTO temp.zz_close_due VALUES (?,?,?)", rows)


def plan(conn: sqlite3.Connection) -> list[str]:
    """The fill's query plan (``EXPLAIN QUERY PLAN``)."""
    _create(conn)
    return [str(row[3]) for row in conn.execute("EXPLAIN QUERY PLAN " + _FILL)]


def fill(conn: sqlite3.Connection, rules: tuple[RuleSpec, ...], calendar: WorkCalendar) -> int:
    """Add the fact of every close that has none (in the caller's transaction; ``rate_fact``'s
    triggers dropped or not: with them each row also makes its rate fact)."""
    _tables(conn, rules, calendar)
    return int(conn.execute(_FILL).rowcount)


def rules_and_calendar(path: Path) -> tuple[tuple[RuleSpec, ...], WorkCalendar]:
    """The deadline rules and the working calendar stored in the database, as the app reads them."""
    store = open_store(path)
    try:
        with store.read() as session:
            return load_rules(session), load_calendar(session)
    finally:
        store.dispose()


def missing(conn: sqlite3.Connection) -> int:
    """Closes without their fact, from two index counts (as ``ensure_closures`` decides)."""
    closes = conn.execute("SELECT count(*) FROM case_event WHERE action = 'close'").fetchone()[0]
    known = conn.execute("SELECT count(*) FROM closure_fact").fetchone()[0]
    return max(0, int(closes) - int(known))


def fill_file(path: Path, log: Callable[[str], None] = print) -> int:
    """Fill the missing facts of a built database (a cache made before the generator filled
    them), with the rates' facts counted again once instead of by a trigger per row."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if not missing(conn):
            return 0
        rules, calendar = rules_and_calendar(path)
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            (rate_facts.TRIGGER_PREFIX + "%",),
        ).fetchall()
        for name, _ in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        added = fill(conn, rules, calendar)
        for sql in rate_facts.rebuild_sql():
            conn.execute(sql)
        for _, sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
        log(f"  closure facts filled set-based: {added:,} in {time.perf_counter() - t0:.1f}s"
            " (with the rates' facts counted again)")  # fmt: skip
        return added
    finally:
        conn.close()


def check(path: Path, sample: int = 300) -> int:
    """Compare a sample of the filled facts with the app's own row-wise answer for the same
    closes (``refresh_closures`` after deleting them, rolled back); raises on a difference."""
    store = open_store(path)
    try:
        ctx = make_context(store)
        with store.write() as session:
            count = session.scalar(select(func.count()).select_from(ClosureFact)) or 0
            if not count:
                return 0
            step = max(1, count // sample)
            chosen = select(ClosureFact).where(literal_column("rowid") % step == 0)
            picked = [_row(f) for f in session.scalars(chosen)]
            ids = [r[0] for r in picked]
            session.expunge_all()
            session.execute(delete(ClosureFact).where(ClosureFact.event_id.in_(ids)))
            redone = refresh_closures(session, ctx)
            again = {f.event_id: _row(f) for f in session.scalars(
                select(ClosureFact).where(ClosureFact.event_id.in_(ids)))}  # fmt: skip
            session.rollback()
        differ = [(r, again.get(r[0])) for r in picked if again.get(r[0]) != r]
        if differ or redone != len(picked):
            raise RuntimeError(f"closure facts differ from the app's: {differ[:3]} "
                               f"({redone} recomputed of {len(picked)})")  # fmt: skip
        return len(picked)
    finally:
        store.dispose()


def _row(f: ClosureFact) -> tuple[Any, ...]:
    return (f.event_id, f.case_id, f.township_id, f.closed_at, f.closure_type, f.due_at,
            bool(f.on_time))  # fmt: skip
