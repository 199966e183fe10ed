"""Server side of sync (同步服务端): accept pushes, serve pulls, lease number blocks.

Every write transaction first takes the ``seq`` counter row's lock, so writers are serialised
and sequence numbers are handed out in commit order: a pull that has read up to ``seq`` N can
never later meet a record committed with a smaller number.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from sqlalchemy import (
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import types as sa_types
from sqlalchemy.orm import Session, aliased

from hub.auth import Principal, authenticate
from hub.codes import Claims, outstanding
from hub.db import SEP, HubDB, one_of
from hub.merge import (
    BASE,
    Cache,
    IncomingChange,
    RecordState,
    RefusedError,
    check_scope,
    merge,
    new_state,
    place,
    ref_keys,
)
from hub.models import (
    CaseCode,
    Change,
    Counter,
    Device,
    HubBase,
    Lease,
    NumberSeries,
    Record,
    Township,
)
from hub.schema import check_change
from services.domain.errors import ServiceError
from services.domain.hlc import HybridClock, Timestamp
from services.domain.textutil import text_problem
from services.sync.protocol import (
    APPEND_ONLY,
    CHANGE_ID_RE,
    DEVICE_RE,
    JSON_STRING,
    MAX_CLOCK_DRAG_MS,
    MAX_FUTURE_SKEW_MS,
    MAX_OUTSTANDING_PER_SERIES,
    hash_and_payload_bytes,
    series_township,
)

CHUNK = 500
# How long a pipelined push waits for the device's previous batch to be on the hub (push after).
ORDER_WAIT_S = 2.0
ORDER_REFUSED = "push.order"
_ROW_PREFIX = '{"row":'  # an insert's canonical payload text: '{"row":' + the row + '}'
HLC_COUNTER = "hlc"  # the hub clock's last wall time handed out (counter row, migration hub0002)
STALE = dt.timedelta(minutes=1)


class UnauthorizedError(ServiceError):
    """Unknown or revoked token (401)."""


class BatchRefusedError(ServiceError):
    """A push refused as a whole; ``problems`` names each offending change and why."""

    def __init__(self, status: int, problems: Sequence[tuple[str, RefusedError]]) -> None:
        first = problems[0][1]
        super().__init__(first.code, f"{len(problems)}条变更被拒绝：{first.message}")
        self.status = status
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class ChangeOutcome:
    change_id: str
    status: str  # applied / duplicate


@dataclass(frozen=True, slots=True)
class PushOutcome:
    results: tuple[ChangeOutcome, ...]
    conflicts: int
    hlc: str


@dataclass(frozen=True, slots=True)
class PulledRecord:
    entity: str
    entity_id: str
    seq: int
    township_id: str | None
    row_json: str  # the row as the database gives it as JSON text: served as is

    @property
    def row(self) -> dict[str, Any]:
        value = json.loads(self.row_json)
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class PullPage:
    records: tuple[PulledRecord, ...]
    cursor: int
    more: bool
    hlc: str


@dataclass(frozen=True, slots=True)
class LeaseBlock:
    series: str
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """A device as the county sees it (设备同步情况)."""

    id: str
    label: str
    scope: str
    township_code: str | None
    township_name: str | None
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    last_seen_at: dt.datetime | None
    last_push_at: dt.datetime | None
    last_pull_at: dt.datetime | None
    pending: int
    quarantined: int


def _encode(change: IncomingChange) -> tuple[str, str, bytes]:
    """The change's hash, payload JSON and its UTF-8; ``("", "", b"")`` when it cannot be
    encoded as UTF-8 (a lone surrogate, in a key say), which the merge then refuses as
    malformed (422)."""
    try:
        return hash_and_payload_bytes(change.entity, change.entity_id, change.op, change.hlc,
                                      change.payload)  # fmt: skip
    except (UnicodeEncodeError, ValueError, TypeError, RecursionError):
        return "", "", b""


class _Checked(NamedTuple):
    """What a change's checks found before the push takes the counter lock."""

    digest: str  # "" when it cannot be encoded (refused as malformed)
    text: str  # the payload as canonical JSON
    refs: list[tuple[str, str]]  # the records it refers to
    problem: RefusedError | None  # hub.schema's refusal (raised unless it is a duplicate)


