"""Trade impact of an act: the imports its lists covered, and who lost or gained share.

``impact`` reads a trade table (CEPII BACI, UN Comtrade, or the shipped hand-compiled
figures), finds the HS6 codes the act's lines covered on its in-force day (mapping HS
editions through the UN concordance), and writes tables, a summary and charts into a
directory. See ``docs/impact.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.state import MeasureState
from sanctionscope.errors import InputError
from sanctionscope.impact.analysis import by_origin, origin_status, shares, targeted_set, trade_cover
from sanctionscope.impact.concordance import load_concordance
from sanctionscope.impact.figures import Story, compare, load_figures, stories
from sanctionscope.impact.model import COVERED, PARTLY, ImpactReport
from sanctionscope.impact.output import atomic_dir
from sanctionscope.impact.report import write_figures, write_trade
from sanctionscope.impact.tables import detect_layout, read_header, read_table
from sanctionscope.load import default_data_dir
from sanctionscope.model.acts import CODED_TYPES
from sanctionscope.model.dataset import EDITION_OF

__all__ = ["ImpactReport", "Story", "compare", "impact", "load_figures", "stories"]

SOURCES = {"baci": "CEPII BACI", "comtrade": "UN Comtrade"}


def impact(
    catalog: Catalog,
    act_id: str,
    trade: Path,
    base_year: int,
    output: Path,
    compare_year: int | None = None,
    importer: str | None = None,
    layout: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    edition: str | None = None,
) -> ImpactReport:
    """Covered imports by origin and market shares before/after, written to ``output``.

    ``layout``: 'baci' | 'comtrade' | 'figures' (default: from the header). ``edition``:
    the table's HS edition (default: BACI file name, Comtrade classification column,
    else HS2012, said in the summary). ``importer`` defaults to the measure's imposer.
    """
    trade = Path(trade)
    if not trade.is_file():
        raise InputError("trade", str(trade), "is not a file")
    found = layout or detect_layout(read_header(trade))
    if found not in {"baci", "comtrade", "figures"}:
        raise InputError("layout", found, "must be 'baci', 'comtrade' or 'figures'")
    index = catalog.index(max(a.published for a in catalog.dataset.acts.values()))
    act = index.acts.get(act_id)
    if act is None:
        raise InputError("act", act_id, "is not an act of the data set")
    measures = _measures(
        index.measures, act_id, [m.id for m in act.measures], [c.measure for c in act.changes]
    )
    day = max(act.in_force, min(m.start for m in measures))
    who = catalog.resolve(importer, "importer") if importer else measures[0].spec.imposer
    later = compare_year if compare_year is not None else base_year + 2
    act_edition = EDITION_OF.get(act.nomenclature or "", "HS2012")
    report = ImpactReport(
        act_id,
        [m.id for m in measures],
        day,
        who,
        base_year,
        later,
        found,
        "",
        "",
        act_edition,
        catalog.version,
        Path(output),
    )
    if act.nomenclature is None:
        report.notes.append("the act does not say its nomenclature; assumed HS2012-based")
    if found == "figures":
        return _figures(report, trade, Path(output))
    return _trade(catalog, report, measures, trade, edition, progress)


def _measures(
    all_: dict[str, MeasureState], act_id: str, created: list[str], changed: list[str]
) -> list[MeasureState]:
    ids = created or list(dict.fromkeys(changed))
    found = [
        all_[i]
        for i in ids
        if i in all_ and all_[i].type in CODED_TYPES and all_[i].spec.product_scope == "lines"
    ]
    if not found:
        raise InputError("act", act_id, "creates or changes no trade measure with a product list")
    return found


def _trade(
    catalog: Catalog,
    report: ImpactReport,
    measures: list[MeasureState],
    trade: Path,
    edition: str | None,
    progress: Callable[[int, int], None] | None,
) -> ImpactReport:
    jur = catalog.dataset.jurisdictions
    years = {report.base_year, report.compare_year}
    table = read_table(trade, report.importer, years, report.layout, edition, progress)
    report.trade_edition, report.edition_source = table.edition, table.edition_source
    codes = {f.code for f in table.flows}
    known = set(catalog.dataset.nomenclature.codes.get(table.edition, {}))
    conc = load_concordance(default_data_dir() / "reference")
    maps, report.unmapped = conc.map_codes(codes, table.edition, report.act_edition, known or None)
    report.covers = {c: trade_cover(m, measures, report.in_force) for c, m in maps.items()}
    origins = {f.exporter for f in table.flows}
    status = {o: origin_status(o, measures, jur, report.in_force) for o in origins}
    report.targeted_origins = targeted_set(measures, jur, report.in_force)
    base = [f for f in table.flows if f.year == report.base_year]
    after = [f for f in table.flows if f.year == report.compare_year]
    report.by_origin = by_origin(base, report.covers, status, jur)
    report.shares = shares(base, after, report.covers, status, jur)
    unmapped = {u.code for u in report.unmapped}
    report.totals = {
        "base_imports_usd": sum(f.value_usd for f in base),
        "covered_targeted_usd": sum(o.covered_usd for o in report.by_origin if o.targeted == "yes"),
        "covered_not_targeted_usd": sum(o.covered_usd for o in report.by_origin if o.targeted != "yes"),
        "partly_covered_targeted_usd": sum(o.partly_usd for o in report.by_origin if o.targeted == "yes"),
        "partly_covered_all_usd": sum(o.partly_usd for o in report.by_origin),
        "unmapped_base_usd": sum(f.value_usd for f in base if f.code in unmapped),
    }
    report.notes += _trade_notes(report, table.skipped, table.unresolved, len(table.flows))
    with atomic_dir(report.output) as tmp:
        files = write_trade(report, tmp, f"{SOURCES[report.layout]} ({trade.name}, {table.edition})")
    report.output = report.output.resolve()
    report.files = {k: report.output / p.name for k, p in files.items()}
    return report


def _trade_notes(
    report: ImpactReport, skipped: dict[str, int], unresolved: dict[str, int], flows: int
) -> list[str]:
    notes = [f"HS edition of the table: {report.trade_edition} ({report.edition_source})"]
    if report.trade_edition != report.act_edition:
        notes.append(
            f"codes mapped from {report.trade_edition} to {report.act_edition} with the UN concordance"
        )
    if not flows:
        notes.append(
            f"no flows into {report.importer} in {report.base_year}/{report.compare_year} in the table"
        )
    notes += [f"{n} rows not used: {why}" for why, n in sorted(skipped.items())]
    notes += [
        f"partner code {c!r} not resolved ({n} rows); kept as '?{c}'" for c, n in sorted(unresolved.items())
    ]
    partly = sum(1 for c in report.covers.values() if c.status == PARTLY)
    covered = sum(1 for c in report.covers.values() if c.status == COVERED)
    notes.append(f"{covered} HS6 codes wholly covered, {partly} partly covered (counted apart)")
    if report.unmapped:
        notes.append(f"{len(report.unmapped)} codes could not be mapped; see unmapped_codes.csv")
    return notes


def _figures(report: ImpactReport, trade: Path, output: Path) -> ImpactReport:
    figures = load_figures(trade)
    years = (report.base_year, report.compare_year)
    comparisons = []
    for product in dict.fromkeys(f.product for f in figures):
        partners = list(dict.fromkeys(f.partner for f in figures if f.product == product))
        comparisons.append(compare(figures, product, partners, years))
    report.trade_edition = report.edition_source = "HS2012 (as stated in data/trade/README.md)"
    report.comparisons = [p for c in comparisons for p in c.pairs]
    report.skipped = [s for c in comparisons for s in c.skipped]
    report.notes.append(
        "figures layout: published figures compared like with like only "
        "(same product, unit, basis, period kind)"
    )
    with atomic_dir(output) as tmp:
        files = write_figures(report, tmp, comparisons)
    report.output = output.resolve()
    report.files = {k: report.output / p.name for k, p in files.items()}
    return report
