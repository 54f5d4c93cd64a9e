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
from sanctionscope.engine.answer import Answer, Evaluation, Reason, Verdict
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
    a_2023 = _digits(_rows("EU-REG-2023-2878", "a.tsv", "XL"))
    a_2024 = _digits(_rows("EU-REG-2024-1745", "a.tsv", "XL"))
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
    """The rows of ``annex`` transcribed for the act, whether importable (a.tsv) or held back
    (a-pending.tsv: lists that feed no measure yet, and ex 98, which is no HS chapter)."""
    out: list[dict[str, str]] = []
    for file in ("a.tsv", "a-pending.tsv"):
        path = TRANSCRIPTIONS / folder / file
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
                out += [r for r in rows if r["annex"] == annex]
    return out


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


# -- Annex XXIII (industrial goods export ban, Art. 3k) by date, 11th-19th packages ---------------
IND = "EU-833-ANNEX-XXIII-INDUSTRIAL-EXPORT"
LISTED, NOT_LISTED, ATTESTED = Reason.listed, Reason.code_not_listed, Reason.attested_exception


def _ev(answer: Answer, measure: str) -> Evaluation:
    found = [ev for ev in answer.considered if ev.measure.id == measure]
    assert found, f"{measure} was not considered: {answer.explanation}"
    return found[0]


INDUSTRIAL = [
    ("2508 10", "2023-06-23", NOT_LISTED, "bentonite the day before the 11th package"),
    ("2508 10", "2023-06-24", LISTED, "clays: first listed by the 11th package"),
    ("7201 10", "2023-12-18", NOT_LISTED, "pig iron the day before the 12th package"),
    ("7201 10", "2023-12-19", LISTED, "pig iron: chapter 72 listed whole by the 12th package"),
    ("8504 33", "2024-02-23", LISTED, "transformers 16-500 kVA, listed since 2022"),
    ("8504 10", "2024-02-23", NOT_LISTED, "ballasts the day before the 13th package"),
    ("8504 10", "2024-02-24", LISTED, "heading 8504 listed by the 13th package"),
    ("2602 00", "2024-06-24", NOT_LISTED, "manganese ore the day before the 14th package"),
    ("2602 00", "2024-06-25", LISTED, "manganese ore: 14th package"),
    ("3604 10", "2025-02-24", NOT_LISTED, "fireworks the day before the 16th package"),
    ("3604 10", "2025-02-25", LISTED, "fireworks: 16th package"),
    ("7403 11", "2025-07-19", NOT_LISTED, "refined copper cathodes the day before the 18th package"),
    ("7403 11", "2025-07-20", LISTED, "copper and articles thereof (ex 74): 18th package"),
    ("2501 00", "2025-10-23", NOT_LISTED, "salt the day before the 19th package"),
    ("2501 00", "2025-10-24", LISTED, "chapter 25 listed whole by the 19th package"),
    ("0808 10", "2025-10-24", NOT_LISTED, "apples are not industrial goods"),
]


@pytest.mark.parametrize(("hs", "day", "reason", "why"), INDUSTRIAL, ids=[c[3] for c in INDUSTRIAL])
def test_annex_xxiii_boundaries(ask: Ask, hs: str, day: str, reason: Reason, why: str) -> None:
    answer = ask("DE", hs, day, destination="RU")
    assert _ev(answer, IND).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == Verdict.BANNED


