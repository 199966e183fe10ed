"""How the ledger reads 1M cases fast: which index drives each page (台账查询计划).

Every filter the ledger offers has, for every sortable column, an index that starts with the
filter's column and continues with the sort key (migration 0009, ``ix_ledger_<dim>_<sort>``).
A page is served by walking one of them in order and checking the other filters on the way. The
driver is the candidate with the fewest rows, counted up to ``CAP`` (a bounded index range count,
well under a millisecond); a driver that does not give the sort order (a date range under another
sort, due today, a rare search term) is used only when it holds fewer than ``CAP`` rows, which are
then sorted. The choice is forced with ``INDEXED BY``: SQLite's planner does not weigh ``LIMIT``
and, from average statistics, would sort 100,000 rows of a common value to show 100.

Free text is matched over *all* matches, in SQL: a rare term (fewer than ``CAP`` hits in the
full-text index) drives the query from the index; a common one is checked row by row (``LIKE`` on
the same text the index holds) while walking the driver, which finds a page in a few thousand rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.orm import Session

from services.cases import search
from services.domain.textutil import is_pinyin_query, prefix_end
from services.domain.workflow import OPEN
from services.store import prepared
from services.store.hints import indexed_by
from services.store.models import Case, CaseParty, Person, case_search

CAP = 1000  # rows a driver may hold and still be read whole and sorted
# An unordered driver (a date range, due today) holding up to this many rows is read whole and
# sorted rather than walking an ordered index whose other filters may match almost nothing: a
# bounded read (a few ms) against a walk of unknown length (village + due today + yellow on 1M
# cases read 125,000 rows of the village for 11 matches: 449 ms).
UNORDERED_CAP = 4 * CAP
# A deadline never falls before its registration (a clock starts at acceptance, after the
# registration); a week's margin covers two PCs' clocks disagreeing.
DUE_AFTER_REGISTRATION = dt.timedelta(days=7)
OPEN_STATES = tuple(s.value for s in OPEN)
SORT_SUFFIX = {"registered_at": "reg", "due_at": "due", "code": "code"}
# The category filter takes a class ("02") or a sub-class ("0202"); the index is on the class.
CATEGORY_CLASS: ColumnElement[str] = literal_column("substr(case_file.category_code, 1, 2)")
# Filters with an index per sort column, in the order tried (the first one wins a tie).
DIMENSIONS = ("registrar", "supervision", "state", "class", "village", "colour", "level",
              "township")  # fmt: skip
# The code sort over a registration date range: one stream per month of the range, each in code
# order from ``ix_ledger_month_code`` (migration 0022), merged by SQLite (see ``month_buckets``).
MONTH_INDEX = "ix_ledger_month_code"
MONTH: ColumnElement[str] = literal_column("substr(case_file.registered_at, 1, 7)")
# A filter holding fewer cases than this is walked in code order rather than the range merged:
# the merge checks that filter on each case of the range it reads, and finds nothing to stop at
# when the filter's cases lie outside the range.
WALK_CAP = 8 * CAP
MAX_MONTHS = 240  # twenty years of streams; a longer range walks the code index as before
# The due sort over a closed registration date range: one stream per month of the range, each in
# (due_at, id) order from ``ix_ledger_month_due`` (migration 0023, cases with a deadline only).
MONTH_DUE_INDEX = "ix_ledger_month_due"


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    """What the ledger shows (台账筛选); empty fields do not filter."""

    states: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    category_code: str = ""  # class ("02") or sub-class ("0202")
    village_id: str | None = None
    handling_level: str | None = None
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None  # inclusive
    due_today: bool = False
    overdue: bool = False
    supervision_levels: tuple[str, ...] = ()
    assignee_unit_id: str | None = None
    registered_by: str | None = None
    text: str = ""
    township_id: str | None = None
    channel: str = ""  # 来源渠道 code
    closed_from: dt.date | None = None  # 办结日期 (projection ``closed_at``), inclusive
    closed_to: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Driver:
    """The index a page is read through; ``ordered`` when it yields rows in the sort order."""

    index: str
    ordered: bool
    rows: int  # rows in its range, counted up to CAP (CAP means "at least CAP")
    # MONTH_INDEX, or the due sort's cases with a deadline through MONTH_DUE_INDEX (``index`` is
    # then the driver of the cases without one): the registration months merged ('2024-01', …)
    months: tuple[str, ...] = ()


def running() -> ColumnElement[bool]:
    """An open case whose clock runs (a paused clock is neither due nor overdue)."""
    return and_(Case.state.in_(OPEN_STATES), Case.clock_paused.is_(False))


def day_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(now.date(), dt.time())
    return start, start + dt.timedelta(days=1)


# --- the filter's values and its SQL terms ---------------------------------------------------
# ``filter_params`` turns a filter into named values (plain Python, cheap); the terms are built
# from the names present, each value a named parameter. The names (and the category class, a
# literal) are the *shape* of the SQL: pages of the same shape reuse one compiled statement
# (services.store.prepared), and only the values change.

# Single-valued filters with their own indexes: dimension (the parameter's name) -> column.
_DIMENSION_COLUMNS: dict[str, Any] = {
    "registrar": Case.registered_by,
    "supervision": Case.supervision_level,
    "state": Case.state,
    "village": Case.village_id,
    "colour": Case.risk_colour,
    "level": Case.handling_level,
    "township": Case.township_id,
}
_MULTI: tuple[tuple[str, Any], ...] = (
    ("state", Case.state),
    ("colour", Case.risk_colour),
    ("supervision", Case.supervision_level),
)
_EQUAL: tuple[tuple[str, Any], ...] = (
    ("category", Case.category_code),
    ("assignee", Case.assignee_unit_id),
    ("channel", Case.channel),
)


def filter_params(filt: LedgerFilter, now: dt.datetime) -> dict[str, Any]:
    """Every value of ``filt`` (but the text) by parameter name, in term order."""
    p = _value_params(filt)
    if filt.registered_from:
        p["reg_from"] = dt.datetime.combine(filt.registered_from, dt.time())
    if filt.registered_to:
        p["reg_to"] = dt.datetime.combine(filt.registered_to + dt.timedelta(days=1), dt.time())
    if filt.closed_from:
        p["closed_from"] = dt.datetime.combine(filt.closed_from, dt.time())
    if filt.closed_to:
        p["closed_to"] = dt.datetime.combine(filt.closed_to + dt.timedelta(days=1), dt.time())
    if filt.due_today:
        p["today_start"], p["today_end"] = day_bounds(now)
    if filt.overdue:
        p["now"] = now
    return p


def _value_params(filt: LedgerFilter) -> dict[str, Any]:
    """The equality and membership filters' values."""
    single = {
        "registrar": filt.registered_by or None,
        "supervision": filt.supervision_levels[0] if len(filt.supervision_levels) == 1 else None,
        "state": filt.states[0] if len(filt.states) == 1 else None,
        "class": filt.category_code[:2] or None,
        "village": filt.village_id or None,
        "colour": filt.colours[0] if len(filt.colours) == 1 else None,
        "level": filt.handling_level or None,
        "township": filt.township_id or None,
    }
    p: dict[str, Any] = {dim: single[dim] for dim in DIMENSIONS if single[dim] is not None}
    for name, values in (("state", filt.states), ("colour", filt.colours),
                         ("supervision", filt.supervision_levels)):  # fmt: skip
        if len(values) > 1:
            p.update({f"{name}_in_{i}": v for i, v in enumerate(values)})
    equal = (("category", filt.category_code if len(filt.category_code) > 2 else ""),
             ("assignee", filt.assignee_unit_id), ("channel", filt.channel))  # fmt: skip
    p.update({name: value for name, value in equal if value})
    return p


