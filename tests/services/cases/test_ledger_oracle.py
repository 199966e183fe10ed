"""Every filter combination under every sort lists exactly the cases a plain filter-and-sort
picks, in the same order, page after page (issue 12 item 11: correctness over speed).

The ledger reads a page through one of many plans (an index walk in the sort order, a bounded
range read whole and sorted, the per-month merge of the code sort over a date range); the oracle
here filters and sorts every case in Python. Codes are deliberately *not* in registration order
(several prefixes, shuffled numbers) so no plan may lean on that. ``CAP`` is also shrunk so the
small test database reaches the plans meant for large ranges.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from services.cases import ledger_plan
from services.cases.ledger import OPEN_STATES, LedgerCursor, LedgerFilter, ledger_page
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_in
from services.setup.township import add_user, make_context, open_store, set_up_township
from services.store.engine import Store

NOW = dt.datetime(2026, 11, 20, 10, 0)
N = 900
FIRST = dt.datetime(2023, 11, 1, 8, 0)
STATES = ("accepted", "assigned", "handling", "finished", "archived", "feedback_pending")
COLOURS = ("green", "yellow", "red")
CATEGORIES = ("0101", "0202", "0203", "0501")
LEVELS = ("village", "township", "county")
SUPERVISION = ("none", "reminder", "yellow", "red")
SORTS = ("registered_at", "due_at", "code")


@dataclass
class Db:
    store: Store
    villages: list[str]
    users: list[str]
    rows: list[dict[str, Any]]


def _ts(at: dt.datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M:%S.%f}"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Db]:
    store = open_store(tmp_path_factory.mktemp("ledger-oracle") / "oracle.db")
    ctx = make_context(store)
    ctx.now = lambda: NOW
    set_up_township(ctx, "青山镇", "620123101000")
    rng = random.Random(12)
    with store.write() as session:
        party = PartyInput(name="张三", phone="13812345678")
        form = WalkInInput(parties=(party,), summary="样板", category_code="0202",
                           disposition="accepted")  # fmt: skip
        base = register_in(session, ctx, form).case_id
        villages = list(session.execute(text(
            "SELECT id FROM org_unit ORDER BY id")).scalars())  # fmt: skip
        users = [add_user(session, username=f"u{i}", display_name=f"用户{i}", role="reception",
                          org_id=None).id for i in range(3)]  # fmt: skip
        numbers = list(range(N))
        rng.shuffle(numbers)  # codes out of registration order
        cases = []
        for i in range(N):
            # registrations over three years, denser in some months, a few at the same instant
            at = FIRST + dt.timedelta(hours=int(rng.random() ** 1.5 * 26_000))
            due = None
            if rng.random() > 0.2:
                due = at + dt.timedelta(days=rng.randrange(-5, 60), hours=rng.randrange(24))
            cases.append({
                "id": f"oracle-{i:05d}", "base": base,
                "code": f"62012310{rng.randrange(3):04d}-{at.year}-{numbers[i]:06d}",
                "at": _ts(at), "due": None if due is None else _ts(due),
                "state": rng.choice(STATES), "colour": rng.choice(COLOURS),
                "category": rng.choice(CATEGORIES), "village": rng.choice(villages),
                "level": rng.choice(LEVELS), "sup": rng.choice(SUPERVISION),
                "by": rng.choice(users), "paused": int(rng.random() < 0.1),
            })  # fmt: skip
        session.execute(text(
            "INSERT INTO case_file (id, code, township_id, village_id, grid_id, title, summary,"
            " description, category_code, risk_colour, risk_basis, handling_level, channel,"
            " people_count, occurred_place, registered_at, registered_by, state,"
            " supervision_level, due_at, remind_at, yellow_at, due_provisional, clock_paused,"
            " rework_count, event_count, revision)"
            " SELECT :id, :code, township_id, :village, NULL, title, summary, '', :category,"
            " :colour, risk_basis, :level, channel, people_count, occurred_place, :at, :by,"
            " :state, :sup, :due, NULL, NULL, 0, :paused, 0, event_count, 1"
            " FROM case_file WHERE id = :base"
        ), cases)  # fmt: skip
        rows = [dict(r._mapping) for r in session.execute(text(
            "SELECT id, code, registered_at AS at, due_at AS due, state, risk_colour AS colour,"
            " category_code AS category, village_id AS village, handling_level AS level,"
            " supervision_level AS sup, registered_by AS by, clock_paused AS paused"
            " FROM case_file"))]  # fmt: skip
    assert len(rows) == N + 1  # the registered case too
    yield Db(store, villages, users, rows)
    store.dispose()


def _matches(row: dict[str, Any], f: LedgerFilter) -> bool:
    at = dt.datetime.fromisoformat(row["at"])
    due = None if row["due"] is None else dt.datetime.fromisoformat(row["due"])
    running = row["state"] in OPEN_STATES and not row["paused"]
    day = dt.datetime.combine(NOW.date(), dt.time())
    return (
        (not f.states or row["state"] in f.states)
        and (not f.colours or row["colour"] in f.colours)
        and row["category"].startswith(f.category_code)
        and (f.village_id is None or row["village"] == f.village_id)
        and (f.handling_level is None or row["level"] == f.handling_level)
        and (not f.supervision_levels or row["sup"] in f.supervision_levels)
        and (f.registered_by is None or row["by"] == f.registered_by)
        and (f.registered_from is None or at.date() >= f.registered_from)
        and (f.registered_to is None or at.date() <= f.registered_to)
        and (not f.overdue or (running and due is not None and due < NOW))
        and (not f.due_today or (running and due is not None
                                 and day <= due < day + dt.timedelta(days=1)))
    )  # fmt: skip


def _expected(db: Db, f: LedgerFilter, sort: str, descending: bool) -> list[str]:
    rows = [r for r in db.rows if _matches(r, f)]
    if sort == "code":
        return [r["id"] for r in sorted(rows, key=lambda r: r["code"], reverse=descending)]
    if sort == "registered_at":
        key = sorted(rows, key=lambda r: (r["at"], r["id"]), reverse=descending)
        return [r["id"] for r in key]
    dated = sorted((r for r in rows if r["due"]), key=lambda r: (r["due"], r["id"]),
                   reverse=descending)  # fmt: skip
    undated = sorted((r["id"] for r in rows if not r["due"]), reverse=descending)
    return [r["id"] for r in dated] + undated


def _all_pages(db: Db, f: LedgerFilter, sort: str, descending: bool, limit: int) -> list[str]:
    ids: list[str] = []
    after: LedgerCursor | None = None
    with db.store.read() as session:
        for _ in range(N // limit + 3):
            page = ledger_page(session, f, sort=sort, descending=descending, after=after,
                               limit=limit, now=NOW)  # fmt: skip
            ids += [r.id for r in page.rows]
            if page.next_cursor is None:
                return ids
            after = page.next_cursor
    raise AssertionError("paging does not end")


DAYS = st.dates(min_value=dt.date(2023, 10, 20), max_value=dt.date(2026, 12, 10))


@st.composite
def filters(draw: st.DrawFn, db: Db) -> LedgerFilter:
    fields: dict[str, Any] = {}
    if draw(st.booleans()):
        fields["states"] = tuple(draw(st.sets(st.sampled_from(STATES), min_size=1, max_size=3)))
    if draw(st.booleans()):
        fields["colours"] = (draw(st.sampled_from(COLOURS)),)
    if draw(st.integers(0, 3)) == 0:
        fields["category_code"] = draw(st.sampled_from(("01", "02", "0202", "0203", "05")))
    if draw(st.integers(0, 3)) == 0:
        fields["village_id"] = draw(st.sampled_from(db.villages))
    if draw(st.integers(0, 3)) == 0:
        fields["handling_level"] = draw(st.sampled_from(LEVELS))
    if draw(st.integers(0, 3)) == 0:
        fields["supervision_levels"] = (draw(st.sampled_from(SUPERVISION)),)
    if draw(st.integers(0, 4)) == 0:
        fields["registered_by"] = draw(st.sampled_from(db.users))
    if draw(st.booleans()):
        fields["registered_from"] = draw(DAYS)
    if draw(st.booleans()):
        fields["registered_to"] = draw(DAYS)
    quick = draw(st.sampled_from(("", "", "overdue", "due_today")))
    if quick:
        fields[quick] = True
    return LedgerFilter(**fields)


@pytest.mark.parametrize("cap", [ledger_plan.CAP, 3])
def test_every_combination_pages_exactly_the_oracle(db: Db, cap: int) -> None:
    mp = pytest.MonkeyPatch()
    mp.setattr(ledger_plan, "CAP", cap)
    mp.setattr(ledger_plan, "UNORDERED_CAP", max(4 * cap, 12))
    mp.setattr(ledger_plan, "WALK_CAP", max(8 * cap, 24))
    try:

        @settings(max_examples=60, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
        @given(f=filters(db), sort=st.sampled_from(SORTS), descending=st.booleans(),
               limit=st.sampled_from((7, 50)))  # fmt: skip
        def check(f: LedgerFilter, sort: str, descending: bool, limit: int) -> None:
            assert _all_pages(db, f, sort, descending, limit) == _expected(db, f, sort, descending)

        check()
    finally:
        mp.undo()


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("window", [
    (dt.date(2024, 1, 1), dt.date(2024, 6, 30)),  # whole months
    (dt.date(2024, 1, 15), dt.date(2024, 6, 15)),  # partial first and last months
    (dt.date(2025, 3, 12), dt.date(2025, 3, 12)),  # one day
    (dt.date(2024, 2, 10), dt.date(2024, 2, 20)),  # part of one month
    (dt.date(2024, 3, 1), None),  # open-ended: up to the last registration
    (None, dt.date(2024, 9, 30)),  # from the first registration
    (dt.date(2026, 11, 1), dt.date(2026, 10, 1)),  # empty
])  # fmt: skip
def test_code_sort_over_a_date_range_merges_the_months(
    db: Db, window: tuple[dt.date | None, dt.date | None], descending: bool
) -> None:
    """The code sort over a date range reads the months of the range (one ordered stream each,
    merged) when no other filter is small: the same cases in the same order as the oracle."""
    f = LedgerFilter(registered_from=window[0], registered_to=window[1])
    mp = pytest.MonkeyPatch()
    mp.setattr(ledger_plan, "UNORDERED_CAP", 1)  # even a small range takes the merge
    try:
        with db.store.read() as session:
            driver = ledger_plan.choose_driver(session, f, "code", NOW)
        got = _all_pages(db, f, "code", descending, 13)
    finally:
        mp.undo()
    expected = _expected(db, f, "code", descending)
    assert got == expected
    if expected:  # an empty range is answered by its (empty) count
        assert driver.index == ledger_plan.MONTH_INDEX and driver.months


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("window", [
    (dt.date(2024, 1, 1), dt.date(2024, 6, 30)),  # whole months
    (dt.date(2024, 1, 15), dt.date(2024, 6, 15)),  # partial first and last months
    (dt.date(2023, 12, 31), dt.date(2025, 1, 1)),  # a day of the first and of the last month
    (dt.date(2024, 4, 20), dt.date(2024, 5, 10)),  # two partial months
    (dt.date(2024, 2, 10), dt.date(2024, 2, 20)),  # part of one month
])  # fmt: skip
@pytest.mark.parametrize("states", [(), ("accepted", "handling", "finished")])
def test_due_sort_over_a_date_range_merges_the_months(
    db: Db, window: tuple[dt.date, dt.date], descending: bool, states: tuple[str, ...]
) -> None:
    """The due sort over a closed date range reads the cases with a deadline as one (due_at, id)
    stream per month of the range, merged (migration 0023), then those without a deadline by id
    as before: the same cases in the same order as the oracle, page after page (pages of 7 end
    on ties of due_at and cross from the dated cases into the undated ones)."""
    f = LedgerFilter(registered_from=window[0], registered_to=window[1], states=states)
    mp = pytest.MonkeyPatch()
    mp.setattr(ledger_plan, "CAP", 3)  # the walk of the due index is long, as on 1M cases
    mp.setattr(ledger_plan, "UNORDERED_CAP", 1)  # even a small range takes the merge
    try:
        with db.store.read() as session:
            driver = ledger_plan.choose_driver(session, f, "due_at", NOW)
        got = _all_pages(db, f, "due_at", descending, 7)
    finally:
        mp.undo()
    assert got == _expected(db, f, "due_at", descending)
    assert driver.index == "ix_ledger_due" and driver.months
    assert driver.months[0] == f"{window[0]:%Y-%m}" and driver.months[-1] == f"{window[1]:%Y-%m}"


def test_the_due_oracle_has_ties_and_cases_without_a_deadline(db: Db) -> None:
    """What the due sort's oracle cases lean on: equal deadlines (the cursor's id decides) and
    cases without one (listed after the others) inside 2024H1."""
    rows = [r for r in db.rows if "2024-01-01" <= r["at"] < "2024-07-01"]
    dues = [r["due"] for r in rows if r["due"]]
    assert len(dues) - len(set(dues)) >= 3
    assert sum(1 for r in rows if r["due"] is None) >= 7


def test_month_buckets_span_the_range() -> None:
    p = {"reg_from": dt.datetime(2023, 11, 5), "reg_to": dt.datetime(2024, 3, 1)}
    assert ledger_plan.month_buckets(None, p) == (  # type: ignore[arg-type]
        "2023-11", "2023-12", "2024-01", "2024-02")  # fmt: skip
    wide = {"reg_from": dt.datetime(1990, 1, 1), "reg_to": dt.datetime(2030, 1, 1)}
    assert ledger_plan.month_buckets(None, wide) is None  # type: ignore[arg-type]
