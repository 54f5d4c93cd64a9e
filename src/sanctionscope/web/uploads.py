"""``POST /v1/screen``: screen an uploaded shipment file; download the result and rejects.

Uploads are refused with 413 beyond the configured size (``edge.UploadLimit``), and
screened within the server's limits (``bounded``: rows, cells, columns, output bytes;
413 with a ``code`` and a pointer to the CLI). Screens run on a bounded pool of threads,
off the event loop; when it and its queue are full the answer is 503 with Retry-After.
Results live in the state folder (``results``): the newest few, within a quota, and an
upload that fails removes nothing. Error messages name the user's file, never the
server's folders or the result's token.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse

from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import Side, side_of
from sanctionscope.engine.documents import verdict_counts
from sanctionscope.errors import InputError
from sanctionscope.inputs import parse_day
from sanctionscope.screen import Summary, parse_mapping
from sanctionscope.web.api import ERRORS, Known, Restore, SideQuery, catalog_of
from sanctionscope.web.bounded import Refused, screen_bounded
from sanctionscope.web.edge import UploadLimit as UploadLimit  # where app.py finds it
from sanctionscope.web.limits import Limits
from sanctionscope.web.problems import HTTPProblem, ProblemDetails, problem
from sanctionscope.web.results import NoRoom, Results
from sanctionscope.web.schemas import ScreenSummary

router = APIRouter(prefix="/v1", responses=ERRORS)
SUFFIXES = {".csv": ".csv", ".parquet": ".parquet", ".pq": ".parquet"}
RETRY_AFTER = "30"
SWITCH_INTERVAL = 0.001


@router.post(
    "/screen",
    summary="Screen a CSV or Parquet shipment file (origin, destination, hs_code, date[, attest])",
    responses={
        200: {"model": ScreenSummary, "description": "The accounting of the rows, by verdict"},
        413: {"model": ProblemDetails, "description": "Upload, rows, a value or the result too large"},
        415: {"model": ProblemDetails, "description": "Not a .csv or .parquet file"},
        503: {"model": ProblemDetails, "description": "The server is busy screening; retry later"},
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
    side: SideQuery = "both",
) -> JSONResponse:
    name = Path(file.filename or "").name
    suffix = SUFFIXES.get(Path(name).suffix.lower())
    if suffix is None:
        raise HTTPProblem(415, "file: must be a .csv or .parquet file", "file", file.filename)
    if format_ not in ("csv", "parquet"):
        raise HTTPProblem(400, f"format: {format_!r} is not csv or parquet", "format", format_)
    mapping = parse_mapping(columns)
    known = parse_day(as_known_on, "as_known_on") or date.today()
    asked = side_of(side)
    catalog, restore = catalog_of(request), restore_leading_zeros or restore_field
    job = Job(results_of(request), catalog, file.file, name, suffix, format_, mapping, known, restore, asked)
    gate = gate_of(request)
    try:
        token, summary = await gate.run(job)
    except Busy:
        return _unavailable(request, "The server is screening as many files as it can; retry in a minute.")
    except NoRoom:
        return _unavailable(request, "The server has no room to keep another result now; retry later.")
    except Refused as no:
        return problem(request, 413, no.detail, "file", no.value, no.code)
    base = f"/v1/screen/{token}"
    doc: dict[str, Any] = {
        "rows_read": summary.read,
        "answered": summary.answered,
        "rejected": summary.rejected,
        "verdicts": verdict_counts(summary.verdicts),
        **({"leading_zeros_restored": summary.restored} if restore else {}),
        "side": asked.value,
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
    folder = results_of(request).folder(token)
    if folder is None:
        raise HTTPProblem(404, "token: unknown or expired screen", "token", token)
    return folder


def _unavailable(request: Request, detail: str) -> JSONResponse:
    answer = problem(request, 503, detail)
    answer.headers["Retry-After"] = RETRY_AFTER
    return answer


def limits_of(request: Request) -> Limits:
    found = getattr(request.app.state, "limits", None)
    if found is None:
        found = request.app.state.limits = Limits.from_env()
    return found


def results_of(request: Request) -> Results:
    found = getattr(request.app.state, "results", None)
    if found is None:
        found = request.app.state.results = Results(request.app.state.work_dir, limits_of(request))
    return found


def gate_of(request: Request) -> Gate:
    found = getattr(request.app.state, "screen_gate", None)
    if found is None:
        found = request.app.state.screen_gate = Gate(limits_of(request))
    return found


class Busy(Exception):
    """Every screening thread is busy and as many screens already wait."""


class Gate:
    """A bounded pool for screens: ``screen_workers`` threads and as many waiting."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.pool = ThreadPoolExecutor(limits.screen_workers, thread_name_prefix="screen")
        # screens share the interpreter with the event loop: a thread holding the GIL gives it
        # up within this many seconds when the loop asks (Python's default, 5 ms, is felt by
        # every request several times over)
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)
        self._lock = threading.Lock()
        self.pending = 0

    async def run(self, job: Job) -> tuple[str, Summary]:
        with self._lock:
            if self.pending >= 2 * self.limits.screen_workers:
                raise Busy
            self.pending += 1
        try:
            future: Future[tuple[str, Summary]] = self.pool.submit(job)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)  # counted until the thread is done, even if cancelled
        return await asyncio.wrap_future(future)

    def _done(self, _: object) -> None:
        with self._lock:
            self.pending -= 1


@dataclass(frozen=True)
class Job:
    """One screen, run on a screening thread: stage, copy the upload, screen, publish."""

    results: Results
    catalog: Catalog
    upload: IO[bytes]
    name: str
    suffix: str
    format: str
    mapping: dict[str, str]
    known: date
    restore: bool
    side: Side = Side.both

    def __call__(self) -> tuple[str, Summary]:
        folder = self.results.stage()
        try:
            source = folder / f"input{self.suffix}"
            self.upload.seek(0)
            with source.open("wb") as out:
                shutil.copyfileobj(self.upload, out, 1 << 20)
            target, rejects = folder / f"screened.{self.format}", folder / "rejects.csv"
            try:
                summary = screen_bounded(
                    self.catalog,
                    source,
                    target,
                    rejects,
                    self.mapping,
                    self.known,
                    self.results.limits,
                    self.restore,
                    side=self.side,
                )
            except InputError as err:
                raise scrubbed(err, source, self.name) from None
            source.unlink()
            return self.results.publish(folder), summary
        except BaseException:
            self.results.discard(folder)
            raise


def scrubbed(err: InputError, source: Path, name: str) -> InputError:
    """The error (changed in place) as the user may read it: their file's name, not the
    server's folders or the result's token."""
    folder = source.parent  # state/staging/<token>
    secrets = [(str(source), name), (str(folder.resolve()), ""), (str(folder), ""), (folder.name, "")]

    def clean(text: str) -> str:
        for secret, shown in secrets:
            text = text.replace(secret, shown)
        return text

    err.field = "file" if err.field in ("source", "output") else err.field
    err.value = clean(err.value) if isinstance(err.value, str) else err.value
    err.reason = clean(err.reason)
    err.args = (f"{err.field}: {err.value!r} {err.reason}",)
    return err
