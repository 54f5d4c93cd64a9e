"""Answers to the relation questions as JSON-ready documents, shared by CLI, API and web.

Every document carries ``dataset_version`` and ``as_known_on``, so an answer can be traced
to the data it came from. Map and network documents expand blocs to their members on the
day (the map colours countries, not blocs).

The coverage documents (verdicts, reasons not covered, the coverage matrix) are in
``engine.documents_coverage`` and re-exported here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sanctionscope.engine import serialise
from sanctionscope.engine.compile import Index
from sanctionscope.engine.diff import diff
from sanctionscope.engine.documents_coverage import (
    NOT_COVERED_REASONS,
    VERDICTS,
    coverage_doc,
    direction_of,
    not_covered_reason,
    scope_text,
    stamp,
    verdict_counts,
)
from sanctionscope.engine.relations import (
    PERSON_SCOPES,
    countermeasures,
    sanctioners,
    spared,
    timeline,
    who,
    worldwide_on_persons,
)
from sanctionscope.engine.state import MeasureState
from sanctionscope.model.acts import ALL_PARTNERS, MeasureType
from sanctionscope.model.jurisdictions import Inclusion

__all__ = [
    "MAP_LEGEND",
    "NOT_COVERED_REASONS",
    "PERSON_SCOPES",
    "VERDICTS",
    "act_doc",
    "acts_doc",
    "addressed_to_all",
    "coverage_doc",
    "diff_doc",
    "direction_of",
    "map_doc",
    "measures_doc",
    "network_doc",
    "not_covered_reason",
    "on_the_state",
    "scope_text",
    "spared_doc",
    "timeline_doc",
    "verdict_counts",
    "who_doc",
]

JSON = dict[str, Any]

#: What each map status means (shown as the legend).
MAP_LEGEND = {
    "focus": "The country chosen",
    "sanctioning": "Imposes measures on it (it has no countermeasures in force)",
    "countersanctioned": "Imposes measures on it and is hit by its countermeasures",
    "spared": "Imposes measures on it but its countermeasures leave it out",
    "target": "Hit by its measures without imposing any on it",
    "persons": "Imposes measures only on persons or entities of it, not on the state (shown apart)",
    "persons-hit": "Imposes measures only on persons or entities of it, and is hit by its countermeasures",
    "none": "No measure either way in the data set",
}


def on_the_state(index: Index, m: MeasureState, x: str, day: date) -> bool:
    """``m`` targets ``x`` itself (or a territory of ``x``, or a bloc or list ``x`` is in) on
    ``day``, not only persons or entities of ``x``."""
    jur = index.dataset.jurisdictions
    return any(
        t.scope not in PERSON_SCOPES and jur.includes(t.jurisdiction, x, day) == Inclusion.yes
        for t in m.targets_on(day)
    )


def who_doc(index: Index, day: date) -> JSON:
    rows = [
        {
            "imposer": r.imposer,
            "target": r.target,
            "types": r.types,
            "countermeasure": r.countermeasure,
            "measures": [m.id for m in r.measures],
        }
        for r in who(index, day)
    ]
    return stamp(index, {"on": day.isoformat(), "relations": rows})


def spared_doc(index: Index, x: str, day: date, types: set[MeasureType] | None = None) -> JSON:
    rows = [
        {
            "jurisdiction": s.jurisdiction,
            "spared": s.spared,
            "sanctions": [{"id": m.id, "type": m.type.value, "act": m.act.id} for m in s.sanctions],
            "hit_by": [m.id for m in s.hit_by],
        }
        for s in spared(index, x, day, types)
    ]
    doc = {
        "country": x,
        "on": day.isoformat(),
        "spared": [r["jurisdiction"] for r in rows if r["spared"]],
        "sanctioners": rows,
    }
    return stamp(index, doc)


def timeline_doc(index: Index, a: str, b: str) -> JSON:
    rows = [
        {
            "date": e.day.isoformat(),
            "direction": e.direction,
            **serialise.act_ref(e.act),
            "summary": e.act.summary,
            "measures": e.measures,
            "changes": e.changes,
            # support measures (a prefecture's plan) are not sanctions: views show them apart
            "kind": "support"
            if all(index.measures[m].type == MeasureType.support_programme for m in e.measures + e.changes)
            else "sanction",
        }
        for e in timeline(index, a, b)
    ]
    return stamp(index, {"a": a, "b": b, "acts": rows})


def acts_doc(index: Index, issuer: str | None = None) -> JSON:
    rows = [
        serialise.act_ref(a)
        for a in sorted(index.dataset.acts.values(), key=lambda a: (a.signed, a.id))
        if issuer is None or a.issuer == issuer
    ]
    return {"acts": rows, "dataset_version": index.version}


def act_doc(index: Index, act_id: str) -> JSON | None:
    found = index.dataset.acts.get(act_id)
    if found is None:
        return None
    doc = serialise.act_full(index, found)
    doc["dataset_version"] = index.version
    return doc


def measures_doc(
    index: Index,
    imposer: str | None = None,
    target: str | None = None,
    kind: MeasureType | None = None,
    on: date | None = None,
) -> JSON:
    """Measures as compiled, filtered by imposer, target (blocs expand), type and day."""
    jur = index.dataset.jurisdictions
    rows = []
    for m in sorted(index.measures.values(), key=lambda m: (m.start, m.id)):
        if imposer is not None and m.spec.imposer != imposer:
            continue
        if kind is not None and m.type != kind:
            continue
        if on is not None and not m.active(on):
            continue
        targets = m.targets_on(on) if on is not None else m.targets
        day = on or m.start
        covered = (jur.includes(t.jurisdiction, target, day) != Inclusion.no for t in targets if target)
        if target is not None and not any(covered):
            continue
        rows.append(serialise.measure(index, m))
    filters = {"imposer": imposer, "target": target, "type": kind.value if kind else None}
    return stamp(index, {"filters": {**filters, "on": on.isoformat() if on else None}, "measures": rows})


def diff_doc(index: Index, before: date, after: date) -> JSON:
    rows = [
        {
            "measure": d.measure.id,
            "act": d.measure.act.id,
            "status": d.status,
            "targets_added": d.targets_added,
            "targets_removed": d.targets_removed,
            "countries_added": d.countries_added,
            "countries_removed": d.countries_removed,
            "lines_added": d.lines_added,
            "lines_removed": d.lines_removed,
            "exceptions_added": d.exceptions_added,
            "exceptions_removed": d.exceptions_removed,
            "by_acts": d.acts,
        }
        for d in diff(index, before, after)
    ]
    return stamp(index, {"before": before.isoformat(), "after": after.isoformat(), "changes": rows})


def map_doc(index: Index, focus: str, day: date) -> JSON:
    """Every country's status towards ``focus`` on ``day`` (see MAP_LEGEND)."""
    jur = index.dataset.jurisdictions
    answers = countermeasures(index, focus, day)
    measures: dict[str, set[str]] = {}
    on_state: set[str] = set()  # sanctioners of the state, not only of its persons (Views)
    for rel in sanctioners(index, focus, day):
        state = any(on_the_state(index, m, focus, day) for m in rel.measures)
        for country in jur.members(rel.imposer, day) or {rel.imposer}:
            measures.setdefault(country, set()).update(m.id for m in rel.measures)
            if state:
                on_state.add(country)
    hit: dict[str, set[str]] = {}
    for m in index.measures.values():
        if m.spec.imposer == focus and m.active(day) and m.type != MeasureType.support_programme:
            for country in jur.iso.countries:
                if any(
                    jur.includes(t.jurisdiction, country, day) == Inclusion.yes for t in m.targets_on(day)
                ):
                    hit.setdefault(country, set()).add(m.id)
    countermeasure_ids = {m.id for m in answers}
    rows = []
    for country in jur.iso.countries:
        status = _status(country, focus, measures, hit, countermeasure_ids, on_state)
        ids = sorted(measures.get(country, set()) | hit.get(country, set()))
        name, numeric = jur.name(country), jur.iso.numeric.get(country)
        rows.append({"id": country, "numeric": numeric, "name": name, "status": status, "measures": ids})
    doc = {
        "on": day.isoformat(),
        "focus": focus,
        "countries": rows,
        "legend": MAP_LEGEND,
        "addressed_to_all": addressed_to_all(index, focus, day),
    }
    return stamp(index, doc)


