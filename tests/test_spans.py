"""Lookups kept by span of days (see ``target_span``): which targets of a measure stand
to a party, an imposer's goods risk for a partner, the measures relevant to a place pair.
They are sound when every day of a span gives what is computed afresh for that day."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionscope.engine.answer import Question
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.check import _find_relevant, _reach
from sanctionscope.engine.coverage import Side
from sanctionscope.engine.goods_risk import risk_on, target_span
from sanctionscope.load import DEFAULT_DATA, load_dataset

CATALOG = Catalog(load_dataset(DEFAULT_DATA))
INDEX = CATALOG.index(date(2026, 11, 30))
JUR = INDEX.dataset.jurisdictions
PARTIES = [
    "RU",
    "PL",
    "GB",
    "JP",
    "US",
    "UA",
    "IS",
    "NO",
    "BY",
    "CN",
    "IR",
    "KP",
    "CRIMEA",
    "UA-43",
    "AL",
    "TR",
]
IMPOSERS = ["RU", "EU", "US", "GB", "JP", "CN", "BY", "UA", "UN", "CH", "NO", "CA", "AU", "KZ", "PL", "LT"]
MEASURES = [*INDEX.trade_measures(), *INDEX.goods_measures()]


def _same_span(day: date, shift: int) -> date:
    """A day of the span ``day`` falls in: ``shift`` days on, held inside the span."""
    span = target_span(INDEX, day)
    cuts = INDEX.derived["target_span_cuts"]
    assert isinstance(cuts, list)
    first = cuts[span - 1] if span > 0 else date(1990, 1, 1)
    last = (cuts[span] - timedelta(days=1)) if span < len(cuts) else date(2030, 12, 31)
    other = min(max(day + timedelta(days=shift), first), last)
    assert bisect_right(cuts, other) == span
    return other


days = st.dates(min_value=date(2012, 1, 1), max_value=date(2027, 12, 31))
shifts = st.integers(min_value=-400, max_value=400)


@settings(max_examples=150, deadline=None)
@given(day=days, shift=shifts, party=st.sampled_from(PARTIES))
def test_the_targets_of_a_measure_stand_alike_on_every_day_of_a_span(
    day: date, shift: int, party: str
) -> None:
    other = _same_span(day, shift)
    for m in MEASURES:
        assert _reach(JUR, m, party, day) == _reach(JUR, m, party, other), (m.id, party, day, other)


@settings(max_examples=150, deadline=None)
@given(day=days, shift=shifts, imposer=st.sampled_from(IMPOSERS), partner=st.sampled_from(PARTIES))
def test_goods_risk_is_alike_on_every_day_of_a_span(
    day: date, shift: int, imposer: str, partner: str
) -> None:
    other = _same_span(day, shift)
    assert [m.id for m in risk_on(INDEX, imposer, partner, day)] == [
        m.id for m in risk_on(INDEX, imposer, partner, other)
    ]


@settings(max_examples=150, deadline=None)
@given(
    day=days,
    shift=shifts,
    origin=st.sampled_from(PARTIES),
    destination=st.sampled_from(PARTIES),
    side=st.sampled_from(list(Side)),
)
def test_the_measures_relevant_to_a_place_pair_are_alike_on_every_day_of_a_span(
    day: date, shift: int, origin: str, destination: str, side: Side
) -> None:
    other = _same_span(day, shift)
    ask = [Question(origin, destination, "080810", d, date(2026, 11, 30)) for d in (day, other)]
    for q in ask:
        q.side = side
    assert _find_relevant(INDEX, JUR, ask[0]) == _find_relevant(INDEX, JUR, ask[1])


def test_a_target_added_later_starts_a_span() -> None:
    """Resolution No. 842 of 13 Aug 2015 puts Iceland on Russia's food-ban list from
    14 Aug 2015: that day and the day before fall in different spans, and the ban's
    targets stand differently to Iceland on them."""
    ban = INDEX.measures["RU-FOOD-IMPORT-BAN"]
    before, on = date(2015, 8, 13), date(2015, 8, 14)
    assert target_span(INDEX, before) != target_span(INDEX, on)
    assert not _reach(JUR, ban, "IS", before).in_force
    assert _reach(JUR, ban, "IS", on).in_force


def test_every_change_of_membership_or_target_starts_a_span() -> None:
    """Brexit, the unfriendly-states list, EU enlargement: who a bloc or list includes
    changes on those days, and so does the span; as it does on each day a target of a
    measure starts, ends or is suspended."""
    days = set(JUR.change_days())
    for m in MEASURES:
        for t in m.targets:
            days.update(d for d in (t.start, t.end) if d is not None)
    assert date(2020, 2, 1) in days  # the United Kingdom leaves the EU
    for day in sorted(days):
        assert target_span(INDEX, day - timedelta(days=1)) != target_span(INDEX, day), day
