"""The changes an act makes, in words, as the act page and ``sanctionscope act`` show them.

``change_text`` says what one change does to which measure, list or record ("adds exception
RU-830-X-SEED-POTATO (seed potatoes) to line 0701"), naming lines by their code and English
wording and days as people read them (``human_day``; periods are half-open, so the last day
in force is ``last_day`` of the end).
"""

from __future__ import annotations

from datetime import date, timedelta

from sanctionscope.codes import format_code
from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState
from sanctionscope.model.acts import (
    ActSpec,
    AddExceptions,
    AddLines,
    AddTargets,
    Change,
    End,
    ExceptionSpec,
    Prolong,
    RemoveExceptions,
    RemoveLines,
    RemoveTargets,
    Suspend,
)


def human_day(day: date) -> str:
    """``31 Dec 2016``: a day as people read it."""
    return f"{day.day} {day:%b %Y}"


def last_day(end: date) -> date:
    """The last day of a half-open period ending at ``end``."""
    return end - timedelta(days=1)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _line_label(line_id: str, state: MeasureState | None) -> str:
    """``0701 (Potatoes, fresh or chilled)``: a line by its code and English wording."""
    line = _find_line(state, line_id)
    if line is None:
        return line_id
    code = format_code(line.code) or line_id
    return f"{code} ({line.wording.en})"


def _find_line(state: MeasureState | None, line_id: str) -> LineState | None:
    if state is None:
        return None
    return next((x for x in state.lines if x.id == line_id), None)


def line_codes(ids: list[str], state: MeasureState | None) -> str:
    found = [_find_line(state, i) for i in ids]
    return ", ".join(
        format_code(x.code) if x is not None and x.code else i for x, i in zip(found, ids, strict=True)
    )


def _exception_label(exc: ExceptionSpec | ExceptionState) -> str:
    code = f", code {format_code(exc.code)}" if exc.code else ""
    return f"{exc.id} ({exc.wording.en}{code})"


def change_text(change: Change, act: ActSpec, index: Index) -> str:
    """One change of an act, in words: what it does to which measure, list or record."""
    state = index.measures.get(change.measure)
    m = change.measure
    when = change.effective
    since = f", with effect from {human_day(when)}" if when is not None and when != act.in_force else ""
    if isinstance(change, Prolong):
        if change.end is None:
            return f"prolongs {m} with no end date{since}"
        return f"prolongs {m} to {human_day(last_day(change.end))} (inclusive){since}"
    if isinstance(change, End):
        day = when or act.in_force
        return f"ends {m} from {human_day(day)} (last day in force {human_day(last_day(day))})"
    if isinstance(change, AddTargets):
        names = ", ".join(_target_label(t.jurisdiction, t.scope.value, index) for t in change.targets)
        return f"adds {_plural(len(change.targets), 'target')} to {m}: {names}{since}"
    if isinstance(change, RemoveTargets):
        names = ", ".join(f"{index.dataset.jurisdictions.name(t)} ({t})" for t in change.targets)
        return f"removes {_plural(len(change.targets), 'target')} from {m}: {names}{since}"
    if isinstance(change, AddLines):
        lines = ", ".join(f"{format_code(x.code)} ({x.wording.en})" for x in change.lines)
        return f"adds {_plural(len(change.lines), 'line')} to {m}: {lines}{since}"
    if isinstance(change, RemoveLines):
        lines = ", ".join(_line_label(x, state) for x in change.lines)
        return f"removes {_plural(len(change.lines), 'line')} from {m}: {lines}{since}"
    if isinstance(change, AddExceptions):
        excs = ", ".join(_exception_label(e) for e in change.exceptions)
        word = "exception" if len(change.exceptions) == 1 else "exceptions"
        if change.lines:
            where = ("line " if len(change.lines) == 1 else "lines ") + line_codes(change.lines, state)
            where += f" of {m}"
        else:
            applies = {a for e in change.exceptions for a in (e.applies_to or [])}
            where = (
                ("lines " + line_codes(sorted(applies), state) + f" of {m}")
                if applies
                else f"every line of {m}"
            )
        return f"adds {word} {excs} to {where}{since}"
    if isinstance(change, RemoveExceptions):
        found = {e.id: e for e in (state.exceptions if state else [])}
        excs = ", ".join(_exception_label(found[x]) if x in found else x for x in change.exceptions)
        word = "exception" if len(change.exceptions) == 1 else "exceptions"
        return f"removes {word} {excs} from {m}{since}"
    if isinstance(change, Suspend):
        start = change.start or when or act.in_force
        until = f" through {human_day(last_day(change.end))}" if change.end else " until further notice"
        parts = []
        if change.lines:
            parts.append(("line " if len(change.lines) == 1 else "lines ") + line_codes(change.lines, state))
        if change.targets:
            parts.append("its targets " + ", ".join(change.targets))
        if change.exceptions:
            parts.append(
                ("exception " if len(change.exceptions) == 1 else "exceptions ")
                + ", ".join(change.exceptions)
            )
        what = (" and ".join(parts) + f" of {m}") if parts else m
        return f"suspends {what} from {human_day(start)}{until}"
    return f"{change.op} on {m}"  # pragma: no cover - every op is handled above


def _target_label(jid: str, scope: str, index: Index) -> str:
    name = index.dataset.jurisdictions.name(jid)
    return f"{name} ({jid}, {scope.replace('_', ' ')})" if name != jid else f"{jid} ({scope})"
