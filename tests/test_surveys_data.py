"""The surveys of the embedded data (issue 11; design.md, Coverage): which imposers are
surveyed, and what that changes for real shipments. A side of a shipment whose country is
surveyed needs coverage only where one of its imposers restricts goods to or from the
partner; a side whose country is not surveyed always needs coverage.
"""

from __future__ import annotations

from datetime import date

import pytest

from sanctionscope.engine.answer import Answer, Reason, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import Side

A, B, N = Verdict.ALLOWED, Verdict.BANNED, Verdict.NOT_COVERED
KNOWN = date(2026, 12, 2)

#: the UN, the EU, the G20 states and the other states surveyed: each survey vouches from
#: 1 Jan 2014
SURVEYED = [
    "UN", "EU", "GB", "US", "CH", "CA", "AU", "NZ", "JP", "KR", "CN", "RU", "BY", "UA",
    "TR", "IN", "SA", "AR", "BR", "ID", "MX", "ZA", "KZ", "NO",
]  # fmt: skip


def _ask(real: Catalog, origin: str, destination: str, hs: str, day: str, side: Side = Side.both) -> Answer:
    q = real.question(origin, destination, hs, date.fromisoformat(day), KNOWN)
    q.side = side
    return real.check(q)


def _missing(answer: Answer) -> list[tuple[str, str, str]]:
    assert answer.coverage is not None
    return [(s.imposer, s.direction.value, s.status.value) for s in answer.coverage.missing]


@pytest.mark.parametrize("imposer", SURVEYED)
def test_the_imposer_is_surveyed_from_2014(real: Catalog, imposer: str) -> None:
    survey = real.dataset.surveys[imposer]
    assert survey.since <= date(2014, 1, 1)
    assert survey.sources


def test_the_eu_survey_speaks_for_its_members(real: Catalog) -> None:
    assert real.dataset.surveys["EU"].members


def test_an_unsurveyed_origin_is_not_covered_on_its_export_side(real: Catalog) -> None:
    # Vietnam is not surveyed: the data set cannot know what it restricts; the United
    # States have no goods measure against Viet Nam
    answer = _ask(real, "VN", "US", "8471 30", "2024-06-01")
    assert (answer.verdict, answer.reason) == (N, Reason.not_surveyed)
    assert _missing(answer) == [("VN", "export", "not_surveyed")]
    assert "Vietnam is not among the surveyed imposers" in answer.explanation


def test_asking_about_the_import_side_only_leaves_the_unsurveyed_origin_out(real: Catalog) -> None:
    answer = _ask(real, "VN", "US", "8471 30", "2024-06-01", side=Side.import_)
    assert answer.verdict == A
    assert _missing(answer) == []


def test_india_to_pakistan_in_2025_is_not_covered(real: Catalog) -> None:
    # Pakistan is not surveyed; India restricts trade with Pakistan (its import ban of May
    # 2025, held at regime level only), and no declaration vouches for India's exports
    answer = _ask(real, "IN", "PK", "0808 10", "2025-06-01")
    assert answer.verdict == N
    assert _missing(answer) == [("PK", "import", "not_surveyed"), ("IN", "export", "no_declaration")]
    # the other way, India's import side names its ban
    back = _ask(real, "PK", "IN", "0808 10", "2025-06-01")
    assert ("IN", "import", "regime_not_held") in _missing(back)


def test_a_surveyed_pair_with_no_goods_measure_is_allowed(real: Catalog) -> None:
    # Brazilian beef to Argentina, 2016: both states apply only UN measures, none on
    # each other
    answer = _ask(real, "BR", "AR", "0201", "2016-06-01")
    assert (answer.verdict, answer.reason) == (A, Reason.no_measure)
    assert _missing(answer) == []


def test_a_surveyed_origin_the_ban_does_not_name_is_allowed(real: Catalog) -> None:
    # design.md: Chinese apples into Russia, 2015: the food ban does not name China, and
    # neither state has a goods measure on the other
    answer = _ask(real, "CN", "RU", "0808 10", "2015-03-01")
    assert (answer.verdict, answer.reason) == (A, Reason.origin_not_targeted)
    assert _missing(answer) == []


def test_a_member_state_is_vouched_for_by_the_eu_survey(real: Catalog) -> None:
    # German cheese to Switzerland in 2016: neither side restricts it, and Germany's own
    # regimes are vouched for by the EU survey of its members' national regimes
    answer = _ask(real, "DE", "CH", "0406 90", "2016-06-01")
    assert answer.verdict == A
    assert _missing(answer) == []


def test_before_the_surveys_start_no_side_is_vouched_for(real: Catalog) -> None:
    # the surveys cover the days from 1 Jan 2014: on an earlier day no country's
    # regimes are known to be held
    answer = _ask(real, "BR", "AR", "0201", "2013-12-31")
    assert answer.verdict == N
    assert _missing(answer) == [("AR", "import", "not_surveyed"), ("BR", "export", "not_surveyed")]


def test_a_ban_is_reported_whatever_the_surveys(real: Catalog) -> None:
    # Polish apples on the first days of Russia's food ban (Res. 778 of 7 Aug 2014)
    assert _ask(real, "PL", "RU", "0808 10", "2014-08-10").verdict == B


def test_an_import_regime_does_not_void_the_declaration_of_the_exporting_side(real: Catalog) -> None:
    # Ukraine's ban on imports of Russian goods (Resolution 1147, from 10 Jan 2016) is held
    # at regime level only; it restricts what Ukraine imports, not what it exports, so
    # Ukraine's declaration for food exports to Russia still vouches for that side
    answer = _ask(real, "UA", "RU", "01", "2016-01-10")
    assert ("UA", "export", "regime_not_held") not in _missing(answer)
    assert answer.coverage is not None
    vouched = [s for s in answer.coverage.sides if s.imposer == "UA" and s.direction.value == "export"]
    assert vouched and vouched[0].declaration is not None
    # while a Russian answer from Ukraine's side names the import ban
    back = _ask(real, "RU", "UA", "01", "2016-01-10")
    assert ("UA", "import", "regime_not_held") in _missing(back)


@pytest.mark.parametrize(
    ("origin", "day", "verdict"),
    [
        # Liechtenstein's ordinances are recorded in full from 1 January 2022 only: its
        # measures against Belarus before August 2021 could not be identified
        ("LI", "2021-06-01", N),
        ("LI", "2023-06-01", A),
        # Norway's regulations are recorded as its gazette held them on 7 November 2025:
        # later days are vouched for only within the grace period
        ("NO", "2021-06-01", A),
        ("NO", "2026-06-01", N),
    ],
)
def test_a_survey_vouches_from_its_start_to_its_review(
    real: Catalog, origin: str, day: str, verdict: Verdict
) -> None:
    # to Germany: neither side has a goods measure against the other
    answer = _ask(real, origin, "DE", "8471 30", day)
    assert answer.verdict == verdict
    if verdict == N:
        assert _missing(answer) == [(origin, "export", "not_surveyed")]


def test_liechtenstein_is_surveyed_from_2022_and_norway_was_reviewed_in_november_2025(real: Catalog) -> None:
    assert real.dataset.surveys["LI"].since == date(2022, 1, 1)
    assert real.dataset.surveys["NO"].reviewed_on == date(2025, 11, 8)
