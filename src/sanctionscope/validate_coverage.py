"""Checks of the coverage declarations (``data/coverage/*.yaml``) against the acts.

A declaration claims that every goods measure of its imposer and direction in its
period is held. So besides its own fields (a known imposer, an end after the start,
sources and a review day, enforced by the spec), it must list every such measure whose
product list is held among its ``regimes``, and its product scope must leave out the
goods of every such measure whose product list is not held. Two declarations must not
vouch for the same imposer, direction, partner, period and code.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sanctionscope.codes import significant
from sanctionscope.engine.coverage import GOODS_SCOPES
from sanctionscope.engine.state import MeasureState
from sanctionscope.errors import Problem
from sanctionscope.model.acts import ALL_PARTNERS, GOODS_TYPES, IMPORT_TYPES, MeasureSpec, MeasureType
from sanctionscope.model.coverage import DeclarationSpec, Direction, ProductScope
from sanctionscope.model.dataset import Dataset, Path

Found = Iterator[tuple[Path, str]]


def validate_coverage(ds: Dataset) -> list[Problem]:
    problems = []
    for decl_id, decl in ds.coverage.items():
        where, base = ds.coverage_where[decl_id]
        for path, message in _declaration(ds, decl):
            problems.append(Problem(where.file, where.line((*base, *path)), f"{decl_id}: {message}"))
    decls = list(ds.coverage.values())
    for i, a in enumerate(decls):
        for b in decls[i + 1 :]:
            if _overlap(ds, a, b):
                where, base = ds.coverage_where[b.id]
                problems.append(
                    Problem(
                        where.file,
                        where.line(base),
                        f"{b.id}: vouches for the same imposer, direction, partners, days "
                        f"and codes as {a.id}",
                    )
                )
    return problems


def measure_states(ds: Dataset) -> dict[str, MeasureState]:
    """Every measure with the periods, targets and lines all its acts gave it (compiled
    once per data set for the checks that need it)."""
    found = ds.derived.get("measure_states")
    if not isinstance(found, dict):
        from sanctionscope.engine.compile import compile_index

        found = ds.derived["measure_states"] = compile_index(ds, date.max).measures
    return found


def _declaration(ds: Dataset, decl: DeclarationSpec) -> Found:
    jur = ds.jurisdictions
    if not jur.exists(decl.imposer):
        yield ("imposer",), f"unknown imposer {decl.imposer!r}"
    if decl.end is not None and decl.end <= decl.start:
        yield ("end",), f"ends ({decl.end}) before it starts ({decl.start})"
    for j, p in enumerate(decl.partners):
        if not jur.exists(p):
            yield ("partners", j), f"unknown partner {p!r}"
    specs = {m.id: (act.published, m) for act, m in ds.measures()}
    states = measure_states(ds)
    for j, ref in enumerate(decl.regimes):
        found = specs.get(ref)
        if found is None:
            yield ("regimes", j), f"regime {ref!r} is not a measure in the data"
        elif found[1].imposer != decl.imposer:
            yield ("regimes", j), f"regime {ref} is imposed by {found[1].imposer}, not {decl.imposer}"
    for _, m in specs.values():
        if not _concerns(ds, decl, m, states.get(m.id)):
            continue
        if m.product_scope == "unlisted":
            if _intersects(decl.product_scope, m.goods_range):
                reach = ", ".join(_compact(m.goods_range)) or "all goods"
                yield (
                    ("product_scope",),
                    f"scope includes goods of {m.id} ({reach}), whose product list is not held; "
                    "exclude them from the scope",
                )
        elif m.id not in decl.regimes and _lists_in_scope(decl, states[m.id]):
            yield (
                ("regimes",),
                f"{m.id} is a goods measure of {decl.imposer} in the period but not among the regimes",
            )


def _concerns(ds: Dataset, decl: DeclarationSpec, m: MeasureSpec, state: MeasureState | None) -> bool:
    """Is ``m`` a goods measure of the declaration's imposer, direction, period and partners?"""
    if state is None or m.imposer != decl.imposer or m.type not in GOODS_TYPES or m.product_scope == "none":
        return False
    if m.type != MeasureType.arms_embargo and (m.type in IMPORT_TYPES) != (
        decl.direction == Direction.import_
    ):
        return False
    if state.start >= (decl.end or date.max) or (state.end is not None and state.end <= decl.start):
        return False
    targets = [t.jurisdiction for t in state.targets if t.scope in GOODS_SCOPES]
    return any(_partners_meet(ds, decl.partners, t) for t in targets)


def _lists_in_scope(decl: DeclarationSpec, state: MeasureState) -> bool:
    """Does some line of a held measure fall in the declaration's scope? (A measure whose
    list lies wholly outside the scope need not be among its regimes.)"""
    codes = [line.code for line in state.lines]
    return bool(codes) and _intersects(decl.product_scope, [significant(c) for c in codes])


def _partners_meet(ds: Dataset, partners: list[str], target: str) -> bool:
    if not partners or target == ALL_PARTNERS:
        return True
    jur = ds.jurisdictions
    for p in partners:
        mine = {p} | jur.ever_members(p)
        theirs = {target} | jur.ever_members(target)
        if mine & theirs:
            return True
    return False


def _intersects(scope: ProductScope, reach: list[str]) -> bool:
    """Does some code lie both in the scope and in the reach (all goods when empty)?"""
    includes = scope.include or [""]
    for r in reach or [""]:
        for p in includes:
            if not (r.startswith(p) or p.startswith(r)):
                continue
            common = r if len(r) >= len(p) else p
            if not any(common.startswith(e) for e in scope.exclude):
                return True
    return False


def _scopes_meet(a: ProductScope, b: ProductScope) -> bool:
    """Is some code inside both scopes?"""
    excluded = [*a.exclude, *b.exclude]
    for pa in a.include or [""]:
        for pb in b.include or [""]:
            if pa.startswith(pb) or pb.startswith(pa):
                common = pa if len(pa) >= len(pb) else pb
                if not any(common.startswith(e) for e in excluded):
                    return True
    return False


def _overlap(ds: Dataset, a: DeclarationSpec, b: DeclarationSpec) -> bool:
    if (a.imposer, a.direction) != (b.imposer, b.direction):
        return False
    if a.start >= (b.end or date.max) or b.start >= (a.end or date.max):
        return False
    if a.partners and b.partners and not any(_partners_meet(ds, a.partners, p) for p in b.partners):
        return False
    return _scopes_meet(a.product_scope, b.product_scope)


def _compact(codes: list[str]) -> list[str]:
    """Consecutive two-digit chapters written as a range, for messages."""
    if len(codes) > 3 and all(len(c) == 2 for c in codes):
        return [f"{codes[0]}-{codes[-1]}"] if int(codes[-1]) - int(codes[0]) == len(codes) - 1 else codes
    return codes
