"""Pull (下载): apply the hub's records page by page, each page and its cursor in one transaction.

Pulled rows are written with Core statements and the case projection is re-derived with the
session flagged ``APPLYING_PULL_KEY``, so nothing applied here goes back into the outbox. A field
with an unsent local change is never overwritten; a row whose parent has not arrived is parked
and retried, never dropped.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    Table,
    TypeDecorator,
    column,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.audit.log import note_pulled_event
from services.cases import search
from services.cases.events import refresh_projection, to_event
from services.context import ServiceContext
from services.domain.bounds import int_range, parse_date, parse_datetime
from services.domain.deadlines import case_clocks
from services.domain.messages import msg
from services.domain.workflow import ACTION_LABELS, replay
from services.numbering import burn_codes
from services.store import holds, rate_facts
from services.store import tally as daily_tally
from services.store.idlist import listed
from services.store.models import (
    Base,
    Case,
    CaseEvent,
    ClosureFact,
    DeadlineRule,
    Outbox,
    SyncConflict,
    SyncParked,
    SyncReference,
    is_local,
)
from services.store.outbox import APPLYING_PULL_KEY
from services.store.sealed import DataKeyError, Sealed, unseal
from services.sync.protocol import CONFLICT_ENTITY, derived, vocabulary_problem

PULLABLE_LOCAL = frozenset({"deadline_rule", "calendar_day"})
WHOLE = frozenset({"*"})
ROOM_TABLES = frozenset({"mediation_room", "mediator", "booking_series", "room_booking",
                         "mediation_session", "mediation_session_change", "mediation_centre",
                         "booking_call", "mediation_agreement"})  # fmt: skip
_KEPT_LOCAL = "\0kept-local"  # _update: the record has unsent local changes throughout


def _pullable() -> frozenset[str]:
    synced = {str(getattr(m.local_table, "name", "")) for m in Base.registry.mappers
              if getattr(m.class_, "__sync__", False)}  # fmt: skip
    return frozenset(synced | PULLABLE_LOCAL)


_ROW_BY_ROW = frozenset({CONFLICT_ENTITY, "reference_file", "deadline_rule", "calendar_day"})
_Item = tuple[str, str, dict[str, Any], int]  # entity, id, wire row, hub seq


def _present(
    session: Session, columns: list[Any], keys: set[tuple[Any, ...]]
) -> set[tuple[Any, ...]]:
    """Which of ``keys`` (values of ``columns``) are rows here already."""
    if not keys:
        return set()
    if len(columns) == 1 and _plain_text(columns[0]) and all(isinstance(k[0], str) for k in keys):
        # One statement with one parameter for any number of ids (a JSON array): 400 bound
        # parameters per statement cost more to expand than to run.
        ids = listed(sorted(k[0] for k in keys))
        return {(r[0],) for r in session.execute(select(columns[0]).where(columns[0].in_(ids)))}
    wanted = sorted(keys, key=repr)
    out: set[tuple[Any, ...]] = set()
    for start in range(0, len(wanted), 400):
        part = wanted[start : start + 400]
        if len(columns) == 1:
            where = columns[0].in_([k[0] for k in part])
        else:
            where = tuple_(*columns).in_(part)
        out.update(tuple(r) for r in session.execute(select(*columns).where(where)))
    return out


def _plain_text(col: Any) -> bool:
    """A text column stored as given (not sealed, not converted on the way in)."""
    return isinstance(col.type, String) and not isinstance(col.type, TypeDecorator)


_RANK = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


@dataclass
class PageTally:
    applied: int = 0
    kept_local: int = 0
    parked: int = 0
    conflicts: int = 0
    reference_changed: bool = False
    bookings: bool = False  # rooms, bookings, sessions or agreements arrived
    case_ids: set[str] = field(default_factory=set)
    calendar_days: set[dt.date] = field(default_factory=set)  # pulled calendar_day rows
    rules_changed: bool = False  # deadline rules or a reference file: every open case


def _unsealed(name: str) -> Callable[[Any], Any]:
    def cast(value: Any) -> Any:
        try:  # compared and stored as this PC stores it; a token it cannot open stays a token
            return unseal(str(value), name)
        except DataKeyError:
            return str(value)

    return cast


def _datetime(value: Any) -> dt.datetime:
    return parse_datetime(str(value))  # within 1900-2199: year 9999 overflows deadlines


def _date(value: Any) -> dt.date:
    return parse_date(str(value))


def _decimal(value: Any) -> decimal.Decimal:
    return decimal.Decimal(str(value))


def _as_is(value: Any) -> Any:
    return value


def _caster(column_type: Any) -> Callable[[Any], Any]:
    """The function from a wire value (not None) to a value of ``column_type``."""
    if isinstance(column_type, Sealed):
        return _unsealed(column_type.field_name)
    if isinstance(column_type, DateTime):
        return _datetime
    if isinstance(column_type, Date):
        return _date
    if isinstance(column_type, Boolean):
        return bool
    if isinstance(column_type, Integer):
        return int
    if isinstance(column_type, Numeric):
        return _decimal
    if isinstance(column_type, JSON):
        return _as_is
    return str


_CASTERS: dict[str, dict[str, Callable[[Any], Any]]] = {}


def _casters(table: Table) -> dict[str, Callable[[Any], Any]]:
    casters = _CASTERS.get(table.name)
    if casters is None:  # the pulled columns of a table and their casts, worked out once
        casters = {c.name: _caster(c.type) for c in table.columns if not is_local(c)}
        _CASTERS[table.name] = casters
    return casters


_REQUIRED: dict[str, tuple[tuple[str, bool, Any], ...]] = {}


def _required(table: Table) -> tuple[tuple[str, bool, Any], ...]:
    """The columns a pulled row must carry, worked out once per table: (name, True, default)
    for a scalar default filled in when the row has none, (name, False, None) when the row is
    incomplete without it (a default made by a function or by the database is left to them)."""
    required = _REQUIRED.get(table.name)
    if required is None:
        out = []
        for c in table.columns:
            if c.nullable or c.primary_key:
                continue
            if c.default is not None and c.default.is_scalar:
                out.append((c.name, True, c.default.arg))  # type: ignore[attr-defined]
            elif c.default is None and c.server_default is None:
                out.append((c.name, False, None))
        required = _REQUIRED[table.name] = tuple(out)
    return required


_INTS: dict[str, tuple[tuple[str, int, int], ...]] = {}


def _int_columns(table: Table) -> tuple[tuple[str, int, int], ...]:
    """The pulled integer columns of a table with their bounds, worked out once."""
    names = _INTS.get(table.name)
    if names is None:
        names = tuple((c.name, *int_range(table.name, c.name)) for c in table.columns
                      if not is_local(c) and isinstance(c.type, Integer))  # fmt: skip
        _INTS[table.name] = names
    return names


def convert(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """Wire values (JSON) to column values; unknown keys are ignored (newer senders), and so
    are this PC's own local columns (a password hash that reached the hub before issue 11).

    Raises ValueError for a value this PC cannot work with (the row is then parked, visibly):
    a code outside the workflow's vocabularies (an action this version does not know would
    fail every re-derivation of its case), a date outside 1900-2199, a count or amount outside
    its range (services.domain.bounds).
    """
    coded = vocabulary_problem(table.name, row)
    if coded is not None:
        raise ValueError(msg("“{field}”的取值“{value}”不是本版本认识的业务代码", field=coded,
                             value=str(row[coded])[:40]))  # fmt: skip
    casters = _casters(table)
    values: dict[str, Any] = {}
    for k, v in row.items():
        cast = casters.get(k)
        if cast is not None:
            values[k] = None if v is None else cast(v)
    for name, low, high in _int_columns(table):  # a report's sum, the next ordinal would overflow
        value = values.get(name)
        if value is not None and not low <= value <= high:
            raise ValueError(msg("“{field}”须在{low}至{high}之间", field=name, low=low, high=high))
    return values


def unsent_fields(
    session: Session, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], frozenset[str]]:
    """Fields of each record with a change not yet accepted by the hub (``*``: the whole row)."""
    wanted = sorted(set(keys))
    out: dict[tuple[str, str], frozenset[str]] = {}
    # != 'sent' as two ranges of the status index (a != scans every change ever sent)
    not_sent = or_(Outbox.status < "sent", Outbox.status > "sent")
    unsent = select(Outbox.entity, Outbox.entity_id, Outbox.op, Outbox.payload).where(not_sent)
    waiting = session.scalar(select(func.count()).select_from(Outbox).where(not_sent)) or 0
    if waiting <= len(wanted):  # few unsent changes (a fresh PC: none): read them all once
        parts = [unsent] if waiting else []
    else:
        parts = [unsent.where(tuple_(Outbox.entity, Outbox.entity_id).in_(wanted[k : k + 400]))
                 for k in range(0, len(wanted), 400)]  # fmt: skip
    chosen = set(wanted)
    for query in parts:
        for entity, entity_id, op, payload in session.execute(query):
            if (entity, entity_id) not in chosen:
                continue
            names = WHOLE if op == "insert" else frozenset((payload or {}).get("fields") or {})
            key = (entity, entity_id)
            out[key] = out.get(key, frozenset()) | names
    return out


class Applier:
    """Applies pulled records inside one write session (one page, one transaction)."""

    def __init__(self, session: Session, ctx: ServiceContext, now: dt.datetime) -> None:
        self.s = session
        self.ctx = ctx
        self.now = now
        self.tally = PageTally()
        self.protected: dict[tuple[str, str], frozenset[str]] = {}
        self.pullable = _pullable()
        self._reindex: set[str] = set()
        self._burn: list[str] = []  # codes met: this PC's blocks move past them (rederive)
        self._bookings: set[str] = set()  # their held spans are rewritten in this transaction
        self._rules_seen = False
        self._has_parked = session.execute(select(SyncParked.seq).limit(1)).first() is not None
        session.info[APPLYING_PULL_KEY] = True

    def apply_all(self, records: Sequence[Mapping[str, Any]]) -> None:
        items = []
        for r in records:
            if isinstance(r.get("row"), dict) and r.get("entity") and r.get("id") is not None:
                items.append((str(r["entity"]), str(r["id"]), dict(r["row"]), int(r.get("seq", 0))))
        self.protected = unsent_fields(self.s, [(e, i) for e, i, _, _ in items])
        items.sort(key=lambda it: (_RANK.get(it[0], 10**6), it[3]))
        for entity, run in groupby(items, key=lambda it: it[0]):
            group = list(run)
            table = Base.metadata.tables.get(entity)
            if table is not None and entity in self.pullable and entity not in _ROW_BY_ROW:
                group = self._apply_bulk(entity, table, group)
            for item in group:
                self.apply_one(*item)
        # Parked rows are retried once the pull has ended (SyncService._settle_parked), not
        # after every page: retrying all of them per page made a pull whose children come
        # pages before their case (renumbered provisional codes) quadratic.

    def retry_parked(self) -> int:
        """Apply every parked row again, parents first, until a pass makes no progress.

        Whatever order rows arrive in (a case renumbered after its events, a code freed by a
        later page), a parked row is applied once what it waits for is here. Returns how many
        rows stay parked.
        """
        while True:
            parked = [(p.entity, p.entity_id, dict(p.row), p.seq)
                      for p in self.s.scalars(select(SyncParked)).all()]  # fmt: skip
            if not parked:
                return 0
            self.protected.update(unsent_fields(self.s, [(e, i) for e, i, _, _ in parked]))
            parked.sort(key=lambda it: (_RANK.get(it[0], 10**6), it[3]))
            done = sum(1 for item in parked if self.apply_one(*item, from_parking=True))
            if not done:
                return len(parked)

    def apply_one(self, entity: str, entity_id: str, row: dict[str, Any], seq: int, *,
                  from_parking: bool = False) -> bool:  # fmt: skip
        """Apply one record; ``False`` when it had to be (or stay) parked."""
        if entity == CONFLICT_ENTITY:
            self._conflict(row)
            return True
        if entity == "reference_file":
            self._reference(entity_id, row)
            return True
        table = Base.metadata.tables.get(entity)
        if table is None or entity not in self.pullable:
            return self._park(entity, entity_id, row, seq, "本版本不认识的数据类型", from_parking)
        try:
            values = convert(table, row)
        except (TypeError, ValueError) as exc:
            return self._park(entity, entity_id, row, seq, f"字段格式无效：{exc}", from_parking)
        pk = [c.name for c in table.primary_key.columns]
        if any(values.get(name) is None for name in pk):
            return self._park(entity, entity_id, row, seq, "缺少主键", from_parking)
        where = [table.c[name] == values[name] for name in pk]
        existing = self.s.execute(select(table).where(*where)).mappings().first()
        if entity == "deadline_rule" and not self._rules_seen:
            # The county's rules supersede the defaults seeded at first start.
            self.s.execute(update(DeadlineRule).where(DeadlineRule.source == "default")
                           .values(active=False))  # fmt: skip
            self._rules_seen = True
        if existing is None:
            why = self._insert(table, values)
        else:
            why = self._update(table, (entity, entity_id), values, existing, pk)
        if why == _KEPT_LOCAL:
            return True
        if why:
            return self._park(entity, entity_id, row, seq, why, from_parking)
        self._note(entity, values)
        if from_parking or self._has_parked:  # a newer version supersedes a parked one
            self.s.execute(delete(SyncParked).where(
                SyncParked.entity == entity, SyncParked.entity_id == entity_id))  # fmt: skip
        self.tally.applied += 1
        return True

    def _apply_bulk(self, entity: str, table: Table, group: list[_Item]) -> list[_Item]:
        """Insert the page's new rows of one table with one executemany in one savepoint;
        returns the rows left for ``apply_one`` (updates, a parent not here, a taken ordinal,
        a bad value), or the whole group when the bulk insert clashed (a unique code…)."""
        candidates = self._insertable(table, group)
        if not candidates:
            return group
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for _, values in candidates:
            shapes.setdefault(tuple(sorted(values)), []).append(values)
        try:
            with self.s.begin_nested():
                if table.name == Case.__tablename__:
                    _insert_cases(self.s, table, list(shapes.values()))
                elif table.name == CaseEvent.__tablename__:
                    _insert_events(self.s, table, list(shapes.values()))
                else:
                    for rows in shapes.values():
                        _insert_rows(self.s, table, rows)
        except IntegrityError:
            return group  # row by row, each in its savepoint, parks what clashes
        for _, values in candidates:
            self._note(entity, values)
        self.tally.applied += len(candidates)
        if self._has_parked:  # a newer version supersedes a parked one
            ids = [it[1] for it, _ in candidates]
            for start in range(0, len(ids), 500):
                self.s.execute(delete(SyncParked).where(
                    SyncParked.entity == entity,
                    SyncParked.entity_id.in_(ids[start : start + 500])))  # fmt: skip
        done = {id(it) for it, _ in candidates}
        return [it for it in group if id(it) not in done]

    def _insertable(self, table: Table, group: list[_Item]) -> list[tuple[_Item, dict[str, Any]]]:
        """The rows of ``group`` that are new here, well formed, with their parents here and
        (events) a free ordinal: one query per key, not per row."""
        pk = [c.name for c in table.primary_key.columns]
        out: list[tuple[_Item, dict[str, Any]]] = []
        seen: set[tuple[Any, ...]] = set()
        for item in group:
            try:
                values = convert(table, item[2])
            except (TypeError, ValueError):
                continue
            key = tuple(values.get(name) for name in pk)
            if any(v is None for v in key) or key in seen or self._why_required(table, values):
                continue
            seen.add(key)
            out.append((item, values))
        there = _present(self.s, [table.c[name] for name in pk], seen)
        out = [(it, v) for it, v in out if tuple(v.get(name) for name in pk) not in there]
        for fk in table.foreign_keys:  # a parent missing here: apply_one parks the row
            name = fk.parent.name
            found = _present(self.s, [fk.column],
                             {(v[name],) for _, v in out if v.get(name) is not None})  # fmt: skip
            out = [(it, v) for it, v in out if v.get(name) is None or (v[name],) in found]
        if table.name == CaseEvent.__tablename__ and out:  # a taken ordinal: apply_one renumbers
            taken = _present(self.s, [CaseEvent.case_id, CaseEvent.seq],
                             {(v["case_id"], v.get("seq")) for _, v in out})  # fmt: skip
            free = []
            for it, v in out:
                if (v["case_id"], v.get("seq")) not in taken:
                    taken.add((v["case_id"], v.get("seq")))
                    free.append((it, v))
            out = free
        return out

    def _reference(self, name: str, row: dict[str, Any]) -> None:
        version = str(row.get("version", ""))[:200]
        self.s.merge(
            SyncReference(
                name=name[:60], version=version, content=row.get("content"), received_at=self.now
            )
        )
        self.tally.reference_changed = True
        self.tally.rules_changed = True

    def _insert(self, table: Table, values: dict[str, Any]) -> str | None:
        """Insert a new record; the reason it must be parked, or None."""
        why = self._why_not_insertable(table, values)
        if why:
            return why
        try:
            with self.s.begin_nested():
                self.s.execute(insert(table).values(**self._fit(table, values)))
        except IntegrityError as exc:
            return f"与本机数据冲突：{exc.orig}"
        return None

    def _update(
        self,
        table: Table,
        key: tuple[str, str],
        values: dict[str, Any],
        existing: RowMapping,
        pk: list[str],
    ) -> str | None:
        """Update a known record but not its unsent local fields; a park reason, _KEPT_LOCAL
        when the whole record has unsent local changes, or None."""
        protect = self.protected.get(key, frozenset())
        if protect == WHOLE or "*" in protect:
            self.tally.kept_local += 1
            return _KEPT_LOCAL
        skip = derived(key[0]) | set(pk) | protect
        if protect:
            self.tally.kept_local += 1
        changed = {k: v for k, v in values.items() if k not in skip and existing[k] != v}
        why = self._missing_parent(table, changed)
        if why or not changed:
            return why
        where = [table.c[name] == values[name] for name in pk]
        try:
            with self.s.begin_nested():
                self.s.execute(update(table).where(*where).values(**changed))
        except IntegrityError as exc:
            return f"与本机数据冲突：{exc.orig}"
        return None

    def _fit(self, table: Table, values: dict[str, Any]) -> dict[str, Any]:
        """Renumber a pulled event whose per-case ordinal is taken here (order is by HLC)."""
        if table.name != CaseEvent.__tablename__:
            return values
        taken = self.s.execute(
            select(CaseEvent.id).where(
                CaseEvent.case_id == values["case_id"], CaseEvent.seq == values.get("seq")
            )
        ).first()
        if taken is None:
            return values
        top = self.s.execute(
            select(func.max(CaseEvent.seq)).where(CaseEvent.case_id == values["case_id"])
        ).scalar()
        return {**values, "seq": int(top or 0) + 1}

    def _why_not_insertable(self, table: Table, values: dict[str, Any]) -> str:
        return self._why_required(table, values) or self._missing_parent(table, values)

    def _why_required(self, table: Table, values: dict[str, Any]) -> str:
        """A required field missing (scalar defaults are filled in), or ""."""
        for name, fill, default in _required(table):
            if values.get(name) is not None:
                continue
            if not fill:
                return f"缺少必填字段“{name}”"
            values[name] = default
        return ""

    def _missing_parent(self, table: Table, values: Mapping[str, Any]) -> str:
        for fk in table.foreign_keys:
            value = values.get(fk.parent.name)
            if value is None:
                continue
            target = fk.column
            found = self.s.execute(select(target).where(target == value).limit(1)).first()
            if found is None:
                return f"关联记录尚未同步（{target.table.name} {value}）"
        return ""

    def _park(self, entity: str, entity_id: str, row: dict[str, Any], seq: int, reason: str,
              from_parking: bool) -> bool:  # fmt: skip
        self._has_parked = True
        self.s.merge(SyncParked(entity=entity[:40], entity_id=entity_id[:64], row=row, seq=seq,
                                reason=reason[:500], parked_at=self.now))  # fmt: skip
        if not from_parking:
            self.tally.parked += 1
        return False

    def _note(self, entity: str, values: Mapping[str, Any]) -> None:
        if entity in ROOM_TABLES:
            self.tally.bookings = True
        if entity == "case_event":  # its digest goes into this PC's audit chain
            note_pulled_event(self.s, values)
        if entity == "case_file":
            self.tally.case_ids.add(str(values["id"]))
            self._reindex.add(str(values["id"]))
            if isinstance(values.get("code"), str):
                self._burn.append(values["code"])
        elif entity == "case_event":
            self.tally.case_ids.add(str(values["case_id"]))
        elif entity in ("case_party", "case_alias"):  # names and old codes are searched
            self._reindex.add(str(values["case_id"]))
            if entity == "case_alias":  # a provisional code of this PC's, before a restore
                self._burn.append(str(values["code"]))
        elif entity == "room_booking":
            self._bookings.add(str(values["id"]))
        elif entity in PULLABLE_LOCAL:
            self.tally.reference_changed = True
            day = values.get("day")
            if entity == "calendar_day" and isinstance(day, dt.date):
                self.tally.calendar_days.add(day)
            else:
                self.tally.rules_changed = True

    def _conflict(self, row: Mapping[str, Any]) -> None:
        cid = str(row.get("id", ""))[:64]
        if not cid:
            return
        existing = self.s.get(SyncConflict, cid)
        if existing is None:
            existing = SyncConflict(id=cid, kind="field", status="open", detected_at=self.now)
            self.s.add(existing)
            self.tally.conflicts += 1
        c = existing
        c.entity, c.entity_id = str(row.get("entity", ""))[:40], str(row.get("entity_id", ""))[:64]
        c.field = str(row.get("field", ""))[:60]
        c.case_id = c.entity_id if c.entity == "case_file" else None
        c.township_id = row.get("township_id")
        c.base_value, c.kept_value = row.get("base_value"), row.get("kept_value")
        c.lost_value = row.get("lost_value")
        c.kept_hlc, c.lost_hlc = str(row.get("kept_hlc", "")), str(row.get("lost_hlc", ""))
        c.kept_device = str(row.get("kept_device", ""))[:40]
        c.lost_device = str(row.get("lost_device", ""))[:40]
        c.reason = "同一字段在两台设备上被同时修改，已按时钟顺序保留较晚的修改"
        if row.get("status") == "settled":
            c.status, c.settled_by = "settled", row.get("settled_by")
            c.settled_value = row.get("settled_value")
            at = row.get("settled_at")
            c.settled_at = dt.datetime.fromisoformat(at) if isinstance(at, str) else self.now

    def rederive(self) -> None:
        """Replay the event log of every touched case and refresh its projection."""
        if self.tally.reference_changed:
            self.ctx.invalidate()
        burn_codes(self.s, self._burn)
        self._burn.clear()
        rederive_cases(self.s, self.ctx, self.tally.case_ids, self.now)
        self.s.flush()
        search.index_cases(self.s, self._reindex)
        if self._bookings:  # bookings from other PCs hold their time; clashes become conflicts
            self.tally.conflicts += holds.rehold_pulled(self.s, sorted(self._bookings), self.now)


_Plan = tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...], tuple[Any, ...]]
_PLANS: dict[tuple[str, tuple[str, ...]], _Plan | None] = {}


def _bind_processor(column: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The bind processor SQLAlchemy uses for ``column`` on ``dialect`` (its dialect type's)."""
    impl = column.type.dialect_impl(dialect)
    processor: Callable[[Any], Any] | None = impl.bind_processor(dialect)
    return processor


