"""The act index: every act, filtered by issuer, measure type, year signed and target, and
searched word by word, with the facets the index page offers.

The search looks in titles, summaries, measure titles, line and exception wordings, in
English and in the original language, folding case (and reading ё as е); each act's words
are gathered and folded once per compiled index.
"""

from __future__ import annotations

from typing import Any

from sanctionscope.codes import format_code
from sanctionscope.engine import serialise
from sanctionscope.engine.compile import Index
from sanctionscope.model.acts import ActSpec, AddExceptions, AddLines, AddTargets
from sanctionscope.model.dataset import walk_exceptions

JSON = dict[str, Any]


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
