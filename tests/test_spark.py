"""The Spark screen (local[2]) gives every row the same answer as the embedded engine,
rejects included, and its counts reconcile: read = answered + rejected."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sanctionscope.engine.catalog import Catalog
from sanctionscope.screen import parse_mapping, screen_file
from sanctionscope.spark import screen_dataframe, session

TODAY = date(2026, 11, 30)
BAD = [
    ("XX", "RU", "0808", "2014-08-10"),
    ("PL", "RU", "08-08", "2014-08-10"),
    ("PL", "RU", "0808", "2014-02-30"),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    found = session("local[2]", "sanctionscope-tests")
    yield found
    found.stop()


def _rows(real: Catalog, n: int, seed: int = 3) -> list[tuple[str, ...]]:
    rnd = random.Random(seed)
    codes = sorted(c for c in real.dataset.nomenclature.codes["HS2012"] if len(c) == 6 and c < "25")
    origins = ["PL", "DE", "JP", "US", "NO", "CH", "IS", "TR", "GB", "UA", "CN", "BY", "POL", "Japan"]
    rows = []
    for i in range(n):
        if rnd.random() < 0.05:
            rows.append((str(i), *rnd.choice(BAD)))
            continue
        day = date(2013, 1, 1) + timedelta(days=rnd.randrange(5100))
        code = rnd.choice(codes) + rnd.choice(["", "", "0000", " 10"])
        rows.append((str(i), rnd.choice(origins), rnd.choice(["RU", "RU", "KZ"]), code, day.isoformat()))
    return rows


def test_spark_equals_the_embedded_engine_row_for_row(spark: Any, real: Catalog, tmp_path: Path) -> None:
    rows = _rows(real, 3000)
    header = ["id", "origin", "destination", "hs_code", "date"]
    src = tmp_path / "in.csv"
    with src.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    screen_file(real, src, tmp_path / "out.csv", tmp_path / "rej.csv", parse_mapping(None), TODAY)
    with (tmp_path / "out.csv").open() as handle:
        embedded = {r["id"]: r for r in csv.DictReader(handle)}
    with (tmp_path / "rej.csv").open() as handle:
        embedded_rejects = {int(r["line"]) - 2: (r["column"], r["reason"]) for r in csv.DictReader(handle)}

    df = spark.createDataFrame(rows, header).repartition(4)
    verdicts, rejects = screen_dataframe(spark, df, as_known_on=TODAY)
    got = {r["id"]: r.asDict() for r in verdicts.collect()}
    got_rejects = {int(r["id"]): (r["reject_column"], r["reject_reason"]) for r in rejects.collect()}

    assert len(got) + len(got_rejects) == len(rows)
    assert got_rejects == embedded_rejects
    assert got.keys() == embedded.keys()
    for key, row in embedded.items():
        for column in ("verdict", "measure_id", "act_id", "reason_code", "exceptions"):
            assert got[key][column] == row[column], (key, column)


def test_column_mapping_and_dates_as_dates(spark: Any) -> None:
    df = spark.createDataFrame(
        [("PL", "RU", "0808 10", date(2014, 8, 10)), ("JP", "RU", "080810", date(2014, 8, 10))],
        ["ctry", "dest", "tnved", "decl_date"],
    )
    columns = {"origin": "ctry", "destination": "dest", "hs_code": "tnved", "date": "decl_date"}
    verdicts, rejects = screen_dataframe(spark, df, columns, TODAY)
    assert [r["verdict"] for r in verdicts.orderBy("ctry", ascending=False).collect()] == [
        "BANNED",
        "ALLOWED",
    ]
    assert rejects.count() == 0


def test_cli_engine_spark_prints_reconciled_counts(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "part-0.csv").write_text("origin,destination,hs_code,date\nPL,RU,0808 10,2014-08-10\n")
    (src / "part-1.csv").write_text(
        "origin,destination,hs_code,date\nXX,RU,0808,2014-08-10\nJP,RU,0808,2014-08-10\n"
    )
    exe = Path(sys.executable).with_name("sanctionscope")
    done = subprocess.run(
        [
            str(exe),
            "screen",
            str(src),
            "-o",
            str(tmp_path / "out"),
            "--engine",
            "spark",
            "--master",
            "local[2]",
            "--as-known-on",
            TODAY.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rows read 3 = answered 2 + rejected 1" in done.stderr
    assert list((tmp_path / "out").glob("*.parquet")) and list((tmp_path / "out_rejects").glob("*.parquet"))


def test_lost_leading_zeros_are_rejected_or_restored_as_in_the_embedded_screen(spark: Any) -> None:
    header = ["id", "origin", "destination", "hs_code", "date"]
    rows = [("1", "PL", "RU", "80810", "2014-08-10"), ("2", "PL", "RU", "0808 10", "2014-08-10")]
    df = spark.createDataFrame(rows, header)
    verdicts, rejects = screen_dataframe(spark, df, as_known_on=TODAY)
    (reject,) = rejects.collect()
    assert (reject["id"], reject["reject_column"]) == ("1", "hs_code")
    assert reject["reject_reason"].startswith("leading_zero_lost:")
    assert reject["reject_reason"].endswith("did you mean 080810?")
    assert "hs_code_restored" not in verdicts.columns
    verdicts, rejects = screen_dataframe(spark, df, as_known_on=TODAY, restore_leading_zeros=True)
    assert rejects.count() == 0 and "hs_code_restored" not in rejects.columns
    got = {r["id"]: (r["verdict"], r["hs_code_restored"]) for r in verdicts.collect()}
    assert got == {"1": ("BANNED", "080810"), "2": ("BANNED", "")}
