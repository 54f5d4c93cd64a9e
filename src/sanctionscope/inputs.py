"""User input to domain values, shared by every interface; errors name the field."""

from __future__ import annotations

from datetime import date

from sanctionscope.errors import InputError
from sanctionscope.model.acts import MeasureType


def parse_day(value: str | None, field: str) -> date | None:
    """A YYYY-MM-DD day, or None when the value is absent or blank."""
    if value is None or not value.strip():
        return None
    try:
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