def shape(p: dict[str, Any]) -> tuple[str, ...]:
    """What of ``p`` changes the SQL text: the names, and the category class (a literal)."""
    return tuple(f"class={p[k]}" if k == "class" else k for k in p)


class Binder:
    """Named parameters for the terms: ``named`` for a compiled shape (the values are passed at
    each run), otherwise unique ones carrying their values (terms mixed into other queries)."""

    def __init__(self, p: dict[str, Any], *, named: bool) -> None:
        self.p = p
        self.named = named

    def __call__(self, name: str, col: Any) -> Any:
        """A parameter for ``p[name]``, typed as the column ``col`` (or the type ``col``)."""
        type_ = getattr(col, "type", col)
        return bindparam(name, self.p[name], type_=type_, unique=not self.named)


def dimension_terms(p: dict[str, Any], bind: Binder) -> dict[str, ColumnElement[bool]]:
    """The single-valued filters that have their own indexes, by dimension."""
    terms: dict[str, ColumnElement[bool]] = {}
    for dim in DIMENSIONS:
        if dim not in p:
            continue
        if dim == "class":
            terms[dim] = CATEGORY_CLASS == literal_column(_quote(p[dim]))
        else:
            col = _DIMENSION_COLUMNS[dim]
            terms[dim] = col == bind(dim, col)
    return terms


