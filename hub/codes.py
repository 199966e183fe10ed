"""Case codes unique per township on the hub (一案一码不重号).

Every code a case of a township is given (at insert, or renumbered by an update) is claimed in
``case_code`` for that case for good. A push giving a case a code another case of the township
holds is refused with 409 ``case.code_taken``; the PC then renumbers its case and sends it
again. Writers are serialised by the ``seq`` counter lock, so the check cannot race; the
table's primary key is the backstop.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.auth import Principal
from hub.db import one_of
from hub.errors import RefusedError
from hub.merge import IncomingChange, RecordState
from hub.models import CaseCode, Lease
from services.domain.textutil import text_problem


def _code(change: IncomingChange) -> str | None:
    if change.entity != "case_file" or not isinstance(change.payload, dict):
        return None
    code = change.body.get("code")
    return code if isinstance(code, str) and code and len(code) <= 64 else None


class Claims:
    """The codes a push touches: who holds each, and the ones this push claims."""

    def __init__(self, session: Session, changes: Sequence[IncomingChange]) -> None:
        self.session = session
        codes = sorted({c for c in map(_code, changes) if c is not None and not text_problem(c)})
        self.held: dict[tuple[str, str], str] = {}
        for where in one_of(session, CaseCode.code, codes):
            rows = session.execute(
                select(CaseCode.code, CaseCode.township_id, CaseCode.case_id).where(where)
            )
            self.held.update({(t, c): i for c, t, i in rows})
        self.new: list[dict[str, Any]] = []

    def claim(self, change: IncomingChange, rec: RecordState) -> None:
        """409 when another case of the township holds the code ``change`` gives its case."""
        code = _code(change)
        if code is None:
            return
        key = (rec.township_id or "", code)
        holder = self.held.get(key)
        if holder is None:
            self.held[key] = rec.entity_id
            self.new.append({"code": code, "township_id": key[0], "case_id": rec.entity_id})
        elif holder != rec.entity_id:
            raise RefusedError(409, "case.code_taken",
                               f"案件编号{code}已被本乡镇另一案件使用，本机将自动改号后重发",
                               hint=self.highest(key[0], code))  # fmt: skip

    def highest(self, township_id: str, code: str) -> str:
        """The highest code used in the number block ``code`` was drawn from (the lease holding
        its number; else its whole series: same prefix, same length). A PC restored from a
        backup resumes its numbering past it instead of trying its numbers one by one."""
        prefix, _, number = code.rpartition("-")
        low, high = f"{prefix}-", f"{prefix}-\uffff"
        parts = prefix.split("-")
        if number.isdigit() and len(parts) == 2:
            lease = self.session.execute(
                select(Lease.first, Lease.last).where(
                    Lease.series == f"case:{parts[0]}:{parts[1]}",
                    Lease.first <= int(number), Lease.last >= int(number))
            ).first()  # fmt: skip
            if lease is not None:
                width = len(number)
                low, high = f"{prefix}-{lease[0]:0{width}d}", f"{prefix}-{lease[1]:0{width}d}"
        top = self.session.execute(
            select(func.max(CaseCode.code)).where(
                CaseCode.township_id == township_id,
                CaseCode.code >= low, CaseCode.code <= high,
                func.length(CaseCode.code) == len(code))
        ).scalar()  # fmt: skip
        return str(top or code)


def outstanding(session: Session, who: Principal, series: str) -> int:
    """Numbers leased to ``who`` in ``series`` and not used yet: past the highest case code
    given in each of its leases (codes ``{township}-{year}-{number:06d}``)."""
    parts = series.split(":")
    leases = session.execute(select(Lease.first, Lease.last).where(
        Lease.device_id == who.device_id, Lease.series == series)).all()  # fmt: skip
    if len(parts) != 3 or parts[0] != "case":
        return sum(last - first + 1 for first, last in leases)
    township = who.township_id or ""
    total = 0
    for first, last in leases:
        low, high = f"{parts[1]}-{parts[2]}-{first:06d}", f"{parts[1]}-{parts[2]}-{last:06d}"
        top = session.execute(select(func.max(CaseCode.code)).where(
            CaseCode.township_id == township, CaseCode.code >= low, CaseCode.code <= high,
            func.length(CaseCode.code) == len(low))).scalar()  # fmt: skip
        used = int(str(top).rsplit("-", 1)[-1]) if top else first - 1
        total += last - used
    return total
