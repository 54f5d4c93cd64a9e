"""Russia's food counter-sanctions (Decree 560 / Resolution 778 family) on the embedded data.

Each case is taken from the legal texts as summarised in the act files' sources: the list
of 7 Aug 2014, the carve-outs of Res. 830 and 625, the countries added by Res. 842, the
salt of Res. 897, the pigs, offal and fats of Res. 1292, the UK named by Res. 2054, New
Zealand in Nov 2024, and every prolongation up to 31 Dec 2026.
"""

from __future__ import annotations

import pytest

from sanctionscope.engine.answer import Reason, Verdict
from tests.conftest import Ask

B, A, U, N = Verdict.BANNED, Verdict.ALLOWED, Verdict.UNDETERMINED, Verdict.NOT_COVERED
FOOD = "RU-FOOD-IMPORT-BAN"

CASES = [
    # -- Res. 778: the list of 7 Aug 2014 and its five origins ---------------------------------
    ("PL", "0808 10", "2014-08-10", B, "Polish apples, the emblem of the ban"),
    ("JP", "0808 10", "2014-08-10", A, "Japan sanctioned Russia but is not on the list"),
    ("US", "0207 14", "2014-08-07", B, "US chicken cuts on the first day in force"),
    ("US", "0207 14", "2014-08-06", A, "the day before Res. 778 entered into force"),
    ("NO", "0302 14", "2014-08-10", B, "Norwegian fresh salmon"),
    ("CH", "0406 90", "2014-08-10", A, "Swiss cheese: Switzerland was never listed"),
    ("DE", "0406", "2014-08-10", B, "German cheese"),
    ("CA", "0203 19", "2014-09-01", B, "Canadian pork"),
    ("AU", "0201 30", "2014-09-01", B, "Australian beef"),
    ("NZ", "0201 30", "2014-09-01", A, "New Zealand was not listed until 2024"),
    ("HR", "0808 10", "2014-09-01", B, "Croatia, an EU member since 2013"),
    ("FR", "0204 10", "2014-09-01", A, "sheep meat was not on the list"),
    ("FR", "0409", "2014-09-01", A, "natural honey was not on the list"),
    ("FR", "1602 20", "2014-09-01", A, "liver pate (1602) was not on the list"),
    ("FR", "0407 21", "2014-09-01", A, "birds' eggs were not on the list"),
    ("FR", "1604 11", "2014-09-01", A, "prepared fish was not on the list"),
    ("FR", "2204 21", "2014-09-01", A, "wine was never on the list"),
    ("IT", "1601 00 990 0", "2014-09-01", B, "Italian sausages (1601 00)"),
    ("ES", "0805 10", "2014-09-01", B, "Spanish oranges (fruit 0801-0813)"),
    ("NL", "0702 00 000 0", "2014-09-01", B, "Dutch tomatoes"),
    ("GR", "0810 10", "2014-09-01", B, "Greek strawberries"),
    ("FI", "0405 10", "2014-09-01", B, "Finnish butter"),
    ("DE", "0206 10", "2014-09-01", A, "bovine offal was only added in 2017"),
    ("DK", "0209 10", "2016-01-01", A, "pig fat only added in 2017"),
    # not banned, but the EU's export side is vouched for food only (chapters 01-24): the
    # arms and dual-use lists, not held, reach salt's chapter 25
    ("FR", "2501 00", "2015-01-01", N, "salt only added in 2016"),
    # -- Res. 830 (20 Aug 2014): carve-outs by code ------------------------------------------
    ("NL", "0701 10 000 0", "2014-08-19", B, "seed potatoes before Res. 830"),
    ("NL", "0701 10 000 0", "2014-08-21", A, "seed potatoes carved out by Res. 830"),
    ("NL", "0701 90 500 0", "2014-08-21", B, "ware potatoes stay banned"),
    ("NL", "0703 10 110 0", "2014-09-01", A, "onion sets carved out"),
    ("NL", "0703 10 190 0", "2014-09-01", B, "other onions stay banned"),
    ("FR", "0713 10 100 0", "2014-09-01", A, "peas for sowing carved out"),
    ("FR", "0713 10 900 0", "2014-09-01", B, "other dried peas stay banned"),
    # -- Res. 842 (in force 14 Aug 2015): Albania, Montenegro, Iceland, Liechtenstein ---------
    ("IS", "0303 54", "2015-08-13", A, "Icelandic mackerel the day before Res. 842"),
    ("IS", "0303 54", "2015-08-14", B, "Icelandic mackerel from Res. 842"),
    ("AL", "0808 10", "2015-08-14", B, "Albanian apples"),
    ("ME", "0406", "2015-09-01", B, "Montenegrin cheese"),
    ("LI", "0406", "2015-09-01", B, "Liechtenstein cheese"),
    ("MK", "0808 10", "2015-09-01", A, "North Macedonia was not added"),
    ("GE", "0808 10", "2016-06-01", A, "Georgia was not added"),
    # -- Ukraine from 1 Jan 2016 (Res. 842 / 1397) --------------------------------------------
    ("UA", "0406", "2015-12-31", A, "Ukraine before 1 Jan 2016"),
    ("UA", "0406", "2016-01-01", B, "Ukraine from 1 Jan 2016"),
    # -- countries never listed ------------------------------------------------------------
    ("BY", "0406", "2016-01-01", A, "Belarus (EAEU) was never listed"),
    ("CN", "0808 10", "2016-01-01", A, "China was never listed"),
    ("BR", "0203 29", "2016-01-01", A, "Brazilian pork was never banned"),
    ("JP", "0406", "2020-06-01", A, "Japan still not listed in 2020"),
    # -- Res. 897: salt from 1 Nov 2016 ------------------------------------------------------
    ("FR", "2501 00 910 0", "2016-10-31", N, "salt the day before 1 Nov 2016"),
    ("FR", "2501 00 910 0", "2016-11-01", B, "salt from 1 Nov 2016"),
    # -- Res. 1292 (Oct 2017): live pigs, offal, fats --------------------------------------
    ("DE", "0206 10", "2017-10-26", A, "bovine offal the day before Res. 1292"),
    ("DE", "0206 10", "2017-11-15", B, "bovine offal from Res. 1292"),
    ("DK", "0103 92", "2018-01-01", B, "live pigs from Res. 1292"),
    ("DK", "0103 10 000 0", "2018-01-01", A, "purebred breeding pigs carved out by code"),
    ("DK", "0209 10", "2018-01-01", B, "pig fat from Res. 1292"),
    ("DE", "1501 10", "2018-01-01", B, "lard from Res. 1292"),
    # -- prolongations ---------------------------------------------------------------------
    ("DE", "0808 10", "2015-08-05", B, "last day of the first year"),
    ("DE", "0808 10", "2015-08-06", B, "Decree 320: one more year from 6 Aug 2015"),
    ("DE", "0808 10", "2016-08-06", B, "Decree 305: to 31 Dec 2017"),
    ("DE", "0808 10", "2018-06-01", B, "Decree 293 (2017): to 31 Dec 2018"),
    ("DE", "0808 10", "2019-06-01", B, "Decree 420: to 31 Dec 2019"),
    ("DE", "0808 10", "2020-06-01", B, "Decree 293 (2019): to 31 Dec 2020"),
    ("DE", "0808 10", "2022-06-01", B, "Decree 534: to 31 Dec 2022"),
    ("DE", "0808 10", "2023-06-01", B, "Decree 725: to 31 Dec 2023"),
    ("DE", "0808 10", "2024-06-01", B, "Decree 693: to 31 Dec 2024"),
    ("DE", "0808 10", "2026-12-31", B, "Decree 807: to 31 Dec 2026 inclusive"),
    # no act extends the ban beyond 31 Dec 2026, but the EU's 2022-26 export measures
    # are not held: the EU export side cannot be vouched for
    ("DE", "0808 10", "2027-01-01", N, "no act extends beyond 31 Dec 2026"),
    # -- Brexit ----------------------------------------------------------------------------
    ("GB", "0406", "2019-06-01", B, "the UK as an EU member"),
    ("GB", "0406", "2020-01-31", B, "the UK's last day as an EU member"),
    ("GB", "0406", "2020-06-01", U, "transition period: unclear whether covered"),
    ("GB", "0406", "2021-06-01", B, "the UK named by Res. 2054 (Dec 2020)"),
    # -- New Zealand (resolution of 28 Nov 2024) -------------------------------------------
    # not banned, but from March 2022 Russia has goods measures addressed to every partner
    # (the export bans of Res. 311/312, the price-cap ban of Decree 961), and no declaration
    # vouches for Russia's import side after 23 Feb 2022
    ("NZ", "0402 21", "2024-11-28", N, "New Zealand before the Nov 2024 resolution"),
    ("NZ", "0402 21", "2024-12-15", B, "New Zealand dairy after Nov 2024"),
]


