"""A compiled index cut into parts by imposer and its lines by HS chapter, so that one
shipment is answered without loading the measures of jurisdictions that cannot bind its
parties, nor lines of other chapters.

``check`` looks only at the measures of the jurisdictions that bind the origin or the
destination (the party, its country, the unions it is or was bound by:
``Jurisdictions.imposers``), at the measures and acts those cite (the lists a regime
record links to, the acts that amended a line, the legal basis), and at measures whose
exceptions or licences the shipment attests. :func:`split` cuts an index into one
:class:`Part` per imposer, each closed under what its measures and acts cite;
:func:`join` puts some parts back together into an index. :func:`by_chapter` cuts a
part's line tables by HS chapter, since an answer about a code reads only the lines of
its chapter and the all-goods line (:func:`with_lines` gives them back to a part).
Answers to a shipment from the parts of :func:`parties_imposers`, holding the lines of
the code's chapter, are the full index's (checked against the full index question by
question in the tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState, TargetState
from sanctionscope.model.acts import ActSpec
from sanctionscope.model.dataset import Dataset
from sanctionscope.model.jurisdictions import Jurisdictions


@dataclass
class Part:
    """The measures of one imposer with what they cite, each with its place in the index."""

    imposer: str
    measures: list[tuple[int, MeasureState]] = field(default_factory=list)
    acts: list[tuple[int, ActSpec]] = field(default_factory=list)
    #: the acts held only as citations (without their measures)
    cited: set[str] = field(default_factory=set)
    lines_by_code: dict[str, dict[str, list[LineState]]] = field(default_factory=dict)
    exceptions_by_code: dict[str, dict[str, list[ExceptionState]]] = field(default_factory=dict)
    sorted_keys: dict[str, list[str]] = field(default_factory=dict)
    exceptions_by_id: dict[str, ExceptionState] = field(default_factory=dict)


#: The part every shipment needs: the acts that the jurisdictions cite (the acts that put
#: a country on a list), which an answer names when a list is what targets the party.
COMMON = ""


def split(index: Index) -> dict[str, Part]:
    """One part per imposer of the index's measures, and the :data:`COMMON` part."""
    measure_place = {k: i for i, k in enumerate(index.measures)}
    act_place = {k: i for i, k in enumerate(index.acts)}
    by_imposer: dict[str, list[str]] = {COMMON: []}
    for mid, m in index.measures.items():
        by_imposer.setdefault(m.spec.imposer, []).append(mid)
    exceptions: dict[str, list[ExceptionState]] = {}
    for e in index.exceptions_by_id.values():
        exceptions.setdefault(e.measure, []).append(e)
    parts = {}
    for imposer, own in by_imposer.items():
        measures, acts = _closure(index, own, index.dataset.jurisdictions if imposer == COMMON else None)
        part = Part(imposer)
        part.measures = sorted((measure_place[k], index.measures[k]) for k in measures)
        whole = {index.measures[k].act.id for k in measures}
        part.acts = sorted(
            (act_place[k], index.acts[k] if k in whole else _citation(index.acts[k])) for k in acts
        )
        part.cited = acts - whole
        for k in measures:
            _copy_entry(index.lines_by_code, part.lines_by_code, k)
            _copy_entry(index.exceptions_by_code, part.exceptions_by_code, k)
            _copy_entry(index.sorted_keys, part.sorted_keys, k)
        part.exceptions_by_id = {e.id: e for k in sorted(measures) for e in exceptions.get(k, ())}
        parts[imposer] = part
    return parts


def _citation(act: ActSpec) -> ActSpec:
    """An act that a part's records only cite: everything but its measures (a citation
    names the act, its sources, its open points and the changes it made; the measures it
    created belong to their own imposer's part)."""
    return act.model_copy(update={"measures": []})


def _copy_entry(source: dict[str, Any], target: dict[str, Any], key: str) -> None:
    if key in source:
        target[key] = source[key]


def cites(record: MeasureState | ActSpec | Jurisdictions) -> tuple[set[str], set[str]]:
    """The measure and act ids a measure, an act or the jurisdictions cite: for a measure,
    the measures holding its lists, the acts or measures it answers, and every act that
    made, changed, suspended or ended it or one of its targets, lines and exceptions; for an act,
    the acts it rests on, amends, prolongs or repeals; for the jurisdictions, the acts
    that made and ended list memberships."""
    if isinstance(record, Jurisdictions):
        entries = [m for b in record.blocs.values() for m in b.members]
        return set(), {a for m in entries for a in (m.act, m.removed_by) if a}
    if isinstance(record, ActSpec):
        return set(), {*record.legal_basis, *record.amends, *record.prolongs, *record.repeals}
    acts = {record.act.id, record.end_act, *record.spec.in_response_to}
    acts.update(s.act for s in record.steps)
    acts.update(s.act for s in record.suspended)
    records: list[TargetState | LineState | ExceptionState] = [
        *record.targets,
        *record.lines,
        *record.exceptions,
    ]
    for r in records:
        acts.update(a for a in (r.act, r.removed_by, *(s.act for s in r.suspended)) if a)
    acts.update(a for line in record.lines for a, _ in line.amendments)
    return {*record.spec.lists_in, *record.spec.in_response_to}, acts


