"""Japan's 2022 measures on Russia and Belarus' food ban of 2022-2027 on the embedded data.

Cases come from the acts as their sources state them: METI's import ban on 38 Russian items
from 19 Apr 2022 with its allowance for earlier contracts (to 18 Jul 2022 inclusive), the
withdrawal of most-favoured-nation tariff treatment from 21 Apr 2022 (a tariff measure, never
a ban) and its yearly extensions; Belarus' Resolution No. 700 (from 1 Jan 2022), Resolution
No. 57 (Liechtenstein and Serbia added, salt removed, exceptions), the narrowing of 1 Jan 2023,
the apple windows of 2023 and 2024, each extension seam, and who Belarus spared.

Answers where another side's law speaks (Russia's export measures, the EU's) are asserted
through the measure under test, so the cases fail only when these acts are misread.
"""

from __future__ import annotations

from datetime import date

import pytest

from sanctionscope.engine.answer import Answer, Evaluation, Reason, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.goods_risk import goods_risk
from sanctionscope.engine.relations import sanctioners, spared
from sanctionscope.model.acts import GOODS_TYPES, IMPORT_TYPES, TRADE_TYPES, MeasureType
from sanctionscope.model.jurisdictions import Inclusion
from tests.conftest import Ask

B, A = Verdict.BANNED, Verdict.ALLOWED
JP38 = "JP-2022-RU-IMPORT-BAN-38"
MFN = "JP-2022-RU-MFN-WITHDRAWAL"
BYFOOD = "BY-FOOD-IMPORT-BAN"
CONTRACT = "JP-2022-X-PRIOR-CONTRACT"
TODAY = date(2026, 11, 30)

LISTED, NOT_LISTED, NOT_TARGETED = Reason.listed, Reason.code_not_listed, Reason.origin_not_targeted
NOT_YET, ENDED, SUSPENDED = Reason.not_yet_in_force, Reason.no_longer_in_force, Reason.suspended


def _ev(answer: Answer, measure: str) -> Evaluation:
    found = [ev for ev in answer.considered if ev.measure.id == measure]
    assert found, f"{measure} was not considered: {answer.explanation}"
    return found[0]


# -- Japan: the 38 items from Russia (METI notice of 12 Apr 2022, in force 19 Apr 2022) -------
JAPAN = [
    ("RU", "4403 20", "2022-04-18", NOT_YET, "logs the day before 19 Apr 2022"),
    ("RU", "4403 20", "2022-04-19", LISTED, "logs on the first day"),
    ("RU", "4401 21", "2022-06-01", LISTED, "coniferous wood chips"),
    ("RU", "4401 22", "2022-06-01", LISTED, "non-coniferous wood chips"),
    ("RU", "4408 10", "2022-06-01", LISTED, "coniferous veneer sheets"),
    ("RU", "4401 31", "2022-06-01", NOT_LISTED, "wood pellets are not among the wood items"),
    ("RU", "4407 11", "2022-06-01", NOT_LISTED, "sawn pine lumber only pays the higher duty"),
    ("RU", "2203 00", "2022-05-01", LISTED, "beer"),
    ("RU", "2208 60", "2022-05-01", LISTED, "vodka"),
    ("RU", "8407 34", "2022-05-01", LISTED, "spark-ignition engines"),
    ("RU", "8413 70", "2022-05-01", LISTED, "pumps for liquids"),
    ("RU", "8703 23", "2022-05-01", LISTED, "passenger cars"),
    ("RU", "8711 20", "2022-05-01", LISTED, "motorcycles"),
    ("RU", "0306 14", "2022-05-01", NOT_LISTED, "crab: a higher duty, not a ban"),
    ("RU", "2709 00", "2022-05-01", NOT_LISTED, "crude oil was not among the 38 items"),
    ("CN", "8703 23", "2022-05-01", NOT_TARGETED, "Chinese cars are not targeted"),
    ("KZ", "4403 20", "2022-06-01", NOT_TARGETED, "Kazakh logs are not targeted"),
]


@pytest.mark.parametrize(("origin", "hs", "day", "reason", "why"), JAPAN, ids=[c[4] for c in JAPAN])
def test_japan_38_items(ask: Ask, origin: str, hs: str, day: str, reason: Reason, why: str) -> None:
    answer = ask(origin, hs, day, destination="JP")
    assert _ev(answer, JP38).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B
        assert JP38 in [ev.measure.id for ev in answer.deciding]
    else:
        assert JP38 not in [ev.measure.id for ev in answer.deciding if ev.reason == LISTED]


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2022-04-19", Reason.attested_exception),  # the first day of the ban
        ("2022-07-18", Reason.attested_exception),  # the last day of the three months
        ("2022-07-19", LISTED),  # the allowance has ended
        ("2022-09-01", LISTED),
    ],
)
def test_contract_allowance_runs_to_18_july_2022(ask: Ask, day: str, reason: Reason) -> None:
    answer = ask("RU", "4408 10", day, destination="JP", attest=(CONTRACT,))
    assert _ev(answer, JP38).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B
        assert "not in force" in answer.attest_not_applied[CONTRACT]


