"""A synchronous httpx transport over an ASGI app: the sync client against the hub in-process.

starlette's TestClient is deprecated with httpx, and httpx's own ASGITransport is async-only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio.from_thread
import httpx


class SyncASGITransport(httpx.BaseTransport):
    """Runs each request on one background event loop (a blocking portal)."""

    def __init__(self, app: Callable[..., Awaitable[Any]]) -> None:
        self._inner = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # a 500 is an answer
        self._cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._cm.__enter__()
        self.down = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused (hub stopped)", request=request)
        content = request.read()

        async def go() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            req = httpx.Request(
                request.method, request.url, headers=request.headers, content=content
            )
            resp = await self._inner.handle_async_request(req)
            body = await resp.aread()
            return resp.status_code, resp.headers.raw, body

        status, headers, body = self._portal.call(go)
        return httpx.Response(status, headers=headers, content=body, request=request)

    def close(self) -> None:
        """Clients close their transport when done; the portal lives until :meth:`shutdown`."""

    def shutdown(self) -> None:
        self.down = True
        self._cm.__exit__(None, None, None)
