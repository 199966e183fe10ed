"""County sync of this PC (与县级平台同步): push, pull, number leases, conflicts, status.

Synchronous and Qt-free: the desktop runs :meth:`SyncService.sync_now` through its task runner
on a timer, on demand and after a failed attempt (reconnect). One sync runs at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from services.audit.log import tag
from services.cases.schedule import refresh_after_calendar_change
from services.context import ServiceContext
from services.domain.dto import ALL_CASES, Changes
from services.domain.errors import ConflictError, NotFoundError, OfflineError, ServiceError
from services.domain.hlc import Timestamp
from services.domain.identity import mask_id_number, mask_phone
from services.domain.ids import uuid7
from services.domain.messages import msg
from services.store.models import (
    RESTORED_CURSOR,
    Base,
    Case,
    DeviceState,
    Outbox,
    SyncConflict,
    SyncParked,
    SyncQuarantine,
    SyncState,
    case_tally,
)
from services.store.outbox import APPLYING_PULL_KEY
from services.store.sealed import DataKeyError, is_sealed, unseal
from services.sync.client import HubClient, HubConfig
from services.sync.clockfix import adopt_offset, clock_held, retry_clock_refused
from services.sync.dto import (
    ConflictItem,
    HubDeviceItem,
    OutboxItem,
    ParkedItem,
    SyncReport,
    SyncStatus,
    entity_label,
)
from services.sync.numbers import ensure_leases, renumber_taken, replace_provisional
from services.sync.protocol import CONFLICT_ENTITY, MAX_BATCH, MAX_PULL_LIMIT
from services.sync.pull import ROOM_TABLES, Applier, PageTally, convert
from services.sync.push import PushTally, outbox_counts, push_all, requeue

if TYPE_CHECKING:
    import httpx  # loaded by the client only when a hub is set up

RETRY_SECONDS = (30, 60, 120, 300)
HUB_FAULT_AFTER = 3  # consecutive 5xx answers before the status shows a hub fault, not offline
Listener = Callable[[SyncStatus], None]


def sync_state(session: Session) -> SyncState:
    state = session.get(SyncState, 1)
    if state is None:
        state = SyncState(id=1, cursor=0, scope="", hub_device_id="", hub_label="",
                          last_error_code="", last_error="")  # fmt: skip
        session.add(state)
        session.flush()
    return state


def next_delay(status: SyncStatus, interval: int = 300, failures: int = 0) -> int:
    """Seconds until the next background sync: the interval, or a quick retry when offline."""
    if status.state in ("offline", "error"):
        return min(interval, RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
    return interval


class SyncService:
    """Sync for one PC; every public method is one or more short units of work.

    Args:
        ctx: the service context of this PC.
        config: hub URL and CA bundle (from settings).
        token: returns the device token (from the OS keyring), or ``None`` when none is set.
        transport: an httpx transport for tests (the hub in-process, or a faulty network).
    """

    def __init__(self, ctx: ServiceContext, config: HubConfig, token: Callable[[], str | None],
                 *, transport: httpx.BaseTransport | None = None, batch_size: int = MAX_BATCH,
                 pull_limit: int = MAX_PULL_LIMIT) -> None:  # fmt: skip
        self.ctx = ctx
        self.config = config
        self._token = token
        self._transport = transport
        self._batch = batch_size
        self._limit = pull_limit
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._enrolled: str | None = None
        self._open: tuple[HubClient, str] | None = None
        self.failures = 0

    # -- listeners (bridged to a Qt signal by desktop/) ---------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _notify(self) -> None:
        status = self.status()
        for listener in list(self._listeners):
            listener(status)

    # -- sync ------------------------------------------------------------------------------------

    def sync_now(self) -> SyncReport:
        """Push, then pull, then top up number blocks. Raises OfflineError/HubRefusedError."""
        return self._run(full=False)

    def full_resync(self) -> SyncReport:
        """Push everything first, then pull the whole scope again from cursor 0.

        Never discards local data: unsent and quarantined changes stay, and pulled values never
        overwrite fields with unsent changes.
        """
        return self._run(full=True)

    def _client(self) -> tuple[HubClient, str]:
        """The open connection to the hub, kept between syncs (keep-alive, TLS context)."""
        token = self._token()
        if not token:
            raise ServiceError(
                "sync.no_token", "尚未设置本机的设备令牌，请在“设置”中填写县级管理员发放的令牌"
            )
        if self._open is None or self._open[1] != token:
            self.close()
            client = HubClient(
                self.config,
                token,
                self.ctx.device_id,
                transport=self._transport,
                # the offset corrects the HLC's wall, so it is measured against that wall
                now_ms=lambda: self.ctx.clock.local_ms(),
            )
            self._open = (client, token)
        return self._open

    def close(self) -> None:
        """Close the connection to the hub (at exit, or after a network error)."""
        if self._open is not None:
            self._open[0].close()
            self._open = None

    def _run(self, *, full: bool) -> SyncReport:
        if not self._lock.acquire(blocking=False):
            raise ConflictError("sync.busy", "同步正在进行中，请稍候")
        try:
            return self._run_locked(full)
        finally:
            self._lock.release()
            self._notify()

    def _run_locked(self, full: bool) -> SyncReport:
        started = self.ctx.now()
        try:
            client, token = self._client()
            fingerprint = hashlib.sha256(token.encode()).hexdigest()
            if self._enrolled != fingerprint:
                self._enrol(client)
                self._enrolled = fingerprint
            renumbered = replace_provisional(self.ctx, client)
            pushed = self._push(client)
            if full:
                with self.ctx.store.write() as session:
                    state = sync_state(session)
                    if state.cursor != RESTORED_CURSOR:  # the pull starts the chain's new epoch
                        state.cursor = 0
            pulled = self._pull_all(client)
            if pulled.reference_changed:  # a county calendar or rule: the one refresh
                days = None if pulled.rules_changed else pulled.calendar_days
                refresh_after_calendar_change(self.ctx, days=days)
            adopt_offset(self.ctx, client.skew_ms)  # the hub's time, from every answer
            if retry_clock_refused(self.ctx):  # stamped ahead before: stamped afresh, sent now
                again = self._push(client)
                pushed = replace(pushed, applied=pushed.applied + again.applied,
                                 duplicates=pushed.duplicates + again.duplicates,
                                 quarantined=again.quarantined)  # fmt: skip
            leased = ensure_leases(self.ctx, client)
            skew = client.skew_ms
        except OfflineError as exc:
            self.failures += 1
            self.close()
            if exc.code == "sync.server" and self.failures >= HUB_FAULT_AFTER:
                exc = OfflineError(
                    "sync.hub_fault",
                    msg(
                        "县级平台持续出错（已连续{count}次），请联系县级管理员；"
                        "本机数据已保存，恢复后自动上传",
                        count=self.failures,
                    ),
                )
            self._record(started, error=exc)
            raise exc from None
        except ServiceError as exc:
            self._record(started, error=exc)
            raise
        self.failures = 0
        self._record(started, success=True, skew=skew)
        self._publish(pulled, renumbered)
        return SyncReport(pushed.applied, pushed.duplicates, pushed.quarantined, pulled.applied,
                          pulled.kept_local, pulled.parked, pulled.conflicts, renumbered, leased,
                          self.status(), frozenset(pulled.case_ids))  # fmt: skip

    def _push(self, client: HubClient) -> PushTally:
        return push_all(self.ctx.store, client, self.ctx.clock, batch_size=self._batch,
                        renumber=lambda taken: renumber_taken(self.ctx, taken))  # fmt: skip

    def _pull_all(self, client: HubClient) -> PageTally:
        """Pull page after page; the next page is fetched while this one is applied (the hub's
        time and this PC's overlap), and a fetch that failed raises only after the pages
        before it are committed, as one fetch after another would."""
        total = PageTally()
        with self.ctx.store.read() as session:
            start = session.scalar(select(SyncState.cursor).where(SyncState.id == 1)) or 0
            pending, held = outbox_counts(session)  # a pull adds nothing to the outbox
        if start == RESTORED_CURSOR:  # restored, nothing written since: the audit writer
            with self.ctx.store.write() as session:  # starts the chain's new epoch (and sets
                tag(session, "pull", restored=True)  # the cursor to 0) before any page does
            start = 0

        def fetch(cursor: int) -> dict[str, Any]:
            return client.pull(cursor, self._limit, pending=pending, quarantined=held)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull") as ahead:
            page = fetch(start)
            while True:
                records = page.get("records") or []
                now = self.ctx.now()
                if not records and int(page.get("cursor", start)) == start:
                    self._settle_parked(total)  # nothing new, but parked rows may now fit
                    return total
                cursor = max(start, int(page.get("cursor", start)))
                last = not page.get("more") or int(page.get("cursor", start)) <= start
                coming = None if last else ahead.submit(fetch, cursor)
                with self.ctx.store.write() as session:  # one page and its cursor: one transaction
                    applier = Applier(session, self.ctx, now)
                    applier.apply_all(records)
                    applier.rederive()
                    sync_state(session).cursor = cursor
                tally = applier.tally
                total.applied += tally.applied
                total.kept_local += tally.kept_local
                total.parked += tally.parked
                total.conflicts += tally.conflicts
                total.case_ids |= tally.case_ids
                total.calendar_days |= tally.calendar_days
                total.rules_changed |= tally.rules_changed
                total.reference_changed |= tally.reference_changed
                total.bookings |= tally.bookings
                if isinstance(page.get("hlc"), str):
                    self.ctx.clock.observe(Timestamp.decode(page["hlc"]))
                if coming is None:
                    self._settle_parked(total)
                    return total
                page, start = coming.result(), cursor

    def _publish(self, pulled: PageTally, renumbered: int) -> None:
        """Tell the screens what the pull brought (a sync nobody clicked runs on a timer)."""
        # a holiday schedule or rule that arrived was refreshed (and published) after the pull
        case_ids = frozenset(pulled.case_ids) | (ALL_CASES if renumbered else frozenset())
        self.ctx.feed.publish(Changes(case_ids=case_ids, bookings=pulled.bookings))

    def _settle_parked(self, total: PageTally) -> None:
        """Retry every parked row after each pull, even an empty one: at quiescence none stay."""
        with self.ctx.store.read() as session:
            if session.execute(select(SyncParked.seq).limit(1)).first() is None:
                return
        with self.ctx.store.write() as session:
            applier = Applier(session, self.ctx, self.ctx.now())
            applier.retry_parked()
            applier.rederive()
        total.applied += applier.tally.applied
        total.case_ids |= applier.tally.case_ids

    def _enrol(self, client: HubClient) -> None:
        """Learn this token's scope; adopt the hub's township id if set up before (一次)."""
        me = client.me()
        scope = str(me.get("scope", ""))
        township = me.get("township") if isinstance(me.get("township"), dict) else None
        with self.ctx.store.write() as session:
            session.info[APPLYING_PULL_KEY] = True
            state = sync_state(session)
            state.scope, state.hub_device_id = scope, str(me.get("device_id", ""))[:36]
            state.hub_label = str(me.get("label", ""))[:100]
            state.hub_township_id = township["id"] if township else None
            if scope == "county":
                if self.ctx.township_id:
                    raise ConflictError("sync.scope", "本机已设为乡镇工作台，不能使用县级令牌")
                return
            if township is None:
                raise ConflictError("sync.scope", "县级平台未返回本令牌所属乡镇")
            _adopt_township(session, self.ctx.township_id, self.ctx.township_code, township)
        self.ctx.township_id, self.ctx.township_code = township["id"], township["code"]

    def _record(self, started: dt.datetime, *, success: bool = False,
                error: ServiceError | None = None, skew: int | None = None) -> None:  # fmt: skip
        with self.ctx.store.write() as session:
            state = sync_state(session)
            state.last_attempt_at = started
            if success:
                state.last_success_at, state.last_error, state.last_error_code = started, "", ""
                state.clock_skew_ms = skew
            if error is not None:
                state.last_error, state.last_error_code = error.message, error.code[:40]

    # -- what the 同步 screen shows --------------------------------------------------------------

    def status(self) -> SyncStatus:
        with self.ctx.store.read() as session:
            state = session.get(SyncState, 1)
            pending, held = outbox_counts(session)
            conflicts = session.scalar(select(func.count()).select_from(SyncConflict)
                                       .where(SyncConflict.status == "open")) or 0  # fmt: skip
            parked = session.scalar(select(func.count()).select_from(SyncParked)) or 0
            held_for_clock = clock_held(session)
            if self._lock.locked():
                kind = "running"
            elif state is None or (state.last_attempt_at is None):
                kind = "never"
            elif state.last_error_code in _OFFLINE:
                kind = "offline"
            elif state.last_error_code == "sync.hub_fault":
                kind = "error"  # the hub answers, but fails: a person must look, not "offline"
            elif state.last_error_code:
                kind = "refused"
            else:
                kind = "ok"
            return SyncStatus(
                state=kind, last_success_at=state.last_success_at if state else None,
                last_attempt_at=state.last_attempt_at if state else None, pending=pending,
                quarantined=held, conflicts=int(conflicts), parked=int(parked),
                message=state.last_error if state else "", scope=state.scope if state else "",
                clock_skew_ms=state.clock_skew_ms if state else None,
                clock_held=held_for_clock,
            )  # fmt: skip

    def outbox_items(self, status: str = "pending", limit: int = 500) -> tuple[OutboxItem, ...]:
        """Pending (``pending``) or quarantined (``quarantined``) changes, oldest first."""
        with self.ctx.store.read() as session:
            rows = session.execute(
                select(Outbox, SyncQuarantine)
                .outerjoin(SyncQuarantine, SyncQuarantine.change_id == Outbox.change_id)
                .where(Outbox.status == status).order_by(Outbox.seq).limit(limit)
            ).all()  # fmt: skip
            return tuple(
                OutboxItem(
                    o.change_id,
                    o.entity,
                    entity_label(o.entity),
                    o.entity_id,
                    o.op,
                    o.created_at,
                    o.status,
                    (q.reason if q else o.error) or "",
                    q.status_code if q else None,
                )
                for o, q in rows
            )

    def conflicts(self, *, include_settled: bool = False) -> tuple[ConflictItem, ...]:
        with self.ctx.store.read() as session:
            query = select(SyncConflict, Case.code).outerjoin(Case, Case.id == SyncConflict.case_id)
            if not include_settled:
                query = query.where(SyncConflict.status == "open")
            rows = session.execute(query.order_by(SyncConflict.detected_at.desc())).all()
            return tuple(ConflictItem(c.id, c.kind, c.entity, entity_label(c.entity), c.entity_id,
                                      c.field, _shown(c.field, c.kept_value),
                                      _shown(c.field, c.lost_value), c.kept_device,
                                      c.lost_device, c.reason, c.detected_at, c.status,
                                      c.case_id, code) for c, code in rows)  # fmt: skip

    def parked(self) -> tuple[ParkedItem, ...]:
        with self.ctx.store.read() as session:
            rows = session.scalars(select(SyncParked).order_by(SyncParked.parked_at)).all()
            return tuple(ParkedItem(p.entity, p.entity_id, p.reason, p.parked_at) for p in rows)

    def hub_devices(self) -> tuple[HubDeviceItem, ...]:
        """Every device's last sync and backlog (county tokens only; others get 403)."""
        client, _token = self._client()
        with client:
            rows = client.devices()

        def when(value: Any) -> dt.datetime | None:
            return dt.datetime.fromisoformat(value) if isinstance(value, str) else None

        out = []
        for d in rows:
            times = [t for t in (when(d.get("last_push_at")), when(d.get("last_pull_at"))) if t]
            out.append(
                HubDeviceItem(
                    str(d["id"]),
                    str(d["label"]),
                    str(d.get("township_name") or "县级"),
                    max(times) if times else None,
                    int(d.get("pending", 0)),
                    int(d.get("quarantined", 0)),
                    d.get("revoked_at") is not None,
                )
            )
        return tuple(out)

    # -- actions ---------------------------------------------------------------------------------

    def requeue(self, change_id: str) -> str:
        """Send a quarantined change again (under a new change id); returns that id."""
        new_id = requeue(self.ctx.store, change_id, self.ctx.clock)
        self._notify()
        return new_id

    def settle_conflict(self, conflict_id: str, *, use_lost_value: bool = False) -> Changes:
        """A director's decision (裁决): keep the value in effect, or restore the other one.

        A restored value changes the record it belongs to: the ``Changes`` are returned and
        published on the feed, so every open screen showing that record reloads.
        """
        self.ctx.require("sync.settle")
        now = self.ctx.now()

        def work(session: Session) -> Changes:
            c = session.get(SyncConflict, conflict_id)
            if c is None:
                raise NotFoundError("conflict.not_found", "找不到该冲突记录")
            if c.status != "open":
                raise ConflictError("conflict.settled", "该冲突已经裁决")
            value = c.lost_value if use_lost_value else c.kept_value
            changes = Changes()
            if c.kind == "field" and use_lost_value:
                row = _write_field(session, c.entity, c.entity_id, c.field, value)
                changes = _changes_of(c.entity, row)
            c.status, c.settled_by, c.settled_at = "settled", self.ctx.user_id, now
            c.settled_value = value
            if c.kind == "field":
                fields = {"status": "settled", "settled_by": self.ctx.user_id,
                          "settled_at": now.isoformat(), "settled_value": value}  # fmt: skip
                session.add(Outbox(change_id=uuid7(), entity=CONFLICT_ENTITY, entity_id=c.id,
                                   op="update", hlc=self.ctx.clock.now().encode(),
                                   payload={"fields": fields, "before": {"status": "open"}},
                                   status="pending", attempts=0, created_at=now))  # fmt: skip
            return changes

        changes = self.ctx.store.run_write(work)
        self._notify()
        self.ctx.feed.publish(changes)
        return changes


def _shown(field_name: str | None, value: Any) -> Any:
    """A conflicting value as the list shows it: an ID number or phone masked, never a token."""
    if field_name not in ("id_number", "phone") or not is_sealed(value):
        return value
    try:
        plain = unseal(str(value), field_name) or ""
    except DataKeyError:
        return msg("（本机无数据密钥，无法显示）")
    return mask_id_number(plain) if field_name == "id_number" else mask_phone(plain)


_OFFLINE = frozenset({"sync.timeout", "sync.certificate", "sync.unreachable", "sync.server",
                      "sync.garbled"})  # fmt: skip


def _write_field(session: Session, entity: str, entity_id: str, name: str, value: Any) -> Any:
    """Write one field through the ORM, so the outbox records it as a new local change; returns
    the row written."""
    for mapper in Base.registry.mappers:
        if getattr(mapper.local_table, "name", None) == entity:
            obj = session.get(mapper.class_, entity_id)
            if obj is None:
                raise NotFoundError("conflict.record", "冲突涉及的记录在本机不存在")
            table = Base.metadata.tables[entity]
            converted = convert(table, {name: value})
            setattr(obj, name, converted[name])
            session.flush()
            return obj
    raise NotFoundError("conflict.entity", "冲突涉及的数据类型在本版本中不存在")


def _changes_of(entity: str, row: Any) -> Changes:
    """What the screens must reload after one field of ``row`` (a row of ``entity``) changed."""
    if entity == "case_file":
        return Changes(case_ids=frozenset({str(row.id)}))
    if entity == "person":  # a name or phone shows on every case the person is party to
        return Changes(case_ids=ALL_CASES, people=True)
    case_id = getattr(row, "case_id", None)
    if entity in ROOM_TABLES:
        return Changes(case_ids=frozenset({str(case_id)}) if case_id else frozenset(),
                       bookings=True)  # fmt: skip
    if case_id:
        return Changes(case_ids=frozenset({str(case_id)}))
    return Changes(case_ids=ALL_CASES, reference=True)  # an organisation, a rule: reload all


def _adopt_township(session: Session, local_id: str | None, local_code: str | None,
                    hub: dict[str, Any]) -> None:  # fmt: skip
    """Make the hub's township id this PC's, re-pointing a township set up locally before."""
    hub_id, hub_code = str(hub["id"]), str(hub["code"])
    if local_id == hub_id:
        return
    if local_id is not None and local_code != hub_code:
        raise ConflictError(
            "sync.township",
            msg(
                "本机设置的乡镇代码（{local}）与县级平台为本令牌登记的乡镇（{code} {name}）不一致",
                local=local_code,
                code=hub_code,
                name=str(hub["name"]),
            ),
        )
    params = {"new": hub_id, "old": local_id, "name": str(hub["name"]), "code": hub_code}
    session.execute(
        text(
            "INSERT OR IGNORE INTO org_unit (id, parent_id, kind, name, code, unit_type, "
            "sort_order, active) VALUES (:new, NULL, 'township', :name, :code, NULL, 0, 1)"
        ),
        params,
    )
    if local_id is not None:
        for table in Base.metadata.sorted_tables:
            if table is case_tally:  # re-pointed by its own triggers as case_file is updated
                continue
            for column in table.columns:
                points = any(fk.column.table.name == "org_unit" for fk in column.foreign_keys)
                if points or column.name == "township_id":
                    session.execute(text(f'UPDATE "{table.name}" SET "{column.name}" = :new '
                                         f'WHERE "{column.name}" = :old'), params)  # fmt: skip
        session.execute(text("UPDATE outbox SET payload = replace(payload, :old, :new), "
                             "entity_id = replace(entity_id, :old, :new) "
                             "WHERE status != 'sent'"), params)  # fmt: skip
        session.execute(text("DELETE FROM org_unit WHERE id = :old"), params)
    device = session.scalars(select(DeviceState).limit(1)).first()
    if device is not None:
        device.township_id = hub_id
