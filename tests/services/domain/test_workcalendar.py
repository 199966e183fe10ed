"""Tests for the working-day calendar and deadline arithmetic."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.domain.errors import ValidationError
from services.domain.workcalendar import (
    UNIT_HOURS,
    UNIT_NATURAL_DAYS,
    UNIT_NATURAL_HOURS,
    UNIT_WORKING_DAYS,
    DayInfo,
    DueDate,
    Pause,
    WorkCalendar,
    compute_due,
    provisional_message,
    remaining_working_days,
)

EOD = (23, 59, 59)
# Shared so the per-day cache is warm across hypothesis examples.
SHARED = WorkCalendar()


def eod(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, *EOD)


# --- 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), matches chinese_calendar 1.11


SPRING_FESTIVAL_2026 = [date(2026, 2, d) for d in range(15, 24)]  # 2/15 (Sun) – 2/23 (Mon)
SPRING_MAKEUP_2026 = [date(2026, 2, 14), date(2026, 2, 28)]  # Saturdays worked
NATIONAL_DAY_2026 = [date(2026, 10, d) for d in range(1, 8)]  # 10/1 (Thu) – 10/7 (Wed)
NATIONAL_MAKEUP_2026 = [date(2026, 9, 20), date(2026, 10, 10)]  # Sun 9/20, Sat 10/10
MID_AUTUMN_2026 = [date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)]


def test_spring_festival_2026_days() -> None:
    cal = WorkCalendar()
    for day in SPRING_FESTIVAL_2026:
        assert cal.day_info(day) == DayInfo(day, False, True, "春节")
    for day in SPRING_MAKEUP_2026:
        assert day.weekday() == 5
        assert cal.day_info(day) == DayInfo(day, True, True, "调休上班")
    assert cal.day_info(date(2026, 2, 13)) == DayInfo(date(2026, 2, 13), True, True, "")
    assert cal.day_info(date(2026, 2, 24)) == DayInfo(date(2026, 2, 24), True, True, "")
    assert cal.day_info(date(2026, 3, 1)) == DayInfo(date(2026, 3, 1), False, True, "")


def test_national_day_2026_days() -> None:
    cal = WorkCalendar()
    for day in NATIONAL_DAY_2026:
        assert cal.day_info(day) == DayInfo(day, False, True, "国庆节")
    for day in MID_AUTUMN_2026:
        assert cal.day_info(day) == DayInfo(day, False, True, "中秋节")
    for day in NATIONAL_MAKEUP_2026:
        assert cal.day_info(day) == DayInfo(day, True, True, "调休上班")
    assert cal.is_workday(date(2026, 10, 8))  # Thursday after the holiday is a normal day
    assert not cal.is_workday(date(2026, 10, 11))
    assert not cal.is_workday(date(2026, 9, 19))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Registered Friday 2/13: 2/14 (Sat, 调休) is day 1, then 2/24–2/27, 2/28 (Sat), 3/2.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        (date(2026, 2, 13), 6, date(2026, 2, 28)),
        (date(2026, 2, 13), 7, date(2026, 3, 2)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 16), 1, date(2026, 2, 24)),  # registered during the holiday
        (date(2025, 12, 31), 1, date(2026, 1, 4)),  # 元旦 1/1–1/3, Sunday 1/4 worked
        # National Day: Sun 9/20 worked, 9/25–9/27 中秋, 10/1–10/7 国庆, Sat 10/10 worked.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 18), 5, date(2026, 9, 24)),
        (date(2026, 9, 18), 6, date(2026, 9, 28)),
        (date(2026, 9, 18), 15, date(2026, 10, 15)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        (date(2026, 9, 30), 4, date(2026, 10, 12)),
        (date(2026, 9, 30), 5, date(2026, 10, 13)),
        (date(2026, 9, 30), 0, date(2026, 9, 30)),
    ],
)
def test_add_working_days_2026(start: date, n: int, expected: date) -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(start, n) == (expected, False)
    assert cal.working_days_between(start, expected) == (n, False)


def test_working_days_between_edges() -> None:
    cal = WorkCalendar()
    assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 13)) == (0, False)
    assert cal.working_days_between(date(2026, 3, 2), date(2026, 2, 13)) == (0, False)
    assert cal.working_days_between(date(2026, 2, 14), date(2026, 2, 23)) == (0, False)
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 31)) == (18, False)


def test_due_across_national_day_2026() -> None:
    start = datetime(2026, 9, 18, 10, 30)
    due = compute_due(start, 15, UNIT_WORKING_DAYS, WorkCalendar())
    assert due.due_at == eod(2026, 10, 15)
    assert due.remind_at == eod(2026, 10, 9)  # floor(0.7 * 15) = 10th working day
    assert due.yellow_at == eod(2026, 10, 13)  # floor(0.9 * 15) = 13th working day
    assert (due.provisional, due.paused, due.amount, due.unit) == (False, False, 15, "working_days")
    assert due.provisional_years == ()


# --- years without data


def test_2027_falls_back_to_weekdays_and_is_provisional() -> None:
    cal = WorkCalendar()
    assert not cal.is_known_year(2027)
    assert cal.is_known_year(2026)
    assert cal.day_info(date(2027, 1, 1)) == DayInfo(date(2027, 1, 1), True, False, "")
    assert cal.day_info(date(2027, 1, 2)) == DayInfo(date(2027, 1, 2), False, False, "")
    # 12/31 (Thu, 2026 known) is day 1; 2027 counts Mon–Fri only.
    assert cal.add_working_days(date(2026, 12, 30), 5) == (date(2027, 1, 6), True)
    assert cal.add_working_days(date(2026, 12, 30), 1) == (date(2026, 12, 31), False)
    assert cal.working_days_between(date(2026, 12, 30), date(2027, 1, 6)) == (5, True)
    due = compute_due(datetime(2026, 11, 22, 9), 60, UNIT_WORKING_DAYS, cal)
    assert due.provisional
    assert due.provisional_years == (2027,)
    assert "2027 年节假日安排尚未导入" in provisional_message(due.provisional_years)


def test_2027_imported_schedule_is_known() -> None:
    # Made-up 2027 data: New Year's Day Fri 1/1, an extra rest day Mon 1/4, Sat 1/9 worked.
    overrides = {date(2027, 1, 1): False, date(2027, 1, 4): False, date(2027, 1, 9): True}
    cal = WorkCalendar(overrides, known_years={2027}, names={date(2027, 1, 1): "元旦"})
    assert cal.is_known_year(2027)
    assert cal.day_info(date(2027, 1, 1)) == DayInfo(date(2027, 1, 1), False, True, "元旦")
    assert cal.day_info(date(2027, 1, 4)) == DayInfo(date(2027, 1, 4), False, True, "")
    assert cal.day_info(date(2027, 1, 9)) == DayInfo(date(2027, 1, 9), True, True, "调休上班")
    assert cal.day_info(date(2027, 1, 5)) == DayInfo(date(2027, 1, 5), True, True, "")
    assert cal.add_working_days(date(2026, 12, 30), 5) == (date(2027, 1, 8), False)
    assert cal.add_working_days(date(2026, 12, 30), 6) == (date(2027, 1, 9), False)
    due = compute_due(datetime(2026, 12, 30, 9), 6, UNIT_WORKING_DAYS, cal)
    assert due.due_at == eod(2027, 1, 9)
    assert (due.provisional, due.provisional_years) == (False, ())


def test_partial_overrides_do_not_make_a_year_known() -> None:
    cal = WorkCalendar({date(2027, 1, 1): False})
    assert not cal.is_known_year(2027)
    assert cal.add_working_days(date(2026, 12, 31), 1) == (date(2027, 1, 4), True)


def test_overrides_win_over_package() -> None:
    cal = WorkCalendar({date(2026, 10, 8): False, date(2026, 2, 14): False})
    assert cal.add_working_days(date(2026, 9, 30), 1) == (date(2026, 10, 9), False)
    assert cal.add_working_days(date(2026, 2, 13), 1) == (date(2026, 2, 24), False)
    assert cal.day_info(date(2026, 10, 8)) == DayInfo(date(2026, 10, 8), False, True, "")
    assert cal.day_info(date(2026, 10, 1)).name == "国庆节"  # untouched days keep package data
    extra = WorkCalendar({date(2026, 10, 3): True}, names={date(2026, 10, 3): "县里加班"})
    assert extra.add_working_days(date(2026, 9, 30), 1) == (date(2026, 10, 3), False)
    assert extra.day_info(date(2026, 10, 3)) == DayInfo(date(2026, 10, 3), True, True, "县里加班")
    assert WorkCalendar({date(2026, 10, 3): True}).day_info(date(2026, 10, 3)).name == "调休上班"


def test_without_package() -> None:
    cal = WorkCalendar(use_package=False)
    assert cal.day_info(date(2026, 2, 16)) == DayInfo(date(2026, 2, 16), True, False, "")
    assert not cal.is_known_year(2026)
    assert cal.add_working_days(date(2026, 2, 13), 1) == (date(2026, 2, 16), True)


def test_day_info_accepts_datetime() -> None:
    cal = WorkCalendar()
    assert cal.day_info(datetime(2026, 2, 14, 8, 0)).day == date(2026, 2, 14)
    assert cal.is_workday(datetime(2026, 2, 14, 8, 0))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_never_raises_for_any_year(day: date) -> None:
    info = SHARED.day_info(day)
    assert info.known == (2004 <= day.year <= 2026)
    if not info.known:
        assert info.is_workday == (day.weekday() < 5)
        assert info.name == ""


# --- pauses, extensions, thresholds


def test_working_day_pause_shifts_due_and_preceding_thresholds() -> None:
    start = datetime(2026, 3, 2, 9)
    plain = compute_due(start, 10, UNIT_WORKING_DAYS, SHARED)
    assert (plain.remind_at, plain.yellow_at, plain.due_at) == (
        eod(2026, 3, 11),
        eod(2026, 3, 13),
        eod(2026, 3, 16),
    )
    pause = Pause(datetime(2026, 3, 4, 10), datetime(2026, 3, 6, 15))  # 3/5, 3/6 -> 2 days
    due = compute_due(start, 10, UNIT_WORKING_DAYS, SHARED, pauses=[pause])
    assert (due.remind_at, due.yellow_at, due.due_at) == (
        eod(2026, 3, 13),
        eod(2026, 3, 17),
        eod(2026, 3, 18),
    )
    assert not due.paused


def test_pause_after_remind_point_does_not_move_it() -> None:
    start = datetime(2026, 3, 2, 9)
    pause = Pause(datetime(2026, 3, 12, 9), datetime(2026, 3, 13, 9))  # 1 working day
    due = compute_due(start, 10, UNIT_WORKING_DAYS, SHARED, pauses=[pause])
    assert due.remind_at == eod(2026, 3, 11)
    assert due.yellow_at == eod(2026, 3, 16)
    assert due.due_at == eod(2026, 3, 17)


def test_natural_days_with_pause() -> None:
    start = datetime(2026, 3, 2, 9)
    plain = compute_due(start, 30, UNIT_NATURAL_DAYS, SHARED)
    assert plain.due_at == eod(2026, 4, 1)
    assert plain.remind_at == eod(2026, 3, 23)  # floor(0.7 * 30) == 21, not 20
    assert plain.yellow_at == eod(2026, 3, 29)
    pause = Pause(datetime(2026, 3, 5, 8), datetime(2026, 3, 7, 10))  # 2 d 2 h -> 3 days
    due = compute_due(start, 30, UNIT_NATURAL_DAYS, SHARED, pauses=[pause])
    assert (due.remind_at, due.yellow_at, due.due_at) == (
        eod(2026, 3, 26),
        eod(2026, 4, 1),
        eod(2026, 4, 4),
    )
    assert not due.provisional


def test_hours_with_pause() -> None:
    start = datetime(2026, 3, 2, 9)
    pause = Pause(datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 11, 30))
    due = compute_due(start, 24, UNIT_HOURS, SHARED, pauses=[pause])
    assert due.due_at == datetime(2026, 3, 3, 10, 30)
    assert due.remind_at == datetime(2026, 3, 3, 3, 18)  # 16.8 h + 1.5 h
    assert due.yellow_at == datetime(2026, 3, 3, 8, 6)  # 21.6 h + 1.5 h
    assert compute_due(start, 24, UNIT_HOURS, SHARED).due_at == datetime(2026, 3, 3, 9)


def test_hours_keep_timezone() -> None:
    tz = timezone(timedelta(hours=8))
    start = datetime(2026, 3, 2, 9, tzinfo=tz)
    due = compute_due(start, 2, UNIT_HOURS, SHARED, pauses=[Pause(start, None)])
    assert due.due_at.tzinfo is tz
    assert due.paused


def test_open_pause_uses_now() -> None:
    start = datetime(2026, 11, 16, 9)
    assert compute_due(start, 10, UNIT_WORKING_DAYS, SHARED).due_at == eod(2026, 11, 30)
    pause = Pause(datetime(2026, 11, 18, 14), None)
    now = datetime(2026, 11, 22, 10)  # Sunday: 11/19 and 11/20 paused
    due = compute_due(start, 10, UNIT_WORKING_DAYS, SHARED, pauses=[pause], now=now)
    assert due.due_at == eod(2026, 12, 2)
    assert due.paused
    assert compute_due(start, 10, UNIT_WORKING_DAYS, SHARED, pauses=[pause]).paused  # real now


def test_extension_moves_deadline() -> None:
    start = datetime(2026, 3, 2, 9)
    due = compute_due(start, 10, UNIT_WORKING_DAYS, SHARED, extension=5)
    assert due.due_at == eod(2026, 3, 23)
    assert due.amount == 15
    assert due.remind_at == eod(2026, 3, 16)  # floor(0.7 * 15) == 10
    assert due.yellow_at == eod(2026, 3, 19)  # floor(0.9 * 15) == 13
    natural = compute_due(start, 10, UNIT_NATURAL_DAYS, SHARED, extension=5)
    assert natural.due_at == eod(2026, 3, 17)


def test_zero_amount() -> None:
    start = datetime(2026, 2, 14, 23, 59, 59, 500000)
    due = compute_due(start, 0, UNIT_WORKING_DAYS, SHARED)
    assert due.remind_at == due.yellow_at == due.start == start
    assert due.due_at == start  # never before start
    assert compute_due(start, 1, UNIT_WORKING_DAYS, SHARED).remind_at == start  # k == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"extension": -1}, "extension"),
        ({"unit": "weeks"}, "unit"),
        ({"remind_fraction": 0.95}, "remind_fraction"),
        ({"yellow_fraction": 1.5}, "remind_fraction"),
        ({"pauses": [Pause(datetime(2026, 3, 3), datetime(2026, 3, 2))]}, "pauses"),
    ],
)
def test_invalid_inputs(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"amount": 10, "unit": UNIT_WORKING_DAYS} | kwargs
    with pytest.raises(ValidationError) as info:
        compute_due(datetime(2026, 3, 2), calendar=SHARED, **args)  # type: ignore[arg-type]
    assert info.value.field == field
    assert info.value.message


def test_negative_working_days_rejected() -> None:
    with pytest.raises(ValidationError):
        SHARED.add_working_days(date(2026, 3, 2), -1)


def test_remaining_working_days() -> None:
    due = compute_due(datetime(2026, 9, 30, 10), 5, UNIT_WORKING_DAYS, SHARED)
    assert due.due_at == eod(2026, 10, 13)
    assert remaining_working_days(due, datetime(2026, 9, 30, 11), SHARED) == 5
    assert remaining_working_days(due, datetime(2026, 10, 10, 9), SHARED) == 2
    assert remaining_working_days(due, datetime(2026, 10, 13, 15), SHARED) == 0
    assert remaining_working_days(due, datetime(2026, 10, 15, 9), SHARED) == -2


def test_provisional_message() -> None:
    assert provisional_message([2027]) == (
        "2027 年节假日安排尚未导入，期限按周一至周五临时计算，导入后将自动更正"
    )
    assert provisional_message((2028, 2027, 2027)).startswith("2027、2028 年节假日安排尚未导入")
    assert provisional_message(()) == ""


def test_a_due_date_far_ahead_names_its_provisional_years_as_a_span() -> None:
    """review8: a due date near 2199 listed every year from 2027 to 2199 (173 years) in the
    case file's notice; runs of three or more years are a span."""
    notice = provisional_message(range(2027, 2200))
    assert notice.startswith("2027—2199 年节假日安排尚未导入"), notice
    assert provisional_message([2027, 2029, 2030, 2031, 2033]).startswith(
        "2027、2029—2031、2033 年"
    )


