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
    * code column ``code_table[code[r]]`` (the column of the code's class among the
      answers: classes answered alike in every situation share one).

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


def outcome_ids(
    keys: RowKeys, situation: Ints, stride: int, answers: Ints, use_compiled: bool = True
) -> Ints:
    """Per row, ``answers[situation[epoch + place key] * stride + code column]`` (indices
    clipped): ``situation`` gives a row of answers, ``stride`` entries long."""
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
            stride,
            answers,
            out,
        )
        return out
    return lookup(keys.days(), keys.places(), keys.codes(), situation, stride, answers)


def lookup(day: Ints, places: Ints, code: Ints, situation: Ints, stride: int, answers: Ints) -> Ints:
    """Per row, ``answers[situation[day + places] * stride + code]`` from keys (epoch,
    place key, code column), as NumPy passes; ``day`` is overwritten (scratch) and
    returned."""
    np.add(day, places, out=day)
    row = np.take(situation, day, mode="clip")
    at = np.multiply(row, stride, dtype=np.int64)  # as the compiled loop: no int32 overflow
    np.add(at, code, out=at)
    found: Ints = np.take(answers, at, out=day, mode="clip")
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


#: Rows of answers compared at a time when folding columns: bounds the copy that is made
#: (a large rule set has thousands of rows over tens of thousands of code classes).
FOLD_ROWS = 256


@dataclass(frozen=True)
class AnswerTable:
    """The kernel's rows of answers with the code classes answered alike folded together.

    Row ``r`` of the answers is ``answers[r * stride : (r + 1) * stride]``; the code class
    ``c`` reads column ``column_of[c]`` of it. Of thousands of code classes (each written
    code splits the codes), a few hundred differ in some row: folding them makes the
    table the rows hit several times smaller, and a row's lookup more often a cache hit.
    """

    answers: Ints
    stride: int
    column_of: Ints
    #: the number of rows folded (rows are only ever appended to the kernel's list)
    rows: int

    @classmethod
    def of(cls, rows: list[Ints], before: AnswerTable | None = None) -> AnswerTable:
        """Fold full rows (one entry per code class, all of one length). ``before``, the
        table of the first rows of the same list, is refined by the rows added since:
        a new row can only split columns that were equal."""
        if before is not None and before.rows == len(rows):
            return before
        column_of = np.zeros(len(rows[0]), np.int32) if before is None else before.column_of
        for lo in range(0 if before is None else before.rows, len(rows), FOLD_ROWS):
            # one line per code class: its column so far, then its answers in these rows
            lines = np.stack([column_of, *rows[lo : lo + FOLD_ROWS]], axis=1)
            as_bytes = lines.view(np.dtype((np.void, lines.shape[1] * lines.itemsize))).reshape(-1)
            column_of = np.unique(as_bytes, return_inverse=True)[1].reshape(-1).astype(np.int32)
        first = np.unique(column_of, return_index=True)[1]  # a code class of each column
        answers = np.stack([row[first] for row in rows]).reshape(-1)
        return cls(answers, len(first), column_of, len(rows))

    def columns(self, classes: Ints) -> Ints:
        """The column of each code class."""
        found: Ints = np.take(self.column_of, classes, mode="clip")
        return found
