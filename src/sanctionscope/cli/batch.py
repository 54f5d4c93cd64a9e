"""Batch commands of the CLI: `screen` (shipment files) and `db build` (DuckDB store)."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import typer

from sanctionscope.cli.common import (
    DataOpt,
    GraceOpt,
    KnownOpt,
    RestoreOpt,
    SideOpt,
    app,
    catalog_for,
    err,
    out,
    run,
)
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS
from sanctionscope.errors import InputError
from sanctionscope.inputs import grace_days, parse_day


@app.command(rich_help_panel="Batch and serving")
def screen(
    source: str = typer.Argument(
        ..., help="Shipments, .csv or .parquet (with --engine spark: also folders, s3a:// paths)."
    ),
    output: str = typer.Option(
        ..., "-o", "--output", help="Screened .csv or .parquet (input columns + verdict columns)."
    ),
    rejects: str | None = typer.Option(
        None, "--rejects", help="Rejected rows (line, column, value, reason); default OUTPUT.rejects.csv."
    ),
    columns: str | None = typer.Option(
        None, "--columns", help="Map columns: origin=ctry,hs_code=tnved,date=decl_date"
    ),
    chunk_rows: int = typer.Option(1 << 17, "--chunk-rows", min=1, help="Rows per chunk (bounds memory)."),
    engine: str = typer.Option("embedded", "--engine", help="embedded (this process) or spark."),
    master: str = typer.Option("local[*]", "--master", help="Spark master URL (with --engine spark)."),
    as_known_on: str | None = KnownOpt,
    restore_leading_zeros: bool = RestoreOpt,
    grace: int = GraceOpt,
    side: str = SideOpt,
    data: Path | None = DataOpt,
) -> None:
    """Screen a shipment file; every row is answered or rejected with its line number.

    Codes of 3, 5 or 7 digits are rejected (leading_zero_lost) unless
    --restore-leading-zeros: then they are answered and the column hs_code_restored
    gives the code read.
    """
    if engine == "embedded":
        _skip_pandas_probe()
    from sanctionscope.engine.coverage import Side, side_of
    from sanctionscope.screen import parse_mapping, screen_file

    def body() -> None:
        known = parse_day(as_known_on, "as_known_on") or date.today()
        mapping = parse_mapping(columns)
        asked = side_of(side)
        if asked != Side.both and engine == "spark":
            raise InputError("side", side, "can only be both with --engine spark")
        if grace_days(grace) != DEFAULT_GRACE_DAYS and engine == "spark":
            raise InputError("grace_days", grace, f"can only be {DEFAULT_GRACE_DAYS} with --engine spark")
        if engine == "spark":
            _screen_on_spark(source, output, rejects, mapping, known, master, data, restore_leading_zeros)
            return
        if engine != "embedded":
            raise InputError("engine", engine, "is not embedded or spark")
        reject_path = Path(rejects) if rejects else None
        with _stops_cleanly(), _progress(Path(source)) as progress:
            summary = screen_file(
                lambda: catalog_for(data),
                Path(source),
                Path(output),
                reject_path,
                mapping,
                known,
                progress,
                chunk_rows,
                restore_leading_zeros=restore_leading_zeros,
                grace_days=grace,
                side=asked,
            )
        found = (summary.read, summary.answered, summary.rejected, summary.verdicts, summary.rejects_path)
        _report(*found, catalog_for(data).version)
        if asked != Side.both:  # the default needs no word; one side only is said
            err.print(f"sides assessed: {asked.value} only", markup=False, highlight=False)
        if restore_leading_zeros:
            err.print(
                f"leading zeros restored in {summary.restored:,} answered rows (column hs_code_restored)",
                markup=False,
                highlight=False,
            )

    run(body)


def _screen_on_spark(
    source: str,
    output: str,
    rejects: str | None,
    mapping: dict[str, str],
    known: date,
    master: str,
    data: Path | None,
    restore_leading_zeros: bool = False,
) -> None:
    try:
        from sanctionscope.spark import screen_path
    except ImportError:
        raise InputError(
            "engine", "spark", "needs the spark extra: pip install 'sanctionscope[spark]'"
        ) from None
    found = screen_path(source, output, rejects, mapping, known, master, data, restore_leading_zeros)
    _report(found["read"], found["answered"], found["rejected"], found["verdicts"], found["rejects_path"], "")


def _report(
    read: int, answered: int, rejected: int, verdicts: dict[str, int], rejects: object, version: str
) -> None:
    from sanctionscope.engine.documents import verdict_counts

    counts = ", ".join(f"{k} {v:,}" for k, v in verdict_counts(verdicts).items() if v)
    err.print(
        f"rows read {read:,} = answered {answered:,} + rejected {rejected:,}"
        f" ({counts or 'no rows answered'}); rejects in {rejects}"
        + (f"; dataset {version}" if version else ""),
        markup=False,
        highlight=False,
    )


class _Stopped(SystemExit):
    """A screen stopped by a signal: unwinds as Ctrl-C does, so no temporary file stays."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.name = signal.Signals(signum).name


class _NoPandas:
    """A meta path finder (duck-typed: importing importlib.abc costs every command ~10 ms)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def _skip_pandas_probe() -> None:
    """pyarrow looks for pandas on its first conversion and imports it when installed
    (0.2 s of every screen's start); the embedded screen hands pyarrow no pandas objects,
    so the look is made once with pandas hidden. A later explicit use of pandas through
    pyarrow imports it as usual."""
    if "pandas" in sys.modules or "pyarrow" in sys.modules:
        return
    hide = _NoPandas()
    sys.meta_path.insert(0, hide)
    try:
        import pyarrow as pa

        pa.array([0])
    finally:
        sys.meta_path.remove(hide)


@contextmanager
def _stops_cleanly() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the screen through its cleanup (temporary files removed,
    nothing published) with one line on stderr and the shell's status 128 + signal."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    signals = (signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, stop) for s in signals}
    try:
        yield
    except _Stopped as stopped:
        err.print(
            f"error: screen stopped by {stopped.name}; no output written", markup=False, highlight=False
        )
        raise
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def _progress(source: Path) -> Iterator[Callable[[int, int, int], None] | None]:
    """A Rich progress bar (rows/s, ETA) on a terminal; nothing when piped."""
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("[bold]screening[/] {task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]:>12,} rows  {task.fields[rate]:>10,.0f} rows/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(source.name, total=None, rows=0, rate=0.0)
        started = time.perf_counter()

        def update(rows: int, done: int, total: int) -> None:
            rate = rows / max(time.perf_counter() - started, 1e-9)
            bar.update(task, completed=done, total=total, rows=rows, rate=rate)

        yield update


db_app = typer.Typer(help="The embedded DuckDB store.", no_args_is_help=True)
app.add_typer(db_app, name="db", rich_help_panel="Batch and serving")


@db_app.command("build")
def db_build(
    path: Path = typer.Argument(Path("sanctions.duckdb"), help="DuckDB file to write."),
    as_known_on: str | None = KnownOpt,
    data: Path | None = DataOpt,
) -> None:
    """Write acts, measures, targets, lines, exceptions and memberships as DuckDB tables."""
    from sanctionscope.store import build

    def body() -> None:
        catalog = catalog_for(data)
        counts = build(catalog, path, parse_day(as_known_on, "as_known_on") or date.today())
        rows = ", ".join(f"{k} {v}" for k, v in counts.items())
        out.print(f"wrote {path}: {rows}; dataset {catalog.version}", highlight=False)

    run(body)
