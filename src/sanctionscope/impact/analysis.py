"""Inclusion of HS6 codes by an act's lines, covered imports by origin, market shares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sanctionscope.codes import significant
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState
from sanctionscope.impact.concordance import Mapping
from sanctionscope.impact.model import COVERED, NOT_COVERED, PARTLY, CodeCover, OriginCover, ShareRow
from sanctionscope.impact.tables import Flow
from sanctionscope.model.jurisdictions import Inclusion, Jurisdictions


def hs6_cover(
    code: str, lines: list[LineState], exceptions: list[ExceptionState]
) -> tuple[str, list[str], str]:
    """Status of one act-edition HS6 code, the lines touching it and why."""
    full: list[str] = []
    part: list[str] = []
    for line in lines:
        sig = significant(line.code)
        if len(sig) <= 6 and code.startswith(sig):
            full.append(line.id)
        elif len(sig) > 6 and sig.startswith(code):
            part.append(line.id)
    if full:
        carved = [e for e in exceptions if e.code and _overlaps(significant(e.code), code) and _on(e, full)]
        whole = [e for e in carved if e.depth == 1 and code.startswith(significant(e.code or ""))]
        if whole and len(carved) == len(whole):
            return NOT_COVERED, full, f"carved out by exception {whole[0].id}"
        if carved:
            return PARTLY, full, "a code exception removes part of it: " + ", ".join(e.id for e in carved)
        return COVERED, full, "under line " + ", ".join(full)
    if part:
        return PARTLY, part, "only lines deeper than 6 digits: " + ", ".join(part)
    return NOT_COVERED, [], "no line in force covers it"


def _overlaps(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _on(exc: ExceptionState, lines: list[str]) -> bool:
    return any(exc.attaches_to(line) for line in lines)


def trade_cover(mapping: Mapping, measures: list[MeasureState], day: date) -> CodeCover:
    """Combine the ban scope of every act-edition code a trade code maps to."""
    lines = [line for m in measures for line in m.lines_on(day)]
    exceptions = [e for m in measures for e in m.exceptions_on(day)]
    found = {t: hs6_cover(t, lines, exceptions) for t in mapping.targets}
    statuses = {s for s, _, _ in found.values()}
    touching = tuple(dict.fromkeys(line for _, ls, _ in found.values() for line in ls))
    if statuses == {COVERED}:
        status, why = COVERED, found[mapping.primary][2]
    elif statuses == {NOT_COVERED}:
        status, why = NOT_COVERED, found[mapping.primary][2]
    elif len(found) == 1:
        status, why = PARTLY, found[mapping.primary][2]
    else:
        status = PARTLY
        why = "maps to several codes, not all wholly covered: " + "; ".join(
            f"{t} {s}" for t, (s, _, _) in sorted(found.items())
        )
    if mapping.relationship != "1:1":
        why += f" (mapping {mapping.relationship} via {mapping.via})"
    return CodeCover(mapping.code, status, mapping.targets, touching, mapping.relationship, why)


def targeted_set(measures: list[MeasureState], jur: Jurisdictions, day: date) -> list[str]:
    """Every jurisdiction targeted on ``day`` with blocs expanded to their members."""
    found: set[str] = set()
    for m in measures:
        for t in m.targets_on(day):
            found |= set(jur.members(t.jurisdiction, day)) or {t.jurisdiction}
    return sorted(found)


def origin_status(origin: str, measures: list[MeasureState], jur: Jurisdictions, day: date) -> str:
    if origin.startswith("?"):
        return "unknown"
    result = "no"
    for m in measures:
        for t in m.targets_on(day):
            cov = jur.includes(t.jurisdiction, origin, day)
            if cov == Inclusion.yes:
                return "yes"
            if cov == Inclusion.unclear:
                result = "unclear"
    return result


def by_origin(
    flows: Iterable[Flow], covers: dict[str, CodeCover], status: dict[str, str], jur: Jurisdictions
) -> list[OriginCover]:
    """Base-year imports of covered codes by origin (partly covered counted apart)."""
    full: dict[str, float] = defaultdict(float)
    part: dict[str, float] = defaultdict(float)
    qty: dict[str, float | None] = {}
    codes: dict[str, set[str]] = defaultdict(set)
    for f in flows:
        cover = covers.get(f.code)
        if cover is None or cover.status == NOT_COVERED:
            continue
        codes[f.exporter].add(f.code)
        if cover.status == COVERED:
            full[f.exporter] += f.value_usd
            old = qty.get(f.exporter, 0.0)
            qty[f.exporter] = None if old is None or f.qty_t is None else old + f.qty_t
        else:
            part[f.exporter] += f.value_usd
    rows = [
        OriginCover(
            o, _name(jur, o), status[o], full.get(o, 0.0), part.get(o, 0.0), qty.get(o), len(codes[o])
        )
        for o in codes
    ]
    return sorted(rows, key=lambda r: (-r.covered_usd, -r.partly_usd, r.origin))


def _name(jur: Jurisdictions, origin: str) -> str:
    return origin if origin.startswith("?") else jur.name(origin)


def shares(
    base: list[Flow],
    later: list[Flow],
    covers: dict[str, CodeCover],
    status: dict[str, str],
    jur: Jurisdictions,
) -> list[ShareRow]:
    """Each supplier's share of the importer's imports per product, base vs compare year.

    Products: every covered or partly covered HS6 code of the table, every line
    (its wholly covered codes together) and ``all`` (every wholly covered code).
    """
    groups: dict[tuple[str, str], tuple[str, dict[str, list[float]]]] = {}

    def add(level: str, product: str, ban_scope: str, f: Flow, slot: int) -> None:
        _, sums = groups.setdefault((level, product), (ban_scope, defaultdict(lambda: [0.0, 0.0])))
        sums[f.exporter][slot] += f.value_usd

    for slot, flows in ((0, base), (1, later)):
        for f in flows:
            cover = covers.get(f.code)
            if cover is None or cover.status == NOT_COVERED:
                continue
            add("hs6", f.code, cover.status, f, slot)
            if cover.status == COVERED:
                add("line", cover.line, COVERED, f, slot)
                add("all", "*", COVERED, f, slot)
    rows: list[ShareRow] = []
    for (level, product), (ban_scope, sums) in sorted(groups.items()):
        tb = sum(v[0] for v in sums.values())
        tc = sum(v[1] for v in sums.values())
        for sup, (b, c) in sorted(sums.items(), key=lambda kv: -kv[1][0] - kv[1][1]):
            rows.append(
                ShareRow(
                    level,
                    product,
                    ban_scope,
                    sup,
                    _name(jur, sup),
                    status.get(sup, "no"),
                    b,
                    c,
                    b / tb if tb else 0.0,
                    c / tc if tc else 0.0,
                )
            )
    return rows