def addressed_to_all(index: Index, imposer: str, day: date) -> list[JSON]:
    """The imposer's measures in force addressed to every partner (erga omnes): shown
    once, as such, rather than as a status of every country."""
    jur = index.dataset.jurisdictions
    out = []
    for m in index.measures.values():
        if m.spec.imposer != imposer or not m.active(day):
            continue
        for t in m.targets_on(day):
            if t.jurisdiction == ALL_PARTNERS and not worldwide_on_persons(t.jurisdiction, t.scope):
                excluding = [{"id": x, "name": jur.name(x)} for x in t.excluding if x != imposer]
                entry = {"id": m.id, "act": m.act.id, "title": m.spec.title, "type": m.type.value}
                out.append({**entry, "excluding": excluding})
                break
    return out


def _status(
    country: str,
    focus: str,
    sanctions: dict[str, set[str]],
    hit: dict[str, set[str]],
    answers: set[str],
    on_state: set[str],
) -> str:
    if country == focus:
        return "focus"
    if country in sanctions:
        if country not in on_state:
            return "persons-hit" if hit.get(country, set()) & answers else "persons"
        if not answers:
            return "sanctioning"
        return "countersanctioned" if hit.get(country, set()) & answers else "spared"
    return "target" if country in hit else "none"


def network_doc(index: Index, day: date) -> JSON:
    """Imposer -> target edges as written; sanction edges whose target spares the imposer
    are marked ``spared``."""
    jur = index.dataset.jurisdictions
    relations = who(index, day)
    answering = {r.imposer for r in relations if r.countermeasure}
    spared_pairs = {(s.jurisdiction, x) for x in answering for s in spared(index, x, day) if s.spared}
    edges = [
        {
            "source": r.imposer,
            "target": r.target,
            "types": r.types,
            "countermeasure": r.countermeasure,
            "spared": (r.imposer, r.target) in spared_pairs,
            "measures": [m.id for m in r.measures],
        }
        for r in relations
    ]
    ids = sorted({r.imposer for r in relations} | {r.target for r in relations})
    nodes = [{"id": j, "name": jur.name(j), "kind": jur.kind(j)} for j in ids]
    return stamp(index, {"on": day.isoformat(), "nodes": nodes, "edges": edges})
