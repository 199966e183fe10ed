"""What a stored, synced value may be beyond its type (取值范围): the years a date may fall in.

Checked where a value enters: the hub refuses a push holding anything else (422), the pulling
PC parks such a row, and a PC never stores one (services.store.textguard). A date in year 9999
passes every type check and then overflows the deadline arithmetic (adding working days) on
every PC that re-derives its case, at every sync.
"""

from __future__ import annotations

import datetime as dt

MIN_YEAR = 1900
MAX_YEAR = 2199


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