@pytest.mark.parametrize(("origin", "hs", "day", "verdict", "why"), CASES, ids=[c[4] for c in CASES])
def test_food_ban(ask: Ask, origin: str, hs: str, day: str, verdict: Verdict, why: str) -> None:
    answer = ask(origin, hs, day)
    assert answer.verdict == verdict, answer.explanation
    if verdict == B:
        assert answer.deciding[0].measure.id == FOOD


def test_japan_is_not_a_target_though_apples_are_listed(ask: Ask) -> None:
    answer = ask("JP", "080810", "2014-08-10")
    assert answer.reason == Reason.origin_not_targeted
    assert answer.deciding[0].line is not None and answer.deciding[0].line.code == "0808"


def test_codes_never_listed_say_so(ask: Ask) -> None:
    assert ask("FR", "2204 21", "2014-09-01").reason == Reason.code_not_listed


def test_seed_potatoes_cite_res_830(ask: Ask) -> None:
    answer = ask("NL", "0701 10 000 0", "2014-09-01")
    assert answer.reason == Reason.code_exception
    carve = answer.deciding[0].carve_out
    assert carve is not None and carve.act == "RU-GOV-830-2014"


def test_lactose_free_exception_narrowed_by_res_625(ask: Ask) -> None:
    before = ask("DE", "0401 20", "2014-09-01")
    assert before.verdict == B
    assert "RU-830-X-LACTOSE-FREE" in [e.id for e in before.exceptions]
    attested = ask("DE", "0401 20", "2014-09-01", attest=("RU-830-X-LACTOSE-FREE",))
    assert (attested.verdict, attested.reason) == (A, Reason.attested_exception)
    later = ask("DE", "0401 20", "2015-07-01", attest=("RU-830-X-LACTOSE-FREE",))
    assert later.verdict == B
    assert "RU-830-X-LACTOSE-FREE" in later.attest_not_applied
    assert "RU-625-X-LACTOSE-FREE-DIETARY" in [e.id for e in later.exceptions]
    dietary = ask("DE", "0401 20", "2015-07-01", attest=("RU-625-X-LACTOSE-FREE-DIETARY",))
    assert dietary.verdict == A


