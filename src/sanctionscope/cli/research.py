"""Researchers' commands: `network` (graph, metrics, picture) and `brief` (HTML/PDF),
`export` (GSDB, FollowTheMoney, Parquet) and `impact` (trade covered, market shares)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import typer

from sanctionscope.cli.common import DataOpt, KnownOpt, app, catalog_for, out, run
from sanctionscope.inputs import need_day, parse_day


@app.command(rich_help_panel="Research")
def network(
    on: str = typer.Option(..., "--on", help="Day (YYYY-MM-DD)."),
    output: Path = typer.Option(..., "-o", "--output", help=".graphml, .json, .png or .svg"),
    as_known_on: str | None = KnownOpt,
    data: Path | None = DataOpt,
) -> None:
    """The sanctions network on a day: imposer -> target, countermeasures, spared partners."""
    from sanctionscope.research import network as net

    def body() -> None:
        catalog = catalog_for(data)
        index = catalog.index(parse_day(as_known_on, "as_known_on") or date.today())
        graph = net.build(index, need_day(on, "on"))
        net.write(graph, output)
        top = sorted(net.metrics(graph), key=lambda m: -(m.imposes_on + m.targeted_by))[:5]
        summary = "; ".join(
            f"{m.jurisdiction}: imposes on {m.imposes_on}, targeted by {m.targeted_by}"
            + (f", spares {', '.join(m.spared_partners)}" if m.spared_partners else "")
            for m in top
        )
        size = f"{graph.number_of_nodes()} jurisdictions, {graph.number_of_edges()} edges"
        out.print(f"wrote {output}: {size}. {summary}", highlight=False)

    run(body)


@app.command(rich_help_panel="Research")
def brief(
    a: str = typer.Argument(..., help="First country (e.g. RU)."),
    b: str = typer.Argument(..., help="Second country (e.g. JP)."),
    on: str = typer.Option(..., "--on", help="Day (YYYY-MM-DD)."),
    output: Path = typer.Option(..., "-o", "--output", help=".html or .pdf"),
    as_known_on: str | None = KnownOpt,
    data: Path | None = DataOpt,
) -> None:
    """A footnoted briefing on a country pair and a day (HTML, or PDF through WeasyPrint)."""
    from sanctionscope.research import brief as briefing

    def body() -> None:
        catalog = catalog_for(data)
        result = briefing.brief(catalog, a, b, need_day(on, "on"), parse_day(as_known_on, "as_known_on"))
        briefing.write(result, output)
        out.print(f"wrote {output}", highlight=False)

    run(body)


@app.command(rich_help_panel="Research")
def export(
    fmt: str = typer.Option(
        ...,
        "--format",
        help="gsdb (CSV, a row per case and pair of states), gsdb-dyadic (CSV, a row per pair of"
        " states and year since 2014), ftm (FollowTheMoney JSON lines) or parquet (a folder).",
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="File (gsdb, gsdb-dyadic, ftm) or folder (parquet)."
    ),
    as_known_on: str | None = KnownOpt,
    data: Path | None = DataOpt,
) -> None:
    """Export the compiled data in the field's formats (GSDB cases or dyad-years, FollowTheMoney, Parquet)."""
    from sanctionscope.exports import export as write_export

    def body() -> None:
        catalog = catalog_for(data)
        counts = write_export(catalog, fmt, output, parse_day(as_known_on, "as_known_on") or date.today())
        rows = ", ".join(f"{k} {v:,}" for k, v in counts.items())
        out.print(f"wrote {output}: {rows}; dataset {catalog.version}", highlight=False)

    run(body)


@app.command(rich_help_panel="Research")
def impact(
    act: str = typer.Option(..., "--act", help="Act id, e.g. RU-GOV-778-2014."),
    trade: Path = typer.Option(
        ..., "--trade", help="Trade table: CEPII BACI, UN Comtrade CSV, or the shipped figures."
    ),
    base_year: int = typer.Option(..., "--base-year", help="Year before the act (e.g. 2013)."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for tables, charts and summary.json."),
    compare_year: int | None = typer.Option(None, "--compare-year", help="Year after (default base + 2)."),
    importer: str | None = typer.Option(None, "--importer", help="Importer (default: the act's imposer)."),
    layout: str | None = typer.Option(
        None, "--layout", help="baci, comtrade or figures (default: detected)."
    ),
    edition: str | None = typer.Option(None, "--edition", help="HS edition of the trade data (e.g. HS2007)."),
    data: Path | None = DataOpt,
) -> None:
    """Imports an act's lines covered, per targeted origin, and supplier shares before and after."""
    from sanctionscope.impact import impact as run_impact

    def body() -> None:
        catalog = catalog_for(data)
        with _progress() as progress:
            report = run_impact(
                catalog,
                act.strip().upper(),
                trade,
                base_year,
                output,
                compare_year,
                importer,
                layout,
                progress,
                edition,
            )
        files = ", ".join(sorted(p.name for p in report.files.values()))
        out.print(f"wrote {output}/: {files}", highlight=False)
        for note in report.notes[:8]:
            out.print(f"  {note}", highlight=False)

    run(body)


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal for long runs; nothing when piped."""
    from rich.progress import Progress

    from sanctionscope.cli.common import err

    if not err.is_terminal:
        yield None
        return
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("impact", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
