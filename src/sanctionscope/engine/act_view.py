"""One act with its substance, as the act page and ``sanctionscope act`` show it.

The document adds to the act's citation (``serialise.act_full``): every line, exception
and target of the measures it creates, each with its period and the act that wrote it;
every change the act makes, in words ("adds exception RU-830-X-SEED-POTATO (seed
potatoes) to line 0701"); the acts it builds on and the acts that amend, prolong,
repeal, suspend or answer it; and, for a chosen day, the list of each measure it
creates or changes as in force that day (as amended up to it).

The changes in words are in ``engine.act_changes``, the act index (``acts_index_doc``,
re-exported here) in ``engine.act_index``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sanctionscope.codes import format_code
from sanctionscope.engine import serialise
from sanctionscope.engine.act_changes import change_text, human_day, last_day, line_codes
from sanctionscope.engine.act_index import acts_index_doc
from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState, TargetState
from sanctionscope.model.acts import ActSpec, AddExceptions, AddLines, Change, Text
from sanctionscope.model.dataset import walk_exceptions

__all__ = [
    "CONTENT_OPS",
    "EARLIER",
    "LATER",
    "act_page_doc",
    "acts_index_doc",
    "change_text",
    "human_day",
    "in_force_on",
    "last_day",
    "measure_detail",
]

JSON = dict[str, Any]

#: How each relation between two acts reads on the page (in this order).
LATER = (
    "amended by",
    "prolonged by",
    "suspended by",
    "ended or repealed by",
    "answered by",
    "implemented by",
)
EARLIER = ("legal basis", "amends", "prolongs", "repeals", "answers")
#: Changes to a measure's content (an act that only moves the end date prolongs it).
CONTENT_OPS = frozenset(
    {"add_targets", "remove_targets", "add_lines", "remove_lines", "add_exceptions", "remove_exceptions"}
)


def _period(start: date | None, end: date | None) -> JSON:
    return {
        "start": None if start is None else start.isoformat(),
        "end": None if end is None else end.isoformat(),
        "last_day": None if end is None else last_day(end).isoformat(),
    }


def _wording(index: Index, value: Text, act_id: str) -> JSON:
    """A wording with its language: the record's own, else that of the act that wrote it."""
    doc = serialise.text(value)
    if doc["lang"] is None:
        act = index.acts.get(act_id) or index.dataset.acts.get(act_id)
        doc["lang"] = act.title.lang if act is not None else None
    return doc


def _change(index: Index, act: ActSpec, change: Change) -> JSON:
    state = index.measures.get(change.measure)
    out: JSON = {
        "op": change.op,
        "measure": change.measure,
        "measure_title": state.spec.title if state else None,
        "measure_act": state.act.id if state else None,
        "effective": (change.effective or act.in_force).isoformat(),
        "text": change_text(change, act, index),
        "note": change.note,
        "uncertain": change.uncertain,
    }
    if isinstance(change, AddLines):
        out["lines"] = [
            {
                "id": x.id,
                "code": x.code,
                "code_display": format_code(x.code),
                "wording": _wording(index, x.wording, act.id),
            }
            for x in change.lines
        ]
    if isinstance(change, AddExceptions):
        out["exceptions"] = [
            {
                "id": e.id,
                "code": e.code,
                "wording": _wording(index, e.wording, act.id),
                "condition": e.condition,
                "lines": list(change.lines or e.applies_to or []),
            }
            for e, _depth in walk_exceptions(change.exceptions)
        ]
    return out


def _target(index: Index, t: TargetState) -> JSON:
    return {
        "jurisdiction": t.jurisdiction,
        "name": index.dataset.jurisdictions.name(t.jurisdiction),
        "scope": t.scope.value,
        "period": _period(t.start, t.end),
        "act": t.act,
        "removed_by": t.removed_by,
        "excluding": list(t.excluding),
        "note": t.note,
        "uncertain": t.uncertain,
        "suspended": [_pause(s.start, s.end, s.act) for s in t.suspended],
    }


def _pause(start: date, end: date | None, act: str) -> JSON:
    return {**_period(start, end), "act": act}


def _line(index: Index, line: LineState, exceptions: list[ExceptionState]) -> JSON:
    return {
        "id": line.id,
        "code": line.code,
        "code_display": format_code(line.code) or "all goods",
        "wording": _wording(index, line.wording, line.act),
        "period": _period(line.start, line.end),
        "act": line.act,
        "removed_by": line.removed_by,
        "uncertain": line.uncertain,
        "exceptions": [e.id for e in exceptions if e.attaches_to(line.id)],
        "suspended": [_pause(s.start, s.end, s.act) for s in line.suspended],
    }


def _exception(index: Index, e: ExceptionState, state: MeasureState) -> JSON:
    lines = sorted(e.lines) if e.lines is not None else None
    return {
        "id": e.id,
        "code": e.code,
        "code_display": format_code(e.code) if e.code else None,
        "wording": _wording(index, e.wording, e.act),
        "condition": e.condition,
        "by_code": e.by_code,
        "lines": lines,
        "lines_display": "every line" if lines is None else line_codes(lines, state),
        "period": _period(e.start, e.end),
        "act": e.act,
        "removed_by": e.removed_by,
        "uncertain": e.uncertain,
        "suspended": [_pause(s.start, s.end, s.act) for s in e.suspended],
    }