WIND_DOWNS = [
    ("EU-833-X-XXIII-PRIOR-CONTRACT-20230624", "2508 10", "2023-09-25", ATTESTED),
    ("EU-833-X-XXIII-PRIOR-CONTRACT-20230624", "2508 10", "2023-09-26", LISTED),
    ("EU-833-X-XXIII-A-PRIOR-CONTRACT-20231219", "7201 10", "2024-03-20", ATTESTED),
    ("EU-833-X-XXIII-A-PRIOR-CONTRACT-20231219", "7201 10", "2024-03-21", LISTED),
    ("EU-833-X-XXIII-8504-PRIOR-CONTRACT-20240224", "8504 10", "2024-05-25", ATTESTED),
    ("EU-833-X-XXIII-8504-PRIOR-CONTRACT-20240224", "8504 10", "2024-05-26", LISTED),
    ("EU-833-X-XXIII-2602-PRIOR-CONTRACT-20240625", "2602 00", "2024-07-26", ATTESTED),
    ("EU-833-X-XXIII-2602-PRIOR-CONTRACT-20240625", "2602 00", "2024-07-27", LISTED),
    ("EU-833-X-XXIII-D-PRIOR-CONTRACT-20250225", "3604 10", "2025-05-26", ATTESTED),
    ("EU-833-X-XXIII-D-PRIOR-CONTRACT-20250225", "3604 10", "2025-05-27", LISTED),
    ("EU-833-X-XXIII-G-PRIOR-CONTRACT-20251024", "2501 00", "2026-01-25", ATTESTED),
    ("EU-833-X-XXIII-G-PRIOR-CONTRACT-20251024", "2501 00", "2026-01-26", LISTED),
    ("EU-833-X-XXIII-6902-6909-PRIOR-CONTRACT-20251024", "6902 10", "2026-04-25", ATTESTED),
    ("EU-833-X-XXIII-6902-6909-PRIOR-CONTRACT-20251024", "6902 10", "2026-04-26", LISTED),
]


@pytest.mark.parametrize(
    ("exc", "hs", "day", "reason"), WIND_DOWNS, ids=[f"{w[0]}@{w[2]}" for w in WIND_DOWNS]
)
def test_annex_xxiii_wind_downs(ask: Ask, exc: str, hs: str, day: str, reason: Reason) -> None:
    answer = ask("DE", hs, day, destination="RU", attest=(exc,))
    assert _ev(answer, IND).reason == reason, answer.explanation
    if reason == LISTED:
        assert exc in answer.attest_not_applied


def test_wind_down_of_annex_xxiiia_is_not_offered_for_goods_listed_before(ask: Ask) -> None:
    # machining centres were listed before the 12th package: no XXIIIA wind-down for them
    exc = [e.id for e in ask("DE", "8457 10", "2024-01-10", destination="RU").exceptions]
    assert "EU-833-X-XXIII-A-PRIOR-CONTRACT-20231219" not in exc
    assert "EU-833-X-XXIII-A-PRIOR-CONTRACT-20231219" in [
        e.id for e in ask("DE", "7201 10", "2024-01-10", destination="RU").exceptions
    ]


def test_as_known_on_before_the_19th_package(ask: Ask) -> None:
    early = ask("DE", "2501 00", "2025-11-01", destination="RU", known="2025-10-22")
    assert _ev(early, IND).reason == NOT_LISTED
    assert _ev(ask("DE", "2501 00", "2025-11-01", destination="RU"), IND).reason == LISTED


@pytest.mark.parametrize(
    ("day", "count"),
    [
        ("2023-06-24", 591),  # 11th package: 592 lines, ex 98 held back (no HS chapter)
        ("2023-12-19", 541),  # 12th
        ("2024-02-24", 539),  # 13th: 8504 in, 8504 32/33/34 out
        ("2024-06-25", 500),  # 14th
        ("2025-02-25", 499),  # 16th
        ("2025-07-20", 519),  # 18th
        ("2025-10-24", 508),  # 19th
    ],
)
def test_annex_xxiii_holds_each_replacement_whole(real: Catalog, day: str, count: int) -> None:
    # each package's list is held entire on its first day: no line lost in the diff
    measure = real.index(TODAY).measures[IND]
    assert len(measure.lines_on(date.fromisoformat(day))) == count


# -- Annex XXI (revenue goods import ban, Art. 3i) and Annex XXII (coal) in the 11th package -----
REV, COAL = "EU-833-ANNEX-XXI-REVENUE-IMPORT", "EU-833-ANNEX-XXII-COAL-IMPORT"
IMPORTS = [
    (COAL, "2701 12", "2023-06-23", LISTED, "coal under Art. 3j the day before the 11th package"),
    (COAL, "2701 12", "2023-06-24", Reason.no_longer_in_force, "Art. 3j and Annex XXII deleted by 2023/1214"),
    (REV, "2701 12", "2023-06-24", LISTED, "coal moved into Annex XXI"),
    (REV, "2905 11", "2023-06-24", LISTED, "methanol: 2905 listed whole by 2023/1214"),
    (REV, "4011 10", "2024-01-01", LISTED, "new tyres, listed since 2022 and kept"),
    (REV, "2825 20", "2024-01-01", Reason.code_exception, "lithium oxide stays outside ex 2825"),
]


