"""Goods risk (design.md, Coverage): which of an imposer's goods measures restrict goods
to or from a partner on a day. Measures aimed only at persons or entities create none."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date
from typing import Any

from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import MeasureState, TargetState
from sanctionscope.model.acts import (
    ALL_PARTNERS,
    GOODS_TYPES,
    IMPORT_TYPES,
    MeasureSpec,
    MeasureType,
    TargetScope,
)
from sanctionscope.model.coverage import Direction
from sanctionscope.model.jurisdictions import Inclusion, Jurisdictions
from sanctionscope.model.memo import Memo

#: Target scopes that make goods of a jurisdiction subject to a goods measure; measures
#: aimed only at persons or entities create no goods risk.
GOODS_SCOPES = frozenset({TargetScope.origin, TargetScope.country, TargetScope.territory})


def directions(m: MeasureSpec) -> frozenset[Direction]:
    """The directions a goods measure restricts: imports for import types, exports for
    export types, both for arms embargoes and for regime-level records of other types."""
    if m.type in IMPORT_TYPES:
        return frozenset({Direction.import_})
    if m.type in GOODS_TYPES and m.type != MeasureType.arms_embargo:
        return frozenset({Direction.export})
    return frozenset(Direction)


def target_includes(jur: Jurisdictions, target: TargetState, party: str, day: date) -> Inclusion:
    """Does a measure's target include ``party`` on ``day``? ``ALL`` means every partner
    less its exclusions (an exclusion that is itself unclear leaves the answer unclear)."""
    if target.jurisdiction != ALL_PARTNERS:
        return jur.includes(target.jurisdiction, party, day)
    found = [jur.includes(x, party, day) for x in target.excluding]
    if Inclusion.yes in found:
        return Inclusion.no
    return Inclusion.unclear if Inclusion.unclear in found else Inclusion.yes


def risk_target(jur: Jurisdictions, target: TargetState, partner: str, day: date) -> bool:
    """Does a goods target put goods to or from ``partner`` at risk: it includes the
    partner (an unclear inclusion counts), or it is a territory of the partner (goods
    declared as the partner's may come from the region the measure names)."""
    if target.scope not in GOODS_SCOPES:
        return False
    if target_includes(jur, target, partner, day) != Inclusion.no:
        return True
    return jur.parent(target.jurisdiction) == partner


def goods_risk(
    index: Index, imposer: str, partner: str, day: date, span: int | None = None
) -> list[MeasureState]:
    """goods_risk(imposer, partner, day): the imposer's goods measures in force on the
    day with a goods target that puts the partner at risk (see :func:`risk_target`).
    ``span`` is the day's :func:`target_span`, when the caller has it."""
    key = (imposer, partner, target_span(index, day) if span is None else span)
    return list(span_memo(index, "goods_risk").get_or_make(key, risk_on, index, imposer, partner, day))


def risk_on(index: Index, imposer: str, partner: str, day: date) -> tuple[MeasureState, ...]:
    """:func:`goods_risk` computed for the day itself (no lookup)."""
    jur = index.dataset.jurisdictions
    return tuple(
        m
        for m in _risk_candidates(index, jur, imposer, partner)
        if m.active(day) and any(risk_target(jur, t, partner, day) for t in m.targets_on(day))
    )


#: Entries per generation of a memo keyed by span (at most twice as many kept; see Memo):
#: a long-running server meets ever more days, parties and measures.
SPAN_MEMO = 1 << 14


def span_memo(index: Index, name: str) -> Memo[Any, Any]:
    """The index's bounded memo ``name``, for lookups keyed by span (see :func:`target_span`)."""
    return index.derive(name, lambda _: Memo(SPAN_MEMO))


def target_span(index: Index, day: date) -> int:
    """The span of days that ``day`` falls in, between two days on which a goods or trade
    measure, one of its targets, or a bloc's membership starts, ends or is suspended.
    Within a span, which measures are in force, which of their targets are, and whom
    those targets include do not change: lookups of those are keyed by span."""

    def build(index: Index) -> list[date]:
        cuts = set(index.dataset.jurisdictions.change_days())
        for m in (*index.goods_measures(), *index.trade_measures()):
            records: list[MeasureState | TargetState] = [m, *m.targets]
            for record in records:
                cuts.update(d for d in (record.start, record.end) if d is not None)
                cuts.update(d for s in record.suspended for d in (s.start, s.end) if d is not None)
        return sorted(cuts)

    return bisect_right(index.derive("target_span_cuts", build), day)


def _risk_candidates(
    index: Index, jur: Jurisdictions, imposer: str, partner: str
) -> tuple[MeasureState, ...]:
    """The imposer's goods measures with a target that may ever put the partner at risk,
    in index order: looked up by (imposer, partner) rather than scanning the imposer's."""
    cache: dict[tuple[str, str], tuple[MeasureState, ...]] = index.derived.setdefault("risk_candidates", {})
    found = cache.get((imposer, partner))
    if found is None:
        measures = _goods_by_imposer(index).get(imposer, ())
        found = tuple(m for m in measures if any(_may_risk(jur, t, partner) for t in m.targets))
        cache[(imposer, partner)] = found
    return found


def _may_risk(jur: Jurisdictions, target: TargetState, partner: str) -> bool:
    """Could :func:`risk_target` hold on some day? True whenever it could (a superset):
    every partner for ``ALL``, the partner or its country, a bloc or list it was ever
    in, or a territory of the partner."""
    if target.scope not in GOODS_SCOPES:
        return False
    name = target.jurisdiction
    country = jur.parent(partner) or partner
    if name in (ALL_PARTNERS, partner, country) or jur.parent(name) == partner:
        return True
    members = jur.ever_members(name)
    return partner in members or country in members


def restricts_goods(spec: MeasureSpec) -> bool:
    """Does the measure restrict goods (design.md: goods_risk)? A goods measure with a
    product scope, or a regime-level record marked as restricting goods (``unlisted``)."""
    if spec.product_scope == "none":
        return False
    return spec.type in GOODS_TYPES or spec.level == "regime"


def _goods_by_imposer(index: Index) -> dict[str, list[MeasureState]]:
    def build(index: Index) -> dict[str, list[MeasureState]]:
        found: defaultdict[str, list[MeasureState]] = defaultdict(list)
        for m in index.goods_measures():
            found[m.spec.imposer].append(m)
        return dict(found)

    return index.derive("goods_by_imposer", build)
