"""SQLAlchemy 2.0 typed models of the local store (本地数据库).

Residents' personal data (ID numbers, phones) lives only in ``person`` and its earlier phones in
``person_phone``, sealed (AES-GCM, see ``services.store.sealed``); every other table refers to
people by id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.domain.ids import uuid7
from services.store.sealed import Sealed, blind, unseal

# Column ``info`` of a column that stays on this PC: never captured into the outbox, never
# overwritten by a pulled row (password hashes and sign-in failures, issue 11).
LOCAL: Final[dict[str, Any]] = {"local": True}


def is_local(column: Any) -> bool:
    """True for a column marked :data:`LOCAL`."""
    return bool(getattr(column, "info", {}).get("local"))


class Base(DeclarativeBase):
    """Declarative base; ``__sync__`` marks tables whose writes go to the outbox."""

    __sync__: bool = True


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=uuid7)


class OrgUnit(Base):
    """Organisation tree node (组织机构): county, township, village, grid or handling unit."""

    __tablename__ = "org_unit"

    id: Mapped[str] = _id()
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # county/township/village/community/grid/unit
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str | None] = mapped_column(String(20), index=True)  # 统计用区划代码 or unit code
    unit_type: Mapped[str | None] = mapped_column(String(20))  # 派出所/司法所/法庭/…
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AppUser(Base):
    """A person who signs in (用户): 接待员, 调解员, 中心主任, 管理员."""

    __tablename__ = "app_user"

    id: Mapped[str] = _id()
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    # LOCAL columns never leave this PC: not in the outbox, ignored in pulled rows (issue 11).
    password_hash: Mapped[str | None] = mapped_column(String(200), info=LOCAL)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, info=LOCAL)  # migration 0008
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, info=LOCAL)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, info=LOCAL)


class Person(Base):
    """A resident or party (人员). The only table holding residents' ID numbers and phones."""

    __tablename__ = "person"

    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(60))
    name_pinyin: Mapped[str] = mapped_column(String(200), default="")
    name_initials: Mapped[str] = mapped_column(String(60), default="", index=True)
    id_type: Mapped[str] = mapped_column(String(10), default="111")
    # Sealed (AES-GCM) at rest, in the outbox and on the hub; looked up through the HMAC columns
    # (services.store.sealed, migration 0013). The two HMACs follow the values by themselves.
    # VARCHAR(20) as declared in 0001: SQLite keeps the ~80-character tokens whatever the length.
    id_number: Mapped[str | None] = mapped_column(Sealed("id_number", 20))
    id_number_hmac: Mapped[str | None] = mapped_column(String(32), index=True)
    phone: Mapped[str | None] = mapped_column(Sealed("phone", 20))
    phone_hmac: Mapped[str | None] = mapped_column(String(32), index=True)
    gender: Mapped[str | None] = mapped_column(String(2))  # 男/女
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    address: Mapped[str | None] = mapped_column(String(200))
    village_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_person_name", "name"),
        Index("ix_person_name_pinyin", "name_pinyin"),  # migration 0003
    )


@event.listens_for(Person.id_number, "set", propagate=True)
def _blind_id_number(target: Person, value: str | None, _old: object, _init: object) -> None:
    target.id_number_hmac = blind(unseal(value, "id_number"), "id_number")


@event.listens_for(Person.phone, "set", propagate=True)
def _blind_phone(target: Person, value: str | None, _old: object, _init: object) -> None:
    target.phone_hmac = blind(unseal(value, "phone"), "phone")


# The ledger's indexes (migration 0009, services.cases.ledger_plan): for every sort key, one that
# walks all cases and one per filter column that starts with the filter's value.
LEDGER_SORTS = {"reg": ("registered_at", "id"), "due": ("due_at", "id"), "code": ("code",)}
LEDGER_DIMENSIONS = {
    "state": "state",
    "colour": "risk_colour",
    "village": "village_id",
    "supervision": "supervision_level",
    "registrar": "registered_by",
    "class": "substr(category_code, 1, 2)",
    "level": "handling_level",
    "township": "township_id",
}


