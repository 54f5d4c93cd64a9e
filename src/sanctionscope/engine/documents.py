"""Answers to the relation questions as JSON-ready documents, shared by CLI, API and web.

Every document carries ``dataset_version`` and ``as_known_on``, so an answer can be traced
to the data it came from. Map and network documents expand blocs to their members on the
day (the map colours countries, not blocs).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sanctionscope.codes import format_code
from sanctionscope.engine import serialise
from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS, stale_from
from sanctionscope.engine.diff import diff
from sanctionscope.engine.relations import (
    countermeasures,
    sanctioners,
    spared,
    timeline,
    who,
    worldwide_on_persons,
)
from sanctionscope.engine.state import MeasureState
from sanctionscope.errors import InputError
from sanctionscope.model.acts import ALL_PARTNERS, IMPORT_TYPES, MeasureType, TargetScope
from sanctionscope.model.coverage import DeclarationSpec, Direction
from sanctionscope.model.jurisdictions import Inclusion

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

#: Target scopes that aim at persons or entities of a state, not at the state (design.md,
#: Relations, "Views"): a view never calls their imposer a sanctioner of the state.
PERSON_SCOPES = frozenset({TargetScope.persons, TargetScope.entities})


def on_the_state(index: Index, m: MeasureState, x: str, day: date) -> bool:
    """``m`` targets ``x`` itself (or a territory of ``x``, or a bloc or list ``x`` is in) on
    ``day``, not only persons or entities of ``x``."""
    jur = index.dataset.jurisdictions
    return any(
        t.scope not in PERSON_SCOPES and jur.includes(t.jurisdiction, x, day) == Inclusion.yes
        for t in m.targets_on(day)
    )


def _stamp(index: Index, doc: JSON) -> JSON:
    doc["dataset_version"] = index.version
    doc["as_known_on"] = index.as_known_on.isoformat()
    return doc


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
    return _stamp(index, {"on": day.isoformat(), "relations": rows})


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
    return _stamp(index, doc)


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
    return _stamp(index, {"a": a, "b": b, "acts": rows})


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
    return _stamp(index, {"filters": {**filters, "on": on.isoformat() if on else None}, "measures": rows})


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
    return _stamp(index, {"before": before.isoformat(), "after": after.isoformat(), "changes": rows})


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
    return _stamp(index, doc)


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
    return _stamp(index, {"on": day.isoformat(), "nodes": nodes, "edges": edges})


#: What each verdict means, in one line (the API schema, the coverage page and the CLI).
VERDICTS = {
    "BANNED": "A ban in force covers the code for this partner on the day, and no exception of the "
    "code applies.",
    "LICENCE_REQUIRED": "No ban applies, but a licensing regime covers the shipment: it may cross "
    "only with a licence from the authority named.",
    "UNDETERMINED": "The law is unclear on a point the answer depends on; the answer says which.",
    "NOT_COVERED": "The data set cannot vouch for the answer: a side of the shipment whose law "
    "restricts goods to or from the partner is not covered by a coverage declaration. Never "
    "read as ALLOWED.",
    "ALLOWED": "No ban or licence regime applies, and every side that needs coverage is covered on the day.",
}


def verdict_counts(counts: dict[str, int]) -> dict[str, int]:
    """Counts of a screen by verdict, every verdict in order of precedence (zeros kept):
    NOT_COVERED and LICENCE_REQUIRED are counted apart, never added to ALLOWED."""
    return {v: counts.get(v, 0) for v in VERDICTS} | {k: n for k, n in counts.items() if k not in VERDICTS}


#: Why a side of a shipment is not vouched for, as users read it (``{reviewed_on}`` filled in).
NOT_COVERED_REASONS = {
    "no_declaration": "no coverage declaration vouches for that day",
    "outside_declared_scope": "the code is outside the declared product scope",
    "not_reviewed_since": "the sources have not been reviewed since {reviewed_on}",
    "regime_not_held": "a regime restricts these goods and its product lists are not held",
    "not_surveyed": "the country is not a surveyed imposer on that day",
}


def not_covered_reason(item: JSON) -> str:
    """One side not vouched for (an item of ``coverage.not_covered``), why, in words."""
    reason = str(item["reason"])
    text = NOT_COVERED_REASONS.get(reason, reason.replace("_", " "))
    return text.format(reviewed_on=item.get("reviewed_on") or "the last review")


def scope_text(include: list[str], exclude: list[str]) -> str:
    """A product scope in words: ``HS 01-24``, ``all goods``, ``all goods except 27``."""
    inside = "HS " + _ranges(include) if include else "all goods"
    return inside + (" except " + _ranges(exclude) if exclude else "")


def _ranges(codes: list[str]) -> str:
    """Code prefixes with runs of consecutive codes of equal length written ``low-high``."""
    runs: list[list[str]] = []
    for code in codes:
        last = runs[-1][-1] if runs else None
        if last is not None and len(last) == len(code) and int(code) == int(last) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    return ", ".join(
        format_code(r[0]) if len(r) == 1 else f"{format_code(r[0])}-{format_code(r[-1])}" for r in runs
    )


def _declaration(index: Index, d: DeclarationSpec) -> JSON:
    jur = index.dataset.jurisdictions
    doc = serialise.declaration(d)
    doc["partner_names"] = [jur.name(p) for p in d.partners]
    doc["product_scope_text"] = scope_text(d.product_scope.include, d.product_scope.exclude)
    doc["stale_from"] = stale_from(d, DEFAULT_GRACE_DAYS).isoformat()
    return doc


def _directions(kind: MeasureType) -> tuple[Direction, ...]:
    """The sides a goods measure restricts (an arms embargo restricts both)."""
    if kind == MeasureType.arms_embargo:
        return (Direction.import_, Direction.export)
    return (Direction.import_,) if kind in IMPORT_TYPES else (Direction.export,)


def coverage_doc(index: Index, imposer: str | None = None, direction: Direction | None = None) -> JSON:
    """The coverage matrix: imposer x direction x period, each cell a declaration.

    A row is one imposer and direction that has a declaration or a goods measure in the
    data (a row with goods measures and no declaration is a side the data set never
    vouches for: shipments that need it are NOT_COVERED).
    """
    jur = index.dataset.jurisdictions
    rows: dict[tuple[str, Direction], JSON] = {}

    def row(who: str, way: Direction) -> JSON:
        return rows.setdefault(
            (who, way),
            {
                "imposer": who,
                "imposer_name": jur.name(who),
                "direction": way.value,
                "declarations": [],
                "goods_measures": [],
            },
        )

    for d in sorted(index.dataset.coverage.values(), key=lambda d: (d.imposer, d.direction, d.start, d.id)):
        row(d.imposer, d.direction)["declarations"].append(_declaration(index, d))
    for m in sorted(index.goods_measures(), key=lambda m: (m.start, m.id)):
        for way in _directions(m.type):
            row(m.spec.imposer, way)["goods_measures"].append(
                {
                    "id": m.id,
                    "type": m.type.value,
                    "title": m.spec.title,
                    "act": m.act.id,
                    "targets": sorted({t.jurisdiction for t in m.targets}),
                    "period": {"start": m.start.isoformat(), "end": m.end.isoformat() if m.end else None},
                    "product_list_held": m.spec.product_scope == "lines",
                }
            )
    matrix = [
        r
        for key, r in sorted(rows.items())
        if (imposer is None or key[0] == imposer) and (direction is None or key[1] == direction)
    ]
    doc = {
        "filters": {"imposer": imposer, "direction": direction.value if direction else None},
        "grace_days": DEFAULT_GRACE_DAYS,
        "verdicts": VERDICTS,
        "matrix": matrix,
    }
    return _stamp(index, doc)


def direction_of(value: str) -> Direction:
    """``import`` or ``export`` as typed by a user, or InputError naming ``direction``."""
    try:
        return Direction(value.strip().lower())
    except ValueError:
        raise InputError("direction", value, "is not import or export") from None
