"""Verdicts and their precedence (design.md, Verdicts; Time-bound conditions) on the
synthetic fixture ``fixtures/coverage`` (see tests/coverage_support.py).

BANNED > LICENCE_REQUIRED > UNDETERMINED > NOT_COVERED > ALLOWED when several measures
speak; an attestation clears only the measure it names; a ban found is always reported,
coverage or not; suspensions apply for their own [start, end) and the record applies again
after.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sanctionscope.engine.answer import PRECEDENCE, Reason, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.explain import NOT_ASSESSED
from sanctionscope.errors import DataError, InputError
from sanctionscope.load import load_dataset
from tests.coverage_support import COVERAGE, AskCov, asker, reasons, relied_on, sides

B, L, U, N, A = (
    Verdict.BANNED,
    Verdict.LICENCE_REQUIRED,
    Verdict.UNDETERMINED,
    Verdict.NOT_COVERED,
    Verdict.ALLOWED,
)
LIC_A, LIC_B, BAN_US, RU_BAN = "CN-COV-LIC-A", "CN-COV-LIC-B", "CN-COV-BAN-US", "RU-COV-BAN"


@pytest.fixture(scope="module")
def ask() -> AskCov:
    return asker(Catalog(load_dataset(COVERAGE)))


def test_precedence_order_is_the_designs() -> None:
    # design.md: "BANNED > LICENCE_REQUIRED > UNDETERMINED > NOT_COVERED > ALLOWED"
    assert PRECEDENCE == [B, L, U, N, A]


# -- licences -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hs", "measure", "authority"),
    [
        # the measure's licensing_authority when given...
        ("0408 11", LIC_A, "Test Licensing Bureau"),
        # ... else the authority of the act that made the measure
        ("0802 11", LIC_B, "Test Ministry of Commerce"),
        ("0804 10", LIC_B, "Test Ministry of Commerce"),
    ],
)
def test_licence_required_names_the_regime_and_the_authority(
    ask: AskCov, hs: str, measure: str, authority: str
) -> None:
    answer = ask("CN", "DE", hs, "2024-06-01")
    assert (answer.verdict, answer.reason) == (L, Reason.listed)
    assert [ev.measure.id for ev in answer.requirements] == [measure]
    assert [ev.measure.id for ev in answer.deciding] == [measure]
    assert f"the licence is issued by {authority}" in answer.explanation
    assert f"Attest {measure}" in answer.explanation
    assert answer.explanation.endswith(NOT_ASSESSED)


@pytest.mark.parametrize(
    ("day", "verdict", "reason", "relied"),
    [
        # CN-COV-EXPORT vouches for Chinese exports from 2024-01-01
        ("2024-06-01", A, Reason.attested_licence, ["CN-COV-EXPORT"]),
        # regime A binds from 2023-08-01: the licence is held, but the data cannot vouch
        # that no other measure applies
        ("2023-09-01", N, Reason.no_declaration, []),
    ],
)
def test_attesting_the_licence_clears_it(
    ask: AskCov, day: str, verdict: Verdict, reason: Reason, relied: list[str]
) -> None:
    answer = ask("CN", "DE", "0408", day, attest=(LIC_A,))
    assert (answer.verdict, answer.reason) == (verdict, reason)
    assert reasons(answer)[LIC_A] == Reason.attested_licence
    assert answer.requirements == []
    assert answer.attest_not_applied == {}
    assert relied_on(answer) == relied


def test_attesting_a_licence_leaves_another_measures_ban(ask: AskCov) -> None:
    # 0410 to the US: licence regime A and the export ban on the US both list it
    before = ask("CN", "US", "0410", "2024-06-01")
    assert before.verdict == B
    answer = ask("CN", "US", "0410", "2024-06-01", attest=(LIC_A,))
    assert (answer.verdict, answer.reason) == (B, Reason.listed)
    assert [ev.measure.id for ev in answer.deciding] == [BAN_US]
    assert reasons(answer)[LIC_A] == Reason.attested_licence


def test_attesting_one_licence_leaves_the_second_regimes(ask: AskCov) -> None:
    # honey 0409 is listed by both regimes
    answer = ask("CN", "DE", "0409", "2024-06-01", attest=(LIC_A,))
    assert (answer.verdict, answer.reason) == (L, Reason.listed)
    assert [ev.measure.id for ev in answer.requirements] == [LIC_B]
    both = ask("CN", "DE", "0409", "2024-06-01", attest=(LIC_A, LIC_B))
    assert (both.verdict, both.reason) == (A, Reason.attested_licence)


def test_attesting_an_unknown_id_is_an_input_error(ask: AskCov) -> None:
    with pytest.raises(InputError, match="attest"):
        ask("CN", "DE", "0408", "2024-06-01", attest=("CN-COV-LIC-Z",))


@pytest.mark.parametrize(
    ("hs", "day", "known", "attested", "why", "verdict"),
    [
        # regime B is in force from 2023-12-01
        ("0408", "2023-09-01", "2026-11-30", LIC_B, "not in force on 2023-09-01", L),
        # regime A is suspended on the day
        ("0408", "2024-12-01", "2026-11-30", LIC_A, "not in force on 2024-12-01", A),
        # regime B does not list 0408
        ("0408", "2024-06-01", "2026-11-30", LIC_B, "does not require a licence", L),
        # the act making regime B was published on 2023-11-01
        ("0409", "2023-12-15", "2023-10-31", LIC_B, "not published as of 2023-10-31", L),
    ],
)
def test_attesting_a_licence_that_does_not_apply_is_reported(
    ask: AskCov, hs: str, day: str, known: str, attested: str, why: str, verdict: Verdict
) -> None:
    answer = ask("CN", "DE", hs, day, known=known, attest=(attested,))
    assert why in answer.attest_not_applied[attested]
    assert answer.verdict == verdict


def test_attesting_an_exception_clears_only_its_measure(ask: AskCov) -> None:
    # lactose-free cheese (by description) from the US: RU's ban is cleared by the
    # attestation, but RU-COV-IMPORT is stale on that day: NOT_COVERED, not ALLOWED
    fresh = ask("US", "RU", "0406 10", "2023-06-01", attest=("RU-COV-X-LACTOSE",))
    assert (fresh.verdict, fresh.reason) == (A, Reason.attested_exception)
    stale = ask("US", "RU", "0406 10", "2024-06-01", attest=("RU-COV-X-LACTOSE",))
    assert (stale.verdict, stale.reason) == (N, Reason.not_reviewed_since)
    assert reasons(stale)[RU_BAN] == Reason.attested_exception


# -- precedence over every pair of outcomes ----------------------------------------------------
LISTED, BROAD, UNLISTED = "listed", "code_too_general", "code_not_listed"


@pytest.mark.parametrize(
    ("pair", "origin", "destination", "hs", "day", "outcomes", "missing", "verdict"),
    [
        # BANNED beats every other outcome
        ("B>L", "CN", "US", "0410", "2024-06-01", {BAN_US: LISTED, LIC_A: LISTED}, False, B),
        ("B>U", "CN", "US", "0802", "2024-06-01", {BAN_US: LISTED, LIC_B: BROAD}, False, B),
        # RU-COV-IMPORT is stale on 2024-06-01: a ban found is reported, coverage or not
        ("B>N", "US", "RU", "0808 30", "2024-06-01", {RU_BAN: LISTED}, True, B),
        ("B>A", "US", "RU", "0808 30", "2023-06-01", {RU_BAN: LISTED}, False, B),
        # LICENCE_REQUIRED beats the law being unclear, coverage and ALLOWED
        ("L>U", "CN", "DE", "0813", "2024-06-01", {LIC_A: LISTED, LIC_B: BROAD}, True, L),
        ("L>N", "CN", "DE", "0408", "2023-09-01", {LIC_A: LISTED}, True, L),
        ("L>A", "CN", "DE", "0408", "2024-06-01", {LIC_A: LISTED, LIC_B: UNLISTED}, False, L),
        # UNDETERMINED beats NOT_COVERED and ALLOWED
        ("U>N", "CN", "DE", "0802", "2023-12-15", {LIC_B: BROAD}, True, U),
        ("U>A", "CN", "DE", "0802", "2024-06-01", {LIC_A: UNLISTED, LIC_B: BROAD}, False, U),
        ("U>A", "US", "RU", "0808", "2023-06-01", {RU_BAN: BROAD}, False, U),
        # NOT_COVERED beats ALLOWED: never rendered as, or counted with, ALLOWED
        ("N>A", "CN", "DE", "0808", "2024-06-01", {LIC_A: UNLISTED, LIC_B: UNLISTED}, True, N),
        ("A", "CN", "DE", "0805", "2024-06-01", {LIC_A: UNLISTED, LIC_B: UNLISTED}, False, A),
    ],
)
def test_precedence_over_pairs_of_outcomes(
    ask: AskCov,
    pair: str,
    origin: str,
    destination: str,
    hs: str,
    day: str,
    outcomes: dict[str, str],
    missing: bool,
    verdict: Verdict,
) -> None:
    answer = ask(origin, destination, hs, day)
    found = reasons(answer)
    assert {m: found.get(m) for m in outcomes} == outcomes, pair
    assert answer.coverage is not None
    assert bool(answer.coverage.missing) == missing, pair
    assert answer.verdict == verdict, pair


def test_a_banned_answer_also_reports_the_licence_it_would_need(ask: AskCov) -> None:
    answer = ask("CN", "US", "0410", "2024-06-01")
    assert answer.verdict == B
    assert [ev.measure.id for ev in answer.requirements] == [LIC_A]
    assert "Banned by Test export ban to the United States" in answer.explanation
    assert "A licence is required under Test export licensing A" in answer.explanation


@pytest.mark.parametrize(
    ("origin", "day", "expected"),
    [
        ("US", "2023-06-01", {("RU", "import"): "vouched"}),
        ("US", "2024-06-01", {("RU", "import"): "not_reviewed_since"}),
        ("NO", "2023-06-01", {("RU", "import"): "no_declaration"}),  # Norway is not named
        ("FR", "2024-08-01", {("RU", "import"): "not_reviewed_since", ("EU", "export"): "no_declaration"}),
    ],
)
def test_a_ban_found_is_reported_coverage_or_not(
    ask: AskCov, origin: str, day: str, expected: dict[object, str]
) -> None:
    answer = ask(origin, "RU", "0406 10", day)
    assert (answer.verdict, answer.reason) == (B, Reason.listed)
    assert [ev.measure.id for ev in answer.deciding] == [RU_BAN]
    assert [e.id for e in answer.exceptions] == ["RU-COV-X-LACTOSE"]
    assert sides(answer) == expected


# -- erga omnes: ALL less the excluded partners ------------------------------------------------
@pytest.mark.parametrize(
    ("destination", "verdict", "reason"),
    [
        ("DE", L, Reason.listed),
        ("JP", L, Reason.listed),
        ("US", L, Reason.listed),  # the US ban does not list 0408
        ("GB", L, Reason.listed),
        # regime A excludes the EAEU: its members are not addressed
        ("KZ", A, Reason.origin_not_targeted),
        ("RU", A, Reason.origin_not_targeted),
        ("BY", A, Reason.origin_not_targeted),
        ("AM", A, Reason.origin_not_targeted),
    ],
)
def test_erga_omnes_with_exclusions(ask: AskCov, destination: str, verdict: Verdict, reason: Reason) -> None:
    answer = ask("CN", destination, "0408", "2024-06-01")
    assert (answer.verdict, answer.reason) == (verdict, reason)
    assert reasons(answer)[LIC_A] == reason
    # regime B is addressed to all partners without exclusion: China's export side needs
    # coverage for every destination, excluded ones too
    assert sides(answer)[("CN", "export")] == "vouched"


# -- suspensions --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "verdict", "reason"),
    [
        # regime A is suspended for [2024-11-10, 2025-11-10) by CN-COV-3-2024
        ("2024-11-09", L, Reason.listed),  # the day before
        ("2024-11-10", A, Reason.suspended),  # the first day
        ("2025-03-01", A, Reason.suspended),
        ("2025-11-09", A, Reason.suspended),  # the last day
        ("2025-11-10", L, Reason.listed),  # the day after: it applies again
    ],
)
def test_suspended_measure(ask: AskCov, day: str, verdict: Verdict, reason: Reason) -> None:
    answer = ask("CN", "DE", "0408", day)
    assert (answer.verdict, answer.reason) == (verdict, reason)
    if reason == Reason.suspended:
        assert "suspended" in answer.explanation
        assert "CN-COV-3-2024" in answer.explanation
        assert "through 2025-11-09" in answer.explanation
        # a suspended measure is not in force: no goods risk from it that day
        assert answer.coverage is not None
        assert [s.measures for s in answer.coverage.sides] == [(LIC_B,)]


def test_suspension_is_not_known_before_its_act_is_published(ask: AskCov) -> None:
    # CN-COV-3-2024 was published on 2024-11-07
    assert ask("CN", "DE", "0408", "2024-12-01", known="2024-11-06").verdict == L
    assert ask("CN", "DE", "0408", "2024-12-01", known="2024-11-07").verdict == A


@pytest.mark.parametrize(
    ("hs", "day", "verdict"),
    [
        # regime B's dates line 0804 10 is suspended for [2025-12-01, 2026-06-01)
        ("0804 10", "2025-11-30", L),
        ("0804 10", "2025-12-01", A),
        ("0804 10", "2026-05-31", A),
        ("0804 10", "2026-06-01", L),
        # the other lines of regime B stay in force
        ("0802 11", "2026-01-15", L),
        ("0813 10", "2026-01-15", L),
    ],
)
def test_suspended_line_only(ask: AskCov, hs: str, day: str, verdict: Verdict) -> None:
    answer = ask("CN", "DE", hs, day)
    assert answer.verdict == verdict


@pytest.mark.parametrize("day", ["2025-12-01", "2026-05-31"])
def test_a_suspended_line_is_reported_as_suspended(ask: AskCov, day: str) -> None:
    # docs/data-format.md: "Answers on a suspended day say `suspended` and name the
    # suspending act." The dates line is on regime B's list; it is suspended, not absent.
    answer = ask("CN", "DE", "0804 10", day)
    assert answer.verdict == A
    assert reasons(answer)[LIC_B] == Reason.suspended
    assert answer.reason == Reason.suspended
    assert "suspended on " + day + " by CN-COV-3-2024 (through 2026-05-31)" in answer.explanation
    assert "not on the list of Test export licensing B" not in answer.explanation


# -- validate: suspensions of one record must not overlap -------------------------------------
SUSPENSIONS = "acts/CN/CN-COV-3-2024.yaml"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(COVERAGE, root)
    return root


def _add_suspension(root: Path, text: str) -> None:
    path = root / SUSPENSIONS
    path.write_text(path.read_text() + text)


@pytest.mark.parametrize(
    ("added", "record"),
    [
        # the whole of regime A again, overlapping [2024-11-10, 2025-11-10)
        (
            "  - op: suspend\n    measure: CN-COV-LIC-A\n    start: 2025-11-09\n    end: 2026-01-01\n",
            "CN-COV-LIC-A",
        ),
        # the dates line again, overlapping [2025-12-01, 2026-06-01)
        (
            "  - op: suspend\n    measure: CN-COV-LIC-B\n    start: 2026-01-01\n    end: null\n"
            '    lines: ["0804 10"]\n',
            "0804 10",
        ),
    ],
)
def test_validate_refuses_overlapping_suspensions(copy: Path, added: str, record: str) -> None:
    _add_suspension(copy, added)
    with pytest.raises(DataError) as err:
        load_dataset(copy)
    problems = [str(p) for p in err.value.problems]
    assert any(f"suspension of {record}" in p and "overlaps the one by CN-COV-3-2024" in p for p in problems)
    assert all(p.startswith(f"data/{SUSPENSIONS}:") for p in problems), problems


@pytest.mark.parametrize(
    "added",
    [
        # [2025-11-10, 2026-01-01) starts on the day the first suspension ends: half-open
        "  - op: suspend\n    measure: CN-COV-LIC-A\n    start: 2025-11-10\n    end: 2026-01-01\n",
        # another line of regime B over the same days
        "  - op: suspend\n    measure: CN-COV-LIC-B\n    start: 2025-12-01\n    end: 2026-06-01\n"
        '    lines: ["0802 11"]\n',
    ],
)
def test_validate_accepts_suspensions_that_do_not_overlap(copy: Path, added: str) -> None:
    _add_suspension(copy, added)
    catalog = Catalog(load_dataset(copy))
    answer = asker(catalog)("CN", "DE", "0408", "2025-12-15")
    # after the first change the whole of regime A is suspended to 2026-01-01
    assert answer.verdict == (A if "CN-COV-LIC-A" in added else L)
