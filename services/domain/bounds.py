"""What a stored, synced value may be beyond its type (取值范围): the years a date may fall in,
the counts and amounts a case or visit may hold.

Checked where a value enters: the hub refuses a push holding anything else (422), the pulling
PC parks such a row, and a PC never stores one (services.store.textguard). A date in year 9999
passes every type check and then overflows the deadline arithmetic (adding working days) on
every PC that re-derives its case, at every sync; two visits of 2**62 visitors each overflow
the SQL sum of every dashboard and report that counts them; an event ordinal of 2**63 - 1
overflows the next one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

from services.domain.messages import msg

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
# Ordinals and counters any PC adds one to (an event's number, a record's revision): none
# reaches a billion, and a value of 2**63 - 1 made the next one overflow SQLite on every PC
# that pulled it, so no one could act on that case again. (Not audit_log.device_seq: a restore
# starts a new epoch far above a billion, and only its own device adds to it.)
ORDINAL_LIMIT = 10**9
ORDINAL_FIELDS = frozenset({"seq", "revision", "event_count", "rework_count"})
_INT64 = (-(2**63) + 1, 2**63 - 1)


def int_range(entity: str, field: str) -> tuple[int, int]:
    """The least and greatest value a whole-number field of a synced row may hold."""
    found = INT_RANGES.get((entity, field))
    if found is not None:
        return found
    return (0, ORDINAL_LIMIT) if field in ORDINAL_FIELDS else _INT64


def date_in_range(value: dt.date) -> bool:
    """``value`` (a date or datetime) falls within the years a record may hold."""
    return MIN_YEAR <= value.year <= MAX_YEAR


def parse_date(text: str) -> dt.date:
    """An ISO date (or the date of an ISO date-time) within the years a record may hold;
    ValueError otherwise."""
    day = dt.date.fromisoformat(text[:10])
    if not date_in_range(day):
        raise ValueError(_out_of_range(text))
    return day


def parse_datetime(text: str) -> dt.datetime:
    """An ISO date-time within the years a record may hold; ValueError otherwise."""
    at = dt.datetime.fromisoformat(text)
    if not date_in_range(at):
        raise ValueError(_out_of_range(text))
    return at


def _out_of_range(text: str) -> str:
    return msg("日期超出{low}—{high}年的范围：{date}", low=MIN_YEAR, high=MAX_YEAR, date=text[:10])
