"""EU goods measures on Belarus added by Reg. (EU) 2024/1865 (from 1 Jul 2024) on the embedded data.

Cases come from the act's own text (read in legalize-dev/legalize-eu eu/85/32024R1865.md;
transcription in data/reference/transcriptions/EU-765/EU-REG-2024-1865/): Art. 1bb and
Annex XVIII (industrial-capacity goods, export; wind-down to 2 Oct 2024, manganese ores
to 2 Aug 2024, CN 8708 99 to 2 Jan 2025), Art. 1gc and Annex XX (refining and LNG goods,
export), Art. 1ga and Annex XXV (luxury goods above EUR 300 per item, export), Art. 1h and
Annex XXIII (crude oil, import), Art. 1ra and Annex XXVII (revenue goods, import), Art. 1rb
and Annexes XXI, XXII (gold exported from Belarus after 1 Jul 2024), Art. 1rc and Annex XXIX
(diamonds), and the replaced Annex Va Part B; and by Reg. (EU) 2025/392 (from 25 Feb 2025:
Annex XVIII and Annex Va Part B replaced, unwrought aluminium added to Annex XXVII with a
wind-down to 26 May 2025, the exemptions of Art. 1f(3) narrowed, derogations for civilian
electronic communications networks; read in eu/2c/32025R0392.md) and by Reg. (EU) 2025/1472
(from 20 Jul 2025: Annex XVIII replaced and widened, with wind-downs to 21 Oct 2025 and
21 Jan 2026; Annex Va Part B tables 5, 6 and 9 replaced; read in eu/6d/32025R1472.md) and by
Reg. (EU) 2025/2041 (from 24 Oct 2025: Annex XVIII replaced, chapters 25 and 26 whole; Annex XXV
groups (8)-(10) replaced; all acyclic hydrocarbons in Annex XXVII; read in eu/86/32025R2041.md).
"""

from __future__ import annotations

import pytest

from sanctionscope.engine.answer import Answer, Evaluation, Reason, Verdict
from tests.conftest import Ask

B = Verdict.BANNED
LISTED, NOT_LISTED, NOT_TARGETED = Reason.listed, Reason.code_not_listed, Reason.origin_not_targeted
NOT_YET, ATTESTED = Reason.not_yet_in_force, Reason.attested_exception

INDUSTRIAL, REFINING, LUXURY = (
    "EU-765-ANNEX-XVIII-INDUSTRIAL",
    "EU-765-ANNEX-XX-REFINING",
    "EU-765-ANNEX-XXV-LUXURY",
)
GOLD, GOLD_JEWELLERY, CRUDE = (
    "EU-765-ANNEX-XXI-GOLD",
    "EU-765-ANNEX-XXII-GOLD-JEWELLERY",
    "EU-765-ANNEX-XXIII-CRUDE-OIL",
)
REVENUE, DIAMONDS = "EU-765-ANNEX-XXVII-REVENUE", "EU-765-ANNEX-XXIX-DIAMONDS"
MINERAL, VA_B = "EU-765-ANNEX-VII-MINERAL", "EU-765-ANNEX-VA-PART-B"


def _ev(answer: Answer, measure: str) -> Evaluation:
    found = [ev for ev in answer.considered if ev.measure.id == measure]
    assert found, f"{measure} was not considered: {answer.explanation}"
    return found[0]