def registered_bounds(p: dict[str, Any], bind: Binder) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if "reg_from" in p:
        c.append(Case.registered_at >= bind("reg_from", Case.registered_at))
    if "reg_to" in p:
        c.append(Case.registered_at < bind("reg_to", Case.registered_at))
    return c


def due_today_bounds(p: dict[str, Any], bind: Binder) -> list[ColumnElement[bool]]:
    return [Case.due_at >= bind("today_start", Case.due_at),
            Case.due_at < bind("today_end", Case.due_at)]  # fmt: skip


def filter_terms(p: dict[str, Any], bind: Binder) -> list[ColumnElement[bool]]:
    """Every filter but the text, as SQL (the driver's own term is among them)."""
    c: list[ColumnElement[bool]] = list(dimension_terms(p, bind).values())
    for name, col in _MULTI:
        names = [k for k in p if k.startswith(f"{name}_in_")]
        if names:
            c.append(col.in_([bind(k, col) for k in names]))
    for name, col in _EQUAL:
        if name == "category" and name in p:
            # The sub-class as a closed range, not ``=``: SQLite propagates ``col = ?`` into the
            # class term (``substr(?, 1, 2) = '02'``), which then no longer matches the class
            # indexes, and every page scanned and sorted the whole table (536 ms on 100k cases).
            value = bind(name, col)
            c.extend((col >= value, col <= value))
        elif name in p:
            c.append(col == bind(name, col))
    c.extend(registered_bounds(p, bind))
    if "closed_from" in p:
        c.append(Case.closed_at >= bind("closed_from", Case.closed_at))
    if "closed_to" in p:
        c.append(Case.closed_at < bind("closed_to", Case.closed_at))
    # Due today and overdue. A paused clock (计时暂停) is neither, as in scan_overdue: its stored
    # due_at is only where the deadline stood when the clock stopped.
    if "today_start" in p:
        c.extend((running(), *due_today_bounds(p, bind)))
    if "now" in p:
        c.extend((running(), Case.due_at < bind("now", Case.due_at)))
    return c


def _quote(value: str) -> str:
    # The class term must stay a literal (an expression index matches literals, not parameters);
    # category codes are digits, anything else becomes a literal that matches nothing.
    return f"'{value}'" if value.isascii() and value.isdigit() else "'-'"


def due_floor(filt: LedgerFilter) -> dt.datetime | None:
    """The earliest deadline a case in the registration date range can have: implied by the
    range (a deadline comes after its registration), so a bound that only lets the walk of
    ``ix_ledger_due`` start where the range's deadlines begin."""
    if not filt.registered_from:
        return None
    return dt.datetime.combine(filt.registered_from, dt.time()) - DUE_AFTER_REGISTRATION


def due_ceiling(session: Session, p: dict[str, Any]) -> dt.datetime | None:
    """The latest deadline in a closed registration date range, read from the covering
    ``ix_ledger_open_reg`` (only cases with a deadline): where the descending walk of
    ``ix_ledger_due`` starts, instead of skipping every later case's deadline."""
    if "reg_to" not in p:
        return None
    bounds: dict[str, Any] = {k: p[k] for k in ("reg_from", "reg_to") if k in p}

    def build() -> Any:
        terms = registered_bounds(bounds, Binder(bounds, named=True))
        query = select(func.max(Case.due_at)).where(*terms, Case.due_at.is_not(None))
        return indexed_by(query, Case, "ix_ledger_open_reg")

    value = prepared.scalar(session, ("due_ceiling", *bounds), build, bounds)
    return value if isinstance(value, dt.datetime) else None


_Terms = Callable[[dict[str, Any], Binder], list[ColumnElement[bool]]]


