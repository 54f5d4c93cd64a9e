"""Match one product code against one trade measure on one day: most specific wins.

Codes are compared on their significant digits (see :func:`codes.significant`).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from sanctionscope.codes import has_under, prefixes, significant
from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState
from sanctionscope.periods import in_period


@dataclass
class CodeMatch:
    """The outcome for the code alone (origin and period are decided elsewhere)."""

    #: the most specific line in force covering the code, if any
    line: LineState | None = None
    #: the code exception that carves the code out (longer than the line), if any
    carve_out: ExceptionState | None = None
    #: exceptions the code cannot decide, attached to the matched line: those written
    #: by description, and code exceptions narrower than the code asked about
    by_description: list[ExceptionState] = field(default_factory=list)
    #: lines narrower than the code asked about, when no line covers it
    narrower: list[LineState] = field(default_factory=list)
    #: when no line in force covers the code: the longest covering line that is within
    #: its own period but suspended by a later act on the day
    suspended: LineState | None = None


def match_code(index: Index, measure: MeasureState, code: str, day: date) -> CodeMatch:
    """Most specific line and exception for ``code`` on ``day``."""
    lines = index.lines_by_code.get(measure.id)
    if lines is None:
        return CodeMatch()
    key = significant(code)
    # "" is the all-goods line of a measure whose product scope is every good.
    written = [x for p in ("", *prefixes(key)) for x in lines.get(p, ())]
    covering = [x for x in written if x.active(day)]
    if not covering:
        paused = [x for x in written if x.suspended and in_period(day, x.start, x.end)]
        return CodeMatch(
            narrower=_narrower(index, measure, key, day), suspended=paused[-1] if paused else None
        )
    line = covering[-1]  # longest prefix: prefixes() runs shortest first
    ids = {c.id for c in covering}
    return CodeMatch(
        line=line,
        carve_out=_winning_exception(index, measure, key, day, line, ids),
        by_description=_undecided(index, measure, key, day, line),
    )


def _narrower(index: Index, measure: MeasureState, key: str, day: date) -> list[LineState]:
    """Lines written with a longer code under ``key`` (sorted keys: one bisect)."""
    keys = index.sorted_keys[measure.id]
    lines = index.lines_by_code[measure.id]
    out = []
    for k in keys[bisect_left(keys, key) :]:
        if not k.startswith(key):
            break
        out += [x for x in lines[k] if x.active(day)]
    return out


def _undecided(
    index: Index, measure: MeasureState, key: str, day: date, line: LineState
) -> list[ExceptionState]:
    """Carve-outs of the line that the code cannot decide."""
    out = []
    for exc in _first_level(index, measure, line):
        if not exc.active(day):
            continue
        if exc.code is None or _strictly_under(significant(exc.code), key):
            out.append(exc)
    return out


def _first_level(index: Index, measure: MeasureState, line: LineState) -> list[ExceptionState]:
    """The measure's exceptions to the line itself (depth 1, attached to it or to every
    line), in the measure's order, whatever their periods: looked up, not filtered from
    every exception of the measure (an annex measure has hundreds) on each question."""
    by_line: dict[tuple[str, str], list[ExceptionState]] = index.derive(
        "first_level_exceptions", lambda _: {}
    )
    found = by_line.get((measure.id, line.id))
    if found is None:
        found = [e for e in measure.exceptions if e.depth == 1 and e.attaches_to(line.id)]
        by_line[(measure.id, line.id)] = found
    return found


def _strictly_under(code: str, key: str) -> bool:
    return len(code) > len(key) and code.startswith(key)


def _winning_exception(
    index: Index, measure: MeasureState, key: str, day: date, line: LineState, ids: set[str]
) -> ExceptionState | None:
    """The longest code exception (or re-ban) under the line; None if the line wins."""
    table = index.exceptions_by_code.get(measure.id, {})
    depth = len(significant(line.code))
    found = [
        e
        for p in prefixes(key)
        if len(p) > depth
        for e in table.get(p, ())
        if e.active(day) and (e.lines is None or e.lines & ids)
    ]
    if not found:
        return None
    deepest = found[-1]
    # An odd depth carves out; an even depth is an exception to the exception (re-bans).
    return deepest if deepest.depth % 2 == 1 else None


def lists_code(index: Index, measure: MeasureState, code: str) -> bool:
    """Does some line of the measure, whatever its period, cover the code or lie under
    it? The all-goods line of a measure on every good does not count: it lists nothing."""
    lines = index.lines_by_code.get(measure.id)
    if not lines:
        return False
    key = significant(code)
    if any(p in lines for p in prefixes(key)):
        return True
    return has_under(index.sorted_keys[measure.id], key)
