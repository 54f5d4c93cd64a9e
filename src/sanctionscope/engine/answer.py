"""The answer to a shipment question: verdict, reason and the whole legal chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS, CoverageResult, Side
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState, TargetState


class Verdict(StrEnum):
    """The answer to a shipment question. When several measures speak, the first value
    that applies wins: BANNED, LICENCE_REQUIRED, UNDETERMINED, NOT_COVERED, ALLOWED."""

    BANNED = "BANNED"
    #: no ban, but a licensing (prior authorisation) regime covers the shipment
    LICENCE_REQUIRED = "LICENCE_REQUIRED"
    #: the law is unclear on a point the answer depends on (e.g. Brexit transition)
    UNDETERMINED = "UNDETERMINED"
    #: the data set cannot vouch for the answer: a side needing coverage is not covered
    NOT_COVERED = "NOT_COVERED"
    ALLOWED = "ALLOWED"


#: When several measures speak, the first verdict in this list wins (design.md).
PRECEDENCE = list(Verdict)


class Reason(StrEnum):
    """Why, in a stable machine-readable form (ordered from weakest to strongest link)."""

    no_measure = "no_measure"  # no trade measure of the destination/origin at all
    no_declaration = "no_declaration"  # a side needing coverage has no declaration for the day
    outside_declared_scope = "outside_declared_scope"  # ... the code is outside its scope
    not_reviewed_since = "not_reviewed_since"  # ... the declaration is stale
    regime_not_held = "regime_not_held"  # ... a regime restricts goods, its lists not held
    not_surveyed = "not_surveyed"  # ... the side's country is not a surveyed imposer
    not_yet_in_force = "not_yet_in_force"
    no_longer_in_force = "no_longer_in_force"
    suspended = "suspended"  # suspended by a later act on the day asked
    origin_not_targeted = "origin_not_targeted"
    code_not_listed = "code_not_listed"
    code_exception = "code_exception"
    attested_exception = "attested_exception"
    attested_licence = "attested_licence"
    unclear_target = "unclear_target"
    code_too_general = "code_too_general"  # lines narrower than the code: give more digits
    listed = "listed"


#: How close each outcome came to a ban; the closest explains an ALLOWED answer. A
#: measure whose list covers the code (origin not targeted, carve-outs) explains more
#: than one that is out of force, which explains more than one whose list misses it.
_CLOSENESS = [
    Reason.no_measure,
    Reason.no_declaration,
    Reason.outside_declared_scope,
    Reason.not_reviewed_since,
    Reason.regime_not_held,
    Reason.not_surveyed,
    Reason.code_not_listed,
    Reason.not_yet_in_force,
    Reason.no_longer_in_force,
    Reason.suspended,
    Reason.origin_not_targeted,
    Reason.code_exception,
    Reason.attested_exception,
    Reason.attested_licence,
    Reason.code_too_general,
    Reason.unclear_target,
    Reason.listed,
]


_OUT_OF_FORCE = frozenset({Reason.not_yet_in_force, Reason.no_longer_in_force, Reason.suspended})


@dataclass
class Evaluation:
    """One trade measure evaluated for the shipment."""

    measure: MeasureState
    reason: Reason
    line: LineState | None = None
    carve_out: ExceptionState | None = None
    by_description: list[ExceptionState] = field(default_factory=list)
    narrower: list[LineState] = field(default_factory=list)
    attested: ExceptionState | None = None
    target: TargetState | None = None
    #: [start, end) over which this outcome holds as far as the measure, line and target go
    start: date | None = None
    end: date | None = None
    notes: list[str] = field(default_factory=list)
    #: the partner is named by a target of its own (not only as one of ALL partners)
    names_partner: bool = False
    #: some line of the measure, in force or not, covers the code (all-goods lines aside)
    lists_code: bool = False
    uncertain: list[str] = field(default_factory=list)
    #: when the target is a list made by acts: the entry that puts the partner on it
    listed_by: ListMembership | None = None
    #: out of force because its act was signed only after the day asked
    made_later: bool = False


@dataclass(frozen=True)
class ListMembership:
    """The partner's place on a list made by acts (Russia's unfriendly states): the list,
    the member, the day it was put on and the act that put it there."""

    bloc: str
    member: str
    start: date
    act: str


def closeness(ev: Evaluation) -> tuple[int, int]:
    """Sort key: how close an evaluation came to a ban, for choosing the explanation."""
    if ev.reason == Reason.origin_not_targeted and ev.line is None:
        return (1, 0)  # neither origin nor code: as weak as a code not listed
    if ev.made_later:
        return (1, 1)  # an act not yet made on the day explains less than a list in force
    if ev.reason in _OUT_OF_FORCE and ev.lists_code:
        # a measure on this very partner that lists the code, out of force on the day,
        # explains more than one in force whose targets leave the partner out
        return (_CLOSENESS.index(Reason.origin_not_targeted), 2)
    return (_CLOSENESS.index(ev.reason), 0 if ev.line is None else 1)


@dataclass
class Question:
    origin: str
    destination: str
    code: str
    day: date
    as_known_on: date
    attest: tuple[str, ...] = ()
    #: days a coverage declaration keeps vouching after its review (design.md, Staleness)
    grace_days: int = DEFAULT_GRACE_DAYS
    #: the code as the user wrote it, when leading zeros were restored on request
    code_as_written: str | None = None
    #: the side(s) whose law is asked about (``--side``): import, export or both
    side: Side = Side.both


@dataclass
class Answer:
    question: Question
    verdict: Verdict
    reason: Reason
    dataset_version: str
    #: measures that decide the verdict (banning ones for BANNED, the closest otherwise)
    deciding: list[Evaluation] = field(default_factory=list)
    #: every trade measure considered
    considered: list[Evaluation] = field(default_factory=list)
    #: licensing measures whose lists cover the shipment: allowed with an authorisation
    requirements: list[Evaluation] = field(default_factory=list)
    #: attested ids that did not apply, with why
    attest_not_applied: dict[str, str] = field(default_factory=dict)
    #: the sides that needed coverage and whether the data vouches for them
    coverage: CoverageResult | None = None
    #: writes the explanation when it is first read (batch screening never reads it)
    explainer: Callable[[Answer], str] | None = field(default=None, repr=False, compare=False)
    _explanation: str | None = field(default=None, repr=False, compare=False)

    @property
    def explanation(self) -> str:
        """The answer in plain words, with the legal chain."""
        if self._explanation is None:
            self._explanation = self.explainer(self) if self.explainer is not None else ""
        return self._explanation

    @property
    def exceptions(self) -> list[ExceptionState]:
        """Attestable exceptions that would make this answer ALLOWED: none when no measure
        bans, requires a licence or is unclear (an ALLOWED or NOT_COVERED answer is not
        changed by attesting; its closest measures only explain it)."""
        if self.verdict in (Verdict.ALLOWED, Verdict.NOT_COVERED):
            return []
        seen: dict[str, ExceptionState] = {}
        for ev in self.deciding:
            for exc in ev.by_description:
                seen.setdefault(exc.id, exc)
        return list(seen.values())

    @property
    def uncertain(self) -> list[str]:
        return list(dict.fromkeys(u for ev in self.deciding for u in ev.uncertain))