def capped_count(session: Session, index: str, p: dict[str, Any], terms: _Terms,
                 cap: int = CAP) -> int:  # fmt: skip
    """Rows of ``index``'s range under ``terms(p)``, counted up to ``cap``."""
    params = {**p, "cap": cap}

    def build() -> Any:
        bind = Binder(params, named=True)
        query: Select[Any] = (
            select(literal_column("1")).select_from(Case).where(*terms(p, bind))
            .limit(bindparam("cap", type_=Integer))
        )  # fmt: skip
        inner = indexed_by(query, Case, index).subquery()
        return select(func.count()).select_from(inner)

    key = ("capped_count", index, getattr(terms, "__name__", repr(terms)), *shape(p))
    return int(prepared.scalar(session, key, build, params))


def _one(name: str) -> _Terms:
    def terms(p: dict[str, Any], bind: Binder) -> list[ColumnElement[bool]]:
        return [dimension_terms(p, bind)[name]]

    terms.__name__ = f"dimension_{name}"
    return terms


def _overdue(p: dict[str, Any], bind: Binder) -> list[ColumnElement[bool]]:
    return [Case.due_at < bind("now", Case.due_at)]


def _floor(p: dict[str, Any], bind: Binder) -> list[ColumnElement[bool]]:
    return [Case.due_at >= bind("floor", Case.due_at)]


_DIMENSION_TERMS = {dim: _one(dim) for dim in DIMENSIONS}


_Option = tuple[str, bool, dict[str, Any], "_Terms"]  # index, ordered, its values, its terms


def _options(filt: LedgerFilter, sort: str, p: dict[str, Any]) -> list[_Option]:
    """The indexes that could drive a page of ``filt`` under ``sort``, in the order tried."""
    suffix = SORT_SUFFIX[sort]
    options: list[_Option] = []
    for dim in DIMENSIONS:
        if dim in p:
            options.append((f"ix_ledger_{dim}_{suffix}", True, {dim: p[dim]},
                            _DIMENSION_TERMS[dim]))  # fmt: skip
    if "now" in p:
        index = "ix_ledger_due" if sort == "due_at" else f"ix_ledger_open_{suffix}"
        options.append((index, True, {"now": p["now"]}, _overdue))
    if "today_start" in p:
        today = {k: p[k] for k in ("today_start", "today_end")}
        options.append(("ix_ledger_due", sort == "due_at", today, due_today_bounds))
    bounds: dict[str, Any] = {k: p[k] for k in ("reg_from", "reg_to") if k in p}
    if bounds:
        options.append(("ix_ledger_reg", sort == "registered_at", bounds, registered_bounds))
    floor = due_floor(filt)
    if sort == "due_at" and floor is not None:
        options.append(("ix_ledger_due", True, {"floor": floor}, _floor))
    return options


def choose_driver(session: Session, filt: LedgerFilter, sort: str, now: dt.datetime,
                  p: dict[str, Any] | None = None) -> Driver:  # fmt: skip
    """The index with the fewest rows under the filter (see the module docstring)."""
    p = filter_params(filt, now) if p is None else p
    best = Driver(f"ix_ledger_{SORT_SUFFIX[sort]}", True, CAP + 1)  # any filter beats them all
    small: Driver | None = None  # the smallest unordered range that can be read whole
    for index, ordered, values, terms in _options(filt, sort, p):
        rows = capped_count(session, index, values, terms, CAP if ordered else UNORDERED_CAP)
        if not ordered and rows < UNORDERED_CAP and (small is None or rows < small.rows):
            small = Driver(index, False, rows)
        if (ordered and rows < CAP) or rows < best.rows or (ordered and not best.ordered):
            best = Driver(index, ordered, min(rows, CAP))
        if rows == 0:
            break
    if small is not None and not (best.ordered and best.rows < CAP):
        return small  # bounded, rather than an ordered walk that may find almost nothing
    if (
        sort == "code"
        and ("reg_from" in p or "reg_to" in p)
        and not (best.ordered and best.rows < CAP)
    ):
        return _code_over_range(session, filt, p, best)
    if sort == "due_at" and _due_over_range(p, best):
        months = month_buckets(session, p)
        if months:
            return Driver(best.index, best.ordered, best.rows, months)
    return best


def _due_over_range(p: dict[str, Any], best: Driver) -> bool:
    """The due sort over a closed date range merges the range's months (``MONTH_DUE_INDEX``)
    when nothing better drives it: the walk of ``ix_ledger_due`` bounded by the range's implied
    deadlines (``due_floor``, ``due_ceiling``) would otherwise skip every other registration's
    deadline between them (2024H1 descending: 12.3 ms on 1M cases). A filter with its own
    index, overdue or due today keep their plans."""
    return (
        "reg_from" in p
        and "reg_to" in p
        and "now" not in p
        and "today_start" not in p
        and best.index == "ix_ledger_due"
        and not (best.ordered and best.rows < CAP)
    )


