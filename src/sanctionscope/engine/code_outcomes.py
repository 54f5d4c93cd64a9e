"""Per trade measure, how a code matches on each epoch: the code half of the batch
kernel's tables (see :mod:`sanctionscope.engine.kernel`)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from sanctionscope.codes import significant, under
from sanctionscope.engine.classes import CodeClasses, day_number
from sanctionscope.engine.match import lists_code, match_code
from sanctionscope.engine.places import live_on
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState
from sanctionscope.model.acts import LICENSING_TYPES

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
        #: per measure, per match kind: all that a measure in force whose targets leave the
        #: party out lets ``check`` read of the match: is a line matched, is the code listed
        self.untargeted: list[list[int]] = []
        #: per measure, per match kind: the exceptions written by description that the
        #: answer lists when the measure bans, or None when a measure in force whose
        #: targets surely include the party does not ban with this match (no line matched,
        #: the code carved out, or a licensing regime)
        self.banning: list[list[tuple[str, ...] | None]] = []
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
        paused = [x for x in m.lines if x.suspended]
        records: list[LineState | ExceptionState] = [*m.lines, *m.exceptions, *paused]
        live = [live_on(x, days) for x in records[: len(records) - len(paused)]]
        live += [live_on(x, days, suspensions=False) for x in paused]
        if live:
            by_epoch = np.array(live).T
            _, first, inverse = np.unique(by_epoch, axis=0, return_index=True, return_inverse=True)
        else:
            by_epoch = np.zeros((len(days), 0), np.bool_)
            first, inverse = np.zeros(1, np.intp), np.zeros(len(days), np.intp)
        order = np.argsort(first)  # states numbered by their first epoch
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        per_epoch = rank[inverse.reshape(-1)].tolist()
        classes = _Represented(self.kernel.codes, own_class)
        listed = [lists_code(k.index, m, example) for example in classes.examples]  # any period
        kinds: dict[_Kind, int] = {}
        kind_rows: list[Ints] = []
        for e in np.sort(first).tolist():
            if not kind_rows:
                redo: Iterable[int] = range(len(classes.own))
                row = np.full(len(own.examples) + 1, -1, np.int32)  # index -1: no example
            else:
                # only the classes a record that started or stopped on this epoch can
                # reach match differently from the epoch before (see _Represented.touched)
                changed = np.flatnonzero(by_epoch[e] != by_epoch[e - 1]).tolist()
                redo = classes.touched([records[i] for i in changed], m.lines)
                row = kind_rows[per_epoch[e - 1]].copy()
            for i in redo:
                kind = self._match(m, classes.examples[i], k.days[e], listed[i])
                row[classes.own[i]] = kinds.setdefault(kind, len(kinds))
            kind_rows.append(row)
        vectors: list[Ints] = [row[own_class] for row in kind_rows]
        self._states.append(per_epoch)
        self._vectors.append(vectors)
        listing = np.array([kind.listed for kind in kinds] + [False], np.bool_)
        self.untargeted.append([2 * kind.line + kind.listed for kind in kinds])
        bans = m.type not in LICENSING_TYPES
        self.banning.append(
            [kind.described if bans and kind.line and not kind.carve_out else None for kind in kinds]
        )
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
            longest[under(ordered, q)] = own.ids[("below", q)]
        node = longest.copy()
        for q in own.prefixes:
            node[bisect_left(ordered, q)] = own.ids[("node", q)]
        out = np.full(len(codes), -1, np.int32)
        out[codes.node_ids] = node
        out[codes.below_ids] = longest
        out[self._no_example] = -1
        return out

    def _match(self, m: MeasureState, example: str, day: date, listed: bool) -> _Kind:
        found = match_code(self.kernel.index, m, example, day)
        return _Kind(
            found.line is not None,
            found.carve_out is not None,
            tuple(e.id for e in found.by_description),
            bool(found.narrower),
            found.suspended.id if found.suspended else None,
            listed,
        )

    def state(self, measure: int, epoch: int) -> int:
        return self._states[measure][epoch]

    def vector(self, measure: int, state: int) -> Ints:
        return self._vectors[measure][state]


class _Kind(NamedTuple):
    """How a code matches a measure on a day, as far as answers differ by it."""

    #: a line in force covers the code
    line: bool
    #: a code exception carves it out
    carve_out: bool
    #: the exceptions by description (or narrower than the code) of the matched line
    described: tuple[str, ...]
    #: no line covers it but lines lie under it
    narrower: bool
    #: the suspended line that would cover it
    suspended: str | None
    #: some line, whatever its period, covers the code or lies under it
    listed: bool


class _Represented:
    """One measure's own code classes that some kernel class falls in, each with the
    example code of its first kernel class, sorted by the example's significant digits."""

    def __init__(self, codes: CodeClasses, own_class: Ints) -> None:
        present, first = np.unique(own_class, return_index=True)
        found = sorted(
            (significant(example), int(cls), example)
            for cls, c in zip(present.tolist(), first.tolist(), strict=True)
            if cls >= 0 and (example := codes.examples[c]) is not None
        )
        self.keys = [key for key, _, _ in found]
        self.own = [cls for _, cls, _ in found]
        self.examples = [example for _, _, example in found]

    def touched(self, records: list[LineState | ExceptionState], lines: list[LineState]) -> list[int]:
        """The classes whose match can change when the records start or stop: a match
        reads only lines and exceptions written at a head of the code or under it, and
        exceptions written by description through the lines they attach to."""
        codes: set[str] = set()
        for record in records:
            if isinstance(record, LineState) or record.code is not None:
                codes.add(significant(record.code or ""))
            elif record.lines is None:
                return list(range(len(self.keys)))
            else:
                codes.update(significant(x.code) for x in lines if x.id in record.lines)
        out: set[int] = set()
        for code in codes:
            out.update(range(len(self.keys))[under(self.keys, code)])
            for n in range(len(code)):  # its heads
                out.update(range(bisect_left(self.keys, code[:n]), bisect_right(self.keys, code[:n])))
        return sorted(out)
