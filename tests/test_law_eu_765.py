"""EU goods measures on Belarus (Reg. 765/2006 as amended 2021-2023) on the embedded data.

Cases come from the amending regulations as their own text states them (read in
legalize-dev/legalize-eu; transcriptions in data/reference/transcriptions/EU-765/):
Reg. 2021/1030 (from 25 Jun 2021: tobacco-manufacturing goods, Annex VI; petroleum products,
Annex VII; potash, Annex VIII, each without prejudice to contracts concluded before
25 Jun 2021), Reg. 2022/212 (from 19 Feb 2022: the potash contract clause reworded),
Reg. 2022/355 (from 3 Mar 2022: wood, cement, iron and steel, tyres, machinery, with a
wind-down to 4 Jun 2022; Annexes VI-VIII replaced, potash the whole of CN 3104 20) and
Reg. 2023/1594 (from 5 Aug 2023: Annex Va Part B, firearms, aviation goods).
"""

from __future__ import annotations

import pytest

from sanctionscope.engine.answer import Answer, Evaluation, Reason, Verdict
from tests.conftest import Ask

B = Verdict.BANNED
LISTED, NOT_LISTED, NOT_TARGETED = Reason.listed, Reason.code_not_listed, Reason.origin_not_targeted
NOT_YET, ATTESTED = Reason.not_yet_in_force, Reason.attested_exception

TOBACCO, MINERAL, POTASH = "EU-765-ANNEX-VI-TOBACCO", "EU-765-ANNEX-VII-MINERAL", "EU-765-ANNEX-VIII-POTASH"
WOOD, CEMENT, STEEL = "EU-765-ANNEX-X-WOOD", "EU-765-ANNEX-XI-CEMENT", "EU-765-ANNEX-XII-IRON-STEEL"
RUBBER, MACHINERY = "EU-765-ANNEX-XIII-RUBBER", "EU-765-ANNEX-XIV-MACHINERY"
VA_B, FIREARMS, AVIATION = "EU-765-ANNEX-VA-PART-B", "EU-765-ANNEX-XVI-FIREARMS", "EU-765-ANNEX-XVII-AVIATION"


def _ev(answer: Answer, measure: str) -> Evaluation:
    found = [ev for ev in answer.considered if ev.measure.id == measure]
    assert found, f"{measure} was not considered: {answer.explanation}"
    return found[0]


# -- imports from Belarus into the EU (origin BY, destination DE) ---------------------------
IMPORTS = [
    (POTASH, "3104 20 90", "2021-06-24", NOT_YET, "potash the day before 2021/1030"),
    (POTASH, "3104 20 90", "2021-06-25", LISTED, "potash > 62 % K2O from 25 Jun 2021"),
    (POTASH, "3104 20 10", "2021-06-25", LISTED, "potash <= 40 % K2O from 25 Jun 2021"),
    (
        POTASH,
        "3104 20 50",
        "2022-02-19",
        NOT_LISTED,
        "40-62 % K2O not listed by 2021/1030, 2022/212",
    ),
    (POTASH, "3104 20 50", "2022-03-02", NOT_LISTED, "the day before 2022/355"),
    (POTASH, "3104 20 50", "2022-03-03", LISTED, "2022/355: the whole of CN 3104 20"),
    (POTASH, "3105 20 10", "2023-01-01", LISTED, "NPK fertilisers"),
    (POTASH, "3105 60 00", "2023-01-01", LISTED, "PK fertilisers"),
    (POTASH, "3102 10", "2023-01-01", NOT_LISTED, "urea is not a potash product"),
    (MINERAL, "2710 19 43", "2021-06-25", LISTED, "gas oil: petroleum products of Annex VII"),
    (MINERAL, "2711 12", "2022-01-01", LISTED, "propane"),
    (MINERAL, "2707 50", "2022-03-02", NOT_LISTED, "coal-tar aromatics before 2022/355"),
    (MINERAL, "2707 50", "2022-03-03", LISTED, "coal-tar aromatics added by 2022/355"),
    (MINERAL, "2709 00", "2023-01-01", NOT_LISTED, "crude oil is not in Annex VII (until 2024)"),
    (WOOD, "4407 11", "2022-03-02", NOT_YET, "sawn pine the day before 2022/355"),
    (WOOD, "4407 11", "2022-03-03", LISTED, "sawn pine: chapter 44"),
    (WOOD, "4418 10", "2023-06-01", LISTED, "wooden windows: chapter 44"),
    (WOOD, "9403 60", "2023-06-01", NOT_LISTED, "wooden furniture is chapter 94"),
    (CEMENT, "2523 29", "2022-03-03", LISTED, "Portland cement"),
    (CEMENT, "6810 11", "2022-03-03", LISTED, "concrete building blocks"),
    (CEMENT, "6811 40", "2022-03-03", NOT_LISTED, "asbestos-cement articles are not in Annex XI"),
    (STEEL, "7208 51", "2022-03-03", LISTED, "flat-rolled steel: chapter 72"),
    (STEEL, "7308 90", "2022-03-03", LISTED, "steel structures: chapter 73"),
    (STEEL, "7403 11", "2022-03-03", NOT_LISTED, "refined copper is chapter 74"),
    (RUBBER, "4011 10", "2022-03-03", LISTED, "new car tyres"),
    (RUBBER, "4012 11", "2022-03-03", NOT_LISTED, "retreaded tyres are not new pneumatic tyres"),
]