@pytest.mark.parametrize(("measure", "hs", "day", "reason", "why"), IMPORTS, ids=[c[4] for c in IMPORTS])
def test_annex_xxi_after_the_11th_package(
    ask: Ask, measure: str, hs: str, day: str, reason: Reason, why: str
) -> None:
    answer = ask("RU", hs, day, destination="DE")
    assert _ev(answer, measure).reason == reason, answer.explanation


QUOTAS = [
    ("7201 10", "2023-12-18", None, NOT_LISTED),  # pig iron the day before the 12th package
    ("7201 10", "2023-12-19", None, LISTED),
    ("7201 10", "2025-12-31", "EU-833-X-XXI-PIG-IRON-QUOTA", ATTESTED),  # within the 2025 quota
    ("7201 10", "2026-01-01", "EU-833-X-XXI-PIG-IRON-QUOTA", LISTED),  # the quotas end with 2025
    ("2711 12", "2024-12-20", "EU-833-X-XXI-LPG-FERROALLOY-PRIOR-CONTRACT-20231219", ATTESTED),
    ("2711 12", "2024-12-21", "EU-833-X-XXI-LPG-FERROALLOY-PRIOR-CONTRACT-20231219", LISTED),
    ("7408 11", "2024-03-20", "EU-833-X-XXI-METALS-PRIOR-CONTRACT-20231219", ATTESTED),
    ("7408 11", "2024-03-21", "EU-833-X-XXI-METALS-PRIOR-CONTRACT-20231219", LISTED),
]


@pytest.mark.parametrize(("hs", "day", "exc", "reason"), QUOTAS, ids=[f"{q[0]}@{q[1]}" for q in QUOTAS])
def test_annex_xxi_12th_package_quotas_and_wind_downs(
    ask: Ask, hs: str, day: str, exc: str | None, reason: Reason
) -> None:
    answer = ask("RU", hs, day, destination="DE", attest=(exc,) if exc else ())
    assert _ev(answer, REV).reason == reason, answer.explanation


LATER_XXI = [
    ("2804 29 10", "2024-06-24", None, NOT_LISTED),  # helium the day before the 14th package
    ("2804 29 10", "2024-06-25", None, LISTED),
    ("7601 10", "2025-02-24", None, NOT_LISTED),  # unwrought aluminium before the 16th package
    ("7601 10", "2025-03-01", "EU-833-X-XXI-ALUMINIUM-QUOTA", ATTESTED),
    (
        "7601 10",
        "2025-03-01",
        "EU-833-X-XXI-ALUMINIUM-PRIOR-CONTRACT-20250225",
        LISTED,
    ),  # from 26 Feb 2026 only
    ("7601 10", "2026-03-01", "EU-833-X-XXI-ALUMINIUM-PRIOR-CONTRACT-20250225", ATTESTED),
    ("2901 10 00", "2025-10-23", None, Reason.code_exception),  # outside ex 2901 until the 19th package
    ("2901 10 00", "2025-10-24", None, LISTED),
    ("2901 10 00", "2026-01-25", "EU-833-X-XXI-2901-PRIOR-CONTRACT-20251024", ATTESTED),
    ("2901 10 00", "2026-01-26", "EU-833-X-XXI-2901-PRIOR-CONTRACT-20251024", LISTED),
]


@pytest.mark.parametrize(
    ("hs", "day", "exc", "reason"), LATER_XXI, ids=[f"{q[0]}@{q[1]}:{q[2]}" for q in LATER_XXI]
)
def test_annex_xxi_14th_16th_19th_packages(
    ask: Ask, hs: str, day: str, exc: str | None, reason: Reason
) -> None:
    answer = ask("RU", hs, day, destination="DE", attest=(exc,) if exc else ())
    assert _ev(answer, REV).reason == reason, answer.explanation
