"""The research page's CSV tables (who, spared, map): their columns and flat rows.

One value per cell (booleans ``true``/``false``, lists ``;``-joined ids, None empty), as
documented in ``docs/exports.md``. The download route is in ``web.research_pages``, which
re-exports ``CSV_COLUMNS`` and ``csv_rows``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sanctionscope.engine import documents
from sanctionscope.engine.compile import Index
from sanctionscope.web.problems import HTTPProblem

#: The columns of each research CSV, in order (docs/exports.md describes each).
CSV_COLUMNS = {
    "who": ["on", "imposer", "imposer_name", "target", "target_name", "types", "countermeasure", "measures"],
    "spared": [
        "on",
        "focus",
        "jurisdiction",
        "jurisdiction_name",
        "on_state",
        "spared",
        "measures",
        "measure_types",
        "acts",
        "hit_by",
    ],
    "map": ["on", "focus", "country", "country_name", "numeric", "status", "measures"],
}


def _cell(value: Any) -> str:
    """One CSV cell: booleans ``true``/``false``, lists ``;``-joined, None empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict):
        raise TypeError("a CSV cell holds one value, not a mapping")
    return str(value)


def csv_rows(index: Index, table: str, x: str, day: date) -> list[dict[str, str]]:
    """The rows of a research CSV, every cell a flat string (see CSV_COLUMNS)."""
    jur = index.dataset.jurisdictions
    on = day.isoformat()
    rows: list[dict[str, Any]]
    if table == "who":
        rows = [
            {
                "on": on,
                "imposer": r["imposer"],
                "imposer_name": jur.name(r["imposer"]),
                "target": r["target"],
                "target_name": jur.name(r["target"]),
                "types": r["types"],
                "countermeasure": r["countermeasure"],
                "measures": r["measures"],
            }
            for r in documents.who_doc(index, day)["relations"]
        ]
    elif table == "spared":
        rows = [
            {
                "on": on,
                "focus": x,
                "jurisdiction": r["jurisdiction"],
                "jurisdiction_name": jur.name(r["jurisdiction"]),
                "on_state": any(
                    documents.on_the_state(index, index.measures[s["id"]], x, day) for s in r["sanctions"]
                ),
                "spared": r["spared"],
                "measures": [s["id"] for s in r["sanctions"]],
                "measure_types": sorted({s["type"] for s in r["sanctions"]}),
                "acts": sorted({s["act"] for s in r["sanctions"]}),
                "hit_by": r["hit_by"],
            }
            for r in documents.spared_doc(index, x, day)["sanctioners"]
        ]
    elif table == "map":
        rows = [
            {
                "on": on,
                "focus": x,
                "country": c["id"],
                "country_name": c["name"],
                "numeric": f"{int(c['numeric']):03d}" if c["numeric"] not in (None, "") else "",
                "status": c["status"],
                "measures": c["measures"],
            }
            for c in documents.map_doc(index, x, day)["countries"]
        ]
    else:
        raise HTTPProblem(404, f"table: {table!r} is not who, spared or map", "table", table)
    return [{k: _cell(r[k]) for k in CSV_COLUMNS[table]} for r in rows]
