"""Who sanctions whom on a day, who is spared from countermeasures, and act timelines.

Definitions are in ``design.md``: ``sanctions(A, B, D)`` holds when A has a measure in
force on D whose target is B or a person, entity or territory of B (blocs expand to
their members on D); a countermeasure is a measure with ``in_response_to`` links;
``spared(X, D)`` are the C with ``sanctions(C, X, D)`` that no countermeasure of X in
force on D targets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import MeasureState
from sanctionscope.model.acts import ALL_PARTNERS, ActSpec, MeasureType, TargetScope
from sanctionscope.model.jurisdictions import Inclusion, Jurisdictions


@dataclass
class Relation:
    """``imposer`` has measures in force against ``target`` on the day."""

    imposer: str
    target: str
    measures: list[MeasureState] = field(default_factory=list)

    @property
    def types(self) -> list[str]:
        return sorted({m.type.value for m in self.measures})

    @property
    def countermeasure(self) -> bool:
        return any(m.spec.in_response_to for m in self.measures)


#: Target scopes that aim at persons or entities, not at a state (design.md, Relations).
PERSON_SCOPES = frozenset({TargetScope.persons, TargetScope.entities})


def worldwide_on_persons(jurisdiction: str, scope: TargetScope) -> bool:
    """A target of a thematic regime (human rights, cyber, terrorism): persons or
    entities anywhere. It names no state, so it is no relation between states."""
    return jurisdiction == ALL_PARTNERS and scope in PERSON_SCOPES


def who(index: Index, day: date) -> list[Relation]:
    """Every (imposer, target) pair with measures in force on ``day``, as written
    (worldwide measures on persons aside: they target no state)."""
    pairs: dict[tuple[str, str], Relation] = {}
    for m in index.measures.values():
        if not m.active(day) or m.type == MeasureType.support_programme:
            continue
        for t in m.targets_on(day):
            if worldwide_on_persons(t.jurisdiction, t.scope):
                continue
            rel = pairs.setdefault((m.spec.imposer, t.jurisdiction), Relation(m.spec.imposer, t.jurisdiction))
            if m not in rel.measures:
                rel.measures.append(m)
    return sorted(pairs.values(), key=lambda r: (r.imposer, r.target))


def sanctioners(index: Index, x: str, day: date) -> list[Relation]:
    """The C with sanctions(C, x, day), with the measures that make it so."""
    jur = index.dataset.jurisdictions
    out: dict[str, Relation] = {}
    for m in index.measures.values():
        if not m.active(day) or m.type == MeasureType.support_programme or m.spec.imposer == x:
            continue
        if any(jur.includes(t.jurisdiction, x, day) == Inclusion.yes for t in m.targets_on(day)):
            out.setdefault(m.spec.imposer, Relation(m.spec.imposer, x)).measures.append(m)
    return sorted(out.values(), key=lambda r: r.imposer)


def countermeasures(
    index: Index, x: str, day: date, types: set[MeasureType] | None = None
) -> list[MeasureState]:
    """Measures imposed by ``x`` in answer to others, in force on ``day``."""
    return [
        m
        for m in index.measures.values()
        if m.spec.imposer == x
        and m.spec.in_response_to
        and m.active(day)
        and (types is None or m.type in types)
    ]


@dataclass
class Spared:
    jurisdiction: str
    #: what it has in force against X
    sanctions: list[MeasureState]
    #: X's countermeasures that do hit it (empty when spared)
    hit_by: list[MeasureState]

    @property
    def spared(self) -> bool:
        return not self.hit_by


def spared(index: Index, x: str, day: date, types: set[MeasureType] | None = None) -> list[Spared]:
    """Every sanctioner of ``x`` on ``day``, each marked spared or hit (and by what)."""
    jur = index.dataset.jurisdictions
    answers = countermeasures(index, x, day, types)
    out = []
    for rel in sanctioners(index, x, day):
        hit = [
            m
            for m in answers
            if any(_covers_imposer(jur, t.jurisdiction, rel.imposer, day) for t in m.targets_on(day))
        ]
        out.append(Spared(rel.imposer, rel.measures, hit))
    return out


def _covers_imposer(jur: Jurisdictions, target: str, imposer: str, day: date) -> bool:
    if jur.includes(target, imposer, day) == Inclusion.yes:
        return True
    # A bloc imposer is hit when the countermeasure targets the bloc's members.
    members = jur.members(imposer, day)
    return bool(members) and all(jur.includes(target, c, day) == Inclusion.yes for c in members)


@dataclass
class TimelineEntry:
    act: ActSpec
    day: date
    direction: str
    measures: list[str]
    changes: list[str]


def timeline(index: Index, a: str, b: str) -> list[TimelineEntry]:
    """Every act between ``a`` and ``b`` (both directions, blocs included), by date."""
    entries = []
    related = {m.id: d for m in index.measures.values() if (d := _direction(index, m, a, b))}
    for act in index.acts.values():
        created = [m.id for m in act.measures if m.id in related]
        changed = sorted({c.measure for c in act.changes if c.measure in related})
        if created or changed:
            direction = related[(created or changed)[0]]
            day = min(
                [
                    act.in_force,
                    *(c.effective for c in act.changes if c.effective and c.measure in related),
                ]
            )
            entries.append(TimelineEntry(act, day, direction, created, changed))
    return sorted(entries, key=lambda e: (e.act.in_force, e.act.signed, e.act.id))


def _direction(index: Index, m: MeasureState, a: str, b: str) -> str | None:
    for x, y in ((a, b), (b, a)):
        if _involves(index, m.spec.imposer, x) and any(
            _involves(index, t.jurisdiction, y) for t in m.targets
        ):
            return f"{x} \u2192 {y}"
    return None


def _involves(index: Index, party: str, x: str) -> bool:
    """``party`` is ``x``, a bloc ``x`` ever belonged to, or a subdivision of ``x``."""
    jur = index.dataset.jurisdictions
    return party == x or x in jur.ever_members(party) or jur.parent(party) == x
