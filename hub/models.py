"""The hub's own tables (县级同步平台数据表): townships, devices, changes, records, leases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JsonType = JSON().with_variant(JSONB(), "postgresql")


class HubBase(DeclarativeBase):
    """Declarative base of the hub; separate from the desktop store's models."""


class Township(HubBase):
    """A township known to the hub (乡镇), keyed by its hub-issued id."""

    __tablename__ = "township"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Device(HubBase):
    """A device token (设备令牌): scope is one township or the whole county."""

    __tablename__ = "device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10))  # township / county
    township_id: Mapped[str | None] = mapped_column(ForeignKey("township.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    bound_device: Mapped[str | None] = mapped_column(String(40))
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_push_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_pull_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    pending: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)


class Change(HubBase):
    """One accepted change (已接收变更); the primary key makes a repeated push a no-op."""

    __tablename__ = "change"

    change_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))
    hlc: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType)
    payload_hash: Mapped[str] = mapped_column(String(64))
    township_id: Mapped[str | None] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Record(HubBase):
    """The merged current state of one synced row (记录), served by pull in ``seq`` order.

    ``field_hlc`` keeps the hybrid-logical-clock of the change that last set each field, so
    concurrent updates merge field by field in HLC order on every replica alike.
    """

    __tablename__ = "record"

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    township_id: Mapped[str | None] = mapped_column(String(36))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str] = mapped_column(String(36))  # "county" or a township id
    row: Mapped[dict[str, Any]] = mapped_column(JsonType)
    field_hlc: Mapped[dict[str, Any]] = mapped_column(JsonType)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    # The device whose push last changed the record, and the record's seq before that push: a
    # device whose cursor had reached ``base_seq`` already holds this exact state (no echo).
    origin: Mapped[str | None] = mapped_column(String(36))
    base_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_record_township_seq", "township_id", "seq"),
        Index("ix_record_public_seq", "public", "seq"),
    )


class Counter(HubBase):
    """Named counters; ``seq`` is the pull cursor, taken under this row's lock."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class NumberSeries(HubBase):
    """The next free number of a series (号段序列)."""

    __tablename__ = "number_series"

    series: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_value: Mapped[int] = mapped_column(BigInteger)


class Lease(HubBase):
    """A block of numbers leased to one device (号段租约); ``request_id`` makes retries safe."""

    __tablename__ = "lease"

    request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    series: Mapped[str] = mapped_column(String(80))
    first: Mapped[int] = mapped_column(BigInteger)
    last: Mapped[int] = mapped_column(BigInteger)
    leased_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CaseCode(HubBase):
    """Every case code ever used in a township (一案一码), with the case holding it.

    The primary key makes a code unique per township (the code carries the year); a case keeps
    its old codes (a provisional code renumbered), so a printed code never names another case.
    """

    __tablename__ = "case_code"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)  # first: looked up by code
    township_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # "" for the county
    case_id: Mapped[str] = mapped_column(String(64))
