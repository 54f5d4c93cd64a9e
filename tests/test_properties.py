"""Property tests: the indexed check agrees with a brute-force reading of the compiled
state, and prefix logic behaves as a hierarchy (most specific wins)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionscope.engine import serialise
from sanctionscope.engine.answer import Question, Verdict
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.check import check
from sanctionscope.engine.reference import banned_by_scan
from sanctionscope.load import DEFAULT_DATA, load_dataset

CATALOG = Catalog(load_dataset(DEFAULT_DATA))
INDEX = CATALOG.index(date(2026, 11, 30))
HS6 = sorted(c for c in CATALOG.dataset.nomenclature.codes["HS2012"] if len(c) == 6 and c[:2] < "26")
ORIGINS = ["PL", "DE", "JP", "US", "NO", "CH", "IS", "TR", "GB", "NZ", "CN", "BY", "UA", "FR", "AL", "CRIMEA"]

codes = st.one_of(
    st.sampled_from(HS6),
    st.builds(lambda c, tail: c + tail, st.sampled_from(HS6), st.text("0123456789", min_size=1, max_size=4)),
)
days = st.dates(min_value=date(2013, 1, 1), max_value=date(2027, 6, 30))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ORIGINS), codes, days)
def test_check_agrees_with_a_linear_scan(origin: str, code: str, day: date) -> None:
    q = Question(origin, "RU", code, day, date(2026, 11, 30))
    assert (check(INDEX, q).verdict == Verdict.BANNED) == banned_by_scan(INDEX, q)


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
