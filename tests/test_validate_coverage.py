"""validate on coverage declarations (docs/data-format.md, Coverage declarations): every
broken declaration is reported with its file and line, in the style of test_validate.py.

Each case copies ``fixtures/coverage`` to a temporary ``data`` folder, edits one line of
one declaration file and expects the problem's text at the line of the edited value.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sanctionscope.errors import DataError
from sanctionscope.load import load_dataset
from tests.coverage_support import COVERAGE

CN, EU, RU = "coverage/CN.yaml", "coverage/EU.yaml", "coverage/RU.yaml"

CN_SOURCES = """    sources:
      - url: https://example.org/cov/cn-1
        note: "synthetic"
      - url: https://example.org/cov/cn-2
        note: "synthetic"
"""

#: A second EU export declaration, appended to coverage/EU.yaml by the overlap cases.
SECOND_EU_EXPORT = """  - id: EU-COV-EXPORT-2
    imposer: EU
    direction: export
    start: {start}
    end: 2025-01-01
    partners: [{partners}]
    product_scope:
      include: [{include}]
    reviewed_on: 2026-12-01
    sources:
      - url: https://example.org/cov/eu-2
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(COVERAGE, root)
    return root


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def _problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        load_dataset(root)
    return [str(p) for p in err.value.problems]


def _line(root: Path, problem: str) -> str:
    """The text of the line a problem points at."""
    name, number = problem.split(":")[:2]
    return (root.parent / name).read_text().splitlines()[int(number) - 1]


def test_the_fixture_is_valid() -> None:
    ds = load_dataset(COVERAGE)
    assert sorted(ds.coverage) == [
        "CN-COV-EXPORT",
        "EU-COV-EXPORT",
        "EU-COV-IMPORT",
        "RU-COV-EXPORT",
        "RU-COV-IMPORT",
    ]


@pytest.mark.parametrize(
    ("name", "old", "new", "expected", "at"),
    [
        # an unknown imposer
        (CN, "imposer: CN", "imposer: XX", "CN-COV-EXPORT: unknown imposer 'XX'", "imposer: XX"),
        # an unknown partner
        (EU, "partners: [RU, BY]", "partners: [RU, XY]", "EU-COV-EXPORT: unknown partner 'XY'", "XY"),
        # an end before (or on) the start: periods are half-open, so [start, start) is empty
        (
            EU,
            "end: 2024-07-01",
            "end: 2019-07-01",
            "EU-COV-EXPORT: ends (2019-07-01) before it starts (2020-01-01)",
            "end: 2019-07-01",
        ),
        (
            EU,
            "end: 2024-07-01",
            "end: 2020-01-01",
            "EU-COV-EXPORT: ends (2020-01-01) before it starts (2020-01-01)",
            "end: 2020-01-01",
        ),
        # no sources: a declaration is a claim and needs its grounds
        (CN, CN_SOURCES, "    sources: []\n", "sources: List should have at least 1", "sources: []"),
        # no review day: staleness cannot be decided without it
        (CN, "    reviewed_on: 2026-12-01\n", "", "reviewed_on: Field required", "- id: CN-COV-EXPORT"),
        # a direction that does not exist
        (RU, "direction: import", "direction: imports", "direction: Input should be", "imports"),
        # a misspelt key is an error, not silently ignored
        (RU, "left_out:", "leftout:", "leftout: Extra inputs are not permitted", "leftout:"),
        # a regime id that is not a measure in the data
        (
            CN,
            "regimes: [CN-COV-LIC-A, CN-COV-LIC-B, CN-COV-BAN-US]",
            "regimes: [CN-COV-LIC-A, CN-COV-LIC-B, CN-COV-BAN-US, CN-COV-LIC-Z]",
            "CN-COV-EXPORT: regime 'CN-COV-LIC-Z' is not a measure in the data",
            "CN-COV-LIC-Z",
        ),
        # a regime of another imposer
        (
            RU,
            "regimes: [RU-COV-BAN]",
            "regimes: [RU-COV-BAN, CN-COV-LIC-A]",
            "RU-COV-IMPORT: regime CN-COV-LIC-A is imposed by CN, not RU",
            "regimes:",
        ),
        # a held goods measure of the imposer, direction and period missing from regimes
        (
            CN,
            "regimes: [CN-COV-LIC-A, CN-COV-LIC-B, CN-COV-BAN-US]",
            "regimes: [CN-COV-LIC-A, CN-COV-BAN-US]",
            "CN-COV-LIC-B is a goods measure of CN in the period but not among the regimes",
            "regimes:",
        ),
        (
            RU,
            "regimes: [RU-COV-BAN]",
            "regimes: []",
            "RU-COV-BAN is a goods measure of RU in the period but not among the regimes",
            "regimes:",
        ),
        # a scope that includes goods of a measure whose list is not held (the arms
        # embargo reaches chapter 93): exclude them instead
        (
            EU,
            'include: ["01-24"]',
            'include: ["01-97"]',
            "EU-COV-EXPORT: scope includes goods of EU-COV-ARMS (93), whose product list is not held",
            "product_scope:",
        ),
        (
            EU,
            'include: ["07", "0801-0810"]',
            'include: ["07", "9302"]',
            "EU-COV-IMPORT: scope includes goods of EU-COV-ARMS (93)",
            "product_scope:",
        ),
    ],
)
def test_broken_declarations_are_reported_with_file_and_line(
    broken: Path, name: str, old: str, new: str, expected: str, at: str
) -> None:
    _edit(broken, name, old, new)
    problems = _problems(broken)
    found = [p for p in problems if expected in p]
    assert found, problems
    assert all(p.startswith(f"data/{name}:") for p in problems), problems
    assert at in _line(broken, found[0]), found[0]


