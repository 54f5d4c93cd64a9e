"""Batch screening (CSV and Parquet): row accounting, rejects with line numbers, column mapping,
atomic output, and equivalence with row-by-row check."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.kernel_situations import Outcome
from sanctionscope.errors import InputError
from sanctionscope.screen import OUTPUT, parse_mapping
from sanctionscope.screen import screen_file as screen
from sanctionscope.sinks import Sink

TODAY = date(2026, 11, 30)
HEADER = ("origin", "destination", "hs_code", "date")
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
    header: tuple[str, ...] = HEADER,
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
    summary = screen(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    rows = _read(tmp_path / "out.csv")
    assert summary.read == summary.answered == 4
    assert [r["verdict"] for r in rows] == ["BANNED", "ALLOWED", "ALLOWED", "UNDETERMINED"]
    assert rows[0]["hs_code"] == "0808 10"  # input kept as written
    assert rows[0]["measure_id"] == "RU-FOOD-IMPORT-BAN" and rows[0]["act_id"] == "RU-GOV-778-2014"
    assert rows[2]["reason_code"] == "code_exception"


def test_rejects_name_line_column_and_reason(real: Catalog, tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", [GOOD[0], *(r for r, _ in BAD), GOOD[1]])
    summary = screen(real, src, tmp_path / "out.csv", tmp_path / "rej.csv", parse_mapping(None), TODAY)
    assert (summary.read, summary.answered, summary.rejected) == (7, 2, 5)
    rejects = _read(tmp_path / "rej.csv")
    assert [int(r["line"]) for r in rejects] == [3, 4, 5, 6, 7]
    assert [r["column"] for r in rejects] == [c for _, c in BAD]


def test_column_mapping(real: Catalog, tmp_path: Path) -> None:
    src = _write(
        tmp_path / "in.csv", [("PL", "RU", "0808", "2014-08-10")], ("ctry", "dest", "tnved", "decl_date")
    )
    mapping = parse_mapping("origin=ctry,destination=dest,hs_code=tnved,date=decl_date")
    screen(real, src, tmp_path / "out.csv", None, mapping, TODAY)
    assert _read(tmp_path / "out.csv")[0]["verdict"] == "BANNED"
    with pytest.raises(InputError, match="columns"):
        parse_mapping("country=ctry")


def test_attest_column(real: Catalog, tmp_path: Path) -> None:
    header = ("origin", "destination", "hs_code", "date", "attest")
    src = _write(
        tmp_path / "in.csv", [("DE", "RU", "0401 20", "2015-07-01", "RU-625-X-LACTOSE-FREE-DIETARY")], header
    )
    screen(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    assert _read(tmp_path / "out.csv")[0]["verdict"] == "ALLOWED"


def test_malformed_file_leaves_no_partial_output(real: Catalog, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('origin,destination,hs_code,date\nPL,RU,0808,2014-08-10\nPL,RU,"0808,2014-08-10\n')
    with pytest.raises(InputError, match="malformed"):
        screen(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    assert not (tmp_path / "out.csv").exists()
    assert list(tmp_path.iterdir()) == [src]


def test_missing_column_is_a_clear_error(real: Catalog, tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", [("PL", "RU", "0808")], ("origin", "destination", "hs_code"))
    with pytest.raises(InputError, match="date"):
        screen(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.booleans(), min_size=1, max_size=40), st.randoms())
def test_no_row_is_ever_lost(real: Catalog, tmp_path: Path, goods: list[bool], rnd: random.Random) -> None:
    rows = [rnd.choice(GOOD) if good else rnd.choice(BAD)[0] for good in goods]
    src = _write(tmp_path / "in.csv", rows)
    summary = screen(real, src, tmp_path / "out.csv", tmp_path / "rej.csv", parse_mapping(None), TODAY)
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
    screen(real, _write(tmp_path / "in.csv", rows), tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    for row, out in zip(rows, _read(tmp_path / "out.csv"), strict=True):
        answer = real.check(real.question(row[0], row[1], row[2], date.fromisoformat(row[3]), TODAY))
        assert out["verdict"] == answer.verdict.value, row
        assert out["reason_code"] == answer.reason.value, row


def test_screen_equals_check_on_every_column_around_act_days(real: Catalog, tmp_path: Path) -> None:
    """On the grown data, on the days acts were signed and came into force (and the day
    before each), every column the screen writes is what `check` answers: verdict,
    deciding or closest measure, act, reason, exceptions, coverage relied on, sides not
    vouched for."""
    rnd = random.Random(13)
    index = real.index(TODAY)
    measures = index.measures.values()
    days = sorted({d + timedelta(days=k) for m in measures for d in (m.act.signed, m.start) for k in (-1, 0)})
    written = {line.code.replace(" ", "") for m in measures for line in m.lines}
    codes = sorted(c for c in written if c.isdigit() and len(c) >= 4)
    origins = ["PL", "DEU", "FI", "IT", "NL", "JP", "US", "NO", "CH", "GB", "CN", "BY", "RU", "TR", "IN"]
    destinations = ["RU", "BY", "DE", "JP", "CN", "US", "KZ", "UA", "IR", "KP"]
    rows = [
        (rnd.choice(origins), rnd.choice(destinations), rnd.choice(codes), rnd.choice(days).isoformat())
        for _ in range(3000)
    ]
    screen(real, _write(tmp_path / "in.csv", rows), tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    for row, out in zip(rows, _read(tmp_path / "out.csv"), strict=True):
        answer = real.check(real.question(row[0], row[1], row[2], date.fromisoformat(row[3]), TODAY))
        expected = Outcome.of(answer)
        assert {c: out[c] for c in OUTPUT} == {c: getattr(expected, c) for c in OUTPUT}, row


# -- Parquet, chunks, truncation (the Arrow path) ---------------------------------------
def _parquet(path: Path, rows: list[tuple[str, ...]], names: tuple[str, ...] = HEADER) -> Path:
    pq.write_table(pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)}), path)
    return path


def test_parquet_round_trip_keeps_types_order_and_answers(real: Catalog, tmp_path: Path) -> None:
    table = pa.table(
        {
            "origin": ["PL", "JP", "XX", "NL"],
            "destination": ["RU"] * 4,
            "hs_code": ["0808 10", "080810", "0808", "0701.10.000.0"],
            "date": pa.array([date(2014, 8, 10), date(2014, 8, 10), date(2014, 8, 10), None], pa.date32()),
            "value_usd": [10.5, 20.0, 1.0, 3.25],
        }
    )
    pq.write_table(table, tmp_path / "in.parquet")
    summary = screen(
        real,
        tmp_path / "in.parquet",
        tmp_path / "out.parquet",
        tmp_path / "rej.csv",
        parse_mapping(None),
        TODAY,
    )
    out = pq.read_table(tmp_path / "out.parquet")
    assert (summary.read, summary.answered, summary.rejected) == (4, 2, 2)
    assert out.schema.field("date").type == pa.date32() and out.schema.field("value_usd").type == pa.float64()
    assert out.column("verdict").to_pylist() == ["BANNED", "ALLOWED"]
    assert out.column("value_usd").to_pylist() == [10.5, 20.0]
    assert [(r["line"], r["column"]) for r in _read(tmp_path / "rej.csv")] == [("3", "origin"), ("4", "date")]


def test_files_are_written_with_each_verdict_value_once_in_its_dictionary(
    real: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In memory a verdict column indexes every outcome the kernel knows; a file gets each
    column over its distinct values ("BANNED" once, not once per outcome: a Parquet writer
    would fold the outcome-sized dictionary again per column and row group)."""
    written: list[pa.RecordBatch] = []
    monkeypatch.setattr(Sink, "write", lambda self, batch: written.append(batch))
    source = _write(tmp_path / "in.csv", GOOD * 25)
    screen(real, source, tmp_path / "out.parquet", tmp_path / "rej.csv", parse_mapping(None), TODAY)
    answered = [b for b in written if "verdict" in b.schema.names]
    assert sum(b.num_rows for b in answered) == len(GOOD) * 25
    asked = [real.check(real.question(o, d, c, date.fromisoformat(day), TODAY)) for o, d, c, day in GOOD]
    for batch in answered:
        for name in OUTPUT:
            values = batch.column(name).dictionary.to_pylist()
            assert len(values) == len(set(values)), name
        assert batch.column("verdict").to_pylist()[: len(GOOD)] == [a.verdict.value for a in asked]


