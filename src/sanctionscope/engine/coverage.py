"""What the data set vouches for: goods risk, the sides of a shipment, declarations.

Meanings are fixed in design.md (Coverage). A shipment has two sides: the destination's
import side (partner: the origin) and the origin's export side (partner: the
destination). A side *needs coverage* when one of its imposers (the country, the unions
binding it, the UN) has a goods measure in force that restricts goods to or from the
partner: ``goods_risk``. A side that needs coverage is *vouched for* on a day and code
when a declaration of that imposer and direction covers the day, the partner and every
code under the code asked, and is not stale. ``ALLOWED`` requires every such side to
be vouched for; otherwise the answer is ``NOT_COVERED``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sanctionscope.codes import significant
from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import MeasureState, TargetState
from sanctionscope.model.acts import ALL_PARTNERS, TargetScope
from sanctionscope.model.coverage import DeclarationSpec, Direction
from sanctionscope.model.jurisdictions import Inclusion, Jurisdictions
from sanctionscope.periods import in_period

#: Days a declaration keeps vouching after its ``reviewed_on`` day, unless the user sets
#: another grace period.
DEFAULT_GRACE_DAYS = 30

#: Target scopes that make goods of a jurisdiction subject to a goods measure; measures
#: aimed only at persons or entities create no goods risk.
GOODS_SCOPES = frozenset({TargetScope.origin, TargetScope.country, TargetScope.territory})


class Status(StrEnum):
    """How a side that needs coverage stands on the day and code asked."""

    vouched = "vouched"
    no_declaration = "no_declaration"
    outside_declared_scope = "outside_declared_scope"
    not_reviewed_since = "not_reviewed_since"


@dataclass(frozen=True)
class SideCoverage:
    """One imposer's law on one side of the shipment, and whether the data vouches for it."""

    direction: Direction
    #: the country whose side this is (destination for import, origin for export)
    side: str
    partner: str
    imposer: str
    #: the goods measures of the imposer against the partner in force on the day
    measures: tuple[str, ...]
    status: Status
    declaration: DeclarationSpec | None = None

    @property
    def vouched(self) -> bool:
        return self.status == Status.vouched


@dataclass
class CoverageResult:
    """The sides that needed coverage on the day, each vouched for or not."""

    day: date
    grace_days: int
    sides: list[SideCoverage] = field(default_factory=list)

    @property
    def relied_on(self) -> list[DeclarationSpec]:
        found = {s.declaration.id: s.declaration for s in self.sides if s.vouched and s.declaration}
        return list(found.values())

    @property
    def missing(self) -> list[SideCoverage]:
        return [s for s in self.sides if not s.vouched]


def target_includes(jur: Jurisdictions, target: TargetState, party: str, day: date) -> Inclusion:
    """Does a measure's target include ``party`` on ``day``? ``ALL`` means every partner
    less its exclusions (an exclusion that is itself unclear leaves the answer unclear)."""
    if target.jurisdiction != ALL_PARTNERS:
        return jur.includes(target.jurisdiction, party, day)
    found = [jur.includes(x, party, day) for x in target.excluding]
    if Inclusion.yes in found:
        return Inclusion.no
    return Inclusion.unclear if Inclusion.unclear in found else Inclusion.yes


def risk_target(jur: Jurisdictions, target: TargetState, partner: str, day: date) -> bool:
    """Does a goods target put goods to or from ``partner`` at risk: it includes the
    partner (an unclear inclusion counts), or it is a territory of the partner (goods
    declared as the partner's may come from the region the measure names)."""
    if target.scope not in GOODS_SCOPES:
        return False
    if target_includes(jur, target, partner, day) != Inclusion.no:
        return True
    return jur.parent(target.jurisdiction) == partner


def goods_risk(index: Index, imposer: str, partner: str, day: date) -> list[MeasureState]:
    """goods_risk(imposer, partner, day): the imposer's goods measures in force on the
    day with a goods target that puts the partner at risk (see :func:`risk_target`)."""
    jur = index.dataset.jurisdictions
    return [
        m
        for m in _goods_by_imposer(index).get(imposer, ())
        if m.active(day) and any(risk_target(jur, t, partner, day) for t in m.targets_on(day))
    ]


