"""The county hub's HTTP API (县级同步平台接口) under ``/v1``: thin routes over HubService."""

# No ``from __future__ import annotations`` here: FastAPI resolves route annotations at runtime.

import json
import time
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.auth import Principal
from hub.db import HubDB
from hub.merge import IncomingChange, RefusedError
from hub.service import BatchRefusedError, HubService, UnauthorizedError
from services.domain.textutil import text_problem
from services.sync.protocol import (
    CHANGE_ID_RE,
    DEFAULT_PULL_LIMIT,
    MAX_BATCH,
    MAX_BODY_BYTES,
    MAX_LEASE,
    MAX_PULL_LIMIT,
    SERIES_RE,
)

COUNT = Field(0, ge=0, le=1_000_000_000)


class ChangeIn(BaseModel):
    """One change as sent; its content is checked per change by the service (hub.schema), so a
    malformed one is named in the refusal and quarantined by its device, not the whole push."""

    change_id: str = Field(max_length=100, examples=["0191d3c2-7a1b-4c8e-9f00-123456789abc"])
    entity: str = Field(max_length=100, examples=["case_file"])
    entity_id: str = Field(max_length=200)
    op: str = Field(max_length=16, examples=["insert", "update"])
    hlc: str = Field(max_length=100, examples=["1795000000000-0000000000-pc-1"])
    payload: Any


class PushIn(BaseModel):
    changes: list[ChangeIn] = Field(max_length=MAX_BATCH)
    pending: int = COUNT
    quarantined: int = COUNT
    # The change ids of the device's previous batch, not yet answered when this one was sent:
    # applied only once they are all on the hub (HubService.push).
    after: list[Annotated[str, Field(pattern=CHANGE_ID_RE.pattern)]] = Field(
        default_factory=list, max_length=MAX_BATCH
    )


class ChangeResultOut(BaseModel):
    change_id: str
    status: Literal["applied", "duplicate"]


class PushOut(BaseModel):
    results: list[ChangeResultOut]
    conflicts: int
    hlc: str
    server_ms: int
    ordered: bool = False  # this hub honours ``after``: a device may pipeline its batches


class RecordOut(BaseModel):
    entity: str
    id: str
    seq: int
    township_id: str | None
    row: dict[str, Any]


class PullOut(BaseModel):
    records: list[RecordOut]
    cursor: int
    more: bool
    hlc: str
    server_ms: int


class TownshipOut(BaseModel):
    id: str
    code: str
    name: str


class MeOut(BaseModel):
    device_id: str
    label: str
    scope: Literal["township", "county"]
    township: TownshipOut | None
    api_version: str
    server_ms: int


class LeaseIn(BaseModel):
    series: str = Field(max_length=80, pattern=SERIES_RE.pattern)
    size: int = Field(ge=1, le=MAX_LEASE)
    request_id: str = Field(pattern=CHANGE_ID_RE.pattern)


class LeaseOut(BaseModel):
    series: str
    first: int
    last: int


class DeviceOut(BaseModel):
    id: str
    label: str
    scope: str
    township_code: str | None
    township_name: str | None
    issued_at: str
    revoked_at: str | None
    last_seen_at: str | None
    last_push_at: str | None
    last_pull_at: str | None
    pending: int
    quarantined: int


class ChangeErrorOut(BaseModel):
    change_id: str
    status: int
    code: str
    message: str
    hint: str = ""


class ErrorDetail(BaseModel):
    code: str
    message: str
    changes: list[ChangeErrorOut] = []


class ErrorOut(BaseModel):
    detail: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (400, 401, 403, 409, 413, 422, 429)
}


def _ms() -> int:
    return time.time_ns() // 1_000_000


def _safe(text: str) -> str:
    """``text`` fit to echo in a JSON answer (a lone surrogate would fail the encoder: 500)."""
    return text if text_problem(text) is None else text.encode("utf-8", "replace").decode()