def _code_over_range(session: Session, filt: LedgerFilter, p: dict[str, Any],
                     best: Driver) -> Driver:  # fmt: skip
    """The code sort over a date range with no small filter: walk a filter's code index when it
    holds fewer than ``WALK_CAP`` cases (a bounded walk: 待签收 + a range none of its cases fall
    in read every case of the range through the month merge, 1.1-1.7 s on 1M cases), otherwise
    merge the range's months (``month_buckets``)."""
    walk: Driver | None = None
    for index, ordered, values, terms in _options(filt, "code", p):
        if not ordered or index == "ix_ledger_open_code":
            continue
        rows = capped_count(session, index, values, terms, WALK_CAP)
        if rows < WALK_CAP and (walk is None or rows < walk.rows):
            walk = Driver(index, True, rows)
    if walk is not None:
        return walk
    months = month_buckets(session, p)
    return best if months is None else Driver(MONTH_INDEX, True, CAP, months)


def month_buckets(session: Session, p: dict[str, Any]) -> tuple[str, ...] | None:
    """The registration months ('YYYY-MM') the date range of ``p`` touches, an open end taken
    from the first or last registration; None when more than ``MAX_MONTHS``.

    Codes follow registration time, so walking the code index for a range skips every case
    registered after it (or before); per month, ``MONTH_INDEX`` lists that month's cases in code
    order, and a compound ``SELECT … UNION ALL … ORDER BY code LIMIT n`` over the months is a
    lazy merge in SQLite: it reads about ``n`` entries plus one per month, whatever the range's
    size (the partial first and last months are checked on the index's own ``registered_at``).
    """
    lo, hi = p.get("reg_from"), p.get("reg_to")
    if lo is None or hi is None:
        first, last = _registration_span(session)
        if first is None or last is None:
            return ()
        lo = lo if lo is not None else first
        hi = hi if hi is not None else last + dt.timedelta(microseconds=1)
    last_day = hi - dt.timedelta(microseconds=1)
    if last_day < lo:
        return ()
    y, m = lo.year, lo.month
    end = (last_day.year, last_day.month)
    out: list[str] = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        if len(out) > MAX_MONTHS:
            return None
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(out)


def _registration_span(session: Session) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The first and the last registration (the two ends of ``ix_ledger_reg``)."""

    def build(fn: Any) -> Any:
        return lambda: indexed_by(select(fn(Case.registered_at)), Case, "ix_ledger_reg")

    first = prepared.scalar(session, ("registration_span", "min"), build(func.min), {})
    last = prepared.scalar(session, ("registration_span", "max"), build(func.max), {})
    return (first if isinstance(first, dt.datetime) else None,
            last if isinstance(last, dt.datetime) else None)  # fmt: skip


# --- free text -----------------------------------------------------------------------------


# The primary key's index of case_file (``id``): a rare search term drives the page through it,
# the few matching ids looked up one by one, then filtered and sorted. Left to itself, SQLite
# walked a sort index checking every case against the id list ('wjg' under the due sort: the
# cases without a deadline, 60-95 ms on 100k cases).
ID_INDEX = "sqlite_autoindex_case_file_1"


@dataclass(frozen=True, slots=True)
class TextMatch:
    """The SQL condition for the ledger's search box, and whether it should drive the query."""

    rare: bool  # fewer than CAP matches: read them through the full-text index
    params: dict[str, Any]  # its values by name, for ``text_condition`` with a named Binder
    shape: tuple[Any, ...]  # what of the search changes the SQL text (a prepared.run key part)

    @property
    def condition(self) -> ColumnElement[bool]:
        """The condition carrying its values (for other queries to combine; a page compiles
        ``text_condition`` once per shape instead)."""
        return text_condition(self.shape, Binder(self.params, named=False))