def _check_all(who: Principal, changes: Sequence[IncomingChange],
               now: dt.datetime) -> list[_Checked]:  # fmt: skip
    """Every check of a push that needs no database: encoding, hash, hub.schema, references."""
    now_ms = int(now.timestamp() * 1000)
    out = []
    for change in changes:
        digest, text, raw = _encode(change)
        problem = None
        if digest:
            try:
                check_change(change.change_id, change.entity, change.entity_id, change.op,
                             change.hlc, change.payload, device=who.bound_device,
                             now_ms=now_ms, max_skew_ms=MAX_FUTURE_SKEW_MS,
                             size=len(raw), encoded=raw)  # fmt: skip
            except RefusedError as exc:
                problem = exc
        out.append(_Checked(digest, text, ref_keys(change), problem))
    return out


def _duplicate(change_id: str, found: _Checked, known: Mapping[str, str]) -> bool:
    """``True`` when the hub has this very change already; raises its refusal if it is
    refused (undecodable, a change id reused for other content, or hub.schema's verdict)."""
    if not found.digest:
        raise RefusedError(422, "change.value", "变更内容含有无法编码的字符")
    if change_id in known:
        if known[change_id] != found.digest:
            raise RefusedError(409, "change.reused", "变更编号已被另一内容使用，已隔离待处理")
        return True
    if found.problem is not None:
        raise found.problem
    return False


class _NotYetError(Exception):
    """The batch a pipelined push names is not on the hub yet."""


def _all_in(session: Session, change_ids: Sequence[str]) -> bool:
    """Every one of ``change_ids`` is on the hub (committed)."""
    wanted = sorted(set(change_ids))
    found = 0
    for where in one_of(session, Change.change_id, wanted):
        found += int(session.execute(select(func.count()).select_from(Change).where(where))
                     .scalar_one())  # fmt: skip
    return found == len(wanted)


def _merged(rec: RecordState, change: IncomingChange, payload_text: str,
            now: dt.datetime) -> list[RecordState]:  # fmt: skip
    """:func:`merge`; a record the change creates keeps its row as the payload's own text (an
    insert's canonical payload is ``{"row":`` + the row + ``}``), written without encoding it
    again. Returns the conflicts."""
    created = not rec.field_hlc
    conflicts = merge(rec, change, now).conflicts
    if created and payload_text.startswith(_ROW_PREFIX) and payload_text.endswith("}"):
        rec.row_json = payload_text[len(_ROW_PREFIX) : -1]
    return conflicts


def take_counter(session: Session) -> int:
    """Lock the ``seq`` counter row for the rest of the transaction and read it."""
    return take_counters(session)[0]


def take_counters(session: Session) -> tuple[int, int]:
    """Lock the ``seq`` counter row for the rest of the transaction; read it and the hub
    clock's counter (only written under the ``seq`` lock), in one statement."""
    hlc = aliased(Counter)
    row = session.execute(
        update(Counter).where(Counter.name == "seq").values(value=Counter.value)
        .returning(Counter.value,
                   select(hlc.value).where(hlc.name == HLC_COUNTER).scalar_subquery())
    ).one()  # fmt: skip
    return int(row[0]), int(row[1] or 0)