@pytest.mark.parametrize(("measure", "hs", "day", "reason", "why"), IMPORTS, ids=[c[4] for c in IMPORTS])
def test_imports_from_belarus(ask: Ask, measure: str, hs: str, day: str, reason: Reason, why: str) -> None:
    answer = ask("BY", hs, day, destination="DE")
    assert _ev(answer, measure).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B
        assert measure in [ev.measure.id for ev in answer.deciding]


# -- exports from the EU to Belarus (origin DE, destination BY) -----------------------------
EXPORTS = [
    (TOBACCO, "8478 10", "2021-06-24", NOT_YET, "tobacco machinery the day before 2021/1030"),
    (TOBACCO, "8478 10", "2021-06-25", LISTED, "tobacco machinery from 25 Jun 2021"),
    (TOBACCO, "4813 10", "2021-06-25", LISTED, "cigarette paper"),
    (TOBACCO, "8208 90 00", "2022-03-02", NOT_LISTED, "knives and blades before 2022/355"),
    (TOBACCO, "8208 90 00", "2022-03-03", LISTED, "knives and blades (ex) from 2022/355"),
    (MACHINERY, "8429 52", "2022-03-02", NOT_YET, "excavators the day before 2022/355"),
    (MACHINERY, "8429 52", "2022-03-03", LISTED, "excavators: Annex XIV"),
    (MACHINERY, "8471 30", "2022-06-01", LISTED, "laptops: 8471 is in Annex XIV"),
    (MACHINERY, "8414 80", "2022-06-01", NOT_LISTED, "air compressors: 8414 is not in Annex XIV"),
    (MACHINERY, "8418 61", "2022-06-01", LISTED, "heat pumps: ex 8418"),
    (VA_B, "8542 31", "2023-08-04", NOT_YET, "processors the day before 2023/1594"),
    (VA_B, "8542 31", "2023-08-05", LISTED, "processors: Annex Va Part B"),
    (VA_B, "9013 80", "2023-08-05", LISTED, "optical devices: Annex Va Part B"),
    (FIREARMS, "9303 20", "2023-08-05", LISTED, "sporting shotguns: Annex XVI"),
    (FIREARMS, "9304 00", "2023-08-05", LISTED, "air guns: ex 9304"),
    (AVIATION, "8411 91", "2023-08-04", NOT_YET, "turbojet parts the day before 2023/1594"),
    (AVIATION, "8411 91", "2023-08-05", LISTED, "turbojet parts: Annex XVII"),
    (AVIATION, "8802 11", "2023-08-05", LISTED, "helicopters: chapter 88"),
    (AVIATION, "4011 30 00", "2023-08-05", LISTED, "aircraft tyres"),
    (AVIATION, "4011 10", "2023-08-05", NOT_LISTED, "car tyres are not aviation goods"),
]


