"""The GSDB dyad-year layout: one row per sanctioning state, sanctioned state and year.

Built from the same case periods as the case layout (``gsdb.case_periods``): a case counts
for every year in which it was in force on at least one day, from ``FIRST_YEAR`` to the year
of ``as_known_on``. The dummies are the maximum over the cases active in the year, and
``descr_trade`` the sorted union of theirs. See ``docs/exports.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sanctionscope.engine.compile import Index
from sanctionscope.exports._common import Span, iso3, last_day, state_name, write_csv_atomic
from sanctionscope.exports.gsdb import DUMMIES, case_periods

#: The first year written: the dyad-year layout covers every year from 2014 on.
FIRST_YEAR = 2014

COLUMNS = (
    "sanctioning_state",
    "sanctioned_state",
    "sanctioning_state_iso3",
    "sanctioned_state_iso3",
    "year",
    "trade",
    "descr_trade",
    "arms",
    "military",
    "financial",
    "travel",
    "other",
    "objective",
    "success",
    "cases",
    "case_ids",
    "acts",
    "sanctioning_via",
    "sanctioned_via",
)


@dataclass
class _Year:
    """What the cases active in one year between two states add up to."""

    dummies: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DUMMIES, 0))
    descr: set[str] = field(default_factory=set)
    cases: set[str] = field(default_factory=set)
    acts: set[str] = field(default_factory=set)
    sender_via: set[str] = field(default_factory=set)
    target_via: set[str] = field(default_factory=set)


def years(span: Span, last_year: int) -> range:
    """The years from ``FIRST_YEAR`` to ``last_year`` with at least one day of ``span`` in them."""
    last = last_day(span.end)
    end = last_year if last is None else min(last.year, last_year)
    return range(max(span.start.year, FIRST_YEAR), end + 1)


def rows(index: Index, as_known_on: date) -> list[dict[str, str]]:
    """Dyad-year rows, sorted by sanctioning state, sanctioned state (names, then ids) and year."""
    jur = index.dataset.jurisdictions
    found: dict[tuple[str, str, int], _Year] = {}
    for case in case_periods(index):
        for year in years(case.span, as_known_on.year):
            cell = found.setdefault((case.sender, case.sanctioned, year), _Year())
            for k, v in case.dummies.items():
                cell.dummies[k] = max(cell.dummies[k], v)
            if case.descr_trade:
                cell.descr.add(case.descr_trade)
            cell.cases.add(case.measure.id)
            cell.acts.update(case.acts.split(";"))
        for piece in case.pieces:  # the blocs a pair came through, year by year
            for year in years(piece.span, as_known_on.year):
                cell = found[(case.sender, case.sanctioned, year)]
                cell.sender_via.add(piece.sender_via)
                cell.target_via.add(piece.target_via)
    names = {jid: state_name(jur, jid) for sender, target, _ in found for jid in (sender, target)}

    def order(key: tuple[str, str, int]) -> tuple[str, str, str, str, int]:
        sender, target, year = key
        return (names[sender], names[target], sender, target, year)

    out: list[dict[str, str]] = []
    for key in sorted(found, key=order):
        sender, target, year = key
        cell = found[key]
        row = {
            "sanctioning_state": names[sender],
            "sanctioned_state": names[target],
            "sanctioning_state_iso3": iso3(sender),
            "sanctioned_state_iso3": iso3(target),
            "year": str(year),
            "descr_trade": _joined(cell.descr),
            "objective": "",
            "success": "",
            "cases": str(len(cell.cases)),
            "case_ids": _joined(cell.cases),
            "acts": _joined(cell.acts),
            "sanctioning_via": _joined(cell.sender_via),
            "sanctioned_via": _joined(cell.target_via),
        }
        row.update({k: str(v) for k, v in cell.dummies.items()})
        out.append(row)
    return out


def _joined(values: set[str]) -> str:
    return ";".join(sorted(v for v in values if v))


def write(index: Index, output: Path, as_known_on: date) -> dict[str, int]:
    """Write the dyad-year CSV atomically; return ``{"gsdb-dyadic": rows, "dyads": pairs, "cases": n}``."""
    found = rows(index, as_known_on)

    write_csv_atomic(output, COLUMNS, found)
    return {
        "gsdb-dyadic": len(found),
        "dyads": len({(r["sanctioning_state"], r["sanctioned_state"]) for r in found}),
        "cases": len({c for r in found for c in r["case_ids"].split(";")}),
    }