def _goods_by_imposer(index: Index) -> dict[str, list[MeasureState]]:
    found = index.derived.get("goods_by_imposer")
    if not isinstance(found, dict):
        found = defaultdict(list)
        for m in index.goods_measures():
            found[m.spec.imposer].append(m)
        index.derived["goods_by_imposer"] = found = dict(found)
    return found


def in_scope(decl: DeclarationSpec, code: str) -> bool:
    """Is every code under ``code`` inside the declaration's product scope?"""
    include, exclude, ordered = _scope_of(decl)
    key = significant(code)
    heads = {key[:n] for n in range(len(key) + 1)}
    if include and not heads & include:
        return False
    if heads & exclude:
        return False
    at = bisect_left(ordered, key)  # an exclusion under the code leaves part of it out
    return not (at < len(ordered) and ordered[at].startswith(key))


#: Scopes as sets of significant prefixes, by declaration (declarations are immutable).
_SCOPES: dict[int, tuple[DeclarationSpec, frozenset[str], frozenset[str], list[str]]] = {}


def _scope_of(decl: DeclarationSpec) -> tuple[frozenset[str], frozenset[str], list[str]]:
    found = _SCOPES.get(id(decl))
    if found is None or found[0] is not decl:
        include = frozenset(significant(p) for p in decl.product_scope.include)
        exclude = frozenset(significant(p) for p in decl.product_scope.exclude)
        found = _SCOPES[id(decl)] = (decl, include, exclude, sorted(exclude))
    return found[1], found[2], found[3]


def stale(decl: DeclarationSpec, day: date, as_known_on: date, grace_days: int) -> bool:
    """A declaration stops vouching when both the day and the as-known-on day are later
    than its review plus the grace period: acts published since are not held."""
    limit = decl.reviewed_on + timedelta(days=grace_days)
    return day > limit and as_known_on > limit


def staleness_key(decls: list[DeclarationSpec], as_known_on: date, grace_days: int) -> tuple[bool, ...]:
    """Which declarations the as-known-on day is past the review of: the only way the
    as-known-on day enters coverage (kernels are shared by the days with equal keys)."""
    return tuple(as_known_on > d.reviewed_on + timedelta(days=grace_days) for d in decls)


def stale_from(decl: DeclarationSpec, grace_days: int) -> date:
    """The first day on which the declaration may be stale."""
    return decl.reviewed_on + timedelta(days=grace_days + 1)


class Declarations:
    """The data set's declarations, by imposer and direction."""

    def __init__(self, index: Index) -> None:
        self.jur = index.dataset.jurisdictions
        self.by_key: dict[tuple[str, Direction], list[DeclarationSpec]] = defaultdict(list)
        for decl in index.dataset.coverage.values():
            self.by_key[(decl.imposer, decl.direction)].append(decl)

    def candidates(
        self, imposer: str, direction: Direction, partner: str, day: date
    ) -> list[DeclarationSpec]:
        """Declarations of the imposer and direction in force on the day for the partner."""
        return [
            d
            for d in self.by_key.get((imposer, direction), ())
            if in_period(day, d.start, d.end) and self.names_partner(d, partner, day)
        ]

    def names_partner(self, decl: DeclarationSpec, partner: str, day: date) -> bool:
        return not decl.partners or any(
            self.jur.includes(p, partner, day) == Inclusion.yes for p in decl.partners
        )


def declarations_of(index: Index) -> Declarations:
    """The index's declarations lookup (built once per index)."""
    found = index.derived.get("declarations")
    if not isinstance(found, Declarations):
        found = index.derived["declarations"] = Declarations(index)
    return found


def _status(
    found: list[DeclarationSpec], code: str, day: date, known: date, grace: int
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
) -> CoverageResult:
    """The sides of the shipment that need coverage, each vouched for or not, as known on
    ``as_known_on`` (the question's day, not the index's: indexes are shared by every
    day that knows the same acts)."""
    jur = index.dataset.jurisdictions
    declarations = declarations_of(index)
    result = CoverageResult(day, grace_days)
    for direction, side, partner in (
        (Direction.import_, destination, origin),
        (Direction.export, origin, destination),
    ):
        for imposer in jur.imposers(side, day):
            risk = goods_risk(index, imposer, partner, day)
            if not risk:
                continue
            found = declarations.candidates(imposer, direction, partner, day)
            status, decl = _status(found, code, day, as_known_on, grace_days)
            measures = tuple(m.id for m in risk)
            result.sides.append(SideCoverage(direction, side, partner, imposer, measures, status, decl))
    return result
