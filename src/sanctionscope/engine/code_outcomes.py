"""Per trade measure, how a code matches on each epoch: the code half of the batch
kernel's tables (see :mod:`sanctionscope.engine.kernel`)."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from sanctionscope.engine.classes import CodeClasses, day_number
from sanctionscope.engine.match import lists_code, match_code
from sanctionscope.engine.places import live_on
from sanctionscope.engine.state import MeasureState

if TYPE_CHECKING:
    from sanctionscope.engine.kernel import Ints, Kernel


class CodeOutcomes:
    """Per measure: which lines and exceptions are in force (the code state) on each
    epoch, and for each state a vector over code classes of how the code matches.

    A match *kind* is numbered per measure, whatever the state (equal kinds of one measure
    mean the same thing on every epoch), so answers can be shared across situations. Per
    measure, ``lists`` says which code classes some line (of any period) covers or lies
    under, and ``all_goods`` whether it has the all-goods line: a measure that neither
    lists the code nor can name the partner is silent in ``check``'s answer (see
    ``Kernel._signature``)."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self._states: list[list[int]] = []
        self._vectors: list[list[Ints]] = []
        #: per measure: does it list each code class (some line covers it or lies under it)
        self.lists: list[npt.NDArray[np.bool_]] = []
        #: per measure: has it the all-goods line (product scope: every good)
        self.all_goods: list[bool] = []
        self._day_numbers = np.array([day_number(d) for d in kernel.days], np.int64)
        self._no_example = np.array([c for c, x in enumerate(kernel.codes.examples) if x is None], np.intp)
        for m in kernel.measures:
            self._compile(m)

    def _compile(self, m: MeasureState) -> None:
        k = self.kernel
        own = CodeClasses(k._written(m))
        own_class = self._own_classes(own)
        # the code state of each epoch: which lines and exceptions are live, which lines
        # are within their period but suspended (as lines_on, exceptions_on and match_code)
        days = self._day_numbers
        live = [live_on(x, days) for x in m.lines] + [live_on(x, days) for x in m.exceptions]
        live += [live_on(x, days, suspensions=False) for x in m.lines if x.suspended]
        if live:
            _, first, inverse = np.unique(np.array(live).T, axis=0, return_index=True, return_inverse=True)
        else:
            first, inverse = np.zeros(1, np.intp), np.zeros(len(days), np.intp)
        order = np.argsort(first)  # states numbered by their first epoch
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        per_epoch = rank[inverse.reshape(-1)].tolist()
        vectors: list[Ints] = []
        kinds: dict[tuple[object, ...], int] = {}
        for e in np.sort(first).tolist():
            vectors.append(self._vector(m, k.days[e], own, own_class, kinds))
        self._states.append(per_epoch)
        self._vectors.append(vectors)
        listing = np.array([bool(kind[-1]) for kind in kinds] + [False], np.bool_)
        self.lists.append(listing[vectors[0]] if vectors else np.zeros(len(own_class), np.bool_))
        self.all_goods.append("" in k.index.lines_by_code.get(m.id, {}))

    def _own_classes(self, own: CodeClasses) -> Ints:
        """The class under ``own`` (one measure's written codes) of each code class's
        example (-1 where there is none), as ``own.classify`` gives it: the written codes
        are prefixes of the kernel's, so a class "node p" is own node p when the measure
        writes p, and a class "below p" (or node p when it does not) is own "below q", q
        the longest prefix of p the measure writes. Over the sorted prefixes, per own
        prefix, not per class."""
        codes = self.kernel.codes
        ordered = codes.ordered
        longest = np.zeros(len(ordered), np.int32)
        for q in sorted(own.prefixes, key=len):  # longer prefixes overwrite shorter ones
            longest[bisect_left(ordered, q) : bisect_left(ordered, q + ":")] = own.ids[("below", q)]
        node = longest.copy()
        for q in own.prefixes:
            node[bisect_left(ordered, q)] = own.ids[("node", q)]
        out = np.full(len(codes), -1, np.int32)
        out[codes.node_ids] = node
        out[codes.below_ids] = longest
        out[self._no_example] = -1
        return out

    def _vector(
        self,
        m: MeasureState,
        day: date,
        own: CodeClasses,
        own_class: Ints,
        kinds: dict[tuple[object, ...], int],
    ) -> Ints:
        present, first = np.unique(own_class, return_index=True)
        kind_of = np.full(len(own.examples) + 1, -1, np.int32)  # index -1: no example
        for cls, c in zip(present.tolist(), first.tolist(), strict=True):
            if cls < 0:
                continue
            example = self.kernel.codes.examples[c]
            assert example is not None  # own_class is -1 for classes without one
            found = match_code(self.kernel.index, m, example, day)
            kind = (
                found.line is not None,
                found.carve_out is not None,
                tuple(e.id for e in found.by_description),
                bool(found.narrower),
                found.suspended.id if found.suspended else None,
                lists_code(self.kernel.index, m, example),
            )
            kind_of[cls] = kinds.setdefault(kind, len(kinds))
        found_kinds: Ints = kind_of[own_class]
        return found_kinds

    def state(self, measure: int, epoch: int) -> int:
        return self._states[measure][epoch]

    def vector(self, measure: int, state: int) -> Ints:
        return self._vectors[measure][state]
