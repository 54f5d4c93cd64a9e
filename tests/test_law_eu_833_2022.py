"""EU Regulation 833/2014 as amended from 25 Feb 2022 to 25 Feb 2023 (packages 1-10), on the
embedded data.

Each case is checked against the amending regulations' own text (legalize-dev/legalize-eu,
one file per act; data/reference/transcriptions/EU): the annexes they add, replace or amend,
and the articles that set the in-force day ("on the day following that of its publication")
and the wind-downs ("shall not apply to the execution until 17 June 2022 of contracts
concluded before 16 March 2022"). A wind-down is an attestable exception: BANNED from the
in-force day, with the contract carve-out listed until its last day (inclusive), after which
an attestation of it no longer applies.

Questions are asked about the EU side only (the origin's export side for DE -> RU, the
destination's import side for RU -> DE), so Russia's own measures do not blur the EU's law.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sanctionscope.engine import serialise
from sanctionscope.engine.answer import Answer, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import Side

B, L, N, A = Verdict.BANNED, Verdict.LICENCE_REQUIRED, Verdict.NOT_COVERED, Verdict.ALLOWED
#: not banned by the EU measure named (the answer then depends on the coverage of the side)
FREE = "free"
KNOWN = date(2026, 12, 1)

II_OLD = "EU-833-OIL-TECH"
II = "EU-833-ANNEX-II-ENERGY-EXPORT"
X = "EU-833-ANNEX-X-REFINING-EXPORT"
XI = "EU-833-ANNEX-XI-AVIATION-EXPORT"
VII = "EU-833-ANNEX-VII-B-TECH-EXPORT"
XVII = "EU-833-ANNEX-XVII-IRON-STEEL-IMPORT"
XVIII = "EU-833-ANNEX-XVIII-LUXURY-EXPORT"
XX = "EU-833-ANNEX-XX-JET-FUEL-EXPORT"
XXI = "EU-833-ANNEX-XXI-REVENUE-IMPORT"
XXII = "EU-833-ANNEX-XXII-COAL-IMPORT"
XXIII = "EU-833-ANNEX-XXIII-INDUSTRIAL-EXPORT"
XXV = "EU-833-ANNEX-XXV-OIL-IMPORT"
XXVI = "EU-833-ANNEX-XXVI-GOLD-IMPORT"

EXP, IMP = ("DE", "RU"), ("RU", "DE")

# (origin/destination, hs, day, attested, expected, measure, why)
Case = tuple[tuple[str, str], str, str, tuple[str, ...], Verdict | str, str, str]

CASES: list[Case] = [
    # -- Annex II (oil-industry goods): licensing since 2014, a ban from 16 Mar 2022 (Art. 3 as
    # replaced by Reg. 2022/428: "It shall be prohibited to sell ... goods ... as listed in Annex II")
    (EXP, "7304110000", "2014-08-01", (), L, II_OLD, "2014 original: Annex II licensing"),
    (EXP, "7304110000", "2022-03-15", (), L, II_OLD, "428: day before, still licensing"),
    (EXP, "7304110000", "2022-03-16", (), B, II, "428: Annex II banned from in-force day"),
    (
        EXP,
        "8413500000",
        "2022-09-17",
        ("EU-833-X-II-PRIOR-CONTRACT-20220316",),
        FREE,
        II,
        "428 Art 3(4) last day",
    ),
    (EXP, "8413500000", "2022-09-18", ("EU-833-X-II-PRIOR-CONTRACT-20220316",), B, II, "428 Art 3(4) over"),
    # -- Annex X (refining goods), Reg. 2022/328 in force 26 Feb 2022; every line is "ex"
    (EXP, "8419400000", "2022-02-25", (), FREE, X, "328: day before"),
    (EXP, "8419400000", "2022-02-26", (), B, X, "328: ex 8419 40 00 CDU"),
    (EXP, "8419400000", "2022-02-26", ("EU-833-X-EX-X-84194000",), FREE, X, "ex line: goods not described"),
    # -- Annex XI (aviation), 328: CN chapter 88; Part B from 7 Oct 2022 (1904); Part D 26 Feb 2023 (427)
    (EXP, "8802400000", "2022-02-26", (), B, XI, "328: chapter 88"),
    (EXP, "8802400000", "2022-03-28", ("EU-833-X-XI-PRIOR-CONTRACT-20220226",), FREE, XI, "3c(5) last day"),
    (EXP, "4011300000", "2022-10-06", (), FREE, XI, "1904: XI Part B day before"),
    (EXP, "4011300000", "2022-10-07", (), B, XI, "1904: XI Part B aircraft tyres"),
    (EXP, "8411110000", "2023-02-25", (), FREE, XI, "427: XI Part D day before"),
    (EXP, "8411110000", "2023-02-26", (), B, XI, "427: XI Part D turbojets"),
    # -- Annex XVII (iron and steel), Reg. 2022/428 in force 16 Mar 2022, wind-down to 17 Jun 2022
    (IMP, "7208100000", "2022-03-15", (), FREE, XVII, "428: day before"),
    (IMP, "7208100000", "2022-03-16", (), B, XVII, "428: 7208 10 00 hot-rolled"),
    (IMP, "7210410020", "2022-03-16", (), B, XVII, "428: TARIC 10-digit line"),
    (
        IMP,
        "7208100000",
        "2022-06-17",
        ("EU-833-X-XVII-PRIOR-CONTRACT-20220316",),
        FREE,
        XVII,
        "3g(2) last day",
    ),
    (IMP, "7208100000", "2022-06-18", ("EU-833-X-XVII-PRIOR-CONTRACT-20220316",), B, XVII, "3g(2) over"),
    (IMP, "7304498300", "2022-04-09", (), B, XVII, "576: CN 2022 code of the replaced list"),
    (IMP, "7326909800", "2022-10-06", (), FREE, XVII, "1904: Part B day before"),
    (IMP, "7326909800", "2022-10-07", (), B, XVII, "1904: Part B heading 7326"),
    (
        IMP,
        "7326909800",
        "2023-01-08",
        ("EU-833-X-XVII-B-PRIOR-CONTRACT-20221007",),
        FREE,
        XVII,
        "Part B last day",
    ),
    # -- Annex XVIII (luxury goods), 428: "insofar as their value exceeds EUR 300 per item"
    (EXP, "2204210000", "2022-03-15", (), FREE, XVIII, "428: day before"),
    (EXP, "2204210000", "2022-03-16", (), B, XVIII, "428: ex 2204 21 00 wine"),
    (EXP, "2204210000", "2022-03-16", ("EU-833-X-XVIII-VALUE-THRESHOLD",), FREE, XVIII, "EUR 300 attested"),
    (EXP, "8703239000", "2022-03-16", (), B, XVIII, "ex 8703 00 00 read as heading 8703"),
    (EXP, "9701100000", "2022-03-16", (), B, XVIII, "ex 9700 read as chapter 97"),
    (EXP, "8428600000", "2022-03-16", (), B, XVIII, "8428 60 00 teleferics (not ex)"),
    (EXP, "9005100000", "2022-04-09", (), B, XVIII, "576: group 23 binoculars"),
    (EXP, "9005100000", "2022-04-09", ("EU-833-X-XVIII-VALUE-THRESHOLD",), B, XVIII, "group 23: any value"),
    (
        EXP,
        "7113190000",
        "2022-07-22",
        ("EU-833-X-XVIII-JEWELLERY-PERSONAL-USE",),
        FREE,
        XVIII,
        "1269: 3h(3a)",
    ),
    # -- Annex XX (jet fuel), 576
    (EXP, "2710192100", "2022-04-08", (), FREE, XX, "576: day before"),
    (EXP, "2710192100", "2022-04-09", (), B, XX, "576: kerosene-type jet fuel"),
    # -- Annex XXI (revenue goods), 576 in force 9 Apr 2022, wind-down to 10 Jul 2022
    (IMP, "4407110000", "2022-04-08", (), FREE, XXI, "576: day before"),
    (IMP, "4407110000", "2022-04-09", (), B, XXI, "576: chapter 44 wood"),
    (IMP, "4407110000", "2022-07-10", ("EU-833-X-XXI-PRIOR-CONTRACT-20220409",), FREE, XXI, "3i(3) last day"),
    (IMP, "4407110000", "2022-07-11", ("EU-833-X-XXI-PRIOR-CONTRACT-20220409",), B, XXI, "3i(3) over"),
    (IMP, "2825100000", "2022-04-09", (), B, XXI, "ex 2825 hydrazine"),
    (IMP, "2825200000", "2022-04-09", (), FREE, XXI, "ex 2825 except 2825 20 00 (code exception)"),
    (IMP, "2208601100", "2022-06-03", (), FREE, XXI, "879: spirits day before"),
    (IMP, "2208601100", "2022-06-04", (), B, XXI, "879: spirits 2208"),
    (IMP, "3104201000", "2022-07-10", ("EU-833-X-XXI-POTASH-QUOTA",), FREE, XXI, "3i(4) potash quota"),
    (IMP, "2905110000", "2022-10-07", (), B, XXI, "1904: methanol in Part B"),
    (IMP, "2803000010", "2023-02-26", (), B, XXI, "427: Part C carbon black"),
    # -- Annex XXII (coal), 576, wind-down to 10 Aug 2022 (inclusive)
    (IMP, "2701120000", "2022-04-08", (), FREE, XXII, "576: day before"),
    (IMP, "2701120000", "2022-04-09", (), B, XXII, "576: coal"),
    (
        IMP,
        "2701120000",
        "2022-08-10",
        ("EU-833-X-XXII-PRIOR-CONTRACT-20220409",),
        FREE,
        XXII,
        "3j(3) last day",
    ),
    (
        IMP,
        "2701120000",
        "2022-08-11",
        ("EU-833-X-XXII-PRIOR-CONTRACT-20220409",),
        B,
        XXII,
        "coal after wind-down",
    ),
    # -- Annex XXIII (industrial goods), 576; Part B 17 Dec 2022; Part C 26 Feb 2023
    (EXP, "8465200000", "2022-04-08", (), FREE, XXIII, "576: day before"),
    (EXP, "8465200000", "2022-04-09", (), B, XXIII, "576: machining centres 8465 20"),
    (EXP, "0601101000", "2022-04-09", (), B, XXIII, "576: bulbs 0601 10"),
    (EXP, "8471300000", "2022-12-16", (), FREE, XXIII, "2474: Part B day before"),
    (EXP, "8471300000", "2022-12-17", (), B, XXIII, "2474: Part B laptops"),
    (EXP, "8457100000", "2023-02-25", (), FREE, XXIII, "427: Part C day before"),
    (EXP, "8457100000", "2023-02-26", (), B, XXIII, "427: Part C machining centres for metal"),
    (EXP, "2701120000", "2022-10-07", (), B, XXIII, "1904: coal added to XXIII"),
    # -- Annex VII Part B (CN-listed advanced technology), 1904
    (EXP, "8542310000", "2022-10-06", (), FREE, VII, "1904: day before"),
    (EXP, "8542310000", "2022-10-07", (), B, VII, "1904: processors"),
    # -- Annex XXV (crude, products), 879 in force 4 Jun 2022; transitions to 5 Dec 2022 / 5 Feb 2023
    (IMP, "2709009000", "2022-06-03", (), FREE, XXV, "879: day before"),
    (IMP, "2709009000", "2022-12-04", ("EU-833-X-XXV-CRUDE-TRANSITION",), FREE, XXV, "3m(3)(a) last day"),
    (IMP, "2709009000", "2022-12-05", ("EU-833-X-XXV-CRUDE-TRANSITION",), B, XXV, "crude from 5 Dec 2022"),
    (IMP, "2709009000", "2022-12-05", ("EU-833-X-XXV-PIPELINE-CRUDE",), FREE, XXV, "pipeline crude attested"),
    (IMP, "2710124100", "2023-02-04", ("EU-833-X-XXV-PRODUCTS-TRANSITION",), FREE, XXV, "3m(3)(b) last day"),
    (
        IMP,
        "2710124100",
        "2023-02-05",
        ("EU-833-X-XXV-PRODUCTS-TRANSITION",),
        B,
        XXV,
        "products from 5 Feb 2023",
    ),
    # -- Annex XXVI (gold), 1269 in force 22 Jul 2022
    (IMP, "7108120000", "2022-07-21", (), FREE, XXVI, "1269: day before"),
    (IMP, "7108120000", "2022-07-22", (), B, XXVI, "1269: unwrought gold"),
]


def _ask(catalog: Catalog, parties: tuple[str, str], hs: str, day: str, attest: tuple[str, ...]) -> Answer:
    origin, destination = parties
    q = catalog.question(origin, destination, hs, date.fromisoformat(day), as_known_on=KNOWN, attest=attest)
    side = Side.export if destination == "RU" else Side.import_
    return catalog.check(replace(q, side=side))


def _banned_by(answer: Answer, measure: str) -> bool:
    return answer.verdict == B and any(ev.measure.id == measure for ev in answer.deciding)


@pytest.mark.parametrize(("parties", "hs", "day", "attest", "expected", "measure", "why"), CASES)
def test_eu_833_packages_2022(
    real: Catalog,
    parties: tuple[str, str],
    hs: str,
    day: str,
    attest: tuple[str, ...],
    expected: Verdict | str,
    measure: str,
    why: str,
) -> None:
    answer = _ask(real, parties, hs, day, attest)
    if expected == FREE:
        assert not _banned_by(answer, measure), answer.explanation
        assert not answer.attest_not_applied, answer.attest_not_applied
        return
    assert answer.verdict == expected, answer.explanation
    assert any(ev.measure.id == measure for ev in answer.deciding), answer.explanation


def test_ex_line_is_not_a_flat_ban(real: Catalog) -> None:
    """An "ex" line lists the code only for the goods it describes: the answer is BANNED
    with an attestable exception naming the description, never a flat ban."""
    answer = _ask(real, EXP, "6101300000", "2022-03-16", ())
    assert answer.verdict == B
    ids = {e.id for e in answer.exceptions}
    assert "EU-833-X-EX-XVIII-61010000" in ids and "EU-833-X-XVIII-VALUE-THRESHOLD" in ids


def test_annex_and_part_in_the_legal_chain(real: Catalog) -> None:
    answer = _ask(real, IMP, "7326909800", "2022-10-07", ())
    doc = serialise.answer(real.index(KNOWN), answer)
    text = repr(doc)
    assert "'annex': 'XVII'" in text and "'part': 'B'" in text


def test_wind_down_attested_after_its_end_is_reported(real: Catalog) -> None:
    answer = _ask(real, IMP, "7208100000", "2022-06-18", ("EU-833-X-XVII-PRIOR-CONTRACT-20220316",))
    assert answer.verdict == B
    assert "EU-833-X-XVII-PRIOR-CONTRACT-20220316" in answer.attest_not_applied


def test_food_is_vouched_for_in_2022(real: Catalog) -> None:
    """Apples to Russia (EU export side) and from Russia (EU import side) in 2022: no EU
    measure lists them and the 2022-2023 declarations vouch for chapters 01-24."""
    for parties in (EXP, IMP):
        answer = _ask(real, parties, "0808100000", "2022-06-01", ())
        assert answer.verdict == A, answer.explanation
        assert answer.coverage is not None
        assert {d.id for d in answer.coverage.relied_on} & {
            "EU-EXPORT-RU-2022-2023",
            "EU-IMPORT-RU-2022-2023",
        }


def test_machinery_export_outside_the_declared_scope(real: Catalog) -> None:
    """Dual-use goods and Annex VII Part A are not held: a machine not listed by code is
    NOT_COVERED, never ALLOWED."""
    answer = _ask(real, EXP, "8467211000", "2022-06-01", ())
    assert answer.verdict == N, answer.explanation


def test_2014_originals_answer_as_before(real: Catalog) -> None:
    """The acts of 2014 still answer as before for their days: food to Russia in 2015 is
    vouched for by the 2014-2022 declaration; Annex II needs a licence."""
    answer = _ask(real, EXP, "0808100000", "2015-03-01", ())
    assert answer.verdict == A, answer.explanation
    answer = _ask(real, EXP, "7304191000", "2016-01-01", ())
    assert answer.verdict == L and answer.deciding[0].measure.id == II_OLD
