"""``assess``: the sides of one shipment that need coverage, each vouched for or not.

The meanings are those of :mod:`coverage` (design.md, Coverage). What a side's
assessment reads before the code and the as-known-on day (the imposers whose goods
measures put the partner at risk, their declarations in force for the partner, their
regime records whose lists are not held, the side's own country) is the same on every
day between two changes of the data it reads, so it is looked up per such span; the
code's scope and the staleness are read per question.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import (
    DEFAULT_GRACE_DAYS,
    CoverageResult,
    RegimeRef,
    Side,
    SideCoverage,
    Status,
    declarations_of,
    home,
    in_scope,
    reaches,
    regime_ref,
    stale,
    survey_stands,
    unheld_regime,
)
from sanctionscope.engine.goods_risk import directions, goods_risk, span_memo, target_span
from sanctionscope.model.acts import MeasureSpec
from sanctionscope.model.coverage import DeclarationSpec, Direction

__all__ = ["assess"]


def _status(
    found: Sequence[DeclarationSpec], code: str, day: date, known: date, grace: int
) -> tuple[Status, DeclarationSpec | None]:
    scoped = [d for d in found if in_scope(d, code)]
    fresh = [d for d in scoped if not stale(d, day, known, grace)]
    if fresh:
        return Status.vouched, fresh[0]
    if scoped:
        return Status.not_reviewed_since, scoped[0]
    if found:
        return Status.outside_declared_scope, found[0]
    return Status.no_declaration, None


def assess(
    index: Index,
    origin: str,
    destination: str,
    code: str,
    day: date,
    as_known_on: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
    side: Side = Side.both,
) -> CoverageResult:
    """The sides of the shipment that need coverage, each vouched for or not, as known on
    ``as_known_on`` (the question's day, not the index's: indexes are shared by every
    day that knows the same acts). Only the directions of ``side`` are assessed."""
    result = CoverageResult(day, grace_days, assessed=side.directions)
    for x in _sides(index, origin, destination, day, side):
        for imposer in x.imposers:
            status, decl = _status(imposer.found, code, day, as_known_on, grace_days)
            regimes = tuple(ref for spec, ref in imposer.regimes if reaches(spec, code))
            if regimes:
                status = Status.regime_not_held
            result.sides.append(
                SideCoverage(
                    x.direction,
                    x.country,
                    x.partner,
                    imposer.imposer,
                    imposer.measures,
                    status,
                    decl,
                    regimes,
                )
            )
        if x.own is None:
            continue
        jur = index.dataset.jurisdictions
        stands, survey = survey_stands(index.dataset, jur, x.own, day, as_known_on, grace_days)
        if stands:
            continue
        status, decl = _status(x.own_declarations(index), code, day, as_known_on, grace_days)
        if status == Status.no_declaration:
            status = Status.not_surveyed
        result.sides.append(
            SideCoverage(x.direction, x.country, x.partner, x.own, (), status, decl, survey=survey)
        )
    return result


class _Imposer(NamedTuple):
    """An imposer whose goods measures put the partner at risk on the day, with what the
    side's status is read from once the code is known."""

    imposer: str
    measures: tuple[str, ...]
    #: its declarations of the direction in force on the day for the partner
    found: tuple[DeclarationSpec, ...]
    #: its regime-level records restricting the direction whose lists are not held
    regimes: tuple[tuple[MeasureSpec, RegimeRef], ...]


class _Side:
    """One direction of the shipment as :func:`assess` reads it before the code: the
    imposers at risk, and the side's own country when it is not among them."""

    __slots__ = ("_day", "_own_found", "country", "direction", "imposers", "own", "partner")

    def __init__(
        self,
        direction: Direction,
        country: str,
        partner: str,
        imposers: tuple[_Imposer, ...],
        own: str | None,
        day: date,
    ) -> None:
        self.direction, self.country, self.partner = direction, country, partner
        self.imposers, self.own, self._day = imposers, own, day
        self._own_found: tuple[DeclarationSpec, ...] | None = None

    def own_declarations(self, index: Index) -> tuple[DeclarationSpec, ...]:
        """The own country's declarations in force for the partner: read only when its
        survey does not vouch (the same on every day of the span, so on the first asked)."""
        if self._own_found is None and self.own is not None:
            found = declarations_of(index).candidates(self.own, self.direction, self.partner, self._day)
            self._own_found = tuple(found)
        return self._own_found or ()


def _sides(index: Index, origin: str, destination: str, day: date, side: Side) -> tuple[_Side, ...]:
    """What :func:`assess` reads before the code and the as-known-on day: the same on
    every day between two changes of a measure, target or membership (the span), a
    declaration's period or a regime record's linked measures (see :func:`_cuts`)."""
    key = (origin, destination, side, target_span(index, day), bisect_right(_cuts(index), day))
    found: tuple[_Side, ...] = span_memo(index, "coverage_sides").get_or_make(
        key, _find_sides, index, origin, destination, day, side
    )
    return found


def _cuts(index: Index) -> list[date]:
    def build(index: Index) -> list[date]:
        cuts = {d for x in index.dataset.coverage.values() for d in (x.start, x.end) if d is not None}
        for m in index.goods_measures():
            for linked in filter(None, (index.measures.get(x) for x in m.spec.lists_in)):
                cuts.update(d for d in (linked.start, linked.end) if d is not None)
                cuts.update(d for s in linked.suspended for d in (s.start, s.end) if d is not None)
        return sorted(cuts)

    return index.derive("coverage_cuts", build)


def _find_sides(index: Index, origin: str, destination: str, day: date, side: Side) -> tuple[_Side, ...]:
    jur = index.dataset.jurisdictions
    declarations = declarations_of(index)
    span = target_span(index, day)
    found = []
    for direction, country, partner in (
        (Direction.import_, destination, origin),
        (Direction.export, origin, destination),
    ):
        if direction not in side.directions:
            continue
        imposers = []
        for imposer in jur.imposers(country, day):
            risk = goods_risk(index, imposer, partner, day, span)
            if risk:
                regimes = tuple(
                    (m.spec, regime_ref(m))
                    for m in risk
                    if unheld_regime(index, m, day) and direction in directions(m.spec)
                )
                candidates = tuple(declarations.candidates(imposer, direction, partner, day))
                imposers.append(_Imposer(imposer, tuple(m.id for m in risk), candidates, regimes))
        own: str | None = home(jur, country)
        if any(x.imposer == own for x in imposers):
            own = None
        found.append(_Side(direction, country, partner, tuple(imposers), own, day))
    return tuple(found)