@pytest.mark.parametrize(("measure", "hs", "day", "reason", "why"), EXPORTS, ids=[c[4] for c in EXPORTS])
def test_exports_to_belarus(ask: Ask, measure: str, hs: str, day: str, reason: Reason, why: str) -> None:
    answer = ask("DE", hs, day, destination="BY")
    assert _ev(answer, measure).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B
        assert measure in [ev.measure.id for ev in answer.deciding]


def test_potash_ban_targets_belarus_only(ask: Ask) -> None:
    assert _ev(ask("RU", "3104 20 50", "2022-06-01", destination="DE"), POTASH).reason == NOT_TARGETED


# -- wind-downs and contract clauses: attestable, each with its period ----------------------
WINDOWS = [
    (WOOD, "EU-765-X-1O-CONTRACTS-2022", "BY", "DE", "4407 11", "2022-03-03", ATTESTED),
    (WOOD, "EU-765-X-1O-CONTRACTS-2022", "BY", "DE", "4407 11", "2022-06-04", ATTESTED),
    (WOOD, "EU-765-X-1O-CONTRACTS-2022", "BY", "DE", "4407 11", "2022-06-05", LISTED),
    (CEMENT, "EU-765-X-1P-CONTRACTS-2022", "BY", "DE", "2523 29", "2022-06-04", ATTESTED),
    (STEEL, "EU-765-X-1Q-CONTRACTS-2022", "BY", "DE", "7208 51", "2022-06-05", LISTED),
    (RUBBER, "EU-765-X-1R-CONTRACTS-2022", "BY", "DE", "4011 10", "2022-06-04", ATTESTED),
    (MACHINERY, "EU-765-X-1S-CONTRACTS-2022", "DE", "BY", "8429 52", "2022-06-04", ATTESTED),
    (MACHINERY, "EU-765-X-1S-CONTRACTS-2022", "DE", "BY", "8429 52", "2022-06-05", LISTED),
    (POTASH, "EU-765-X-1I-CONTRACTS-2021", "BY", "DE", "3104 20 90", "2022-02-18", ATTESTED),
    (POTASH, "EU-765-X-1I-CONTRACTS-2021", "BY", "DE", "3104 20 90", "2022-02-19", LISTED),
    (POTASH, "EU-765-X-1I-CONTRACTS-2021-FRAMEWORK", "BY", "DE", "3104 20 90", "2022-03-02", ATTESTED),
    (POTASH, "EU-765-X-1I-CONTRACTS-2021-FRAMEWORK", "BY", "DE", "3104 20 90", "2022-03-03", LISTED),
    (MINERAL, "EU-765-X-1H-CONTRACTS-2021", "BY", "DE", "2710 19 43", "2022-03-02", ATTESTED),
    (MINERAL, "EU-765-X-1H-CONTRACTS-2021", "BY", "DE", "2710 19 43", "2022-03-03", LISTED),
    (AVIATION, "EU-765-X-1SA-CONTRACTS-2023", "DE", "BY", "8802 11", "2023-09-04", ATTESTED),
    (AVIATION, "EU-765-X-1SA-CONTRACTS-2023", "DE", "BY", "8802 11", "2023-09-05", LISTED),
    (VA_B, "EU-765-X-1F-EU-JOINT-VENTURE", "DE", "BY", "8541 30", "2024-02-06", ATTESTED),
    (VA_B, "EU-765-X-1F-EU-JOINT-VENTURE", "DE", "BY", "8541 30", "2024-02-07", LISTED),
]


@pytest.mark.parametrize(
    ("measure", "exc", "origin", "dest", "hs", "day", "reason"),
    WINDOWS,
    ids=[f"{c[1]}@{c[5]}" for c in WINDOWS],
)
def test_wind_down_windows(
    ask: Ask, measure: str, exc: str, origin: str, dest: str, hs: str, day: str, reason: Reason
) -> None:
    answer = ask(origin, hs, day, destination=dest, attest=(exc,))
    assert _ev(answer, measure).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B
        assert exc in answer.attest_not_applied


