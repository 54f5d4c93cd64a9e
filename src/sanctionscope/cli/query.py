"""Questions over the data: check, who, spared, timeline, acts, act, diff, coverage."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import ModuleType

import typer

from sanctionscope.cli.common import (
    DataOpt,
    GraceOpt,
    JsonOpt,
    KnownOpt,
    RestoreOpt,
    SideOpt,
    app,
    catalog_for,
    emit,
    index_for,
    out,
    run,
    shipment_catalog_for,
)
from sanctionscope.errors import InputError
from sanctionscope.inputs import grace_days, measure_type, need_day, parse_day


@app.command(rich_help_panel="Questions")
def check(
    origin: str = typer.Option(..., "--origin", help="Country of origin: ISO2, ISO3 or name."),
    destination: str = typer.Option(..., "--destination", help="Country of destination."),
    hs: str = typer.Option(..., "--hs", help="HS / TN VED code, 2-10 digits; spaces and dots allowed."),
    on: str = typer.Option(..., "--date", help="Day of the shipment (YYYY-MM-DD)."),
    attest: list[str] = typer.Option([], "--attest", help="Exception id the goods meet (repeatable)."),
    as_known_on: str | None = KnownOpt,
    restore_leading_zeros: bool = RestoreOpt,
    grace: int = GraceOpt,
    side: str = SideOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """May this shipment cross? BANNED, LICENCE_REQUIRED, UNDETERMINED, NOT_COVERED or ALLOWED,
    with the legal chain and the coverage the answer relies on."""

    def body() -> None:
        from sanctionscope.engine import serialise
        from sanctionscope.engine.coverage import side_of
        from sanctionscope.snapshot_parts import Shipment

        day, known_on = need_day(on, "date"), parse_day(as_known_on, "as_known_on")
        shipment = Shipment(origin, destination, hs, restore_leading_zeros, tuple(attest))
        catalog = shipment_catalog_for(data, shipment, known_on or date.today())
        asked = side_of(side)
        q = catalog.question(
            origin,
            destination,
            hs,
            day,
            known_on,
            tuple(attest),
            restore_leading_zeros,
            grace_days(grace),
        )
        q.side = asked
        answer = catalog.check(q)
        doc = serialise.answer(catalog.index(q.as_known_on), answer)
        emit(doc) if as_json else _render().answer(out, doc)

    run(body)


@app.command(rich_help_panel="Questions")
def who(
    on: str = typer.Option(..., "--on", help="Day (YYYY-MM-DD)."),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """Who imposes measures on whom on a day."""

    def body() -> None:
        from sanctionscope.engine import documents

        catalog, day = catalog_for(data), need_day(on, "on")
        index = index_for(catalog, as_known_on)
        doc = documents.who_doc(index, day)
        emit(doc) if as_json else _render().who(out, doc, index.dataset.jurisdictions)

    run(body)


@app.command(rich_help_panel="Questions")
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
        from sanctionscope.engine import documents

        catalog, day = catalog_for(data), need_day(on, "on")
        x = catalog.resolve(country, "country")
        wanted = {measure_type(t) for t in types} or None
        index = index_for(catalog, as_known_on)
        doc = documents.spared_doc(index, x, day, wanted)
        emit(doc) if as_json else _render().spared(out, doc, index.dataset.jurisdictions)

    run(body)


@app.command(rich_help_panel="Questions")
def timeline(
    a: str = typer.Argument(..., help="First jurisdiction."),
    b: str = typer.Argument(..., help="Second jurisdiction."),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """Every act between two jurisdictions, in date order."""

    def body() -> None:
        from sanctionscope.engine import documents

        catalog = catalog_for(data)
        x, y = catalog.resolve(a, "a"), catalog.resolve(b, "b")
        index = index_for(catalog, as_known_on)
        doc = documents.timeline_doc(index, x, y)
        emit(doc) if as_json else _render().timeline(out, doc)

    run(body)


@app.command(rich_help_panel="Questions")
def acts(
    issuer: str | None = typer.Option(None, "--issuer", help="Only acts of this jurisdiction."),
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """List the acts with their sources."""

    def body() -> None:
        from sanctionscope.engine import documents

        catalog = catalog_for(data)
        wanted = catalog.resolve(issuer, "issuer") if issuer else None
        doc = documents.acts_doc(catalog.index(date.max), wanted)
        emit(doc) if as_json else _render().acts(out, doc)

    run(body)


@app.command(rich_help_panel="Questions")
def act(
    act_id: str = typer.Argument(..., help="Act id, e.g. RU-GOV-778-2014."),
    on: str | None = typer.Option(
        None,
        "--on",
        help="Also show each list the act creates or changes as in force on this day (YYYY-MM-DD).",
    ),
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """Show one act: citation, sources, its lines, exceptions and targets with their periods,
    every change it makes in words, and the acts it builds on or that amend, prolong or
    answer it; with --on, the list as in force that day."""

    def body() -> None:
        from sanctionscope.engine import act_view

        catalog = catalog_for(data)
        day = parse_day(on, "on") if on is not None else None
        if on is not None and day is None:
            raise InputError("on", on, "is empty; write YYYY-MM-DD")
        doc = act_view.act_page_doc(catalog.index(date.max), act_id.strip().upper(), day)
        if doc is None:
            raise InputError("act", act_id, "is not an act id (see `sanctionscope acts`)")
        emit(doc) if as_json else _render().act(out, doc)

    run(body)


@app.command(rich_help_panel="Questions")
def diff(
    before: str = typer.Argument(..., help="First day (YYYY-MM-DD)."),
    after: str = typer.Argument(..., help="Second day (YYYY-MM-DD)."),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """What changed in force between two days (countries, lines, exceptions)."""

    def body() -> None:
        from sanctionscope.engine import documents

        catalog = catalog_for(data)
        d1, d2 = need_day(before, "before"), need_day(after, "after")
        if d2 < d1:
            raise InputError("after", after, f"is before {before}; give the earlier day first")
        index = index_for(catalog, as_known_on)
        doc = documents.diff_doc(index, d1, d2)
        emit(doc) if as_json else _render().diff(out, doc)

    run(body)


@app.command(rich_help_panel="Questions")
def coverage(
    imposer: str | None = typer.Option(None, "--imposer", help="Only this imposer (e.g. EU, RU)."),
    direction: str | None = typer.Option(None, "--direction", help="Only import or export."),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """What the data set vouches for: the coverage declarations, imposer x direction x period."""

    def body() -> None:
        from sanctionscope.engine import documents

        catalog = catalog_for(data)
        who = catalog.resolve(imposer, "imposer") if imposer else None
        way = documents.direction_of(direction) if direction else None
        doc = documents.coverage_doc(index_for(catalog, as_known_on), who, way)
        emit(doc) if as_json else _render().coverage(out, doc)

    run(body)


@app.command(rich_help_panel="Questions")
def regimes(
    imposer: str | None = typer.Option(None, "--imposer", help="Only this imposer (e.g. EU, US, UN)."),
    target: str | None = typer.Option(None, "--target", help="Only regimes targeting this jurisdiction."),
    on: str | None = typer.Option(None, "--on", help="Only regimes in force on this day (YYYY-MM-DD)."),
    counts: bool = typer.Option(False, "--counts", help="Counts by imposer instead of the list."),
    markdown: bool = typer.Option(
        False, "--markdown", help="With --counts: the Markdown table of docs/regimes.md."
    ),
    as_known_on: str | None = KnownOpt,
    as_json: bool = JsonOpt,
    data: Path | None = DataOpt,
) -> None:
    """Sanctions regimes: regime acts and their regime-level records (imposer, targets, types,
    period, whether they restrict goods, persons-only, the measures holding their lists)."""

    def body() -> None:
        from sanctionscope.engine import regimes as regime_docs

        catalog = catalog_for(data)
        if counts:
            index = catalog.index(date.max)  # every act: the table does not depend on today
            if markdown:
                out.print(regime_docs.counts_markdown(index), end="", markup=False, highlight=False)
            else:
                emit({"counts": regime_docs.counts(index), "dataset_version": index.version})
            return
        if markdown:
            raise InputError("markdown", True, "is only for --counts")
        doc = regime_docs.regimes_doc(
            index_for(catalog, as_known_on),
            catalog.resolve(imposer, "imposer") if imposer else None,
            catalog.resolve(target, "target") if target else None,
            parse_day(on, "on"),
        )
        if as_json:
            emit(doc)
            return
        for row in doc["regimes"]:
            period = f"{row['period']['start']} to {row['period']['end'] or 'open'}"
            held = f" (lists in {', '.join(row['lists_in'])})" if row["lists_in"] else ""
            goods = (
                "persons only"
                if row["persons_only"]
                else "restricts goods" + held
                if row["restricts_goods"]
                else "no goods"
            )
            out.print(
                f"{row['act']}  {row['regime'] or row['title']}: {', '.join(row['imposers'])} -> "
                f"{', '.join(row['targets'])}; {', '.join(row['types'])}; {period}; {goods}",
                markup=False,
                highlight=False,
            )
        out.print(f"{len(doc['regimes'])} regime acts; dataset {doc['dataset_version']}", highlight=False)

    run(body)


def _render() -> ModuleType:
    """Rich output, imported only when a command prints for a terminal (not with --json)."""
    from sanctionscope import render

    return render
