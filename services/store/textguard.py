"""Last line of defence for stored text (入库文本校验): nothing unstorable reaches a synced table.

Every service validates its own form fields with :func:`services.domain.textutil.clean_text`;
this check runs before every flush on the values of synced rows, so a field a service forgot
(or a future one) can still never store a NUL, a control character, a lone surrogate, a
non-finite number, a date outside 1900-2199 or a count beyond its range
(services.domain.bounds): such a value would be refused at the county hub (PostgreSQL, or
the hub's checks) and park the change.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import JSON, Integer, event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from services.domain.bounds import MAX_YEAR, MIN_YEAR, date_in_range, int_range
from services.domain.errors import ValidationError
from services.domain.messages import msg
from services.domain.projection import DERIVED_COLUMNS
from services.domain.textutil import json_problem, text_problem
from services.store.models import Base

# Chinese names of the columns a person types into, for the message (others show the column).
LABELS = {
    "address": "住址", "note": "备注", "title": "标题", "summary": "诉求简述",
    "description": "详细情况", "name": "名称", "occurred_place": "事发地点",
    "risk_basis": "定色依据", "addressee": "主送单位", "facts": "事实", "committee": "调解委员会",
    "performance": "履行方式", "reason": "理由", "payload": "办理意见", "content": "文书内容",
    "display_name": "姓名", "username": "用户名", "phone": "电话", "id_number": "证件号码",
    "occurred_at": "发生时间", "registered_at": "登记时间", "birth_date": "出生日期",
    "agreed_on": "协议日期", "start_at": "开始时间", "end_at": "结束时间",
    "amount_cents": "涉及金额（分）", "people_count": "涉及人数", "head_count": "来访人数",
}  # fmt: skip


@functools.cache
def _columns(
    cls: type[Base],
) -> tuple[tuple[str, str, str, bool, tuple[int, int] | None], ...]:
    """(attribute, label, field, is JSON, its range) of each column of ``cls``, once per mapped
    class."""
    return tuple(
        (attr.key, LABELS.get(attr.key, f"“{attr.key}”"), f"{cls.__tablename__}.{attr.key}",
         isinstance(attr.columns[0].type, JSON),
         int_range(cls.__tablename__, attr.key)
         if isinstance(attr.columns[0].type, Integer) else None)
        for attr in inspect(cls).column_attrs
    )  # fmt: skip


def check_row(obj: Base, names: set[str] | None = None, *,
              derived: frozenset[str] = frozenset()) -> None:  # fmt: skip
    """Raise :class:`ValidationError` for the first unstorable value of ``obj``'s columns.

    ``derived`` columns have their text checked but not their range: an update's derived
    columns are re-derived from the (checked) events on every PC and never pushed
    (services.store.outbox), and a deadline an approved extension carries past 2199 is no
    value anyone typed."""
    values = obj.__dict__
    for key, label, field, is_json, bounds in _columns(type(obj)):
        if names is not None and key not in names:
            continue
        if key in derived:
            bounds = None
        value = values[key] if key in values else getattr(obj, key)
        if value is None:
            continue
        if isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                raise ValidationError(field, f"{key}.invalid_char", label + problem)
        elif is_json:
            found = json_problem(value)
            if found is not None:
                raise ValidationError(field, f"{key}.invalid", f"{label}{found[1]}")
        elif isinstance(value, dt.date) and key not in derived and not date_in_range(value):
            said = msg("{label}须在{low}年至{high}年之间", label=label, low=MIN_YEAR, high=MAX_YEAR)
            raise ValidationError(field, f"{key}.out_of_range", said)
        elif bounds is not None and not bounds[0] <= int(value) <= bounds[1]:
            said = msg("{label}须在{low}至{high}之间", label=label, low=bounds[0], high=bounds[1])
            raise ValidationError(field, f"{key}.out_of_range", said)


_NONE: frozenset[str] = frozenset()
_DERIVED = {table: frozenset(names) for table, names in DERIVED_COLUMNS.items()}


def _changed(obj: Base) -> set[str]:
    state = inspect(obj)
    return {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}


@event.listens_for(Session, "before_flush")
def _check_text(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    for obj in session.new:
        if isinstance(obj, Base) and type(obj).__sync__:
            check_row(obj)
    for obj in session.dirty:
        if isinstance(obj, Base) and type(obj).__sync__:
            check_row(obj, _changed(obj), derived=_DERIVED.get(type(obj).__tablename__, _NONE))