def save_counter(session: Session, value: int, hlc_ms: int | None = None) -> None:
    """Write the ``seq`` counter (its row locked by :func:`take_counter`) and, given
    ``hlc_ms``, the hub clock's counter in the same statement."""
    if hlc_ms is None:
        session.execute(update(Counter).where(Counter.name == "seq").values(value=value))
        return
    session.execute(
        update(Counter).where(Counter.name.in_(("seq", HLC_COUNTER)))
        .values(value=case((Counter.name == "seq", value), else_=hlc_ms))
    )  # fmt: skip


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def load_records(session: Session, keys: Iterable[tuple[str, str]]) -> Cache:
    """The stored records under ``keys``, each found by a primary-key probe.

    PostgreSQL: one join against ``unnest(entities, ids)`` (each list one text parameter,
    split on the server by ``string_to_array``), planned as a nested loop of
    ``record_pkey`` lookups whatever the table's statistics say. (A row-value
    ``(entity, entity_id) IN (…)`` becomes a 500-arm OR that, without fresh statistics, was
    evaluated against every row of the entity: about a second per push at 100,000 records.)
    Elsewhere: ``entity = … AND entity_id IN (…)`` per entity.
    """
    # A key no record can have (NUL, a lone surrogate, over-long) is not looked up: PostgreSQL
    # would fail the whole query on it; the change carrying it is refused by hub.schema.
    wanted = sorted(
        {k for k in set(keys) if len(k[0]) <= 64 >= len(k[1]) and text_problem(k[0] + k[1]) is None}
    )
    if not wanted:
        return {}
    table = Record.__table__
    if session.get_bind().dialect.name == "postgresql":
        k = (
            func.unnest(
                func.string_to_array(bindparam("entities", SEP.join(e for e, _ in wanted)), SEP),
                func.string_to_array(bindparam("ids", SEP.join(i for _, i in wanted)), SEP),
            )
            .table_valued("entity", "entity_id")
            .render_derived(name="k")
        )
        on = and_(table.c.entity == k.c.entity, table.c.entity_id == k.c.entity_id)
        queries = [select(table).select_from(k.join(table, on))]
    else:
        by_entity: dict[str, list[str]] = {}
        for entity, entity_id in wanted:
            by_entity.setdefault(entity, []).append(entity_id)
        queries = [
            select(table).where(table.c.entity == entity, table.c.entity_id.in_(part))
            for entity, ids in by_entity.items()
            for part in _chunks(ids)
        ]
    cache: Cache = {}
    for query in queries:
        for r in session.execute(query).mappings():
            cache[(r["entity"], r["entity_id"])] = RecordState(
                r["entity"], r["entity_id"], r["township_id"], r["public"], r["owner"],
                dict(r["row"]), dict(r["field_hlc"]), seq=r["seq"], origin=r["origin"],
                base_seq=r["base_seq"],
            )  # fmt: skip
    return cache


def bulk_insert(session: Session, model: type[HubBase], rows: Sequence[dict[str, Any]], *,
                encoded: Mapping[str, Sequence[str | None]] | None = None) -> None:  # fmt: skip
    """Insert ``rows`` into ``model``'s table inside the session's transaction.

    ``encoded`` may give, per JSON column, the rows' values already encoded as JSON text (in
    row order; ``None`` where a row's value is to be encoded here); PostgreSQL uses them
    instead of encoding the values again.

    PostgreSQL: one ``COPY … FROM STDIN`` (JSON columns sent as text), several times faster
    than a pipelined INSERT per row. Callers have already ruled out existing keys under the
    counter lock, so a plain append is exactly what the INSERT would have done. Elsewhere
    (SQLite): an ``executemany`` INSERT.
    """
    if not rows:
        return
    names = [c.name for c in _table(model).columns]
    insert_rows(session, model, names, [[row.get(n) for n in names] for row in rows],
                encoded=encoded)  # fmt: skip


def _table(model: type[HubBase]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def insert_rows(session: Session, model: type[HubBase], names: Sequence[str],
                rows: list[list[Any]], *,
                encoded: Mapping[str, Sequence[str | None]] | None = None) -> None:  # fmt: skip
    """:func:`bulk_insert` of rows given as lists of the values of columns ``names`` (a JSON
    column's value as the object, its text in ``encoded`` where known); the lists may be
    changed. Built so by the push's hot paths: no dict per row."""
    if not rows:
        return
    table = _table(model)
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])
        return
    json_cols = {c.name for c in table.columns if isinstance(c.type, sa_types.JSON)}
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    columns = ", ".join(f'"{n}"' for n in names)
    raw: Any = conn.connection.driver_connection
    given = encoded or {}
    # (position, texts given) of each JSON column: the rest of a row is sent as it is
    json_at = [(j, given.get(n)) for j, n in enumerate(names) if n in json_cols]
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for i, values in enumerate(rows):
            for j, texts in json_at:
                text = texts[i] if texts is not None else None
                values[j] = dumps(values[j]) if text is None else text
            copy.write_row(values)


