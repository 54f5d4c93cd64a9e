"""Coverage on the embedded data: legal cases (design.md, Coverage, worked examples).

The declarations of ``data/coverage`` vouch for Russia's imports from the states its food
ban names (7 Aug 2014 - 23 Feb 2022), and for the EU's, Norway's and Japan's goods
measures on Russia in 2014-2022, food chapters 01-24 where the arms and dual-use lists are
not held. Beyond those periods and scopes the answer is NOT_COVERED, naming the side.
"""

from __future__ import annotations

import pytest

from sanctionscope.engine.answer import Answer, Reason, Verdict
from sanctionscope.engine.explain import NOT_ASSESSED
from tests.conftest import Ask

B, A, U, N = Verdict.BANNED, Verdict.ALLOWED, Verdict.UNDETERMINED, Verdict.NOT_COVERED
#: the day the declarations were last reviewed: none of them is stale as known on it
KNOWN = "2026-12-02"


def _relied(answer: Answer) -> list[str]:
    assert answer.coverage is not None
    return sorted(d.id for d in answer.coverage.relied_on)


def _missing(answer: Answer) -> list[tuple[str, str, str]]:
    assert answer.coverage is not None
    return [(s.imposer, s.direction.value, s.partner) for s in answer.coverage.missing]


# -- the data set cannot vouch: NOT_COVERED, naming the side and the day --------------------
@pytest.mark.parametrize(
    ("origin", "destination", "hs", "day", "side", "sentence"),
    [
        # German medical instruments to Russia, 2026: no EU declaration vouches for 2026 (the
        # annexes of the later packages are not all held); machining centres (8457 10), the
        # design.md example, are now banned by the annexes that are (see below)
        (
            "DE",
            "RU",
            "9018 90",
            "2026-06-01",
            ("EU", "export", "RU"),
            "European Union's measures on exports to Russian Federation on 2026-06-01",
        ),
        # Russian fish into Germany, 2026: no EU declaration vouches for 2026 (semi-finished
        # iron, 7207 12, is now banned by Annex XVII)
        (
            "RU",
            "DE",
            "0303 89",
            "2026-06-01",
            ("EU", "import", "RU"),
            "European Union's measures on imports from Russian Federation on 2026-06-01",
        ),
        # Russian washing machines into Japan, June 2022: only part of Japan's 38-item import
        # ban of April 2022 is held (its logs are listed), and no declaration covers June 2022
        (
            "RU",
            "JP",
            "8450 11",
            "2022-06-01",
            ("JP", "import", "RU"),
            "Japan's measures on imports from Russian Federation on 2022-06-01",
        ),
        # a machine tool in 2016: the EU's dual-use and military lists are not held, and the
        # EU declaration vouches for chapters 01-24 only
        (
            "DE",
            "RU",
            "8457 10",
            "2016-06-01",
            ("EU", "export", "RU"),
            "European Union's measures on exports to Russian Federation on 2016-06-01",
        ),
        # JP-EXPORT-RU-2014-2022 ends on 23 Feb 2022 (exclusive)
        (
            "JP",
            "RU",
            "0808 10",
            "2022-02-23",
            ("JP", "export", "RU"),
            "Japan's measures on exports to Russian Federation on 2022-02-23",
        ),
    ],
)
def test_not_covered_names_the_side_and_the_day(
    ask: Ask, origin: str, destination: str, hs: str, day: str, side: tuple[str, str, str], sentence: str
) -> None:
    answer = ask(origin, hs, day, destination=destination, known=KNOWN)
    assert answer.verdict == N
    assert side in _missing(answer)
    assert f"Not covered: the data set cannot vouch for {sentence}" in answer.explanation


# -- Japan: coverage relied on after 24 Sep 2014 --------------------------------------------
@pytest.mark.parametrize(
    ("day", "relied"),
    [
        # before 24 Sep 2014 Japan had no goods measure on Russia (the Crimea import ban of
        # 5 Aug 2014 targets Crimea and Sevastopol): no side needs coverage
        ("2014-08-10", []),
        ("2014-09-23", []),
        # from 24 Sep 2014 Japan tightened arms exports: its export side needs coverage,
        # declared for food (chapters 01-24) having read those measures
        ("2014-09-24", ["JP-EXPORT-RU-2014-2022"]),
        ("2015-08-10", ["JP-EXPORT-RU-2014-2022"]),
        ("2022-02-22", ["JP-EXPORT-RU-2014-2022"]),
    ],
)
def test_japanese_apples_into_russia(ask: Ask, day: str, relied: list[str]) -> None:
    answer = ask("JP", "0808 10", day, known=KNOWN)
    assert (answer.verdict, answer.reason) == (A, Reason.origin_not_targeted)
    assert _relied(answer) == relied
    assert _missing(answer) == []