@pytest.mark.parametrize(("src", "dst"), [("csv", "parquet"), ("parquet", "csv")])
def test_csv_and_parquet_convert_both_ways(real: Catalog, tmp_path: Path, src: str, dst: str) -> None:
    rows = [*GOOD, BAD[0][0]]
    path = _write(tmp_path / "in.csv", rows) if src == "csv" else _parquet(tmp_path / "in.parquet", rows)
    screen(real, path, tmp_path / f"out.{dst}", None, parse_mapping(None), TODAY)
    out = (
        pq.read_table(tmp_path / "out.parquet").to_pylist()
        if dst == "parquet"
        else _read(tmp_path / "out.csv")
    )
    assert [r["verdict"] for r in out] == ["BANNED", "ALLOWED", "ALLOWED", "UNDETERMINED"]
    assert [r["hs_code"] for r in out] == [g[2] for g in GOOD]
    assert len(_read(tmp_path / "out.rejects.csv")) == 1


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize(("chunk_rows", "threads"), [(1, 1), (2, 2), (3, 1), (7, 3), (1000, 2)])
def test_chunk_boundaries_and_threads_change_nothing(
    real: Catalog, tmp_path: Path, fmt: str, chunk_rows: int, threads: int
) -> None:
    rnd = random.Random(chunk_rows)
    rows = [rnd.choice(GOOD) if rnd.random() < 0.7 else rnd.choice(BAD)[0] for _ in range(40)]
    rows += [("DE", "RU", "0401 20", "2015-07-01")]
    path = _write(tmp_path / "in.csv", rows) if fmt == "csv" else _parquet(tmp_path / "in.parquet", rows)
    screen(real, path, tmp_path / "one.csv", tmp_path / "one-rej.csv", parse_mapping(None), TODAY)
    screen(
        real,
        path,
        tmp_path / "many.csv",
        tmp_path / "many-rej.csv",
        parse_mapping(None),
        TODAY,
        None,
        chunk_rows,
        threads,
    )
    assert _read(tmp_path / "one.csv") == _read(tmp_path / "many.csv")
    assert _read(tmp_path / "one-rej.csv") == _read(tmp_path / "many-rej.csv")
    first = 2 if fmt == "csv" else 1  # CSV: line in the file (after the header); Parquet: row number
    expected_lines = [i + first for i, r in enumerate(rows) if r in [b for b, _ in BAD]]
    assert [int(r["line"]) for r in _read(tmp_path / "many-rej.csv")] == expected_lines


