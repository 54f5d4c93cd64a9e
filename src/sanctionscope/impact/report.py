"""Write an :class:`ImpactReport` to its directory: CSV tables, summary.json and charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanctionscope.impact.figures import Comparison
from sanctionscope.impact.model import PARTLY, ImpactReport
from sanctionscope.impact.output import (
    EXEMPT_COLOUR,
    SOURCE_NOTE,
    TARGETED_COLOUR,
    UNCLEAR_COLOUR,
    bar_chart,
    colour,
    paired_chart,
    write_csv,
    write_json,
)

TOP = 12


def write_trade(report: ImpactReport, folder: Path, source: str) -> dict[str, Path]:
    files: dict[str, Path] = {}
    files["covered_by_origin"] = write_csv(
        folder / "covered_by_origin.csv",
        [
            "origin",
            "name",
            "targeted",
            "covered_value_usd",
            "partly_covered_value_usd",
            "covered_qty_tonnes",
            "hs6_codes",
        ],
        (
            [o.origin, o.name, o.targeted, o.covered_usd, o.partly_usd, o.covered_t, o.codes]
            for o in report.by_origin
        ),
    )
    files["market_shares"] = write_csv(
        folder / "market_shares.csv",
        [
            "level",
            "product",
            "ban_scope",
            "supplier",
            "supplier_name",
            "targeted",
            f"value_usd_{report.base_year}",
            f"value_usd_{report.compare_year}",
            f"share_{report.base_year}",
            f"share_{report.compare_year}",
            "change_pp",
            "role",
        ],
        (
            [
                r.level,
                r.product,
                r.ban_scope,
                r.supplier,
                r.supplier_name,
                r.targeted,
                r.base_usd,
                r.compare_usd,
                r.base_share,
                r.compare_share,
                r.change_pp,
                r.role,
            ]
            for r in report.shares
        ),
    )
    files["unmapped_codes"] = write_csv(
        folder / "unmapped_codes.csv",
        ["code", "edition", "reason"],
        ([u.code, u.edition, u.reason] for u in report.unmapped),
    )
    files["codes"] = write_csv(
        folder / "codes.csv",
        ["trade_code", "status", f"{report.act_edition}_codes", "lines", "mapping", "reason"],
        (
            [c.code, c.status, " ".join(c.targets), " ".join(c.lines), c.relationship, c.reason]
            for c in sorted(report.covers.values(), key=lambda c: c.code)
            if c.status != "not covered"
        ),
    )
    note = SOURCE_NOTE.format(
        source=source, act=report.act_id, edition=report.act_edition, version=report.dataset_version
    )
    files.update(_origin_chart(report, folder, note))
    files.update(_share_chart(report, folder, note))
    files["summary"] = write_json(folder / "summary.json", summary(report, files))
    return files


def _origin_chart(report: ImpactReport, folder: Path, note: str) -> dict[str, Path]:
    rows = [o for o in report.by_origin if o.covered_usd > 0][:TOP]
    title = (
        f"Imports into {report.importer} in {report.base_year} of goods on {report.act_id}'s list, "
        f"by origin (top {len(rows)})"
    )
    png, svg = bar_chart(
        folder / "covered_by_origin",
        title,
        [o.name for o in rows],
        [o.covered_usd / 1e6 for o in rows],
        [colour(o.targeted) for o in rows],
        f"Imports in {report.base_year}, million USD (HS6 codes wholly covered by the list)",
        note,
        [
            ("targeted on " + report.in_force.isoformat(), TARGETED_COLOUR),
            ("not targeted", EXEMPT_COLOUR),
            ("unclear / unknown", UNCLEAR_COLOUR),
        ],
    )
    return {"covered_by_origin_png": png, "covered_by_origin_svg": svg}


def _share_chart(report: ImpactReport, folder: Path, note: str) -> dict[str, Path]:
    rows = [r for r in report.shares if r.level == "all"]
    rows = sorted(rows, key=lambda r: -max(r.base_share, r.compare_share))[:TOP]
    title = (
        f"Share of {report.importer}'s imports of the listed goods, "
        f"{report.base_year} vs {report.compare_year} (top {len(rows)} suppliers)"
    )
    png, svg = paired_chart(
        folder / "share_change",
        title,
        [f"{r.supplier_name}{' (targeted)' if r.targeted == 'yes' else ''}" for r in rows],
        [100 * r.base_share for r in rows],
        [100 * r.compare_share for r in rows],
        (str(report.base_year), str(report.compare_year)),
        "Share of imports by value, % (HS6 codes wholly covered by the list)",
        note,
        [colour(r.targeted) for r in rows],
    )
    return {"share_change_png": png, "share_change_svg": svg}


def summary(report: ImpactReport, files: dict[str, Path]) -> dict[str, Any]:
    statuses = [c.status for c in report.covers.values()]
    rels = [c.relationship for c in report.covers.values()]
    return {
        "act": report.act_id,
        "measures": report.measures,
        "in_force": report.in_force.isoformat(),
        "importer": report.importer,
        "base_year": report.base_year,
        "compare_year": report.compare_year,
        "layout": report.layout,
        "trade_edition": report.trade_edition,
        "trade_edition_source": report.edition_source,
        "act_edition": report.act_edition,
        "dataset_version": report.dataset_version,
        "targeted_origins": report.targeted_origins,
        "totals": report.totals,
        "counts": {
            "trade_codes": len(report.covers) + len(report.unmapped),
            "covered_codes": statuses.count("covered"),
            "partly_covered_codes": statuses.count(PARTLY),
            "unmapped_codes": len(report.unmapped),
            "mappings": {r: rels.count(r) for r in sorted(set(rels))},
        },
        "partly_covered_codes": report.partly_codes,
        "unmapped_codes": [u.code for u in report.unmapped],
        "notes": report.notes,
        "files": {k: p.name for k, p in files.items()},
    }


def write_figures(report: ImpactReport, folder: Path, comparisons: list[Comparison]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    pairs = [p for c in comparisons for p in c.pairs]
    files["comparisons"] = write_csv(
        folder / "comparisons.csv",
        [
            "product",
            "partner",
            "unit",
            "before_year",
            "before_period",
            "before",
            "after_year",
            "after_period",
            "after",
            "change_pct",
            "basis",
            "period_kind",
            "rows",
            "notes",
            "source_urls",
        ],
        (
            [
                p.product,
                p.partner,
                p.unit,
                p.before.year,
                p.before.period,
                p.before_amount,
                p.after.year,
                p.after.period,
                p.after_amount,
                p.change_pct,
                p.before.basis_kind,
                p.before.period_kind,
                f"{p.before.row} {p.after.row}",
                "; ".join(p.notes),
                f"{p.before.source_url} {p.after.source_url}",
            ]
            for p in pairs
        ),
    )
    files["skipped_comparisons"] = write_csv(
        folder / "skipped_comparisons.csv",
        ["product", "partner", "years", "reason", "rows"],
        (
            [s.product, s.partner, f"{s.years[0]}-{s.years[1]}", s.reason, " ".join(map(str, s.rows))]
            for c in comparisons
            for s in c.skipped
        ),
    )
    shown = sorted((p for p in pairs if p.change_pct is not None), key=lambda p: -abs(p.change_pct or 0))[
        :TOP
    ]
    if shown:
        years = f"{report.base_year} vs {report.compare_year}"
        title = f"Like-for-like changes in {report.importer}'s imports, {years}"
        png, svg = bar_chart(
            folder / "comparisons",
            title,
            [f"{p.partner} {p.product} ({p.unit})" for p in shown],
            [p.change_pct or 0.0 for p in shown],
            ["#333333" for _ in shown],
            "Change, % (same product, unit, basis and period kind)",
            f"Source: data/trade/ru_imports_by_partner.csv (published figures; see source_urls). "
            f"Dataset {report.dataset_version}.",
            [],
        )
        files["comparisons_png"], files["comparisons_svg"] = png, svg
    files["summary"] = write_json(
        folder / "summary.json",
        {
            "layout": "figures",
            "base_year": report.base_year,
            "compare_year": report.compare_year,
            "importer": report.importer,
            "act": report.act_id,
            "dataset_version": report.dataset_version,
            "comparisons": len(pairs),
            "skipped": sum(len(c.skipped) for c in comparisons),
            "notes": report.notes,
            "files": {k: p.name for k, p in files.items()},
        },
    )
    return files
