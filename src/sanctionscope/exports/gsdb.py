"""The Global Sanctions Database (GSDB) layout: one row per case, sanctioning and sanctioned state.

A case is one of our measures. Blocs are expanded to their member states, each for the
years it was a member while the measure was in force; ``begin``/``end`` are years, ``end``
empty while the case is ongoing on ``as_known_on``. See ``docs/exports.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import MeasureState
from sanctionscope.exports._common import (
    NOT_SANCTIONS,
    Span,
    iso3,
    last_day,
    merge,
    state_name,
    states_of,
    write_csv_atomic,
)
from sanctionscope.model.acts import MeasureType

COLUMNS = (
    "case_id",
    "sanctioning_state",
    "sanctioned_state",
    "sanctioning_state_iso3",
    "sanctioned_state_iso3",
    "sanctioning_via",
    "sanctioned_via",
    "begin",
    "end",
    "begin_date",
    "end_date",
    "trade",
    "descr_trade",
    "arms",
    "military",
    "financial",
    "travel",
    "other",
    "target_type",
    "objective",
    "success",
    "measure_type",
    "measures",
    "acts",
    "source_url",
)

DUMMIES = ("trade", "arms", "military", "financial", "travel", "other")

#: Our measure types -> the GSDB sanction type dummy (trade direction in TRADE_DIRECTION).
TYPE_MAP: dict[MeasureType, str] = {
    MeasureType.import_ban: "trade",
    MeasureType.export_ban: "trade",
    MeasureType.import_licensing: "trade",
    MeasureType.export_licensing: "trade",
    MeasureType.asset_freeze: "financial",
    MeasureType.financial_restriction: "financial",
    MeasureType.securities_restriction: "financial",
    MeasureType.investment_ban: "financial",
    MeasureType.travel_ban: "travel",
    MeasureType.entry_ban: "travel",
    MeasureType.visa_restriction: "travel",
    MeasureType.arms_embargo: "arms",
    MeasureType.tariff_measure: "trade",
    MeasureType.services_ban: "other",
    MeasureType.cooperation_suspension: "other",
    MeasureType.other: "other",
}

#: Types mapped to "other" that become "military" when their title mentions the military.
MILITARY_CANDIDATES = frozenset(
    {MeasureType.services_ban, MeasureType.cooperation_suspension, MeasureType.other}
)

TRADE_DIRECTION = {
    MeasureType.import_ban: "imp",
    MeasureType.import_licensing: "imp",
    MeasureType.export_ban: "exp",
    MeasureType.export_licensing: "exp",
    MeasureType.tariff_measure: "imp",
}


def classify(m: MeasureState) -> tuple[dict[str, int], str]:
    """The GSDB dummies and ``descr_trade`` of a measure."""
    kind = TYPE_MAP[m.type]
    if kind == "other" and m.type in MILITARY_CANDIDATES and "military" in m.spec.title.casefold():
        kind = "military"
    dummies = dict.fromkeys(DUMMIES, 0)
    dummies[kind] = 1
    descr = ""
    direction = TRADE_DIRECTION.get(m.type)
    if direction is not None:
        complete = m.spec.product_scope == "all" and m.type not in {
            MeasureType.import_licensing,
            MeasureType.export_licensing,
            MeasureType.tariff_measure,
        }
        descr = f"{direction}_{'compl' if complete else 'part'}"
    return dummies, descr


@dataclass(frozen=True)
class Piece:
    """One span of a (sanctioning, sanctioned) pair: the target scope and the blocs it came through."""

    span: Span
    scope: str
    sender_via: str
    target_via: str


def _pairs(index: Index, m: MeasureState) -> dict[tuple[str, str], list[Piece]]:
    """(sanctioning state, sanctioned state) -> the spans during which the measure applied."""
    jur = index.dataset.jurisdictions
    period = Span(m.start, m.end)
    senders = states_of(jur, m.spec.imposer)
    out: dict[tuple[str, str], list[Piece]] = defaultdict(list)
    for target in m.targets:
        span_t = period.clip(target.start, target.end)
        if span_t is None:
            continue
        for sanctioned, (t_via, t_spans) in states_of(jur, target.jurisdiction).items():
            for sender, (s_via, s_spans) in senders.items():
                if sender == sanctioned:
                    continue
                for ts in t_spans:
                    for ss in s_spans:
                        both = span_t.clip(ts.start, ts.end)
                        both = None if both is None else both.clip(ss.start, ss.end)
                        if both is not None:
                            piece = Piece(both, target.scope.value, s_via, t_via)
                            out[(sender, sanctioned)].append(piece)
    return out


@dataclass(frozen=True)
class CasePeriod:
    """One contiguous period of a case (a measure) between a sanctioning and a sanctioned state."""

    measure: MeasureState
    sender: str
    sanctioned: str
    span: Span
    pieces: tuple[Piece, ...]
    dummies: dict[str, int]
    descr_trade: str
    acts: str


def case_periods(index: Index) -> list[CasePeriod]:
    """Every sanctioning measure's (sender, sanctioned, period), sorted by case, sender, sanctioned.

    The selection of both GSDB layouts: every measure (regime-level records included) but
    those in ``NOT_SANCTIONS``; blocs expanded to member states for their membership periods.
    """
    out: list[CasePeriod] = []
    for m in sorted(index.measures.values(), key=lambda x: x.id):
        if m.type in NOT_SANCTIONS:
            continue
        dummies, descr = classify(m)
        acts = ";".join(sorted({s.act for s in m.steps} | {m.act.id} | {t.act for t in m.targets}))
        for (sender, sanctioned), pieces in sorted(_pairs(index, m).items()):
            for span in merge([p.span for p in pieces]):
                inside = tuple(p for p in pieces if span.clip(p.span.start, p.span.end) is not None)
                out.append(CasePeriod(m, sender, sanctioned, span, inside, dummies, descr, acts))
    return out


def rows(index: Index, as_known_on: date) -> list[dict[str, str]]:
    """GSDB rows of every sanctioning measure, sorted by case, sanctioning and sanctioned state."""
    jur = index.dataset.jurisdictions
    out: list[dict[str, str]] = []
    for case in case_periods(index):
        m, span, inside = case.measure, case.span, case.pieces
        ongoing = span.end is None or span.end > as_known_on
        last = last_day(span.end)
        row = {
            "case_id": m.id,
            "sanctioning_state": state_name(jur, case.sender),
            "sanctioned_state": state_name(jur, case.sanctioned),
            "sanctioning_state_iso3": iso3(case.sender),
            "sanctioned_state_iso3": iso3(case.sanctioned),
            "sanctioning_via": _joined(p.sender_via for p in inside),
            "sanctioned_via": _joined(p.target_via for p in inside),
            "begin": str(span.start.year),
            "end": "" if ongoing or last is None else str(last.year),
            "begin_date": span.start.isoformat(),
            "end_date": "" if last is None else last.isoformat(),
            "descr_trade": case.descr_trade,
            "target_type": _joined(p.scope for p in inside),
            "objective": "",
            "success": "",
            "measure_type": m.type.value,
            "measures": m.id,
            "acts": case.acts,
            "source_url": m.act.sources[0].url,
        }
        row.update({k: str(v) for k, v in case.dummies.items()})
        out.append(row)
    return out


def _joined(values: Iterable[str]) -> str:
    return ";".join(sorted({v for v in values if v}))


def write(index: Index, output: Path, as_known_on: date) -> dict[str, int]:
    """Write the GSDB CSV atomically; return ``{"gsdb": rows, "cases": cases}``."""
    found = rows(index, as_known_on)

    write_csv_atomic(output, COLUMNS, found)
    return {"gsdb": len(found), "cases": len({r["case_id"] for r in found})}
