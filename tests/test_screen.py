"""Batch screening (CSV): row accounting, rejects with line numbers, column mapping,
atomic output, and equivalence with row-by-row check."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.screen import parse_mapping
from sanctionscope.screen import screen_file as screen_csv

TODAY = date(2026, 11, 30)
GOOD = [
    ("PL", "RU", "0808 10", "2014-08-10"),
    ("JP", "RU", "080810", "2014-08-10"),
    ("NL", "RU", "0701.10.000.0", "2014-09-01"),
    ("GB", "RU", "0406", "2020-06-01"),
]
BAD = [
    (("XX", "RU", "0808", "2014-08-10"), "origin"),
    (("PL", "RU", "08-08", "2014-08-10"), "hs_code"),
    (("PL", "RU", "0808", "2014-02-30"), "date"),
    (("PL", "", "0808", "2014-08-10"), "destination"),
    (("PL", "RU", "8", "2014-08-10"), "hs_code"),
]


def _write(
    path: Path,
    rows: list[tuple[str, ...]],
    header: tuple[str, ...] = ("origin", "destination", "hs_code", "date"),
) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_round_trip_keeps_order_columns_and_answers(real: Catalog, tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", GOOD)
    summary = screen_csv(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    rows = _read(tmp_path / "out.csv")
    assert summary.read == summary.answered == 4
    assert [r["verdict"] for r in rows] == ["BANNED", "ALLOWED", "ALLOWED", "UNDETERMINED"]
    assert rows[0]["hs_code"] == "0808 10"  # input kept as written
    assert rows[0]["measure_id"] == "RU-FOOD-IMPORT-BAN" and rows[0]["act_id"] == "RU-GOV-778-2014"
    assert rows[2]["reason_code"] == "code_exception"


def test_rejects_name_line_column_and_reason(real: Catalog, tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", [GOOD[0], *(r for r, _ in BAD), GOOD[1]])
    summary = screen_csv(real, src, tmp_path / "out.csv", tmp_path / "rej.csv", parse_mapping(None), TODAY)
    assert (summary.read, summary.answered, summary.rejected) == (7, 2, 5)
    rejects = _read(tmp_path / "rej.csv")
    assert [int(r["line"]) for r in rejects] == [3, 4, 5, 6, 7]
    assert [r["column"] for r in rejects] == [c for _, c in BAD]


def test_column_mapping(real: Catalog, tmp_path: Path) -> None:
    src = _write(
        tmp_path / "in.csv", [("PL", "RU", "0808", "2014-08-10")], ("ctry", "dest", "tnved", "decl_date")
    )
    mapping = parse_mapping("origin=ctry,destination=dest,hs_code=tnved,date=decl_date")
    screen_csv(real, src, tmp_path / "out.csv", None, mapping, TODAY)
    assert _read(tmp_path / "out.csv")[0]["verdict"] == "BANNED"
    with pytest.raises(InputError, match="columns"):
        parse_mapping("country=ctry")


def test_attest_column(real: Catalog, tmp_path: Path) -> None:
    header = ("origin", "destination", "hs_code", "date", "attest")
    src = _write(
        tmp_path / "in.csv", [("DE", "RU", "0401 20", "2015-07-01", "RU-625-X-LACTOSE-FREE-DIETARY")], header
    )
    screen_csv(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    assert _read(tmp_path / "out.csv")[0]["verdict"] == "ALLOWED"


def test_malformed_file_leaves_no_partial_output(real: Catalog, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('origin,destination,hs_code,date\nPL,RU,0808,2014-08-10\nPL,RU,"0808,2014-08-10\n')
    with pytest.raises(InputError, match="malformed"):
        screen_csv(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    assert not (tmp_path / "out.csv").exists()
    assert list(tmp_path.iterdir()) == [src]


def test_missing_column_is_a_clear_error(real: Catalog, tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", [("PL", "RU", "0808")], ("origin", "destination", "hs_code"))
    with pytest.raises(InputError, match="date"):
        screen_csv(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.booleans(), min_size=1, max_size=40), st.randoms())
def test_no_row_is_ever_lost(real: Catalog, tmp_path: Path, goods: list[bool], rnd: random.Random) -> None:
    rows = [rnd.choice(GOOD) if good else rnd.choice(BAD)[0] for good in goods]
    src = _write(tmp_path / "in.csv", rows)
    summary = screen_csv(real, src, tmp_path / "out.csv", tmp_path / "rej.csv", parse_mapping(None), TODAY)
    assert summary.read == len(rows) == summary.answered + summary.rejected
    assert len(_read(tmp_path / "out.csv")) == sum(goods)
    assert len(_read(tmp_path / "rej.csv")) == len(goods) - sum(goods)


def test_screen_equals_check_row_by_row(real: Catalog, tmp_path: Path) -> None:
    rnd = random.Random(11)
    codes = sorted(c for c in real.dataset.nomenclature.codes["HS2012"] if len(c) == 6 and c < "26")
    origins = ["PL", "DE", "JP", "US", "NO", "CH", "IS", "TR", "GB", "NZ", "UA", "FR", "CN"]
    rows = [
        (
            rnd.choice(origins),
            "RU",
            rnd.choice(codes),
            (date(2013, 1, 1) + timedelta(days=rnd.randrange(5100))).isoformat(),
        )
        for _ in range(3000)
    ]
    screen_csv(
        real, _write(tmp_path / "in.csv", rows), tmp_path / "out.csv", None, parse_mapping(None), TODAY
    )
    for row, out in zip(rows, _read(tmp_path / "out.csv"), strict=True):
        answer = real.check(real.question(row[0], row[1], row[2], date.fromisoformat(row[3]), TODAY))
        assert out["verdict"] == answer.verdict.value, row
        assert out["reason_code"] == answer.reason.value, row