def _insert_plan(table: Table, names: tuple[str, ...], dialect: Any) -> _Plan | None:
    """The INSERT of rows with the keys ``names`` as the driver takes it: SQL, each key's bind
    processor (as SQLAlchemy binds the column) and the scalar defaults of the columns left out;
    None when a column left out has a default made by a function (SQLAlchemy's insert then)."""
    key = (table.name, names)
    if key in _PLANS:
        return _PLANS[key]
    plan: _Plan | None = None
    columns = {c.name: c for c in table.columns}
    missing = [c for c in table.columns if c.name not in names and c.default is not None]
    if set(names) <= columns.keys() and all(c.default.is_scalar for c in missing):  # type: ignore[union-attr]
        quote = dialect.identifier_preparer.quote
        given = [*names, *(c.name for c in missing)]
        sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in given)}) "
               f"VALUES ({', '.join('?' * len(given))})")  # fmt: skip
        # the dialect's type's processor: a generic DateTime's own is None, and sqlite3's
        # default adapter then stored a whole second as '… 23:59:59', not '… 23:59:59.000000'
        binders = tuple((n, _bind_processor(columns[n], dialect)) for n in names)
        extra = []
        for c in missing:
            value = c.default.arg  # type: ignore[union-attr]
            bind = _bind_processor(c, dialect)
            extra.append(bind(value) if bind else value)
        plan = (sql, binders, tuple(extra))
    _PLANS[key] = plan
    return plan