def _history(index: Index, state: MeasureState) -> list[JSON]:
    """Every act's change to a measure, in words, in order of effect."""
    out = []
    for act_id, change in _changes_to(index, state.id):
        act = index.acts[act_id]
        out.append({"act": act_id, "act_title": act.title.en, **_change(index, act, change)})
    return sorted(out, key=lambda c: (c["effective"], c["act"]))


def _changes_to(index: Index, measure_id: str) -> list[tuple[str, Change]]:
    return [(a.id, c) for a in index.acts.values() for c in a.changes if c.measure == measure_id]


def measure_detail(index: Index, state: MeasureState) -> JSON:
    """A measure with all its lines, exceptions and targets, each with its period."""
    doc = serialise.measure(index, state)
    doc["period"] = _period(state.start, state.end)
    doc["description"] = state.spec.description
    doc["targets"] = [_target(index, t) for t in state.targets]
    doc["lines"] = [_line(index, x, state.exceptions) for x in state.lines if x.id != "*"]
    doc["line_count"] = len(doc["lines"])
    doc["lines_by_this_act"] = sum(1 for x in state.lines if x.act == state.act.id and x.id != "*")
    doc["exceptions"] = [_exception(index, e, state) for e in state.exceptions]
    doc["history"] = _history(index, state)
    doc["suspended"] = [_pause(s.start, s.end, s.act) for s in state.suspended]
    return doc


def in_force_on(index: Index, state: MeasureState, day: date) -> JSON:
    """The measure's list as in force on ``day``: every change effective by then applied."""
    pause = state.suspension_on(day)
    if day < state.start:
        status = f"not yet in force (from {human_day(state.start)})"
    elif state.end is not None and day >= state.end:
        status = f"no longer in force (last day {human_day(last_day(state.end))})"
    elif pause is not None:
        status = f"suspended by {pause.act}"
    else:
        status = "in force"
    live = status == "in force"
    exceptions = state.exceptions_on(day) if live else []
    lines = [x for x in state.lines_on(day) if x.id != "*"] if live else []
    shaped = sorted({c["act"] for c in _history(index, state) if c["effective"] <= day.isoformat()})
    return {
        "measure": state.id,
        "title": state.spec.title,
        "act": state.act.id,
        "on": day.isoformat(),
        "status": status,
        "in_force": live,
        "period": _period(state.start, state.end),
        "targets": [_target(index, t) for t in state.targets_on(day)] if live else [],
        "lines": [_line(index, x, exceptions) for x in lines],
        "exceptions": [_exception(index, e, state) for e in exceptions],
        "amended_by": [a for a in shaped if a != state.act.id],
    }


def _related(index: Index, act: ActSpec) -> list[JSON]:
    """The acts this act builds on and the acts that amend, prolong, end or answer it."""
    found: dict[tuple[str, str], None] = {}
    mine = {m.id for m in act.measures}
    for a in act.legal_basis:
        found[("legal basis", a)] = None
    for a in act.amends:
        found[("amends", a)] = None
    for a in act.prolongs:
        found[("prolongs", a)] = None
    for a in act.repeals:
        found[("repeals", a)] = None
    for m in act.measures:
        for answered in m.in_response_to:
            state = index.measures.get(answered)
            if state is not None:
                found[("answers", state.act.id)] = None
    for other in sorted(index.acts.values(), key=lambda a: (a.in_force, a.id)):
        if other.id == act.id:
            continue
        ops = {c.op for c in other.changes if c.measure in mine}
        if ops & CONTENT_OPS or (act.id in other.amends and not ops):
            found[("amended by", other.id)] = None
        if act.id in other.prolongs or "prolong" in ops:
            found[("prolonged by", other.id)] = None
        if "suspend" in ops:
            found[("suspended by", other.id)] = None
        if act.id in other.repeals or "end" in ops:
            found[("ended or repealed by", other.id)] = None
        if any(r in mine for m in other.measures for r in m.in_response_to):
            found[("answered by", other.id)] = None
        if act.id in other.legal_basis:
            found[("implemented by", other.id)] = None
    order = {r: i for i, r in enumerate(EARLIER + LATER)}
    out = []
    for relation, other_id in sorted(found, key=lambda k: order[k[0]]):
        cited = index.acts.get(other_id) or index.dataset.acts.get(other_id)
        if cited is None:
            continue
        out.append(
            {
                "relation": relation,
                "later": relation in LATER,
                "id": cited.id,
                "title": serialise.text(cited.title),
                "in_force": cited.in_force.isoformat(),
                "issuer": cited.issuer,
            }
        )
    return out


def act_page_doc(index: Index, act_id: str, on: date | None = None) -> JSON | None:
    """The act with its substance (see the module docstring); None for an unknown id."""
    act = index.acts.get(act_id) or index.dataset.acts.get(act_id)
    if act is None:
        return None
    doc = serialise.act_full(index, act)
    doc["dataset_version"] = index.version
    doc["measures"] = [
        measure_detail(index, index.measures[m.id]) for m in act.measures if m.id in index.measures
    ]
    doc["changes"] = [_change(index, act, c) for c in act.changes]
    doc["related"] = _related(index, act)
    doc["on"] = None if on is None else on.isoformat()
    touched = [m.id for m in act.measures] + [c.measure for c in act.changes]
    doc["in_force_on"] = (
        None
        if on is None
        else [
            in_force_on(index, index.measures[m], on) for m in dict.fromkeys(touched) if m in index.measures
        ]
    )
    return doc
