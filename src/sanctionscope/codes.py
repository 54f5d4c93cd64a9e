"""Product codes (HS / TN VED / CN) as strings of digits.

Leading zeros matter, so codes are never numbers. Users paste codes with spaces and
dots (``0703 10 110 0``, ``0808.10``); both are removed. Anything else is an error.

A user's code of 3, 5 or 7 digits has usually lost a leading zero to a spreadsheet
(``080810`` became ``80810``): :func:`user_code` refuses it, naming the likely intended
code, unless the user asked to restore leading zeros (design.md, "Codes as users type
them"). Codes in the data files are validated as data, by :func:`normalise_code`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from functools import lru_cache

from sanctionscope.errors import InputError

_SEPARATORS = re.compile(r"[\s.\u00a0]+")
_DIGITS = re.compile(r"\d{2,10}")

MIN_DIGITS = 2
MAX_DIGITS = 10
#: Digit counts of a user's code that mean a lost leading zero: HS-based codes have an
#: even count (2 to 10); national nomenclatures also print 9 digits, taken as written.
LOST_ZERO = frozenset({3, 5, 7})


class LeadingZeroLost(InputError):
    """A user's code of 3, 5 or 7 digits: a leading zero was probably lost.

    ``suggestion`` is the zero-padded code when the nomenclature has it, else None.
    """

    code = "leading_zero_lost"

    def __init__(self, field: str, value: object, digits: str, suggestion: str | None) -> None:
        self.digits = digits
        self.suggestion = suggestion
        hint = f"did you mean {suggestion}?" if suggestion else "write the code with its leading zero"
        lost = f"has {len(digits)} digits, so a leading zero was probably lost"
        super().__init__(field, value, f"{lost}; {hint}")


def _length_reason(n: int) -> str:
    """Why a code of ``n`` digits is refused, with what a code looks like."""
    if n < MIN_DIGITS:
        return (
            f"has only {n} digit; a code has 2 to 10 digits: a chapter (08), a heading (0808) "
            "or a subheading (0808 10)"
        )
    return f"has {n} digits; a code has at most 10 (TN VED and CN codes), check for extra digits"


def normalise_code(text: str, field: str = "hs") -> str:
    """Return the digits of ``text``, or raise :class:`InputError` naming ``field``."""
    if not isinstance(text, str):
        raise InputError(field, text, "is not text; write codes as text to keep leading zeros")
    if MIN_DIGITS <= len(text) <= MAX_DIGITS and text.isascii() and text.isdigit():
        return text  # the common case, without the regular expressions
    digits = _SEPARATORS.sub("", text)
    if not digits:
        raise InputError(field, text, "is empty; give an HS / TN VED code of 2 to 10 digits")
    if not digits.isascii() or not digits.isdigit():
        raise InputError(field, text, "has characters other than digits, spaces and dots")
    if not _DIGITS.fullmatch(digits):
        raise InputError(field, text, _length_reason(len(digits)))
    return digits


def user_code(
    text: str,
    field: str = "hs",
    knows: Callable[[str], bool] | None = None,
    restore: bool = False,
) -> tuple[str, str | None]:
    """A code as a user typed it: (the code, the code as written if a zero was restored).

    A code of 3, 5 or 7 digits raises :class:`LeadingZeroLost`, suggesting the
    zero-padded code when ``knows`` says it exists; with ``restore`` it is read with the
    zero restored and comes back with the code as the user wrote it.
    """
    code = normalise_code(text, field)
    if len(code) not in LOST_ZERO:
        return code, None
    padded = "0" + code
    if restore:
        return padded, text.strip()
    raise LeadingZeroLost(field, text, code, padded if knows is not None and knows(padded) else None)


@lru_cache(maxsize=1 << 16)
def prefixes(code: str) -> tuple[str, ...]:
    """Every prefix of ``code`` from 2 digits up to the full code, shortest first (kept
    for the codes asked most recently: a question matches its code against every
    measure of the place pair)."""
    return tuple(code[:n] for n in range(MIN_DIGITS, len(code) + 1))


def format_code(code: str) -> str:
    """Write a code the way customs lists print it: ``0703 10 110 0``."""
    parts = [code[:4], code[4:6], code[6:9], code[9:10]]
    return " ".join(p for p in parts if p)


def under(ordered: Sequence[str], key: str) -> slice:
    """The codes of the sorted ``ordered`` that lie under ``key`` (equal, or longer and
    starting with it), as one run of them: from ``key`` to ``key`` followed by ``:``, which
    sorts after every digit. Two bisects."""
    return slice(bisect_left(ordered, key), bisect_left(ordered, key + ":"))


def has_under(ordered: Sequence[str], key: str) -> bool:
    """Does some code of the sorted ``ordered`` lie under ``key`` (equal, or longer and
    starting with it)? One bisect."""
    at = bisect_left(ordered, key)
    return at < len(ordered) and ordered[at].startswith(key)


@lru_cache(maxsize=1 << 16)
def significant(code: str) -> str:
    """The code without trailing zeros below the heading (4 digits).

    In HS, CN and TN VED numbering a 0 at a level means "not subdivided at this level":
    ``0702 00 000 0`` is all of heading 0702 and ``0701 10 000 0`` all of subheading
    0701 10. Matching on the significant digits lets ``0702`` meet a line written
    ``0702 00 000`` and ``0808 10 800 0`` meet a line written ``0808 10``.
    """
    if len(code) <= 4:
        return code
    return code[:4] + code[4:].rstrip("0")


def expand_range(text: str, field: str = "code") -> list[str]:
    """A code, or a range of codes of equal length written ``25-97``, as code prefixes."""
    if not isinstance(text, str) or "-" not in text:
        return [normalise_code(text, field)]
    low, _, high = text.partition("-")
    first, last = normalise_code(low.strip(), field), normalise_code(high.strip(), field)
    if len(first) != len(last) or int(last) < int(first):
        raise InputError(field, text, "is not a range of codes of equal length, low to high")
    return [str(n).zfill(len(first)) for n in range(int(first), int(last) + 1)]