def _base_clock_json(field_hlc: dict[str, str]) -> str | None:
    """The field clocks of a record only its insert has set (``{"*": hlc}``) as JSON text,
    written without an encoder run; ``None`` for any other (encoded by :func:`insert_rows`)."""
    if len(field_hlc) != 1:
        return None
    hlc = field_hlc.get(BASE)
    return None if type(hlc) is not str else '{"*":' + JSON_STRING(hlc) + "}"


_RECORD_COLUMNS = ("entity", "entity_id", "township_id", "public", "owner", "row", "field_hlc",
                   "seq", "origin", "base_seq", "updated_at")  # fmt: skip


def write_records(session: Session, states: Iterable[RecordState], now: dt.datetime) -> None:
    new: list[list[Any]] = []
    new_rows: list[str | None] = []  # their rows already as JSON text, where known
    new_hlcs: list[str | None] = []  # and their field clocks
    old: list[dict[str, Any]] = []
    for s in states:
        values = [s.entity, s.entity_id, s.township_id, s.public, s.owner, s.row, s.field_hlc,
                  s.seq, s.origin, s.base_seq, now]  # fmt: skip
        if s.is_new:
            new.append(values)
            new_rows.append(s.row_json)
            new_hlcs.append(_base_clock_json(s.field_hlc))
        else:
            old.append(dict(zip(_RECORD_COLUMNS, values, strict=True)))
    insert_rows(session, Record, _RECORD_COLUMNS, new,
                encoded={"row": new_rows, "field_hlc": new_hlcs})  # fmt: skip
    if old:
        session.execute(update(Record), old)


_CHANGE_COLUMNS = ("change_id", "device_id", "entity", "entity_id", "op", "hlc", "payload",
                   "payload_hash", "township_id", "seq", "received_at")  # fmt: skip