def _insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """``session.execute(insert(table), rows)`` for rows of one shape, the values bound by the
    columns' own bind processors and handed to the driver's executemany: SQLAlchemy's per-row
    parameter processing for an executemany cost about as much as SQLite's insert."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    plan = None
    if dialect.name == "sqlite" and dialect.paramstyle == "qmark":
        plan = _insert_plan(table, tuple(sorted(rows[0])), dialect)
    if plan is None:
        session.execute(insert(table), rows)
        return
    sql, binders, extra = plan
    params = [
        (*(row[n] if bind is None else bind(row[n]) for n, bind in binders), *extra) for row in rows
    ]
    session.connection().exec_driver_sql(sql, params)


@contextmanager
def _triggers_lifted(session: Session, names: Sequence[str]) -> Iterator[frozenset[str]]:
    """Drop the triggers ``names`` (those that exist) for the body, then create them again from
    their own SQL; yields the names dropped, whose work the body does set-based.

    Call it inside the page's transaction (a savepoint): SQLite's DDL is transactional, so a
    rollback or a crash between the drop and the create leaves every trigger in place, and no
    other connection ever sees the table without them. No ``finally``: after an error the
    rollback restores them.
    """
    found: dict[str, str] = {
        name: sql
        for name, sql in session.execute(
            select(column("name", String), column("sql", String))
            .select_from(text("sqlite_master"))
            .where(column("type", String) == "trigger", column("name", String).in_(list(names)))
        )
    }
    for name in found:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield frozenset(found)
    for ddl in found.values():
        session.connection().exec_driver_sql(str(ddl))


_TALLY_INSERT = daily_tally.TRIGGER_PREFIX + "insert"


def _insert_cases(session: Session, table: Table, shapes: list[list[dict[str, Any]]]) -> None:
    """Insert new case rows with the work of their insert triggers done set-based: the daily
    tally (``case_tally``) counted and the rates' facts (``rate_fact``) given the case's township
    and liveness, for the page's ids at once. A trigger per row cost about as much as the insert
    itself, and any trigger on the table made each row keep an on-disk statement journal:
    500-row pages of uuid7 ids, 42 indexes, raw sqlite3: 145-185 -> 51-69 µs per case."""
    with _triggers_lifted(session, (_TALLY_INSERT, rate_facts.CASE_INSERT_TRIGGER)) as lifted:
        for rows in shapes:
            _insert_rows(session, table, rows)
        ids = json.dumps([row["id"] for rows in shapes for row in rows])
        if _TALLY_INSERT in lifted:
            for dimension in daily_tally.DIMENSIONS:
                session.execute(text(daily_tally.add_cases_sql(dimension)), {"ids": ids})
        if rate_facts.CASE_INSERT_TRIGGER in lifted:
            session.execute(text(rate_facts.cases_added_sql()), {"ids": ids})


def _insert_events(session: Session, table: Table, shapes: list[list[dict[str, Any]]]) -> None:
    """Insert new events with the rates' facts of their evaluations (``rate_fact``) added
    set-based, as ``_insert_cases`` does for the tally: in a transaction any trigger on the
    table made each row keep a statement journal (~100 µs per event on disk)."""
    with _triggers_lifted(session, (rate_facts.EVALUATE_INSERT_TRIGGER,)) as lifted:
        for rows in shapes:
            _insert_rows(session, table, rows)
        if lifted:
            ids = json.dumps([row["id"] for rows in shapes for row in rows])
            session.execute(text(rate_facts.add_evaluations_sql()), {"ids": ids})


def rederive_case(session: Session, ctx: ServiceContext, case_id: str, now: dt.datetime) -> int:
    """Re-derive one case's projection from its events; returns its open event conflicts."""
    return rederive_cases(session, ctx, [case_id], now).get(case_id, 0)