# --- properties


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    st.integers(min_value=0, max_value=60),
)
def test_add_and_count_are_inverse(start: date, n: int) -> None:
    end, provisional = SHARED.add_working_days(start, n)
    assert SHARED.working_days_between(start, end)[0] == n
    if n > 0:
        assert SHARED.is_workday(end)
        assert end > start
        assert SHARED.add_working_days(start, n - 1)[0] < end
    else:
        assert end == start
    assert provisional == any(
        not SHARED.day_info(start + timedelta(days=i)).known
        for i in range(1, (end - start).days + 1)
    )


pauses_strategy = st.lists(
    st.tuples(
        st.integers(min_value=-2, max_value=600 * 24),
        st.integers(min_value=0, max_value=30 * 24),
        st.booleans(),
    ),
    max_size=3,
)


@settings(deadline=None)
@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.sampled_from([UNIT_HOURS, UNIT_NATURAL_HOURS, UNIT_NATURAL_DAYS, UNIT_WORKING_DAYS]),
    st.integers(min_value=0, max_value=30),
    pauses_strategy,
)
def test_compute_due_never_raises_and_orders_points(
    start: datetime,
    amount: int,
    unit: str,
    extension: int,
    raw_pauses: list[tuple[int, int, bool]],
) -> None:
    pauses = [
        Pause(start + timedelta(hours=h), None if open_ else start + timedelta(hours=h + length))
        for h, length, open_ in raw_pauses
    ]
    now = start + timedelta(days=30)
    due = compute_due(start, amount, unit, SHARED, extension=extension, pauses=pauses, now=now)
    assert isinstance(due, DueDate)
    assert due.start <= due.remind_at <= due.yellow_at <= due.due_at
    assert due.amount == amount + extension
    assert due.paused == any(p.ended_at is None for p in pauses)
    assert due.provisional == bool(due.provisional_years)
    if unit in (UNIT_NATURAL_HOURS, UNIT_NATURAL_DAYS):  # only these ignore the calendar
        assert not due.provisional
    if not pauses and unit == UNIT_WORKING_DAYS and amount + extension > 0:
        assert SHARED.is_workday(due.due_at.date())
