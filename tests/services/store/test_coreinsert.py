"""New rows written with Core (services.store.coreinsert) get what a flush would give them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import DateTime, Integer, String, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from services.context import ServiceContext
from services.domain.errors import ValidationError
from services.domain.ids import uuid7
from services.store.coreinsert import insert_new
from services.store.models import OrgUnit, Outbox, Person


def test_defaults_outbox_row_and_identity_map(ctx: ServiceContext) -> None:
    """As the flush: column defaults filled in, one outbox insert row each, in order, and the
    objects persistent in the session (found without a SELECT)."""
    people = [Person(id=uuid7(), name=name, created_at=ctx.now()) for name in ("张三", "李四")]
    with ctx.store.write() as session:
        insert_new(session, people)
        assert session.get(Person, people[0].id) is people[0]
        assert not session.new and not session.dirty
    with ctx.store.read() as session:
        stored = session.get(Person, people[1].id)
        assert stored is not None
        assert (stored.name, stored.id_type, stored.name_pinyin) == ("李四", "111", "")
        query = select(Outbox.entity, Outbox.entity_id, Outbox.op, Outbox.payload)
        changes = session.execute(query.order_by(Outbox.seq.desc()).limit(2)).all()
    assert [tuple(c[:3]) for c in reversed(changes)] == [
        ("person", people[0].id, "insert"), ("person", people[1].id, "insert")
    ]  # fmt: skip
    assert changes[0].payload["row"]["id_type"] == "111"


def test_text_checked_before_anything_is_written(ctx: ServiceContext) -> None:
    good = OrgUnit(id=uuid7(), kind="unit", name="调解室", parent_id=ctx.township_id)
    bad = OrgUnit(id=uuid7(), kind="unit", name="调解室\x00", parent_id=ctx.township_id)
    with pytest.raises(ValidationError) as caught, ctx.store.write() as session:
        insert_new(session, [good, bad])
    assert caught.value.field == "org_unit.name"
    with ctx.store.read() as session:
        assert session.get(OrgUnit, good.id) is None


class _Other(DeclarativeBase):
    """A metadata of its own: the real one's tables are compared across the suite."""


class _LaterColumns(_Other):
    """A model as a later change might write it: defaults of each kind."""

    __tablename__ = "later_columns"
    __sync__ = False
    id: Mapped[str] = mapped_column(String, primary_key=True)
    label: Mapped[str] = mapped_column(String, server_default="未填")  # the database's only
    stamped: Mapped[dt.datetime] = mapped_column(DateTime, default=func.current_timestamp())
    counted: Mapped[int] = mapped_column(Integer, default=lambda context: 7)
    plain: Mapped[str | None] = mapped_column(String)


def test_defaults_of_every_kind_as_the_flush_gives_them() -> None:
    """A column the database fills (a server default, a SQL expression) gets its value, not
    NULL, and reads back on the object; a row that sets it keeps its own value. Before, the
    unset column was written as NULL (the server default: NOT NULL constraint failed)."""
    engine = create_engine("sqlite://")
    _Other.metadata.create_all(engine)
    query = select(*[getattr(_LaterColumns, c) for c in ("label", "counted", "plain")])
    with Session(engine) as session:
        session.add(_LaterColumns(id="flushed"))
        session.flush()
        written = [_LaterColumns(id="core"), _LaterColumns(id="own", label="已填")]
        insert_new(session, written, capture=False)  # type: ignore[arg-type]
        rows = {r.id: r for r in session.execute(select(_LaterColumns.id, *query.selected_columns))}
        assert rows["core"][1:] == rows["flushed"][1:] == ("未填", 7, None)
        assert rows["own"].label == "已填"
        stamps = session.scalars(select(func.count()).where(_LaterColumns.stamped.is_not(None)))
        assert stamps.one() == 3
        assert written[0].label == "未填" and written[0].stamped is not None
        assert session.get(_LaterColumns, "core") is written[0]


def test_rolled_back_savepoint_takes_its_rows_out_of_the_session(ctx: ServiceContext) -> None:
    """As with a flush: the rows written in a savepoint that is rolled back leave the session;
    those written before it stay. Before, they stayed as persistent objects of rows that no
    longer existed (a later ``session.get`` found a ghost instead of None)."""
    kept, undone = (Person(id=uuid7(), name=n, created_at=ctx.now()) for n in ("张三", "李四"))
    with ctx.store.write() as session:
        insert_new(session, [kept])
        savepoint = session.begin_nested()
        insert_new(session, [undone])
        savepoint.rollback()
        assert kept in session and undone not in session
        assert session.get(Person, undone.id) is None
