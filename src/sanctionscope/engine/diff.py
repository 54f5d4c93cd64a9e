"""What changed in force between two days: measures, target countries, lines, exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import MeasureState


@dataclass
class MeasureDiff:
    measure: MeasureState
    status: str  # started | ended | changed
    targets_added: list[str] = field(default_factory=list)
    targets_removed: list[str] = field(default_factory=list)
    countries_added: list[str] = field(default_factory=list)
    countries_removed: list[str] = field(default_factory=list)
    lines_added: list[str] = field(default_factory=list)
    lines_removed: list[str] = field(default_factory=list)
    exceptions_added: list[str] = field(default_factory=list)
    exceptions_removed: list[str] = field(default_factory=list)
    #: acts whose changes took effect in (before, after]
    acts: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        lists = (
            self.targets_added,
            self.targets_removed,
            self.lines_added,
            self.lines_removed,
            self.exceptions_added,
            self.exceptions_removed,
        )
        return (
            self.status == "changed"
            and not any(lists)
            and not self.countries_added
            and not self.countries_removed
        )


def diff(index: Index, before: date, after: date) -> list[MeasureDiff]:
    """Measures whose state in force differs between ``before`` and ``after``."""
    out = []
    for m in index.measures.values():
        a, b = m.active(before), m.active(after)
        if not a and not b:
            continue
        d = MeasureDiff(m, "changed" if a and b else "started" if b else "ended")
        _set(d.targets_added, d.targets_removed, _targets(m, before, a), _targets(m, after, b))
        _set(
            d.countries_added,
            d.countries_removed,
            _countries(index, m, before, a),
            _countries(index, m, after, b),
        )
        _set(d.lines_added, d.lines_removed, _lines(m, before, a), _lines(m, after, b))
        _set(
            d.exceptions_added,
            d.exceptions_removed,
            _exceptions(m, before, a),
            _exceptions(m, after, b),
        )
        d.acts = sorted({s.act for s in m.steps if before < s.effective <= after})
        if not d.empty:
            out.append(d)
    return out


def _set(added: list[str], removed: list[str], old: set[str], new: set[str]) -> None:
    added.extend(sorted(new - old))
    removed.extend(sorted(old - new))


def _targets(m: MeasureState, day: date, active: bool) -> set[str]:
    return {t.jurisdiction for t in m.targets_on(day)} if active else set()


def _countries(index: Index, m: MeasureState, day: date, active: bool) -> set[str]:
    """Targets with blocs expanded to their members on ``day``."""
    jur = index.dataset.jurisdictions
    out: set[str] = set()
    for t in _targets(m, day, active):
        out |= jur.members(t, day) or {t}
    return out


def _lines(m: MeasureState, day: date, active: bool) -> set[str]:
    return {line.code or "*" for line in m.lines_on(day)} if active else set()


def _exceptions(m: MeasureState, day: date, active: bool) -> set[str]:
    return {e.id for e in m.exceptions_on(day)} if active else set()
