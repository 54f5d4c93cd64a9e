"""Coverage (design.md, Coverage) on the synthetic fixture ``fixtures/coverage``.

What the data set vouches for: a side of a shipment (the destination's import side, the
origin's export side) needs coverage when one of its imposers has a goods measure in force
against the partner (goods_risk); it is vouched for when a declaration of that imposer and
direction covers the day (half-open period), names the partner, holds every code under the
code asked in its product scope, and is not stale. See tests/coverage_support.py for the
fixture's acts and declarations.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctionscope.codes import significant
from sanctionscope.engine.answer import Reason, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import in_scope
from sanctionscope.engine.explain import NOT_ASSESSED
from sanctionscope.engine.goods_risk import goods_risk
from sanctionscope.engine.kernel_coverage import in_scope_sorted
from sanctionscope.load import load_dataset
from sanctionscope.model.coverage import ProductScope
from sanctionscope.model.dataset import Dataset
from tests.coverage_support import COVERAGE, KNOWN, AskCov, asker, relied_on, sides

A, N, B, U, L = (
    Verdict.ALLOWED,
    Verdict.NOT_COVERED,
    Verdict.BANNED,
    Verdict.UNDETERMINED,
    Verdict.LICENCE_REQUIRED,
)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(COVERAGE)


@pytest.fixture(scope="module")
def cov(dataset: Dataset) -> Catalog:
    return Catalog(dataset)


@pytest.fixture(scope="module")
def ask(cov: Catalog) -> AskCov:
    return asker(cov)


# -- a declaration's period is half-open [start, end) -------------------------------------
@pytest.mark.parametrize(
    ("origin", "destination", "hs", "day", "verdict", "reason", "relied"),
    [
        # EU-COV-EXPORT [2020-01-01, 2024-07-01): the EU's export side to Belarus needs
        # coverage every day (the arms embargo is in force from 2014-08-01)
        ("DE", "BY", "0709", "2019-12-31", N, Reason.no_declaration, []),
        ("DE", "BY", "0709", "2020-01-01", A, Reason.no_measure, ["EU-COV-EXPORT"]),
        ("DE", "BY", "0709", "2020-01-02", A, Reason.no_measure, ["EU-COV-EXPORT"]),
        ("DE", "BY", "0709", "2024-06-30", A, Reason.no_measure, ["EU-COV-EXPORT"]),  # last day
        ("DE", "BY", "0709", "2024-07-01", N, Reason.no_declaration, []),  # end is excluded
        ("DE", "BY", "0709", "2024-07-02", N, Reason.no_declaration, []),
        # CN-COV-EXPORT from 2024-01-01; regime A binds Chinese exports from 2023-08-01 (addressed
        # to all partners, it does not list 0401, so it does not explain the answer)
        ("CN", "DE", "0401", "2023-12-31", N, Reason.no_declaration, []),
        ("CN", "DE", "0401", "2024-01-01", A, Reason.no_measure, ["CN-COV-EXPORT"]),
        ("CN", "DE", "0401", "2024-01-02", A, Reason.no_measure, ["CN-COV-EXPORT"]),
        # RU-COV-IMPORT [2022-03-01, 2025-01-01) ends with the ban itself: from 2025-01-01
        # Russia has no goods measure on US goods, so nothing needs vouching
        ("US", "RU", "0709", "2022-03-01", A, Reason.code_not_listed, ["RU-COV-IMPORT"]),
        ("US", "RU", "0709", "2022-02-28", A, Reason.not_yet_in_force, []),
        ("US", "RU", "0709", "2025-01-01", A, Reason.no_longer_in_force, []),
    ],
)
def test_declaration_period_is_half_open(
    ask: AskCov,
    origin: str,
    destination: str,
    hs: str,
    day: str,
    verdict: Verdict,
    reason: Reason,
    relied: list[str],
) -> None:
    answer = ask(origin, destination, hs, day)
    assert (answer.verdict, answer.reason) == (verdict, reason)
    assert relied_on(answer) == relied


def test_not_covered_names_the_imposer_direction_and_day(ask: AskCov) -> None:
    # design.md: NOT_COVERED "naming the imposer, direction and day"
    answer = ask("DE", "BY", "0709", "2024-07-01")
    assert answer.coverage is not None
    (side,) = answer.coverage.missing
    assert (side.imposer, side.direction.value, side.partner) == ("EU", "export", "BY")
    assert side.measures == ("EU-COV-ARMS",)
    assert "European Union's measures on exports to Belarus on 2024-07-01" in answer.explanation
    assert "EU-COV-ARMS" in answer.explanation


# -- staleness: both D and K later than reviewed_on + grace --------------------------------
@pytest.mark.parametrize(
    ("day", "known", "grace", "verdict"),
    [
        # RU-COV-IMPORT reviewed 2023-06-30; with 30 days of grace the limit is 2023-07-30
        ("2023-07-30", KNOWN, 30, A),  # D is not later than the limit
        ("2023-07-31", KNOWN, 30, N),  # D and K both later
        ("2024-06-01", "2023-07-30", 30, A),  # K is not later than the limit
        ("2024-06-01", "2023-07-31", 30, N),  # both later by a day
        ("2023-07-31", "2023-07-31", 30, N),
        ("2023-07-01", "2023-07-01", 30, A),  # within the grace period
        # the grace period is the user's: 2023-06-30 + 400 days = 2024-08-03
        ("2024-06-01", KNOWN, 400, A),
        ("2024-08-03", KNOWN, 400, A),
        ("2024-08-04", KNOWN, 400, N),
        ("2024-06-01", KNOWN, 300, N),
        # no grace at all: the review day itself is still vouched for
        ("2023-06-30", KNOWN, 0, A),
        ("2023-07-01", KNOWN, 0, N),
    ],
)
def test_staleness(dataset: Dataset, day: str, known: str, grace: int, verdict: Verdict) -> None:
    # a fresh catalog per case: the answer must not depend on earlier questions
    answer = asker(Catalog(dataset))("US", "RU", "0709", day, known=known, grace=grace)
    assert answer.verdict == verdict
    expected = "vouched" if verdict == A else "not_reviewed_since"
    assert sides(answer) == {("RU", "import"): expected}
    if verdict == N:
        assert answer.reason == Reason.not_reviewed_since
        assert "last reviewed on 2023-06-30" in answer.explanation
        assert f"more than {grace} days before" in answer.explanation


@pytest.mark.parametrize("first", ["2026-11-30", "2023-08-15"])
def test_staleness_reads_the_as_known_on_day_of_the_question(dataset: Dataset, first: str) -> None:
    # design.md, Staleness: a declaration vouches for D as known on K unless both are later
    # than reviewed_on + grace. 2023-07-30 and the later day publish the same acts, so the
    # catalog may share a compiled index between them; K must still be the question's.
    ask = asker(Catalog(dataset))
    earlier = ask("US", "RU", "0709", "2024-06-01", known=first)
    assert earlier.verdict == N
    answer = ask("US", "RU", "0709", "2024-06-01", known="2023-07-30")
    assert (answer.verdict, sides(answer)) == (A, {("RU", "import"): "vouched"})


def test_staleness_order_the_other_way(dataset: Dataset) -> None:
    ask = asker(Catalog(dataset))
    assert ask("US", "RU", "0709", "2024-06-01", known="2023-07-30").verdict == A
    answer = ask("US", "RU", "0709", "2024-06-01", known="2023-08-15")
    assert (answer.verdict, answer.reason) == (N, Reason.not_reviewed_since)


# -- product scope: every code under the code asked must lie inside the scope --------------
@pytest.mark.parametrize(
    ("origin", "destination", "hs", "verdict", "status"),
    [
        # EU-COV-IMPORT (partner RU): chapter 07 and headings 0801-0810
        ("RU", "DE", "0808", A, "vouched"),
        ("RU", "DE", "0808 10 000 0", A, "vouched"),  # trailing zeros: all of 0808 10
        ("RU", "DE", "0810 00", A, "vouched"),  # the last heading of the range
        ("RU", "DE", "07", A, "vouched"),  # the whole chapter is included
        ("RU", "DE", "0701 10", A, "vouched"),
        ("RU", "DE", "08", N, "outside_declared_scope"),  # 0811-0814 are not included
        ("RU", "DE", "0811", N, "outside_declared_scope"),  # just past the range
        ("RU", "DE", "0800", N, "outside_declared_scope"),  # heading 0800 is not in 0801-0810
        ("RU", "DE", "9301", N, "outside_declared_scope"),  # arms: left out on purpose
        # EU-COV-EXPORT (partners RU and BY): chapters 01-24
        ("DE", "BY", "2401", A, "vouched"),
        ("DE", "BY", "25", N, "outside_declared_scope"),
        ("DE", "BY", "9301 10", N, "outside_declared_scope"),
        # CN-COV-EXPORT: chapter 04 less 0407, and headings 0801-0805
        ("CN", "DE", "0401", A, "vouched"),
        ("CN", "DE", "0805 10", A, "vouched"),
        ("CN", "DE", "0407", N, "outside_declared_scope"),  # excluded
        ("CN", "DE", "0407 11", N, "outside_declared_scope"),  # under an excluded code
        ("CN", "DE", "0806 10", N, "outside_declared_scope"),
        ("CN", "DE", "0808 10", N, "outside_declared_scope"),  # design.md: CN -> DE apples
    ],
)
def test_code_inside_or_outside_the_product_scope(
    ask: AskCov, origin: str, destination: str, hs: str, verdict: Verdict, status: str
) -> None:
    day = "2024-06-01"
    answer = ask(origin, destination, hs, day)
    assert answer.verdict == verdict
    assert status in sides(answer).values()
    if verdict == N:
        assert answer.reason == Reason.outside_declared_scope
        assert "outside the product scope" in answer.explanation


def test_a_code_containing_an_excluded_code_is_not_covered(ask: AskCov) -> None:
    # "04" holds 0407 (excluded) and the lines of regime A, so the law is unclear for the
    # code and, even apart from that, the scope could not vouch for it
    answer = ask("CN", "DE", "04", "2024-06-01")
    assert answer.verdict == U
    assert sides(answer) == {("CN", "export"): "outside_declared_scope"}


# -- partners: a declaration vouches only for the partners it names ------------------------
@pytest.mark.parametrize(
    ("origin", "destination", "day", "verdict", "expected"),
    [
        # RU-COV-IMPORT names EU and US; a member of the EU is named through the bloc
        ("DE", "RU", "2023-06-01", A, {("RU", "import"): "vouched", ("EU", "export"): "vouched"}),
        ("US", "RU", "2023-06-01", A, {("RU", "import"): "vouched"}),
        # Norway is a target from 2023-01-01 but the declaration does not name it
        ("NO", "RU", "2023-06-01", N, {("RU", "import"): "no_declaration"}),
        ("NO", "RU", "2022-12-31", A, {}),  # the day before Norway was added: no goods risk
        # EU-COV-IMPORT names Russia only; the arms embargo also reaches Belarus
        ("RU", "DE", "2023-06-01", A, {("EU", "import"): "vouched", ("RU", "export"): "vouched"}),
        ("BY", "DE", "2023-06-01", N, {("EU", "import"): "no_declaration"}),
    ],
)
def test_partner_named_or_not(
    ask: AskCov, origin: str, destination: str, day: str, verdict: Verdict, expected: dict[object, str]
) -> None:
    answer = ask(origin, destination, "0709", day)
    assert answer.verdict == verdict
    assert sides(answer) == expected


def test_not_covered_side_lists_the_measures_that_make_it_needed(ask: AskCov) -> None:
    answer = ask("NO", "RU", "0709", "2023-06-01")
    assert answer.coverage is not None
    (side,) = answer.coverage.missing
    assert (side.side, side.partner, side.measures) == ("RU", "NO", ("RU-COV-BAN",))
    assert "Russian Federation's measures on imports from Norway on 2023-06-01" in answer.explanation
    assert answer.explanation.endswith(NOT_ASSESSED)


# -- sides that need no coverage -----------------------------------------------------------
@pytest.mark.parametrize(
    ("origin", "destination", "hs", "day", "reason"),
    [
        ("NZ", "JP", "0709", "2022-06-01", Reason.no_measure),  # nobody's measures speak
        # NZ's travel bans on Russian persons restrict no goods; RU's ban does not name NZ
        ("NZ", "RU", "0709", "2022-06-01", Reason.no_measure),
        ("CH", "RU", "0406 10", "2023-06-01", Reason.origin_not_targeted),
        # the EU's law stops binding the UK on 2021-01-01 (design.md, imposers)
        ("GB", "BY", "9301", "2021-01-01", Reason.no_measure),
    ],
)
def test_a_side_without_goods_risk_needs_no_coverage(
    ask: AskCov, origin: str, destination: str, hs: str, day: str, reason: Reason
) -> None:
    answer = ask(origin, destination, hs, day)
    assert (answer.verdict, answer.reason) == (A, reason)
    assert sides(answer) == {}
    assert "No side of this shipment needed a coverage declaration" in answer.explanation


def test_measures_on_persons_or_entities_create_no_goods_risk(cov: Catalog) -> None:
    # design.md: "Measures aimed only at persons or entities do not create goods risk."
    index = cov.index(date.fromisoformat(KNOWN))
    day = date(2023, 6, 1)
    # US-COV-ENTITIES is an export ban with lines, but aimed at listed entities only
    assert goods_risk(index, "US", "RU", day) == []
    assert goods_risk(index, "NZ", "RU", day) == []  # travel bans
    # the EU's asset freeze does not count; its arms embargo does
    assert [m.id for m in goods_risk(index, "EU", "RU", day)] == ["EU-COV-ARMS"]
    # RU's asset freeze on US persons does not count; the import ban on US origins does
    assert [m.id for m in goods_risk(index, "RU", "US", day)] == ["RU-COV-BAN"]


def test_entity_list_leaves_the_us_export_side_out(ask: AskCov) -> None:
    # apples: not on RU's list, but on the US entity list's (aimed at entities only)
    answer = ask("US", "RU", "0808 10", "2023-06-01")
    assert answer.verdict == A
    assert sides(answer) == {("RU", "import"): "vouched"}
    assert relied_on(answer) == ["RU-COV-IMPORT"]


def test_goods_risk_runs_both_ways(ask: AskCov) -> None:
    # design.md: goods_risk(A, B, D) holds for a measure that "restricts goods to or from B":
    # China's export regimes addressed to all make China's import side need coverage too
    answer = ask("DE", "CN", "0401", "2024-06-01")
    assert (answer.verdict, answer.reason) == (N, Reason.no_declaration)
    assert sides(answer) == {("CN", "import"): "no_declaration"}


def test_an_unlisted_measure_makes_a_side_need_coverage(ask: AskCov) -> None:
    # EU-COV-ARMS holds no lines (product_scope unlisted) but restricts goods to Belarus
    answer = ask("FR", "BY", "0709", "2024-07-01")
    assert answer.verdict == N
    assert answer.considered == []  # no trade measure spoke: coverage alone decides
    assert answer.coverage is not None
    assert [s.measures for s in answer.coverage.missing] == [("EU-COV-ARMS",)]


# -- the UK counts as an EU member on the imposer side until 2020-12-31 ---------------------
@pytest.mark.parametrize(
    ("day", "verdict", "expected"),
    [
        ("2020-01-31", N, {("EU", "export"): "outside_declared_scope"}),  # a member
        ("2020-02-01", N, {("EU", "export"): "outside_declared_scope"}),  # transition
        ("2020-12-31", N, {("EU", "export"): "outside_declared_scope"}),  # last day bound
        ("2021-01-01", A, {}),
    ],
)
def test_uk_is_bound_by_eu_law_until_the_end_of_the_transition(
    ask: AskCov, day: str, verdict: Verdict, expected: dict[object, str]
) -> None:
    answer = ask("GB", "BY", "9301", day)  # arms: outside EU-COV-EXPORT's scope
    assert answer.verdict == verdict
    assert sides(answer) == expected


def test_uk_in_transition_relies_on_the_eu_declaration(ask: AskCov) -> None:
    answer = ask("GB", "BY", "0709", "2020-06-01")
    assert answer.verdict == A
    assert relied_on(answer) == ["EU-COV-EXPORT"]
    assert "EU-COV-EXPORT (reviewed 2026-12-01)" in answer.explanation


def test_allowed_answer_names_every_declaration_relied_on(ask: AskCov) -> None:
    answer = ask("DE", "RU", "0701 10", "2023-06-01")  # seed potatoes: a code exception
    assert (answer.verdict, answer.reason) == (A, Reason.code_exception)
    assert relied_on(answer) == ["EU-COV-EXPORT", "RU-COV-IMPORT"]
    assert answer.explanation.endswith(NOT_ASSESSED)


# -- a measure on a territory of the partner creates goods risk ------------------------------
REGION_BAN = """# Synthetic: an EU ban on all goods from one region of Ukraine (ISO 3166-2 UA-09).
id: EU-COV-2-2022
issuer: EU
authority: Test Council
kind: regulation
title: {original: "Test territory ban", lang: en, en: "Test territory ban"}
signed: 2022-02-23
published: 2022-02-23
in_force: 2022-02-24
sources: [{url: "https://example.org/cov/eu-2"}]
summary: Bans imports of all goods from a region of Ukraine.
measures:
  - id: EU-COV-REGION
    type: import_ban
    title: Test import ban on a region
    imposer: EU
    targets:
      - {jurisdiction: UA-09, scope: territory}
    start: 2022-02-24
    product_scope: all