def test_a_scope_of_all_goods_includes_the_unlisted_measures_goods(broken: Path) -> None:
    # no product_scope: all goods, chapter 93 included
    _edit(broken, EU, '    product_scope:\n      include: ["07", "0801-0810"]\n', "")
    problems = _problems(broken)
    assert any("EU-COV-IMPORT: scope includes goods of EU-COV-ARMS" in p for p in problems), problems


def test_excluding_the_unlisted_goods_makes_the_scope_valid(broken: Path) -> None:
    _edit(broken, EU, 'include: ["01-24"]', 'include: ["01-97"]\n      exclude: ["93"]')
    assert "EU-COV-EXPORT" in load_dataset(broken).coverage


@pytest.mark.parametrize(
    ("start", "partners", "include"),
    [
        ("2024-01-01", "RU", '"0701"'),  # same partner, days and codes as EU-COV-EXPORT
        ("2020-01-01", "BY", '"24"'),
        ("2024-06-30", "BY, RU", '"01-24"'),  # one day in common: 2024-06-30
    ],
)
def test_overlapping_declarations_are_refused(broken: Path, start: str, partners: str, include: str) -> None:
    path = broken / EU
    extra = SECOND_EU_EXPORT.format(start=start, partners=partners, include=include)
    path.write_text(path.read_text() + extra)
    problems = _problems(broken)
    expected = (
        "EU-COV-EXPORT-2: vouches for the same imposer, direction, partners, days and codes as EU-COV-EXPORT"
    )
    found = [p for p in problems if expected in p]
    assert found, problems
    assert "EU-COV-EXPORT-2" in _line(broken, found[0])


@pytest.mark.parametrize(
    ("start", "partners", "include"),
    [
        ("2024-07-01", "RU", '"0701"'),  # starts on EU-COV-EXPORT's end: half-open, no overlap
        ("2024-01-01", "CN", '"0701"'),  # another partner
        ("2024-01-01", "RU", '"25"'),  # other codes
    ],
)
def test_declarations_that_do_not_overlap_are_accepted(
    broken: Path, start: str, partners: str, include: str
) -> None:
    path = broken / EU
    path.write_text(
        path.read_text() + SECOND_EU_EXPORT.format(start=start, partners=partners, include=include)
    )
    assert "EU-COV-EXPORT-2" in load_dataset(broken).coverage


def test_a_declaration_id_used_twice_is_reported(broken: Path) -> None:
    _edit(broken, CN, "id: CN-COV-EXPORT", "id: EU-COV-EXPORT")
    problems = _problems(broken)
    assert any("declaration id EU-COV-EXPORT also in" in p for p in problems), problems


def test_all_problems_are_reported_together(broken: Path) -> None:
    _edit(broken, RU, "partners: [EU, US]", "partners: [EU, XY]")
    _edit(broken, EU, "end: 2024-07-01", "end: 2019-07-01")
    problems = _problems(broken)
    assert len(problems) == 2, problems
    assert {p.split(":")[0] for p in problems} == {"data/coverage/RU.yaml", "data/coverage/EU.yaml"}


def test_the_validate_command_prints_file_and_line(broken: Path) -> None:
    _edit(broken, EU, 'include: ["01-24"]', 'include: ["01-97"]')
    done = subprocess.run(
        [sys.executable, "-m", "sanctionscope.cli", "validate", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    (line,) = [x for x in done.stderr.splitlines() if "EU-COV-ARMS" in x]
    assert line.startswith("data/coverage/EU.yaml:")
    assert "product_scope:" in _line(broken, line)