def rederive_cases(
    session: Session, ctx: ServiceContext, case_ids: Iterable[str], now: dt.datetime
) -> dict[str, int]:
    """Re-derive the projections of many cases from their events, four reads whatever their
    number (the ids as one JSON array); returns each case's open event conflicts.

    Events left out of the derived state (two PCs both closing, say) are recorded as
    ``sync_conflict`` rows of kind ``event`` for a director to review.
    """
    wanted = sorted(set(case_ids))
    out: dict[str, int] = {}
    if not wanted:
        return out
    # A pulled event may have occurred before one of this case's closes (an extension granted
    # offline, say): the on-time answers kept for those closes are worked out again at the
    # next report (services.statistics.closures).
    session.execute(delete(ClosureFact).where(ClosureFact.case_id.in_(listed(wanted))))
    events: dict[str, list[CaseEvent]] = {}
    for event in session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(listed(wanted)))
                                 .order_by(CaseEvent.case_id, CaseEvent.hlc)):  # fmt: skip
        events.setdefault(event.case_id, []).append(event)
    open_conflicts: dict[str, list[SyncConflict]] = {}
    for row in session.scalars(select(SyncConflict).where(
            SyncConflict.case_id.in_(listed(wanted)), SyncConflict.kind == "event",
            SyncConflict.status == "open")):  # fmt: skip
        open_conflicts.setdefault(str(row.case_id), []).append(row)
    # A case with no events here and no open event conflict has nothing to re-derive.
    busy = sorted(events.keys() | open_conflicts.keys())
    if not busy:
        return out
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(listed(busy))))}
    for case_id in busy:
        case = cases.get(case_id)
        if case is not None:
            out[case_id] = _rederive(session, ctx, case, events.get(case_id, []),
                                     open_conflicts.get(case_id, []), now)  # fmt: skip
    return out


