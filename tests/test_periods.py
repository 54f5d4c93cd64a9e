"""Half-open periods: [start, end) chain without gaps or overlaps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctionscope.periods import Period, in_period

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1))


def test_inclusive_end_in_an_act_becomes_exclusive_end() -> None:
    # Decree 320: "to 5 August 2016 inclusive" -> end 2016-08-06
    p = Period(date(2015, 8, 6), date(2016, 8, 6))
    assert p.contains(date(2016, 8, 5))
    assert not p.contains(date(2016, 8, 6))
    assert p.last_day == date(2016, 8, 5)


def test_end_before_start_is_an_error() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2016, 1, 2), date(2016, 1, 1))


@given(days, days, days)
def test_consecutive_periods_cover_each_day_exactly_once(a: date, b: date, d: date) -> None:
    start, mid = min(a, b), max(a, b)
    end = mid + timedelta(days=30)
    first, second = Period(start, mid), Period(mid, end)
    assert not first.overlaps(second) or first.is_empty
    if start <= d < end:
        assert first.contains(d) != second.contains(d)


@given(days, days, st.one_of(st.none(), days))
def test_fast_form_agrees_with_period(d: date, start: date, end: date | None) -> None:
    if end is not None and end < start:
        start, end = end, start
    assert in_period(d, start, end) == Period(start, end).contains(d)


@given(days)
def test_open_ended_period_contains_every_later_day(start: date) -> None:
    p = Period(start)
    assert p.contains(start) and p.contains(date(2099, 1, 1))
    assert not p.contains(start - timedelta(days=1))