def text_match(session: Session, query: str) -> TextMatch | None:
    """Cases whose code, title, summary, place or parties' names contain every term; a query of
    plain letters also matches parties whose pinyin or initials start with it."""
    terms = search.terms_of(query)
    if not terms:
        return None
    letters = query.strip().lower()
    pinyin = is_pinyin_query(letters)
    fts = search.fts_source(terms)
    text_rare = fts is not None and _fts_count(session, fts) < CAP
    people_rare = not pinyin or _pinyin_people_count(session, letters) < CAP
    rare = fts is not None and text_rare and people_rare
    params: dict[str, Any] = {f"like_{i}": search.like_pattern(t) for i, t in enumerate(terms)}
    source = ""
    if rare and fts is not None:
        source, params["ftsq"] = fts
    if pinyin:
        params.update(py_lo=letters, py_hi=prefix_end(letters))
    shape = ("text", rare, source, len(terms), pinyin)
    return TextMatch(rare, params, shape)


def text_condition(shape: tuple[Any, ...], bind: Binder) -> ColumnElement[bool]:
    """The search box's condition of ``shape`` (``TextMatch.shape``), its values bound by name:
    ``like_0``… (one pattern a term), ``ftsq`` (the MATCH string of a rare search), ``py_lo`` and
    ``py_hi`` (the pinyin prefix range of a query of plain letters)."""
    _, rare, source, n_terms, pinyin = shape
    likes = [bind(f"like_{i}", String()) for i in range(n_terms)]
    if rare:
        match = text(f"SELECT rowid FROM {source} WHERE {source} MATCH :ftsq").bindparams(
            bind("ftsq", String())
        )
        rowids = match.columns(column("rowid", Integer)).subquery()
        found: Any = select(case_search.c.case_id).where(
            case_search.c.rowid.in_(select(rowids.c.rowid)),
            *(_like_check(like, case_search.c) for like in likes),
        )
        if pinyin:  # one id list, not ``id IN (…) OR id IN (…)``: the page reads it by id
            found = union(found, _pinyin_cases(bind))
        return Case.id.in_(found)
    text_rows = case_search.alias("text_rows")  # its own name: the page also joins case_search
    every = exists().where(
        text_rows.c.case_id == Case.id, *(_like_check(like, text_rows.c) for like in likes)
    )
    condition: ColumnElement[bool] = every
    if pinyin:
        condition = or_(every, _pinyin_check(bind))
    return condition


def _fts_count(session: Session, fts: tuple[str, str]) -> int:
    source, match = fts
    sql = f"SELECT count(*) FROM (SELECT rowid FROM {source} WHERE {source} MATCH :m LIMIT :cap)"
    build = lambda: text(sql).bindparams(bindparam("m"), bindparam("cap"))  # noqa: E731
    return int(prepared.scalar(session, ("fts_count", source), build, {"m": match, "cap": CAP}))


def _pinyin_people(bind: Binder) -> ColumnElement[bool]:
    lo, hi = bind("py_lo", String()), bind("py_hi", String())
    return or_(
        and_(Person.name_initials >= lo, Person.name_initials < hi),
        and_(Person.name_pinyin >= lo, Person.name_pinyin < hi),
    )


def _pinyin_people_count(session: Session, letters: str) -> int:
    """People whose initials or full pinyin start with ``letters``, counted up to CAP.

    The two ranges are read as rowids from their indexes and joined by ``UNION``: with ``OR``
    SQLite reads every matching person's row (for ``person.id``) before the limit applies."""

    def build() -> Any:
        lo, hi = bindparam("lo", type_=String()), bindparam("hi", type_=String())
        rowid: ColumnElement[int] = literal_column("person.rowid")
        people = union(
            select(rowid).where(Person.name_initials >= lo, Person.name_initials < hi),
            select(rowid).where(Person.name_pinyin >= lo, Person.name_pinyin < hi),
        ).limit(bindparam("cap", type_=Integer))
        return select(func.count()).select_from(people.subquery())

    params = {"lo": letters, "hi": prefix_end(letters), "cap": CAP}
    return int(prepared.scalar(session, ("pinyin_people_count",), build, params))


def _pinyin_cases(bind: Binder) -> Select[Any]:
    people = select(Person.id).where(_pinyin_people(bind))
    return select(CaseParty.case_id).where(CaseParty.person_id.in_(people.scalar_subquery()))


def _like_check(pattern: Any, cols: Any) -> ColumnElement[bool]:
    return or_(cols.names.like(pattern, escape="\\"), cols.body.like(pattern, escape="\\"))


def _pinyin_check(bind: Binder) -> ColumnElement[bool]:
    person = and_(Person.id == CaseParty.person_id, _pinyin_people(bind))
    return exists().where(CaseParty.case_id == Case.id, person)