# -- imports from Belarus into the EU (origin BY, destination DE) ---------------------------
IMPORTS = [
    (REVENUE, "2701 12", "2024-06-30", NOT_YET, "coal the day before 2024/1865"),
    (REVENUE, "2701 12", "2024-07-01", LISTED, "coal: Annex XXVII"),
    (REVENUE, "1604 31 00", "2024-07-01", LISTED, "caviar: Annex XXVII"),
    (REVENUE, "0306 17", "2024-07-01", LISTED, "frozen shrimps: crustaceans, heading 0306"),
    (REVENUE, "2208 30", "2024-07-01", LISTED, "whisky: spirits, heading 2208"),
    (REVENUE, "8703 23", "2024-07-01", LISTED, "cars: heading 8703"),
    (REVENUE, "0808 10", "2024-07-01", NOT_LISTED, "apples are not in Annex XXVII"),
    (REVENUE, "2204 21", "2024-07-01", NOT_LISTED, "wine is not in Annex XXVII"),
    (CRUDE, "2709 00", "2024-06-30", NOT_YET, "crude oil the day before 2024/1865"),
    (CRUDE, "2709 00 90", "2024-07-01", LISTED, "crude oil: ex 2709 00, Annex XXIII"),
    (MINERAL, "2709 00 90", "2024-07-01", NOT_LISTED, "crude oil is still not in Annex VII"),
    (GOLD, "7108 12", "2024-07-01", LISTED, "unwrought gold: Annex XXI"),
    (GOLD, "7112 91", "2024-07-01", LISTED, "gold waste and scrap"),
    (GOLD, "7106 91", "2024-07-01", NOT_LISTED, "silver is not in Annex XXI"),
    (DIAMONDS, "7102 31", "2024-06-30", NOT_YET, "rough diamonds the day before"),
    (DIAMONDS, "7102 31", "2024-07-01", LISTED, "non-industrial rough diamonds: Part A"),
    (DIAMONDS, "7104 91", "2024-07-01", LISTED, "synthetic diamonds: Part B"),
    (DIAMONDS, "7102 21", "2024-07-01", NOT_LISTED, "industrial diamonds are not listed"),
    (REVENUE, "7601 10", "2025-02-24", NOT_LISTED, "unwrought aluminium before 2025/392"),
    (REVENUE, "7601 10", "2025-02-25", LISTED, "unwrought aluminium: added by 2025/392"),
    (REVENUE, "2901 10 00", "2025-10-24", LISTED, "saturated acyclic hydrocarbons: 2901 from 2025/2041"),
]


@pytest.mark.parametrize(("measure", "hs", "day", "reason", "why"), IMPORTS, ids=[c[4] for c in IMPORTS])
def test_imports_from_belarus(ask: Ask, measure: str, hs: str, day: str, reason: Reason, why: str) -> None:
    answer = ask("BY", hs, day, destination="DE")
    assert _ev(answer, measure).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B
        assert measure in [ev.measure.id for ev in answer.deciding]


def test_gold_ban_targets_belarus_only(ask: Ask) -> None:
    assert _ev(ask("RU", "7108 12", "2024-07-01", destination="DE"), GOLD).reason == NOT_TARGETED


