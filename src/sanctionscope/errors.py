"""One exception hierarchy for the whole package; interfaces translate it at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class SanctionscopeError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(SanctionscopeError, ValueError):
    """A user-supplied value is unusable; names the field and the value."""

    #: a stable machine-readable reason, for errors the interfaces tell apart (else None)
    code: ClassVar[str | None] = None

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {value!r} {reason}")


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a data file, located as precisely as we can."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DataError(SanctionscopeError):
    """The data files are invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data files")
