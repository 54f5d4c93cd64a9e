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
        return {normalise_code(r[column], "code") for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}


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
