"""Checks of the coverage declarations (``data/coverage/*.yaml``) against the acts.

A declaration claims that every goods measure of its imposer and direction in its
period is held. So besides its own fields (a known imposer, an end after the start,
sources and a review day, enforced by the spec), it must list every such measure whose
product list is held among its ``regimes``, and its product scope must leave out the
goods of every such measure whose product list is not held. Two declarations must not
vouch for the same imposer, direction, partner, period and code.

A regime-level record (``level: regime``) linked to the measures that hold its lists
(``lists_in``) counts as held on the days one of them is in force; on other days (and
when it links to none) its goods are not held, and a declaration must leave them out.

Also here: the checks of regime-level records against the encoded measures (``lists_in``
and duplicates, :func:`validate_regimes`) and of the surveys (:func:`validate_surveys`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sanctionscope.codes import significant
from sanctionscope.engine.goods_risk import GOODS_SCOPES, directions, restricts_goods
from sanctionscope.engine.state import MeasureState
from sanctionscope.errors import Problem
from sanctionscope.model.acts import (
    ALL_PARTNERS,
    ActSpec,
    MeasureSpec,
)
from sanctionscope.model.coverage import DeclarationSpec, ProductScope
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
            unheld = _unheld_day(decl, states[m.id], states)
            if unheld is not None and _intersects(decl.product_scope, m.goods_range):
                reach = ", ".join(_compact(m.goods_range)) or "all goods"
                when = f" on {unheld}" if m.level == "regime" else ""
                yield (
                    ("product_scope",),
                    f"scope includes goods of {m.id} ({reach}), whose product list is not held{when}; "
                    "exclude them from the scope"
                    + (" or link the record to the measures holding its lists (lists_in)" if when else ""),
                )
        elif m.id not in decl.regimes and _lists_in_scope(decl, states[m.id]):
            yield (
                ("regimes",),
                f"{m.id} is a goods measure of {decl.imposer} in the period but not among the regimes",
            )


def _concerns(ds: Dataset, decl: DeclarationSpec, m: MeasureSpec, state: MeasureState | None) -> bool:
    """Is ``m`` a goods measure of the declaration's imposer, direction, period and partners?"""
    if state is None or m.imposer != decl.imposer or not restricts_goods(m):
        return False
    if decl.direction not in directions(m):
        return False
    if state.start >= (decl.end or date.max) or (state.end is not None and state.end <= decl.start):
        return False
    targets = [t.jurisdiction for t in state.targets if t.scope in GOODS_SCOPES]
    return any(_partners_meet(ds, decl.partners, t) for t in targets)


def _unheld_day(decl: DeclarationSpec, state: MeasureState, states: dict[str, MeasureState]) -> date | None:
    """The first day of the declaration's period on which the record's product list is not
    held (None: held throughout). A measure-level ``unlisted`` record is never held; a
    regime-level one is held on the days one of the measures it links to is in force."""
    start = max(decl.start, state.start)
    end = min(decl.end or date.max, state.end or date.max)
    if start >= end:
        return None
    if state.spec.level != "regime":
        return start
    held = sorted(
        (x.start, x.end or date.max) for ref in state.spec.lists_in if (x := states.get(ref)) is not None
    )
    day = start
    for s, e in held:
        if s > day:
            break
        day = max(day, e)
        if day >= end:
            return None
    return day if day < end else None


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


