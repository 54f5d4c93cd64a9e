"""`validate` on broken files: one line per problem with file and line, exit 1, never a
traceback (impossible days, text that is not UTF-8, a missing file, YAML aliases)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MINI = Path(__file__).parent / "fixtures" / "mini"
ACT = Path("acts") / "RU" / "RU-TEST-1-2020.yaml"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINI, tmp_path / "data"))


def _validate(data: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("sanctionscope")
    return subprocess.run([str(exe), "validate", str(data)], capture_output=True, text=True, check=False)


def _edit(data: Path, old: str, new: str) -> None:
    path = data / ACT
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _refused(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr, done.stderr
    return done.stderr


def test_an_impossible_day_is_reported_with_file_and_line(data: Path) -> None:
    _edit(data, "signed: 2020-02-28", "signed: 2015-02-30")
    err = _refused(_validate(data))
    assert "data/acts/RU/RU-TEST-1-2020.yaml:8: signed:" in err
    assert "2015-02-30" in err


def test_a_file_that_is_not_utf8_is_reported_with_its_line(data: Path) -> None:
    path = data / ACT
    raw = path.read_bytes().replace("Тестовый".encode(), "Тестовый".encode("cp1251"), 1)
    path.write_bytes(raw)
    err = _refused(_validate(data))
    assert "data/acts/RU/RU-TEST-1-2020.yaml:7: is not UTF-8 text" in err


def test_a_missing_jurisdictions_file_is_reported(data: Path) -> None:
    (data / "jurisdictions.yaml").unlink()
    err = _refused(_validate(data))
    assert "data/jurisdictions.yaml:1: cannot be read" in err


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("start: 2020-03-01\n    end: 2021-03-01", "start: &day 2020-03-01\n    end: *day"),
        ("  - id: TEST-BAN\n", "  - &ban\n    id: TEST-BAN\n"),
    ],
    ids=["scalar", "mapping"],
)
def test_yaml_aliases_are_refused(data: Path, old: str, new: str) -> None:
    _edit(data, old, new)
    if new.startswith("  - &ban"):  # a second use of the anchored measure
        (data / ACT).write_text((data / ACT).read_text("utf-8") + "  - *ban\n", "utf-8")
    err = _refused(_validate(data))
    assert "YAML aliases (*name) are not allowed" in err
    assert "RU-TEST-1-2020.yaml:" in err


def test_the_data_as_shipped_validates(data: Path) -> None:
    done = _validate(data)
    assert done.returncode == 0, done.stderr
