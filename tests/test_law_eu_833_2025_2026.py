"""EU Reg. 833/2014, Annex VII Part B (advanced-technology goods, Art. 2a) and Annex XVIII (luxury
goods, Art. 3h), 2023-2026.

Read in each amending act's own text: the 14th package (Reg. 2024/1745, in force 25 Jun 2024),
the 16th (Reg. 2025/395, 25 Feb 2025) and the 17th (Reg. 2025/932, 21 May 2025) replace
Annex VII as a whole; the 18th (Reg. 2025/1494, 20 Jul 2025) replaces Part B table 5 and the
19th (Reg. 2025/2033, 24 Oct 2025) tables 3, 6 and 8. Transcription A (the acts) is compared
with transcription B (the consolidated text of 24 Jul 2026). The Annex XL flags (EU-CHP) are
written by the importer (``line_flags``) since 2 Dec 2026. Annex XVIII: replaced by the 11th
package (Reg. 2023/1214, 24 Jun 2023) and five of its tables by the 19th (24 Oct 2025).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from sanctionscope.codes import normalise_code
from sanctionscope.engine.answer import Answer, Evaluation, Reason, Verdict
from sanctionscope.engine.catalog import Catalog
from tests.conftest import Ask

VII = "EU-833-ANNEX-VII-B-TECH-EXPORT"
XL = "EU-833-ANNEX-XL-CHPL"
TODAY = date(2026, 11, 30)
EU = Path(__file__).resolve().parents[1] / "data" / "reference" / "transcriptions" / "EU"
LISTED, NOT_LISTED = Reason.listed, Reason.code_not_listed


def _held(real: Catalog, measure: str, day: str) -> set[str]:
    found = real.index(TODAY).measures[measure]
    on = date.fromisoformat(day)
    if not found.active(on):
        return set()
    return {line.code for line in found.lines_on(on)}


def _ev(answer: Answer, measure: str) -> Evaluation:
    found = [ev for ev in answer.considered if ev.measure.id == measure]
    assert found, f"{measure} was not considered: {answer.explanation}"
    return found[0]


@pytest.mark.parametrize(
    ("day", "count"),
    [
        ("2024-02-24", 74),  # the 13th package's Part B
        ("2024-06-24", 74),  # the day before the 14th package
        ("2024-06-25", 82),  # 14th: Annex VII replaced
        ("2025-02-24", 82),
        ("2025-02-25", 88),  # 16th: Annex VII replaced (chromium)
        ("2025-05-20", 88),
        ("2025-05-21", 99),  # 17th: Annex VII replaced (energetic materials, bearings)
        ("2025-07-19", 99),
        ("2025-07-20", 101),  # 18th: table 5 replaced (8456 30, 8456 50)
        ("2025-10-23", 101),
        ("2025-10-24", 112),  # 19th: tables 3, 6 and 8 replaced
        ("2026-07-24", 112),  # the consolidated text read as transcription B
    ],
)
def test_annex_vii_b_size_by_day(real: Catalog, day: str, count: int) -> None:
    assert len(_held(real, VII, day)) == count


BOUNDARIES = [
    ("9006 91 00", "2024-06-24", NOT_LISTED, "camera parts the day before the 14th package"),
    ("9006 91 00", "2024-06-25", LISTED, "camera parts: 14th package"),
    ("8543 70 30", "2024-06-24", NOT_LISTED, "aerial amplifiers the day before the 14th package"),
    ("8543 70 30", "2024-06-25", LISTED, "aerial amplifiers: 14th package"),
    ("8807 30 00", "2024-06-25", LISTED, "parts of aeroplanes and UAVs: 14th package"),
    ("2610 00 00", "2025-02-24", NOT_LISTED, "chromium ores the day before the 16th package"),
    ("2610 00 00", "2025-02-25", LISTED, "chromium ores: 16th package"),
    ("8112 21 90", "2025-02-25", LISTED, "unwrought chromium: 16th package"),
    ("2829 11 00", "2025-05-20", NOT_LISTED, "sodium chlorate the day before the 17th package"),
    ("2829 11 00", "2025-05-21", LISTED, "sodium chlorate: 17th package"),
    ("8482 40 00", "2025-05-20", NOT_LISTED, "needle roller bearings before the 17th package"),
    ("8482 40 00", "2025-05-21", LISTED, "needle roller bearings: 17th package"),
    ("9031 80 20", "2025-05-21", LISTED, "instruments for geometrical quantities: 17th package"),
    ("8456 30 11", "2025-07-19", NOT_LISTED, "electro-discharge machines before the 18th package"),
    ("8456 30 11", "2025-07-20", LISTED, "electro-discharge machines: 18th package, table 5"),
    ("8456 50 00", "2025-07-20", LISTED, "water-jet cutting machines: 18th package, table 5"),
    ("9015 10 00", "2025-10-23", NOT_LISTED, "rangefinders the day before the 19th package"),
    ("9015 10 00", "2025-10-24", LISTED, "rangefinders: 19th package, table 3"),
    ("3912 39 85", "2025-10-24", LISTED, "cellulose ethers: 19th package, table 6"),
    ("8112 92 89", "2025-10-23", NOT_LISTED, "unwrought germanium etc. before the 19th package"),
    ("8112 92 89", "2025-10-24", LISTED, "unwrought germanium etc.: 19th package, table 8"),
    ("8103 20 00", "2025-10-24", LISTED, "unwrought tantalum: 19th package, table 8"),
    ("8541 10 00", "2026-07-24", LISTED, "diodes, listed since the 13th package"),
    ("8482 99 00", "2026-07-24", NOT_LISTED, "bearing parts other than balls, needles, rollers"),
]


@pytest.mark.parametrize(("hs", "day", "reason", "why"), BOUNDARIES, ids=[c[3] for c in BOUNDARIES])
def test_annex_vii_b_boundaries(ask: Ask, hs: str, day: str, reason: Reason, why: str) -> None:
    answer = ask("DE", hs, day, destination="RU")
    assert _ev(answer, VII).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == Verdict.BANNED


def test_annex_vii_b_line_cites_its_annex_part_and_act(ask: Ask) -> None:
    ev = _ev(ask("DE", "8456 50 00", "2025-07-20", destination="RU"), VII)
    assert ev.line is not None and ev.line.annex == "VII" and ev.line.part == "B"
    assert ev.line.act == "EU-REG-2025-1494" and ev.line.start == date(2025, 7, 20)


def _b_codes(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {normalise_code(r["cn_code"], "code") for r in rows}


def test_annex_vii_b_at_2026_07_24_equals_consolidated_b(real: Catalog) -> None:
    b = _b_codes(EU / "B-consolidated-2026-07-24" / "annex_VII_B.tsv")
    assert len(b) == 112
    assert _held(real, VII, "2026-07-24") == b


def test_chpl_items_are_flagged_by_the_importer(real: Catalog) -> None:
    """Every Annex XL line, those the 12th package created and those the 14th added, carries
    EU-CHP; the Annex VII lines (the same goods, banned) carry no flag of their own."""
    for day in ("2023-12-19", "2024-06-25"):
        lines = real.index(TODAY).measures[XL].lines_on(date.fromisoformat(day))
        assert lines and all(line.flags == ("EU-CHP",) for line in lines)
    vii = real.index(TODAY).measures[VII].lines_on(date(2026, 7, 24))
    assert vii and not any(line.flags for line in vii)


# -- Annex XVIII (luxury goods, Art. 3h) after April 2023: the 11th and 19th packages ----------
LUX = "EU-833-ANNEX-XVIII-LUXURY-EXPORT"


@pytest.mark.parametrize(
    ("day", "count"),
    [
        ("2023-06-23", 332),  # as checked against the consolidated text of 27 Apr 2023
        ("2023-06-24", 310),  # 11th package: Annex XVIII replaced
        ("2025-10-23", 310),  # no change by the 12th to the 18th packages
        ("2025-10-24", 281),  # 19th package: tables (15), (16), (17), (20), (23) replaced
    ],
)
def test_annex_xviii_size_by_day(real: Catalog, day: str, count: int) -> None:
    # an ex code listed in two groups is one line of the measure (its wording joins both)
    assert len(_held(real, LUX, day)) == count


LUXURY = [
    ("8703 23 19", "2023-06-23", LISTED, "cars: luxury goods until the 11th package"),
    ("8703 23 19", "2023-06-24", NOT_LISTED, "cars leave Annex XVIII (11th package)"),
    ("8903 21 10", "2023-06-24", NOT_LISTED, "pleasure boats leave Annex XVIII (11th package)"),
    ("9005 10 00", "2023-06-23", LISTED, "binoculars, group (23), any value"),
    ("9005 10 00", "2023-06-24", NOT_LISTED, "binoculars leave Annex XVIII (11th package)"),
    ("8517 13 00", "2025-10-23", LISTED, "smartphones over EUR 750 until the 19th package"),
    ("8517 13 00", "2025-10-24", NOT_LISTED, "smartphones leave table (15) (19th package)"),
    ("8519 81 00", "2025-10-24", NOT_LISTED, "sound apparatus leaves table (16) (19th package)"),
    ("9013 80 90", "2025-10-23", LISTED, "red dot sights, group (23)"),
    ("9013 80 90", "2025-10-24", NOT_LISTED, "red dot sights leave table (23) (19th package)"),
    ("9004 90 90", "2026-07-24", LISTED, "night vision and thermal sight equipment stay"),
    ("8712 00 30", "2026-07-24", LISTED, "bicycles over EUR 5 000 (table (17) of the 19th package)"),
    ("2204 21 00", "2026-07-24", LISTED, "wines: group (4) unchanged since 2022"),
]


@pytest.mark.parametrize(("hs", "day", "reason", "why"), LUXURY, ids=[c[3] for c in LUXURY])
def test_annex_xviii_boundaries(ask: Ask, hs: str, day: str, reason: Reason, why: str) -> None:
    assert _ev(ask("DE", hs, day, destination="RU"), LUX).reason == reason


@pytest.mark.parametrize(
    ("day", "act", "threshold"),
    [
        ("2023-06-23", "EU-REG-2022-428", "EU-833-X-XVIII-VALUE-THRESHOLD"),
        ("2023-06-24", "EU-REG-2023-1214", "EU-833-X-XVIII-VALUE-THRESHOLD-20230624"),
        ("2025-10-23", "EU-REG-2023-1214", "EU-833-X-XVIII-VALUE-THRESHOLD-20230624"),
        ("2025-10-24", "EU-REG-2025-2033", "EU-833-X-XVIII-VALUE-THRESHOLD-20251024"),
    ],
)
def test_table_17_is_rewritten_with_its_title(ask: Ask, day: str, act: str, threshold: str) -> None:
    """Group (17) loses 'except ambulances' (11th) and sets EUR 5 000 for bicycles too (19th):
    its lines start again on those days, and the value threshold stays attestable."""
    answer = ask("DE", "8712 00 30", day, destination="RU")
    ev = _ev(answer, LUX)
    assert ev.reason == LISTED and ev.line is not None and ev.line.act == act
    offered = {e.id for e in ev.by_description}
    assert threshold in offered
    assert any(e.startswith("EU-833-X-EX-XVIII-8712") for e in offered)
    cleared = ask("DE", "8712 00 30", day, destination="RU", attest=(threshold,))
    assert _ev(cleared, LUX).reason == Reason.attested_exception


def test_vessel_derogation_of_the_11th_package(ask: Ask) -> None:
    """Art. 3h(4a) (Reg. 2023/1214): an authorised sale of a cruise ship (CN 8901 10 00) clears the
    luxury-goods ban from 24 Jun 2023; before that day the derogation does not exist."""
    exc = "EU-833-X-XVIII-VESSEL-AUTHORISED-20230624"
    ev = _ev(ask("DE", "8901 10 00", "2023-07-01", destination="RU", attest=(exc,)), LUX)
    assert ev.reason == Reason.attested_exception
    before = ask("DE", "8901 10 00", "2023-06-23", destination="RU")
    assert exc not in {e.id for e in _ev(before, LUX).by_description}
