"""validate: every problem reported together, with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanctionscope.errors import DataError
from sanctionscope.load import load_dataset
from tests.conftest import MINI

ACT = "acts/RU/RU-TEST-1-2020.yaml"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(MINI, root)
    return root


def _edit(root: Path, old: str, new: str, name: str = ACT) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        load_dataset(root)
    return [str(p) for p in err.value.problems]


def test_the_fixture_is_valid() -> None:
    assert len(load_dataset(MINI).acts) == 3


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'sources: [{url: "https://example.org/test-1"}]',
            "sources: []",
            "sources: List should have at least 1",
        ),
        ("jurisdiction: US, scope: origin", "jurisdiction: XY, scope: origin", "unknown jurisdiction 'XY'"),
        ('code: "0808"', 'code: "0899"', "unknown code 0899"),
        ('code: "0808"', 'code: "08A8"', "has characters other than digits"),
        ("end: 2021-03-01", "end: 2019-03-01", "ends (2019-03-01) before it starts"),
        ("nomenclature: TNVED-EAEU-2012", "nomenclature: TNVED-1999", "unknown nomenclature"),
        ('number: "1"', 'number: "1"\nnumbr: 2', "numbr: Extra inputs are not permitted"),
        ("type: import_ban", "type: embargo", "type: Input should be"),
        ('code: "0701 10"', 'code: "0702 10"', "is not under line code 0701"),
    ],
)
def test_broken_facts_are_reported_with_file_and_line(
    broken: Path, old: str, new: str, expected: str
) -> None:
    _edit(broken, old, new)
    problems = _problems(broken)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("data/acts/RU/") for p in problems)
    lines = [int(p.split(":")[1]) for p in problems]
    assert all(n > 1 for n in lines), problems


def test_the_line_number_points_at_the_bad_value(broken: Path) -> None:
    _edit(broken, "jurisdiction: US, scope: origin", "jurisdiction: XY, scope: origin")
    (problem,) = _problems(broken)
    line = int(problem.split(":")[1])
    assert "XY" in (broken / ACT).read_text().splitlines()[line - 1]


def test_amendment_pointing_to_a_missing_act(broken: Path) -> None:
    _edit(broken, "amends: [RU-TEST-1-2020]", "amends: [RU-TEST-9-2020]", "acts/RU/RU-TEST-2-2020.yaml")
    assert any("missing act 'RU-TEST-9-2020'" in p for p in _problems(broken))


def test_change_to_a_missing_measure_or_line(broken: Path) -> None:
    _edit(broken, 'lines: ["0406"]', 'lines: ["0409"]', "acts/RU/RU-TEST-3-2020.yaml")
    _edit(broken, "measure: TEST-BAN", "measure: NO-SUCH", "acts/RU/RU-TEST-2-2020.yaml")
    problems = _problems(broken)
    assert any("line '0409' is not a line of TEST-BAN" in p for p in problems)
    assert any("missing measure 'NO-SUCH'" in p for p in problems)


def test_contradictory_lines_of_the_same_code(broken: Path) -> None:
    _edit(broken, 'code: "0701 10"', 'code: "0701"')
    assert any("contradictory" in p for p in _problems(broken))


def test_all_problems_are_reported_together(broken: Path) -> None:
    _edit(broken, "jurisdiction: US, scope: origin", "jurisdiction: XY, scope: origin")
    _edit(broken, "amends: [RU-TEST-1-2020]", "amends: [NOPE]", "acts/RU/RU-TEST-3-2020.yaml")
    assert len(_problems(broken)) == 2


def test_yaml_syntax_error_has_a_line(broken: Path) -> None:
    _edit(broken, "kind: resolution", "kind: [resolution")
    (problem,) = [p for p in _problems(broken) if "YAML syntax" in p]
    assert problem.startswith("data/acts/RU/RU-TEST-1-2020.yaml:")
    assert int(problem.split(":")[1]) > 1


def test_norway_is_not_a_boolean(broken: Path) -> None:
    _edit(broken, "jurisdiction: US, scope: origin", "jurisdiction: NO, scope: origin")
    assert load_dataset(broken).acts["RU-TEST-1-2020"].measures[0].targets[1].jurisdiction == "NO"