def _closure(index: Index, own: list[str], also: Jurisdictions | None) -> tuple[set[str], set[str]]:
    """The measures ``own`` and the measures and acts they (and ``also``) cite, directly
    or through what they cite (an act's measures are records of their own: citing an act
    does not cite them)."""
    measures: set[str] = set()
    acts: set[str] = set()
    todo: list[MeasureState | ActSpec | Jurisdictions] = [also] if also is not None else []

    def add(found_measures: Iterable[str], found_acts: Iterable[str]) -> None:
        for k in found_measures:
            if k in index.measures and k not in measures:
                measures.add(k)
                todo.append(index.measures[k])
        for k in found_acts:
            if k in index.acts and k not in acts:
                acts.add(k)
                todo.append(index.acts[k])

    add(own, ())
    while todo:
        add(*cites(todo.pop()))
    return measures, acts


def parties_imposers(jur: Jurisdictions, parties: Iterable[str], attested: Iterable[str]) -> set[str]:
    """The imposers whose parts answer a shipment between ``parties``: those binding a
    party, and those whose exceptions or licences are attested (``attested``: their
    imposers)."""
    return {i for p in parties for i in jur.ever_imposers(p)} | set(attested)


@dataclass
class Lines:
    """A part's line tables for the keys of one HS chapter."""

    lines_by_code: dict[str, dict[str, list[LineState]]] = field(default_factory=dict)
    sorted_keys: dict[str, list[str]] = field(default_factory=dict)


#: The chapter of the all-goods line (key ""), read with every chapter. Its tables also
#: hold an entry, perhaps empty, for every measure with lines, so that a measure whose
#: lines are all in other chapters still reads as a measure with lines.
ALL_GOODS = ""


def chapter(code: str) -> str:
    """The HS chapter of a code or line key: its first two digits (``""`` for the
    all-goods line). An answer about a code reads only the lines keyed by a prefix of it
    or under it: those of its chapter and the all-goods line."""
    return code[:2]


def by_chapter(part: Part) -> dict[str, Lines]:
    """The part's line tables cut by chapter (see :data:`ALL_GOODS`)."""
    every = Lines({k: {} for k in part.lines_by_code}, {k: [] for k in part.sorted_keys})
    out = {ALL_GOODS: every}
    for mid, table in part.lines_by_code.items():
        for key, lines in table.items():
            out.setdefault(chapter(key), Lines()).lines_by_code.setdefault(mid, {})[key] = lines
    for mid, keys in part.sorted_keys.items():
        for key in keys:
            out.setdefault(chapter(key), Lines()).sorted_keys.setdefault(mid, []).append(key)
    return out


def with_lines(part: Part, chapters: Iterable[Lines]) -> Part:
    """``part`` (without line tables) given the line tables of ``chapters``."""
    for lines in chapters:
        for mid, table in lines.lines_by_code.items():
            part.lines_by_code.setdefault(mid, {}).update(table)
        for mid, keys in lines.sorted_keys.items():
            part.sorted_keys[mid] = sorted([*part.sorted_keys.get(mid, ()), *keys])
    return part


def shell(dataset: Dataset) -> Dataset:
    """The data set without its acts (the parts carry them), with the values computed
    from every act kept: which exception and licence ids exist at all."""
    out = replace(dataset, acts={}, derived={})
    out.__dict__["exception_ids"] = dataset.exception_ids
    out.__dict__["licence_ids"] = dataset.licence_ids
    return out


def join(dataset: Dataset, as_known_on: date, parts: Iterable[Part]) -> Index:
    """The index of ``parts`` (the :data:`COMMON` part among them; ids in several parts
    are taken once), in the full index's order, over ``dataset`` (a :func:`shell`: its
    acts become the parts' acts)."""
    measures: dict[int, MeasureState] = {}
    acts: dict[int, ActSpec] = {}
    index = Index(dataset, as_known_on, dataset.acts, {})
    for part in parts:
        measures.update(part.measures)
        # an act whole, as its own measures' part holds it, wins over its citation
        acts.update((k, a) for k, a in part.acts if k not in acts or a.id not in part.cited)
        index.lines_by_code.update(part.lines_by_code)
        index.exceptions_by_code.update(part.exceptions_by_code)
        index.sorted_keys.update(part.sorted_keys)
        index.exceptions_by_id.update(part.exceptions_by_id)
    dataset.acts.update((a.id, a) for _, a in sorted(acts.items(), key=lambda item: item[0]))
    index.measures.update((m.id, m) for _, m in sorted(measures.items(), key=lambda item: item[0]))
    return index