"""


@pytest.mark.parametrize(
    ("origin", "verdict", "expected"),
    [
        # the region itself: banned, coverage or not
        ("UA-09", B, {("EU", "import"): "no_declaration"}),
        # design.md: goods_risk(A, B, D) holds when A's goods measure targets "B, a territory
        # of B, or a bloc or list B belongs to": goods declared as Ukrainian may come from
        # the region, so the EU's import side needs coverage, and none is declared
        ("UA", N, {("EU", "import"): "no_declaration"}),
        # another region of Ukraine: the banned region is not a territory of it
        ("UA-30", A, {}),
    ],
)
def test_a_measure_on_a_territory_of_the_partner_creates_goods_risk(
    tmp_path: Path, origin: str, verdict: Verdict, expected: dict[object, str]
) -> None:
    root = tmp_path / "data"
    shutil.copytree(COVERAGE, root)
    (root / "acts" / "EU" / "EU-COV-2-2022.yaml").write_text(REGION_BAN)
    answer = asker(Catalog(load_dataset(root)))(origin, "DE", "0709", "2023-06-01")
    assert answer.verdict == verdict
    assert sides(answer) == expected


_prefix = st.text("0123456789", min_size=0, max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(_prefix.filter(lambda p: len(p) >= 2), max_size=4),
    st.lists(_prefix.filter(lambda p: len(p) >= 2), max_size=4),
    st.lists(st.text("0123456789", min_size=1, max_size=10), min_size=1, max_size=40),
)
def test_scope_of_many_codes_at_once_is_scope_of_each(
    dataset: Dataset, include: list[str], exclude: list[str], codes: list[str]
) -> None:
    """The batch kernel asks the product scope of every code class at once over sorted
    codes; each answer is the one asked code by code (an included prefix above the code,
    no excluded prefix above or under it)."""
    base = next(iter(dataset.coverage.values()))
    decl = base.model_copy(update={"product_scope": ProductScope(include=include, exclude=exclude)})
    keys = sorted({significant(c) for c in codes})
    assert in_scope_sorted(decl, keys).tolist() == [in_scope(decl, k) for k in keys]
