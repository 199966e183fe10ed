"""The one date style of every printed document (成文日期 and dates in the text).

GB/T 9704-2012 §7.3.5.1 writes the date in Arabic numerals, the year in full, month and day
without leading zeros: 2026年11月2日. Slips, notices and agreements all print dates through here.
"""

from __future__ import annotations

import datetime as dt


def document_date(day: dt.date) -> str:
    """2026年11月2日 (GB/T 9704-2012: Arabic numerals, no padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_time(at: dt.datetime) -> str:
    """2026年11月2日 9:05 (a date of the document style with the time of day)."""
    return f"{document_date(at.date())} {at.hour}:{at.minute:02d}"
