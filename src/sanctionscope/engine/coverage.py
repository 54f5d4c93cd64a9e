"""What the data set vouches for: goods risk, the sides of a shipment, declarations.

Meanings are fixed in design.md (Coverage). A shipment has two sides: the destination's
import side (partner: the origin) and the origin's export side (partner: the
destination). A side *needs coverage* when one of its imposers (the country, the unions
binding it, the UN) has a goods measure in force that restricts goods to or from the
partner: ``goods_risk``. A side that needs coverage is *vouched for* on a day and code
when a declaration of that imposer and direction covers the day, the partner and every
code under the code asked, and is not stale. ``ALLOWED`` requires every such side to
be vouched for; otherwise the answer is ``NOT_COVERED``.

Two rules of issue 11 (regimes): a regime-level record that restricts goods and whose
lists are not held (no ``lists_in``, or none of its linked measures in force on the day)
leaves the side not vouched for whatever the declarations say, for the codes its
``goods_range`` reaches (status ``regime_not_held``, naming the regime). And once any
survey is in the data, a side whose country is not a surveyed imposer on the day (no
survey, a survey from a later day, or a stale one) needs coverage from its own country's
declarations (status ``not_surveyed`` when none vouches). A question may ask about one
side only (``Side``): then only that side is assessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sanctionscope.codes import significant
from sanctionscope.engine.compile import Index
from sanctionscope.engine.prefixes import Prefixes, per_spec
from sanctionscope.engine.state import MeasureState
from sanctionscope.model.acts import MeasureSpec
from sanctionscope.model.coverage import DeclarationSpec, Direction
from sanctionscope.model.dataset import Dataset
from sanctionscope.model.jurisdictions import Inclusion, Jurisdictions
from sanctionscope.model.surveys import SurveySpec
from sanctionscope.periods import in_period

#: Days a declaration keeps vouching after its ``reviewed_on`` day, unless the user sets
#: another grace period.
DEFAULT_GRACE_DAYS = 30


class Status(StrEnum):
    """How a side that needs coverage stands on the day and code asked."""

    vouched = "vouched"
    no_declaration = "no_declaration"
    outside_declared_scope = "outside_declared_scope"
    not_reviewed_since = "not_reviewed_since"
    #: a regime-level record restricting goods reaches the code, its lists not held
    regime_not_held = "regime_not_held"
    #: the side's country is not a surveyed imposer on the day, and no declaration vouches
    not_surveyed = "not_surveyed"


class Side(StrEnum):
    """The side(s) of a shipment a question asks about: the destination's import side,
    the origin's export side, or both (the default)."""

    import_ = "import"
    export = "export"
    both = "both"

    @property
    def directions(self) -> tuple[Direction, ...]:
        if self == Side.import_:
            return (Direction.import_,)
        if self == Side.export:
            return (Direction.export,)
        return (Direction.import_, Direction.export)


def side_of(text: str | Side, field_name: str = "side") -> Side:
    """A side as the user wrote it, or InputError naming the field."""
    from sanctionscope.errors import InputError

    try:
        return Side(str(text).strip().lower())
    except ValueError:
        raise InputError(field_name, text, "is not import, export or both") from None


@dataclass(frozen=True)
class RegimeRef:
    """A regime-level record named by a NOT_COVERED answer: its regime, measure and act."""

    measure: str
    act: str
    #: the act's regime name (None when the act names none)
    regime: str | None
    title: str


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
    #: regime-level records restricting goods whose lists are not held (regime_not_held)
    regimes: tuple[RegimeRef, ...] = ()
    #: not_surveyed: the survey of the side's country that does not vouch for the day
    #: (it starts later, or is stale), None when there is none
    survey: SurveySpec | None = None

    @property
    def vouched(self) -> bool:
        return self.status == Status.vouched


@dataclass
class CoverageResult:
    """The sides that needed coverage on the day, each vouched for or not."""

    day: date
    grace_days: int
    sides: list[SideCoverage] = field(default_factory=list)
    #: the directions assessed (``--side``): import, export or both
    assessed: tuple[Direction, ...] = (Direction.import_, Direction.export)

    @property
    def relied_on(self) -> list[DeclarationSpec]:
        found = {s.declaration.id: s.declaration for s in self.sides if s.vouched and s.declaration}
        return list(found.values())

    @property
    def missing(self) -> list[SideCoverage]:
        return [s for s in self.sides if not s.vouched]


