"""User input to domain values, shared by every interface; errors name the field."""

from __future__ import annotations

import calendar
import re
from datetime import date

from sanctionscope.errors import InputError
from sanctionscope.model.acts import MeasureType

#: The one written form of a day: ISO 8601's extended calendar date, ASCII digits.
#: ``date.fromisoformat`` also takes 20140810 and 2014-W32-7; such forms are refused on
#: purpose (a compact date is easily a number or a code, a week date is rarely meant).
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(value: str | None, field: str) -> date | None:
    """A YYYY-MM-DD day, or None when the value is absent or blank."""
    if value is None or not value.strip():
        return None
    try:
        if not _DAY.fullmatch(value.strip()):
            raise ValueError(value)
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(field, value, day_reason(value)) from None


#: English month names, for saying which day does not exist.
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def day_reason(value: str) -> str:
    """Why ``value`` is not a day: the form is wrong (write YYYY-MM-DD), or the form is
    right but the calendar has no such day (2014-02-30: February 2014 has 28 days)."""
    text = value.strip()
    if not _DAY.fullmatch(text):
        return "is not a date; write YYYY-MM-DD"
    year, month, _day = (int(x) for x in text.split("-"))
    if not 1 <= month <= 12:
        return f"has no month {month:02d}: months run from 01 to 12 (YYYY-MM-DD)"
    if year < 1:
        return "has year 0000, which the calendar does not have"
    last = calendar.monthrange(year, month)[1]
    return f"is not a day of the calendar: {_MONTHS[month - 1]} {year} has {last} days"


def need_day(value: str, field: str) -> date:
    """A YYYY-MM-DD day that must be given."""
    day = parse_day(value, field)
    if day is None:
        raise InputError(field, value, "is empty; write YYYY-MM-DD")
    return day


def measure_type(value: str) -> MeasureType:
    try:
        return MeasureType(value)
    except ValueError:
        raise InputError("type", value, "is not a measure type (" + ", ".join(MeasureType) + ")") from None


#: The longest grace period a user may set (a century), so dates stay in range.
MAX_GRACE_DAYS = 36_500


def grace_days(value: int) -> int:
    """Days a coverage declaration keeps vouching after its review: a whole number, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_GRACE_DAYS:
        raise InputError("grace_days", value, f"is not a number of days from 0 to {MAX_GRACE_DAYS:,}")
    return value
