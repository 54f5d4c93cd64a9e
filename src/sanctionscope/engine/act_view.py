"""One act with its substance, as the act page and ``sanctionscope act`` show it.

The document adds to the act's citation (``serialise.act_full``): every line, exception
and target of the measures it creates, each with its period and the act that wrote it;
every change the act makes, in words ("adds exception RU-830-X-SEED-POTATO (seed
potatoes) to line 0701"); the acts it builds on and the acts that amend, prolong,
repeal, suspend or answer it; and, for a chosen day, the list of each measure it
creates or changes as in force that day (as amended up to it).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sanctionscope.codes import format_code
from sanctionscope.engine import serialise
from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState, TargetState
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
    Text,
)
from sanctionscope.model.dataset import walk_exceptions

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


def human_day(day: date) -> str:
    """``31 Dec 2016``: a day as people read it."""
    return f"{day.day} {day:%b %Y}"


def last_day(end: date) -> date:
    """The last day of a half-open period ending at ``end``."""
    return end - timedelta(days=1)


def _period(start: date | None, end: date | None) -> JSON:
    return {
        "start": None if start is None else start.isoformat(),
        "end": None if end is None else end.isoformat(),
        "last_day": None if end is None else last_day(end).isoformat(),
    }


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


def _line_codes(ids: list[str], state: MeasureState | None) -> str:
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
            where = ("line " if len(change.lines) == 1 else "lines ") + _line_codes(change.lines, state)
            where += f" of {m}"
        else:
            applies = {a for e in change.exceptions for a in (e.applies_to or [])}
            where = (
                ("lines " + _line_codes(sorted(applies), state) + f" of {m}")
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
            parts.append(("line " if len(change.lines) == 1 else "lines ") + _line_codes(change.lines, state))
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


def _wording(index: Index, value: Text, act_id: str) -> JSON:
    """A wording with its language: the record's own, else that of the act that wrote it."""
    doc = serialise.text(value)
    if doc["lang"] is None:
        act = index.acts.get(act_id) or index.dataset.acts.get(act_id)
        doc["lang"] = act.title.lang if act is not None else None
    return doc


def _target_label(jid: str, scope: str, index: Index) -> str:
    name = index.dataset.jurisdictions.name(jid)
    return f"{name} ({jid}, {scope.replace('_', ' ')})" if name != jid else f"{jid} ({scope})"


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
        "lines_display": "every line" if lines is None else _line_codes(lines, state),
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


# -- the act index -----------------------------------------------------------------------
def _fold(text: str) -> str:
    """Text for matching: case-folded, ё read as е (Russian texts write both)."""
    return text.casefold().replace("ё", "е")


def _haystack(act: ActSpec) -> list[tuple[str, str]]:
    """Where an act's words are: (what, text) for titles, summary, measures and lines."""
    found = [
        ("title", act.title.en),
        ("title", act.title.original),
        ("summary", act.summary),
    ]
    for m in act.measures:
        found.append(("measure", m.title))
        for line in m.lines:
            label = f"line {format_code(line.code)}"
            found += [(label, line.wording.en), (label, line.wording.original)]
    for c in act.changes:
        if isinstance(c, AddLines):
            for line in c.lines:
                label = f"line {format_code(line.code)}"
                found += [(label, line.wording.en), (label, line.wording.original)]
    for m in act.measures:
        for e, _depth in walk_exceptions([*m.exceptions, *(x for line in m.lines for x in line.exceptions)]):
            found += [(f"exception {e.id}", e.wording.en), (f"exception {e.id}", e.wording.original)]
    for c in act.changes:
        if isinstance(c, AddExceptions):
            for e, _depth in walk_exceptions(c.exceptions):
                found += [(f"exception {e.id}", e.wording.en), (f"exception {e.id}", e.wording.original)]
    return found


def _searchable(index: Index, act: ActSpec) -> tuple[list[tuple[str, str]], list[str], str]:
    """The act's words (see _haystack), folded, and all of them joined: built once per index."""
    cache: dict[str, tuple[list[tuple[str, str]], list[str], str]] = index.derived.setdefault(
        "act_view.searchable", {}
    )
    found = cache.get(act.id)
    if found is None:
        places = _haystack(act)
        folded = [_fold(text) for _what, text in places]
        found = cache[act.id] = (places, folded, " ".join(folded))
    return found


def _match(index: Index, act: ActSpec, words: list[str]) -> JSON | None:
    """Where every word of the search occurs in the act (None when one is missing)."""
    places, folded, whole = _searchable(index, act)
    if not all(w in whole for w in words):
        return None
    for (what, text), low in zip(places, folded, strict=True):
        if any(w in low for w in words):
            return {"where": what, "text": text if len(text) <= 240 else text[:237] + "..."}
    return {"where": "", "text": ""}  # pragma: no cover - every word was found somewhere


def _types(index: Index, act: ActSpec) -> list[str]:
    kinds = [m.type.value for m in act.measures]
    kinds += [index.measures[c.measure].type.value for c in act.changes if c.measure in index.measures]
    return sorted(set(kinds))


def _targets(index: Index, act: ActSpec) -> list[str]:
    found = [t.jurisdiction for m in act.measures for t in m.targets]
    found += [t.jurisdiction for c in act.changes if isinstance(c, AddTargets) for t in c.targets]
    return sorted(set(found))


def _aims_at(index: Index, act: ActSpec, target: str) -> bool:
    """True when one of the act's measures (or targets it adds) names ``target`` or a bloc
    or list it ever belonged to."""
    jur = index.dataset.jurisdictions
    for t in _targets(index, act):
        if t == target or target in jur.ever_members(t) or jur.parent(t) == target:
            return True
    return False


def acts_index_doc(
    index: Index,
    issuer: str | None = None,
    kind: str | None = None,
    year: int | None = None,
    target: str | None = None,
    q: str = "",
) -> JSON:
    """The acts, filtered by issuer, measure type, year signed and target, and searched
    (every word, in titles, summaries, measure titles, line and exception wordings, in
    English and in the original language)."""
    jur = index.dataset.jurisdictions
    words = [_fold(w) for w in q.split()]
    everything = sorted(index.dataset.acts.values(), key=lambda a: (a.signed, a.id))
    rows = []
    for act in everything:
        types = _types(index, act)
        if issuer is not None and act.issuer != issuer:
            continue
        if kind is not None and kind not in types:
            continue
        if year is not None and act.signed.year != year:
            continue
        if target is not None and not _aims_at(index, act, target):
            continue
        hit = _match(index, act, words) if words else None
        if words and hit is None:
            continue
        rows.append(
            {
                **serialise.act_ref(act),
                "summary": act.summary,
                "issuer_name": jur.name(act.issuer),
                "types": types,
                "targets": _targets(index, act),
                "match": hit,
            }
        )
    facets = {
        "issuers": sorted({(a.issuer, jur.name(a.issuer)) for a in everything}, key=lambda x: x[1]),
        "types": sorted({t for a in everything for t in _types(index, a)}),
        "years": sorted({a.signed.year for a in everything}, reverse=True),
        # the targets named, and the members of the blocs and lists among them (PL by the EU)
        "targets": sorted(
            {
                (x, jur.name(x))
                for a in everything
                for t in _targets(index, a)
                if t != "ALL"
                for x in (t, *jur.ever_members(t))
            },
            key=lambda x: x[1],
        ),
    }
    filters = {"issuer": issuer, "type": kind, "year": year, "target": target, "q": q}
    return {
        "filters": filters,
        "total": len(everything),
        "acts": rows,
        "facets": facets,
        "dataset_version": index.version,
    }