# -- exports from the EU to Belarus (origin DE, destination BY) -----------------------------
EXPORTS = [
    (INDUSTRIAL, "2602 00", "2024-06-30", NOT_YET, "manganese ores the day before 2024/1865"),
    (INDUSTRIAL, "2602 00", "2024-07-01", LISTED, "manganese ores: Annex XVIII"),
    (INDUSTRIAL, "7208 51", "2024-07-01", LISTED, "flat-rolled steel: chapter 72"),
    (INDUSTRIAL, "4418 60", "2024-07-01", LISTED, "posts and beams: an HS 2017 code, kept as written"),
    (INDUSTRIAL, "8708 99", "2024-07-01", LISTED, "vehicle parts n.e.s."),
    (INDUSTRIAL, "8703 21", "2024-07-01", NOT_LISTED, "small petrol cars are not in Annex XVIII"),
    (INDUSTRIAL, "0808 10", "2024-07-01", NOT_LISTED, "apples are not in Annex XVIII"),
    (REFINING, "8419 60 00", "2024-07-01", LISTED, "LNG process units: ex 8419 60 00, Annex XX"),
    (LUXURY, "2402 10 00", "2024-06-30", NOT_YET, "cigars the day before 2024/1865"),
    (LUXURY, "2402 10 00", "2024-07-01", LISTED, "cigars: Annex XXV group 4"),
    (LUXURY, "9013 80 90", "2024-07-01", LISTED, "red dot sights: group 10, any value"),
    (LUXURY, "2204 21", "2024-07-01", NOT_LISTED, "wine is not in Annex XXV of Reg. 765/2006"),
    (VA_B, "8541 90", "2024-06-30", NOT_LISTED, "semiconductor parts before Annex Va was replaced"),
    (VA_B, "8541 90", "2024-07-01", LISTED, "semiconductor parts: new Annex Va Part B"),
    (VA_B, "8482 10", "2024-07-01", LISTED, "ball bearings: new Annex Va Part B"),
    (VA_B, "8542 31", "2024-07-01", LISTED, "processors: kept in Annex Va Part B"),
    (INDUSTRIAL, "3604 10", "2025-02-24", NOT_LISTED, "fireworks before 2025/392"),
    (INDUSTRIAL, "3604 10", "2025-02-25", LISTED, "fireworks: added by 2025/392"),
    (INDUSTRIAL, "2518 10", "2025-02-24", NOT_LISTED, "raw dolomite: only 2518 20 listed in 2024"),
    (INDUSTRIAL, "2518 10", "2025-02-25", LISTED, "2025/392 lists the whole of heading 2518"),
    (INDUSTRIAL, "4811 41", "2025-02-25", LISTED, "self-adhesive paper: heading 4811 from 2025/392"),
    (VA_B, "2610 00", "2025-02-24", NOT_LISTED, "chromium ores before 2025/392"),
    (VA_B, "2610 00", "2025-02-25", LISTED, "chromium ores: Annex Va Part B group 8"),
    (INDUSTRIAL, "7403 11", "2025-07-19", NOT_LISTED, "refined copper before 2025/1472"),
    (INDUSTRIAL, "7403 11", "2025-07-20", LISTED, "refined copper: ex 74 from 2025/1472"),
    (INDUSTRIAL, "7601 10", "2025-07-20", LISTED, "unwrought aluminium: chapter 76"),
    (INDUSTRIAL, "8411 91", "2025-07-19", NOT_LISTED, "turbojet parts before 2025/1472"),
    (INDUSTRIAL, "8411 91", "2025-07-20", LISTED, "turbojet parts: heading 8411"),
    (INDUSTRIAL, "2804 29 10", "2025-07-20", LISTED, "helium: 2804 without 'ex' from 2025/1472"),
    (VA_B, "8456 30", "2025-07-19", NOT_LISTED, "EDM machine tools before 2025/1472"),
    (VA_B, "8456 30", "2025-07-20", LISTED, "EDM machine tools: Annex Va Part B table 5"),
    (INDUSTRIAL, "2501 00 91", "2025-10-23", NOT_LISTED, "salt before 2025/2041"),
    (INDUSTRIAL, "2501 00 91", "2025-10-24", LISTED, "salt: chapter 25 from 2025/2041"),
    (INDUSTRIAL, "2602 00", "2025-10-24", LISTED, "manganese ores: still banned, now in chapter 26"),
    (INDUSTRIAL, "4011 30 00", "2025-10-24", LISTED, "aircraft tyres: code under 'ex 4011' (not described)"),
    (LUXURY, "8519 81", "2025-10-23", LISTED, "sound apparatus: Annex XXV group 8 until 2025/2041"),
    (LUXURY, "8519 81", "2025-10-24", NOT_LISTED, "sound apparatus left Annex XXV"),
    (LUXURY, "9013 80 90", "2025-10-24", NOT_LISTED, "red dot sights left Annex XXV"),
    (LUXURY, "8407 21", "2025-10-24", LISTED, "spark-ignition engines: Annex XXV group 9"),
    (VA_B, "9015 10 00", "2025-10-24", LISTED, "rangefinders: Annex Va Part B table 3"),
]


@pytest.mark.parametrize(("measure", "hs", "day", "reason", "why"), EXPORTS, ids=[c[4] for c in EXPORTS])
def test_exports_to_belarus(ask: Ask, measure: str, hs: str, day: str, reason: Reason, why: str) -> None:
    answer = ask("DE", hs, day, destination="BY")
    assert _ev(answer, measure).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B
        assert measure in [ev.measure.id for ev in answer.deciding]


