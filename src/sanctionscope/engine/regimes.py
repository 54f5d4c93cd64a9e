"""Sanctions regimes as data: the regime acts and their regime-level records (issue 11).

A *regime act* is an act that names its regime (``regime``) or carries regime-level
records (``level: regime``). A regime-level record says what a regime contains, by type,
without product lists: it restricts goods (``product_scope: unlisted``; held where the
measures it links to through ``lists_in`` are in force) or it does not (``none``: asset
freezes, travel bans). A regime whose every target aims at persons or entities is
*persons-only*: it is never goods risk nor a measure against a state.

``regimes_doc`` lists them (CLI ``sanctionscope regimes``, API ``GET /v1/regimes``);
``counts`` and ``counts_markdown`` make the table of docs/regimes.md.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import MeasureState
from sanctionscope.model.acts import ActSpec, TargetScope
from sanctionscope.model.jurisdictions import Inclusion

JSON = dict[str, Any]

#: Target scopes aimed at persons or entities rather than at a state.
PERSON_SCOPES = frozenset({TargetScope.persons, TargetScope.entities})


def _day(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def regime_acts(index: Index) -> list[ActSpec]:
    """The acts that name a regime or carry regime-level records, by id."""
    return sorted(
        (a for a in index.acts.values() if a.regime or any(m.level == "regime" for m in a.measures)),
        key=lambda a: a.id,
    )


def _records(index: Index, act: ActSpec) -> list[MeasureState]:
    return [index.measures[m.id] for m in act.measures if m.level == "regime" and m.id in index.measures]


def persons_only(m: MeasureState) -> bool:
    return bool(m.targets) and all(t.scope in PERSON_SCOPES for t in m.targets)


def record_doc(m: MeasureState) -> JSON:
    return {
        "id": m.id,
        "type": m.type.value,
        "title": m.spec.title,
        "imposer": m.spec.imposer,
        "targets": [
            {
                "jurisdiction": t.jurisdiction,
                "scope": t.scope.value,
                "start": _day(t.start),
                "end": _day(t.end),
            }
            for t in m.targets
        ],
        "period": {"start": _day(m.start), "end": _day(m.end)},
        "restricts_goods": m.spec.product_scope == "unlisted",
        "goods_range": m.spec.goods_range,
        "persons_only": persons_only(m),
        "lists_in": m.spec.lists_in,
    }


def _matches(index: Index, m: MeasureState, imposer: str | None, target: str | None, on: date | None) -> bool:
    jur = index.dataset.jurisdictions
    if imposer is not None and m.spec.imposer != imposer:
        return False
    if on is not None and not m.active(on):
        return False
    if target is None:
        return True
    targets = m.targets_on(on) if on is not None else m.targets
    for t in targets:
        if on is not None:
            if jur.includes(t.jurisdiction, target, on) == Inclusion.yes or t.jurisdiction == target:
                return True
        elif t.jurisdiction == target or target in jur.ever_members(t.jurisdiction):
            return True
    return False


def regimes_doc(
    index: Index, imposer: str | None = None, target: str | None = None, on: date | None = None
) -> JSON:
    """The regime acts with their regime-level records matching the filters (imposer; a
    target, blocs expanded; in force on a day)."""
    rows = []
    for act in regime_acts(index):
        records = [m for m in _records(index, act) if _matches(index, m, imposer, target, on)]
        if not records:
            continue
        ends = [m.end for m in records]
        rows.append(
            {
                "act": act.id,
                "regime": act.regime,
                "title": act.title.en,
                "imposers": sorted({m.spec.imposer for m in records}),
                "targets": sorted({t.jurisdiction for m in records for t in m.targets}),
                "types": sorted({m.type.value for m in records}),
                "period": {
                    "start": _day(min(m.start for m in records)),
                    "end": None if any(e is None for e in ends) else _day(max(e for e in ends if e)),
                },
                "restricts_goods": any(m.spec.product_scope == "unlisted" for m in records),
                "persons_only": all(persons_only(m) for m in records),
                "lists_in": sorted({x for m in records for x in m.spec.lists_in}),
                "source_url": act.sources[0].url,
                "records": [record_doc(m) for m in records],
            }
        )
    doc: JSON = {
        "filters": {"imposer": imposer, "target": target, "on": _day(on)},
        "regimes": rows,
        "dataset_version": index.version,
        "as_known_on": index.as_known_on.isoformat(),
    }
    return doc


#: The columns of the counts table (docs/regimes.md), in order, with their headings.
COUNT_COLUMNS = {
    "imposer": "Imposer",
    "regimes": "Regime acts",
    "records": "Regime-level records",
    "goods": "Restricting goods",
    "linked": "Linked to held lists",
    "persons_only": "Persons-only regimes",
    "states": "States and territories targeted",
}


def counts(index: Index) -> list[JSON]:
    """Per imposer: regime acts, regime-level records, those restricting goods, those linked
    to held lists, persons-only regime acts, and distinct targets (not persons-only)."""
    acts: dict[str, set[str]] = defaultdict(set)
    records: dict[str, int] = defaultdict(int)
    goods: dict[str, int] = defaultdict(int)
    linked: dict[str, int] = defaultdict(int)
    persons: dict[str, set[str]] = defaultdict(set)
    not_persons: dict[str, set[str]] = defaultdict(set)
    states: dict[str, set[str]] = defaultdict(set)
    for act in regime_acts(index):
        for m in _records(index, act):
            who = m.spec.imposer
            acts[who].add(act.id)
            records[who] += 1
            goods[who] += m.spec.product_scope == "unlisted"
            linked[who] += bool(m.spec.lists_in)
            if persons_only(m):
                persons[who].add(act.id)
            else:
                not_persons[who].add(act.id)
                states[who] |= {t.jurisdiction for t in m.targets if t.scope not in PERSON_SCOPES}
    out = []
    for who in sorted(acts):
        out.append(
            {
                "imposer": who,
                "regimes": len(acts[who]),
                "records": records[who],
                "goods": goods[who],
                "linked": linked[who],
                "persons_only": len(persons[who] - not_persons[who]),
                "states": len(states[who]),
            }
        )
    total: JSON = {"imposer": "Total"}
    for key in list(COUNT_COLUMNS)[1:]:
        total[key] = sum(r[key] for r in out) if key != "states" else len(set().union(*states.values()))
    return [*out, total] if out else []


def counts_markdown(index: Index) -> str:
    """The counts as a Markdown table (docs/regimes.md holds it between markers)."""
    rows = counts(index)
    head = "| " + " | ".join(COUNT_COLUMNS.values()) + " |"
    rule = "|" + "|".join("---" if k == "imposer" else "---:" for k in COUNT_COLUMNS) + "|"
    body = ["| " + " | ".join(str(r[k]) for k in COUNT_COLUMNS) + " |" for r in rows]
    return "\n".join([head, rule, *body]) + "\n"
