"""The application: API routes, web pages, local static assets, problem details.

``create_app`` takes a catalog and a state directory (uploads, poll database); nothing
is fetched from the network: the API docs page and every script and map are served
from ``web/static``. Every response carries the security headers (``web/security``);
one server at a time may use a state directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp

from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import cached_dataset, default_data_dir
from sanctionscope.web import act_pages, api, edge, openapi, pages, problems, research_pages, uploads, voting
from sanctionscope.web.limits import Limits
from sanctionscope.web.poll import Poll, PollLimits
from sanctionscope.web.results import Results
from sanctionscope.web.security import RateLimiter, SecurityHeaders, Signer, StateLock

STATIC = Path(__file__).parent / "static"
#: Largest upload to POST /v1/screen (bytes); bigger files belong to the CLI.
UPLOAD_LIMIT = 50 * 1024 * 1024

#: Swagger UI, served from web/static and started by a script file (no inline script).
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>sanctionscope API</title>
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="/openapi.json"></div>
  <script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/static/js/docs.js"></script>
</body>
</html>
"""


class App(FastAPI):
    """FastAPI with the security headers outside everything, so that even the responses
    of the last-resort error handler carry them."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def default_state_dir() -> Path:
    return Path(os.environ.get("SANCTIONSCOPE_STATE", Path.cwd() / "var"))


def create_app(
    catalog: Catalog | None = None,
    state_dir: Path | None = None,
    upload_limit: int | None = None,
    poll_limits: PollLimits | None = None,
    limits: Limits | None = None,
) -> FastAPI:
    """The app; raises :class:`~sanctionscope.web.security.StateInUse` when another running
    server uses ``state_dir``."""
    catalog = catalog or Catalog(cached_dataset(str(default_data_dir().resolve())))
    state = Path(state_dir or default_state_dir())
    lock = StateLock(state)
    app = App(
        title="sanctionscope",
        version="1",
        summary="International sanctions and countermeasures as computable, cited law.",
        description="Every answer carries `dataset_version`; errors are RFC 9457 problem details.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.lock = lock
    app.state.render_page = pages.page  # error pages for browsers (web.problems)
    app.state.catalog = catalog
    app.state.dataset_version = catalog.version
    app.state.work_dir = state
    # uploads and screens: Limits.from_env() unless given (docs/server-limits.md)
    limits = Limits.from_env(upload_bytes=upload_limit) if limits is None else limits.but(upload_limit)
    app.state.limits = limits
    app.state.results = Results(state, limits)
    poll_limits = poll_limits or PollLimits()
    app.state.poll = Poll(state / "poll.duckdb", poll_limits)
    app.state.voters = Signer.in_folder(state)
    app.state.vote_rate = RateLimiter(poll_limits.rate, poll_limits.window)
    problems.install(app)
    app.add_exception_handler(405, _method_not_allowed)
    app.include_router(api.router)
    app.include_router(uploads.router)
    app.include_router(voting.router)
    app.include_router(research_pages.router)
    app.include_router(pages.router)
    app.include_router(act_pages.router)
    app.include_router(voting.form_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(edge.FixedOrigin, base_url=limits.base_url)  # pages: no Host in links
    app.add_middleware(edge.UploadLimit, limit=limits.upload_bytes)
    openapi.install(app, catalog)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    @app.get("/healthz", include_in_schema=False)
    async def health(request: Request) -> JSONResponse:
        poll = "ok" if request.app.state.poll.available else "unavailable"
        return JSONResponse({"ok": True, "dataset_version": catalog.version, "poll": poll})

    return app


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    """405 with ``Allow`` naming every method the path answers (routes may split methods)."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    ]
    allow = ", ".join(allowed) or "GET"
    detail = str(exc.detail) if isinstance(exc, StarletteHTTPException) else "Method Not Allowed"
    return problems.reply(request, 405, detail, headers={"Allow": allow})
