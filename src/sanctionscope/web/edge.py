"""ASGI middleware at the edge: the request size limit, and pages that ignore the Host header.

``UploadLimit`` answers 413 (problem details) to a body over the limit, whether the client
announced its length or streamed it chunked: FastAPI turns any error met while reading a
form into a 400, so the middleware does not rely on its exception reaching it; it drops
whatever the app answers once the limit was crossed and answers 413 itself.

``FixedOrigin`` makes the pages' permalinks (built from the request's URL) start with the
configured base URL, or relative to the site when none is configured, never with the Host
header a client sent. It rewrites only what page requests (GET and HEAD outside ``/v1``
and ``/static``) see of the host; API requests are passed through untouched.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionscope.web.limits import CLI_HINT, origin_of
from sanctionscope.web.problems import MEDIA_TYPE


class UploadLimit:
    """413 problem details for request bodies over ``limit`` bytes, announced or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.strip().isdigit() and int(length) > self.limit:
            await self._refuse(scope, send)
            return
        seen, over = 0, False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            if not over:  # once over the limit, the app's own answer (a 400) is dropped
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            pass
        except Exception:
            if not over:
                raise
        if over:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = json.dumps(
            {
                "type": "/problems/upload-too-large",
                "title": "Upload too large",
                "status": 413,
                "detail": f"The upload is over {self.limit:,} bytes, the most this server accepts; "
                f"{CLI_HINT}.",
                "instance": scope.get("path"),
                "field": "file",
                "code": "upload_too_large",
                "dataset_version": getattr(getattr(scope.get("app"), "state", None), "dataset_version", None),
            }
        ).encode()
        headers = [
            (b"content-type", MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),  # the rest of the body is not read
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class FixedOrigin:
    """Pages see ``base_url`` as their host (or no host: relative links), never the client's."""

    def __init__(self, app: ASGIApp, base_url: str | None = None) -> None:
        self.app = app
        self.origin = origin_of(base_url) if base_url else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or path.startswith(("/v1/", "/static/"))
        ):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers") or [] if k != b"host"]
        if self.origin is None:
            pinned = {**scope, "headers": headers, "server": None}
        else:
            scheme, netloc = self.origin
            pinned = {**scope, "headers": [(b"host", netloc.encode()), *headers], "scheme": scheme}
        await self.app(pinned, receive, send)
