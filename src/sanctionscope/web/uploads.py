"""``POST /v1/screen``: screen an uploaded shipment file; download the result and rejects.

Uploads stream to disk (never whole in memory) and are refused with 413 beyond the
configured size, before parsing when the client announces the length and while
streaming otherwise. Results are kept under the state directory, newest few only.
"""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionscope.engine.documents import verdict_counts
from sanctionscope.inputs import parse_day
from sanctionscope.screen import parse_mapping, screen_file
from sanctionscope.web.api import ERRORS, Known, Restore, catalog_of
from sanctionscope.web.problems import MEDIA_TYPE, HTTPProblem, ProblemDetails
from sanctionscope.web.schemas import ScreenSummary

router = APIRouter(prefix="/v1", responses=ERRORS)
KEEP = 50  # screened uploads kept on disk
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,40}$")
SUFFIXES = {".csv": ".csv", ".parquet": ".parquet", ".pq": ".parquet"}


@router.post(
    "/screen",
    summary="Screen a CSV or Parquet shipment file (origin, destination, hs_code, date[, attest])",
    responses={
        200: {"model": ScreenSummary, "description": "The accounting of the rows, by verdict"},
        413: {"model": ProblemDetails, "description": "Upload too large"},
    },
)
async def screen_upload(
    request: Request,
    file: Annotated[UploadFile, File(description="Shipments, .csv or .parquet")],
    format_: Annotated[str, Query(alias="format", description="Output format: csv or parquet")] = "csv",
    columns: Annotated[str | None, Query(description="origin=ctry,hs_code=tnved,...")] = None,
    as_known_on: Known = None,
    restore_leading_zeros: Restore = False,
    restore_field: Annotated[
        bool, Form(alias="restore_leading_zeros", description="The same flag as a form field.")
    ] = False,
) -> JSONResponse:
    suffix = SUFFIXES.get(Path(file.filename or "").suffix.lower())
    if suffix is None:
        raise HTTPProblem(415, "file: must be a .csv or .parquet file", "file", file.filename)
    if format_ not in ("csv", "parquet"):
        raise HTTPProblem(400, f"format: {format_!r} is not csv or parquet", "format", format_)
    mapping = parse_mapping(columns)
    known = parse_day(as_known_on, "as_known_on")
    folder = _new_folder(request.app.state.work_dir)
    source = folder / f"input{suffix}"
    with source.open("wb") as out:
        while chunk := await file.read(1 << 20):
            out.write(chunk)
    target, rejects = folder / f"screened.{format_}", folder / "rejects.csv"
    catalog = catalog_of(request)
    from datetime import date

    restore = restore_leading_zeros or restore_field
    try:
        summary = await run_in_threadpool(
            screen_file,
            catalog,
            source,
            target,
            rejects,
            mapping,
            known or date.today(),
            restore_leading_zeros=restore,
        )
    finally:
        source.unlink(missing_ok=True)
    base = f"/v1/screen/{folder.name}"
    doc: dict[str, Any] = {
        "rows_read": summary.read,
        "answered": summary.answered,
        "rejected": summary.rejected,
        "verdicts": verdict_counts(summary.verdicts),
        **({"leading_zeros_restored": summary.restored} if restore else {}),
        "download": f"{base}/result",
        "rejects": f"{base}/rejects",
        "dataset_version": catalog.version,
    }
    return JSONResponse(doc)


@router.get("/screen/{token}/result", summary="Download a screened file", response_class=FileResponse)
async def screened(request: Request, token: str) -> FileResponse:
    folder = _folder(request, token)
    found = next(iter(sorted(folder.glob("screened.*"))), None)
    if found is None:
        raise HTTPProblem(404, "token: no screened file under this token", "token", token)
    kind = "text/csv" if found.suffix == ".csv" else "application/vnd.apache.parquet"
    return FileResponse(found, media_type=kind, filename=f"screened{found.suffix}")


@router.get(
    "/screen/{token}/rejects", summary="Download the rejects of a screen", response_class=FileResponse
)
async def rejected(request: Request, token: str) -> FileResponse:
    found = _folder(request, token) / "rejects.csv"
    if not found.is_file():
        raise HTTPProblem(404, "token: no rejects under this token", "token", token)
    return FileResponse(found, media_type="text/csv", filename="rejects.csv")


def _folder(request: Request, token: str) -> Path:
    folder = Path(request.app.state.work_dir) / "screens" / token
    if not _TOKEN.match(token) or not folder.is_dir():
        raise HTTPProblem(404, "token: unknown or expired screen", "token", token)
    return folder


def _new_folder(work: Path) -> Path:
    root = Path(work) / "screens"
    root.mkdir(parents=True, exist_ok=True)
    old = sorted(root.iterdir(), key=lambda p: p.stat().st_mtime)[: -KEEP + 1 or None]
    for stale in old if len(old) >= KEEP - 1 else []:
        shutil.rmtree(stale, ignore_errors=True)
    folder = root / secrets.token_urlsafe(18)
    folder.mkdir()
    return folder


class UploadLimit:
    """ASGI middleware: 413 problem details for request bodies over ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        import json

        body = json.dumps(
            {
                "type": "/problems/upload-too-large",
                "title": "Upload too large",
                "status": 413,
                "detail": f"the body is over {self.limit:,} bytes; screen larger files with the CLI",
                "instance": scope.get("path"),
                "field": "file",
            }
        ).encode()
        headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
