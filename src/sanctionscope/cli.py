"""Command line: a thin layer over the engine (typer + rich).

Exit status: 0 answered, 1 invalid data files, 2 bad input (one line naming the field).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from sanctionscope import render
from sanctionscope.engine import documents, serialise
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS
from sanctionscope.errors import DataError, InputError
from sanctionscope.inputs import grace_days, measure_type, need_day, parse_day
from sanctionscope.load import cached_dataset, default_data_dir, load_dataset

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="International sanctions and countermeasures as computable, cited law.",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")

DataOpt = typer.Option(None, "--data", help="Data directory (default: the embedded data).")
KnownOpt = typer.Option(None, "--as-known-on", help="Answer from the acts published by this day.")
JsonOpt = typer.Option(False, "--json", help="Print one JSON object.")
RestoreOpt = typer.Option(
    False,
    "--restore-leading-zeros",
    help="Read codes of 3, 5 or 7 digits with the leading zero a spreadsheet dropped (80810 as 080810);"
    " answers say so (screen: column hs_code_restored). Without it such codes are refused,"
    " naming the likely code.",
)
GraceOpt = typer.Option(
    DEFAULT_GRACE_DAYS,
    "--grace-days",
    help="Days a coverage declaration keeps vouching after its last review (0 or more); after that,"
    " a shipment that needs it is NOT_COVERED.",
)


def _catalog(data: Path | None) -> Catalog:
    return Catalog(cached_dataset(str(Path(data or default_data_dir()).resolve())))


def _index(catalog: Catalog, as_known_on: str | None) -> Index:
    """The compiled index for --as-known-on (default: today, as design.md fixes)."""
    return catalog.index(parse_day(as_known_on, "as_known_on") or date.today())


def _run(body: Callable[[], T]) -> T:
    """Translate domain errors into one-line messages and exit codes, never tracebacks."""
    try:
        return body()
    except InputError as e:
        err.print(f"error: {e.field}: {e.value!r} {e.reason}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    except DataError as e:
        for problem in e.problems:
            err.print(str(problem), markup=False, highlight=False)
        err.print(f"{len(e.problems)} problem(s) in the data files", markup=False)
        raise typer.Exit(1) from None


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


@app.command()
def check(
    origin: str = typer.Option(..., "--origin", help="Country of origin: ISO2, ISO3 or name."),
    destination: str = typer.Option(..., "--destination", help="Country of destination."),
    hs: str = typer.Option(..., "--hs", help="HS / TN VED code, 2-10 digits; spaces and dots allowed."),
    on: str = typer.Option(..., "--date", help="Day of the shipment (YYYY-MM-DD)."),
    attest: list[str] = typer.Option([], "--attest", help="Exception id the goods meet (repeatable)."),
    as_known_on: str | None = KnownOpt,
    restore_leading_zeros: bool = RestoreOpt,
    grace: int = GraceOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """May this shipment cross? BANNED, LICENCE_REQUIRED, UNDETERMINED, NOT_COVERED or ALLOWED,
    with the legal chain and the coverage the answer relies on."""

    def body() -> None:
        catalog = _catalog(data)
        q = catalog.question(
            origin,
            destination,
            hs,
            need_day(on, "date"),
            parse_day(as_known_on, "as_known_on"),
            tuple(attest),
            restore_leading_zeros,
            grace_days(grace),
        )
        answer = catalog.check(q)
        doc = serialise.answer(catalog.index(q.as_known_on), answer)
        _emit(doc) if as_json else render.answer(out, doc)

    _run(body)


@app.command()
def who(
    on: str = typer.Option(..., "--on", help="Day (YYYY-MM-DD)."),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """Who imposes measures on whom on a day."""

    def body() -> None:
        catalog, day = _catalog(data), need_day(on, "on")
        index = _index(catalog, as_known_on)
        doc = documents.who_doc(index, day)
        _emit(doc) if as_json else render.who(out, doc, index.dataset.jurisdictions)

    _run(body)


@app.command()
def spared(
    country: str = typer.Argument(..., help="The sanctioned country (e.g. RU)."),
    on: str = typer.Option(..., "--on", help="Day (YYYY-MM-DD)."),
    types: list[str] = typer.Option(
        [], "--type", help="Only countermeasures of this type (repeatable), e.g. import_ban."
    ),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """Who sanctions COUNTRY on a day but is not hit by its countermeasures."""

    def body() -> None:
        catalog, day = _catalog(data), need_day(on, "on")
        x = catalog.resolve(country, "country")
        wanted = {measure_type(t) for t in types} or None
        index = _index(catalog, as_known_on)
        doc = documents.spared_doc(index, x, day, wanted)
        _emit(doc) if as_json else render.spared(out, doc, index.dataset.jurisdictions)

    _run(body)


@app.command()
def timeline(
    a: str = typer.Argument(..., help="First jurisdiction."),
    b: str = typer.Argument(..., help="Second jurisdiction."),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """Every act between two jurisdictions, in date order."""

    def body() -> None:
        catalog = _catalog(data)
        x, y = catalog.resolve(a, "a"), catalog.resolve(b, "b")
        index = _index(catalog, as_known_on)
        doc = documents.timeline_doc(index, x, y)
        _emit(doc) if as_json else render.timeline(out, doc)

    _run(body)


@app.command()
def acts(
    issuer: str | None = typer.Option(None, "--issuer", help="Only acts of this jurisdiction."),
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """List the acts with their sources."""

    def body() -> None:
        catalog = _catalog(data)
        wanted = catalog.resolve(issuer, "issuer") if issuer else None
        doc = documents.acts_doc(catalog.index(date.max), wanted)
        _emit(doc) if as_json else render.acts(out, doc)

    _run(body)


@app.command()
def act(
    act_id: str = typer.Argument(..., help="Act id, e.g. RU-GOV-778-2014."),
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """Show one act: citation, sources, measures and changes."""

    def body() -> None:
        catalog = _catalog(data)
        doc = documents.act_doc(catalog.index(date.max), act_id.strip().upper())
        if doc is None:
            raise InputError("act", act_id, "is not an act id (see `sanctionscope acts`)")
        _emit(doc) if as_json else render.act(out, doc)

    _run(body)


@app.command()
def diff(
    before: str = typer.Argument(..., help="First day (YYYY-MM-DD)."),
    after: str = typer.Argument(..., help="Second day (YYYY-MM-DD)."),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """What changed in force between two days (countries, lines, exceptions)."""

    def body() -> None:
        catalog = _catalog(data)
        d1, d2 = need_day(before, "before"), need_day(after, "after")
        if d2 < d1:
            raise InputError("after", after, f"is before {before}; give the earlier day first")
        index = _index(catalog, as_known_on)
        doc = documents.diff_doc(index, d1, d2)
        _emit(doc) if as_json else render.diff(out, doc)

    _run(body)


@app.command()
def coverage(
    imposer: str | None = typer.Option(None, "--imposer", help="Only this imposer (e.g. EU, RU)."),
    direction: str | None = typer.Option(None, "--direction", help="Only import or export."),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """What the data set vouches for: the coverage declarations, imposer x direction x period."""

    def body() -> None:
        catalog = _catalog(data)
        who = catalog.resolve(imposer, "imposer") if imposer else None
        way = documents.direction_of(direction) if direction else None
        doc = documents.coverage_doc(_index(catalog, as_known_on), who, way)
        _emit(doc) if as_json else render.coverage(out, doc)

    _run(body)


@app.command()
def validate(path: Path = typer.Argument(Path("data"), help="Data directory to check.")) -> None:
    """Check every data file; print file:line for each problem, exit 1 if any."""

    def body() -> None:
        if not path.is_dir():
            raise InputError("path", str(path), "is not a directory")
        dataset = load_dataset(path)
        measures = sum(1 for _ in dataset.measures())
        out.print(f"ok: {len(dataset.acts)} acts, {measures} measures, dataset {dataset.version}")

    _run(body)


@app.command()
def demo(data: Path | None = DataOpt) -> None:
    """A short guided tour of the questions sanctionscope answers."""
    from sanctionscope.demo import run_demo

    _run(lambda: run_demo(_catalog(data), out))


# The batch commands (screen, db) live in their own module and register on `app`.
from sanctionscope import cli_batch, cli_research  # noqa: E402, F401


def main() -> None:
    app()


if __name__ == "__main__":
    main()
