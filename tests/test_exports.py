"""Exports: GSDB CSV, FollowTheMoney JSON lines and Parquet, as specified in docs/exports.md."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from followthemoney import model

from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.exports import export
from sanctionscope.exports.gsdb import COLUMNS
from sanctionscope.store import build

TODAY = date(2026, 11, 30)
TABLES = (
    "acts",
    "measures",
    "measure_targets",
    "measure_lines",
    "line_exceptions",
    "suspensions",
    "memberships",
    "coverage_declarations",
)


# -- GSDB ---------------------------------------------------------------------------------
def _gsdb(catalog: Catalog, path: Path, day: date = TODAY) -> list[dict[str, str]]:
    export(catalog, "gsdb", path, day)
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def gsdb_rows(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    return _gsdb(real, tmp_path_factory.mktemp("gsdb") / "gsdb.csv")


def _row(rows: list[dict[str, str]], case: str, sender: str, target: str) -> list[dict[str, str]]:
    return [
        r
        for r in rows
        if r["case_id"] == case and r["sanctioning_state"] == sender and r["sanctioned_state"] == target
    ]


def test_gsdb_header_has_the_codebook_columns(real: Catalog, tmp_path: Path) -> None:
    export(real, "gsdb", tmp_path / "g.csv", TODAY)
    header = (tmp_path / "g.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    required = [
        "case_id",
        "sanctioning_state",
        "sanctioned_state",
        "sanctioning_state_iso3",
        "sanctioned_state_iso3",
        "begin",
        "end",
        "trade",
        "descr_trade",
        "arms",
        "military",
        "financial",
        "travel",
        "other",
        "target_type",
        "objective",
        "success",
        "measures",
        "acts",
        "source_url",
    ]
    assert header == list(COLUMNS)
    assert set(required) <= set(header)


def test_gsdb_russian_food_ban_against_poland(gsdb_rows: list[dict[str, str]]) -> None:
    [row] = _row(gsdb_rows, "RU-FOOD-IMPORT-BAN", "Russia", "Poland")
    assert row["sanctioning_state_iso3"] == "RUS"
    assert row["sanctioned_state_iso3"] == "POL"
    assert row["trade"] == "1"
    assert "imp_part" in row["descr_trade"].split(";")  # listed products only
    assert row["begin"] == "2014"
    assert row["begin_date"] == "2014-08-07"
    # in force until 2027-01-01 (exclusive), so ongoing on TODAY; the last day is kept exactly
    assert row["end"] == ""
    assert row["end_date"] == "2026-12-31"
    assert row["sanctioned_via"] == "EU"
    assert (row["financial"], row["travel"], row["arms"], row["military"], row["other"]) == ("0",) * 5
    assert row["objective"] == row["success"] == ""
    assert "RU-GOV-778-2014" in row["acts"].split(";")
    assert row["measures"] == "RU-FOOD-IMPORT-BAN"


def test_gsdb_expands_blocs_to_member_states(gsdb_rows: list[dict[str, str]]) -> None:
    assert _row(gsdb_rows, "RU-FOOD-IMPORT-BAN", "Russia", "Germany")
    states = {r["sanctioning_state"] for r in gsdb_rows} | {r["sanctioned_state"] for r in gsdb_rows}
    assert not {"European Union", "European Economic Area", "Eurasian Economic Union"} & states
    # EU as imposer: each member state in force from the measure's start
    eu = [r for r in gsdb_rows if r["case_id"] == "EU-833-CAPITAL-MARKETS"]
    assert {r["sanctioning_state_iso3"] for r in eu} >= {"DEU", "FRA", "POL", "HRV"}
    assert all(r["sanctioned_state"] == "Russia" and r["sanctioning_via"] == "EU" for r in eu)
    assert len(eu) == 28


def test_gsdb_membership_years_bound_the_rows(gsdb_rows: list[dict[str, str]]) -> None:
    # The UK left the EU on 2020-02-01: as an EU member it is covered until 2020-01-31,
    # then again by its own listing from 2020-12-14.
    uk = sorted(
        _row(gsdb_rows, "RU-FOOD-IMPORT-BAN", "Russia", "United Kingdom"), key=lambda r: r["begin_date"]
    )
    assert [(r["begin_date"], r["end_date"], r["end"]) for r in uk] == [
        ("2014-08-07", "2020-01-31", "2020"),
        ("2020-12-14", "2026-12-31", ""),
    ]
    assert uk[0]["sanctioned_via"] == "EU" and uk[1]["sanctioned_via"] == ""
    # EU sanctions against Russia: UK rows end with its membership
    [gb] = _row(gsdb_rows, "EU-833-CAPITAL-MARKETS", "United Kingdom", "Russia")
    assert (gb["begin"], gb["end"]) == ("2014", "2020")


def test_gsdb_financial_measures(gsdb_rows: list[dict[str, str]]) -> None:
    [us] = _row(gsdb_rows, "US-SSI-DIR1-FIN", "United States", "Russia")
    assert (us["financial"], us["trade"], us["descr_trade"]) == ("1", "0", "")
    assert us["target_type"] == "entities"
    [de] = _row(gsdb_rows, "EU-269-ASSET-FREEZE", "Germany", "Russia")
    assert de["financial"] == "1"
    assert de["target_type"] == "entities;persons"


def test_gsdb_type_mapping(gsdb_rows: list[dict[str, str]]) -> None:
    first: dict[str, dict[str, str]] = {}
    for r in gsdb_rows:
        first.setdefault(r["case_id"], r)
    assert first["EU-512-ARMS-EMBARGO"]["arms"] == "1"
    assert first["EU-833-MIL-ASSIST"]["military"] == "1"  # services ban on military assistance
    assert first["EU-960-OIL-SERVICES"]["other"] == "1"
    assert first["US-EO13661-ENTRY"]["travel"] == "1"
    assert first["RU-TR-VISA-FREE-SUSPENSION"]["travel"] == "1"
    assert first["US-EO13685-EXPORT-BAN"]["descr_trade"] == "exp_compl"  # all goods
    assert first["EU-692-CRIMEA-IMPORT-BAN"]["descr_trade"] == "imp_compl"
    assert first["EU-833-OIL-TECH"]["descr_trade"] == "exp_part"  # licensing is never complete
    [crimea] = _row(gsdb_rows, "EU-692-CRIMEA-IMPORT-BAN", "Germany", "Crimea")  # a territory, no ISO3
    assert crimea["sanctioned_state_iso3"] == ""
    for row in gsdb_rows:
        assert sum(int(row[k]) for k in ("trade", "arms", "military", "financial", "travel", "other")) == 1
    # not a sanction: the Miyagi business-support programme
    assert "JP-04-2014-RU-BUSINESS-SUPPORT" not in first


def test_gsdb_end_year_is_the_last_day_in_force(real: Catalog, tmp_path: Path) -> None:
    # Half-open [2014-03-21, 2014-08-15): last day 2014-08-14, GSDB end 2014.
    rows = _gsdb(real, tmp_path / "g.csv")
    [no] = _row(rows, "NO-301-ASSET-FREEZE", "Norway", "Russia")
    assert (no["begin"], no["end"], no["end_date"]) == ("2014", "2014", "2014-08-14")
    # The food ban ends 2027-01-01 (exclusive): once that day is past, end year is 2026, not 2027.
    later = _gsdb(real, tmp_path / "later.csv", date(2027, 6, 1))
    [pl] = _row(later, "RU-FOOD-IMPORT-BAN", "Russia", "Poland")
    assert pl["end"] == "2026"


# -- FollowTheMoney ----------------------------------------------------------------------------
def _ftm(catalog: Catalog, path: Path) -> list[dict[str, object]]:
    export(catalog, "ftm", path, TODAY)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_ftm_entities_load_and_link(real: Catalog, tmp_path: Path) -> None:
    data = _ftm(real, tmp_path / "e.ftm.jsonl")
    proxies = [model.get_proxy(d) for d in data]
    assert {p.schema.name for p in proxies} == {"Document", "LegalEntity", "PublicBody", "Sanction"}
    ids = {p.id for p in proxies}
    assert len(ids) == len(proxies)
    sanctions = [p for p in proxies if p.schema.name == "Sanction"]
    assert sanctions
    for s in sanctions:
        [target] = s.get("entity")
        assert target in ids
        [proof] = s.get("proof")
        assert proof in ids
        for prop in ("startDate", "endDate"):
            for value in s.get(prop):
                assert date.fromisoformat(value).isoformat() == value
    by_record = {(s.first("recordId"), s.first("entity")): s for s in sanctions}
    names = {p.id: p.caption for p in proxies}
    food = [s for (rec, _), s in by_record.items() if rec == "RU-FOOD-IMPORT-BAN"]
    assert {names[s.first("entity")] for s in food} >= {"European Union", "United States", "Norway"}
    freeze = [s for (rec, _), s in by_record.items() if rec == "US-EO13661-BLOCKING"]
    assert {names[s.first("entity")] for s in freeze} == {"Russia", "Government of Russia"}
    assert all(s.first("authority") and s.first("sourceUrl") for s in sanctions)
    assert {s.first("recordId") for s in sanctions} == {
        m.id for m in real.index(TODAY).measures.values() if m.type.value != "support_programme"
    }


def test_ftm_ids_are_stable(real: Catalog, tmp_path: Path) -> None:
    export(real, "ftm", tmp_path / "a.jsonl", TODAY)
    export(real, "ftm", tmp_path / "b.jsonl", TODAY)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


# -- Parquet ------------------------------------------------------------------------------------
def test_parquet_matches_the_duckdb_build(real: Catalog, tmp_path: Path) -> None:
    counts = export(real, "parquet", tmp_path / "pq", TODAY)
    db_counts = build(real, tmp_path / "s.duckdb", TODAY)
    assert counts == db_counts
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == sorted(
        [*(f"{t}.parquet" for t in TABLES), "meta.json"]
    )
    meta = json.loads((tmp_path / "pq" / "meta.json").read_text())
    assert (meta["dataset_version"], meta["as_known_on"]) == (real.version, TODAY.isoformat())
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    try:
        for table in TABLES:
            path = str(tmp_path / "pq" / f"{table}.parquet")
            columns = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
            expected = con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()
            assert [c[:2] for c in columns] == [c[:2] for c in expected], table  # names and types
            got = con.execute(f"SELECT * FROM read_parquet('{path}') ORDER BY ALL").fetchall()
            assert got == con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall(), table
    finally:
        con.close()


def test_parquet_reexport_is_byte_identical(real: Catalog, tmp_path: Path) -> None:
    export(real, "parquet", tmp_path / "a", TODAY)
    export(real, "parquet", tmp_path / "b", TODAY)
    export(real, "parquet", tmp_path / "b", TODAY)  # replaces an existing export in place
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]  # no temporary leftovers


# -- errors -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "", "GSDB2", "json"])
def test_bad_format_names_the_format_field(real: Catalog, tmp_path: Path, fmt: str) -> None:
    with pytest.raises(InputError) as err:
        export(real, fmt, tmp_path / "x", TODAY)
    assert err.value.field == "format"
    assert not list(tmp_path.iterdir())


def test_bad_output_names_the_output_field(real: Catalog, tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        export(real, "gsdb", tmp_path / "missing" / "g.csv", TODAY)
    assert err.value.field == "output"
    with pytest.raises(InputError) as err:
        export(real, "ftm", tmp_path, TODAY)  # a directory, not a file
    assert err.value.field == "output"
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError) as err:
        export(real, "parquet", tmp_path / "file", TODAY)
    assert err.value.field == "output"