def test_progress_is_reported_per_chunk(real: Catalog, tmp_path: Path) -> None:
    seen: list[tuple[int, int, int]] = []
    src = _write(tmp_path / "in.csv", GOOD * 10)
    screen(real, src, tmp_path / "o.csv", None, parse_mapping(None), TODAY, lambda *a: seen.append(a), 8)
    assert len(seen) > 1 and seen[-1][0] == 40 and seen[-1][1] == seen[-1][2] == src.stat().st_size


@pytest.mark.parametrize("cut", [0.5, 0.93])
def test_a_truncated_csv_is_an_error_and_leaves_nothing(real: Catalog, tmp_path: Path, cut: float) -> None:
    full = _write(tmp_path / "full.csv", GOOD * 50).read_bytes()
    src = tmp_path / "in.csv"
    src.write_bytes(full[: int(len(full) * cut)].rstrip(b"\n").rsplit(b",", 1)[0])
    with pytest.raises(InputError, match="truncated"):
        screen(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY, None, 16)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.csv", "in.csv"]


def test_a_truncated_parquet_is_an_error_and_leaves_nothing(real: Catalog, tmp_path: Path) -> None:
    whole = _parquet(tmp_path / "whole.parquet", GOOD * 100).read_bytes()
    src = tmp_path / "in.parquet"
    src.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match="truncated"):
        screen(real, src, tmp_path / "out.parquet", None, parse_mapping(None), TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet", "whole.parquet"]


def test_codes_stored_as_numbers_are_refused_with_the_column_named(real: Catalog, tmp_path: Path) -> None:
    table = pa.table({"origin": ["PL"], "destination": ["RU"], "hs_code": [808], "date": ["2014-08-10"]})
    pq.write_table(table, tmp_path / "in.parquet")
    with pytest.raises(InputError, match="leading zeros") as info:
        screen(real, tmp_path / "in.parquet", tmp_path / "o.parquet", None, parse_mapping(None), TODAY)
    assert info.value.field == "hs_code"


def test_blank_lines_are_rejected_not_lost(real: Catalog, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("origin,destination,hs_code,date\nPL,RU,0808,2014-08-10\n\nJP,RU,0808,2014-08-10\n")
    summary = screen(real, src, tmp_path / "o.csv", tmp_path / "r.csv", parse_mapping(None), TODAY)
    assert (summary.read, summary.answered, summary.rejected) == (3, 2, 1)
    assert _read(tmp_path / "r.csv")[0]["line"] == "3"


def test_output_columns_already_in_the_input_are_a_clear_error(real: Catalog, tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", [(*GOOD[0], "x")], (*HEADER, "verdict"))
    with pytest.raises(InputError, match="already in the input"):
        screen(real, src, tmp_path / "o.csv", None, parse_mapping(None), TODAY)