def held_on(index: Index, m: MeasureState, day: date) -> bool:
    """Are a regime-level record's lists held on the day: one of the measures it links to
    (``lists_in``) is in force then? Measure-level records are held when they list."""
    if m.spec.level != "regime":
        return m.spec.product_scope != "unlisted"
    found = (index.measures.get(x) for x in m.spec.lists_in)
    return any(x is not None and x.active(day) for x in found)


def unheld_regime(index: Index, m: MeasureState, day: date) -> bool:
    """A regime-level record restricting goods whose lists are not held on the day."""
    return m.spec.level == "regime" and m.spec.product_scope == "unlisted" and not held_on(index, m, day)


def reaches(spec: MeasureSpec, code: str) -> bool:
    """Does the record's goods range (all goods when empty) reach some code under ``code``?"""
    if not spec.goods_range:
        return True
    key = significant(code)
    reach = per_spec(spec, "reach", lambda: Prefixes(spec.goods_range))
    return reach.above(key) or reach.under(key)  # the code inside, or part of the range under it


def regime_ref(m: MeasureState) -> RegimeRef:
    return RegimeRef(m.id, m.act.id, m.act.regime, m.spec.title)


def home(jur: Jurisdictions, jid: str) -> str:
    """The country whose law a side is: the country itself, or a subdivision's country."""
    return jur.parent(jid) or jid


def survey_stands(
    dataset: Dataset, jur: Jurisdictions, country: str, day: date, known: date, grace: int
) -> tuple[bool, SurveySpec | None]:
    """(Is ``country`` a surveyed imposer on the day, the survey that fails when not).

    With no survey in the data every country stands (the rule is off). A country stands
    when its own survey, or that of a union binding it on the day whose survey says
    ``members: true``, started on or before the day and is not stale."""
    surveys = dataset.surveys
    if not surveys:
        return True, None
    through = jur.surveyed_through(country)
    if through:
        # a territory: every state whose regimes may bind its goods must stand
        for state in through:
            stands, failing_state = survey_stands(dataset, jur, state, day, known, grace)
            if not stands:
                return False, failing_state
        return True, None
    failing: SurveySpec | None = None
    for who in (country, *(x for x in jur.imposers(country, day) if x != country)):
        s = surveys.get(who)
        if s is None or (who != country and not s.members):
            continue
        if s.since <= day and not stale(s, day, known, grace):
            return True, None
        failing = failing or s
    return False, failing


def product_scope(decl: DeclarationSpec) -> tuple[Prefixes, Prefixes]:
    """The declaration's product scope: included and excluded prefixes."""
    scope = decl.product_scope
    found: tuple[Prefixes, Prefixes] = per_spec(
        decl, "scope", lambda: (Prefixes(scope.include), Prefixes(scope.exclude))
    )
    return found


def in_scope(decl: DeclarationSpec, code: str) -> bool:
    """Is every code under ``code`` inside the declaration's product scope?"""
    include, exclude = product_scope(decl)
    key = significant(code)
    if include.prefixes and not include.above(key):
        return False
    # an exclusion above the code leaves it out, one under it leaves part of it out
    return not (exclude.above(key) or exclude.under(key))


def stale(decl: DeclarationSpec | SurveySpec, day: date, as_known_on: date, grace_days: int) -> bool:
    """A declaration stops vouching when both the day and the as-known-on day are later
    than its review plus the grace period: acts published since are not held."""
    limit = decl.reviewed_on + timedelta(days=grace_days)
    return day > limit and as_known_on > limit


def staleness_key(
    decls: list[DeclarationSpec] | list[SurveySpec], as_known_on: date, grace_days: int
) -> tuple[bool, ...]:
    """Which declarations the as-known-on day is past the review of: the only way the
    as-known-on day enters coverage (kernels are shared by the days with equal keys)."""
    return tuple(as_known_on > d.reviewed_on + timedelta(days=grace_days) for d in decls)


def stale_from(decl: DeclarationSpec | SurveySpec, grace_days: int) -> date:
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
    return index.derive("declarations", Declarations)
