"""Match one product code against one trade measure on one day: most specific wins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sanctionscope.codes import prefixes
from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState


@dataclass
class CodeMatch:
    """The outcome for the code alone (origin and period are decided elsewhere)."""

    #: the most specific line in force covering the code, if any
    line: LineState | None = None
    #: the code exception that carves the code out (longer than the line), if any
    carve_out: ExceptionState | None = None
    #: exceptions the code cannot decide, attached to the matched line
    by_description: list[ExceptionState] = field(default_factory=list)

    @property
    def listed(self) -> bool:
        return self.line is not None and self.carve_out is None


def match_code(index: Index, measure: MeasureState, code: str, day: date) -> CodeMatch:
    lines = index.lines_by_code.get(measure.id)
    if lines is None:
        return CodeMatch()
    # "" is the all-goods line of a measure whose product scope is every good.
    covering = [line for p in ("", *prefixes(code)) for line in lines.get(p, ()) if line.active(day)]
    if not covering:
        return CodeMatch()
    line = covering[-1]  # longest prefix: prefixes() runs shortest first
    ids = {c.id for c in covering}
    return CodeMatch(
        line=line,
        carve_out=_winning_exception(index, measure, code, day, line, ids),
        by_description=[
            e for e in measure.exceptions_on(day) if not e.by_code and e.depth == 1 and e.attaches_to(line.id)
        ],
    )


def _winning_exception(
    index: Index, measure: MeasureState, code: str, day: date, line: LineState, ids: set[str]
) -> ExceptionState | None:
    """The longest code exception (or re-ban) under the line; None if the line wins."""
    table = index.exceptions_by_code.get(measure.id, {})
    found = [
        e
        for p in prefixes(code)
        if len(p) > len(line.code)
        for e in table.get(p, ())
        if e.active(day) and (e.lines is None or e.lines & ids)
    ]
    if not found:
        return None
    deepest = found[-1]
    # An odd depth carves out; an even depth is an exception to the exception (re-bans).
    return deepest if deepest.depth % 2 == 1 else None
