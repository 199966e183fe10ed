"""Number blocks (号段) and the one-case-one-code numbers (一案一码) drawn from them."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable

from sqlalchemy import Integer, cast, func, select, text, update
from sqlalchemy.orm import Session

from services.domain.ids import uuid7
from services.store.models import Case, CaseAlias, DeviceState, NumberBlock

LOCAL_BLOCK_SIZE = 1000

_TAKE = text(
    """
    UPDATE number_block SET next_value = next_value + 1
    WHERE id = (SELECT id FROM number_block
                WHERE series = :series AND next_value <= last
                ORDER BY CASE source WHEN 'hub' THEN 0 ELSE 1 END, first LIMIT 1)
    RETURNING next_value - 1
    """
)


def case_series(township_code: str, year: int) -> str:
    """Series key of case codes for one township and year."""
    return f"case:{township_code}:{year}"


def add_block(
    session: Session, series: str, first: int, last: int, *, source: str, now: dt.datetime
) -> None:
    """Record a block of numbers (leased from the hub, or made locally)."""
    session.add(
        NumberBlock(
            id=uuid7(),
            series=series,
            first=first,
            last=last,
            next_value=first,
            source=source,
            leased_at=now,
        )
    )
    session.flush()


def next_number(session: Session, series: str, *, now: dt.datetime, floor: int = 0) -> int:
    """Take the next number of ``series``; never returns a number twice.

    Runs inside the caller's write transaction (BEGIN IMMEDIATE), so two threads or two processes
    are serialised by SQLite's write lock; the single UPDATE … RETURNING is atomic on its own.
    A block leased from the county hub is drawn on before any local (provisional) block.
    When every block is used up, a local block follows the highest number ever allocated (and
    ``floor``, the highest number known to be used elsewhere).
    """
    value = session.execute(_TAKE, {"series": series}).scalar()
    if value is not None:
        return int(value)
    top = session.execute(
        select(func.max(NumberBlock.last)).where(NumberBlock.series == series)
    ).scalar()
    first = max(int(top or 0), floor) + 1
    add_block(session, series, first, first + LOCAL_BLOCK_SIZE - 1, source="local", now=now)
    value = session.execute(_TAKE, {"series": series}).scalar()
    assert value is not None
    return int(value)


def case_code(township_code: str, year: int, seq: int) -> str:
    """一案一码: ``{township code}-{yyyy}-{seq}`` with the sequence padded to 6 digits."""
    return f"{township_code}-{year}-{seq:06d}"


def provisional_code(township_code: str, year: int, tag: str, seq: int) -> str:
    """临时编号: ``{township}-{yyyy}-{device tag}-{seq}``, replaced by a hub number at sync."""
    return f"{township_code}-{year}-{tag}-{seq:04d}"


def device_tag(session: Session) -> str:
    """This PC's part of its provisional codes: ``L`` and the random tail of its device id, so
    two PCs of a township never make the same provisional code, however long both are offline."""
    device = session.scalar(select(DeviceState.device_id).limit(1)) or "pc"
    return "L" + "".join(ch for ch in device if ch.isalnum())[-12:].upper()


def next_case_code(session: Session, township_code: str, at: dt.datetime) -> str:
    """The next case code: a number from a block leased from the hub while one is left, else a
    provisional code from this PC's own series (never a number another PC may hold)."""
    series = case_series(township_code, at.year)
    value = session.execute(_TAKE, {"series": series}).scalar()
    if value is not None:
        return case_code(township_code, at.year, int(value))
    synced = session.scalar(select(NumberBlock.id).where(NumberBlock.source != "local").limit(1))
    if synced is None:  # a PC that never leased from the hub (stand-alone): plain local numbers
        return case_code(township_code, at.year, next_number(session, series, now=at))
    tag = device_tag(session)
    floor = _highest_known(session, f"{township_code}-{at.year}-{tag}-")
    seq = next_number(session, f"{series}:{tag}", now=at, floor=floor)
    return provisional_code(township_code, at.year, tag, seq)


def _highest_known(session: Session, prefix: str) -> int:
    """The highest number of the codes starting with ``prefix`` held by a case or kept as an
    alias: a PC restored from a backup may have no block left covering the provisional codes
    it used (and the hub renumbered) after the backup, so a new block starts past them."""
    top = 0
    for column in (Case.code, CaseAlias.code):
        number = cast(func.substr(column, len(prefix) + 1), Integer)
        value = session.scalar(select(func.max(number)).where(column.like(f"{prefix}%")))
        top = max(top, int(value or 0))
    return top


_CODE = re.compile(r"^(\d{12})-(\d{4})-(?:(L[A-Z0-9]{1,12})-)?(\d+)$")


def code_year(code: str) -> int | None:
    """The year a case code was issued in (``None`` when it is not a case code)."""
    match = _CODE.match(code)
    return int(match.group(2)) if match else None


def burn_code(session: Session, code: str) -> None:
    """``code`` is used elsewhere: never hand out its number, or any before it in the same
    block, from a block here again.

    A PC restored from a backup holds blocks (hub leases, its provisional series) whose numbers
    it already used after the backup; the codes it meets again (pulled cases and aliases, or a
    hub's 409 naming the highest code of the block) move its blocks past them.
    """
    burn_codes(session, (code,))


def burn_codes(session: Session, codes: Iterable[str]) -> None:
    """``burn_code`` for many codes (a pulled page) with one read per series met and one
    update per block moved, instead of an UPDATE per code: each block moves past the highest
    of the codes in it, as burning them one by one would."""
    numbers: dict[str, list[int]] = {}
    for code in codes:
        match = _CODE.match(code)
        if match is None:
            continue
        township, year, tag, number = match.groups()
        series = case_series(township, int(year)) + (f":{tag}" if tag else "")
        numbers.setdefault(series, []).append(int(number))
    for series in sorted(numbers):
        values = sorted(numbers[series])
        blocks = session.execute(
            select(NumberBlock.id, NumberBlock.first, NumberBlock.last, NumberBlock.next_value)
            .where(NumberBlock.series == series)
        ).all()  # fmt: skip
        for block_id, first, last, next_value in blocks:
            inside = bisect.bisect_right(values, last)
            if inside and values[inside - 1] >= max(first, next_value):
                session.execute(update(NumberBlock).where(NumberBlock.id == block_id)
                                .values(next_value=values[inside - 1] + 1))  # fmt: skip