# -- regime-level records against the encoded measures ----------------------------------
def validate_regimes(ds: Dataset) -> list[Problem]:
    """``lists_in`` points to measures of the same imposer that hold lines, and a
    regime-level record restricting goods does not duplicate an encoded measure without
    that link.

    A regime-level record R *duplicates* an encoded measure M (product list held: ``lines``
    or ``all``) when: same imposer; R restricts goods (``unlisted``) and M is a goods
    measure of the same type; their periods overlap; they restrict goods in a common
    direction (import types: import; export types: export; arms embargoes and regime
    records of other types: both); and some goods target of R and some goods target of M
    meet in a common period (the same jurisdiction, a bloc and one of its members at any
    time, or ``ALL``).
    """
    states = measure_states(ds)
    specs = {m.id: (act, m) for act, m in ds.measures()}
    problems: list[Problem] = []
    for act, m in ds.measures():
        i = act.measures.index(m)
        where = ds.locations[act.id]
        base: Path = ("measures", i)
        if m.lists_in and m.level != "regime":
            problems.append(
                Problem(
                    where.file, where.line((*base, "lists_in")), f"{m.id}: lists_in is only for level: regime"
                )
            )
        for j, ref in enumerate(m.lists_in):
            message = _link_problem(m, ref, specs)
            if message:
                problems.append(Problem(where.file, where.line((*base, "lists_in", j)), f"{m.id}: {message}"))
        if m.level != "regime" or m.product_scope != "unlisted" or m.id not in states:
            continue
        for other_act, other in specs.values():
            if (
                other.id in m.lists_in
                or other.level == "regime"
                or other.product_scope not in ("lines", "all")
            ):
                continue
            if other.imposer != m.imposer or not restricts_goods(other) or other.id not in states:
                continue
            found = _duplicate(ds, states[m.id], states[other.id])
            if found:
                problems.append(
                    Problem(
                        where.file,
                        where.line(base),
                        f"{m.id}: duplicates the encoded measure {other.id} ({other_act.id}): {found}; "
                        f"link it with lists_in: [{other.id}]",
                    )
                )
    return problems


def _link_problem(m: MeasureSpec, ref: str, specs: dict[str, tuple[ActSpec, MeasureSpec]]) -> str:
    found = specs.get(ref)
    if found is None:
        return f"lists_in points to a missing measure {ref!r}"
    other = found[1]
    if other.imposer != m.imposer:
        return f"lists_in {ref} is imposed by {other.imposer}, not {m.imposer}"
    if other.level == "regime" or other.product_scope not in ("lines", "all"):
        return f"lists_in {ref} holds no product list (product_scope lines or all)"
    return ""


def _duplicate(ds: Dataset, r: MeasureState, m: MeasureState) -> str:
    """Why the regime-level record ``r`` duplicates the measure ``m`` ("" when it does not)."""
    if r.type != m.type:
        return ""  # an arms embargo does not hold the lists of a potash ban, nor the reverse
    start, end = max(r.start, m.start), min(r.end or date.max, m.end or date.max)
    if start >= end:
        return ""
    common = directions(r.spec) & directions(m.spec)
    if not common:
        return ""
    jur = ds.jurisdictions
    for tr in r.targets:
        for tm in m.targets:
            if tr.scope not in GOODS_SCOPES or tm.scope not in GOODS_SCOPES:
                continue
            s = max(start, tr.start, tm.start)
            e = min(end, tr.end or date.max, tm.end or date.max)
            if s >= e:
                continue
            a, b = tr.jurisdiction, tm.jurisdiction
            if ALL_PARTNERS in (a, b) or ({a} | jur.ever_members(a)) & ({b} | jur.ever_members(b)):
                ways = "/".join(sorted(d.value for d in common))
                return f"same imposer, targets {a} and {b} from {s}, both restrict goods ({ways})"
    return ""


# -- surveys ----------------------------------------------------------------------------
def validate_surveys(ds: Dataset) -> list[Problem]:
    """A survey names a known imposer, has sources (the spec), and a review day on or
    after the day it starts from and not in the future."""
    problems: list[Problem] = []
    for imposer, survey in ds.surveys.items():
        where = ds.surveys_where[imposer]
        if not ds.jurisdictions.exists(imposer):
            problems.append(Problem(where.file, where.line(("imposer",)), f"unknown imposer {imposer!r}"))
        if survey.reviewed_on < survey.since:
            problems.append(
                Problem(
                    where.file,
                    where.line(("reviewed_on",)),
                    f"reviewed_on {survey.reviewed_on} is before since {survey.since}",
                )
            )
        if survey.reviewed_on > date.today():
            problems.append(
                Problem(
                    where.file,
                    where.line(("reviewed_on",)),
                    f"reviewed_on {survey.reviewed_on} is in the future",
                )
            )
    return problems
