"""The compiled data as relational rows: one builder for the DuckDB store and the Parquet
export, so both hold the same tables (columns and types in ``SCHEMAS``; rows in a fixed
order, so the same data gives the same tables)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from sanctionscope.codes import significant
from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import MeasureState

_S, _D, _I, _L = pa.string(), pa.date32(), pa.int32(), pa.list_(pa.string())

SCHEMAS: dict[str, list[tuple[str, Any]]] = {
    "acts": [
        ("id", _S),
        ("issuer", _S),
        ("authority", _S),
        ("kind", _S),
        ("number", _S),
        ("title_original", _S),
        ("title_lang", _S),
        ("title_en", _S),
        ("signed", _D),
        ("published", _D),
        ("in_force", _D),
        ("source_url", _S),
        ("summary", _S),
    ],
    "measures": [
        ("id", _S),
        ("act_id", _S),
        ("type", _S),
        ("title", _S),
        ("imposer", _S),
        ("start", _D),
        ("end", _D),
        ("term_set_by", _S),
        ("product_scope", _S),
        ("in_response_to", _L),
    ],
    "measure_targets": [
        ("measure_id", _S),
        ("jurisdiction", _S),
        ("scope", _S),
        ("start", _D),
        ("end", _D),
        ("act_id", _S),
    ],
    "measure_lines": [
        ("measure_id", _S),
        ("line_id", _S),
        ("code", _S),
        ("code_key", _S),
        ("wording_original", _S),
        ("wording_en", _S),
        ("start", _D),
        ("end", _D),
        ("act_id", _S),
    ],
    "line_exceptions": [
        ("measure_id", _S),
        ("exception_id", _S),
        ("code", _S),
        ("code_key", _S),
        ("lines", _L),
        ("depth", _I),
        ("wording_en", _S),
        ("start", _D),
        ("end", _D),
        ("act_id", _S),
    ],
    "suspensions": [
        ("measure_id", _S),
        ("record", _S),
        ("record_id", _S),
        ("start", _D),
        ("end", _D),
        ("act_id", _S),
    ],
    "memberships": [("bloc", _S), ("country", _S), ("start", _D), ("end", _D)],
    "coverage_declarations": [
        ("id", _S),
        ("imposer", _S),
        ("direction", _S),
        ("start", _D),
        ("end", _D),
        ("partners", _L),
        ("regimes", _L),
        ("scope_include", _L),
        ("scope_exclude", _L),
        ("left_out", _L),
        ("reviewed_on", _D),
        ("source_urls", _L),
        ("source_notes", _L),
        ("note", _S),
    ],
}

Row = list[Any]


def tables(index: Index) -> dict[str, list[Row]]:
    """The rows of every table, in a fixed order."""
    acts = sorted(index.acts.values(), key=lambda a: a.id)
    measures = sorted(index.measures.values(), key=lambda m: m.id)
    jur = index.dataset.jurisdictions
    return {
        "acts": [
            [
                a.id,
                a.issuer,
                a.authority,
                a.kind.value,
                a.number,
                a.title.original,
                a.title.lang,
                a.title.en,
                a.signed,
                a.published,
                a.in_force,
                a.sources[0].url,
                a.summary,
            ]
            for a in acts
        ],
        "measures": [
            [
                m.id,
                m.act.id,
                m.type.value,
                m.spec.title,
                m.spec.imposer,
                m.start,
                m.end,
                m.end_act,
                m.spec.product_scope,
                list(m.spec.in_response_to),
            ]
            for m in measures
        ],
        "measure_targets": [
            [m.id, t.jurisdiction, t.scope.value, t.start, t.end, t.act] for m in measures for t in m.targets
        ],
        "measure_lines": [
            [m.id, x.id, x.code, significant(x.code), x.wording.original, x.wording.en, x.start, x.end, x.act]
            for m in measures
            for x in m.lines
        ],
        "line_exceptions": [
            [
                m.id,
                e.id,
                e.code,
                significant(e.code) if e.code else None,
                sorted(e.lines) if e.lines else None,
                e.depth,
                e.wording.en,
                e.start,
                e.end,
                e.act,
            ]
            for m in measures
            for e in m.exceptions
        ],
        "suspensions": [row for m in measures for row in _suspensions(m)],
        "memberships": [[b.id, mb.country, mb.start, mb.end] for b in jur.blocs.values() for mb in b.members],
        "coverage_declarations": [
            [
                d.id,
                d.imposer,
                d.direction.value,
                d.start,
                d.end,
                list(d.partners),
                list(d.regimes),
                list(d.product_scope.include),
                list(d.product_scope.exclude),
                list(d.left_out),
                d.reviewed_on,
                [x.url for x in d.sources],
                [x.note or "" for x in d.sources],
                d.note,
            ]
            for d in sorted(index.dataset.coverage.values(), key=lambda d: d.id)
        ],
    }


def _suspensions(m: MeasureState) -> list[Row]:
    """A measure's suspensions, the whole measure first, then by the record suspended
    (``record_id``: the line id, the target's jurisdiction or the exception id)."""
    records: list[tuple[str, str | None, Any]] = [("measure", None, m)]
    records += [("line", x.id, x) for x in m.lines]
    records += [("target", t.jurisdiction, t) for t in m.targets]
    records += [("exception", e.id, e) for e in m.exceptions]
    return [
        [m.id, kind, record_id, s.start, s.end, s.act]
        for kind, record_id, record in records
        for s in record.suspended
    ]
