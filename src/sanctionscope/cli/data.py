"""Data commands: validate the data files, and the guided demo."""

from __future__ import annotations

from pathlib import Path

import typer

from sanctionscope.cli.common import DataOpt, app, catalog_for, out, run
from sanctionscope.errors import InputError


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


@app.command(rich_help_panel="Data")
def demo(data: Path | None = DataOpt) -> None:
    """A short guided tour of the questions sanctionscope answers."""
    from sanctionscope.demo import run_demo

    run(lambda: run_demo(catalog_for(data), out))