class HubService:
    """The hub's operations, one unit of work each; FastAPI routes are thin wrappers."""

    def __init__(self, db: HubDB, *, now: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.db = db
        self.now = now
        self.clock = HybridClock("hub")
        # Device → the change ids of its pipelined pushes waiting for the batch each names:
        # one waiting for a missing batch, and at most one more that names that one.
        self._waiting: dict[str, list[frozenset[str]]] = {}
        self._waiting_lock = threading.Lock()

    def principal(self, token: str, device_hint: str | None) -> Principal:
        """The device behind a bearer token; binds the token to the first PC that uses it."""
        with self.db.session() as session:
            who = authenticate(session, token, self.now())
            if who is None:
                raise UnauthorizedError("auth.token", "设备令牌无效或已被吊销，请联系县级管理员")
            if not device_hint or not DEVICE_RE.match(device_hint):
                # Without it a token could be used from any PC unnoticed (binding skipped).
                raise RefusedError(400, "auth.device", "请求缺少有效的本机设备编号（X-Device-Id）")
            if who.bound_device not in (None, device_hint):
                raise RefusedError(
                    403, "auth.bound", "该令牌已绑定到另一台电脑，请为本机申请新令牌"
                )
            if who.bound_device is None:
                session.execute(update(Device).where(Device.id == who.device_id)
                                .values(bound_device=device_hint))  # fmt: skip
        return replace(who, bound_device=device_hint)

    def observe(self, stamp: Timestamp, now_ms: int) -> None:
        """Advance the hub's clock past an accepted change, by at most MAX_CLOCK_DRAG_MS ahead
        of the hub's own wall time (a fast PC cannot drag everyone's clock with it)."""
        bound = now_ms + MAX_CLOCK_DRAG_MS
        self.clock.observe(stamp if stamp.wall_ms <= bound else Timestamp(bound, 0, stamp.device))

    def push(self, who: Principal, changes: Sequence[IncomingChange], *, pending: int = 0,
             quarantined: int = 0, after: Sequence[str] = ()) -> PushOutcome:  # fmt: skip
        """Apply a batch of changes in one transaction (all or, refused, none).

        ``after``: the change ids of the device's previous batch, sent before this one was
        answered (the device pipelines its batches). This batch is checked first (no
        database), then applied under the counter lock only once every one of them is on the
        hub: a change here may refer to a record created there. If they are not all in within
        :data:`ORDER_WAIT_S` (that batch was refused, or is stuck behind other pushes) this one
        is refused with 409 ``push.order`` and sent again by the device, in order.
        """
        now = self.now()
        checked = _check_all(who, changes, now)  # no database: done before waiting for the lock
        deadline = time.monotonic() + ORDER_WAIT_S
        pause = 0.002
        missed = False
        waiting: frozenset[str] | None = None
        message = "上一批变更尚未写入县级平台，本批稍后重发"
        try:
            while True:
                # The first try waits on the counter lock (the batch named usually holds it and
                # is in when it lets go); after a miss, look without the lock until it is in, so
                # ids that never come cannot keep taking the lock every writer needs.
                if not missed or self._all_in(after):
                    try:
                        return self._apply(who, changes, checked, now, pending, quarantined, after)
                    except _NotYetError:
                        missed = True
                if waiting is None:
                    # A PC pipelining in order has two batches in flight at most: one waiting
                    # for a missing batch and, once that one is answered, the next naming the
                    # waiting one. More would let one device hold the workers every township
                    # needs.
                    waiting = self._start_waiting(who.device_id, changes, after)
                    if waiting is None:
                        raise RefusedError(409, ORDER_REFUSED, message)
                if time.monotonic() + pause > deadline:
                    raise RefusedError(409, ORDER_REFUSED, message)
                time.sleep(pause)
                pause = min(pause * 2, 0.02)
        finally:
            if waiting is not None:
                with self._waiting_lock:
                    held = self._waiting[who.device_id]
                    held.remove(waiting)
                    if not held:
                        del self._waiting[who.device_id]

    def _start_waiting(self, device_id: str, changes: Sequence[IncomingChange],
                       after: Sequence[str]) -> frozenset[str] | None:  # fmt: skip
        """Mark a batch of ``device_id`` as waiting for the batch it names (``after``); None if
        the device already waits, unless this batch names the one batch it waits with."""
        with self._waiting_lock:
            held = self._waiting.setdefault(device_id, [])
            if held and (len(held) > 1 or not after or not set(after) <= held[0]):
                return None
            mine = frozenset(c.change_id for c in changes)
            held.append(mine)
            return mine

    def _all_in(self, change_ids: Sequence[str]) -> bool:
        with self.db.session() as session:
            return _all_in(session, change_ids)

    def _apply(self, who: Principal, changes: Sequence[IncomingChange],
               checked: Sequence[_Checked], now: dt.datetime, pending: int, quarantined: int,
               after: Sequence[str]) -> PushOutcome:  # fmt: skip
        with self.db.session() as session:
            seq, high = take_counters(session)
            if after and not _all_in(session, after):
                raise _NotYetError  # rolled back: nothing written, the lock let go
            self.clock.observe(Timestamp(high + 1, 0, "hub"))  # after restarts
            merged = self._merge_all(session, who, changes, checked, now)
            outcomes, records, accepted, conflicts, claimed = merged
            answer = self.clock.now()
            for state in records.values():
                if state.dirty:
                    state.origin = who.device_id
                    state.base_seq = 0 if state.is_new else state.seq
            for state in [*records.values(), *conflicts]:
                if state.dirty:
                    seq += 1
                    state.seq = seq
            write_records(session, [s for s in records.values() if s.dirty], now)
            write_records(session, conflicts, now)
            if accepted:
                rows = []
                for c, h, _ in accepted:
                    rec = records[(c.entity, c.entity_id)]
                    rows.append([c.change_id, who.device_id, c.entity, c.entity_id, c.op, c.hlc,
                                 c.payload, h, rec.township_id, rec.seq, now])  # fmt: skip
                insert_rows(session, Change, _CHANGE_COLUMNS, rows,
                            encoded={"payload": [text for _, _, text in accepted]})  # fmt: skip
            bulk_insert(session, CaseCode, claimed)
            save_counter(session, seq, answer.wall_ms)
            session.execute(
                update(Device)
                .where(Device.id == who.device_id)
                .values(last_push_at=now, pending=max(0, pending), quarantined=max(0, quarantined))
            )
        return PushOutcome(tuple(outcomes), len(conflicts), answer.encode())

    def _merge_all(
        self,
        session: Session,
        who: Principal,
        changes: Sequence[IncomingChange],
        checked: Sequence[_Checked],
        now: dt.datetime,
    ) -> tuple[
        list[ChangeOutcome],
        Cache,
        list[tuple[IncomingChange, str, str]],
        list[RecordState],
        list[dict[str, Any]],
    ]:

        known: dict[str, str] = {}
        ids = [c.change_id for c in changes if CHANGE_ID_RE.match(c.change_id)]
        for where in one_of(session, Change.change_id, ids):
            known.update(session.execute(
                select(Change.change_id, Change.payload_hash).where(where)
            ).all())  # fmt: skip
        keys = [(c.entity, c.entity_id) for c in changes]
        keys += [k for found in checked for k in found.refs]
        records = load_records(session, keys)
        claims = Claims(session, changes)
        batch = {(c.entity, c.entity_id): c for c in changes if c.op == "insert"}
        problems: list[tuple[str, RefusedError]] = []
        outcomes: list[ChangeOutcome] = []
        accepted: list[tuple[IncomingChange, str, str]] = []
        latest = ""  # the highest HLC accepted: observed once, when the whole batch is
        conflicts: list[RecordState] = []
        now_ms = int(now.timestamp() * 1000)
        for change, found in zip(changes, checked, strict=True):
            digest, text, change_refs = found.digest, found.text, found.refs
            try:
                if _duplicate(change.change_id, found, known):
                    outcomes.append(ChangeOutcome(change.change_id, "duplicate"))
                    continue
                if change.op == "update" and change.entity in APPEND_ONLY:
                    raise RefusedError(422, "change.append_only", "流转记录只能追加，不能修改")
                key = (change.entity, change.entity_id)
                rec = records.get(key)
                if rec is None:
                    if change.op != "insert":
                        raise RefusedError(422, "change.missing",
                                           "要修改的记录尚未上传到县级平台")  # fmt: skip
                    township_id, public = place(change, records, batch, who, change_refs)
                    rec = new_state(change, township_id, public, who)
                check_scope(change, rec, records, batch, who, change_refs)
                claims.claim(change, rec)
                latest = max(latest, change.hlc)
                conflicts.extend(_merged(rec, change, text, now))
                records[key] = rec
                known[change.change_id] = digest
                accepted.append((change, digest, text))
                outcomes.append(ChangeOutcome(change.change_id, "applied"))
            except RefusedError as exc:
                problems.append((change.change_id, exc))
        if problems:
            raise BatchRefusedError(max(p.status for _, p in problems), problems)
        if latest:  # encoded HLC order is timestamp order
            self.observe(Timestamp.decode(latest), now_ms)
        existing = load_records(session, [(c.entity, c.entity_id) for c in conflicts])
        fresh = {(c.entity, c.entity_id): c for c in conflicts if (c.entity, c.entity_id)
                 not in existing}  # fmt: skip
        return outcomes, records, accepted, list(fresh.values()), claims.new

    def pull(self, who: Principal, cursor: int, limit: int, *, pending: int = 0,
             quarantined: int = 0) -> PullPage:  # fmt: skip
        """Records after ``cursor`` that ``who`` may see, in ``seq`` order."""
        with self.db.session() as session:
            top = int(session.execute(select(Counter.value).where(Counter.name == "seq"))
                      .scalar_one())  # fmt: skip
            # The row as JSON text (jsonb::text): the answer splices it in as is, never decoded
            # into Python objects and encoded again (most of the hub's work per pulled page).
            row_json = cast(Record.row, Text).label("row_json")
            query = select(Record.entity, Record.entity_id, Record.seq, Record.township_id,
                           Record.public, row_json)  # fmt: skip
            query = query.where(Record.seq > cursor, Record.seq <= top)
            if cursor > 0:  # a full resync (cursor 0) gets everything: the PC may be restored
                # No echo: what this device pushed on top of a state it had already pulled.
                query = query.where(
                    or_(
                        Record.origin.is_(None),
                        Record.origin != who.device_id,
                        Record.base_seq > cursor,
                    )
                )
            if not who.is_county:
                query = query.where(or_(Record.township_id == who.township_id,
                                        Record.public.is_(True)))  # fmt: skip
            rows = session.execute(query.order_by(Record.seq).limit(limit + 1)).all()
            more = len(rows) > limit
            rows = rows[:limit]
            # Belt and braces: a row the token may not see is never served.
            visible = [r for r in rows if who.may_see(r.township_id, r.public)]
            records = tuple(PulledRecord(r.entity, r.entity_id, r.seq, r.township_id,
                                         r.row_json or "{}") for r in visible)  # fmt: skip
            next_cursor = rows[-1].seq if more else max(cursor, top)
            now = self.now()
            # Only when something changed or a minute passed: a no-op pull writes nothing.
            session.execute(update(Device).where(
                Device.id == who.device_id,
                or_(Device.last_pull_at.is_(None), Device.last_pull_at < now - STALE,
                    Device.pending != pending, Device.quarantined != quarantined),
            ).values(last_pull_at=now, pending=max(0, pending),
                     quarantined=max(0, quarantined)))  # fmt: skip
        return PullPage(records, next_cursor, more, self.clock.now().encode())

    def lease(self, who: Principal, series: str, size: int, request_id: str) -> LeaseBlock:
        """A block of ``size`` numbers of ``series`` no other device will ever get."""
        if not who.is_county and series_township(series) != who.township_code:
            raise RefusedError(403, "lease.scope", "只能为本乡镇的编号序列申请号段")
        today = self.now()
        year = series.rsplit(":", 1)[-1]
        # This year's or next year's; last year's only in January (renumbering the provisional
        # codes of a PC that was offline over New Year).
        years = {today.year, today.year + 1} | ({today.year - 1} if today.month == 1 else set())
        if not year.isdigit() or int(year) not in years:
            raise RefusedError(422, "lease.year", "只能申请今年或明年的号段")
        with self.db.session() as session:
            take_counter(session)  # serialises leases with everything else
            old = session.get(Lease, request_id)
            if old is not None:
                if old.device_id != who.device_id or old.series != series:
                    raise RefusedError(409, "lease.reused", "号段申请编号重复")
                return LeaseBlock(old.series, old.first, old.last)
            held = outstanding(session, who, series)
            if held + size > MAX_OUTSTANDING_PER_SERIES:
                message = f"本设备尚有{held}个号码未用，不能再申请号段，请联系县级管理员"
                raise RefusedError(429, "lease.quota", message)
            counter = session.get(NumberSeries, series)
            if counter is None:
                counter = NumberSeries(series=series, next_value=1)
                session.add(counter)
            first = counter.next_value
            counter.next_value = first + size
            session.add(
                Lease(
                    request_id=request_id,
                    device_id=who.device_id,
                    series=series,
                    first=first,
                    last=first + size - 1,
                    leased_at=self.now(),
                )
            )
        return LeaseBlock(series, first, first + size - 1)

    def devices(self, who: Principal) -> list[DeviceInfo]:
        if not who.is_county:
            raise RefusedError(403, "scope.county", "只有县级设备可以查看各设备同步情况")
        return list_devices(self.db)


def list_devices(db: HubDB) -> list[DeviceInfo]:
    with db.session() as session:
        rows = session.execute(
            select(Device, Township).outerjoin(Township, Township.id == Device.township_id)
            .order_by(Device.issued_at)
        ).all()  # fmt: skip
        return [
            DeviceInfo(
                d.id,
                d.label,
                d.scope,
                t.code if t else None,
                t.name if t else None,
                d.issued_at,
                d.revoked_at,
                d.last_seen_at,
                d.last_push_at,
                d.last_pull_at,
                d.pending,
                d.quarantined,
            )  # fmt: skip
            for d, t in rows
        ]
