"""Russia's countermeasures of 2021-2026 on the embedded data (issue 12, the Russian part).

Each case comes from the texts as summarised in the act files' sources: the list of
unfriendly states and territories (Order 430-r of 5 Mar 2022, made public 7 Mar 2022) and its
additions of 24 Jul 2022 (Bahamas, Guernsey, Isle of Man) and 30 Oct 2022 (eleven British
overseas territories); the separate list of states whose missions may hire only a limited
staff (Order 1230-r of 2021, Order 1998-r of 2022); the financial decrees 81 and 95 aimed at
the first list; the timber export ban of Res. 313 (4401 21, 4401 22, 4403, 4408, until 31 Dec
2022 inclusive); and the price-cap ban of Decree 961 with its prolongations to 30 Jun 2026.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from sanctionscope.engine.answer import Answer, Evaluation, Reason, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.relations import spared, timeline, who
from sanctionscope.errors import DataError
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.model.acts import MeasureType
from tests.conftest import Ask

B = Verdict.BANNED
TODAY = date(2026, 12, 2)
TIMBER = "RU-313-TIMBER-EXPORT-BAN"
CAP = "RU-961-PRICE-CAP-SUPPLY-BAN"
LIST, DIPLO = "RU_UNFRIENDLY", "RU_UNFRIENDLY_DIPLOMATIC"
ORDER_430, JULY, OCTOBER = "RU-GOV-430R-2022", "RU-GOV-2022-07-24", "RU-GOV-2022-10-30"


def _ev(answer: Answer, measure: str) -> Evaluation:
    found = [ev for ev in answer.considered if ev.measure.id == measure]
    assert found, f"{measure} not considered: {answer.explanation}"
    return found[0]


# -- the two lists, by day: (list, member, day, act that put it on, or None) ------------------
MEMBERSHIP = [
    (LIST, "JP", "2022-03-06", None, "Japan the day before the list was made public"),
    (LIST, "JP", "2022-03-07", ORDER_430, "Japan on the list from 7 Mar 2022"),
    (LIST, "DE", "2022-03-07", ORDER_430, "an EU member state, listed one by one"),
    (LIST, "JE", "2022-03-07", ORDER_430, "Jersey with the United Kingdom"),
    (LIST, "TW", "2022-06-01", ORDER_430, "Taiwan is named"),
    (LIST, "FM", "2022-06-01", ORDER_430, "Micronesia is named"),
    (LIST, "CH", "2022-06-01", ORDER_430, "Switzerland is named"),
    (LIST, "CN", "2022-06-01", None, "China is not on the list"),
    (LIST, "GE", "2022-06-01", None, "Georgia was left out"),
    (LIST, "RS", "2022-06-01", None, "Serbia is not on the list"),
    (LIST, "BS", "2022-07-23", None, "Bahamas before the July addition"),
    (LIST, "BS", "2022-07-24", JULY, "Bahamas from the July addition"),
    (LIST, "GG", "2022-07-24", JULY, "Guernsey from the July addition"),
    (LIST, "IM", "2022-07-24", JULY, "Isle of Man from the July addition"),
    (LIST, "GG", "2022-06-01", None, "Guernsey was not on the list of March"),
    (LIST, "KY", "2022-10-29", None, "Cayman Islands before the October addition"),
    (LIST, "KY", "2022-10-30", OCTOBER, "Cayman Islands from the October addition"),
    (LIST, "BM", "2022-11-15", OCTOBER, "Bermuda from the October addition"),
    (LIST, "FK", "2022-11-15", OCTOBER, "Falkland Islands from the October addition"),
    (LIST, "AKROTIRI-DHEKELIA", "2022-11-15", OCTOBER, "Akrotiri and Dhekelia, no ISO code"),
    (LIST, "AI", "2022-03-07", ORDER_430, "Anguilla was on the list from the start"),
    (DIPLO, "US", "2021-05-13", None, "staff list: the US before Order 1230-r was published"),
    (DIPLO, "US", "2021-05-14", "RU-GOV-1230R-2021", "staff list: the US from 14 May 2021"),
    (DIPLO, "CZ", "2021-06-01", "RU-GOV-1230R-2021", "staff list: the Czech Republic"),
    (DIPLO, "GR", "2022-07-21", None, "staff list: Greece before Order 1998-r"),
    (DIPLO, "GR", "2022-07-22", "RU-GOV-1998R-2022", "staff list: Greece from July 2022"),
    (DIPLO, "HR", "2022-08-01", "RU-GOV-1998R-2022", "staff list: Croatia from July 2022"),
    (DIPLO, "JP", "2022-06-01", None, "the lists are kept apart: Japan is not on the staff list"),
    (DIPLO, "DE", "2022-06-01", None, "the lists are kept apart: Germany is not on the staff list"),
    (LIST, "GR", "2022-08-01", ORDER_430, "Greece is on both lists, each by its own act"),
]


@pytest.mark.parametrize(("bloc", "member", "day", "act", "why"), MEMBERSHIP, ids=[c[4] for c in MEMBERSHIP])
def test_list_membership(real: Catalog, bloc: str, member: str, day: str, act: str | None, why: str) -> None:
    jur = real.dataset.jurisdictions
    entry = jur.membership(bloc, member, date.fromisoformat(day))
    if act is None:
        assert entry is None, entry
        assert member not in jur.members(bloc, date.fromisoformat(day))
    else:
        assert entry is not None and entry.act == act, entry
        assert member in jur.members(bloc, date.fromisoformat(day))


# -- Res. 313: timber to the listed states (destination, code, day, banned by 313?, reason) ---
TIMBER_CASES = [
    (
        "JP",
        "4403 20",
        "2022-06-01",
        True,
        Reason.listed,
        "Japanese buyers of rough wood (the issue's example)",
    ),
    ("JP", "4403 20", "2022-03-01", False, None, "before Res. 313 and before the list existed"),
    ("JP", "4403 20", "2022-03-09", False, Reason.not_yet_in_force, "the day before it applied"),
    ("JP", "4403 20", "2022-03-10", True, Reason.listed, "the day it applied"),
    ("DE", "4401 21", "2022-06-01", True, Reason.listed, "coniferous chips to Germany"),
    ("FI", "4401 22", "2022-06-01", True, Reason.listed, "birch chips to Finland"),
    ("US", "4408 90", "2022-06-01", True, Reason.listed, "veneer sheets to the US"),
    ("FI", "4407 11", "2022-06-01", False, Reason.code_not_listed, "sawn wood (4407) was not on the list"),
    (
        "FI",
        "4401 31",
        "2022-06-01",
        False,
        Reason.code_not_listed,
        "wood pellets (4401 31) were not on the list",
    ),
    ("CN", "4403 20", "2022-06-01", False, Reason.origin_not_targeted, "China is not on the list"),
    ("GG", "4401 21", "2022-07-23", False, Reason.origin_not_targeted, "Guernsey before the July addition"),
    ("GG", "4401 21", "2022-07-24", True, Reason.listed, "Guernsey from the July addition"),
    ("KY", "4403 20", "2022-10-29", False, Reason.origin_not_targeted, "Cayman Islands before October"),
    ("KY", "4403 20", "2022-10-30", True, Reason.listed, "Cayman Islands from 30 Oct 2022"),
    ("JP", "4403 20", "2022-12-31", True, Reason.listed, "last day: until 31 Dec 2022 inclusive"),
    ("JP", "4403 20", "2023-01-01", False, Reason.no_longer_in_force, "no extension was found"),
]


@pytest.mark.parametrize(
    ("dest", "hs", "day", "banned", "reason", "why"), TIMBER_CASES, ids=[c[5] for c in TIMBER_CASES]
)
def test_timber_export_ban(
    ask: Ask, dest: str, hs: str, day: str, banned: bool, reason: Reason | None, why: str
) -> None:
    answer = ask("RU", hs, day, destination=dest)
    if reason is None:  # the ban does not even speak to this shipment
        assert TIMBER not in [ev.measure.id for ev in answer.considered], answer.explanation
    else:
        assert _ev(answer, TIMBER).reason == reason, answer.explanation
    assert (TIMBER in [d.measure.id for d in answer.deciding] and answer.verdict == B) == banned


def test_the_issue_example_is_banned_by_res_313(ask: Ask) -> None:
    answer = ask("RU", "440320", "2022-06-01", destination="JP")
    assert answer.verdict == B
    assert TIMBER in [ev.measure.id for ev in answer.deciding]


def test_the_chain_names_the_act_that_put_the_partner_on_the_list(ask: Ask) -> None:
    answer = ask("RU", "4401 21", "2022-08-01", destination="GG")
    ev = _ev(answer, TIMBER)
    assert ev.listed_by is not None and ev.listed_by.act == JULY and ev.listed_by.bloc == LIST
    assert JULY in answer.explanation and "2022-07-24" in answer.explanation
    assert any(JULY in u for u in answer.uncertain)
    initial = _ev(ask("RU", "4403", "2022-06-01", destination="JP"), TIMBER)
    assert initial.listed_by is not None and initial.listed_by.act == ORDER_430


def test_the_timber_ban_lists_no_exception_of_another_measure(ask: Ask) -> None:
    answer = ask("RU", "4403 20", "2022-06-01", destination="JP")
    sentence = next(s for s in answer.explanation.split("Banned by ") if TIMBER in s)
    assert "JP-2022-X" not in sentence


# -- Decree 961: the price-cap ban (destination, code, day, banned by 961?, reason) ----------
CAP_CASES = [
    ("IN", "2709 00", "2023-01-31", False, Reason.not_yet_in_force, "crude the day before 1 Feb 2023"),
    ("IN", "2709 00", "2023-02-01", True, Reason.listed, "crude from 1 Feb 2023, any buyer"),
    ("CN", "2709 00", "2023-03-01", True, Reason.listed, "the ban names no country: China too"),
    ("JP", "2709 00", "2023-03-01", True, Reason.listed, "and Japan"),
    (
        "IN",
        "2710 19",
        "2023-02-04",
        False,
        Reason.code_not_listed,
        "products before the day the Government set",
    ),
    ("IN", "2710 19", "2023-02-05", True, Reason.listed, "products from 5 Feb 2023"),
    ("IN", "2709 00", "2023-06-30", True, Reason.listed, "last day of the first term (to 1 Jul 2023)"),
    ("IN", "2709 00", "2023-07-01", True, Reason.listed, "extended to 31 Dec 2023 inclusive"),
    ("IN", "2709 00", "2024-01-01", True, Reason.listed, "extended to 30 Jun 2024"),
    ("IN", "2709 00", "2024-07-01", True, Reason.listed, "extended to 31 Dec 2024"),
    ("IN", "2709 00", "2025-01-01", True, Reason.listed, "extended to 30 Jun 2025"),
    ("IN", "2709 00", "2025-07-01", True, Reason.listed, "extended to 31 Dec 2025"),
    ("IN", "2709 00", "2026-01-01", True, Reason.listed, "extended to 30 Jun 2026"),
    ("IN", "2709 00", "2026-06-30", True, Reason.listed, "last day found in force"),
    (
        "IN",
        "2709 00",
        "2026-07-01",
        False,
        Reason.no_longer_in_force,
        "no extension beyond 30 Jun 2026 found",
    ),
]


@pytest.mark.parametrize(
    ("dest", "hs", "day", "banned", "reason", "why"), CAP_CASES, ids=[c[5] for c in CAP_CASES]
)
def test_price_cap_ban(
    ask: Ask, dest: str, hs: str, day: str, banned: bool, reason: Reason, why: str
) -> None:
    answer = ask("RU", hs, day, destination=dest)
    ev = _ev(answer, CAP)
    assert ev.reason == reason, answer.explanation
    assert (answer.verdict == B and CAP in [d.measure.id for d in answer.deciding]) == banned
    if banned:
        assert {"RU-961-X-NO-PRICE-CAP", "RU-961-X-SPECIAL-DECISION"} <= {e.id for e in answer.exceptions}


@pytest.mark.parametrize("exception", ["RU-961-X-NO-PRICE-CAP", "RU-961-X-SPECIAL-DECISION"])
def test_price_cap_ban_cleared_by_an_attested_exception(ask: Ask, exception: str) -> None:
    answer = ask("RU", "2709 00", "2023-03-01", destination="IN", attest=(exception,))
    assert answer.verdict != B, answer.explanation
    ev = _ev(answer, CAP)
    assert ev.reason == Reason.attested_exception and ev.attested is not None
    assert ev.attested.id == exception
    assert exception not in answer.attest_not_applied


def test_price_cap_exception_attested_before_the_ban_does_not_apply(ask: Ask) -> None:
    answer = ask("RU", "2709 00", "2023-01-15", destination="IN", attest=("RU-961-X-NO-PRICE-CAP",))
    assert "RU-961-X-NO-PRICE-CAP" in answer.attest_not_applied


def test_price_cap_as_known_before_the_first_prolongation(ask: Ask) -> None:
    # Before the decree of 26 Jun 2023 was published, the ban ended on 30 Jun 2023.
    before = ask("RU", "2709 00", "2023-07-15", destination="IN", known="2023-06-25")
    assert _ev(before, CAP).reason == Reason.no_longer_in_force
    assert ask("RU", "2709 00", "2023-07-15", destination="IN", known="2023-06-26").verdict == B


# -- spared / who / timeline through the list --------------------------------------------------
SPARED = [
    ("2014-08-10", None, "JP", True, "2014: Japan sanctioned Russia and was spared"),
    ("2014-08-10", MeasureType.import_ban, "JP", True, "2014: spared by the food ban"),
    ("2022-03-01", MeasureType.import_ban, "JP", True, "1 Mar 2022: still spared by the food ban"),
    ("2022-06-01", None, "JP", False, "2022: Japan hit by the measures aimed at the list"),
    ("2022-06-01", MeasureType.import_ban, "JP", True, "2022: but never on the food-ban list"),
    ("2022-06-01", None, "CH", False, "2022: Switzerland hit through the list"),
    ("2022-06-01", MeasureType.import_ban, "CH", True, "2022: Switzerland never on the food-ban list"),
    ("2022-06-01", MeasureType.import_ban, "US", False, "2022: the US is on the food-ban list"),
]


@pytest.mark.parametrize(("day", "kind", "who_", "is_spared", "why"), SPARED, ids=[c[4] for c in SPARED])
def test_spared_by_russia(
    real: Catalog, day: str, kind: MeasureType | None, who_: str, is_spared: bool, why: str
) -> None:
    rows = {
        s.jurisdiction: s
        for s in spared(real.index(TODAY), "RU", date.fromisoformat(day), {kind} if kind else None)
    }
    assert who_ in rows, sorted(rows)
    assert rows[who_].spared == is_spared, [m.id for m in rows[who_].hit_by]


def test_japan_hit_in_2022_by_the_list_measures(real: Catalog) -> None:
    rows = {s.jurisdiction: s for s in spared(real.index(TODAY), "RU", date(2022, 6, 1))}
    hit = {m.id for m in rows["JP"].hit_by}
    assert {"RU-81-DEALS-PERMIT", "RU-95-CREDITOR-RUBLE-PAYMENT", TIMBER} <= hit
    early = {s.jurisdiction: s for s in spared(real.index(TODAY), "RU", date(2022, 3, 1))}
    assert not {"RU-81-DEALS-PERMIT", "RU-95-CREDITOR-RUBLE-PAYMENT", TIMBER} & {
        m.id for m in early["JP"].hit_by
    }


@pytest.mark.parametrize(
    ("day", "ban", "hit"),
    [
        ("2022-05-03", "RU-JP-ENTRY-BAN-2022", False),
        ("2022-05-04", "RU-JP-ENTRY-BAN-2022", True),
        ("2025-11-10", "RU-JP-ENTRY-BAN-2025", False),
        ("2025-11-11", "RU-JP-ENTRY-BAN-2025", True),
    ],
)
def test_entry_bans_on_japanese_citizens(real: Catalog, day: str, ban: str, hit: bool) -> None:
    rows = {s.jurisdiction: s for s in spared(real.index(TODAY), "RU", date.fromisoformat(day))}
    assert (ban in {m.id for m in rows["JP"].hit_by}) == hit


def test_who_shows_the_list_once(real: Catalog) -> None:
    index = real.index(TODAY)
    later = {(r.imposer, r.target) for r in who(index, date(2022, 6, 1))}
    assert ("RU", LIST) in later and ("RU", DIPLO) in later
    assert ("RU", LIST) not in {(r.imposer, r.target) for r in who(index, date(2022, 3, 1))}


def test_timeline_ru_jp_tells_2014_and_2022(real: Catalog) -> None:
    entries = timeline(real.index(TODAY), "RU", "JP")
    acts = {e.act.id: e.direction for e in entries}
    assert acts.get("RU-GOV-313-2022") == "RU \u2192 JP"
    assert acts.get("RU-PRES-95-2022") == "RU \u2192 JP"
    assert any(e.day.year == 2014 for e in entries)


# -- validate: a membership of a list must cite its act ---------------------------------------
@pytest.fixture
def copy_of_data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA, root)
    return root


def _problems_after(root: Path, old: str, new: str) -> list[str]:
    path = root / "jurisdictions.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataError) as err:
        load_dataset(root)
    return [str(p) for p in err.value.problems]


def test_a_list_membership_without_act_is_refused(copy_of_data: Path) -> None:
    problems = _problems_after(
        copy_of_data,
        "{country: JP, start: 2022-03-07, act: RU-GOV-430R-2022}",
        "{country: JP, start: 2022-03-07}",
    )
    assert any("RU_UNFRIENDLY: membership of JP cites no act" in p for p in problems), problems


def test_a_list_membership_citing_a_missing_act_is_refused(copy_of_data: Path) -> None:
    problems = _problems_after(
        copy_of_data,
        "{country: BS, start: 2022-07-24, act: RU-GOV-2022-07-24}",
        "{country: BS, start: 2022-07-24, act: RU-GOV-9999R-2022}",
    )
    assert any("missing act 'RU-GOV-9999R-2022'" in p for p in problems), problems
