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
class TargetState:
    jurisdiction: str
    scope: TargetScope
    start: date
    end: date | None
    act: str
    removed_by: str | None = None
    note: str | None = None
    uncertain: str | None = None

    def active(self, day: date) -> bool:
        return in_period(day, self.start, self.end)


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

    @property
    def by_code(self) -> bool:
        return self.code is not None

    def active(self, day: date) -> bool:
        return in_period(day, self.start, self.end)

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
    #: (act, effective day) of each change to this line's exceptions, in date order
    amendments: list[tuple[str, date]] = field(default_factory=list)

    def amended_by(self, day: date) -> list[str]:
        """Acts that had amended the line by ``day``."""
        return [act for act, effective in self.amendments if effective <= day]

    def active(self, day: date) -> bool:
        return in_period(day, self.start, self.end)


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

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def type(self) -> MeasureType:
        return self.spec.type

    def active(self, day: date) -> bool:
        return in_period(day, self.start, self.end)

    def targets_on(self, day: date) -> list[TargetState]:
        return [t for t in self.targets if t.active(day)]

    def lines_on(self, day: date) -> list[LineState]:
        return [line for line in self.lines if line.active(day)]

    def exceptions_on(self, day: date) -> list[ExceptionState]:
        return [e for e in self.exceptions if e.active(day)]
