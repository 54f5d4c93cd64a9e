"""db build: documented tables, reproducible contents, and the banned_on macro."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from sanctionscope.engine.catalog import Catalog
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


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in (*TABLES, "meta")}
    finally:
        con.close()


def test_build_is_reproducible(real: Catalog, tmp_path: Path) -> None:
    counts = build(real, tmp_path / "a.duckdb", TODAY)
    build(real, tmp_path / "b.duckdb", TODAY)
    assert counts["acts"] == len(real.dataset.acts)
    assert _dump(tmp_path / "a.duckdb") == _dump(tmp_path / "b.duckdb")
    assert _dump(tmp_path / "a.duckdb")["meta"] == [(real.version, TODAY)]


def test_banned_on_macro(real: Catalog, tmp_path: Path) -> None:
    build(real, tmp_path / "s.duckdb", TODAY)
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    targets = {
        r[0] for r in con.execute("SELECT DISTINCT target FROM banned_on(DATE '2014-08-10')").fetchall()
    }
    later = {r[0] for r in con.execute("SELECT DISTINCT target FROM banned_on(DATE '2015-09-01')").fetchall()}
    con.close()
    assert {"US", "EU", "CA", "AU", "NO"} <= targets and "IS" not in targets and "JP" not in targets
    assert {"IS", "AL", "ME", "LI"} <= later


@pytest.mark.parametrize(
    ("day", "banned"),
    [
        # Belarus Res. 934/2023: apples may be imported from 1 April to 31 July 2024
        (date(2024, 3, 31), True),
        (date(2024, 4, 1), False),
        (date(2024, 7, 31), False),
        (date(2024, 8, 1), True),
    ],
)
def test_banned_on_leaves_out_suspended_lines(real: Catalog, tmp_path: Path, day: date, banned: bool) -> None:
    build(real, tmp_path / "s.duckdb", TODAY)
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    try:
        found = con.execute(
            "SELECT count(*) FROM banned_on(?) "
            "WHERE measure_id = 'BY-FOOD-IMPORT-BAN' AND line_id = '0808 10'",
            [day],
        ).fetchone()
        suspension = con.execute(
            'SELECT record, start, "end", act_id FROM suspensions '
            "WHERE measure_id = 'BY-FOOD-IMPORT-BAN' AND record_id = '0808 10' "
            'AND start <= ? AND ? < "end"',
            [day, day],
        ).fetchall()
    finally:
        con.close()
    assert found is not None and (found[0] > 0) is banned
    assert suspension == ([] if banned else [("line", date(2024, 4, 1), date(2024, 8, 1), "BY-GOV-934-2023")])


def test_coverage_declarations_table(real: Catalog, tmp_path: Path) -> None:
    """Researchers can query what the data set vouches for: one row per declaration."""
    counts = build(real, tmp_path / "s.duckdb", TODAY)
    assert counts["coverage_declarations"] == len(real.dataset.coverage)
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    try:
        row = con.execute(
            'SELECT imposer, direction, start, "end", partners, regimes, scope_include, reviewed_on, '
            "len(source_urls) = len(source_notes) FROM coverage_declarations "
            "WHERE id = 'EU-EXPORT-RU-2014-2022'"
        ).fetchone()
        # which declarations vouch for EU exports to Russia on a day, for apples?
        found = con.execute(
            "SELECT id FROM coverage_declarations WHERE imposer = 'EU' AND direction = 'export' "
            "AND start <= DATE '2018-01-01' AND (\"end\" IS NULL OR DATE '2018-01-01' < \"end\") "
            "AND list_contains(partners, 'RU') AND list_contains(scope_include, '08')"
        ).fetchall()
    finally:
        con.close()
    assert row is not None
    imposer, direction, start, end, partners, regimes, include, reviewed, aligned = row
    assert (imposer, direction, start, end) == ("EU", "export", date(2014, 8, 1), date(2022, 2, 23))
    assert partners == ["RU"] and regimes == ["EU-833-OIL-TECH"] and "24" in include
    assert isinstance(reviewed, date) and aligned
    assert found == [("EU-EXPORT-RU-2014-2022",)]