def _rederive(session: Session, ctx: ServiceContext, case: Case, events: list[CaseEvent],
              stale: list[SyncConflict], now: dt.datetime) -> int:  # fmt: skip
    result = replay(to_event(e) for e in events)
    if result.projection is not None:
        proj = result.projection
        refresh_projection(case, proj, case_clocks(proj, ctx.rules(session),
                                                   ctx.calendar(session), now), now)  # fmt: skip
    # WORKAROUND: services.cases.actions numbers a new event event_count + 1, but events left out as
    # conflicts are not counted, so keep the counter at or above the highest ordinal.
    top = max(case.event_count, max((int(e.seq or 0) for e in events), default=0))
    if case.event_count != top:
        case.event_count = top
    current = set()
    for event, why in (*result.conflicts, *result.partly):
        cid = f"event:{event.id}"
        current.add(cid)
        row = session.get(SyncConflict, cid)
        if row is None:
            session.add(SyncConflict(
                id=cid, kind="event", entity="case_event", entity_id=event.id, field="",
                case_id=case.id, township_id=case.township_id, kept_value=None,
                lost_value={"action": event.action.value,
                            "label": ACTION_LABELS.get(event.action, event.action.value)},
                reason=why, detected_at=now, status="open",
            ))  # fmt: skip
    for row in stale:
        if row.id not in current:  # valid again now that the missing events arrived
            row.status = "cleared"
    return len(current)
