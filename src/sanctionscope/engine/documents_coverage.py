"""The coverage side of the documents: what each verdict means, why a side of a shipment is
not vouched for, and the coverage matrix (imposer x direction x period), shared by CLI, API
and web.

Like every document, the coverage matrix carries ``dataset_version`` and ``as_known_on``.
These names are re-exported by ``engine.documents``.
"""

from __future__ import annotations

from typing import Any

from sanctionscope.codes import format_code
from sanctionscope.engine import serialise
from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS, stale_from
from sanctionscope.errors import InputError
from sanctionscope.model.acts import IMPORT_TYPES, MeasureType
from sanctionscope.model.coverage import DeclarationSpec, Direction

JSON = dict[str, Any]


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


def stamp(index: Index, doc: JSON) -> JSON:
    """The data the answer came from, carried by every document (here and in
    ``engine.documents``)."""
    doc["dataset_version"] = index.version
    doc["as_known_on"] = index.as_known_on.isoformat()
    return doc


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
    return stamp(index, doc)


def direction_of(value: str) -> Direction:
    """``import`` or ``export`` as typed by a user, or InputError naming ``direction``."""
    try:
        return Direction(value.strip().lower())
    except ValueError:
        raise InputError("direction", value, "is not import or export") from None
