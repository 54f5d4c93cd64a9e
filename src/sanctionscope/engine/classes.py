"""Equivalence classes that let the batch kernel answer whole arrays at once.

``check`` compares a day only with the dates written in the data, and a code only with
the codes written in the data. So:

* days fall into *epochs*: the half-open stretches between consecutive dates at which
  anything in the data starts or ends; every day of an epoch gets the same answers;
* codes fall into *code classes*: two codes with the same written codes above them
  and the same written codes under them get the same answers.

Both are exact, not approximations: the kernel asks ``check`` itself once per distinct
situation and the tests compare the two on random rows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import numpy.typing as npt

from sanctionscope.codes import MAX_DIGITS, MIN_DIGITS, significant
from sanctionscope.engine.compile import Index

#: Day numbers are days since 1970-01-01, as in Arrow's date32 and numpy's datetime64[D].
UNIX_EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    return (day - UNIX_EPOCH).days


class Epochs:
    """Epoch ``i`` is ``[cuts[i-1], cuts[i])``; epoch 0 starts at the beginning of time."""

    def __init__(self, cuts: Iterable[date]) -> None:
        self.cuts = sorted(set(cuts))
        if not self.cuts:
            self.cuts = [UNIX_EPOCH]

    def __len__(self) -> int:
        return len(self.cuts) + 1

    def of(self, day: date) -> int:
        return bisect_right(self.cuts, day)

    def day(self, epoch: int) -> date:
        """A day inside the epoch (its first, or the day before the first cut)."""
        if epoch == 0:
            return self.cuts[0] - timedelta(days=1)
        return self.cuts[epoch - 1]


def data_epochs(index: Index, extra: Iterable[date] = ()) -> Epochs:
    """Every date at which a goods measure, line, exception, target or membership changes,
    and the day each measure's act was signed (plus ``extra`` cuts: coverage
    declarations' periods and staleness days)."""
    cuts: set[date] = set(extra)
    for m in index.goods_measures():
        cuts.update(d for span in m.periods() for d in span if d is not None)
        # a measure whose act is not yet signed on the day explains less (closeness):
        # from its signing day on, it ranks as made (check: ``signed > day``)
        cuts.add(m.act.signed)
    for bloc in index.dataset.jurisdictions.blocs.values():
        for ms in bloc.members:
            cuts.update(d for d in (ms.start, ms.end, ms.unclear_until) if d is not None)
    return Epochs(c for c in cuts if c > date.min)


class CodeClasses:
    """Classes of product codes with respect to a set of written (significant) codes.

    Let P be every prefix of a written code. A code whose significant digits are in P
    is its own class ("node": the written codes above and below it are fixed by it).
    Any other code has nothing written under it, so only its longest prefix in P
    matters ("below" that prefix).
    """

    def __init__(self, written: Iterable[str]) -> None:
        keys = set(written)
        self.prefixes = {""} | {k[:n] for k in keys for n in range(len(k) + 1)}
        self._longest = max(map(len, self.prefixes))
        self.ids: dict[tuple[str, str], int] = {}
        #: a code of each class (None if no valid code falls in it)
        self.examples: list[str | None] = []
        #: every prefix, sorted, with the class of the prefix itself and of codes below it
        self.ordered = sorted(self.prefixes)
        for p in self.ordered:
            self._add(("node", p), p if _valid(p) else None)
            self._add(("below", p), self._below_example(p))
        self.node_ids = [self.ids[("node", p)] for p in self.ordered]
        self.below_ids = [self.ids[("below", p)] for p in self.ordered]

    def _add(self, key: tuple[str, str], example: str | None) -> None:
        self.ids[key] = len(self.examples)
        self.examples.append(example)

    def __len__(self) -> int:
        return len(self.examples)

    def classify(self, code: str) -> int:
        """The class of a normalised code."""
        key = significant(code)
        if key in self.prefixes:
            return self.ids[("node", key)]
        n = min(len(key) - 1, self._longest)
        while key[:n] not in self.prefixes:
            n -= 1
        return self.ids[("below", key[:n])]

    def classify_many(self, keys: npt.NDArray[np.bytes_]) -> npt.NDArray[np.int32]:
        """:meth:`classify` of many significant codes at once (ASCII digits, as bytes).

        The prefixes are closed under taking a prefix, so a key's longest prefix among
        them is its common head with the greatest prefix sorted at or before it (that one
        lies between the longest prefix and the key, so it starts with the longest
        prefix): one binary search per key instead of a probe per length."""
        ordered = self._ordered_bytes
        width = ordered.dtype.itemsize
        lengths = np.char.str_len(keys)
        cut = keys.astype(ordered.dtype)  # a key longer than every prefix is in none of them
        before = np.searchsorted(ordered, cut, side="right") - 1  # "" sorts first: never -1
        a = cut.view(np.uint8).reshape(-1, width)
        same = a == ordered[before].view(np.uint8).reshape(-1, width)
        head = np.minimum(np.cumprod(same, axis=1, dtype=np.int8).sum(axis=1), lengths)
        a[np.arange(width)[None, :] >= head[:, None]] = 0  # each key cut to its longest prefix
        at = np.searchsorted(ordered, cut)
        found: npt.NDArray[np.int32] = np.where(head == lengths, self._node_array[at], self._below_array[at])
        return found.astype(np.int32)

    @cached_property
    def _ordered_bytes(self) -> npt.NDArray[np.bytes_]:
        return np.array(self.ordered, f"S{max(self._longest, 1)}")

    @cached_property
    def _node_array(self) -> npt.NDArray[np.int32]:
        return np.array(self.node_ids, np.int32)

    @cached_property
    def _below_array(self) -> npt.NDArray[np.int32]:
        return np.array(self.below_ids, np.int32)

    def _below_example(self, p: str) -> str | None:
        for digit in "1234567890":
            head = p + digit
            if head in self.prefixes or len(head) > MAX_DIGITS:
                continue
            code = head + "1" * max(0, MIN_DIGITS - len(head))
            if len(code) > 4 and code.endswith("0"):
                code = code + "1" if len(code) < MAX_DIGITS else ""
            if code and _valid(code):
                return code
        return None


def _valid(code: str) -> bool:
    return MIN_DIGITS <= len(code) <= MAX_DIGITS and significant(code) == code