def test_wind_down_is_listed_until_it_ends(ask: Ask) -> None:
    exc = "EU-765-X-1O-CONTRACTS-2022"
    assert exc in [e.id for e in ask("BY", "4407 11", "2022-06-04", destination="DE").exceptions]
    assert exc not in [e.id for e in ask("BY", "4407 11", "2022-06-05", destination="DE").exceptions]


def test_joint_venture_derogation_only_for_its_four_codes(ask: Ask) -> None:
    exc = "EU-765-X-1F-EU-JOINT-VENTURE"
    assert exc in [e.id for e in ask("DE", "8541 60", "2023-09-01", destination="BY").exceptions]
    assert exc not in [e.id for e in ask("DE", "8541 10", "2023-09-01", destination="BY").exceptions]


# -- "ex" lines: the code cannot decide, the description exception is attestable -------------
EX_LINES = [
    ("BY", "DE", POTASH, "3105 90 20", "2022-06-01", "EU-765-X-EX-VIII-31059020"),
    ("DE", "BY", TOBACCO, "3302 90 10", "2022-06-01", "EU-765-X-EX-VI-330290"),
    ("DE", "BY", MACHINERY, "8418 10", "2022-06-01", "EU-765-X-EX-XIV-8418"),
    ("DE", "BY", AVIATION, "2710 19 99", "2023-09-01", "EU-765-X-EX-XVII-27101999"),
]


@pytest.mark.parametrize(
    ("origin", "dest", "measure", "hs", "day", "exc"), EX_LINES, ids=[c[5] for c in EX_LINES]
)
def test_ex_lines(ask: Ask, origin: str, dest: str, measure: str, hs: str, day: str, exc: str) -> None:
    answer = ask(origin, hs, day, destination=dest)
    assert _ev(answer, measure).reason == LISTED
    assert exc in [e.id for e in answer.exceptions]
    cleared = ask(origin, hs, day, destination=dest, attest=(exc,))
    assert _ev(cleared, measure).reason == ATTESTED


def test_replaced_ex_line_4823_90(ask: Ask) -> None:
    # 2021/1030 listed 'ex 4823 90 85' (filters); 2022/355 widened it to 'ex 4823 90'
    assert _ev(ask("DE", "4823 90 40", "2022-03-02", destination="BY"), TOBACCO).reason == NOT_LISTED
    assert _ev(ask("DE", "4823 90 40", "2022-03-03", destination="BY"), TOBACCO).reason == LISTED


def test_as_known_on_before_the_wood_ban_was_published(ask: Ask) -> None:
    early = ask("BY", "4407 11", "2022-03-05", destination="DE", known="2022-03-01")
    assert WOOD not in [ev.measure.id for ev in early.considered]
    assert ask("BY", "4407 11", "2022-03-05", destination="DE", known="2022-03-02").verdict == B


# -- coverage: the EU side of EU <-> Belarus trade -------------------------------------------
COVERAGE = [
    ("BY", "DE", "0808 10", "2022-06-05", "import", "EU-IMPORT-BY-2021-2024"),
    ("BY", "DE", "0808 10", "2024-06-30", "import", "EU-IMPORT-BY-2021-2024"),
    ("BY", "DE", "0808 10", "2024-07-01", "import", None),
    ("BY", "DE", "8471 30", "2022-06-05", "import", None),
    ("DE", "BY", "2204 21", "2023-01-01", "export", "EU-EXPORT-BY-2021-2024"),
    ("DE", "BY", "2204 21", "2024-07-01", "export", None),
    ("DE", "BY", "8414 80", "2023-01-01", "export", None),
]


@pytest.mark.parametrize(("origin", "dest", "hs", "day", "direction", "decl"), COVERAGE)
def test_eu_side_coverage(
    ask: Ask, origin: str, dest: str, hs: str, day: str, direction: str, decl: str | None
) -> None:
    answer = ask(origin, hs, day, destination=dest)
    assert answer.coverage is not None
    sides = [s for s in answer.coverage.sides if s.imposer == "EU" and s.direction.value == direction]
    assert sides, answer.explanation
    side = sides[0]
    if decl is None:
        assert side.status.value != "vouched", answer.explanation
    else:
        assert side.status.value == "vouched", answer.explanation
        assert side.declaration is not None and side.declaration.id == decl