def _ledger_indexes() -> list[Index]:
    out: list[Index] = []
    for suffix, key in LEDGER_SORTS.items():
        out.append(Index(f"ix_ledger_{suffix}", *key))
        for dim, column in LEDGER_DIMENSIONS.items():
            first = text(column) if "(" in column else column
            out.append(Index(f"ix_ledger_{dim}_{suffix}", first, *key))
    # Open cases with a deadline only: the 已超期 filter under the registration and code sorts.
    has_due = text("due_at IS NOT NULL")
    out.append(Index("ix_ledger_open_reg", "registered_at", "id", "due_at", "clock_paused",
                     "state", sqlite_where=has_due))  # fmt: skip
    out.append(Index("ix_ledger_open_code", "code", "due_at", "clock_paused", "state",
                     sqlite_where=has_due))  # fmt: skip
    # Each registration month's cases in code order: the code sort over a date range (0022).
    out.append(Index("ix_ledger_month_code", text("substr(registered_at, 1, 7)"), "code",
                     "registered_at"))  # fmt: skip
    # ... and its cases with a deadline in (due_at, id) order: the due sort over a range (0023).
    out.append(Index("ix_ledger_month_due", text("substr(registered_at, 1, 7)"), "due_at", "id",
                     "registered_at", sqlite_where=has_due))  # fmt: skip
    return out


class Case(Base):
    """A dispute or request (矛盾纠纷/诉求), one code per case (一案一码).

    ``state``, ``supervision_level`` and the ``due_at``/``remind_at``/``yellow_at`` columns are a
    projection of ``case_event`` refreshed in the same transaction as each event, so the ledger can
    filter and sort 1M rows in SQL; the event log stays the truth.
    """

    __tablename__ = "case_file"

    id: Mapped[str] = _id()
    code: Mapped[str] = mapped_column(String(40), unique=True)
    township_id: Mapped[str] = mapped_column(ForeignKey("org_unit.id"))
    village_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    category_code: Mapped[str] = mapped_column(String(4))
    risk_colour: Mapped[str] = mapped_column(String(8), default="green")
    risk_basis: Mapped[str] = mapped_column(Text, default="")
    handling_level: Mapped[str] = mapped_column(String(10), default="township")
    channel: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    people_count: Mapped[int] = mapped_column(Integer, default=1)
    occurred_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    occurred_place: Mapped[str] = mapped_column(String(200), default="")
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    registered_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    # projection of the event log
    state: Mapped[str] = mapped_column(String(24))
    supervision_level: Mapped[str] = mapped_column(String(10), default="none")
    assignee_unit_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    remind_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    yellow_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    clock_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    rework_count: Mapped[int] = mapped_column(Integer, default=0)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", order_by="CaseParty.sort_order", lazy="raise"
    )

    __table_args__ = (
        Index("ix_case_supervision_remind", "supervision_level", "remind_at"),  # migration 0003
        *_ledger_indexes(),  # migration 0009
    )


class CaseParty(Base):
    """A person's role in a case (当事人): 申请人, 被申请人, 代表, 第三人."""

    __tablename__ = "case_party"

    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[Case] = relationship(back_populates="parties", lazy="raise")


class CaseAlias(Base):
    """Another code a case is known by (案件别名), e.g. a provisional number replaced on sync."""

    __tablename__ = "case_alias"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))


class CaseEvent(Base):
    """One step in a case's life (案件流转记录), append-only; the case state is its replay."""

    __tablename__ = "case_event"

    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(40))
    hlc: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        UniqueConstraint("case_id", "seq", name="uq_case_event_seq"),
        Index("ix_case_event_case_hlc", "case_id", "hlc"),
    )


