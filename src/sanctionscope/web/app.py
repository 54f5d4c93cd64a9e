"""The application: API routes, web pages, local static assets, problem details.

``create_app`` takes a catalog and a state directory (uploads, poll database); nothing
is fetched from the network: the API docs page and every script and map are served
from ``web/static``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import cached_dataset, default_data_dir
from sanctionscope.web import api, pages, problems, uploads
from sanctionscope.web.poll import OPTIONS, QUESTION, Poll

STATIC = Path(__file__).parent / "static"
#: Largest upload to POST /v1/screen (bytes); bigger files belong to the CLI.
UPLOAD_LIMIT = 50 * 1024 * 1024
VOTER_COOKIE = "sanctionscope_voter"


def default_state_dir() -> Path:
    return Path(os.environ.get("SANCTIONSCOPE_STATE", Path.cwd() / "var"))


def create_app(
    catalog: Catalog | None = None, state_dir: Path | None = None, upload_limit: int = UPLOAD_LIMIT
) -> FastAPI:
    catalog = catalog or Catalog(cached_dataset(str(default_data_dir().resolve())))
    state = Path(state_dir or default_state_dir())
    app = FastAPI(
        title="sanctionscope",
        version="1",
        summary="International sanctions and countermeasures as computable, cited law.",
        description="Every answer carries `dataset_version`; errors are RFC 9457 problem details.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.catalog = catalog
    app.state.dataset_version = catalog.version
    app.state.work_dir = state
    app.state.poll = Poll(state / "poll.duckdb")
    problems.install(app)
    app.include_router(api.router)
    app.include_router(uploads.router)
    app.include_router(pages.router)
    _poll_api(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(uploads.UploadLimit, limit=upload_limit)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="sanctionscope API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
            swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from the network
        )

    @app.get("/healthz", include_in_schema=False)
    async def health() -> JSONResponse:
        return JSONResponse({"ok": True, "dataset_version": catalog.version})

    return app


def _poll_api(app: FastAPI) -> None:
    @app.get("/v1/poll", summary="The reader poll: counts and percentages (adding up to 100)")
    async def poll_results(request: Request) -> JSONResponse:
        return JSONResponse(poll_doc(request))

    @app.post("/v1/poll", summary="Vote once per browser (cookie)", responses=api.ERRORS)
    async def poll_vote(request: Request, choice: str) -> Response:
        if choice not in OPTIONS:
            raise problems.HTTPProblem(
                400, f"choice: {choice!r} is not one of {sorted(OPTIONS)}", "choice", choice
            )
        voter = voter_id(request)
        counted = request.app.state.poll.vote(voter, choice)
        response = JSONResponse({**poll_doc(request, voter), "counted": counted})
        remember_voter(response, voter)
        return response


def voter_id(request: Request) -> str:
    found = request.cookies.get(VOTER_COOKIE, "")
    return (
        found
        if 16 <= len(found) <= 64 and found.replace("-", "").replace("_", "").isalnum()
        else secrets.token_urlsafe(18)
    )


def remember_voter(response: Response, voter: str) -> None:
    response.set_cookie(VOTER_COOKIE, voter, max_age=10 * 365 * 86400, httponly=True, samesite="lax")


def poll_doc(request: Request, voter: str | None = None) -> dict[str, object]:
    poll: Poll = request.app.state.poll
    rows = poll.results()
    voter = voter or request.cookies.get(VOTER_COOKIE)
    return {
        "question": QUESTION,
        "options": [{"id": r.option, "label": r.label, "votes": r.votes, "percent": r.percent} for r in rows],
        "total": sum(r.votes for r in rows),
        "voted": bool(voter) and poll.has_voted(voter or ""),
        "dataset_version": request.app.state.dataset_version,
    }
