"""What the EU's export-side declarations for Russia vouch for, 2022-2023, read against the
lists they cannot hold: Annex VII Part A of Reg. 833/2014 is written as technical
descriptions, and three of its entries name goods of HS chapters 01-24 from the day the act
that added each came into force:

- ethanol of 90 % by weight or more (X.C.IX.001.b.16), Reg. 2022/879, from 4 Jun 2022;
- 'liquid pepper' (X.A.IX.001), Reg. 2022/1269, from 22 Jul 2022;
- oleoresin capsicum, capsaicin and their mixtures (X.A.VIII.021), Reg. 2022/1904, from
  7 Oct 2022.

From those days the EU export side is not vouched for those goods (NOT_COVERED unless a ban
is found); before them, and for other foodstuffs, the declarations vouch as before."""

from __future__ import annotations

import pytest

from sanctionscope.engine.answer import Answer
from sanctionscope.engine.coverage import Status
from tests.conftest import Ask

KNOWN = "2026-11-30"


def _eu_export(answer: Answer) -> Status | None:
    assert answer.coverage is not None
    found = [s.status for s in answer.coverage.sides if s.imposer == "EU" and s.direction.value == "export"]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("code", "day", "status"),
    [
        # ethanol: vouched the day before Reg. 2022/879 applied, not from that day
        ("2207 10", "2022-06-03", Status.vouched),
        ("2207 10", "2022-06-04", Status.outside_declared_scope),
        ("2207 20", "2023-01-10", Status.outside_declared_scope),
        # 'liquid pepper': capsicum extracts and pepper sauces from 22 Jul 2022
        ("1302 19", "2022-07-21", Status.vouched),
        ("1302 19", "2022-07-22", Status.outside_declared_scope),
        ("2103 90", "2022-07-22", Status.outside_declared_scope),
        # capsicum and capsaicin preparations from 7 Oct 2022
        ("0904 21", "2022-10-06", Status.vouched),
        ("0904 21", "2022-10-07", Status.outside_declared_scope),
        ("0709 60", "2023-03-01", Status.outside_declared_scope),
        ("2106 90", "2023-03-01", Status.outside_declared_scope),
        # other foodstuffs stay vouched for, up to the eleventh package
        ("0808 10", "2023-03-01", Status.vouched),
        ("0701 10", "2023-06-23", Status.vouched),
        ("0808 10", "2023-06-24", Status.no_declaration),
    ],
)
def test_eu_export_side_to_russia_by_code_and_day(ask: Ask, code: str, day: str, status: Status) -> None:
    assert _eu_export(ask("DE", code, day, known=KNOWN)) == status


def test_ethanol_after_june_2022_is_never_allowed_on_the_export_side_alone(ask: Ask) -> None:
    answer = ask("DE", "2207 10", "2022-06-10", known=KNOWN)
    assert answer.verdict.value != "ALLOWED"
