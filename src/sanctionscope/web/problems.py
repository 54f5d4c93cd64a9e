"""Errors as RFC 9457 problem details (``application/problem+json``), naming the field.

Bad input is a 4xx with the field and the value, never a 500; every problem also
carries the ``dataset_version`` the server answers from. Errors the interfaces tell apart
add ``code`` (e.g. ``leading_zero_lost``) and, when there is one, the ``suggestion``.

A browser (a request outside ``/v1/`` whose ``Accept`` names ``text/html`` before any
JSON type) gets the same facts as an HTML page with the same status; API clients, and
everything under ``/v1/``, get problem details.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from sanctionscope.errors import InputError

MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: "Invalid input",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Upload too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, with the field and value at fault."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    field: str | None = None
    value: Any = None
    #: a stable machine-readable reason (e.g. leading_zero_lost), when there is one
    code: str | None = None
    #: the likely intended value (e.g. the code with its leading zero), when known
    suggestion: str | None = None
    dataset_version: str | None = None


class HTTPProblem(Exception):
    """Raise from a route to answer with problem details."""

    def __init__(
        self,
        status: int,
        detail: str,
        field: str | None = None,
        value: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.field, self.value = status, detail, field, value
        self.headers = headers


#: Paths that always answer problem details, whatever the client accepts.
API_PREFIXES = ("/v1/", "/openapi.json", "/healthz", "/static/")


def wants_html(request: Request) -> bool:
    """True for a browser asking for a page: not an API path, and ``text/html`` is
    accepted and named before any JSON type (``*/*`` alone means JSON)."""
    path = request.url.path
    if path == "/v1" or path.startswith(API_PREFIXES):
        return False
    accept = request.headers.get("accept", "").lower()
    html = accept.find("text/html")
    if html < 0:
        return False
    json_at = [i for i in (accept.find("application/json"), accept.find("+json")) if i >= 0]
    return not json_at or html < min(json_at)


def reply(
    request: Request,
    status: int,
    detail: str,
    field: str | None = None,
    value: Any = None,
    code: str | None = None,
    suggestion: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The error as an HTML page for a browser (see :func:`wants_html`), else problem details."""
    if wants_html(request):
        try:
            return _page(request, status, detail, field, value, suggestion, headers)
        except Exception:  # pragma: no cover - the page failed: the facts still go out as JSON
            pass
    return problem(request, status, detail, field, value, code, suggestion, headers)


def problem(
    request: Request,
    status: int,
    detail: str,
    field: str | None = None,
    value: Any = None,
    code: str | None = None,
    suggestion: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    slug = TITLES.get(status, "Error").lower().replace(" ", "-")
    body = ProblemDetails(
        type=f"/problems/{slug}",
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=str(request.url.path),
        field=field,
        value=value if value is None or isinstance(value, str | int | float | bool) else str(value),
        code=code,
        suggestion=suggestion,
        dataset_version=getattr(request.app.state, "dataset_version", None),
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


def _page(
    request: Request,
    status: int,
    detail: str,
    field: str | None,
    value: Any,
    suggestion: str | None,
    headers: Mapping[str, str] | None,
) -> Response:
    """The error as an HTML page (for browsers), with the status of the problem."""
    page = request.app.state.render_page  # web.pages.page, set by the app (pages import this module)
    title = TITLES.get(status, "Error")
    slug = title.lower().replace(" ", "-")
    if status == 404 and field is None:
        response: Response = page(request, "missing.html", 404, what=f"page {request.url.path}", near=[])
    else:
        shown = value if value is None or isinstance(value, str | int | float | bool) else str(value)
        response = page(
            request,
            "error.html",
            status,
            title=title,
            detail=detail,
            field=field,
            value=shown,
            suggestion=suggestion,
            code=status,
            type=f"/problems/{slug}",
        )
    for key, item in (headers or {}).items():
        response.headers[key] = item
    return response


def install(app: FastAPI) -> None:
    """Translate every error into problem details at the edge."""

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> Response:
        detail = f"{exc.field}: {exc.value!r} {exc.reason}"
        suggestion = getattr(exc, "suggestion", None)
        return reply(request, 400, detail, exc.field, exc.value, exc.code, suggestion)

    @app.exception_handler(HTTPProblem)
    async def _http_problem(request: Request, exc: HTTPProblem) -> Response:
        return reply(request, exc.status, exc.detail, exc.field, exc.value, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(x) for x in first.get("loc", ()) if x not in ("query", "path", "body")]
        field = ".".join(loc) or None
        detail = f"{field}: {first.get('msg', 'is invalid')}" if field else str(first.get("msg", "invalid"))
        return reply(request, 400, detail, field, first.get("input"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        # keep the exception's headers: a 405 says which methods are allowed (Allow)
        return reply(request, exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:  # pragma: no cover
        return reply(request, 500, "the server failed to answer; this is a bug, please report it")