class Visit(Base):
    """A walk-in or other contact (来访登记): several visitors, a head count and a channel."""

    __tablename__ = "visit"

    id: Mapped[str] = _id()
    township_id: Mapped[str] = mapped_column(ForeignKey("org_unit.id"))
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    received_by: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    channel: Mapped[str] = mapped_column(String(20))
    head_count: Mapped[int] = mapped_column(Integer, default=1)
    is_collective: Mapped[bool] = mapped_column(Boolean, default=False)
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    disposition: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class PersonPhone(Base):
    """A phone a person had before the current one (曾用电话, migration 0014): a new number typed
    at a later visit replaces ``person.phone`` and the old one is kept here, never lost."""

    __tablename__ = "person_phone"

    id: Mapped[str] = _id()
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    phone: Mapped[str] = mapped_column(Sealed("phone", 20))  # sealed; matched by phone_hmac (0013)
    phone_hmac: Mapped[str | None] = mapped_column(String(32), index=True)
    replaced_at: Mapped[dt.datetime] = mapped_column(DateTime)


@event.listens_for(PersonPhone.phone, "set", propagate=True)
def _blind_earlier_phone(target: PersonPhone, value: str | None, _o: object, _i: object) -> None:
    target.phone_hmac = blind(unseal(value, "phone"), "phone")


class PersonEvent(Base):
    """Something that happened to a person's record (人员变更记录, migration 0014): a name
    changed at registration with its reason (``kind`` ``rename``, detail ``from``/``to``/
    ``reason``), with the case it was registered for."""

    __tablename__ = "person_event"

    id: Mapped[str] = _id()
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case_file.id"))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class VisitPerson(Base):
    """A visitor in a visit (来访人)."""

    __tablename__ = "visit_person"

    id: Mapped[str] = _id()
    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))


class DeadlineRule(Base):
    """Deadline rule (办理时限规则): level × category? × colour? × milestone → amount + unit."""

    __tablename__ = "deadline_rule"
    __sync__ = False  # reference data: flows down from the county, never up

    id: Mapped[str] = _id()
    handling_level: Mapped[str] = mapped_column(String(10))
    category_code: Mapped[str | None] = mapped_column(String(4))
    risk_colour: Mapped[str | None] = mapped_column(String(8))
    milestone: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(
        String(16)
    )  # hours (working) / natural_hours / natural_days / working_days
    source: Mapped[str] = mapped_column(String(16), default="default")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CalendarDay(Base):
    """Holiday calendar entry (节假日安排): a holiday or a 调休 working day; beats the package."""

    __tablename__ = "calendar_day"
    __sync__ = False  # reference data: flows down from the county, never up

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(16), default="override")


class NumberBlock(Base):
    """A block of sequence numbers (号段) for one series, leased locally or from the county hub."""

    __tablename__ = "number_block"
    __sync__ = False  # blocks are leased and reconciled by the sync protocol itself

    id: Mapped[str] = _id()
    series: Mapped[str] = mapped_column(String(60), index=True)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    next_value: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10), default="local")
    leased_at: Mapped[dt.datetime] = mapped_column(DateTime)


class DeviceState(Base):
    """This PC's identity and clock (本机状态); one row."""

    __tablename__ = "device_state"
    __sync__ = False

    device_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    township_id: Mapped[str | None] = mapped_column(String(36))
    hlc_last: Mapped[str] = mapped_column(String(64), default="")
    reference_version: Mapped[str] = mapped_column(String(20), default="")


class Outbox(Base):
    """A local change waiting for the county hub (待同步变更), written in the same transaction."""

    __tablename__ = "outbox"
    __sync__ = False

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))  # insert / update
    hlc: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


# Base table of searchable text, one row per case; ``case_fts`` (FTS5 trigram, migration 0002)
# indexes it through triggers. Not mapped to a class: written by services.cases.search only.
from sqlalchemy import Column, Table  # noqa: E402

case_search = Table(
    "case_search",
    Base.metadata,
    Column("rowid", Integer, primary_key=True),
    Column("case_id", String(36), ForeignKey("case_file.id"), nullable=False, unique=True),
    Column("names", Text, nullable=False, server_default=""),
    Column("body", Text, nullable=False, server_default=""),
)

