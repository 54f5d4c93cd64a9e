"""Shared by the coverage tests: the synthetic data set ``fixtures/coverage`` and an asker
that also sets the grace period.

The fixture (every act is synthetic; dates and lists are chosen to sit on the edges):

- RU-COV-BAN (RU import ban, [2022-03-01, 2025-01-01)) on EU and US origins, Norway
  added from 2023-01-01: lines 0701 (seed potatoes 0701 10 carved out by code), 0406
  (lactose-free cheese carved out by description), 0808 30 and 0808 40 (not apples).
- EU-COV-ARMS (EU arms embargo on RU and BY from 2014-08-01): product list not held
  (``unlisted``), reaching chapter 93. EU-COV-FREEZE and RU-COV-FREEZE: persons only.
- CN-COV-LIC-A (export licensing from 2023-08-01, every partner but the EAEU; licences
  issued by "Test Licensing Bureau"): 0408, 0409, 0410, 0813. Suspended as a whole for
  [2024-11-10, 2025-11-10) by CN-COV-3-2024.
- CN-COV-LIC-B (export licensing from 2023-12-01, every partner; licences issued by the
  act's authority "Test Ministry of Commerce"): 0409, 0802 11, 0802 12, 0804 10, 0813 10,
  0813 20. Its line 0804 10 is suspended for [2025-12-01, 2026-06-01).
- CN-COV-BAN-US (export ban to the US from 2023-08-01): 0410, 0802.
- US-COV-ENTITIES (US export ban on listed Russian entities only): 08.
- NZ-COV-TRAVEL: travel bans on Russian persons.

Declarations:

- RU-COV-IMPORT: RU import, [2022-03-01, 2025-01-01), partners EU and US (not Norway),
  all goods, reviewed 2023-06-30 (stale after 2023-07-30 with the default grace).
- RU-COV-EXPORT: RU export from 2022-03-01, every partner, all goods.
- EU-COV-EXPORT: EU export, [2020-01-01, 2024-07-01), partners RU and BY, chapters 01-24.
- EU-COV-IMPORT: EU import from 2014-08-01, partner RU, chapter 07 and headings 0801-0810.
- CN-COV-EXPORT: CN export from 2024-01-01, every partner, chapter 04 less 0407 and
  headings 0801-0805.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from sanctionscope.engine.answer import Answer
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS

COVERAGE = Path(__file__).parent / "fixtures" / "coverage"
#: The as-known-on day of every question unless a test says otherwise: every act of the
#: fixture is published, and the fresh declarations (reviewed 2026-12-01) are not stale.
KNOWN = "2026-11-30"

AskCov = Callable[..., Answer]


def asker(catalog: Catalog) -> AskCov:
    def ask(
        origin: str,
        destination: str,
        hs: str,
        day: str,
        known: str = KNOWN,
        attest: tuple[str, ...] = (),
        grace: int = DEFAULT_GRACE_DAYS,
    ) -> Answer:
        q = catalog.question(
            origin, destination, hs, date.fromisoformat(day), date.fromisoformat(known), attest
        )
        return catalog.check(replace(q, grace_days=grace))

    return ask


def sides(answer: Answer) -> dict[tuple[str, str], str]:
    """(imposer, direction) -> status of every side that needed coverage."""
    assert answer.coverage is not None
    return {(s.imposer, s.direction.value): s.status.value for s in answer.coverage.sides}


def relied_on(answer: Answer) -> list[str]:
    assert answer.coverage is not None
    return sorted(d.id for d in answer.coverage.relied_on)


def reasons(answer: Answer) -> dict[str, str]:
    """measure id -> reason of every trade measure the answer considered."""
    return {ev.measure.id: ev.reason.value for ev in answer.considered}
