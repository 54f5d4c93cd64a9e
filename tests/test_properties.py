"""Property tests: the indexed check agrees with a brute-force reading of the compiled
state, and prefix logic behaves as a hierarchy (most specific wins)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionscope.codes import significant
from sanctionscope.engine import serialise
from sanctionscope.engine.answer import Question, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.check import check
from sanctionscope.engine.compile import Index
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.model.acts import IMPORT_TYPES, TRADE_TYPES
from sanctionscope.model.jurisdictions import Coverage

CATALOG = Catalog(load_dataset(DEFAULT_DATA))
INDEX = CATALOG.index(date(2026, 11, 30))
HS6 = sorted(c for c in CATALOG.dataset.nomenclature.codes["HS2012"] if len(c) == 6 and c[:2] < "26")
ORIGINS = ["PL", "DE", "JP", "US", "NO", "CH", "IS", "TR", "GB", "NZ", "CN", "BY", "UA", "FR", "AL", "CRIMEA"]

codes = st.one_of(
    st.sampled_from(HS6),
    st.builds(lambda c, tail: c + tail, st.sampled_from(HS6), st.text("0123456789", min_size=1, max_size=4)),
)
days = st.dates(min_value=date(2013, 1, 1), max_value=date(2027, 6, 30))


def oracle_banned(index: Index, q: Question) -> bool:
    """Scan every line and exception of every trade measure; no prefix index."""
    jur = index.dataset.jurisdictions
    key = significant(q.code)
    for m in index.measures.values():
        if m.type not in TRADE_TYPES or m.spec.product_scope == "none" or not m.active(q.day):
            continue
        side, party = (q.destination, q.origin) if m.type in IMPORT_TYPES else (q.origin, q.destination)
        if jur.covers(m.spec.imposer, side, q.day) != Coverage.yes:
            continue
        goods = [t for t in m.targets_on(q.day) if t.scope in ("origin", "country", "territory")]
        if not any(jur.covers(t.jurisdiction, party, q.day) == Coverage.yes for t in goods):
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


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ORIGINS), codes, days)
def test_check_agrees_with_a_linear_scan(origin: str, code: str, day: date) -> None:
    q = Question(origin, "RU", code, day, date(2026, 11, 30))
    assert (check(INDEX, q).verdict == Verdict.BANNED) == oracle_banned(INDEX, q)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(HS6), st.text("0123456789", min_size=1, max_size=4), days)
def test_a_longer_code_under_a_banned_line_without_exceptions_is_banned(
    code: str, tail: str, day: date
) -> None:
    short = check(INDEX, Question("DE", "RU", code, day, date(2026, 11, 30)))
    long = check(INDEX, Question("DE", "RU", code + tail, day, date(2026, 11, 30)))
    if short.verdict == Verdict.BANNED and not short.exceptions:
        assert long.verdict == Verdict.BANNED


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["PL", "IS", "GB", "NZ", "TR", "UA"]),
    codes,
    days,
    st.integers(min_value=0, max_value=4000),
)
def test_answers_cite_only_acts_published_by_the_as_known_on_day(
    origin: str, code: str, day: date, shift: int
) -> None:
    known = day + timedelta(days=shift - 2000)
    index = CATALOG.index(known)
    doc = serialise.answer(index, check(index, Question(origin, "RU", code, day, known)))
    cited = {link["act"] for m in doc["measures"] for link in m["chain"]}
    cited |= {e["act"] for e in doc["exceptions"]}
    assert all(CATALOG.dataset.acts[a].published <= known for a in cited), cited