# Daily tallies of the live cases by dimension, kept by triggers (migration 0019); read by the
# 统计 screen. Not mapped to a class: services.store.tally owns its triggers.
case_tally = Table(
    "case_tally",
    Base.metadata,
    Column("day", String(10), primary_key=True),
    Column("township_id", String(36), primary_key=True),
    Column("dimension", String(8), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("n", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Each close and each evaluation with what the dashboard's rates need, kept by triggers
# (migration 0020); services.store.rate_facts owns its triggers and explains next_at/back_at.
rate_fact = Table(
    "rate_fact",
    Base.metadata,
    Column("event_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("township_id", String(36), nullable=False),
    Column("kind", String(8), nullable=False),  # 'close' | 'evaluate'
    Column("at", DateTime, nullable=False),  # closed_at / the evaluation's occurred_at
    Column("ord", String(64), nullable=False),  # order within the case: closed_at / hlc
    Column("value", String(24)),  # closure_type / the evaluation
    Column("ok", Boolean),  # the close was on time (closes only)
    Column("live", Boolean, nullable=False),  # the case is not voided
    Column("next_at", DateTime),
    Column("back_at", DateTime),
    Index("ix_rate_fact_case", "case_id", "kind", "ord", "event_id", "at"),
    # the facts a later one of their case may outrank in a window (few): read by range
    Index(
        "ix_rate_fact_later",
        "kind",
        "live",
        "at",
        "next_at",
        "back_at",
        "value",
        "ok",
        sqlite_where=text("next_at IS NOT NULL OR back_at IS NOT NULL"),
    ),  # fmt: skip
    Index(
        "ix_rate_fact_later_township",
        "township_id",
        "kind",
        "live",
        "at",
        "next_at",
        "back_at",
        "value",
        "ok",
        sqlite_where=text("next_at IS NOT NULL OR back_at IS NOT NULL"),
    ),  # fmt: skip
)
# The live facts no later fact of their case can outrank (next_at and back_at NULL), counted
# per (kind, day, township, '<value>|<ok>'): kept by triggers on rate_fact (migration 0020).
rate_tally = Table(
    "rate_tally",
    Base.metadata,
    Column("kind", String(8), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("township_id", String(36), primary_key=True),
    Column("key", String(40), primary_key=True),
    Column("n", Integer, nullable=False),
    sqlite_with_rowid=False,
)


# --- slips (issue 4) ---


class Slip(Base):
    """An issued slip (已签发文书): number, issued content snapshot and PDF hash; never deleted.

    ``content`` is the JSON of ``services.slips.dto.SlipDocument``; reprints render it, so they show
    exactly what was issued. A voided slip keeps its number with the reason (作废).
    """

    __tablename__ = "slip"

    id: Mapped[str] = _id()
    township_id: Mapped[str] = mapped_column(ForeignKey("org_unit.id"))
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    case_code: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    grade: Mapped[str | None] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    addressee: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    issued_by: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str | None] = mapped_column(String(36))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="issued")
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (
        UniqueConstraint("township_id", "kind", "year", "seq", name="uq_slip_series_seq"),
        Index("ix_slip_kind_issued", "kind", "issued_at"),
    )


class SlipPrint(Base):
    """One print of a slip (打印记录), append-only; every print after the first is 补打."""

    __tablename__ = "slip_print"

    id: Mapped[str] = _id()
    slip_id: Mapped[str] = mapped_column(ForeignKey("slip.id"), index=True)
    printed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    printed_by: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(40))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)


# --- sync (issue 5) ---


RESTORED_CURSOR = -1
"""``sync_state.cursor`` of a store just restored from a backup (``services.backup``): its next
sync pulls everything again, and its next audit entry starts a new epoch of this PC's chain
(``services.audit.log``), so it never reuses a ``device_seq`` it pushed after the backup."""


class SyncState(Base):
    """This PC's sync bookkeeping (同步状态): the hub cursor, scope and last outcome; one row."""

    __tablename__ = "sync_state"
    __sync__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    scope: Mapped[str] = mapped_column(String(10), default="")  # township / county
    hub_device_id: Mapped[str] = mapped_column(String(36), default="")
    hub_label: Mapped[str] = mapped_column(String(100), default="")
    hub_township_id: Mapped[str | None] = mapped_column(String(36))
    last_success_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error_code: Mapped[str] = mapped_column(String(40), default="")
    last_error: Mapped[str] = mapped_column(Text, default="")
    clock_skew_ms: Mapped[int | None] = mapped_column(BigInteger)


class SyncConflict(Base):
    """A conflict for a director to review (同步冲突): a field changed on two sides, or an event
    no longer valid after a concurrent one. The kept value is already in effect."""

    __tablename__ = "sync_conflict"
    __sync__ = False  # field conflicts come from the hub; settling goes up through the outbox

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # field / event
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(60), default="")
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    township_id: Mapped[str | None] = mapped_column(String(36))
    base_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    lost_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept_hlc: Mapped[str] = mapped_column(String(64), default="")
    lost_hlc: Mapped[str] = mapped_column(String(64), default="")
    kept_device: Mapped[str] = mapped_column(String(40), default="")
    lost_device: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    detected_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    settled_by: Mapped[str | None] = mapped_column(String(36))
    settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    settled_value: Mapped[Any] = mapped_column(JSON, nullable=True)


