"""Report templates in force on this PC (一表通): the county's file once accepted, else the shipped.

A county file naming a figure this version does not know is refused with that name, and the
template in force before it stays in force. Parsing is in ``services.reference.report_templates``
(shared with the hub).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.errors import ServiceError
from services.reference.report_templates import (
    KINDS,
    SHIPPED,
    TEMPLATES_FILE,
    ReportSpec,
    SectionSpec,
    Templates,
    parse_templates,
    shipped_templates,
)
from services.store.models import SyncReference

ACCEPTED: Final = "report_templates.json#accepted"  # the county file last accepted on this PC
__all__ = [
    "KINDS",
    "SHIPPED",
    "TEMPLATES_FILE",
    "ReportSpec",
    "SectionSpec",
    "Templates",
    "adopt_county_templates",
    "county_template_pending",
    "effective_templates",
    "parse_templates",
    "shipped_templates",
]


def county_template_pending(session: Session) -> str:
    """``new`` when the county's file is valid and not yet accepted, a Chinese notice when it is
    refused, else ``""`` (read only)."""
    row = session.get(SyncReference, TEMPLATES_FILE)
    if row is None:
        return ""
    accepted = session.get(SyncReference, ACCEPTED)
    if accepted is not None and accepted.version == row.version and accepted.content == row.content:
        return ""
    try:
        parse_templates(row.content, "county")
    except ServiceError as exc:
        return f"{exc.message}；继续使用此前的报表模板"
    return "new"


def adopt_county_templates(session: Session, now: dt.datetime) -> str:
    """Accept the county's template file if it is valid; returns a Chinese notice if refused.

    Called in a write unit of work before reports are made. A refused file leaves the template
    accepted before it (or the shipped one) in force.
    """
    row = session.get(SyncReference, TEMPLATES_FILE)
    if row is None:
        return ""
    accepted = session.get(SyncReference, ACCEPTED)
    if accepted is not None and accepted.version == row.version and accepted.content == row.content:
        return ""
    try:
        parse_templates(row.content, "county")
    except ServiceError as exc:
        return f"{exc.message}；继续使用此前的报表模板"
    session.merge(
        SyncReference(name=ACCEPTED, version=row.version, content=row.content, received_at=now)
    )
    return ""


def effective_templates(session: Session) -> Templates:
    """The templates in force: the county's last accepted file, else the shipped one."""
    accepted = session.scalar(select(SyncReference).where(SyncReference.name == ACCEPTED))
    if accepted is not None:
        try:
            return parse_templates(accepted.content, "county")
        except ServiceError:  # accepted by an older version that knew more figures
            pass
    return shipped_templates()
