"""A chunk of shipments as the kernel reads it: per row, an index into each of three small
tables (place pairs, days, codes), and the lookups that turn them into outcome ids.

Shipment files repeat a few thousand distinct values millions of times, so a row is its
values' indices (Arrow's dictionary indices, or day numbers) and the conversion of each
distinct value is done once, into a table. The lookups run compiled (the extension
``sanctionscope._lookups``, built with the package where a C compiler is present) or,
without it, as NumPy passes that give the same ids (tests compare them on any input).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int32]

try:  # the optional extension: without it the NumPy passes below do the same work
    from sanctionscope import _lookups

    compiled: ModuleType | None = _lookups
except ImportError:  # pragma: no cover - the package was installed without a C compiler
    compiled = None


@dataclass(frozen=True)
class RowKeys:
    """Per row ``r`` (every array int32, one entry per row or per table entry):

    * place key ``pairs[origin[r] * destinations + destination[r]]``;
    * epoch ``day_table[day[r] - day_lo]``;
    * code class ``code_table[code[r]]``.

    Each index is clipped to its table (as ``numpy.take(mode="clip")``): tables end with
    the entry of a missing or unreadable value, and the day table's ends stand for the
    days before and after it.
    """

    origin: Ints
    destination: Ints
    destinations: int
    pairs: Ints
    day: Ints
    day_lo: int
    day_table: Ints
    code: Ints
    code_table: Ints

    def __len__(self) -> int:
        return len(self.origin)

    def places(self) -> Ints:
        index = np.multiply(self.origin, self.destinations, dtype=np.int64)
        np.add(index, self.destination, out=index)
        found: Ints = np.take(self.pairs, index, mode="clip")
        return found

    def days(self) -> Ints:
        found: Ints = np.take(self.day_table, np.subtract(self.day, self.day_lo, dtype=np.int64), mode="clip")
        return found

    def codes(self) -> Ints:
        found: Ints = np.take(self.code_table, self.code, mode="clip")
        return found


def outcome_ids(keys: RowKeys, situation: Ints, answers: Ints, use_compiled: bool = True) -> Ints:
    """Per row, ``answers[situation[epoch + place key] + code class]`` (indices clipped)."""
    if compiled is not None and use_compiled:
        out = np.empty(len(keys), np.int32)
        compiled.screen(
            keys.origin,
            keys.destination,
            keys.destinations,
            keys.pairs,
            keys.day,
            keys.day_lo,
            keys.day_table,
            keys.code,
            keys.code_table,
            situation,
            answers,
            out,
        )
        return out
    return lookup(keys.days(), keys.places(), keys.codes(), situation, answers)


def lookup(day: Ints, places: Ints, code: Ints, situation: Ints, answers: Ints) -> Ints:
    """Per row, ``answers[situation[day + places] + code]`` from keys (epoch, place key,
    code class), as NumPy passes; ``day`` is overwritten (scratch) and returned."""
    np.add(day, places, out=day)
    row = np.take(situation, day, mode="clip")
    np.add(row, code, out=row)
    found: Ints = np.take(answers, row, out=day, mode="clip")
    return found


def tally(ids: Ints, class_of: Ints, classes: int, use_compiled: bool = True) -> npt.NDArray[np.int64]:
    """How many ``ids`` fall in each class, ``class_of`` giving the class of an id (every
    id must be an index of ``class_of``)."""
    if compiled is not None and use_compiled:
        counts = np.zeros(classes, np.int64)
        compiled.tally(ids, class_of, counts)
        return counts
    per_id = np.bincount(ids, minlength=len(class_of))
    found: npt.NDArray[np.int64] = np.bincount(class_of, weights=per_id, minlength=classes).astype(np.int64)
    return found
