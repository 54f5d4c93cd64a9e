"""A slow, obviously correct reading of the compiled state: the oracle for tests and the
baseline for benchmarks. It scans every line and exception of every trade measure,
without the prefix index, and answers only "banned or not"."""

from __future__ import annotations

from sanctionscope.codes import significant
from sanctionscope.engine.answer import Question
from sanctionscope.engine.compile import Index
from sanctionscope.model.acts import IMPORT_TYPES, TRADE_TYPES
from sanctionscope.model.jurisdictions import Inclusion

GOODS = ("origin", "country", "territory")


def banned_by_scan(index: Index, q: Question) -> bool:
    jur = index.dataset.jurisdictions
    key = significant(q.code)
    for m in index.measures.values():
        if m.type not in TRADE_TYPES or m.spec.product_scope not in ("lines", "all") or not m.active(q.day):
            continue
        side, party = (q.destination, q.origin) if m.type in IMPORT_TYPES else (q.origin, q.destination)
        if jur.includes(m.spec.imposer, side, q.day) != Inclusion.yes:
            continue
        goods = [t for t in m.targets_on(q.day) if t.scope in GOODS]
        if not any(jur.includes(t.jurisdiction, party, q.day) == Inclusion.yes for t in goods):
            continue
        lines = [x for x in m.lines_on(q.day) if key.startswith(significant(x.code))]
        if not lines:
            continue
        line = max(lines, key=lambda x: len(significant(x.code)))
        deeper = [
            e
            for e in m.exceptions_on(q.day)
            if e.code
            and key.startswith(significant(e.code))
            and e.attaches_to(line.id)
            and len(significant(e.code)) > len(significant(line.code))
        ]
        if not deeper or max(deeper, key=lambda e: len(significant(e.code or ""))).depth % 2 == 0:
            return True
    return False
