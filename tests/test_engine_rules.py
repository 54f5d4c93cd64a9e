"""Engine semantics (design.md) on the synthetic fixture ``fixtures/mini``.

TEST-BAN: RU bans 0701 (seed 0701 10 carved out, 0701 10 900 re-banned), 0406 (with a
lactose-free description exception) and 0808 from EU and US origins, [2020-03-01,
2021-03-01). Act 2 (published 2020-06-10, in force 2020-06-15) adds Iceland, carves
out apples 0808 10 and prolongs to 2022-01-01. Act 3 (2020-09-01) ends the lactose-free
exception and removes cheese from 2020-10-01.
"""

from __future__ import annotations

from datetime import date

import pytest

from sanctionscope.engine.answer import Reason, Verdict
from sanctionscope.errors import InputError
from tests.conftest import Ask

B, A, U = Verdict.BANNED, Verdict.ALLOWED, Verdict.UNDETERMINED


@pytest.mark.parametrize(
    ("origin", "hs", "day", "verdict", "reason"),
    [
        ("DE", "0701 90", "2020-03-01", B, Reason.listed),  # first day in force
        ("DE", "0701 90", "2020-02-29", A, Reason.not_yet_in_force),
        ("DE", "0701 10 100 0", "2020-04-01", A, Reason.code_exception),  # seed: carved out
        ("DE", "0701 10 900 1", "2020-04-01", B, Reason.listed),  # exception to the exception
        ("DE", "0701", "2020-04-01", B, Reason.listed),  # a heading under a banned line
        ("US", "0808 20", "2020-04-01", B, Reason.listed),
        ("JP", "0808 20", "2020-04-01", A, Reason.origin_not_targeted),
        ("DE", "0709", "2020-04-01", A, Reason.code_not_listed),
        ("IS", "0808 20", "2020-06-14", A, Reason.origin_not_targeted),  # added by act 2...
        ("IS", "0808 20", "2020-06-15", B, Reason.listed),  # ...from its in-force day
        ("DE", "0808 10", "2020-06-14", B, Reason.listed),
        ("DE", "0808 10", "2020-06-15", A, Reason.code_exception),
        ("DE", "0406", "2020-09-30", B, Reason.listed),
        ("DE", "0406", "2020-10-01", A, Reason.code_not_listed),  # line removed
        ("DE", "0701 90", "2021-03-01", B, Reason.listed),  # prolonged by act 2
        ("DE", "0701 90", "2021-12-31", B, Reason.listed),
        ("DE", "0701 90", "2022-01-01", A, Reason.no_longer_in_force),
        ("GB", "0701 90", "2020-02-29", A, Reason.not_yet_in_force),
        ("GB", "0701 90", "2020-06-01", U, Reason.unclear_target),  # Brexit transition
        ("GB", "0701 90", "2021-01-05", A, Reason.origin_not_targeted),
    ],
)
def test_verdicts(ask_mini: Ask, origin: str, hs: str, day: str, verdict: Verdict, reason: Reason) -> None:
    answer = ask_mini(origin, hs, day)
    assert (answer.verdict, answer.reason) == (verdict, reason)


def test_description_exception_is_listed_not_applied(ask_mini: Ask) -> None:
    answer = ask_mini("FR", "0406 10", "2020-05-01")
    assert answer.verdict == B
    assert [e.id for e in answer.exceptions] == ["TEST-X-LACTOSE"]


def test_attesting_an_exception_in_force_allows(ask_mini: Ask) -> None:
    answer = ask_mini("FR", "0406 10", "2020-05-01", attest=("TEST-X-LACTOSE",))
    assert (answer.verdict, answer.reason) == (A, Reason.attested_exception)
    assert answer.attest_not_applied == {}


def test_attesting_an_exception_no_longer_in_force_is_reported(ask_mini: Ask) -> None:
    answer = ask_mini("FR", "0406 10", "2020-09-15", attest=("TEST-X-LACTOSE",))
    assert answer.verdict == B
    assert "not in force" in answer.attest_not_applied["TEST-X-LACTOSE"]


def test_attesting_an_exception_of_another_line_is_reported(ask_mini: Ask) -> None:
    answer = ask_mini("FR", "0701 90", "2020-05-01", attest=("TEST-X-LACTOSE",))
    assert answer.verdict == B
    assert "TEST-X-LACTOSE" in answer.attest_not_applied


def test_attesting_an_unknown_id_is_an_input_error(ask_mini: Ask) -> None:
    with pytest.raises(InputError, match="attest"):
        ask_mini("FR", "0406", "2020-05-01", attest=("NO-SUCH-ID",))


def test_as_known_on_ignores_acts_published_later(ask_mini: Ask) -> None:
    # Act 2 (published 2020-06-10) carves apples out and prolongs the ban;
    # as known on 2020-06-09 neither had happened.
    assert ask_mini("DE", "0808 10", "2020-07-01", known="2020-06-09").verdict == B
    assert ask_mini("DE", "0808 10", "2020-07-01", known="2020-06-10").verdict == A
    late = ask_mini("DE", "0701 90", "2021-06-01", known="2020-06-09")
    assert (late.verdict, late.reason) == (A, Reason.no_longer_in_force)
    assert ask_mini("DE", "0701 90", "2021-06-01", known="2020-06-10").verdict == B


def test_banned_answer_carries_the_chain(ask_mini: Ask) -> None:
    answer = ask_mini("IS", "0808 20", "2020-07-01")
    ev = answer.deciding[0]
    assert ev.line is not None and ev.line.code == "0808"
    assert ev.target is not None and ev.target.act == "RU-TEST-2-2020"
    assert ev.line.amended_by(answer.question.day) == ["RU-TEST-2-2020"]
    assert ev.line.amended_by(date(2020, 6, 14)) == []
    assert ev.measure.end_act == "RU-TEST-2-2020"
    assert (str(ev.start), str(ev.end)) == ("2020-06-15", "2022-01-01")
    assert any("in-force day assumed" in u for u in answer.uncertain)


def test_each_answer_has_its_own_open_points(ask_mini: Ask) -> None:
    # the notes are written once per combination of records; answers must not share them
    first, second = ask_mini("IS", "0808 20", "2020-07-01"), ask_mini("IS", "0808 30", "2020-08-01")
    assert first.deciding[0].uncertain == second.deciding[0].uncertain != []
    first.deciding[0].uncertain.append("a reader's own note")
    assert "a reader's own note" not in second.deciding[0].uncertain
    assert "a reader's own note" not in ask_mini("IS", "0808 20", "2020-07-01").uncertain


def test_destination_without_measures_is_allowed(ask_mini: Ask) -> None:
    answer = ask_mini("DE", "0808", "2020-05-01", destination="FR")
    assert (answer.verdict, answer.reason) == (A, Reason.no_measure)