def test_contract_allowance_is_listed_as_an_exception_until_it_ends(ask: Ask) -> None:
    assert CONTRACT in [e.id for e in ask("RU", "8703 23", "2022-07-18", destination="JP").exceptions]
    assert CONTRACT not in [e.id for e in ask("RU", "8703 23", "2022-07-19", destination="JP").exceptions]


def test_as_known_on_before_the_notice(ask: Ask) -> None:
    # The notice was published on 12 Apr 2022: known on 11 Apr, Japan had no import ban.
    early = ask("RU", "4403 20", "2022-05-01", destination="JP", known="2022-04-11")
    assert JP38 not in [ev.measure.id for ev in early.considered]
    assert ask("RU", "4403 20", "2022-05-01", destination="JP", known="2022-04-12").verdict == B


# -- Japan: the MFN withdrawal, a tariff measure --------------------------------------------
def test_tariff_measure_type_restricts_goods_but_never_bans() -> None:
    assert MeasureType.tariff_measure in GOODS_TYPES
    assert MeasureType.tariff_measure in IMPORT_TYPES
    assert MeasureType.tariff_measure not in TRADE_TYPES


@pytest.mark.parametrize(
    ("day", "known", "active"),
    [
        ("2022-04-20", None, False),
        ("2022-04-21", None, True),
        ("2023-03-31", "2023-03-30", True),
        ("2023-04-01", "2023-03-30", False),  # before the first extension was made
        ("2023-04-01", "2023-03-31", True),
        ("2024-03-31", None, True),
        ("2025-04-01", "2025-03-27", False),  # before the third extension was made
        ("2025-04-01", None, True),
        ("2026-03-31", None, True),
        ("2026-04-01", None, False),
    ],
)
def test_mfn_withdrawal_period(real: Catalog, day: str, known: str | None, active: bool) -> None:
    index = real.index(date.fromisoformat(known) if known else TODAY)
    assert index.measures[MFN].active(date.fromisoformat(day)) is active


def test_mfn_withdrawal_is_shown_in_answers_but_never_decides(ask: Ask) -> None:
    answer = ask("RU", "0306 14", "2022-05-01", destination="JP")
    assert answer.verdict != B
    assert all(ev.measure.id != MFN for ev in answer.considered)
    assert answer.coverage is not None
    japan = [s for s in answer.coverage.sides if s.imposer == "JP" and s.direction.value == "import"]
    assert japan and MFN in japan[0].measures
    assert japan[0].vouched  # declared for the period, the crab's chapter held in full


def test_mfn_withdrawal_creates_goods_risk_and_a_relation(real: Catalog) -> None:
    index = real.index(TODAY)
    assert MFN in [m.id for m in goods_risk(index, "JP", "RU", date(2022, 4, 21))]
    assert MFN not in [m.id for m in goods_risk(index, "JP", "RU", date(2022, 4, 20))]
    japan = [r for r in sanctioners(index, "RU", date(2022, 5, 1)) if r.imposer == "JP"]
    assert japan and MFN in [m.id for m in japan[0].measures]


def test_unlisted_machinery_is_not_vouched(ask: Ask) -> None:
    # Only part of the 38 items is held: a machinery code not listed is never ALLOWED.
    answer = ask("RU", "8450 11", "2022-05-01", destination="JP")
    assert answer.verdict != A
    assert answer.coverage is not None
    japan = [s for s in answer.coverage.sides if s.imposer == "JP"]
    assert japan and not japan[0].vouched


