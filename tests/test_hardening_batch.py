"""Issue 16, items 1-6: batch screening and the CLI under attack.

Every test is an attack from the issue: a header that loses or renames columns, paths that
overwrite one another, Spark CSV output, temporary files left by a stopped run, rows
numbered wrongly or refused after a multi-line value or a long line, nested columns in a
CSV, and dates in forms other than YYYY-MM-DD. Each must end in a complete answer or in one
plain line naming the field and the value, exit status 2, and nothing left behind.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctionscope import tabular
from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.inputs import need_day, parse_day
from sanctionscope.screen import OUTPUT, parse_mapping
from sanctionscope.screen import screen_file as screen

TODAY = date(2026, 11, 30)
HEADER = ["origin", "destination", "hs_code", "date"]
GOOD = ["PL", "RU", "0808 10", "2014-08-10"]
BAD = ["XX", "RU", "0808", "2014-08-10"]  # rejected: origin
EXE = shutil.which("sanctionscope") or str(Path(sys.executable).with_name("sanctionscope"))


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [EXE, "screen", *args, "--as-known-on", TODAY.isoformat()]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def _rejects(path: Path) -> list[tuple[int, str, str]]:
    return [(int(r["line"]), r["column"], r["value"]) for r in csv.DictReader(path.open(newline=""))]


def _one_plain_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, one line on stderr starting "error:", naming what it must, no traceback."""
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr and all(w in done.stderr for w in words), done.stderr