def _named_changes(exc: RequestValidationError) -> list[dict[str, Any]]:
    """The changes of a push a validation error names (``body.changes[i]``), by index and id,
    so the device quarantines exactly those and sends the rest."""
    body = getattr(exc, "body", None)
    sent = body.get("changes") if isinstance(body, dict) else None
    out: dict[int, dict[str, Any]] = {}
    for e in exc.errors():
        loc = tuple(e.get("loc", ()))
        if len(loc) < 3 or loc[:2] != ("body", "changes") or not isinstance(loc[2], int):
            continue
        item = sent[loc[2]] if isinstance(sent, list) and 0 <= loc[2] < len(sent) else None
        cid = item.get("change_id") if isinstance(item, dict) else None
        out[loc[2]] = {"index": loc[2], "change_id": _safe(cid) if isinstance(cid, str) else "",
                       "status": 422, "code": "change.invalid",
                       "message": "变更格式无效：" + _safe(str(e.get("msg", "")))}  # fmt: skip
    return list(out.values())


_FRAMEWORK_REFUSALS = {400: "请求无法解析", 404: "没有这个接口", 405: "不支持此请求方法"}


def _error(status: int, code: str, message: str, **extra: Any) -> HTTPException:
    detail = {"code": code, "message": message, "changes": [], **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return HTTPException(status_code=status, detail=detail, headers=headers)


class BodyLimit:
    """Refuse request bodies over ``max_body`` bytes with 413, before any route sees them; every
    answer (errors too) carries the hub's time in ``X-Hub-Time`` (ms), so a PC always knows how
    far off its own clock is (本机时钟不准) and takes the year of a new code from the hub."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:
                await self._too_large(send)
                return
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, _stamped(send))

    async def _too_large(self, send: Send) -> None:
        body = json.dumps({"detail": {"code": "request.too_large", "changes": [],
                                      "message": f"请求过大（上限{self.max_body // 1024}KB）"}},
                          ensure_ascii=False).encode()  # fmt: skip
        await _stamped(send)({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})


def _stamped(send: Send) -> Send:
    async def stamped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [*message.get("headers", ()), (b"x-hub-time", str(_ms()).encode())]
            message = {**message, "headers": headers}
        await send(message)

    return stamped


def create_app(db: HubDB | str, *, max_body: int = MAX_BODY_BYTES) -> FastAPI:
    """The hub as an ASGI app over ``db`` (a HubDB or a database URL; migrations run)."""
    hub_db = HubDB(db) if isinstance(db, str) else db
    service = HubService(hub_db)
    app = FastAPI(title="综治中心县级同步平台", version="1", openapi_url="/openapi.json",
                  docs_url=None, redoc_url=None)  # fmt: skip
    app.state.service = service
    app.add_middleware(BodyLimit, max_body=max_body)
    bearer = HTTPBearer(auto_error=False)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": [_safe(str(x)) for x in e.get("loc", ())],
                "msg": _safe(str(e.get("msg", ""))),
                "type": _safe(str(e.get("type", ""))),
            }
            for e in exc.errors()
        ]  # fmt: skip  (never echo the input: NaN, surrogates)
        changes = _named_changes(exc)
        detail = {"code": "request.invalid", "message": "请求格式无效", "changes": changes,
                  "errors": errors}  # fmt: skip
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.exception_handler(StarletteHTTPException)
    async def _refused(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """The hub's own refusals as raised; Starlette's (an unreadable body, an unknown path or
        method: a bare English string) in the same {code, message, changes} shape."""
        detail: Any = exc.detail
        if not isinstance(detail, dict):
            said = _FRAMEWORK_REFUSALS.get(exc.status_code, "请求被拒绝")
            detail = {"code": f"http.{exc.status_code}", "message": said, "changes": []}
        return JSONResponse(status_code=exc.status_code, content={"detail": detail},
                            headers=getattr(exc, "headers", None))  # fmt: skip

    Who = Annotated[Principal, Depends(_authenticate(service, bearer))]  # noqa: N806 - a type alias
    v1 = APIRouter(prefix="/v1", responses=ERRORS)
    _device_routes(v1, service, Who)
    _sync_routes(v1, service, Who)
    app.include_router(v1)
    return app


def _authenticate(service: HubService, bearer: HTTPBearer) -> Callable[..., Principal]:
    """The dependency that turns a bearer token (and X-Device-Id) into a Principal."""

    def current(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        x_device_id: Annotated[str | None, Header(max_length=40)] = None,
    ) -> Principal:
        if credentials is None:
            raise _error(401, "auth.missing", "缺少设备令牌")
        try:
            return service.principal(credentials.credentials, x_device_id)
        except UnauthorizedError as exc:
            raise _error(401, exc.code, exc.message) from None
        except RefusedError as exc:
            raise _error(exc.status, exc.code, exc.message) from None

    return current


def _device_routes(v1: APIRouter, service: HubService, Who: Any) -> None:  # noqa: N803
    """/health, /me and /devices."""

    @v1.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "api_version": "1"}

    @v1.get("/me", response_model=MeOut)
    def me(who: Who) -> MeOut:
        township = None
        if who.township_id and who.township_code and who.township_name:
            township = TownshipOut(id=who.township_id, code=who.township_code,
                                   name=who.township_name)  # fmt: skip
        scope: Literal["township", "county"] = "county" if who.is_county else "township"
        return MeOut(device_id=who.device_id, label=who.label, scope=scope, township=township,
                     api_version="1", server_ms=_ms())  # fmt: skip

    @v1.get("/devices", response_model=list[DeviceOut])
    def devices(who: Who) -> list[DeviceOut]:
        try:
            rows = service.devices(who)
        except RefusedError as exc:
            raise _error(exc.status, exc.code, exc.message) from None

        def iso(value: Any) -> str | None:
            return value.isoformat() if value is not None else None

        return [DeviceOut(id=d.id, label=d.label, scope=d.scope, township_code=d.township_code,
                          township_name=d.township_name, issued_at=d.issued_at.isoformat(),
                          revoked_at=iso(d.revoked_at), last_seen_at=iso(d.last_seen_at),
                          last_push_at=iso(d.last_push_at), last_pull_at=iso(d.last_pull_at),
                          pending=d.pending, quarantined=d.quarantined) for d in rows]  # fmt: skip


def _sync_routes(v1: APIRouter, service: HubService, Who: Any) -> None:  # noqa: N803
    """/push, /pull and /leases."""

    @v1.post("/push", response_model=PushOut)
    def push(body: PushIn, who: Who) -> Response:
        changes = [IncomingChange(c.change_id, c.entity, c.entity_id, c.op, c.hlc, c.payload)
                   for c in body.changes]  # fmt: skip
        index = {c.change_id: i for i, c in enumerate(changes)}
        try:
            out = service.push(who, changes, pending=body.pending, quarantined=body.quarantined,
                               after=body.after)  # fmt: skip
        except BatchRefusedError as exc:
            items = [{"change_id": _safe(cid), "index": index.get(cid), "status": r.status,
                      "code": r.code, "message": _safe(r.message), "hint": _safe(r.hint)}
                     for cid, r in exc.problems]  # fmt: skip
            raise _error(exc.status, exc.code, exc.message, changes=items) from None
        except RefusedError as exc:  # the batch as a whole (push.order): sent again, in order
            raise _error(exc.status, exc.code, exc.message) from None
        # PushOut, encoded here in one call: a thousand result models built and then
        # validated again by FastAPI cost more than the rest of the answer.
        answer = {"results": [{"change_id": r.change_id, "status": r.status} for r in out.results],
                  "conflicts": out.conflicts, "hlc": out.hlc, "server_ms": _ms(),
                  "ordered": True}  # fmt: skip
        return Response(json.dumps(answer, ensure_ascii=False, separators=(",", ":")),
                        media_type="application/json")  # fmt: skip

    @v1.get("/pull", response_model=PullOut)
    def pull(
        who: Who,
        cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
        pending: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
        quarantined: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    ) -> Response:
        page = service.pull(who, cursor, limit, pending=pending, quarantined=quarantined)
        # PullOut written here: each row is spliced in as the JSON text the database gave
        # (decoding 500 rows, building models, validating and encoding them again cost about
        # 35 ms a page: 7 s of hub time in a 100,000-record pull).
        enc = json.dumps
        records = ",".join(
            f'{{"entity":{enc(r.entity)},"id":{enc(r.entity_id)},"seq":{int(r.seq)},'
            f'"township_id":{enc(r.township_id)},"row":{r.row_json}}}'
            for r in page.records
        )
        more = "true" if page.more else "false"
        body = (f'{{"records":[{records}],"cursor":{int(page.cursor)},"more":{more},'
                f'"hlc":{enc(page.hlc)},"server_ms":{_ms()}}}')  # fmt: skip
        return Response(body, media_type="application/json")

    @v1.post("/leases", response_model=LeaseOut)
    def lease(body: LeaseIn, who: Who) -> LeaseOut:
        try:
            block = service.lease(who, body.series, body.size, body.request_id)
        except RefusedError as exc:
            raise _error(exc.status, exc.code, exc.message) from None
        return LeaseOut(series=block.series, first=block.first, last=block.last)