# -- wind-downs, thresholds and other attestable exceptions, each with its period ------------
WINDOWS = [
    (INDUSTRIAL, "EU-765-X-1BB-CONTRACTS-2024", "DE", "BY", "7208 51", "2024-10-02", ATTESTED),
    (INDUSTRIAL, "EU-765-X-1BB-CONTRACTS-2024", "DE", "BY", "7208 51", "2024-10-03", LISTED),
    (INDUSTRIAL, "EU-765-X-1BB-CONTRACTS-2024", "DE", "BY", "2602 00", "2024-07-15", LISTED),
    (INDUSTRIAL, "EU-765-X-1BB-MANGANESE-CONTRACTS", "DE", "BY", "2602 00", "2024-08-02", ATTESTED),
    (INDUSTRIAL, "EU-765-X-1BB-MANGANESE-CONTRACTS", "DE", "BY", "2602 00", "2024-08-03", LISTED),
    (INDUSTRIAL, "EU-765-X-1BB-VEHICLE-PARTS-CONTRACTS", "DE", "BY", "8708 99", "2025-01-02", ATTESTED),
    (INDUSTRIAL, "EU-765-X-1BB-VEHICLE-PARTS-CONTRACTS", "DE", "BY", "8708 99", "2025-01-03", LISTED),
    (INDUSTRIAL, "EU-765-X-1BB-VEHICLE-PARTS-CONTRACTS", "DE", "BY", "7208 51", "2024-08-01", LISTED),
    (REFINING, "EU-765-X-1GC-CONTRACTS-2024", "DE", "BY", "8419 60 00", "2024-10-02", ATTESTED),
    (REFINING, "EU-765-X-1GC-CONTRACTS-2024", "DE", "BY", "8419 60 00", "2024-10-03", LISTED),
    (CRUDE, "EU-765-X-1H-CRUDE-CONTRACTS-2024", "BY", "DE", "2709 00 90", "2024-10-02", ATTESTED),
    (CRUDE, "EU-765-X-1H-CRUDE-CONTRACTS-2024", "BY", "DE", "2709 00 90", "2024-10-03", LISTED),
    (REVENUE, "EU-765-X-1RA-CONTRACTS-2024", "BY", "DE", "2701 12", "2024-10-02", ATTESTED),
    (REVENUE, "EU-765-X-1RA-CONTRACTS-2024", "BY", "DE", "2701 12", "2024-10-03", LISTED),
    (LUXURY, "EU-765-X-1GA-VALUE-THRESHOLD", "DE", "BY", "2402 10 00", "2025-06-01", ATTESTED),
    (LUXURY, "EU-765-X-1GA-VALUE-THRESHOLD", "DE", "BY", "9013 80 90", "2025-06-01", LISTED),
    (GOLD, "EU-765-X-1RB-EXPORTED-BEFORE-XXI", "BY", "DE", "7108 12", "2025-06-01", ATTESTED),
    (DIAMONDS, "EU-765-X-1RC-PERSONAL-USE", "BY", "DE", "7113 19", "2025-06-01", ATTESTED),
    (DIAMONDS, "EU-765-X-1RC-PERSONAL-USE", "BY", "DE", "7102 31", "2025-06-01", LISTED),
    (REVENUE, "EU-765-X-1RA-ALUMINIUM-CONTRACTS", "BY", "DE", "7601 10", "2025-05-26", ATTESTED),
    (REVENUE, "EU-765-X-1RA-ALUMINIUM-CONTRACTS", "BY", "DE", "7601 10", "2025-05-27", LISTED),
    (REVENUE, "EU-765-X-1RA-ALUMINIUM-CONTRACTS", "BY", "DE", "2701 12", "2025-03-01", LISTED),
    (INDUSTRIAL, "EU-765-X-1BB-CIVIL-NETWORKS", "DE", "BY", "8517 62", "2025-02-24", LISTED),
    (INDUSTRIAL, "EU-765-X-1BB-CIVIL-NETWORKS", "DE", "BY", "8517 62", "2025-02-25", ATTESTED),
    (VA_B, "EU-765-X-1F-PURPOSES", "DE", "BY", "8542 31", "2025-02-24", ATTESTED),
    (VA_B, "EU-765-X-1F-PURPOSES", "DE", "BY", "8542 31", "2025-02-25", LISTED),
    (VA_B, "EU-765-X-1F-PURPOSES-2025", "DE", "BY", "8542 31", "2025-02-25", ATTESTED),
    (INDUSTRIAL, "EU-765-X-1BB-CONTRACTS-2025-JUL", "DE", "BY", "3907 30", "2025-10-21", ATTESTED),
    (INDUSTRIAL, "EU-765-X-1BB-CONTRACTS-2025-JUL", "DE", "BY", "3907 30", "2025-10-22", LISTED),
    (INDUSTRIAL, "EU-765-X-1BB-REGULATORS-CONTRACTS", "DE", "BY", "9032 89", "2026-01-21", ATTESTED),
    (INDUSTRIAL, "EU-765-X-1BB-REGULATORS-CONTRACTS", "DE", "BY", "9032 89", "2026-01-22", LISTED),
    (INDUSTRIAL, "EU-765-X-1BB-CONTRACTS-2025-OCT", "DE", "BY", "2501 00 91", "2026-01-25", ATTESTED),
    (INDUSTRIAL, "EU-765-X-1BB-CONTRACTS-2025-OCT", "DE", "BY", "2501 00 91", "2026-01-26", LISTED),
    (INDUSTRIAL, "EU-765-X-1BB-REFRACTORY-CONTRACTS", "DE", "BY", "6902 10", "2026-04-25", ATTESTED),
    (INDUSTRIAL, "EU-765-X-1BB-REFRACTORY-CONTRACTS", "DE", "BY", "6902 10", "2026-04-26", LISTED),
    (REVENUE, "EU-765-X-1RA-HYDROCARBONS-CONTRACTS", "BY", "DE", "2901 10 00", "2026-01-25", ATTESTED),
    (REVENUE, "EU-765-X-1RA-HYDROCARBONS-CONTRACTS", "BY", "DE", "2901 10 00", "2026-01-26", LISTED),
    (REVENUE, "EU-765-X-1RA-HYDROCARBONS-HUNGARY", "BY", "HU", "2901 10 00", "2026-01-25", LISTED),
    (REVENUE, "EU-765-X-1RA-HYDROCARBONS-HUNGARY", "BY", "HU", "2901 10 00", "2026-03-01", ATTESTED),
    (REVENUE, "EU-765-X-1RA-HYDROCARBONS-HUNGARY", "BY", "HU", "2901 10 00", "2026-07-26", LISTED),
    (LUXURY, "EU-765-X-1GA-VALUE-THRESHOLD", "DE", "BY", "2402 10 00", "2025-10-24", LISTED),
    (LUXURY, "EU-765-X-1GA-VALUE-THRESHOLD-2025", "DE", "BY", "2402 10 00", "2025-10-24", ATTESTED),
    (LUXURY, "EU-765-X-1GA-VALUE-THRESHOLD-2025", "DE", "BY", "9004 90 90", "2025-10-24", LISTED),
]


