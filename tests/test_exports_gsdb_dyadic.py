"""The GSDB dyad-year export (``--format gsdb-dyadic``), as specified in docs/exports.md."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.exports import FORMATS, export
from sanctionscope.exports.gsdb_dyadic import COLUMNS, FIRST_YEAR

TODAY = date(2026, 11, 30)
DUMMIES = ("trade", "arms", "military", "financial", "travel", "other")
Rows = list[dict[str, str]]
Key = tuple[str, str, int]


def _read(path: Path) -> Rows:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _export(catalog: Catalog, fmt: str, path: Path, day: date = TODAY) -> Rows:
    export(catalog, fmt, path, day)
    return _read(path)


@pytest.fixture(scope="module")
def dyadic(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Rows:
    return _export(real, "gsdb-dyadic", tmp_path_factory.mktemp("dyadic") / "dyadic.csv")


@pytest.fixture(scope="module")
def cases(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Rows:
    return _export(real, "gsdb", tmp_path_factory.mktemp("cases") / "gsdb.csv")


def _by_key(rows: Rows) -> dict[Key, dict[str, str]]:
    return {(r["sanctioning_state"], r["sanctioned_state"], int(r["year"])): r for r in rows}


def _years(rows: Rows, sender: str, target: str) -> list[int]:
    return [
        int(r["year"]) for r in rows if (r["sanctioning_state"], r["sanctioned_state"]) == (sender, target)
    ]


def test_header_puts_the_gsdb_dyadic_names_first(dyadic: Rows, real: Catalog, tmp_path: Path) -> None:
    export(real, "gsdb-dyadic", tmp_path / "d.csv", TODAY)
    header = (tmp_path / "d.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(COLUMNS)
    gsdb_names = ["sanctioning_state", "sanctioned_state", "sanctioning_state_iso3", "sanctioned_state_iso3"]
    assert header[:5] == [*gsdb_names, "year"]
    assert set(DUMMIES) | {"descr_trade"} <= set(header[:12])
    assert header[-5:] == ["cases", "case_ids", "acts", "sanctioning_via", "sanctioned_via"]


@pytest.mark.parametrize(
    ("sender", "target", "year", "case", "ones", "descr"),
    [
        # Russia's food ban of 2014 on the United States
        ("Russia", "United States", 2015, "RU-FOOD-IMPORT-BAN", {"trade"}, "imp_part"),
        ("Russia", "Poland", 2014, "RU-FOOD-IMPORT-BAN", {"trade"}, "imp_part"),
        # Japan's 2014 measures on Russia
        ("Japan", "Russia", 2014, "JP-2014-08-05-ASSET-FREEZE", {"financial", "travel"}, None),
        # a regime-level record older than 2014 counts from the first year
        (
            "United States",
            "Cuba",
            2014,
            "US-REGIME-CU-EMBARGO-IMPORT",
            {"trade", "financial"},
            "exp_part;imp_part",
        ),
        # the EU expanded to its member states, the UK while it was one
        ("United Kingdom", "Russia", 2014, "EU-833-CAPITAL-MARKETS", {"financial"}, None),
        ("Germany", "Russia", 2022, "EU-833-CAPITAL-MARKETS", {"financial", "trade", "arms"}, None),
        # a case that ended in 2014 still counts for 2014
        ("Norway", "Russia", 2014, "NO-301-ASSET-FREEZE", {"financial", "travel"}, None),
    ],
)
def test_dyad_years_from_the_real_data(
    dyadic: Rows, sender: str, target: str, year: int, case: str, ones: set[str], descr: str | None
) -> None:
    row = _by_key(dyadic)[(sender, target, year)]
    assert case in row["case_ids"].split(";")
    assert {k for k in DUMMIES if row[k] == "1"} >= ones
    assert all(row[k] in ("0", "1") for k in DUMMIES)
    if descr is not None:
        assert row["descr_trade"] == descr
    assert row["cases"] == str(len(row["case_ids"].split(";")))
    assert row["objective"] == row["success"] == ""


def test_example_row_russia_united_states_2015(dyadic: Rows) -> None:
    row = _by_key(dyadic)[("Russia", "United States", 2015)]
    assert (row["sanctioning_state_iso3"], row["sanctioned_state_iso3"]) == ("RUS", "USA")
    # the food-import ban (trade); the 2014 stop list and the Dima Yakovlev Law of 2012
    # (entry bans, asset freezes, the adoption ban: measures on persons, which the GSDB
    # codes against their state)
    assert [row[k] for k in DUMMIES] == ["1", "0", "0", "1", "1", "1"]
    assert row["case_ids"].split(";") == [
        "RU-FOOD-IMPORT-BAN",
        "RU-REGIME-2014-STOP-LIST",
        "RU-REGIME-US-272-ADOPTION-NGO",
        "RU-REGIME-US-272-ENTRY-BAN",
        "RU-REGIME-US-272-FREEZE",
    ]
    assert {"RU-GOV-778-2014", "RU-LAW-272-FZ-2012"} <= set(row["acts"].split(";"))
    assert (row["sanctioning_via"], row["sanctioned_via"]) == ("", "")


@pytest.mark.parametrize(
    ("sender", "target", "years"),
    [
        # the only case ends in 2014 (NZ-REGIME-FJ-TRAVEL): no row from 2015
        ("New Zealand", "Fiji", [2014]),
        # US-REGIME-BI-EO13712-BLOCK, in force 2015 to 2021
        ("United States", "Burundi", list(range(2015, 2022))),
        # a pair under sanctions throughout: every year from 2014 to the year of as_known_on
        ("United States", "Cuba", list(range(FIRST_YEAR, TODAY.year + 1))),
        ("Russia", "United Kingdom", list(range(FIRST_YEAR, TODAY.year + 1))),
    ],
)
def test_years_of_a_pair(dyadic: Rows, sender: str, target: str, years: list[int]) -> None:
    assert _years(dyadic, sender, target) == years


def test_a_dyad_whose_only_case_ended_has_no_row_the_year_after(dyadic: Rows, cases: Rows) -> None:
    [case] = [r for r in cases if (r["sanctioning_state"], r["sanctioned_state"]) == ("New Zealand", "Fiji")]
    assert case["end"] == "2014"
    assert _years(dyadic, "New Zealand", "Fiji") == [2014]
    [bi] = [
        r for r in cases if (r["sanctioning_state"], r["sanctioned_state"]) == ("United States", "Burundi")
    ]
    assert max(_years(dyadic, "United States", "Burundi")) == int(bi["end"]) == 2021


def test_united_kingdom_counts_as_an_eu_member_2014_to_2020(dyadic: Rows) -> None:
    uk = {
        int(r["year"]): r
        for r in dyadic
        if (r["sanctioning_state"], r["sanctioned_state"]) == ("United Kingdom", "Russia")
    }
    for year in range(2014, 2021):
        assert "EU-833-CAPITAL-MARKETS" in uk[year]["case_ids"].split(";"), year
        assert "EU" in uk[year]["sanctioning_via"].split(";"), year
    for year in range(2021, TODAY.year + 1):
        assert not any(c.startswith("EU-") for c in uk[year]["case_ids"].split(";")), year
        assert uk[year]["sanctioning_via"] == "", year
    # the other way round: targeted as an EU member until 2020, then by its own listing
    food = {
        int(r["year"]): r
        for r in dyadic
        if (r["sanctioning_state"], r["sanctioned_state"]) == ("Russia", "United Kingdom")
    }
    assert all(food[y]["sanctioned_via"] == "EU" for y in range(2014, 2021))
    assert all("EU" not in food[y]["sanctioned_via"].split(";") for y in range(2021, TODAY.year + 1))
    assert all("RU-FOOD-IMPORT-BAN" in food[y]["case_ids"].split(";") for y in range(2014, TODAY.year + 1))
    states = {r["sanctioning_state"] for r in dyadic} | {r["sanctioned_state"] for r in dyadic}
    assert not {"European Union", "European Economic Area", "Eurasian Economic Union"} & states


def test_rows_are_sorted_unique_and_within_the_years(dyadic: Rows) -> None:
    keys = [(r["sanctioning_state"], r["sanctioned_state"], int(r["year"])) for r in dyadic]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert {k[2] for k in keys} == set(range(FIRST_YEAR, TODAY.year + 1))
    assert all(s != t for s, t, _ in keys)


def test_consistent_with_the_case_layout(dyadic: Rows, cases: Rows) -> None:
    # Property: a case row covers (pair, year) iff its first and last day in force bracket
    # some day of the year; each dyad-year row is exactly the union of the case rows covering it.
    expected: dict[Key, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c in cases:
        first = max(date.fromisoformat(c["begin_date"]).year, FIRST_YEAR)
        last = min(date.fromisoformat(c["end_date"]).year if c["end_date"] else TODAY.year, TODAY.year)
        for year in range(first, last + 1):
            cell = expected[(c["sanctioning_state"], c["sanctioned_state"], year)]
            cell["case_ids"].add(c["case_id"])
            cell["acts"].update(c["acts"].split(";"))
            cell["descr_trade"].update(d for d in c["descr_trade"].split(";") if d)
            cell["ones"].update(k for k in DUMMIES if c[k] == "1")
    got = _by_key(dyadic)
    assert set(got) == set(expected)
    for key, row in got.items():
        cell = expected[key]
        assert row["case_ids"] == ";".join(sorted(cell["case_ids"])), key
        assert row["acts"] == ";".join(sorted(cell["acts"])), key
        assert row["descr_trade"] == ";".join(sorted(cell["descr_trade"])), key
        assert {k for k in DUMMIES if row[k] == "1"} == cell["ones"], key
        assert all(row[k] in ("0", "1") for k in DUMMIES), key


def test_as_known_on_sets_the_last_year(real: Catalog, tmp_path: Path) -> None:
    later = _by_key(_export(real, "gsdb-dyadic", tmp_path / "later.csv", date(2027, 6, 1)))
    assert max(k[2] for k in later) == 2027
    # the food ban ends 2027-01-01 (exclusive): its last year is 2026
    assert "RU-FOOD-IMPORT-BAN" in later[("Russia", "Poland", 2026)]["case_ids"].split(";")
    assert "RU-FOOD-IMPORT-BAN" not in later[("Russia", "Poland", 2027)]["case_ids"].split(";")
    assert ("United States", "Cuba", 2027) in later
    early = _export(real, "gsdb-dyadic", tmp_path / "early.csv", date(2015, 6, 1))
    assert {int(r["year"]) for r in early} == {2014, 2015}


def test_deterministic_atomic_and_counted(real: Catalog, tmp_path: Path, dyadic: Rows) -> None:
    counts = export(real, "gsdb-dyadic", tmp_path / "a.csv", TODAY)
    export(real, "GSDB-Dyadic", tmp_path / "b.csv", TODAY)
    export(real, "gsdb-dyadic", tmp_path / "b.csv", TODAY)  # replaces an existing file
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]  # no temporary leftovers
    assert counts["gsdb-dyadic"] == len(dyadic)
    assert counts["dyads"] == len({(r["sanctioning_state"], r["sanctioned_state"]) for r in dyadic})
    assert counts["cases"] == len({c for r in dyadic for c in r["case_ids"].split(";")})


def test_format_is_registered_and_errors_name_the_field(real: Catalog, tmp_path: Path) -> None:
    assert "gsdb-dyadic" in FORMATS and "gsdb" in FORMATS
    for bad in ("gsdb_dyadic", "dyadic", "gsdb-dyad"):
        with pytest.raises(InputError) as err:
            export(real, bad, tmp_path / "x.csv", TODAY)
        assert err.value.field == "format"
    with pytest.raises(InputError) as err:
        export(real, "gsdb-dyadic", tmp_path / "missing" / "d.csv", TODAY)
    assert err.value.field == "output"
    with pytest.raises(InputError) as err:
        export(real, "gsdb-dyadic", tmp_path, TODAY)  # a directory, not a file
    assert err.value.field == "output"
    assert not list(tmp_path.iterdir())


# -- CLI ----------------------------------------------------------------------------------------
EXE = shutil.which("sanctionscope") or str(Path(sys.executable).with_name("sanctionscope"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120, check=False)


def test_cli_export_gsdb_dyadic(tmp_path: Path) -> None:
    # The command loads the data afresh: compare with its own file, not with the session's export.
    assert "gsdb-dyadic" in _run("export", "--help").stdout
    out = tmp_path / "dyadic.csv"
    done = _run("export", "--format", "gsdb-dyadic", "-o", str(out), "--as-known-on", TODAY.isoformat())
    assert done.returncode == 0, done.stderr
    rows = _read(out)
    assert f"gsdb-dyadic {len(rows):,}" in done.stdout
    assert list(rows[0]) == list(COLUMNS)
    assert "RU-FOOD-IMPORT-BAN" in _by_key(rows)[("Russia", "United States", 2015)]["case_ids"]
