"""EU Reg. 833/2014, packages of June 2023 to 2026, on the embedded data.

Encoded so far: Annex XL, the Common High Priority items, introduced by Reg. 2023/2878 (12th
package, in force 19 Dec 2023: 45 HS-6 items) and replaced by Reg. 2024/1745 (14th package,
in force 25 Jun 2024: 50 items, the five CNC machine-tool items added); Reg. 2025/2033 changed
only its title. It is held as a list whose lines carry the flag EU-CHP and which never decides
a verdict. Transcription A (the amending acts) is compared with transcription B (the
consolidated text of 24 Jul 2026) line by line.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from sanctionscope.codes import normalise_code
from sanctionscope.engine.catalog import Catalog
from sanctionscope.model.acts import CODED_TYPES
from tests.conftest import Ask

XL = "EU-833-ANNEX-XL-CHPL"
TODAY = date(2026, 11, 30)
TRANSCRIPTIONS = Path(__file__).resolve().parents[1] / "data" / "reference" / "transcriptions" / "EU"
MACHINE_TOOLS = {"845710", "845811", "845891", "845961", "846693"}


def _codes(path: Path, column: str) -> set[str]:
    with path.open(encoding="utf-8") as fh:
        return {
            normalise_code(r[column], "code")
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        }


def _held(real: Catalog, day: str) -> set[str]:
    measure = real.index(TODAY).measures[XL]
    if not measure.active(date.fromisoformat(day)):
        return set()
    return {line.code for line in measure.lines_on(date.fromisoformat(day))}


@pytest.mark.parametrize(
    ("day", "count"),
    [
        ("2023-12-18", 0),  # the day before Reg. 2023/2878 entered into force
        ("2023-12-19", 45),  # Annex XL added
        ("2024-06-24", 45),  # the day before Reg. 2024/1745
        ("2024-06-25", 50),  # Annex XL replaced: five machine-tool items added
        ("2025-10-24", 50),  # Reg. 2025/2033 changed only the title
        ("2026-07-24", 50),  # the consolidated text read as transcription B
    ],
)
def test_chpl_list_size_by_day(real: Catalog, day: str, count: int) -> None:
    assert len(_held(real, day)) == count


@pytest.mark.parametrize(
    ("code", "day", "held"),
    [
        ("854231", "2023-12-19", True),  # processors: tier 1
        ("848210", "2023-12-19", True),  # ball bearings
        ("880730", "2023-12-19", True),  # parts of aeroplanes and UAVs
        ("845710", "2024-06-24", False),  # machining centres: not before the 14th package
        ("845710", "2024-06-25", True),
        ("846693", "2024-06-25", True),
        ("848240", "2026-07-24", False),  # needle roller bearings are not CHP items
        ("854290", "2026-07-24", False),  # parts of integrated circuits are not CHP items
    ],
)
def test_chpl_items_by_day(real: Catalog, code: str, day: str, held: bool) -> None:
    assert (code in _held(real, day)) is held


def test_every_chpl_line_carries_the_flag(real: Catalog) -> None:
    lines = real.index(TODAY).measures[XL].lines_on(date(2026, 7, 24))
    assert lines and all(line.flags == ("EU-CHP",) and line.annex == "XL" for line in lines)


def test_chpl_list_never_decides(real: Catalog, ask: Ask) -> None:
    assert real.index(TODAY).measures[XL].type not in CODED_TYPES
    answer = ask("DE", "8542 31", "2024-01-10", destination="RU")
    assert XL not in [ev.measure.id for ev in answer.deciding]


def test_transcription_a_equals_the_act_files(real: Catalog) -> None:
    a_2023 = _codes(TRANSCRIPTIONS / "EU-REG-2023-2878" / "a-annex-XL.tsv", "code")
    a_2024 = _codes(TRANSCRIPTIONS / "EU-REG-2024-1745" / "a-annex-XL.tsv", "code")
    assert len(a_2023) == 45 and len(a_2024) == 50
    assert _held(real, "2023-12-19") == a_2023
    assert _held(real, "2024-06-25") == a_2024
    assert a_2024 - a_2023 == MACHINE_TOOLS


def test_a_at_2026_07_24_equals_consolidated_b(real: Catalog) -> None:
    b = _codes(TRANSCRIPTIONS / "B-consolidated-2026-07-24" / "annex_XL.tsv", "hs6_code")
    assert len(b) == 50
    assert _held(real, "2026-07-24") == b


# -- Annex XXIII as replaced by each package (transcription A), checked against itself and B --
def _rows(folder: str, name: str, annex: str) -> list[dict[str, str]]:
    with (TRANSCRIPTIONS / folder / name).open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [r for r in rows if r["annex"] == annex]


def _digits(rows: list[dict[str, str]]) -> set[str]:
    return {normalise_code(r["code"], "code") for r in rows}


XXIII = [
    ("EU-REG-2023-1214", "a.tsv", 592),  # 11th package, 24 Jun 2023
    ("EU-REG-2023-2878", "a-pending.tsv", 542),  # 12th, 19 Dec 2023
    ("EU-REG-2024-1745", "a-pending.tsv", 501),  # 14th, 25 Jun 2024
    ("EU-REG-2025-395", "a.tsv", 500),  # 16th, 25 Feb 2025
    ("EU-REG-2025-1494", "a.tsv", 520),  # 18th, 20 Jul 2025
    ("EU-REG-2025-2033", "a.tsv", 509),  # 19th, 24 Oct 2025
]


@pytest.mark.parametrize(("folder", "name", "count"), XXIII, ids=[x[0] for x in XXIII])
def test_annex_xxiii_replacements_are_complete_lists(folder: str, name: str, count: int) -> None:
    rows = _rows(folder, name, "XXIII")
    assert len(rows) == count
    assert all(r["op"] == "replace" and r["part"] == "" for r in rows)
    assert len(_digits(rows)) == count  # no code twice
    assert normalise_code("98", "code") in _digits(rows)  # ex 98 complete industrial plants ends each list


def _covered(code: str, lines: set[str]) -> bool:
    return any(code.startswith(line) for line in lines)


WIND_DOWN_LISTS = [
    ("EU-REG-2023-2878", "a-pending.tsv", "XXIIIA", set()),
    ("EU-REG-2023-2878", "a-pending.tsv", "XXIIIB", set()),
    ("EU-REG-2024-1745", "a-pending.tsv", "XXIIIC", {"8609"}),  # listed in XXIIIC, not in XXIII
    ("EU-REG-2025-395", "a.tsv", "XXIIID", set()),
    ("EU-REG-2025-2033", "a.tsv", "XXIIIG", set()),
]


@pytest.mark.parametrize(
    ("folder", "name", "annex", "outside"), WIND_DOWN_LISTS, ids=[w[2] for w in WIND_DOWN_LISTS]
)
def test_wind_down_lists_lie_under_the_same_acts_annex_xxiii(
    folder: str, name: str, annex: str, outside: set[str]
) -> None:
    xxiii = _digits(_rows(folder, name, "XXIII"))
    listed = _digits(_rows(folder, name, annex))
    assert listed
    assert {c for c in listed if not _covered(c, xxiii)} == outside


def test_16th_package_adds_exactly_the_headings_of_annex_xxiiid() -> None:
    before = _digits(_rows("EU-REG-2024-1745", "a-pending.tsv", "XXIII"))
    after = _digits(_rows("EU-REG-2025-395", "a.tsv", "XXIII"))
    xxiiid = _digits(_rows("EU-REG-2025-395", "a.tsv", "XXIIID"))
    assert after - before == {c[:4] for c in xxiiid}


def test_13th_package_transformer_change_matches_the_12th_and_14th_lists() -> None:
    twelfth = _digits(_rows("EU-REG-2023-2878", "a-pending.tsv", "XXIII"))
    fourteenth = _digits(_rows("EU-REG-2024-1745", "a-pending.tsv", "XXIII"))
    thirteenth = _rows("EU-REG-2024-745", "a.tsv", "XXIII")
    removed = {normalise_code(r["code"], "code") for r in thirteenth if r["op"] == "remove"}
    added = {normalise_code(r["code"], "code") for r in thirteenth if r["op"] == "add"}
    assert removed == {"850432", "850433", "850434"} and removed <= twelfth and not removed & fourteenth
    assert added == {"8504"} and "8504" not in twelfth and "8504" in fourteenth


def test_annex_xxiii_on_2026_07_24_against_consolidated_b() -> None:
    # A: the 19th package's list (the last replacement held); B: the first records of the
    # consolidated text. B's parser drops two-digit chapter rows: 25 and 26 are only in A.
    a = _digits(_rows("EU-REG-2025-2033", "a.tsv", "XXIII"))
    b = _codes(TRANSCRIPTIONS / "B-consolidated-2026-07-24" / "annex_XXIII_prefix.tsv", "cn_code")
    prefix = {c for c in a if c < "2833"}
    assert b <= a
    assert prefix - b == {"25", "26"}
