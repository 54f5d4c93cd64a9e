"""Like-for-like comparisons of the shipped trade figures, and three ready stories.

Two rows are compared only when they have the same product (``hs_code``), the same
measure after rescaling (USD or tonnes), the same reporter basis (RU-reported, mirror,
trade press...) and the same period kind (calendar year with calendar year, Jan-Oct with
Jan-Oct...). Every other pair is listed as skipped, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sanctionscope.engine.answer import Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.impact.figrows import Figure, load_figures

__all__ = [
    "Comparison",
    "Figure",
    "Pair",
    "Skip",
    "Story",
    "TargetCheck",
    "compare",
    "load_figures",
    "stories",
]

FOOD_BAN = "RU-FOOD-IMPORT-BAN"
BAN_CHECK_DAYS = (date(2014, 8, 10), date(2015, 8, 10), date(2016, 8, 10))


@dataclass(frozen=True)
class Pair:
    """Two comparable figures for one product and partner."""

    product: str
    partner: str
    #: "USD" or "tonnes"
    unit: str
    before: Figure
    after: Figure
    before_amount: float
    after_amount: float
    notes: tuple[str, ...] = ()

    @property
    def change_pct(self) -> float | None:
        if self.before_amount == 0:
            return None
        return 100.0 * (self.after_amount - self.before_amount) / self.before_amount


@dataclass(frozen=True)
class Skip:
    product: str
    partner: str
    years: tuple[int, int]
    reason: str
    rows: tuple[int, ...] = ()


@dataclass
class Comparison:
    product: str
    partners: list[str]
    years: tuple[int, int]
    pairs: list[Pair] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


def _matches(f: Figure, product: str) -> bool:
    return f.product == product


def compare(figures: list[Figure], product: str, partners: list[str], years: tuple[int, int]) -> Comparison:
    """Like-for-like pairs of ``product`` for each partner between ``years``; the rest skipped.

    ``product`` is an ``hs_code`` as written in the table (``080810``, ``0302-0304``) or,
    when no row has that code, a word of the product label (``salmon``): then rows with
    different codes are never paired (skipped as "product scope differs").
    """
    exact = any(f.product == product for f in figures)
    chosen = [f for f in figures if (f.product == product if exact else product.lower() in f.label.lower())]
    out = Comparison(product, list(partners), years)
    y1, y2 = years
    for partner in partners:
        mine = [f for f in chosen if partner in (f.partner_iso2, f.partner_name)]
        first = [f for f in mine if f.year == y1]
        second = [f for f in mine if f.year == y2]
        for year, rows in ((y1, first), (y2, second)):
            if not rows:
                out.skipped.append(
                    Skip(product, partner, years, f"no {year} figure for {partner} in the table")
                )
        for a in first:
            for b in second:
                if a.row != b.row:
                    _compare_pair(out, partner, a, b)
    return out


def _compare_pair(out: Comparison, partner: str, a: Figure, b: Figure) -> None:
    def skip(reason: str) -> None:
        out.skipped.append(Skip(out.product, partner, out.years, reason, (a.row, b.row)))

    if a.product != b.product:
        return skip(f"product scope differs: {a.product} vs {b.product}")
    if a.period_kind is None or b.period_kind is None:
        odd = a if a.period_kind is None else b
        return skip(f"period cannot be matched: {odd.year} is '{odd.period}'")
    if a.period_kind != b.period_kind:
        return skip(f"periods differ: {b.year} is {b.period} vs {a.period}")
    if "not stated" in (a.basis_kind, b.basis_kind):
        return skip(
            "basis not stated for " + ", ".join(str(f.year) for f in (a, b) if f.basis_kind == "not stated")
        )
    if a.basis_kind != b.basis_kind:
        return skip(f"basis differs: {a.basis_kind} ({a.year}) vs {b.basis_kind} ({b.year})")
    found = False
    for unit, get in (("USD", _usd), ("tonnes", _tonnes)):
        before, after = get(a), get(b)
        if before is not None and after is not None:
            notes = tuple(
                n
                for n, on in (
                    ("approximate figure", a.approximate or b.approximate),
                    ("different source pages", a.source_url != b.source_url),
                )
                if on
            )
            out.pairs.append(Pair(out.product, partner, unit, a, b, before, after, notes))
            found = True
        elif unit == "USD" and (a.value_not_usd or b.value_not_usd):
            odd = a if a.value_not_usd else b
            skip(f"value not in USD for {odd.year} {odd.value_unit.removeprefix('n/a in USD ')}")
            found = True
        elif (before is None) != (after is None):
            has = a if before is not None else b
            skip(f"{unit}: only {has.year} has a figure")
            found = True
    if not found:
        skip("no value or quantity in both rows")
    return None


def _usd(f: Figure) -> float | None:
    return f.usd


def _tonnes(f: Figure) -> float | None:
    return f.tonnes


# -- stories ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetCheck:
    """What the engine says for a partner's goods entering Russia on a day."""

    partner: str
    name: str
    code: str
    day: date
    verdict: str
    targeted: bool