# -- Belarus: Resolution No. 700 and its amendments -------------------------------------------
BELARUS = [
    ("CH", "0201 30", "2022-03-01", LISTED, "Swiss beef: Switzerland is on Belarus' list"),
    ("DE", "0406 90", "2021-12-31", NOT_YET, "German cheese the day before 1 Jan 2022"),
    ("DE", "0406 90", "2022-01-01", LISTED, "German cheese from 1 Jan 2022"),
    ("PL", "0808 10", "2022-03-01", LISTED, "Polish apples"),
    ("PL", "0207 14", "2022-03-01", LISTED, "Polish chicken cuts"),
    ("NO", "1601 00", "2022-03-01", LISTED, "Norwegian sausages"),
    ("US", "0203 19", "2022-03-01", LISTED, "US pork"),
    ("GB", "1501 10", "2022-03-01", LISTED, "British lard"),
    ("PL", "0302 14", "2022-03-01", NOT_LISTED, "fish was not on Belarus' list"),
    ("FR", "2204 21", "2022-03-01", NOT_LISTED, "wine was not on the list"),
    ("JP", "0808 10", "2022-03-01", NOT_TARGETED, "Japan is not on Belarus' list"),
    ("NZ", "0201 30", "2022-06-01", NOT_TARGETED, "New Zealand is not a target of the food ban"),
    ("LI", "0406 90", "2022-02-07", NOT_TARGETED, "Liechtenstein the day before Res. 57 applied"),
    ("LI", "0406 90", "2022-02-08", LISTED, "Liechtenstein from Res. 57"),
    ("RS", "0808 10", "2022-02-08", LISTED, "Serbia from Res. 57"),
    ("FR", "2501 00", "2022-02-07", LISTED, "salt before Res. 57"),
    ("FR", "2501 00", "2022-02-08", NOT_LISTED, "salt removed by Res. 57"),
    ("US", "0808 10", "2022-06-30", LISTED, "the last day of the first six months"),
    ("US", "0808 10", "2022-07-01", LISTED, "the first day of the June 2022 extension"),
    ("US", "0805 10", "2022-12-31", LISTED, "oranges under fruit and nuts until the end of 2022"),
    ("US", "0805 10", "2023-01-01", NOT_LISTED, "oranges dropped by Res. 865"),
    ("US", "0808 10", "2023-01-01", LISTED, "apples kept by Res. 865"),
    ("US", "0701 90", "2023-01-01", LISTED, "ware potatoes kept by Res. 865"),
    ("US", "0709 60", "2023-01-01", NOT_LISTED, "peppers dropped by Res. 865"),
    ("PL", "0808 10", "2023-06-30", LISTED, "apples before the July 2023 window"),
    ("PL", "0808 10", "2023-07-01", SUSPENDED, "apples allowed in July 2023"),
    ("PL", "0808 10", "2023-07-31", SUSPENDED, "the window's last day"),
    ("PL", "0808 10", "2023-08-01", LISTED, "apples banned again from 1 Aug 2023"),
    ("PL", "0808 10", "2024-03-31", LISTED, "apples before the 2024 window"),
    ("PL", "0808 10", "2024-04-01", SUSPENDED, "apples allowed from 1 Apr 2024"),
    ("PL", "0808 10", "2024-08-01", LISTED, "apples banned again from 1 Aug 2024"),
    ("PL", "0201 30", "2023-12-31", LISTED, "the last day of the June 2023 extension"),
    ("PL", "0201 30", "2024-01-01", LISTED, "Res. 934 to 31 Dec 2024"),
    ("PL", "0201 30", "2025-01-01", LISTED, "the extension of Dec 2024 to 31 Dec 2025"),
    ("PL", "0201 30", "2026-01-01", LISTED, "the resolution of Dec 2025 to 31 Dec 2027"),
    ("PL", "0201 30", "2027-12-31", LISTED, "the last day held"),
    ("PL", "0201 30", "2028-01-01", ENDED, "no act extends the ban beyond 2027"),
]


@pytest.mark.parametrize(("origin", "hs", "day", "reason", "why"), BELARUS, ids=[c[4] for c in BELARUS])
def test_belarus_food_ban(ask: Ask, origin: str, hs: str, day: str, reason: Reason, why: str) -> None:
    answer = ask(origin, hs, day, destination="BY")
    assert _ev(answer, BYFOOD).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B
    else:
        assert BYFOOD not in [ev.measure.id for ev in answer.deciding if ev.reason == LISTED]


def test_switzerland_hit_by_belarus_not_by_russia(ask: Ask) -> None:
    assert ask("CH", "0201 30", "2022-03-01", destination="BY").verdict == B
    to_russia = ask("CH", "0201 30", "2022-03-01", destination="RU")
    assert to_russia.verdict != B
    assert _ev(to_russia, "RU-FOOD-IMPORT-BAN").reason == NOT_TARGETED


def test_belarus_import_side_is_vouched_for_food_in_2022(ask: Ask) -> None:
    answer = ask("CH", "0302 14", "2022-03-01", destination="BY")
    assert answer.coverage is not None
    belarus = [s for s in answer.coverage.sides if s.imposer == "BY"]
    assert belarus and belarus[0].vouched
    assert belarus[0].declaration is not None and belarus[0].declaration.id == "BY-IMPORT-FOOD-2022"
    # confectionery is known only by name: never vouched
    sweets = ask("CH", "1806 32", "2022-03-01", destination="BY")
    assert sweets.verdict != A


