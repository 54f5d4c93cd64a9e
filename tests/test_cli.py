"""The CLI through its real entry point: answers, JSON shape, exit codes, no tracebacks."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI

EXE = shutil.which("sanctionscope") or str(Path(sys.executable).with_name("sanctionscope"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=60, check=False)


def test_check_json_has_the_documented_fields() -> None:
    done = run(
        "check", "--origin", "PL", "--destination", "RU", "--hs", "080810", "--date", "2014-08-10", "--json"
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["verdict"] == "BANNED"
    for key in ("verdict", "reason", "measures", "exceptions", "dataset_version", "as_known_on"):
        assert key in doc
    (measure,) = doc["measures"]
    assert measure["id"] == "RU-FOOD-IMPORT-BAN"
    assert measure["act"] == "RU-GOV-778-2014"
    assert measure["source_url"].startswith("http")
    assert measure["line"]["code"] == "0808"
    assert doc["dataset_version"].startswith("sha256:")


def test_check_japan_human_output() -> None:
    done = run("check", "--origin", "JP", "--destination", "RU", "--hs", "080810", "--date", "2014-08-10")
    assert done.returncode == 0
    assert "ALLOWED" in done.stdout and "Japan is not among the targets" in done.stdout


def test_check_accepts_codes_and_countries_as_users_write_them() -> None:
    done = run(
        "check",
        "--origin",
        "Poland",
        "--destination",
        "RUS",
        "--hs",
        "0808.10",
        "--date",
        "2014-08-10",
        "--json",
    )
    assert json.loads(done.stdout)["verdict"] == "BANNED"


def test_as_known_on_is_reported() -> None:
    done = run(
        "check",
        "--origin",
        "DE",
        "--destination",
        "RU",
        "--hs",
        "0808 10",
        "--date",
        "2015-08-10",
        "--as-known-on",
        "2015-06-23",
        "--json",
    )
    doc = json.loads(done.stdout)
    assert (doc["verdict"], doc["as_known_on"]) == ("ALLOWED", "2015-06-23")


def test_attest_flag() -> None:
    done = run(
        "check",
        "--origin",
        "DE",
        "--destination",
        "RU",
        "--hs",
        "0401 20",
        "--date",
        "2015-07-01",
        "--attest",
        "RU-625-X-LACTOSE-FREE-DIETARY",
        "--json",
    )
    doc = json.loads(done.stdout)
    assert doc["verdict"] == "ALLOWED" and doc["attested"][0]["id"] == "RU-625-X-LACTOSE-FREE-DIETARY"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--origin", "XX"], "origin"),
        (["--destination", "Narnia"], "destination"),
        (["--hs", "08-08"], "hs"),
        (["--hs", "8"], "hs"),
        (["--date", "2014-13-01"], "date"),
        (["--attest", "NOPE"], "attest"),
        (["--as-known-on", "yesterday"], "as_known_on"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(args: list[str], field: str) -> None:
    base = {"--origin": "PL", "--destination": "RU", "--hs": "0808", "--date": "2014-08-10"}
    flat = [x for k, v in base.items() if k not in args for x in (k, v)] + args
    done = run("check", *flat)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: {field}:")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["who", "--on", "2014-08-10", "--json"],
        ["spared", "RU", "--on", "2014-08-10", "--json"],
        ["timeline", "RU", "JP", "--json"],
        ["acts", "--json"],
        ["act", "RU-GOV-778-2014", "--json"],
        ["diff", "2015-08-05", "2015-08-14", "--json"],
    ],
)
def test_other_commands_answer_in_json_with_the_dataset_version(args: list[str]) -> None:
    done = run(*args)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["dataset_version"].startswith("sha256:")


def test_spared_names_japan() -> None:
    doc = json.loads(run("spared", "RU", "--on", "2014-08-10", "--json").stdout)
    assert "JP" in doc["spared"] and "US" not in doc["spared"]


def test_act_shows_titles_dates_and_sources() -> None:
    doc = json.loads(run("act", "RU-GOV-778-2014", "--json").stdout)
    assert doc["title"]["original"].startswith("О мерах")
    assert doc["title"]["en"] and doc["signed"] == "2014-08-07" and doc["sources"]


def test_unknown_act_is_bad_input() -> None:
    done = run("act", "RU-GOV-0-2099")
    assert done.returncode == 2 and done.stderr.startswith("error: act:")


def test_validate_ok_and_broken(tmp_path: Path) -> None:
    assert run("validate", "data").returncode == 0
    root = tmp_path / "data"
    shutil.copytree(MINI, root)
    act = root / "acts/RU/RU-TEST-1-2020.yaml"
    act.write_text(act.read_text().replace("jurisdiction: US", "jurisdiction: XY"))
    done = run("validate", str(root))
    assert done.returncode == 1
    assert "RU-TEST-1-2020.yaml:" in done.stderr and "unknown jurisdiction 'XY'" in done.stderr


def test_demo_runs() -> None:
    done = run("demo")
    assert done.returncode == 0, done.stderr
    assert "Japan" in done.stdout and "BANNED" in done.stdout


def test_screen_command_prints_the_accounting(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("ctry,destination,hs_code,date\nPL,RU,0808 10,2014-08-10\nXX,RU,0808,2014-08-10\n")
    done = run(
        "screen",
        str(src),
        "-o",
        str(tmp_path / "out.csv"),
        "--rejects",
        str(tmp_path / "rej.csv"),
        "--columns",
        "origin=ctry",
    )
    assert done.returncode == 0, done.stderr
    assert "rows read 2 = answered 1 + rejected 1" in done.stderr
    assert "BANNED" in (tmp_path / "out.csv").read_text()
    reject = next(csv.DictReader((tmp_path / "rej.csv").open()))
    assert (reject["line"], reject["column"], reject["value"]) == ("3", "ctry", "XX")


def test_screen_parquet_in_and_out_quiet_when_piped(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "origin": ["PL", "JPN", "Poland"],
            "destination": ["RU"] * 3,
            "hs_code": ["0808 10", "0808.10", "0808"],
            "date": ["2014-08-10", "2014-08-10", "2014-02-30"],
        }
    )
    pq.write_table(table, tmp_path / "in.parquet")
    done = run("screen", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.parquet"))
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("\n") == 1 and "rows read 3 = answered 2 + rejected 1" in done.stderr
    assert pq.read_table(tmp_path / "out.parquet").column("verdict").to_pylist() == ["BANNED", "ALLOWED"]
    reject = next(csv.DictReader((tmp_path / "out.rejects.csv").open()))
    assert (reject["line"], reject["column"], reject["value"]) == ("3", "date", "2014-02-30")


def test_screen_refuses_an_unknown_format_naming_the_field(tmp_path: Path) -> None:
    src = tmp_path / "in.xlsx"
    src.write_text("x")
    done = run("screen", str(src), "-o", str(tmp_path / "out.csv"))
    assert done.returncode == 2 and "error: source:" in done.stderr and ".csv or .parquet" in done.stderr


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (2, 2), ("stopped: reason", 1)])
def test_the_executable_exits_with_the_status_sys_exit_gives(code: object, status: int) -> None:
    """The executable ends the process at once after a command (no teardown of the
    snapshot's objects); its exit status is the one ``sys.exit(code)`` would give."""
    from sanctionscope.cli import _status

    assert _status(code) == status


def test_the_executable_flushes_its_answer_before_it_exits() -> None:
    """Output still buffered when the command returns (stdout a pipe) reaches the reader."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run(
        [sys.executable, "-m", "sanctionscope.cli", "regimes", "--imposer", "IS", "--target", "GT", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=buffered,
    )
    assert done.returncode == 0, done.stderr
    assert [r["act"] for r in json.loads(done.stdout)["regimes"]] == ["IS-REG-211-2024"]