@pytest.mark.parametrize(
    ("measure", "exc", "origin", "dest", "hs", "day", "reason"),
    WINDOWS,
    ids=[f"{c[1]}@{c[4]}@{c[5]}" for c in WINDOWS],
)
def test_exceptions_and_windows(
    ask: Ask, measure: str, exc: str, origin: str, dest: str, hs: str, day: str, reason: Reason
) -> None:
    answer = ask(origin, hs, day, destination=dest, attest=(exc,))
    assert _ev(answer, measure).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B
        assert exc in answer.attest_not_applied


def test_general_wind_down_is_listed_until_it_ends(ask: Ask) -> None:
    exc = "EU-765-X-1BB-CONTRACTS-2024"
    assert exc in [e.id for e in ask("DE", "7208 51", "2024-10-02", destination="BY").exceptions]
    assert exc not in [e.id for e in ask("DE", "7208 51", "2024-10-03", destination="BY").exceptions]


# -- "ex" lines: the code cannot decide, the description exception is attestable -------------
EX_LINES = [
    ("DE", "BY", INDUSTRIAL, "8703 23 19", "2024-07-01", "EU-765-X-EX-XVIII-870323"),
    ("DE", "BY", INDUSTRIAL, "2804 10", "2024-07-01", "EU-765-X-EX-XVIII-2804"),
    ("DE", "BY", REFINING, "8419 60 00", "2024-07-01", "EU-765-X-EX-XX-84196000"),
    ("DE", "BY", LUXURY, "2402 10 00", "2024-07-01", "EU-765-X-EX-XXV-24021000"),
    ("BY", "DE", CRUDE, "2709 00 10", "2024-07-01", "EU-765-X-EX-XXIII-270900"),
    ("BY", "DE", REVENUE, "2901 10 00", "2024-07-01", "EU-765-X-EX-XXVII-2901"),
    ("BY", "DE", DIAMONDS, "7113 19", "2024-07-01", "EU-765-X-EX-XXIXC-7113"),
    ("DE", "BY", INDUSTRIAL, "7403 11", "2025-07-20", "EU-765-X-EX-XVIII-74"),
    ("DE", "BY", INDUSTRIAL, "4011 30 00", "2025-10-24", "EU-765-X-EX-XVIII-4011"),
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


def test_hydrogen_ex_line_gives_way_to_the_heading(ask: Ask) -> None:
    # 2024/1865 listed 'ex 2804' (excluding rare gases); 2025/1472 lists heading 2804 whole
    exc = "EU-765-X-EX-XVIII-2804"
    assert exc in [e.id for e in ask("DE", "2804 29 10", "2025-07-19", destination="BY").exceptions]
    assert exc not in [e.id for e in ask("DE", "2804 29 10", "2025-07-20", destination="BY").exceptions]
