"""Rows of the shipped, hand-compiled trade figures (``data/trade/ru_imports_by_partner.csv``).

Each row keeps the numbers as printed in its source; ``unit_note`` says what they mean:
``value=<unit>; qty=<unit>; period=<...>; basis=<...>``. This module parses that note
into a scale (to USD, to tonnes), a period kind and a reporter basis so that only like
can be compared with like (see ``figures.compare``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_KEYS = re.compile(r";\s*(?=(?:value|qty|period|basis)=)")
_USD = {"billion USD": 1e9, "million USD": 1e6, "thousand USD": 1e3, "USD": 1.0}
_TONNES = {"million tonnes": 1e6, "thousand tonnes": 1e3, "tonnes": 1.0}
_APPROX = ("about", "approx", "almost", "more than", "just over", "'rund'")
HEADER = (
    "product_label",
    "hs_code",
    "partner_iso2",
    "partner_name",
    "year",
    "flow",
    "value_usd",
    "quantity_tonnes",
    "unit_note",
    "source_url",
    "source_note",
)


@dataclass(frozen=True)
class Figure:
    """One row of the figures table, with its units parsed."""

    row: int
    product: str
    label: str
    partner_iso2: str
    partner_name: str
    year: int
    value: float | None
    value_unit: str
    #: multiply ``value`` by this to get USD; None when the value is not in USD
    value_scale: float | None
    quantity: float | None
    qty_unit: str
    #: multiply ``quantity`` by this to get tonnes; None when not in tonnes
    qty_scale: float | None
    period: str
    #: "calendar year", "12 months Aug-Jul", "marketing year Jul-Jun", "Jan-Oct",
    #: "Q1", "month Oct"...; None when the period cannot be matched (year to date...)
    period_kind: str | None
    #: the row covers less than a full year (whether or not the note says PARTIAL YEAR)
    partial: bool
    basis: str
    #: "RU-reported", "mirror", "trade press", "not stated" or "other: <reporter>"
    basis_kind: str
    approximate: bool
    source_url: str
    source_note: str

    @property
    def partner(self) -> str:
        """ISO alpha-2, or the name for aggregates (World, the banned group)."""
        return self.partner_iso2 or self.partner_name

    @property
    def usd(self) -> float | None:
        if self.value is None or self.value_scale is None:
            return None
        return self.value * self.value_scale

    @property
    def tonnes(self) -> float | None:
        if self.quantity is None or self.qty_scale is None:
            return None
        return self.quantity * self.qty_scale

    @property
    def value_not_usd(self) -> bool:
        """The source gave a value, but not in US dollars (kept in the note only)."""
        return (
            self.value_unit.startswith("n/a") and "(source:" in self.value_unit and "USD" in self.value_unit
        )


def split_note(note: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in _KEYS.split(note):
        key, _, text = piece.partition("=")
        parts[key.strip()] = text.strip()
    return parts


def scale(unit: str, table: dict[str, float]) -> float | None:
    for name, factor in table.items():  # longest names first in each table
        if unit.startswith(name):
            return factor
    return None


def period_kind(text: str) -> tuple[str | None, bool]:
    """(kind, partial) of a ``period=`` text."""
    t = text.strip()
    if re.match(r"CY\d{4}", t):
        return "calendar year", False
    if t.startswith("MY") or "marketing year" in t:
        return "marketing year Jul-Jun", False
    if "year-to-date" in t or "annual level" in t:
        return None, "PARTIAL" in t
    if m := re.match(r"Q([1-4]) \d{4}", t):
        return f"Q{m.group(1)}", True
    if m := re.match(rf"({MONTHS}) \d{{4}}\s*-\s*({MONTHS}) \d{{4}}", t):
        return f"12 months {m.group(1)}-{m.group(2)}", False
    if m := re.match(rf"({MONTHS})-({MONTHS}) \d{{4}}", t):
        if (m.group(1), m.group(2)) == ("Jan", "Dec"):
            return "calendar year", False
        return f"{m.group(1)}-{m.group(2)}", True
    if m := re.match(rf"({MONTHS}) \d{{4}}", t):
        return f"month {m.group(1)}", True
    return None, "PARTIAL" in t


def basis_kind(text: str) -> str:
    t = text.strip()
    for kind in ("RU-reported", "mirror", "trade press", "not stated"):
        if t.startswith(kind):
            return kind
    first = t.split(" ")[0] if t else "?"
    return f"other: {first}"


def _float(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def parse_row(number: int, row: dict[str, str]) -> Figure:
    note = split_note(row["unit_note"])
    value_unit, qty_unit = note.get("value", "n/a"), note.get("qty", "n/a")
    period = note.get("period", "")
    kind, partial = period_kind(period)
    basis = note.get("basis", "not stated")
    return Figure(
        row=number,
        product=row["hs_code"].strip(),
        label=row["product_label"].strip(),
        partner_iso2=row["partner_iso2"].strip(),
        partner_name=row["partner_name"].strip(),
        year=int(row["year"]),
        value=_float(row["value_usd"]),
        value_unit=value_unit,
        value_scale=scale(value_unit, _USD),
        quantity=_float(row["quantity_tonnes"]),
        qty_unit=qty_unit,
        qty_scale=scale(qty_unit, _TONNES),
        period=period,
        period_kind=kind,
        partial=partial or "PARTIAL YEAR" in period,
        basis=basis,
        basis_kind=basis_kind(basis),
        approximate=any(q in row["unit_note"] for q in _APPROX),
        source_url=row["source_url"].strip(),
        source_note=row["source_note"].strip(),
    )


def load_figures(path: Path) -> list[Figure]:
    """Every row of the figures table (none dropped), with units, period and basis parsed."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [parse_row(n, row) for n, row in enumerate(csv.DictReader(handle), start=1)]
