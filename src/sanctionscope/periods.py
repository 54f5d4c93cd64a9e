"""Half-open periods of calendar days.

Every period in sanctionscope is ``[start, end)``: ``start`` is the first day on which
something holds and ``end`` the first day on which it no longer does. An act that says
"until 5 August 2016 inclusive" therefore has ``end = 2016-08-06``. ``end=None`` means
open-ended. Half-open periods chain without gaps or overlaps (one ends where the next
starts), which is why they are used everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Stand-in for "no end" when comparing; later than any date in the data.
FOREVER = date.max


@dataclass(frozen=True)
class Period:
    """A half-open period ``[start, end)``; ``end=None`` is open-ended."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: date) -> bool:
        """True when ``day`` falls inside the period."""
        return self.start <= day < (self.end or FOREVER)

    def overlaps(self, other: Period) -> bool:
        """True when the two periods share at least one day."""
        return self.start < (other.end or FOREVER) and other.start < (self.end or FOREVER)

    @property
    def is_empty(self) -> bool:
        return self.end is not None and self.end <= self.start

    @property
    def last_day(self) -> date | None:
        """The last day inside the period (the inclusive end an act would print)."""
        return None if self.end is None else date.fromordinal(self.end.toordinal() - 1)

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat() if self.end else '…'})"


def in_period(day: date, start: date, end: date | None) -> bool:
    """Fast form of :meth:`Period.contains` for hot paths that keep raw dates."""
    return start <= day and (end is None or day < end)


def earlier_end(a: date | None, b: date | None) -> date | None:
    """The end of the overlap of two periods' ends (None: open-ended)."""
    if a is None:
        return b
    return a if b is None else min(a, b)
