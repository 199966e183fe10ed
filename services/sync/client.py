"""HTTP client of the county hub (县级平台客户端): TLS rules, timeouts and error mapping."""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.domain.errors import OfflineError, ServiceError, ValidationError
from services.domain.messages import msg

if TYPE_CHECKING:
    import httpx

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True, slots=True)
class HubConfig:
    """Where the hub is and how to trust it (设置：县级平台地址、CA证书)."""

    url: str
    ca_bundle: str | None = None
    allow_insecure_http: bool = False
    timeout: float = 20.0


class HubRefusedError(ServiceError):
    """A definitive answer from the hub (4xx): ``status`` and, for a push, the refused changes."""

    def __init__(self, status: int, code: str, message: str,
                 changes: Sequence[Mapping[str, Any]] = ()) -> None:  # fmt: skip
        super().__init__(code, message)
        self.status = status
        self.changes = tuple(changes)


def check_url(url: str, *, allow_insecure_http: bool = False) -> str:
    """The hub URL without a trailing slash; plain HTTP only to this PC unless allowed."""
    import httpx  # 11 MB: loaded when a hub is set up, not on a stand-alone PC (issue 15 #6)

    text = url.strip().rstrip("/")
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, TypeError):
        raise ValidationError("hub_url", "sync.url", "县级平台地址格式无效") from None
    if parsed.scheme not in ("https", "http") or not parsed.host:
        raise ValidationError("hub_url", "sync.url", "县级平台地址须以 https:// 开头")
    if parsed.scheme == "http" and parsed.host not in LOOPBACK and not allow_insecure_http:
        raise ValidationError(
            "hub_url", "sync.insecure", "县级平台地址须使用 https 加密连接（仅本机地址可用 http）"
        )
    return text


def _verify(config: HubConfig) -> ssl.SSLContext | bool:
    if not config.ca_bundle:
        return True
    path = Path(config.ca_bundle)
    if not path.is_file():
        raise ValidationError(
            "ca_bundle", "sync.ca_bundle", msg("找不到CA证书文件：{path}", path=path)
        )
    try:
        return ssl.create_default_context(cafile=str(path))
    except ssl.SSLError:
        raise ValidationError("ca_bundle", "sync.ca_bundle", "CA证书文件无效") from None


def _is_certificate_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE" in str(seen).upper():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class HubClient:
    """One connection to the hub for the length of a sync; every call raises service errors.

    Raises:
        OfflineError: the hub cannot be reached, timed out, failed (5xx) or its certificate was
            refused. Nothing was lost; the next sync retries.
        HubRefusedError: the hub answered no (401 token, 403 scope, 409/422 bad change, 413 size).
    """

    def __init__(self, config: HubConfig, token: str, device_id: str, *,
                 transport: httpx.BaseTransport | None = None,
                 now_ms: Callable[[], int] | None = None) -> None:  # fmt: skip
        import httpx

        url = check_url(config.url, allow_insecure_http=config.allow_insecure_http)
        self.skew_ms: int | None = None
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._http = httpx.Client(
            base_url=url,
            transport=transport,
            verify=_verify(config),
            timeout=httpx.Timeout(config.timeout, connect=min(config.timeout, 10.0)),
            headers={
                "Authorization": f"Bearer {token}",
                "X-Device-Id": device_id,
                "User-Agent": "zongzhi-workbench/1",
            },  # fmt: skip
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def me(self) -> dict[str, Any]:
        return _obj(self._call("GET", "/v1/me"))

    def push(self, changes: Sequence[Mapping[str, Any]], *, pending: int,
             quarantined: int) -> dict[str, Any]:  # fmt: skip
        body = {"changes": list(changes), "pending": pending, "quarantined": quarantined}
        return _obj(self._call("POST", "/v1/push", json=body))

    def push_json(self, changes_json: str, *, pending: int, quarantined: int,
                  after: Sequence[str] = ()) -> dict[str, Any]:  # fmt: skip
        """:meth:`push` of changes already encoded as a JSON array (the outbox keeps JSON).

        ``after``: the change ids of the batch sent just before, still unanswered; the hub
        applies this one only once that one is in (only a hub that answers ``ordered`` does).
        """
        tail = f',"after":{json.dumps(list(after))}' if after else ""
        body = (f'{{"changes":{changes_json},"pending":{int(pending)},'
                f'"quarantined":{int(quarantined)}{tail}}}')  # fmt: skip
        return _obj(self._call("POST", "/v1/push", content=body.encode("utf-8"),
                               headers={"Content-Type": "application/json"}))  # fmt: skip

    def pull(self, cursor: int, limit: int, *, pending: int, quarantined: int) -> dict[str, Any]:
        params = {"cursor": cursor, "limit": limit, "pending": pending, "quarantined": quarantined}
        return _obj(self._call("GET", "/v1/pull", params=params))

    def lease(self, series: str, size: int, request_id: str) -> dict[str, Any]:
        body = {"series": series, "size": size, "request_id": request_id}
        return _obj(self._call("POST", "/v1/leases", json=body))

    def devices(self) -> list[dict[str, Any]]:
        data = self._call("GET", "/v1/devices")
        return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        import httpx

        started = self._now_ms()
        try:
            resp = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise OfflineError("sync.timeout", "连接县级平台超时，稍后将自动重试") from None
        except httpx.TransportError as exc:
            if _is_certificate_error(exc):
                raise OfflineError(
                    "sync.certificate", "县级平台的证书未通过校验，请检查设置中的CA证书"
                ) from None
            raise OfflineError("sync.unreachable", "无法连接县级平台，稍后将自动重试") from None
        ended = self._now_ms()
        if resp.status_code >= 500:
            raise OfflineError(
                "sync.server",
                msg("县级平台暂时故障（{status}），稍后将自动重试", status=resp.status_code),
            )
        try:
            data = resp.json()
        except ValueError:
            raise OfflineError(
                "sync.garbled", "县级平台返回的内容无法识别，稍后将自动重试"
            ) from None
        hub_ms = resp.headers.get("x-hub-time", "")
        if hub_ms.isdigit():  # every answer, refusals too
            self.skew_ms = int(hub_ms) - (started + ended) // 2
        elif isinstance(data, dict) and isinstance(data.get("server_ms"), int):
            self.skew_ms = data["server_ms"] - (started + ended) // 2
        if resp.status_code >= 400:
            raise _refusal(resp.status_code, data)
        return data


def _obj(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise OfflineError("sync.garbled", "县级平台返回的内容无法识别，稍后将自动重试")
    return data


def _refusal(status: int, data: Any) -> HubRefusedError:
    detail = data.get("detail") if isinstance(data, dict) else None
    refused = msg("县级平台拒绝了请求（{status}）", status=status)
    if not isinstance(detail, dict):
        return HubRefusedError(status, f"http.{status}", refused)
    changes = detail.get("changes")
    said = detail.get("message")
    return HubRefusedError(status, str(detail.get("code") or f"http.{status}"),
                           str(said) if said else refused,
                           changes if isinstance(changes, list) else ())  # fmt: skip
