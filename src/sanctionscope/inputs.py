"""User input to domain values, shared by every interface; errors name the field."""

from __future__ import annotations

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
        raise InputError(field, value, "is not a date; write YYYY-MM-DD") from None


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
