"""China's export-control announcements (MOFCOM / GAC) on the embedded data.

Each case is checked against the legal texts: the official Chinese texts of Nos. 39/2023,
21/2024, 31/2024, 33/2024, 46/2024, 10/2025, 55/2025 and 56/2025 (MOFCOM's export-control
site), and the verified facts for Nos. 23/2023, 18/2025, 57/2025, 70/2025 and 72/2025. Every
announcement says 「满足以下特性的物项，未经许可，不得出口」 (items with the listed
characteristics may not be exported without a licence), to every destination, with customs
codes "for reference" (参考海关商品编号 / 参考税则号列): a licence regime addressed to ALL,
whose answer is LICENCE_REQUIRED, naming MOFCOM as the licensing authority.

Clause 2 of No. 46/2024 (「原则上不予许可镓、锗、锑、超硬材料相关两用物项对美国出口」) is a
ban on the US from 3 Dec 2024, suspended by No. 72/2025 「自即日起至2026年11月27日」, i.e.
[9 Nov 2025, 28 Nov 2026). No. 70/2025 suspends Nos. 55-58/2025 「自即日起至2026年11月10日」,
i.e. [7 Nov 2025, 11 Nov 2026), before their in-force day of 8 Nov 2025.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sanctionscope.engine import documents
from sanctionscope.engine.answer import Reason, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from tests.conftest import Ask

B, L, U, N, A = (
    Verdict.BANNED,
    Verdict.LICENCE_REQUIRED,
    Verdict.UNDETERMINED,
    Verdict.NOT_COVERED,
    Verdict.ALLOWED,
)

GA_GE = "CN-2023-23-GA-GE-LICENCE"
GRAPHITE = "CN-2023-39-GRAPHITE-LICENCE"
AERO = "CN-2024-21-AEROSPACE-LICENCE"
DRONE = "CN-2024-31-DRONE-LICENCE"
ANTIMONY = "CN-2024-33-ANTIMONY-LICENCE"
US_BAN = "CN-2024-46-US-BAN"
METALS = "CN-2025-10-METALS-LICENCE"
REE = "CN-2025-18-REE-LICENCE"
SUPERHARD = "CN-2025-55-SUPERHARD-LICENCE"
REE_EQUIPMENT = "CN-2025-56-REE-EQUIPMENT-LICENCE"

#: the licence regimes in force on 1 Jan 2025 (Nos. 23, 39 of 2023; 21, 31, 33 of 2024)
REGIMES_2025_01_01 = {GA_GE, GRAPHITE, AERO, DRONE, ANTIMONY}

MOFCOM = "Ministry of Commerce of the People's Republic of China"
DECL_2023 = "CN-EXPORT-CONTROLS-2023-2025"
DECL_2025 = "CN-EXPORT-CONTROLS-2025"
KNOWN = date(2026, 12, 1)  # every act of the data is published by then

# (hs, day, destination, verdict, reason, deciding measure or None, why)
Case = tuple[str, str, str, Verdict, Reason, str | None, str]

CASES: list[Case] = [
    # -- No. 23/2023 (gallium, germanium), clause 一; in force 1 Aug 2023 ----------------------
    # (Xinhua: 「公告自2023年8月1日起正式实施」); no Chinese goods measure in the data before
    # the day before, Chinese exports already need coverage (graphite controls of 2006 No. 50,
    # list not held), and only food (HS 01-24) is vouched for before 1 Aug 2023
    ("2850001901", "2023-07-31", "DE", N, Reason.outside_declared_scope, None, "23/2023 Ga-2 GaN day before"),
    ("2850001901", "2023-08-01", "DE", L, Reason.listed, GA_GE, "23/2023 Ga-2 GaN first day"),
    ("2825600002", "2023-08-01", "DE", L, Reason.listed, GA_GE, "23/2023 Ge-5 germanium dioxide"),
    ("8112921010", "2023-08-01", "JP", L, Reason.listed, GA_GE, "23/2023 Ge-1 germanium metal to JP"),
    # -- No. 39/2023 (graphite), clause 一; clause 九: 「本公告自2023年12月1日起正式实施」 ----------
    # the day before, graphite was under the temporary controls of 2006 No. 50 (not held) and
    # no declaration vouches for Chinese exports between 1 Aug and 30 Nov 2023
    ("2504101000", "2023-11-30", "DE", N, Reason.no_declaration, GRAPHITE, "39/2023 graphite day before"),
    ("2504101000", "2023-12-01", "DE", L, Reason.listed, GRAPHITE, "39/2023 一.(二) flake graphite"),
    ("3801100030", "2023-12-01", "DE", L, Reason.listed, GRAPHITE, "39/2023 一.(一) synthetic graphite"),
    # -- No. 21/2024 (aerospace items), clause 一; in force 1 Jul 2024 --------------------------
    ("5402491010", "2024-06-30", "DE", A, Reason.not_yet_in_force, AERO, "21/2024 UHMWPE fibre day before"),
    ("5402491010", "2024-07-01", "DE", L, Reason.listed, AERO, "21/2024 一.(四).1 UHMWPE fibre first day"),
    ("8454301010", "2024-07-01", "DE", L, Reason.listed, AERO, "21/2024 一.(二).1 single-crystal casting"),
    # -- No. 31/2024 (drones), clause 一; clause 九: 「本公告自2024年9月1日起正式实施」 -------------
    # inertial measurement units (一.(二).4) were not in the drone controls of 2023 No. 27
    # the drone items of Nos. 27 and 28 of 2023 (lists not held) apply until 31 Aug 2024, so
    # chapters 84, 85, 88 and 90 are outside the 2023-2025 declaration
    ("9014209014", "2024-08-31", "DE", N, Reason.outside_declared_scope, None, "31/2024 IMU day before"),
    ("9014209014", "2024-09-01", "DE", L, Reason.listed, DRONE, "31/2024 一.(二).4 IMU first day"),
    ("8501200010", "2024-09-01", "DE", L, Reason.listed, DRONE, "31/2024 一.(一) drone engine"),
    # -- No. 33/2024 (antimony, superhard), clause 一; clause 八: in force 15 Sep 2024 -----------
    ("2617101000", "2024-09-14", "DE", A, Reason.not_yet_in_force, ANTIMONY, "33/2024 Sb ore day before"),
    ("2617101000", "2024-09-15", "DE", L, Reason.listed, ANTIMONY, "33/2024 一.1 antimony ore first day"),
    ("8110101000", "2024-09-15", "DE", L, Reason.listed, ANTIMONY, "33/2024 一.2 antimony metal"),
    ("8479899956", "2024-09-15", "DE", L, Reason.listed, ANTIMONY, "33/2024 二.1 cubic press"),
    # -- No. 10/2025 (W, Te, Bi, Mo, In): 「本公告自发布之日起正式实施」, 4 Feb 2025 ---------------
    ("2841801000", "2025-02-03", "DE", A, Reason.not_yet_in_force, METALS, "10/2025 APT day before"),
    ("2841801000", "2025-02-04", "DE", L, Reason.listed, METALS, "10/2025 一.1 ammonium paratungstate"),
    ("2804500001", "2025-02-04", "DE", L, Reason.listed, METALS, "10/2025 6C002.a tellurium metal"),
    ("8102100001", "2025-02-04", "DE", L, Reason.listed, METALS, "10/2025 1C117.b molybdenum powder"),
    # -- No. 18/2025 (medium and heavy rare earths): on publication, 4 Apr 2025 --------------------
    ("2805301910", "2025-04-03", "DE", A, Reason.not_yet_in_force, REE, "18/2025 samarium day before"),
    ("2805301910", "2025-04-04", "DE", L, Reason.listed, REE, "18/2025 1C902.a.1 samarium metal"),
    ("2846901940", "2025-04-04", "DE", L, Reason.listed, REE, "18/2025 1C902.b samarium oxide"),
    # -- No. 55/2025 (superhard): 「本公告自2025年11月8日起正式实施」; No. 70/2025 suspends it --------
    ("71051020", "2025-11-06", "DE", A, Reason.not_yet_in_force, SUPERHARD, "55/2025 before No. 70"),
    ("71051020", "2025-11-08", "DE", A, Reason.suspended, SUPERHARD, "55/2025 in-force day, suspended"),
    ("71051020", "2025-12-01", "DE", A, Reason.suspended, SUPERHARD, "55/2025 suspended by No. 70"),
    ("71051020", "2026-11-10", "DE", A, Reason.suspended, SUPERHARD, "55/2025 last day suspended"),
    ("71051020", "2026-11-11", "DE", L, Reason.listed, SUPERHARD, "55/2025 一 2C902.a first day applied"),
    ("68042110", "2026-11-11", "DE", L, Reason.listed, SUPERHARD, "55/2025 四 2C902.d grinding wheels"),
    # -- No. 56/2025 (rare-earth equipment, materials): 8 Nov 2025; No. 70/2025 suspends it ------
    ("25309020", "2025-12-01", "DE", A, Reason.suspended, REE_EQUIPMENT, "56/2025 ore suspended"),
    ("25309020", "2026-11-10", "DE", A, Reason.suspended, REE_EQUIPMENT, "56/2025 ore last day suspended"),
    ("25309020", "2026-11-11", "DE", L, Reason.listed, REE_EQUIPMENT, "56/2025 1C914.a rare-earth ore"),
    ("85433000", "2026-11-11", "DE", L, Reason.listed, REE_EQUIPMENT, "56/2025 2B902.j electrolytic cells"),
    ("29199000", "2026-11-11", "DE", L, Reason.listed, REE_EQUIPMENT, "56/2025 1C914.c.2 P204 extractant"),
    # -- No. 46/2024 clause 二 (US): 「原则上不予许可镓、锗、锑、超硬材料相关两用物项对美国出口」 ----
    ("8112929010", "2024-12-02", "US", L, Reason.listed, GA_GE, "46/2024 Ga metal to US day before"),
    ("8112929010", "2024-12-03", "US", B, Reason.listed, US_BAN, "46/2024 二 Ga metal to US"),
    ("8112921010", "2024-12-03", "US", B, Reason.listed, US_BAN, "46/2024 二 Ge metal to US"),
    ("2617101000", "2024-12-03", "US", B, Reason.listed, US_BAN, "46/2024 二 antimony ore to US"),
    ("7104911010", "2024-12-03", "US", B, Reason.listed, US_BAN, "46/2024 二 diamond window to US"),
    ("8110101000", "2025-11-08", "US", B, Reason.listed, US_BAN, "46/2024 二 last day before No. 72"),
    # No. 72/2025: clause 二 suspended [9 Nov 2025, 28 Nov 2026); the licence regimes still apply
    ("8110101000", "2025-11-09", "US", L, Reason.listed, ANTIMONY, "72/2025 first day suspended"),
    ("2825600002", "2025-11-09", "US", L, Reason.listed, GA_GE, "72/2025 germanium dioxide to US"),
    ("8110101000", "2026-11-27", "US", L, Reason.listed, ANTIMONY, "72/2025 last day suspended"),
    ("8110101000", "2026-11-28", "US", B, Reason.listed, US_BAN, "46/2024 二 applies again"),
    ("2850001901", "2026-11-28", "US", B, Reason.listed, US_BAN, "46/2024 二 GaN to US again"),
    # the ban names the US only: the same codes to Germany are never banned
    ("8112929010", "2024-12-03", "DE", L, Reason.listed, GA_GE, "46/2024 Ga metal to DE not banned"),
    ("2617101000", "2025-06-01", "DE", L, Reason.listed, ANTIMONY, "46/2024 antimony ore to DE"),
    ("8110101000", "2026-11-28", "DE", L, Reason.listed, ANTIMONY, "46/2024 antimony to DE, 2026"),
    # graphite to the US: 「实施更严格的最终用户和最终用途审查」, stricter review, not a ban
    ("2504101000", "2024-12-03", "US", L, Reason.listed, GRAPHITE, "46/2024 graphite to US reviewed"),
    ("3801100030", "2026-11-28", "US", L, Reason.listed, GRAPHITE, "46/2024 graphite to US in 2026"),
    # -- codes at 8 and 10 digits, and as users type them -------------------------------------
    # No. 55/2025 gives 8-digit tariff lines (参考税则号列): every 10-digit code under them
    ("7105102000", "2026-11-11", "DE", L, Reason.listed, SUPERHARD, "55/2025 10-digit under 71051020"),
    ("7105 10 20", "2026-11-11", "DE", L, Reason.listed, SUPERHARD, "55/2025 8-digit with spaces"),
    ("2530902000", "2026-11-11", "DE", L, Reason.listed, REE_EQUIPMENT, "56/2025 10-digit under 25309020"),
    ("2850 00 1901", "2024-06-01", "DE", L, Reason.listed, GA_GE, "23/2023 code with spaces"),
    ("2850.00.19.01", "2024-06-01", "DE", L, Reason.listed, GA_GE, "23/2023 code with dots"),
    ("8112.92.9010", "2024-06-01", "DE", L, Reason.listed, GA_GE, "23/2023 Ga-1 with dots"),
    # codes broader than the 10-digit lines under them
    ("811292", "2024-06-01", "DE", U, Reason.code_too_general, GA_GE, "23/2023 811292 too general"),
    ("8112 92", "2024-06-01", "DE", U, Reason.code_too_general, GA_GE, "23/2023 8112 92 too general"),
    ("28500019", "2024-06-01", "DE", U, Reason.code_too_general, GA_GE, "23/2023 8 digits above Ga-2"),
    ("811010", "2024-10-01", "DE", U, Reason.code_too_general, ANTIMONY, "33/2024 811010 too general"),
    ("710510", "2026-11-11", "DE", U, Reason.code_too_general, SUPERHARD, "55/2025 710510 too general"),
    # -- codes outside every list ------------------------------------------------------------
    ("0808 10", "2023-07-31", "DE", A, Reason.no_measure, None, "apples before any Chinese control"),
    ("0808 10", "2023-09-01", "DE", N, Reason.no_declaration, None, "apples Aug-Nov 2023: no declaration"),
    ("0808 10", "2024-06-01", "DE", N, Reason.outside_declared_scope, None, "apples 2024 outside scope"),
    ("0808 10", "2024-06-01", "JP", N, Reason.outside_declared_scope, None, "apples to JP 2024"),
    # -- coverage ----------------------------------------------------------------------------
    # a listed code before its regime, inside the declaration's period and scope
    ("8101940001", "2024-06-01", "DE", A, Reason.not_yet_in_force, METALS, "10/2025 tungsten code in 2024"),
    ("71051020", "2025-01-15", "DE", A, Reason.not_yet_in_force, SUPERHARD, "55/2025 code in Jan 2025"),
    # between 1 Aug and 30 Nov 2023 no declaration vouches, but a listed Ga code still needs a licence
    ("8112929010", "2023-09-01", "DE", L, Reason.listed, GA_GE, "23/2023 Ga metal Sep 2023"),
    # from 4 Apr 2025 chapters 28, 38, 72, 81, 84, 85 are outside the declared scope (No. 18/2025
    # items whose codes are not held)
    ("2805309000", "2025-06-01", "DE", N, Reason.outside_declared_scope, None, "18/2025 ch. 28 unlisted"),
    ("8112929010", "2025-06-01", "DE", L, Reason.listed, GA_GE, "23/2023 Ga in excluded ch. 81 still L"),
]


@pytest.mark.parametrize(
    ("hs", "day", "destination", "verdict", "reason", "measure", "why"), CASES, ids=[c[6] for c in CASES]
)
def test_cn_export_controls(
    ask: Ask,
    hs: str,
    day: str,
    destination: str,
    verdict: Verdict,
    reason: Reason,
    measure: str | None,
    why: str,
) -> None:
    answer = ask("CN", hs, day, destination)
    assert (answer.verdict, answer.reason) == (verdict, reason), answer.explanation
    if measure is not None:
        assert answer.deciding, answer.explanation
        assert answer.deciding[0].measure.id == measure, answer.explanation
    if verdict == L:
        assert measure in [ev.measure.id for ev in answer.requirements]
    if verdict == B:
        assert answer.deciding[0].measure.id == US_BAN


LICENCES = [c for c in CASES if c[3] in (L, B)]


@pytest.mark.parametrize(
    ("hs", "day", "destination", "verdict", "reason", "measure", "why"),
    LICENCES,
    ids=[c[6] for c in LICENCES],
)
def test_every_chinese_licence_names_the_licensing_authority(
    ask: Ask,
    hs: str,
    day: str,
    destination: str,
    verdict: Verdict,
    reason: Reason,
    measure: str | None,
    why: str,
) -> None:
    # Each announcement: the exporter 「向国务院商务主管部门申请许可」 / 「由商务部颁发两用物项和技术出口
    # 许可证件」: the licence is issued by MOFCOM, whether the answer is LICENCE_REQUIRED or a ban
    # that leaves the licence regime standing behind it.
    answer = ask("CN", hs, day, destination)
    assert answer.requirements, answer.explanation
    for ev in answer.requirements:
        assert (ev.measure.spec.licensing_authority or "").startswith(MOFCOM)
    assert MOFCOM in answer.explanation
    if verdict == L:
        assert f"Attest {answer.requirements[0].measure.id}" in answer.explanation


# -- attested licences and exceptions ---------------------------------------------------------

# (hs, day, destination, attest, verdict, reason, why)
ATTESTED = [
    # inside CN-EXPORT-CONTROLS-2023-2025 (1 Dec 2023 - 3 Apr 2025)
    ("8112929010", "2024-06-01", "DE", (GA_GE,), A, Reason.attested_licence, "23/2023 licence held, 2024"),
    ("2504101000", "2024-06-01", "DE", (GRAPHITE,), A, Reason.attested_licence, "39/2023 licence held"),
    # inside CN-EXPORT-CONTROLS-2025 (chapters 25, 54, 71 not excluded)
    ("5402491010", "2025-06-01", "DE", (AERO,), A, Reason.attested_licence, "21/2024 licence held, 2025"),
    ("2504101000", "2025-06-01", "DE", (GRAPHITE,), A, Reason.attested_licence, "39/2023 licence held, 2025"),
    ("71051020", "2026-12-01", "DE", (SUPERHARD,), A, Reason.attested_licence, "55/2025 licence held, 2026"),
    # outside the declared scope: chapters 28, 81, 85 are excluded from 4 Apr 2025
    ("8112929010", "2025-06-01", "DE", (GA_GE,), N, Reason.outside_declared_scope, "23/2023 ch. 81 out"),
    ("2841801000", "2025-06-01", "DE", (METALS,), N, Reason.outside_declared_scope, "10/2025 ch. 28 out"),
    ("8501200010", "2025-06-01", "DE", (DRONE,), N, Reason.outside_declared_scope, "31/2024 ch. 85 out"),
    # Aug-Nov 2023: no declaration vouches for the rest of Chinese law
    ("8112929010", "2023-09-01", "DE", (GA_GE,), N, Reason.no_declaration, "23/2023 licence held, Sep 2023"),
    # a licence does not clear the US ban (No. 46/2024 clause 二)
    ("8112929010", "2024-12-03", "US", (GA_GE,), B, Reason.listed, "23/2023 licence vs US ban"),
    ("2617101000", "2026-11-28", "US", (ANTIMONY,), B, Reason.listed, "33/2024 licence vs US ban 2026"),
    # ... but while No. 72/2025 suspends the ban, the licence is enough (chapter 26 in scope)
    ("2617101000", "2025-12-01", "US", (ANTIMONY,), A, Reason.attested_licence, "33/2024 licence, ban off"),
    # the by-description exception (goods under a listed code without the listed characteristics)
    (
        "2504101000",
        "2025-06-01",
        "DE",
        ("CN-2023-39-X-NOT-CONTROLLED-SPEC",),
        A,
        Reason.attested_exception,
        "39/2023 graphite without the listed characteristics",
    ),
    (
        "8112929010",
        "2024-06-01",
        "DE",
        ("CN-2023-23-X-NOT-CONTROLLED-SPEC",),
        A,
        Reason.attested_exception,
        "23/2023 gallium without the listed characteristics",
    ),
    # No. 46's own exception clears the ban only; No. 23's licence regime remains
    (
        "8112929010",
        "2024-12-03",
        "US",
        ("CN-2024-46-X-NOT-CONTROLLED-SPEC",),
        L,
        Reason.listed,
        "46/2024 exception leaves 23/2023 licence",
    ),
    (
        "8112929010",
        "2024-12-03",
        "US",
        ("CN-2024-46-X-NOT-CONTROLLED-SPEC", GA_GE),
        A,
        Reason.attested_licence,
        "46/2024 exception and 23/2023 licence",
    ),
]


@pytest.mark.parametrize(
    ("hs", "day", "destination", "attest", "verdict", "reason", "why"), ATTESTED, ids=[c[6] for c in ATTESTED]
)
def test_attested_licences_and_exceptions(
    ask: Ask,
    hs: str,
    day: str,
    destination: str,
    attest: tuple[str, ...],
    verdict: Verdict,
    reason: Reason,
    why: str,
) -> None:
    answer = ask("CN", hs, day, destination, attest=attest)
    assert (answer.verdict, answer.reason) == (verdict, reason), answer.explanation
    assert answer.attest_not_applied == {}
    if verdict == B:
        assert answer.deciding[0].measure.id == US_BAN
    if verdict == N:
        (side,) = answer.coverage.missing if answer.coverage else ()
        assert (side.imposer, side.direction, side.partner) == ("CN", "export", destination)


def test_the_spec_exception_is_listed_with_its_act(ask: Ask) -> None:
    # 参考海关商品编号: the codes are for reference; goods without the characteristics need no licence
    answer = ask("CN", "2850001901", "2024-06-01", "DE")
    (exc,) = answer.exceptions
    assert exc.id == "CN-2023-23-X-NOT-CONTROLLED-SPEC"
    assert exc.act == "CN-MOFCOM-2023-23"
    banned = ask("CN", "8112921010", "2024-12-03", "US")
    assert [e.id for e in banned.exceptions] == ["CN-2024-46-X-NOT-CONTROLLED-SPEC"]
    assert "CN-2024-46-X-NOT-CONTROLLED-SPEC" in banned.explanation


def test_attesting_another_regime_does_not_clear_the_one_that_applies(ask: Ask) -> None:
    # No. 33/2024's antimony licence says nothing about gallium (No. 23/2023)
    answer = ask("CN", "8112929010", "2024-10-01", "DE", attest=(ANTIMONY,))
    assert answer.verdict == L
    assert ANTIMONY in answer.attest_not_applied
    # No. 55/2025's licence is not in force while No. 70/2025 suspends it: reported, never used
    suspended = ask("CN", "71051020", "2025-12-01", "DE", attest=(SUPERHARD,))
    assert suspended.verdict == A and suspended.reason == Reason.suspended
    assert "not in force" in suspended.attest_not_applied[SUPERHARD]


def test_the_us_ban_is_not_a_licence_to_attest(ask: Ask) -> None:
    # No. 46/2024 clause 二 is a ban (no licence in principle): there is nothing to attest
    with pytest.raises(InputError):
        ask("CN", "8112929010", "2024-12-03", "US", attest=(US_BAN,))


# -- suspensions and what was known when -----------------------------------------------------


def test_suspension_by_no_70_is_cited(ask: Ask) -> None:
    answer = ask("CN", "71051020", "2025-12-01", "DE")
    assert answer.reason == Reason.suspended
    assert "CN-MOFCOM-2025-70" in answer.explanation
    assert "through 2026-11-10" in answer.explanation  # 「至2026年11月10日」: applies again on 11 Nov


def test_suspension_of_the_us_ban_by_no_72_is_recorded(ask: Ask) -> None:
    answer = ask("CN", "2850001901", "2025-12-01", "US")
    assert answer.verdict == L
    reasons = {ev.measure.id: ev.reason for ev in answer.considered}
    assert reasons[US_BAN] == Reason.suspended


def test_as_known_on_before_no_70_was_published(ask: Ask) -> None:
    # No. 70/2025 was published on 7 Nov 2025; the day before, No. 55/2025 was due to apply
    assert ask("CN", "71051020", "2025-12-01", "DE", known="2025-11-06").verdict == L
    assert ask("CN", "71051020", "2025-12-01", "DE", known="2025-11-07").verdict == A


def test_as_known_on_before_no_72_was_published(ask: Ask) -> None:
    # No. 72/2025 was published on 9 Nov 2025
    assert ask("CN", "8112929010", "2025-12-01", "US", known="2025-11-08").verdict == B
    assert ask("CN", "8112929010", "2025-12-01", "US", known="2025-11-09").verdict == L


# -- coverage ----------------------------------------------------------------------------------


def test_apples_not_covered_name_chinese_exports(ask: Ask) -> None:
    answer = ask("CN", "0808 10", "2024-06-01", "DE")
    assert answer.verdict == N and answer.verdict != A
    (side,) = answer.coverage.missing if answer.coverage else ()
    assert (side.imposer, side.direction, side.partner) == ("CN", "export", "DE")
    assert side.status == "outside_declared_scope"
    assert "China's measures on exports to Germany on 2024-06-01" in answer.explanation


def test_apples_before_august_2023_rely_on_the_food_declaration(ask: Ask) -> None:
    # the graphite controls of 2006 No. 50 bind Chinese exports; food (HS 01-24) is vouched for
    answer = ask("CN", "0808 10", "2023-07-31", "DE")
    assert answer.verdict == A
    assert [d.id for d in answer.coverage.relied_on] == ["CN-EXPORT-FOOD-2006-2023"]  # type: ignore[union-attr]


def test_a_listed_code_before_its_regime_relies_on_the_declaration(ask: Ask) -> None:
    answer = ask("CN", "2841801000", "2024-06-01", "DE")
    assert answer.verdict == A
    assert [d.id for d in answer.coverage.relied_on] == [DECL_2023]  # type: ignore[union-attr]
    assert DECL_2023 in answer.explanation
    later = ask("CN", "2805301910", "2025-04-03", "DE")  # last day of the first declaration
    assert [d.id for d in later.coverage.relied_on] == [DECL_2023]  # type: ignore[union-attr]
    suspended = ask("CN", "71051020", "2025-12-01", "DE")
    assert [d.id for d in suspended.coverage.relied_on] == [DECL_2025]  # type: ignore[union-attr]


def test_no_declaration_between_august_and_november_2023(ask: Ask) -> None:
    answer = ask("CN", "2504101000", "2023-09-01", "DE")
    assert (answer.verdict, answer.reason) == (N, Reason.no_declaration)
    (side,) = answer.coverage.missing  # type: ignore[union-attr]
    assert side.measures == (
        "CN-2006-50-GRAPHITE",
        "CN-2023-23-GA-GE-LICENCE",
        "CN-2023-27-DRONE-ITEMS",
        "CN-2023-28-DRONES",
    )


# -- who, map and network: China's regimes addressed to ALL, shown once -------------------------


def test_who_shows_the_regimes_once_addressed_to_all(real: Catalog) -> None:
    doc = documents.who_doc(real.index(KNOWN), date(2025, 1, 1))
    rows = [r for r in doc["relations"] if r["imposer"] == "CN"]
    assert {r["target"] for r in rows} == {"ALL", "US"}
    (everyone,) = [r for r in rows if r["target"] == "ALL"]
    assert set(everyone["measures"]) == REGIMES_2025_01_01
    assert everyone["types"] == ["export_licensing"]
    (us,) = [r for r in rows if r["target"] == "US"]
    assert US_BAN in us["measures"]
    assert not any(set(r["measures"]) & REGIMES_2025_01_01 for r in rows if r["target"] != "ALL")


def test_who_on_the_cli(real: Catalog) -> None:
    exe = shutil.which("sanctionscope") or str(Path(sys.executable).with_name("sanctionscope"))
    done = subprocess.run(
        [exe, "who", "--on", "2025-01-01", "--json"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    rows = [r for r in json.loads(done.stdout)["relations"] if r["imposer"] == "CN"]
    assert len(rows) == 2
    assert {r["target"] for r in rows} == {"ALL", "US"}


def test_map_lists_the_regimes_beside_and_does_not_paint_every_country(real: Catalog) -> None:
    doc = documents.map_doc(real.index(KNOWN), "CN", date(2025, 1, 1))
    assert {m["id"] for m in doc["addressed_to_all"]} == REGIMES_2025_01_01
    assert all(m["excluding"] == [] for m in doc["addressed_to_all"])
    painted = {r["id"]: r["status"] for r in doc["countries"] if r["status"] != "none"}
    # The US also holds measures on Chinese persons and entities (Chinese military companies,
    # E.O. 13959): shown as such (design.md, Views); its row still lists China's ban on it.
    # Canada likewise lists Chinese persons (Special Economic Measures (People's Republic of
    # China) Regulations, SOR/2021-49).
    assert painted == {"CN": "focus", "US": "persons", "CA": "persons"}
    (us,) = [r for r in doc["countries"] if r["id"] == "US"]
    assert US_BAN in us["measures"]


def test_network_has_one_node_all(real: Catalog) -> None:
    doc = documents.network_doc(real.index(KNOWN), date(2025, 1, 1))
    (everyone,) = [n for n in doc["nodes"] if n["id"] == "ALL"]
    assert everyone["kind"] == "all"
    edges = [e for e in doc["edges"] if e["source"] == "CN"]
    assert {e["target"] for e in edges} == {"ALL", "US"}


def test_who_follows_the_suspensions(real: Catalog) -> None:
    index = real.index(KNOWN)

    def cn(day: date) -> dict[str, set[str]]:
        rows = documents.who_doc(index, day)["relations"]
        return {r["target"]: set(r["measures"]) for r in rows if r["imposer"] == "CN"}

    assert cn(date(2023, 7, 31)) == {"ALL": {"CN-2006-50-GRAPHITE"}}
    assert cn(date(2023, 8, 1)) == {"ALL": {"CN-2006-50-GRAPHITE", GA_GE}}
    during = cn(date(2025, 12, 1))  # Nos. 55-58 suspended by No. 70, clause 二 by No. 72
    assert SUPERHARD not in during["ALL"] and US_BAN not in during["US"]
    after = cn(date(2026, 12, 1))
    assert {SUPERHARD, REE_EQUIPMENT} <= after["ALL"] and US_BAN in after["US"]


# -- discrepancies between the data and the legal texts (these fail until the data is fixed) ----


def test_drone_items_of_no_27_2023_were_controlled_until_31_august_2024(ask: Ask) -> None:
    # No. 31/2024 clause 九: 「本公告自2024年9月1日起正式实施。商务部 海关总署 国家国防科工局 中央军委
    # 装备发展部公告2023年第27号和第28号同时废止。」 No. 27/2023 (in force 1 Sep 2023) already listed
    # 「最大持续功率超过16千瓦（kW）的专门用于特定无人驾驶航空飞行器或无人驾驶飞艇的航空发动机（参考海关商品
    # 编号：8501200010、…）」 under 「未经许可，不得出口」. The data does not hold No. 27/2023, yet
    # CN-EXPORT-CONTROLS-2023-2025 vouches for 8501200010 from 1 Dec 2023: a wrong ALLOWED.
    answer = ask("CN", "8501200010", "2024-06-01", "DE")
    assert answer.verdict in (L, N), answer.explanation


def test_graphite_was_under_the_temporary_controls_of_2006_no_50(ask: Ask) -> None:
    # No. 39/2023 「对…公告2006年第50号（《决定对石墨类相关制品实施临时出口管制措施》）中所列的物项范围
    # 进行优化调整」 and clause 九 「…2006年第50号…同时废止」 from 1 Dec 2023: high-purity synthetic
    # graphite was under licence before (MOFCOM spokesperson, 20 Oct 2023: 「把此前本就在临时管制措施
    # 内的3种高敏感石墨物项，正式纳入两用物项出口管制清单」). No. 2006/50 is not held, and before
    # 1 Aug 2023 no Chinese export side needs coverage: a wrong ALLOWED.
    answer = ask("CN", "3801100030", "2023-07-31", "DE")
    assert answer.verdict in (L, N), answer.explanation


def test_superhard_items_of_no_55_2025_fall_under_the_us_clause_when_both_apply(ask: Ask) -> None:
    # No. 46/2024 clause 二 denies in principle 「超硬材料相关两用物项对美国出口」, not only the items
    # of No. 33/2024; No. 55/2025 is 「对超硬材料相关物项实施出口管制」 and updates the dual-use list.
    # From 28 Nov 2026 both apply (No. 70 ends 10 Nov 2026, No. 72 ends 27 Nov 2026), but the
    # ban's lines are only those of Nos. 23/2023 and 33/2024.
    answer = ask("CN", "71051020", "2026-11-28", "US")
    assert answer.verdict == B, answer.explanation
    assert answer.deciding[0].measure.id == US_BAN