@pytest.mark.parametrize(
    ("hs", "day", "attest", "reason"),
    [
        ("0401 20", "2022-03-01", "BY-700-X-LACTOSE-FREE", Reason.attested_exception),
        ("0201 30", "2022-03-01", "BY-700-X-PERSONAL-USE", Reason.attested_exception),
        ("0202 30", "2022-02-07", "BY-57-X-BABY-FOOD-INPUTS", LISTED),  # not yet in force
        ("0202 30", "2022-02-08", "BY-57-X-BABY-FOOD-INPUTS", Reason.attested_exception),
        ("0703 10", "2022-03-01", "BY-700-X-SOWING", Reason.attested_exception),
        ("0809 10", "2022-06-29", "BY-2022-06-X-STONE-FRUIT", LISTED),  # before the June act
        ("0809 10", "2022-06-30", "BY-2022-06-X-STONE-FRUIT", Reason.attested_exception),
    ],
)
def test_belarus_exceptions(ask: Ask, hs: str, day: str, attest: str, reason: Reason) -> None:
    answer = ask("DE", hs, day, destination="BY", attest=(attest,))
    assert _ev(answer, BYFOOD).reason == reason, answer.explanation
    if reason == LISTED:
        assert answer.verdict == B and attest in answer.attest_not_applied


def test_lactose_free_exception_is_listed_for_dairy_only(ask: Ask) -> None:
    assert "BY-700-X-LACTOSE-FREE" in [
        e.id for e in ask("DE", "0406 90", "2022-03-01", destination="BY").exceptions
    ]
    assert "BY-700-X-LACTOSE-FREE" not in [
        e.id for e in ask("DE", "0203 19", "2022-03-01", destination="BY").exceptions
    ]


# -- who Belarus spared ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "spared_ones", "hit_ones", "absent"),
    [
        # before 1 Jan 2022 no countermeasure of Belarus is in force: every sanctioner is spared
        ("2021-12-15", {"CH", "EU", "GB"}, set(), {"JP"}),
        # 1 Mar 2022: Japan has no measure on Belarus yet (its first came on 3 Mar 2022)
        ("2022-03-01", set(), {"CH", "EU", "GB"}, {"JP"}),
        ("2022-03-05", {"JP"}, {"CH", "EU", "GB"}, set()),
        ("2022-07-01", {"JP"}, {"CH", "EU", "GB"}, set()),
        ("2025-06-01", {"JP"}, {"CH", "EU", "GB"}, set()),
    ],
)
def test_spared_by_belarus(
    real: Catalog, day: str, spared_ones: set[str], hit_ones: set[str], absent: set[str]
) -> None:
    rows = {
        s.jurisdiction: s
        for s in spared(real.index(TODAY), "BY", date.fromisoformat(day), {MeasureType.import_ban})
    }
    assert {j for j in spared_ones if rows[j].spared} == spared_ones
    assert {j for j in hit_ones if not rows[j].spared} == hit_ones
    assert not absent & set(rows)
    for j in hit_ones:
        assert BYFOOD in [m.id for m in rows[j].hit_by]


def test_japan_spared_by_belarus_though_sanctioning_it(real: Catalog) -> None:
    rows = {s.jurisdiction: s for s in spared(real.index(TODAY), "BY", date(2022, 3, 5))}
    assert rows["JP"].spared
    assert "JP-2022-BY-ASSET-FREEZE" in [m.id for m in rows["JP"].sanctions]


# -- Belarus' list of unfriendly states (Res. 209) -------------------------------------------
@pytest.mark.parametrize(
    ("country", "day", "inclusion"),
    [
        ("AU", "2022-04-07", Inclusion.no),
        ("AU", "2022-04-08", Inclusion.yes),
        ("NZ", "2022-06-01", Inclusion.yes),
        ("DE", "2022-06-01", Inclusion.yes),
        ("CH", "2022-06-01", Inclusion.yes),
        ("LI", "2022-06-01", Inclusion.yes),
        ("RS", "2022-06-01", Inclusion.no),
        ("JP", "2022-06-01", Inclusion.no),
        ("UA", "2022-06-01", Inclusion.no),
    ],
)
def test_belarus_unfriendly_list(real: Catalog, country: str, day: str, inclusion: Inclusion) -> None:
    jur = real.index(TODAY).dataset.jurisdictions
    assert jur.includes("BY_UNFRIENDLY", country, date.fromisoformat(day)) == inclusion