# -- origins Russia's food ban never named (or not yet, or no longer) -----------------------
@pytest.mark.parametrize(
    ("origin", "hs", "day", "why"),
    [
        ("CH", "0406 90", "2014-08-10", "Swiss cheese: Switzerland was never listed"),
        ("CH", "0808 10", "2020-06-01", "Switzerland, six years on"),
        ("CN", "0808 10", "2015-03-01", "design.md: no goods measure either way"),
        ("CN", "0406 90", "2021-06-01", "China was never listed"),
        ("BY", "0808 10", "2016-03-01", "Belarus, an EAEU member"),
        ("BY", "0201 30", "2020-03-01", "Belarusian beef"),
        ("KZ", "0406", "2019-01-01", "Kazakh cheese"),
        ("NZ", "0201 30", "2014-09-01", "New Zealand's 2014 measures were travel bans"),
        ("NZ", "0401", "2016-06-01", "design.md: NZ -> RU milk, 2016"),
        ("TR", "0808 10", "2017-06-02", "Turkish apples taken off the list on 2 Jun 2017"),
        ("TR", "0805 10", "2019-06-01", "Turkish oranges, lifted in 2017"),
        ("UA", "0808 10", "2015-06-01", "Ukraine was only listed from 1 Jan 2016"),
        ("UA", "0808 10", "2015-12-31", "the last day before Ukraine was listed"),
    ],
)
def test_origins_the_ban_does_not_name_stay_allowed(
    ask: Ask, origin: str, hs: str, day: str, why: str
) -> None:
    answer = ask(origin, hs, day, known=KNOWN)
    assert answer.verdict == A, why
    assert _missing(answer) == [], why


@pytest.mark.parametrize(
    ("origin", "hs", "day", "relied"),
    [
        # Turkey is named by RU-IMPORT-2014-2022: Russia's import side needs coverage (the
        # tomato line stays) and is vouched for
        ("TR", "0808 10", "2017-06-02", ["RU-IMPORT-2014-2022"]),
        ("TR", "0805 10", "2019-06-01", ["RU-IMPORT-2014-2022"]),
        # no goods measure of Russia on Swiss, Chinese or Belarusian goods: nothing to vouch
        ("CH", "0406 90", "2014-08-10", []),
        # China's export side needs coverage (graphite controls since 2006, addressed to all
        # destinations); its food exports are vouched for
        ("CN", "0808 10", "2015-03-01", ["CN-EXPORT-FOOD-2006-2023"]),
        ("BY", "0808 10", "2016-03-01", []),
    ],
)
def test_declarations_relied_on_for_allowed_origins(
    ask: Ask, origin: str, hs: str, day: str, relied: list[str]
) -> None:
    answer = ask(origin, hs, day, known=KNOWN)
    assert answer.verdict == A
    assert _relied(answer) == relied


@pytest.mark.parametrize(
    ("origin", "hs", "day"),
    [
        ("TR", "0808 10", "2017-06-01"),  # the last day Turkish apples were banned
        ("NZ", "0401", "2024-11-29"),  # New Zealand listed from 29 Nov 2024
        ("UA", "0808 10", "2016-01-01"),  # Ukraine listed from 1 Jan 2016
    ],
)
def test_the_same_origins_when_the_law_bans(ask: Ask, origin: str, hs: str, day: str) -> None:
    # a ban found is always reported, coverage or not (Russia's later import side for
    # New Zealand and Ukraine is not vouched for)
    answer = ask(origin, hs, day, known=KNOWN)
    assert (answer.verdict, answer.reason) == (B, Reason.listed)


# -- Poland: the ban, and its seed-potato carve-out with both sides vouched for -------------
def test_polish_seed_potatoes_rely_on_both_sides(ask: Ask) -> None:
    # Res. 830 (20 Aug 2014) carves seed potatoes 0701 10 000 0 out of line 0701
    answer = ask("PL", "0701 10 000 0", "2015-08-10", known=KNOWN)
    assert (answer.verdict, answer.reason) == (A, Reason.code_exception)
    assert _relied(answer) == ["EU-EXPORT-RU-2014-2022", "RU-IMPORT-2014-2022"]
    assert "RU-830-X-SEED-POTATO" in answer.explanation
    assert "Coverage relied on" in answer.explanation


def test_polish_apples_are_banned(ask: Ask) -> None:
    answer = ask("PL", "0808 10", "2014-08-10", known=KNOWN)
    assert (answer.verdict, answer.reason) == (B, Reason.listed)
    assert [ev.measure.id for ev in answer.deciding] == ["RU-FOOD-IMPORT-BAN"]


