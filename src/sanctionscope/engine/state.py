"""Compiled state of each measure: every target, line and exception with its own period.

Amendments and prolongations are applied in order of their effective date, so the list
in force on any day is computed from the acts, never copied per date. All periods are
half-open ``[start, end)``; ``end=None`` on a component means "until the measure ends".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sanctionscope.model.acts import ActSpec, MeasureSpec, MeasureType, TargetScope, Text
from sanctionscope.periods import in_period


@dataclass
class Step:
    """One act's change to a measure, kept for the legal chain and for diffs."""

    act: str
    op: str
    effective: date
    note: str | None = None
    uncertain: str | None = None


@dataclass
class Suspension:
    """A later act's suspension of a record for ``[start, end)``; it applies again after."""

    start: date
    end: date | None
    act: str

    def covers(self, day: date) -> bool:
        return in_period(day, self.start, self.end)


def _live(day: date, start: date, end: date | None, suspended: list[Suspension]) -> bool:
    # in_period written out: this runs for every record of every measure of every answer
    if day < start or (end is not None and day >= end):
        return False
    return not suspended or not any(s.covers(day) for s in suspended)


@dataclass
class TargetState:
    jurisdiction: str
    scope: TargetScope
    start: date
    end: date | None
    act: str
    removed_by: str | None = None
    note: str | None = None
    uncertain: str | None = None
    #: with jurisdiction ALL: the partners the measure is not addressed to
    excluding: tuple[str, ...] = ()
    suspended: list[Suspension] = field(default_factory=list)

    def active(self, day: date) -> bool:
        return _live(day, self.start, self.end, self.suspended)


@dataclass
class ExceptionState:
    id: str
    code: str | None
    wording: Text
    condition: str | None
    #: line ids it carves out of; None = every line of the measure
    lines: frozenset[str] | None
    depth: int
    start: date
    end: date | None
    act: str
    measure: str
    removed_by: str | None = None
    uncertain: str | None = None
    suspended: list[Suspension] = field(default_factory=list)

    @property
    def by_code(self) -> bool:
        return self.code is not None

    def active(self, day: date) -> bool:
        return _live(day, self.start, self.end, self.suspended)

    def attaches_to(self, line_id: str) -> bool:
        return self.lines is None or line_id in self.lines


@dataclass
class LineState:
    id: str
    code: str
    wording: Text
    start: date
    end: date | None
    act: str
    removed_by: str | None = None
    uncertain: str | None = None
    annex: str | None = None
    part: str | None = None
    flags: tuple[str, ...] = ()
    #: (act, effective day) of each change to this line's exceptions, in date order
    amendments: list[tuple[str, date]] = field(default_factory=list)
    suspended: list[Suspension] = field(default_factory=list)

    def amended_by(self, day: date) -> list[str]:
        """Acts that had amended the line by ``day``."""
        return [act for act, effective in self.amendments if effective <= day]

    def active(self, day: date) -> bool:
        return _live(day, self.start, self.end, self.suspended)


@dataclass
class MeasureState:
    spec: MeasureSpec
    act: ActSpec
    start: date
    end: date | None
    end_act: str
    targets: list[TargetState] = field(default_factory=list)
    lines: list[LineState] = field(default_factory=list)
    exceptions: list[ExceptionState] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    suspended: list[Suspension] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def type(self) -> MeasureType:
        return self.spec.type

    def active(self, day: date) -> bool:
        return _live(day, self.start, self.end, self.suspended)

    def suspension_on(self, day: date) -> Suspension | None:
        """The suspension of the whole measure covering ``day``, if any."""
        return next((s for s in self.suspended if s.covers(day)), None)

    def periods(self) -> list[tuple[date, date | None]]:
        """Every period written on the measure and its records (for epoch cuts)."""
        records: list[TargetState | LineState | ExceptionState | MeasureState] = [
            self,
            *self.targets,
            *self.lines,
            *self.exceptions,
        ]
        spans: list[tuple[date, date | None]] = []
        for r in records:
            spans.append((r.start, r.end))
            spans += [(s.start, s.end) for s in r.suspended]
        return spans

    def targets_on(self, day: date) -> list[TargetState]:
        return [t for t in self.targets if t.active(day)]

    def lines_on(self, day: date) -> list[LineState]:
        return [line for line in self.lines if line.active(day)]

    def exceptions_on(self, day: date) -> list[ExceptionState]:
        return [e for e in self.exceptions if e.active(day)]