@dataclass
class Story:
    key: str
    title: str
    text: str
    #: every table row the story read (its products and partners), for footnotes
    rows: list[Figure]
    pairs: list[Pair]
    skipped: list[Skip]
    targeted: list[TargetCheck]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(f.source_url for f in self.rows))


_STORIES = (
    (
        "salmon",
        "Salmon: did the Faroe Islands and Chile replace Norway?",
        ("030214", "0302-0304", "0303"),
        ("NO", "FO", "CL"),
        "0302",
        range(2012, 2017),
    ),
    (
        "apples",
        "Apples: did Belarus, Serbia, Moldova and China replace Poland?",
        ("080810", "08"),
        ("PL", "BY", "RS", "MD", "CN"),
        "080810",
        range(2012, 2017),
    ),
    (
        "japan",
        "Japan: spared by the ban, did it gain?",
        ("01-24 (MAFF definition)",),
        ("JP",),
        "0302",
        range(2012, 2021),
    ),
)


def stories(catalog: Catalog, figures: list[Figure]) -> list[Story]:
    """The salmon, apples and Japan stories, from like-for-like figures only."""
    out = []
    for key, title, products, partners, code, years in _STORIES:
        pairs: list[Pair] = []
        skipped: list[Skip] = []
        for product in products:
            for y1 in years:
                for y2 in years:
                    if y1 <= 2014 <= y2 and y1 < y2:
                        found = compare(figures, product, list(partners), (y1, y2))
                        pairs += found.pairs
                        skipped += [s for s in found.skipped if s.rows]
        used = {f.row for p in pairs for f in (p.before, p.after)} | {r for s in skipped for r in s.rows}
        rows = [f for f in figures if f.row in used or (f.product in products and f.partner in partners)]
        checks = [_check(catalog, p, code, day) for p in partners for day in BAN_CHECK_DAYS]
        text = _text(catalog, pairs, skipped, checks, partners)
        out.append(Story(key, title, text, rows, pairs, _dedupe(skipped), checks))
    return out


def _dedupe(skipped: list[Skip]) -> list[Skip]:
    seen: dict[tuple[str, str, tuple[int, ...]], Skip] = {}
    for s in skipped:
        seen.setdefault((s.reason, s.partner, s.rows), s)
    return list(seen.values())


def _check(catalog: Catalog, partner: str, code: str, day: date) -> TargetCheck:
    answer = catalog.check(catalog.question(partner, "RU", code, day))
    banned = answer.verdict == Verdict.BANNED and any(ev.measure.id == FOOD_BAN for ev in answer.deciding)
    name = catalog.dataset.jurisdictions.name(partner)
    return TargetCheck(partner, name, code, day, str(answer.verdict), banned)


def _amount(value: float, unit: str) -> str:
    if unit == "USD":
        return f"USD {value / 1e6:,.1f} million"
    return f"{value / 1e3:,.1f} thousand t" if value >= 1e4 else f"{value:,.0f} t"


def _text(
    catalog: Catalog,
    pairs: list[Pair],
    skipped: list[Skip],
    checks: list[TargetCheck],
    partners: tuple[str, ...],
) -> str:
    jur = catalog.dataset.jurisdictions
    day = BAN_CHECK_DAYS[0]
    on_day = [c for c in checks if c.day == day]
    hit = [c.name for c in on_day if c.targeted]
    spared = [c.name for c in on_day if not c.targeted]
    code = on_day[0].code if on_day else ""
    parts = []
    if hit:
        parts.append(f"On {day:%d %B %Y} Russia's food ban covered code {code} from {_join(hit)}")
    if spared:
        parts.append(
            f"it did not cover {_join(spared)}"
            if hit
            else f"On {day:%d %B %Y} Russia's food ban did not cover code {code} from {_join(spared)}"
        )
    sentences = ["; ".join(parts) + " (sanctionscope engine)."]
    for p in sorted(pairs, key=lambda p: (p.before.row, p.after.row))[:2]:
        pct = p.change_pct
        change = "" if pct is None else f", {pct:+.0f}%"
        sentences.append(
            f"{jur.name(p.partner)}, {p.before.label}: {_amount(p.before_amount, p.unit)} in "
            f"{p.before.period} and {_amount(p.after_amount, p.unit)} in {p.after.period}{change} "
            f"({p.before.basis_kind}, same basis and period kind)."
        )
    no_pair = [jur.name(x) for x in partners if not any(p.partner == x for p in pairs)]
    if no_pair:
        reasons = (f"{jur.name(s.partner)}: {s.reason}" for s in skipped if jur.name(s.partner) in no_pair)
        example = next(reasons, "no figures on both sides of the ban")
        sentences.append(
            f"For {_join(no_pair)} the table has no like-for-like pair before and after the ban "
            f"(e.g. {example}), so the figures cannot show a change there."
        )
    return " ".join(sentences[:4])


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