class SyncQuarantine(Base):
    """Why an outbox change was refused by the hub (隔离原因); the change itself stays in outbox."""

    __tablename__ = "sync_quarantine"
    __sync__ = False

    change_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status_code: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    quarantined_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SyncParked(Base):
    """A pulled row that cannot be applied yet (暂存), e.g. its parent has not arrived."""

    __tablename__ = "sync_parked"
    __sync__ = False

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    row: Mapped[dict[str, Any]] = mapped_column(JSON)
    seq: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    parked_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SyncReference(Base):
    """A reference file published by the county (县级下发的基础数据文件)."""

    __tablename__ = "sync_reference"
    __sync__ = False

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[Any] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)


# Pull checks "unsent local changes" of the records it applies by entity and id; push reads
# pending changes in order (without this, each batch sorts every pending row).
Index("ix_outbox_entity", Outbox.entity, Outbox.entity_id)
Index("ix_outbox_status_seq", Outbox.status, Outbox.seq)


# --- mediation rooms (issue 6) ---


class MediationRoom(Base):
    """A mediation room (调解室) with its equipment and opening rules.

    ``open_rule`` is ``workdays`` (official working days of the holiday calendar), ``weekdays``
    (the chosen ``weekdays``, 1 = Monday) or ``always``; ``slot_mode`` is ``hourly`` (整点时段)
    or ``free``; ``closures`` lists ISO dates the room is closed.
    """

    __tablename__ = "mediation_room"

    id: Mapped[str] = _id()
    township_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    name: Mapped[str] = mapped_column(String(60))
    room_type: Mapped[str] = mapped_column(String(20), default="普通调解室")
    capacity: Mapped[int] = mapped_column(Integer, default=6)
    equipment: Mapped[list[str]] = mapped_column(JSON, default=list)
    open_rule: Mapped[str] = mapped_column(String(10), default="workdays")
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    slot_mode: Mapped[str] = mapped_column(String(10), default="free")
    open_from: Mapped[str] = mapped_column(String(5), default="08:30")
    open_to: Mapped[str] = mapped_column(String(5), default="17:30")
    closures: Mapped[list[str]] = mapped_column(JSON, default=list)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Mediator(Base):
    """A mediator (调解员): staff or an external 人民调解员, with specialties and duty days."""

    __tablename__ = "mediator"

    id: Mapped[str] = _id()
    township_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10), default="staff")  # staff / external
    user_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    phone: Mapped[str | None] = mapped_column(String(20))
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)  # GB/T 31000 codes
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)  # empty = every day
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class BookingSeries(Base):
    """A weekly recurring booking (周期预约), e.g. a lawyer's duty session (律师值班)."""

    __tablename__ = "booking_series"

    id: Mapped[str] = _id()
    township_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    room_id: Mapped[str] = mapped_column(ForeignKey("mediation_room.id"))
    title: Mapped[str] = mapped_column(String(200))
    weekday: Mapped[int] = mapped_column(Integer)  # 1 = Monday
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    first_date: Mapped[dt.date] = mapped_column(Date)
    until_date: Mapped[dt.date] = mapped_column(Date)
    mediator_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)


