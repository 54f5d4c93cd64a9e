"""Batch commands of the CLI: `screen` (shipment files) and `db build` (DuckDB store)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from sanctionscope.cli import DataOpt, KnownOpt, _catalog, _run, app, err, out, parse_day
from sanctionscope.errors import InputError


@app.command()
def screen(
    source: Path = typer.Argument(..., help="Shipments CSV: origin, destination, hs_code, date[, attest]."),
    output: Path = typer.Option(
        ..., "-o", "--output", help="Screened CSV (input columns + verdict columns)."
    ),
    rejects: Path | None = typer.Option(
        None, "--rejects", help="CSV of rejected rows: line, column, value, reason."
    ),
    columns: str | None = typer.Option(
        None, "--columns", help="Map columns: origin=ctry,hs_code=tnved,date=d"
    ),
    as_known_on: str | None = KnownOpt,
    data: Path | None = DataOpt,
) -> None:
    """Screen a shipment file; every row is answered or rejected with its line number."""
    from sanctionscope.screen import parse_mapping, screen_csv

    def body() -> None:
        if not source.is_file():
            raise InputError("source", str(source), "is not a file")
        if source.suffix.lower() != ".csv" or output.suffix.lower() != ".csv":
            raise InputError("source", str(source), "must be .csv in and out (Parquet: not yet)")
        catalog = _catalog(data)
        known = parse_day(as_known_on, "as_known_on") or date.today()
        summary = screen_csv(catalog, source, output, rejects, parse_mapping(columns), known)
        counts = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.verdicts.items()))
        err.print(
            f"rows read {summary.read:,} = answered {summary.answered:,} + rejected {summary.rejected:,}"
            f" ({counts}); dataset {catalog.version}",
            markup=False,
            highlight=False,
        )

    _run(body)


db_app = typer.Typer(help="The embedded DuckDB store.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("build")
def db_build(
    path: Path = typer.Argument(Path("sanctions.duckdb"), help="DuckDB file to write."),
    as_known_on: str | None = KnownOpt,
    data: Path | None = DataOpt,
) -> None:
    """Write acts, measures, targets, lines, exceptions and memberships as DuckDB tables."""
    from sanctionscope.store import build

    def body() -> None:
        catalog = _catalog(data)
        counts = build(catalog, path, parse_day(as_known_on, "as_known_on") or date.today())
        rows = ", ".join(f"{k} {v}" for k, v in counts.items())
        out.print(f"wrote {path}: {rows}; dataset {catalog.version}", highlight=False)

    _run(body)