def test_baby_food_inputs_res_472(ask: Ask) -> None:
    assert "RU-472-X-BABY-FOOD-INPUTS" in [e.id for e in ask("DE", "0202 30", "2016-06-15").exceptions]
    assert ask("DE", "0202 30", "2016-06-15", attest=("RU-472-X-BABY-FOOD-INPUTS",)).verdict == A
    early = ask("DE", "0202 30", "2016-05-01", attest=("RU-472-X-BABY-FOOD-INPUTS",))
    assert early.verdict == B and "not in force" in early.attest_not_applied["RU-472-X-BABY-FOOD-INPUTS"]


def test_iceland_added_by_res_842_is_in_the_chain(ask: Ask) -> None:
    ev = ask("IS", "0303 54", "2015-09-01").deciding[0]
    assert ev.target is not None and ev.target.act == "RU-GOV-842-2015"


def test_as_known_on_before_a_prolongation(ask: Ask) -> None:
    # Before Decree 320 (24 Jun 2015) was signed, the ban ended on 5 Aug 2015.
    assert ask("DE", "0808 10", "2015-08-10", known="2015-06-23").reason == Reason.no_longer_in_force
    assert ask("DE", "0808 10", "2015-08-10", known="2015-06-24").verdict == B


def test_as_known_on_before_salt_was_published(ask: Ask) -> None:
    # Res. 897 was published on 13 Sep 2016; salt was banned from 1 Nov 2016.
    assert ask("FR", "2501 00", "2016-11-15", known="2016-09-12").verdict == N  # not banned, see above
    assert ask("FR", "2501 00", "2016-11-15", known="2016-09-13").verdict == B


def test_uk_transition_is_undetermined_and_says_why(ask: Ask) -> None:
    answer = ask("GB", "0406", "2020-06-01")
    assert answer.reason == Reason.unclear_target
    assert "unclear" in answer.explanation


def test_trailing_zeros_mean_no_subdivision(ask: Ask) -> None:
    # "0702 00 000" on the list is all of heading 0702; "2501 00" all of 2501.
    assert ask("NL", "0702", "2014-09-01").verdict == B
    assert ask("FR", "2501", "2016-11-02").verdict == B


def test_a_heading_with_a_narrower_carve_out_lists_it_as_undecided(ask: Ask) -> None:
    # 0701 covers seed potatoes (carved out by 0701 10 000 0) and ware potatoes.
    answer = ask("NL", "0701", "2014-09-01")
    assert answer.verdict == B
    assert "RU-830-X-SEED-POTATO" in [e.id for e in answer.exceptions]
    assert ask("NL", "0701", "2014-09-01", attest=("RU-830-X-SEED-POTATO",)).verdict == A