# -- explanations name only the measures that speak to the shipment -------------------------
def test_a_german_machine_tool_does_not_cite_the_turkish_food_ban(ask: Ask) -> None:
    answer = ask("DE", "8457 10", "2026-06-01", known=KNOWN)
    assert "RU-TR-FOOD-IMPORT-BAN" not in answer.explanation
    assert "Turkey" not in answer.explanation and "Türkiye" not in answer.explanation
    assert "RU-TR-FOOD-IMPORT-BAN" not in [ev.measure.id for ev in answer.deciding]


def test_us_eggs_do_not_mention_the_us_crimea_export_ban(ask: Ask) -> None:
    # birds' eggs 0407 were never on Russia's list; the US export ban of EO 13685 concerns
    # Crimea and Sevastopol, not Russia
    answer = ask("US", "0407", "2016-01-01", known=KNOWN)
    assert (answer.verdict, answer.reason) == (A, Reason.code_not_listed)
    assert _relied(answer) == ["RU-IMPORT-2014-2022"]
    assert "US-EO13685-EXPORT-BAN" not in answer.explanation
    assert "US-EO-13685-2014" not in answer.explanation
    assert "Crimea" not in answer.explanation
    assert "US-EO13685-EXPORT-BAN" not in [ev.measure.id for ev in answer.deciding]


# -- every answer says what the verdict does not assess -------------------------------------
@pytest.mark.parametrize(
    ("origin", "destination", "hs", "day"),
    [
        ("DE", "RU", "9018 90", "2026-06-01"),  # NOT_COVERED
        ("PL", "RU", "0808 10", "2014-08-10"),  # BANNED
        ("JP", "RU", "0808 10", "2015-08-10"),  # ALLOWED, coverage relied on
        ("CN", "RU", "0808 10", "2015-03-01"),  # ALLOWED, no side needs coverage
        ("GB", "RU", "0406", "2020-06-01"),  # UNDETERMINED: the Brexit transition
        ("DE", "RU", "8431 43", "2016-06-01"),  # LICENCE_REQUIRED: Annex II oil-industry items
        ("BR", "AR", "0201", "2016-06-01"),  # no measure at all
    ],
)
def test_every_explanation_ends_with_what_is_not_assessed(
    ask: Ask, origin: str, destination: str, hs: str, day: str
) -> None:
    answer = ask(origin, hs, day, destination=destination, known=KNOWN)
    assert answer.explanation.endswith(NOT_ASSESSED)
    assert answer.explanation.count(NOT_ASSESSED) == 1


@pytest.mark.parametrize(
    ("origin", "destination", "hs", "annex"),
    [
        ("DE", "RU", "8457 10", "EU-833-ANNEX-XXIII-INDUSTRIAL-EXPORT"),  # design.md's example
        ("RU", "DE", "7207 12", "EU-833-ANNEX-XVII-IRON-STEEL-IMPORT"),
    ],
)
def test_the_2026_examples_of_design_md_are_banned_now_the_annexes_are_held(
    ask: Ask, origin: str, destination: str, hs: str, annex: str
) -> None:
    answer = ask(origin, hs, "2026-06-01", destination=destination, known=KNOWN)
    assert answer.verdict == B, answer.explanation
    assert annex in [ev.measure.id for ev in answer.deciding]


def test_new_zealand_the_day_before_it_was_listed_is_not_covered_not_allowed(ask: Ask) -> None:
    # Since March 2022 Russia restricts goods to every partner (Res. 311, 312; Decree 961), so
    # its import side needs a declaration, and none vouches after 23 Feb 2022; New Zealand's
    # own export side has its Russia Sanctions Act measures, whose lists are not held.
    answer = ask("NZ", "0401", "2024-11-28", known=KNOWN)
    assert answer.verdict == N, answer.explanation
    assert ("RU", "import") in [(s.imposer, s.direction.value) for s in answer.coverage.missing]
    assert ask("NZ", "0401", "2024-11-29", known=KNOWN).verdict == B


def test_the_verdicts_of_that_table_are_all_different(ask: Ask) -> None:
    # the cases above reach every verdict (so the test above is not about one kind)
    cases = [
        ("DE", "RU", "9018 90", "2026-06-01"),
        ("PL", "RU", "0808 10", "2014-08-10"),
        ("JP", "RU", "0808 10", "2015-08-10"),
        ("GB", "RU", "0406", "2020-06-01"),
        ("DE", "RU", "8431 43", "2016-06-01"),
    ]
    found = {ask(o, hs, day, destination=d, known=KNOWN).verdict for o, d, hs, day in cases}
    assert found == {N, B, A, U, Verdict.LICENCE_REQUIRED}