def _left(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _m() -> dict[str, str]:
    return parse_mapping(None)


# -- 1. every input column comes out unchanged, or the run fails clearly ----------------
def test_a_header_longer_than_64_kib_keeps_all_1504_columns(real: Catalog, tmp_path: Path) -> None:
    names = [f"customs_declaration_field_{i:04d}_as_exported_by_the_broker" for i in range(1500)]
    header = [*HEADER, *names]
    assert len(",".join(header).encode()) > 1 << 16
    src = _write(tmp_path / "in.csv", header, [[*GOOD, *(f"v{i}" for i in range(1500))]])
    for out in (tmp_path / "out.csv", tmp_path / "out.parquet"):
        summary = screen(real, src, out, None, parse_mapping(None), TODAY)
        assert (summary.read, summary.answered) == (1, 1)
        if out.suffix == ".csv":
            got_header, row = _read(out)
        else:
            table = pq.read_table(out)
            got_header, row = table.column_names, [str(v) for v in table.to_pylist()[0].values()]
        assert got_header == [*header, *OUTPUT]
        assert row[: len(header)] == [*GOOD, *(f"v{i}" for i in range(1500))]


def test_control_characters_in_header_names_are_kept(real: Catalog, tmp_path: Path) -> None:
    odd = ["a\u2028b", "c\u2029d", "e\x1cf", "g\x1dh", "i\x1ej", "k\x0bl", "m\x0cn", "o\x85p", "q,r", 's"t']
    src = _write(tmp_path / "in.csv", [*HEADER, *odd], [[*GOOD, *map(str, range(len(odd)))]])
    screen(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    header, row = _read(tmp_path / "out.csv")
    assert header == [*HEADER, *odd, *OUTPUT]
    assert row[: len(HEADER) + len(odd)] == [*GOOD, *map(str, range(len(odd)))]


def test_a_header_read_two_ways_fails_the_run(
    real: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety net: should the header ever be read otherwise than Arrow reads it, the
    run fails naming the column instead of renaming or dropping it."""
    src = _write(tmp_path / "in.csv", [*HEADER, "extra"], [[*GOOD, "x"]])
    real_header = tabular._header

    def short(path: Path) -> Any:
        head = real_header(path)
        return tabular._Head(head.names[:-1], head.lines, head.mean, head.longest)

    monkeypatch.setattr(tabular, "_header", short)
    with pytest.raises(InputError, match=r"header read two ways.*column 5") as info:
        screen(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    assert info.value.field == "file"
    assert _left(tmp_path) == {"in.csv"}


def test_a_header_not_in_utf8_is_a_clear_error(real: Catalog, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(b"orig\xffin,destination,hs_code,date\nPL,RU,0808,2014-08-10\n")
    with pytest.raises(InputError, match="not UTF-8"):
        screen(real, src, tmp_path / "out.csv", None, parse_mapping(None), TODAY)
    assert _left(tmp_path) == {"in.csv"}


def test_a_header_spanning_lines_numbers_the_rows_after_it(real: Catalog, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('origin,destination,hs_code,"date\nof export"\nXX,RU,0808,2014-08-10\n')
    mapping = parse_mapping("date=date\nof export")
    screen(real, src, tmp_path / "out.csv", tmp_path / "rej.csv", mapping, TODAY)
    assert _rejects(tmp_path / "rej.csv") == [(3, "origin", "XX")]


# -- 2. no path may overwrite another ---------------------------------------------------
@pytest.mark.parametrize(
    ("args", "field", "other"),
    [
        (["-o", "out.csv", "--rejects", "out.csv"], "rejects", "output"),
        (["-o", "in.csv"], "output", "source"),
        (["-o", "out.csv", "--rejects", "in.csv"], "rejects", "source"),
        (["-o", "./sub/../in.csv", "--rejects", "r.csv"], "output", "source"),
        (["-o", "link.csv"], "output", "source"),  # a symbolic link to the input
        (["-o", "hard.csv", "--rejects", "r.csv"], "output", "source"),  # a hard link
        (["-o", "in.parquet"], "rejects", "source"),  # in a folder where the input is in.rejects.csv
    ],
)
def test_paths_naming_the_same_file_exit_2_and_touch_nothing(
    tmp_path: Path, args: list[str], field: str, other: str
) -> None:
    source = "in.rejects.csv" if args == ["-o", "in.parquet"] else "in.csv"  # the default rejects
    src = _write(tmp_path / source, HEADER, [GOOD, BAD])
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.csv").symlink_to(src)
    os.link(src, tmp_path / "hard.csv")
    before, files = src.read_bytes(), _left(tmp_path)
    done = subprocess.run(
        [EXE, "screen", source, *args], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False
    )
    _one_plain_line(done, f"error: {field}:", f"same file as the {other}")
    assert src.read_bytes() == before and _left(tmp_path) == files


# -- 4. no temporary file outlives its run; output folders checked before reading --------
def _slow_source(tmp_path: Path) -> Path:
    src = tmp_path / "in.csv"
    src.write_text("origin,destination,hs_code,date\n" + "PL,RU,0808 10,2014-08-10\n" * 400_000)
    return src


def _started(tmp_path: Path, out: Path) -> Iterator[subprocess.Popen[str]]:
    """The CLI screening a large file in small chunks, once both its temporary files exist."""
    args = [EXE, "screen", str(_slow_source(tmp_path)), "-o", str(out), "--chunk-rows", "500"]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while len(list(out.parent.glob("*.part"))) < 2:  # the output's and the rejects'
            assert child.poll() is None and time.monotonic() < deadline, "the screen ended before its check"
            time.sleep(0.01)
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()


def test_sigterm_stops_the_screen_and_removes_its_temporary_files(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    for child in _started(tmp_path, tmp_path / "out" / "o.csv"):
        child.send_signal(signal.SIGTERM)
        _, stderr = child.communicate(timeout=60)
        assert child.returncode == 128 + signal.SIGTERM, stderr
        assert stderr.strip() == "error: screen stopped by SIGTERM; no output written"
    assert _left(tmp_path / "out") == set()


def test_the_next_run_removes_what_a_killed_run_left(real: Catalog, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "o.csv"
    for child in _started(tmp_path, out):
        child.kill()  # kill -9: no cleanup is possible in the process itself
        child.wait(timeout=60)
    orphans = {p.name for p in out.parent.glob("*.part")}
    assert len(orphans) == 2  # the output's and the rejects'
    small = _write(tmp_path / "small.csv", HEADER, [GOOD])
    screen(real, small, out, None, parse_mapping(None), TODAY)
    assert _left(tmp_path / "out") == {"o.csv", "o.rejects.csv"}


def test_a_live_runs_temporary_file_is_left_alone(real: Catalog, tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    dead, live = int(gone.stdout), os.getpid()
    (tmp_path / f".out.csv.{dead}.abcdefgh.part").write_text("left by a killed run")
    (tmp_path / f".out.csv.{live}.abcdefgh.part").write_text("a run in progress")
    screen(real, _write(tmp_path / "in.csv", HEADER, [GOOD]), tmp_path / "out.csv", None, _m(), TODAY)
    assert not (tmp_path / f".out.csv.{dead}.abcdefgh.part").exists()
    assert (tmp_path / f".out.csv.{live}.abcdefgh.part").exists()


def test_a_rejects_folder_that_does_not_exist_is_refused_before_reading(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(b",,\n\xff\xfe broken")  # reading it would fail with another message
    done = cli(str(src), "-o", str(tmp_path / "out.csv"), "--rejects", str(tmp_path / "nope" / "r.csv"))
    _one_plain_line(done, "error: rejects:", "in a folder that does not exist")
    assert _left(tmp_path) == {"in.csv"}


def test_an_output_that_is_a_folder_is_refused_before_reading(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(b",,\n\xff\xfe broken")
    (tmp_path / "out.csv").mkdir()
    done = cli(str(src), "-o", str(tmp_path / "out.csv"))
    _one_plain_line(done, "error: output:", "is a folder")
    assert _left(tmp_path) == {"in.csv", "out.csv"} and _left(tmp_path / "out.csv") == set()


# -- 5. rows spanning lines, long lines, nested columns ----------------------------------
def test_rejects_after_quoted_values_spanning_lines_name_the_right_lines(
    real: Catalog, tmp_path: Path
) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(
        b"id,origin,destination,hs_code,date,note\n"  # line 1
        b'1,PL,RU,0808,2014-08-10,"two\nlines"\n'  # lines 2-3
        b"2,XX,RU,0808,2014-08-10,x\n"  # line 4: rejected
        b'3,PL,RU,0808,2014-08-10,"crlf\r\nand a lone\rcr"\n'  # lines 5-7
        b"\n"  # line 8: blank, rejected
        b"4,PL,RU,08-08,2014-08-10,y\n"  # line 9: rejected
        b'5,"X\nX",RU,0808,2014-08-10,z\n'  # lines 10-11: rejected (a coded column)
        b"6,PL,RU,0808,2014-08-11,\n"  # line 12
    )
    expected = [(4, "origin", "XX"), (8, "origin", ""), (9, "hs_code", "08-08"), (10, "origin", "X\nX")]
    for chunk_rows, threads in [(1, 1), (2, 2), (3, 1), (1000, 1)]:
        rej = tmp_path / f"rej{chunk_rows}.csv"
        summary = screen(real, src, tmp_path / "o.csv", rej, _m(), TODAY, None, chunk_rows, threads)
        assert (summary.read, summary.answered, summary.rejected) == (7, 3, 4)
        assert _rejects(rej) == expected, chunk_rows
        assert [r[0] for r in _read(tmp_path / "o.csv")[1:]] == ["1", "3", "6"]


@pytest.mark.parametrize(("chunk_rows", "long"), [(1, 300_000), (2, 300_000), (1 << 20, 3 << 20)])
def test_a_long_line_after_the_first_64_kib_is_read_not_refused(
    real: Catalog, tmp_path: Path, chunk_rows: int, long: int
) -> None:
    """Blocks are sized from the start of the file; a longer row later restarts the read
    with larger blocks after the rows already screened: none lost, none twice."""
    rows = [[str(i), *(BAD if i % 97 == 0 else GOOD), "n"] for i in range(4000)]
    rows.insert(3000, ["long", *BAD, "y" * long])
    src = _write(tmp_path / "in.csv", ["id", *HEADER, "note"], rows)
    summary = screen(real, src, tmp_path / "o.csv", tmp_path / "r.csv", _m(), TODAY, None, chunk_rows, 2)
    assert summary.read == len(rows) == summary.answered + summary.rejected
    answered = [r[0] for r in _read(tmp_path / "o.csv")[1:]]
    assert answered == [r[0] for r in rows if r[1] != "XX"]
    assert [line for line, _, _ in _rejects(tmp_path / "r.csv")] == [
        i + 2 for i, r in enumerate(rows) if r[1] == "XX"
    ]


def test_small_chunk_rows_with_a_long_later_line_on_the_cli(tmp_path: Path) -> None:
    rows = [GOOD] * 3000 + [[*GOOD[:3], "2014-08-10 " + " " * 200_000], BAD]
    src = _write(tmp_path / "in.csv", HEADER, rows)
    done = cli(str(src), "-o", str(tmp_path / "o.csv"), "--chunk-rows", "2")
    assert done.returncode == 0, done.stderr
    assert "rows read 3,002 = answered 3,001 + rejected 1" in done.stderr
    assert _rejects(tmp_path / "o.rejects.csv") == [(3003, "origin", "XX")]


def test_an_unclosed_quote_is_still_malformed(real: Catalog, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        "origin,destination,hs_code,date\n" + "PL,RU,0808,2014-08-10\n" * 5000 + 'PL,"RU\n' + "x\n" * 10
    )
    with pytest.raises(InputError, match="malformed or truncated"):
        screen(real, src, tmp_path / "o.csv", None, _m(), TODAY, None, 2)
    assert _left(tmp_path) == {"in.csv"}


def _nested(path: Path) -> Path:
    table = pa.table(
        {
            "origin": ["PL"],
            "destination": ["RU"],
            "hs_code": ["0808"],
            "date": ["2014-08-10"],
            "tags": [["fruit", "apples"]],
            "meta": [{"broker": "x", "n": 1}],
        }
    )
    pq.write_table(table, path)
    return path


def test_list_and_struct_columns_refused_for_csv_output_with_the_column_named(
    real: Catalog, tmp_path: Path
) -> None:
    src = _nested(tmp_path / "in.parquet")
    with pytest.raises(InputError) as info:  # the shared code: the CLI and POST /v1/screen
        screen(real, src, tmp_path / "o.csv", None, _m(), TODAY)
    assert info.value.field == "tags" and "CSV file cannot hold" in info.value.reason
    done = cli(str(src), "-o", str(tmp_path / "o.csv"))
    _one_plain_line(done, "error: tags:", "list<", "write the output as .parquet")
    assert _left(tmp_path) == {"in.parquet"}
    screen(real, src, tmp_path / "o.parquet", None, _m(), TODAY)  # Parquet holds them
    out = pq.read_table(tmp_path / "o.parquet").to_pylist()[0]
    assert out["tags"] == ["fruit", "apples"] and out["meta"] == {"broker": "x", "n": 1}


# -- 6. dates: YYYY-MM-DD and real date types only ---------------------------------------
@pytest.mark.parametrize("text", ["20140810", "2014-W32-7", "2014W327", "2014-08-10T00:00", "٢٠١٤-08-10"])
def test_compact_and_week_dates_are_refused_naming_field_and_value(text: str) -> None:
    with pytest.raises(InputError, match="is not a date; write YYYY-MM-DD") as info:
        need_day(text, "date")
    assert (info.value.field, info.value.value) == ("date", text)
    assert parse_day(" 2014-08-10 ", "date") == date(2014, 8, 10)


def test_compact_and_week_dates_in_a_file_are_rejects(real: Catalog, tmp_path: Path) -> None:
    days = ["2014-08-10", "20140810", "2014-W32-7", "2014-222"]
    src = _write(tmp_path / "in.csv", HEADER, [[*GOOD[:3], d] for d in days])
    summary = screen(real, src, tmp_path / "o.csv", tmp_path / "r.csv", _m(), TODAY)
    assert (summary.answered, summary.rejected) == (1, 3)
    rejects = list(csv.DictReader((tmp_path / "r.csv").open(newline="")))
    assert [(r["line"], r["column"], r["value"]) for r in rejects] == [
        ("3", "date", "20140810"),
        ("4", "date", "2014-W32-7"),
        ("5", "date", "2014-222"),
    ]
    assert {r["reason"] for r in rejects} == {"is not a date; write YYYY-MM-DD"}


def test_a_compact_as_known_on_exits_2_naming_it(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", HEADER, [GOOD])
    done = subprocess.run(
        [EXE, "screen", str(src), "-o", str(tmp_path / "o.csv"), "--as-known-on", "20261130"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    _one_plain_line(done, "error: as_known_on: '20261130' is not a date; write YYYY-MM-DD")


def test_real_date_and_timestamp_columns_are_read_as_days(real: Catalog, tmp_path: Path) -> None:
    """Typed days need no text form; a timestamp is its day, attested rows (answered one by
    one) included."""
    stamp = pa.array([datetime(2014, 8, 10, 13, 5), datetime(2015, 7, 1, 23, 59)], pa.timestamp("us"))
    for days in (pa.array([date(2014, 8, 10), date(2015, 7, 1)], pa.date32()), stamp):
        table = pa.table(
            {
                "origin": ["PL", "DE"],
                "destination": ["RU", "RU"],
                "hs_code": ["0808 10", "0401 20"],
                "date": days,
                "attest": ["", "RU-625-X-LACTOSE-FREE-DIETARY"],
            }
        )
        pq.write_table(table, tmp_path / "in.parquet")
        summary = screen(real, tmp_path / "in.parquet", tmp_path / "o.parquet", None, _m(), TODAY)
        assert summary.rejected == 0
        assert pq.read_table(tmp_path / "o.parquet").column("verdict").to_pylist() == ["BANNED", "ALLOWED"]


# -- no row is ever lost, whatever the file's shape and the chunking ----------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(["good", "bad", "multi", "multi_bad", "blank", "wide"]), min_size=1, max_size=30
    ),
    st.sampled_from([1, 2, 3, 7, 1000]),
    st.sampled_from([1, 2]),
    st.randoms(),
)
def test_every_row_is_answered_or_rejected_on_its_line(
    real: Catalog, tmp_path: Path, kinds: list[str], chunk_rows: int, threads: int, rnd: random.Random
) -> None:
    lines, line, expected_bad, expected_good = [b"id,origin,destination,hs_code,date,note"], 2, [], []
    for i, kind in enumerate(kinds):
        note = {"multi": "a\nb\r\nc", "multi_bad": "x\ny", "wide": "w" * rnd.randrange(1, 5000)}.get(kind, "")
        origin = "XX" if kind in ("bad", "multi_bad") else "PL"
        text = b"" if kind == "blank" else f'{i},{origin},RU,0808,2014-08-10,"{note}"'.encode()
        lines.append(text)
        if kind == "blank" or origin == "XX":
            expected_bad.append(line)
        else:
            expected_good.append(str(i))
        line += 1 + note.count("\n")
    src = tmp_path / "in.csv"
    src.write_bytes(b"\n".join(lines) + b"\n")
    summary = screen(
        real, src, tmp_path / "o.csv", tmp_path / "r.csv", _m(), TODAY, None, chunk_rows, threads
    )
    assert summary.read == len(kinds) == summary.answered + summary.rejected
    assert [line for line, _, _ in _rejects(tmp_path / "r.csv")] == expected_bad
    assert [r[0] for r in _read(tmp_path / "o.csv")[1:]] == expected_good


# -- 3. Spark: CSV output, rejects where --rejects says ----------------------------------
@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from sanctionscope.spark import session

    found = session("local[2]", "sanctionscope-tests")
    yield found
    found.stop()


def _spark_source(tmp_path: Path) -> Path:
    return _write(tmp_path / "in.csv", ["id", *HEADER], [["1", *GOOD], ["2", *BAD], ["3", "JP", *GOOD[1:]]])


def _spark_read(folder: Path, suffix: str) -> list[dict[str, str]]:
    files = sorted(folder.glob(f"part-*{suffix}"))
    assert files, f"no {suffix} files in {folder}"
    if suffix == ".parquet":
        return [r for f in files for r in pq.read_table(f).to_pylist()]
    return [r for f in files for r in csv.DictReader(f.open(newline=""))]


def test_spark_cli_writes_csv_verdicts_and_csv_rejects_where_told(tmp_path: Path) -> None:
    src = _spark_source(tmp_path)
    out, rej = tmp_path / "out.csv", tmp_path / "rej.csv"
    done = cli(
        str(src),
        "-o",
        str(out),
        "--rejects",
        str(rej),
        "--engine",
        "spark",
        "--master",
        "local[2]",
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "rows read 3 = answered 2 + rejected 1" in done.stderr and f"rejects in {rej}" in done.stderr
    verdicts = sorted(_spark_read(out, ".csv"), key=lambda r: r["id"])
    assert [(r["id"], r["verdict"]) for r in verdicts] == [("1", "BANNED"), ("3", "ALLOWED")]
    (reject,) = _spark_read(rej, ".csv")
    assert (reject["id"], reject["reject_column"], reject["reject_value"]) == ("2", "origin", "XX")
    assert not (tmp_path / "out.csv._staging").exists() and not (tmp_path / "out.csv_rejects").exists()


def test_spark_rejects_in_another_format_than_the_output(spark: Any, tmp_path: Path) -> None:
    from sanctionscope.spark import screen_path

    src = _spark_source(tmp_path)
    found = screen_path(
        str(src), str(tmp_path / "o.parquet"), str(tmp_path / "r.csv"), _m(), TODAY, "local[2]"
    )
    assert (found["read"], found["answered"], found["rejected"]) == (3, 2, 1)
    assert {r["id"]: r["verdict"] for r in _spark_read(tmp_path / "o.parquet", ".parquet")} == {
        "1": "BANNED",
        "3": "ALLOWED",
    }
    (reject,) = _spark_read(tmp_path / "r.csv", ".csv")
    assert list(reject) == ["id", *HEADER, "reject_column", "reject_value", "reject_reason"]
    good = _write(tmp_path / "good.csv", HEADER, [GOOD])  # no rejects: an empty CSV with its header
    found = screen_path(str(good), str(tmp_path / "g.csv"), str(tmp_path / "g-rej.parquet"), _m(), TODAY)
    assert (found["answered"], found["rejected"]) == (1, 0)
    assert pq.read_table(tmp_path / "g-rej.parquet").num_rows == 0
    assert [r["verdict"] for r in _spark_read(tmp_path / "g.csv", ".csv")] == ["BANNED"]


def test_spark_refuses_clashing_paths_and_nested_columns_in_csv(spark: Any, tmp_path: Path) -> None:
    from sanctionscope.spark import screen_path

    src = _spark_source(tmp_path)
    with pytest.raises(InputError, match="same path as the source"):
        screen_path(str(src), str(src), None, _m(), TODAY)
    with pytest.raises(InputError, match="same path as the output"):
        screen_path(str(src), str(tmp_path / "o.csv"), str(tmp_path / "o.csv/"), _m(), TODAY)
    with pytest.raises(InputError, match="CSV file cannot hold") as info:
        screen_path(str(_nested(tmp_path / "n.parquet")), str(tmp_path / "n.csv"), None, _m(), TODAY)
    assert info.value.field == "tags" and not (tmp_path / "n.csv").exists()