class RoomBooking(Base):
    """A booking of a room (调解室预约), usually for a case (为案件预约).

    Status: booked 已预约, in_use 使用中, finished 已结束, cancelled 已取消, no_show 过期未到.
    An occurrence of a series edited or cancelled on its own is an exception (``detached``) and
    survives edits of the series.
    """

    __tablename__ = "room_booking"

    id: Mapped[str] = _id()
    township_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    room_id: Mapped[str] = mapped_column(ForeignKey("mediation_room.id"))
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)
    end_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default="booked")
    series_id: Mapped[str | None] = mapped_column(ForeignKey("booking_series.id"), index=True)
    occurrence_date: Mapped[dt.date | None] = mapped_column(Date)
    detached: Mapped[bool] = mapped_column(Boolean, default=False)
    mediator_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    person_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)  # no-show: call back
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str | None] = mapped_column(String(36))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_room_booking_start", "start_at"),
        Index("ix_room_booking_status_start", "status", "start_at"),
    )


class BookingResource(Base):
    """One resource a live booking holds (占用): the room, a mediator or a party.

    ``resource`` is ``room:<id>``, ``mediator:<id>`` or ``person:<id>``; rows exist only while
    the booking holds its time (not cancelled), so the conflict check is one indexed range query.
    Derived from ``room_booking`` on this PC, so it is not synced (and may be rebuilt).
    """

    __tablename__ = "booking_resource"
    __sync__ = False

    id: Mapped[str] = _id()
    booking_id: Mapped[str] = mapped_column(ForeignKey("room_booking.id"), index=True)
    resource: Mapped[str] = mapped_column(String(50))
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)
    end_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_booking_resource_span", "resource", "start_at", "end_at"),)


class MediationSession(Base):
    """A mediation session record (人民调解记录)."""

    __tablename__ = "mediation_session"

    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    booking_id: Mapped[str | None] = mapped_column(ForeignKey("room_booking.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(100), default="")
    presiding_id: Mapped[str] = mapped_column(ForeignKey("mediator.id"))
    co_mediator_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorder: Mapped[str] = mapped_column(String(60), default="")
    attendees: Mapped[list[str]] = mapped_column(JSON, default=list)
    mode: Mapped[str] = mapped_column(String(10))
    process_text: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(10))  # 达成 / 未达成 / 继续调解
    next_session_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str | None] = mapped_column(String(36))
    # migration 0010: a director's void (作废) and the correction counter (更正)
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[str | None] = mapped_column(String(36))
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_mediation_session_seq"),)


class MediationSessionChange(Base):
    """A correction (更正) or void (作废) of a session record, with its reason; append-only."""

    __tablename__ = "mediation_session_change"

    id: Mapped[str] = _id()
    session_id: Mapped[str] = mapped_column(ForeignKey("mediation_session.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # correct / void
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    changed_by: Mapped[str | None] = mapped_column(String(36))


class MediationCentre(Base):
    """The centre's address and phone for notices (调解通知书), one row per township."""

    __tablename__ = "mediation_centre"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the township's id
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")


class BookingCall(Base):
    """A reminder call to a party about a booking (提醒电话): who called, when, what came of it."""

    __tablename__ = "booking_call"

    id: Mapped[str] = _id()
    booking_id: Mapped[str] = mapped_column(ForeignKey("room_booking.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    called_at: Mapped[dt.datetime] = mapped_column(DateTime)
    called_by: Mapped[str | None] = mapped_column(String(36))
    result: Mapped[str] = mapped_column(String(20), default="")  # 已通知 / 未接通 / 改期
    note: Mapped[str] = mapped_column(Text, default="")


class MediationAgreement(Base):
    """A mediation agreement (人民调解协议书), or an oral one (口头协议) recorded as such."""

    __tablename__ = "mediation_agreement"

    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("mediation_session.id"), unique=True)
    number: Mapped[str] = mapped_column(String(60))
    form: Mapped[str] = mapped_column(String(10))  # written / oral
    facts: Mapped[str] = mapped_column(Text)
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    performance: Mapped[str] = mapped_column(Text, default="")
    copies: Mapped[int] = mapped_column(Integer)
    committee: Mapped[str] = mapped_column(String(100))
    agreed_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str | None] = mapped_column(String(36))


class RoomDocument(Base):
    """A numbered room document (调解通知书, 人民调解协议书), never deleted.

    The number is drawn from a number block (``services.numbering``) like the slips'; ``content``
    is the JSON of the ``services.rooms.dto`` document as first issued, so every later print shows
    exactly what was issued (marked 补打).
    """

    __tablename__ = "room_document"

    id: Mapped[str] = _id()
    township_id: Mapped[str] = mapped_column(ForeignKey("org_unit.id"))
    kind: Mapped[str] = mapped_column(String(12))  # agreement / notice
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    booking_id: Mapped[str | None] = mapped_column(String(36), index=True)
    person_id: Mapped[str | None] = mapped_column(String(36))
    agreement_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    issued_by: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(40))


class RoomDocumentPrint(Base):
    """One print of a room document, append-only; every print after the first is 补打."""

    __tablename__ = "room_document_print"

    id: Mapped[str] = _id()
    township_id: Mapped[str] = mapped_column(ForeignKey("org_unit.id"))
    document_id: Mapped[str] = mapped_column(ForeignKey("room_document.id"), index=True)
    printed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    printed_by: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(40))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)


