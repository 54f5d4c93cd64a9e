"""Data commands: validate and compile the data files, and the guided demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from sanctionscope.cli.common import DataOpt, KnownOpt, app, catalog_for, out, run
from sanctionscope.errors import InputError
from sanctionscope.inputs import parse_day


@app.command(rich_help_panel="Data")
def validate(path: Path = typer.Argument(Path("data"), help="Data directory to check.")) -> None:
    """Check every data file; print file:line for each problem, exit 1 if any."""

    def body() -> None:
        if not path.is_dir():
            raise InputError("path", str(path), "is not a directory")
        from sanctionscope import snapshot

        dataset = snapshot.build(path.resolve()).dataset  # the next command starts from it
        measures = sum(1 for _ in dataset.measures())
        out.print(f"ok: {len(dataset.acts)} acts, {measures} measures, dataset {dataset.version}")

    run(body)


@app.command("compile", rich_help_panel="Data")
def compile_data(
    path: Path = typer.Argument(Path("data"), help="Data directory to compile."),
    as_known_on: str | None = KnownOpt,
) -> None:
    """Validate the data and compile it with the batch kernel of today (or of the
    as-known-on day screens will ask), every pair of places built: the screens that
    follow start at full speed."""

    def body() -> None:
        if not path.is_dir():
            raise InputError("path", str(path), "is not a directory")
        import time

        from sanctionscope import snapshot

        day = parse_day(as_known_on, "as_known_on") or date.today()
        started = time.perf_counter()
        catalog = snapshot.build(path.resolve(), kernel_on=day)
        seconds = time.perf_counter() - started
        out.print(f"ok: {len(catalog.dataset.acts)} acts compiled with the batch kernel in {seconds:.0f} s")

    run(body)


@app.command(rich_help_panel="Data")
def demo(data: Path | None = DataOpt) -> None:
    """A short guided tour of the questions sanctionscope answers."""
    from sanctionscope.demo import run_demo

    run(lambda: run_demo(catalog_for(data), out))
