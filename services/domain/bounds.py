"""What a stored, synced value may be beyond its type (取值范围): the years a date may fall in,
the counts and amounts a case or visit may hold.

Checked where a value enters: the hub refuses a push holding anything else (422), the pulling
PC parks such a row, and a PC never stores one (services.store.textguard). A date in year 9999
passes every type check and then overflows the deadline arithmetic (adding working days) on
every PC that re-derives its case, at every sync; two visits of 2**62 visitors each overflow
the SQL sum of every dashboard and report that counts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

MIN_YEAR = 1900
MAX_YEAR = 2199
MAX_HEAD_COUNT = 100_000  # 来访人数
MAX_PEOPLE_COUNT = 1_000_000  # 涉及人数
MAX_AMOUNT_CENTS = 10**14  # 涉及金额: below 一万亿元
# (entity, field) -> the least and greatest value it may hold.
INT_RANGES: Mapping[tuple[str, str], tuple[int, int]] = MappingProxyType(
    {
        ("case_file", "amount_cents"): (0, MAX_AMOUNT_CENTS - 1),
        ("case_file", "people_count"): (1, MAX_PEOPLE_COUNT),
        ("visit", "head_count"): (1, MAX_HEAD_COUNT),
    }
)
_BY_ENTITY: dict[str, tuple[tuple[str, int, int], ...]] = {}
for (_entity, _field), (_low, _high) in INT_RANGES.items():
    _BY_ENTITY[_entity] = (*_BY_ENTITY.get(_entity, ()), (_field, _low, _high))


def range_problem(entity: str, row: Mapping[str, Any]) -> tuple[str, int, int] | None:
    """``(field, least, greatest)`` of the first bounded number of ``row`` outside its range
    (:data:`INT_RANGES`), or ``None``; a null or a non-number is left to the type check."""
    for name, low, high in _BY_ENTITY.get(entity, ()):
        value = row.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not low <= value <= high:
                return name, low, high
    return None


def date_in_range(value: dt.date) -> bool:
    """``value`` (a date or datetime) falls within the years a record may hold."""
    return MIN_YEAR <= value.year <= MAX_YEAR


def parse_date(text: str) -> dt.date:
    """An ISO date (or the date of an ISO date-time) within the years a record may hold;
    ValueError otherwise."""
    day = dt.date.fromisoformat(text[:10])
    if not date_in_range(day):
        raise ValueError(f"日期超出{MIN_YEAR}—{MAX_YEAR}年的范围：{text[:10]}")
    return day


def parse_datetime(text: str) -> dt.datetime:
    """An ISO date-time within the years a record may hold; ValueError otherwise."""
    at = dt.datetime.fromisoformat(text)
    if not date_in_range(at):
        raise ValueError(f"日期超出{MIN_YEAR}—{MAX_YEAR}年的范围：{text[:10]}")
    return at
