"""Trade impact of an act (sanctionscope.impact), checked against hand-made tables.

The tiny tables in fixtures/trade are small enough to compute every expected figure by
hand; the arithmetic is written next to each number.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.impact import ImpactReport, impact
from sanctionscope.impact.figures import Figure, compare, load_figures, stories
from sanctionscope.impact.model import PARTLY
from sanctionscope.impact.tables import detect_layout, pad_code
from sanctionscope.load import DEFAULT_DATA

TRADE = Path(__file__).parent / "fixtures" / "trade"
BACI = TRADE / "baci_tiny.csv"
COMTRADE = TRADE / "comtrade_tiny.csv"
BACI07 = TRADE / "BACI_HS07_tiny.csv"
FIGURES = DEFAULT_DATA / "trade" / "ru_imports_by_partner.csv"
ACT = "RU-GOV-778-2014"


@pytest.fixture(scope="module")
def baci(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> ImpactReport:
    return impact(real, ACT, BACI, 2013, tmp_path_factory.mktemp("baci") / "out")


def _origins(report: ImpactReport) -> dict[str, float]:
    return {o.origin: o.covered_usd for o in report.by_origin}


# -- covered value by origin -------------------------------------------------------------
def test_covered_value_per_origin_by_hand(baci: ImpactReport) -> None:
    # BACI v is in thousand USD. Lines 0302 (fish), 0406 (dairy), 0808 (fruit) cover
    # 030214 salmon, 040690 cheese and 080810 apples wholly; 870323 cars are on no line;
    # 190190 is under the 10-digit lines 1901 90 110 0 / 910 0 only (partly covered).
    assert _origins(baci) == {
        "NO": (1000 + 20) * 1000.0,  # salmon 1000 + cheese 20
        "PL": (500 + 200) * 1000.0,  # apples 500 + cheese 200 (cars 80 and 190190 30 not counted)
        "BY": (100 + 300) * 1000.0,  # apples 100 + cheese 300
        "FO": 100 * 1000.0,  # salmon
        "CL": 50 * 1000.0,  # salmon
        "JP": 10 * 1000.0,  # salmon 10 (cars 400 not covered)
    }
    # targeted on 7 Aug 2014: Norway and Poland (an EU member) only -> 1020 + 700
    assert baci.totals["covered_targeted_usd"] == 1_720_000.0
    assert baci.totals["covered_not_targeted_usd"] == (400 + 100 + 50 + 10) * 1000.0
    # the row into Belarus (j=112) and the 2014 row are not the importer's base year
    assert (
        baci.totals["base_imports_usd"]
        == (1000 + 100 + 50 + 10 + 500 + 100 + 200 + 300 + 20 + 400 + 80 + 30) * 1000.0
    )


def test_cars_are_not_covered(baci: ImpactReport) -> None:
    assert baci.covers["870323"].status == "not covered"
    assert not any(r.product == "870323" for r in baci.shares)


def test_targeted_origins(baci: ImpactReport) -> None:
    status = {o.origin: o.targeted for o in baci.by_origin}
    assert status == {"NO": "yes", "PL": "yes", "BY": "no", "FO": "no", "CL": "no", "JP": "no"}
    assert {"NO", "PL", "US", "CA", "AU", "DE"} <= set(baci.targeted_origins)
    assert not {"BY", "JP", "CH", "TR", "RS", "FO"} & set(baci.targeted_origins)
    assert "GB" in baci.targeted_origins  # an EU member on 2014-08-07


def test_line_deeper_than_six_digits_makes_code_partly_covered(baci: ImpactReport) -> None:
    cover = baci.covers["190190"]
    assert cover.status == PARTLY
    assert set(cover.lines) == {"1901 90 110 0", "1901 90 910 0"}
    assert baci.partly_codes == ["190190"]
    poland = next(o for o in baci.by_origin if o.origin == "PL")
    assert poland.partly_usd == 30 * 1000.0  # counted apart, not in covered_usd
    summary = json.loads((baci.output / "summary.json").read_text())
    assert summary["counts"]["partly_covered_codes"] == 1
    assert summary["partly_covered_codes"] == ["190190"]


# -- market shares ---------------------------------------------------------------------
def test_market_shares_sum_to_one_per_product(baci: ImpactReport) -> None:
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in baci.shares:
        sums[(r.level, r.product)][0] += r.base_share
        sums[(r.level, r.product)][1] += r.compare_share
    for key, (before, after) in sums.items():
        assert before == pytest.approx(1.0), key
        assert after == pytest.approx(1.0) or after == 0.0, key


def test_salmon_shares_gainers_and_losers(baci: ImpactReport) -> None:
    rows = {r.supplier: r for r in baci.shares if r.level == "hs6" and r.product == "030214"}
    # 2013: NO 1000, FO 100, CL 50, JP 10 = 1160; 2015: FO 600, CL 400, JP 10 = 1010
    assert rows["NO"].base_share == pytest.approx(1000 / 1160)
    assert rows["NO"].compare_share == 0.0
    assert rows["FO"].compare_share == pytest.approx(600 / 1010)
    assert rows["CL"].compare_share == pytest.approx(400 / 1010)
    assert {s for s, r in rows.items() if r.role == "lost"} == {"NO"}
    assert {s for s, r in rows.items() if r.role == "gained"} == {"FO", "CL", "JP"}
    assert rows["NO"].targeted == "yes" and rows["FO"].targeted == "no"


def test_apples_poland_lost_belarus_gained(baci: ImpactReport) -> None:
    apples = {r.supplier: r for r in baci.shares if r.level == "line" and r.product == "0808"}
    assert apples["PL"].base_share == pytest.approx(500 / 600) and apples["PL"].role == "lost"
    assert apples["BY"].compare_share == pytest.approx(1.0) and apples["BY"].role == "gained"
    assert [r.supplier for r in baci.losers()] == ["NO", "PL"]  # all covered goods together
    assert baci.gainers()[0].supplier == "FO"


# -- layouts ---------------------------------------------------------------------------
def test_comtrade_layout_gives_the_same_result(real: Catalog, baci: ImpactReport, tmp_path: Path) -> None:
    report = impact(real, ACT, COMTRADE, 2013, tmp_path / "out")
    assert report.layout == "comtrade"
    assert report.by_origin == baci.by_origin
    assert report.shares == baci.shares
    # the World row, the export flow and the 4-digit aggregate are counted, not used
    assert any("World" in n for n in report.notes)
    assert any("not an import flow" in n for n in report.notes)
    assert any("not HS6" in n for n in report.notes)


def test_classic_comtrade_column_names(real: Catalog, baci: ImpactReport, tmp_path: Path) -> None:
    classic = {"refYear": "Year", "reporterISO": "Reporter ISO", "partnerISO": "Partner ISO",
               "cmdCode": "Commodity Code", "primaryValue": "Trade Value (US$)", "netWgt": "Netweight (kg)",
               "flowCode": "Trade Flow Code", "classificationCode": "Classification"}  # fmt: skip
    with COMTRADE.open() as handle:
        rows = list(csv.reader(handle))
    path = tmp_path / "comtrade_classic.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([[classic.get(h, h) for h in rows[0]], *rows[1:]])
    report = impact(real, ACT, path, 2013, tmp_path / "out")
    assert report.by_origin == baci.by_origin


def test_layout_detection_and_code_padding() -> None:
    assert detect_layout(["t", "i", "j", "k", "v", "q"]) == "baci"
    assert (
        detect_layout(["Year", "Reporter ISO", "Partner ISO", "Commodity Code", "Trade Value (US$)"])
        == "comtrade"
    )
    assert detect_layout(next(csv.reader(FIGURES.open()))) == "figures"
    with pytest.raises(InputError):
        detect_layout(["a", "b"])
    assert (
        pad_code("30214") == "030214" and pad_code("80810.0") == "080810" and pad_code("870323") == "870323"
    )


def test_default_edition_is_said(baci: ImpactReport) -> None:
    assert baci.trade_edition == "HS2012"
    assert "assumed HS2012" in baci.edition_source


# -- HS editions -----------------------------------------------------------------------
def test_hs2007_codes_are_mapped_and_unmappable_listed(real: Catalog, tmp_path: Path) -> None:
    report = impact(real, ACT, BACI07, 2013, tmp_path / "out")
    assert report.trade_edition == "HS2007" and "file name" in report.edition_source
    # HS2007 030212 (Pacific, Atlantic and Danube salmon) was split into HS2012 030213/030214
    salmon = report.covers["030212"]
    assert salmon.targets == ("030213", "030214") and salmon.relationship == "1:n"
    assert salmon.status == "covered"
    # HS2007 160520 (shrimps, prepared) maps n:n onto 0306 codes (listed) and 1605 codes (not)
    assert report.covers["160520"].status == PARTLY
    assert _origins(report)["NO"] == 1000 * 1000.0
    # 999999 is in no UN table: listed, never dropped silently
    assert [u.code for u in report.unmapped] == ["999999"]
    with (report.output / "unmapped_codes.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["code"] == "999999" and rows[0]["edition"] == "HS2007" and rows[0]["reason"]
    assert json.loads((report.output / "summary.json").read_text())["unmapped_codes"] == ["999999"]


def test_edition_parameter_overrides(real: Catalog, tmp_path: Path) -> None:
    report = impact(real, ACT, BACI, 2013, tmp_path / "out", edition="HS17")
    assert report.trade_edition == "HS2017" and report.edition_source == "parameter"
    assert report.covers["030214"].status == "covered"  # HS2017 030214 -> HS2012 030214


# -- outputs ---------------------------------------------------------------------------
def test_outputs_written_atomically_with_titled_charts(real: Catalog, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("from an earlier run")
    calls: list[tuple[int, int]] = []
    report = impact(real, ACT, BACI, 2013, out, progress=lambda d, t: calls.append((d, t)))
    assert not (out / "stale.txt").exists()  # the directory was replaced as a whole
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary directory left
    for name in ("covered_by_origin.csv", "market_shares.csv", "unmapped_codes.csv", "summary.json"):
        assert (out / name).is_file()
    for chart in ("covered_by_origin", "share_change"):
        assert (out / f"{chart}.png").read_bytes()[:4] == b"\x89PNG"
        svg = (out / f"{chart}.svg").read_text()
        assert "<title>" in svg and "Source: CEPII BACI" in svg
    assert "Imports into RU in 2013" in (out / "covered_by_origin.svg").read_text()
    assert calls and calls[-1][0] == calls[-1][1]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dataset_version"] == real.version
    assert summary["trade_edition"] == "HS2012" and summary["act_edition"] == "HS2012"
    assert report.files["summary"] == out.resolve() / "summary.json"


def test_failed_run_leaves_previous_output(real: Catalog, tmp_path: Path) -> None:
    out = tmp_path / "out"
    impact(real, ACT, BACI, 2013, out)
    with pytest.raises(InputError):
        impact(real, "NO-SUCH-ACT", BACI, 2013, out)
    assert (out / "summary.json").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# -- the shipped figures -----------------------------------------------------------------
@pytest.fixture(scope="module")
def figures() -> list[Figure]:
    return load_figures(FIGURES)


def test_figures_keep_every_row(figures: list[Figure]) -> None:
    assert len(figures) == 143
    assert [f.row for f in figures] == list(range(1, 144))
    row1 = figures[0]
    assert row1.usd == pytest.approx(8.961e9) and row1.tonnes == pytest.approx(4.331e6)
    assert figures[1].usd == pytest.approx(312.3e6) and figures[1].tonnes == pytest.approx(46.5e3)
    assert all(f.source_url.startswith("http") for f in figures)
    tr_oct = next(f for f in figures if f.row == 122)  # Turkish citrus Jan-Oct 2014: no PARTIAL YEAR flag
    assert tr_oct.partial and tr_oct.period_kind == "Jan-Oct"


def test_salmon_norway_2013_vs_2015(figures: list[Figure]) -> None:
    result = compare(figures, "030214", ["NO"], (2013, 2015))
    assert result.pairs or result.skipped
    assert not result.pairs  # no 2015 Norwegian figure: the ban covered it
    assert result.skipped[0].reason == "no 2015 figure for NO in the table"


def test_partial_year_is_not_compared_with_full_year(figures: list[Figure]) -> None:
    result = compare(figures, "ban list", ["BY"], (2014, 2015))
    # both rows are Jan-May: same window, same basis -> comparable
    assert [(p.before_amount, p.after_amount) for p in result.pairs] == [(568.3e3, 916.4e3)]
    poland = compare(figures, "080810", ["PL"], (2013, 2014))
    assert not poland.pairs
    assert "Jan-Oct 2014 (PARTIAL YEAR" in poland.skipped[0].reason and "CY2013" in poland.skipped[0].reason


def test_value_not_in_usd_is_skipped(figures: list[Figure]) -> None:
    result = compare(figures, "030354", ["IS"], (2013, 2014))
    assert not result.pairs
    assert any("value not in USD" in s.reason for s in result.skipped)


def test_compare_accepts_only_like_with_like(figures: list[Figure]) -> None:
    years = sorted({f.year for f in figures})
    accepted = 0
    for product in {f.product for f in figures}:
        partners = sorted({f.partner for f in figures if f.product == product})
        for y1, y2 in itertools.combinations(years, 2):
            for pair in compare(figures, product, partners, (y1, y2)).pairs:
                a, b = pair.before, pair.after
                accepted += 1
                assert a.product == b.product == product
                assert a.basis_kind == b.basis_kind and a.basis_kind != "not stated"
                assert a.period_kind is not None and a.period_kind == b.period_kind
                assert a.partial == b.partial
                if pair.unit == "USD":
                    assert a.value_scale and b.value_scale and not (a.value_not_usd or b.value_not_usd)
                else:
                    assert a.qty_scale and b.qty_scale
                assert a.partner == b.partner
    assert accepted > 5


def test_three_stories(real: Catalog, figures: list[Figure]) -> None:
    found = {s.key: s for s in stories(real, figures)}
    assert set(found) == {"salmon", "apples", "japan"}
    for story in found.values():
        assert story.title and story.rows and story.sources
        assert all(url.startswith("http") for url in story.sources)
        sentences = re.split(r"\.\s+(?=[A-Z])", story.text.replace("e.g. ", "e.g.\u00a0"))
        assert 2 <= len(sentences) <= 4, story.text
        for pair in story.pairs:
            assert pair.before in story.rows and pair.after in story.rows
    salmon = {(t.partner, t.day): t.targeted for t in found["salmon"].targeted}
    assert salmon[("NO", date(2014, 8, 10))] is True
    assert salmon[("FO", date(2014, 8, 10))] is False and salmon[("CL", date(2014, 8, 10))] is False
    japan = {(t.partner, t.day): t for t in found["japan"].targeted}
    assert japan[("JP", date(2014, 8, 10))].targeted is False
    assert japan[("JP", date(2014, 8, 10))].verdict == "ALLOWED"
    assert found["japan"].skipped  # 2013 CY vs Jan-Aug 2019/2020 in yen: not comparable
    apples = found["apples"]
    assert any(p.partner == "BY" for p in apples.pairs)
    assert "Poland" in apples.text and "Belarus" in apples.text


def test_japan_not_targeted_on_2014_08_10(real: Catalog) -> None:
    answer = real.check(real.question("JP", "RU", "0302", date(2014, 8, 10)))
    assert answer.verdict == "ALLOWED"
    assert real.check(real.question("NO", "RU", "0302", date(2014, 8, 10))).verdict == "BANNED"


def test_impact_on_the_figures_table(real: Catalog, tmp_path: Path) -> None:
    report = impact(real, ACT, FIGURES, 2013, tmp_path / "out")
    assert report.layout == "figures"
    assert report.comparisons and report.skipped
    ban_list = [p for p in report.comparisons if p.before.row == 1 and p.unit == "USD"]
    assert ban_list and ban_list[0].change_pct == pytest.approx(100 * (312.3e6 - 8.961e9) / 8.961e9)
    with (report.output / "skipped_comparisons.csv").open() as handle:
        reasons = [r["reason"] for r in csv.DictReader(handle)]
    assert any(r.startswith("periods differ") for r in reasons)
    assert (report.output / "summary.json").is_file()