# --- reports (issue 13) ---


class ClosureFact(Base):
    """Whether a close (办结) fell within its deadline (按期办结), worked out once per close event.

    Derived on this PC from the event log by ``services.statistics.closures`` (the deadline in
    force just before the close needs the case's earlier events replayed), never synced.
    """

    __tablename__ = "closure_fact"
    __sync__ = False

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    township_id: Mapped[str] = mapped_column(String(36))
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    closure_type: Mapped[str] = mapped_column(String(24))
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    on_time: Mapped[bool] = mapped_column(Boolean)


# Statistics read events by time (a report period) and by kind within a period, and closures by
# day (the dashboard's 办结 series); migration 0012.
Index("ix_case_event_occurred", CaseEvent.occurred_at)
Index("ix_case_event_action_occurred", CaseEvent.action, CaseEvent.occurred_at)
Index("ix_case_closed", Case.closed_at)
# migration 0018: the dashboard's live counts over open cases, each from one covering index
Index("ix_stat_open_clock", Case.state, Case.clock_paused, Case.due_at)
Index("ix_stat_colour_state", Case.risk_colour, Case.state)
Index("ix_stat_supervision_state", Case.supervision_level, Case.state)
# migration 0020: the same counts for one township (the county screen's township filter)
Index("ix_stat_town_open_clock", Case.township_id, Case.state, Case.clock_paused, Case.due_at)
Index("ix_stat_town_colour_state", Case.township_id, Case.risk_colour, Case.state)
Index("ix_stat_town_supervision_state", Case.township_id, Case.supervision_level, Case.state)


# --- trust (issue 11) ---


class AuditLog(Base):
    """One entry of this PC's tamper-evident audit log (审计日志).

    Entries of one device form a chain: ``hash`` is SHA-256 over ``prev_hash`` and the entry's
    canonical content, and ``signature`` is the device key's Ed25519 signature of ``hash``
    (``services.audit``). Written with every unit of work that changes synced data, and for
    sign-ins, unmasking, prints and exports; never updated or deleted; synced to the hub.
    """

    __tablename__ = "audit_log"

    id: Mapped[str] = _id()
    device_id: Mapped[str] = mapped_column(String(40))
    device_seq: Mapped[int] = mapped_column(Integer)
    key_id: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[str | None] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    township_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (
        UniqueConstraint("device_id", "device_seq", name="uq_audit_device_seq"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_user_at", "user_id", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
        Index("ix_audit_log_case", "case_id"),
    )


class AuditKey(Base):
    """A device's audit signing key (审计签名公钥): the public half, synced to the hub."""

    __tablename__ = "audit_key"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40))
    public_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    township_id: Mapped[str | None] = mapped_column(String(36))


class AuditEvent(Base):
    """The digest a case_event had when this PC wrote or received it, and its audit entry."""

    __tablename__ = "audit_event"
    __sync__ = False  # derived on each PC from the events it writes or pulls

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    audit_id: Mapped[str] = mapped_column(String(36), index=True)
