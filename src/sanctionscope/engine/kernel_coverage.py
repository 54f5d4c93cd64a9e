"""The coverage entry of a batch-kernel cell, for :mod:`kernel_situations`.

A cell's answers read, for each side asked, which goods measures bind that side's place and
hit its partner, which declarations of their imposers (and of the side's own country when it
is not surveyed) name the partner, and whether the side stands surveyed. All of it is read
from the coverage bits ``Places`` keeps per record, place and epoch (the same whichever the
role), epoch by epoch. Partners that read alike share one entry per side, so a cell costs a
few lookups once its side and partner class have been seen.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from sanctionscope.codes import under
from sanctionscope.engine.coverage import product_scope, stale, unheld_regime
from sanctionscope.engine.goods_risk import directions
from sanctionscope.model.coverage import Direction
from sanctionscope.periods import in_period

if TYPE_CHECKING:
    from datetime import date

    from sanctionscope.engine.compile import Index
    from sanctionscope.engine.coverage import Side
    from sanctionscope.engine.places import Places
    from sanctionscope.engine.state import MeasureState
    from sanctionscope.model.coverage import DeclarationSpec
    from sanctionscope.model.surveys import SurveySpec

Ints = npt.NDArray[np.int32]
#: Positions in a list (of goods measures, declarations).
Positions = npt.NDArray[np.intp]
#: Per side asked and epoch: the partner class of every place, and the entries met so far.
SideMemo = dict[tuple[Direction, int], tuple[Ints, dict[int, tuple[Any, ...]]]]


class CoverageSituations:
    """The coverage entries of cells; a base of :class:`SituationAnswers`."""

    index: Index
    grace_days: int
    as_known_on: date
    side: Side
    measures: list[MeasureState]
    risks: list[MeasureState]
    declarations: list[DeclarationSpec]
    surveys: list[SurveySpec]
    days: list[date]
    _places: Places
    #: what the cells of one epoch share (cleared when the epoch changes: cells are built
    #: epoch by epoch, and a lazy kernel is stored with this state)
    _memo: dict[tuple[Any, ...], Any]

    def _epoch_bits(self, e: int) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8], npt.NDArray[np.int8]]:
        """The coverage bits of every place on epoch ``e``, one row per goods measure,
        declaration and survey (the same whichever the role: see ``Places.classes``),
        with the goods measures out of force that day zeroed. Only the last epoch asked
        is kept: cells are built epoch by epoch, and every epoch's would weigh as much as
        the bits themselves."""
        self._enter(e)
        last = self._memo.get(("bits",))
        if last is not None:
            return last  # type: ignore[no-any-return]
        bits, n, day = self._places.origin_bits, len(self.measures), self.days[e]
        base, surveys = n + len(self.risks), n + len(self.risks) + len(self.declarations)
        width = len(self._places.jids)

        def rows(lo: int, hi: int) -> npt.NDArray[np.int8]:
            return np.array([bits[i][:, e] for i in range(lo, hi)], np.int8).reshape(hi - lo, width)

        risks = rows(n, base)
        risks[[not m.active(day) for m in self.risks]] = 0
        found = (risks, rows(base, surveys), rows(surveys, len(bits)))
        self._memo[("bits",)] = found
        return found

    def _enter(self, e: int) -> None:
        """Start epoch ``e``'s memo unless it is the current one."""
        if self._memo.get(("epoch",)) != e:
            self._memo.clear()
            self._memo[("epoch",)] = e

    def _stands(self, side: int, e: int) -> bool:
        """Is the side's country a surveyed imposer on the epoch's day: one survey that
        speaks for it (bit 1) stands, or, for a territory, every required one (bit 2).
        Memoised per place and epoch (it does not depend on the partner)."""
        key = ("stands", side, e)
        found = self._memo.get(key)
        if found is None:
            day, known = self.days[e], self.as_known_on
            bits = self._epoch_bits(e)[2][:, side].tolist()
            valid = [
                x.since <= day and not stale(x, day, known, self.grace_days)
                for x, b in zip(self.surveys, bits, strict=True)
                if b & 1
            ]
            found = self._memo[key] = all(valid) if any(b & 2 for b in bits) else any(valid)
        return bool(found)

    def _declared(self, key: tuple[Any, ...], e: int, keep: Any) -> tuple[Positions, Ints]:
        """The declarations ``keep(j, x)`` selects among those in period on the epoch's
        day, with whether each is stale (memoised: the partner is filtered by the caller)."""
        found = self._memo.get(key)
        if found is None:
            day, known = self.days[e], self.as_known_on
            chosen = [
                (j, int(stale(x, day, known, self.grace_days)))
                for j, x in enumerate(self.declarations)
                if keep(j, x) and in_period(day, x.start, x.end)
            ]
            found = self._memo[key] = (
                np.array([j for j, _ in chosen], np.intp),
                np.array([s for _, s in chosen], np.int32),
            )
        return found

    @staticmethod
    def _naming(
        declared: tuple[Positions, Ints], decl_bits: npt.NDArray[np.int8], partner: int
    ) -> tuple[Any, ...]:
        """Of the declarations given, those naming the partner, as (index, stale) pairs."""
        js, stale_flags = declared
        if not js.size:
            return ()
        keep = (decl_bits[js, partner] & 2) != 0
        return tuple(zip(js[keep].tolist(), stale_flags[keep].tolist(), strict=True))

    def _unheld(self, k: int, direction: Direction, e: int) -> bool:
        """Is risk ``k`` a regime-level record restricting the direction whose lists are
        not held on the epoch's day (memoised)."""
        key = ("unheld", k, direction, e)
        found = self._memo.get(key)
        if found is None:
            risk = self.risks[k]
            found = self._memo[key] = bool(
                unheld_regime(self.index, risk, self.days[e]) and direction in directions(risk.spec)
            )
        return bool(found)

    def _coverage_situation(self, e: int, o: int, d: int) -> tuple[Any, ...]:
        """What the coverage columns read, per side: the imposers that need coverage
        (their goods measures in force bind the side and hit the partner) and, for each,
        the declarations that may vouch (in period, naming the partner) and whether stale."""
        out: list[Any] = [-1]  # marks the coverage entry apart from the measures'
        for direction, side, partner in ((Direction.import_, d, o), (Direction.export, o, d)):
            if direction in self.side.directions:
                out.extend(self._side_coverage(direction, side, partner, e))
        return tuple(out)

    def _side_coverage(self, direction: Direction, side: int, partner: int, e: int) -> tuple[Any, ...]:
        """One side's coverage entries, memoised per partner class on the epoch: partners
        alike in every bit the entries read of them share the entries. Only the last
        epoch's are kept (cells are built epoch by epoch)."""
        self._enter(e)
        sides: SideMemo = self._memo.setdefault(("sides",), {})
        found = sides.get((direction, side))
        if found is None:
            found = sides[(direction, side)] = (self._partner_classes(direction, side, e), {})
        classes, entries = found
        cls = int(classes[partner])
        entry = entries.get(cls)
        if entry is None:
            entry = entries[cls] = self._side_entries(direction, side, partner, e)
        return entry

    def _partner_classes(self, direction: Direction, side: int, e: int) -> Ints:
        """Every place as the side's partner, numbered by what the side's entries read of
        it: which goods measures binding the side hit it, which declarations the side's
        imposers and own country hold name it."""
        risk_bits, decl_bits, _ = self._epoch_bits(e)
        binding = self._risks_binding(side, e)
        imposers = sorted({self.risks[k].spec.imposer for k in binding.tolist()})
        picked = [self._imposer_declared(imposer, direction, e)[0] for imposer in imposers]
        if self.surveys:
            picked.append(self._own_declared(direction, side, e)[0])
        stack = np.concatenate([risk_bits[binding] & 2, *(decl_bits[js] & 2 for js in picked)], axis=0)
        if not stack.shape[0]:
            return np.zeros(stack.shape[1], np.int32)
        # each place's column of bits packed into bytes, compared as one opaque value
        # (np.unique(axis=1) compares them element by element, many times slower)
        columns = np.ascontiguousarray(np.packbits(stack != 0, axis=0).T)
        opaque = columns.view(np.dtype((np.void, columns.shape[1]))).reshape(-1)
        return np.unique(opaque, return_inverse=True)[1].reshape(-1).astype(np.int32)

    def _imposer_declared(self, imposer: str, direction: Direction, e: int) -> tuple[Positions, Ints]:
        return self._declared(
            ("declared", imposer, direction, e),
            e,
            lambda j, x: x.imposer == imposer and x.direction == direction,
        )

    def _own_declared(self, direction: Direction, side: int, e: int) -> tuple[Positions, Ints]:
        decl_bits = self._epoch_bits(e)[1]
        return self._declared(
            ("own", side, direction, e),
            e,
            lambda j, x: bool(decl_bits[j, side] & 4) and x.direction == direction,
        )

    def _side_entries(self, direction: Direction, side: int, partner: int, e: int) -> tuple[Any, ...]:
        """The coverage entries of one side and partner (see :meth:`_coverage_situation`)."""
        risk_bits, decl_bits, _ = self._epoch_bits(e)
        out: list[Any] = []
        binding = self._risks_binding(side, e)
        hits = binding[(risk_bits[binding, partner] & 2) != 0] if binding.size else binding
        imposers = [self.risks[k].spec.imposer for k in hits.tolist()]
        for imposer in sorted(set(imposers)):
            declared = self._imposer_declared(imposer, direction, e)
            # regime-level records restricting goods whose lists are not held that day
            unheld = tuple(
                k
                for k, i in zip(hits.tolist(), imposers, strict=True)
                if i == imposer and self._unheld(k, direction, e)
            )
            out.append((direction.value, imposer, self._naming(declared, decl_bits, partner), unheld))
        # the side's own country needs coverage when it is not a surveyed imposer on the
        # day, unless it is listed already (goods measures of its own)
        if self.surveys and not ((hits.size and (risk_bits[hits, side] & 4).any()) or self._stands(side, e)):
            own = self._own_declared(direction, side, e)
            out.append((direction.value, "<own>", self._naming(own, decl_bits, partner)))
        return tuple(out)

    def _risks_binding(self, side: int, e: int) -> Positions:
        """The goods measures in force on epoch ``e`` whose imposer binds the side's place,
        memoised (the same as origin or destination: coverage bits do not depend on the role)."""
        bits = self._epoch_bits(e)[0]  # enters the epoch first
        key = ("binding", side)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = np.flatnonzero(bits[:, side] & 1)
        return found


def in_scope_sorted(decl: DeclarationSpec, keys: Sequence[str]) -> npt.NDArray[np.bool_]:
    """:func:`in_scope` of many significant codes of digits at once, ``keys`` sorted: the
    codes under a prefix are one run of them (:func:`codes.under`), and the codes with an
    excluded prefix under them are the excluded prefixes' heads. A few bisects per
    prefix, not a probe per code."""
    include, exclude = product_scope(decl)
    out = np.zeros(len(keys), np.bool_) if include.prefixes else np.ones(len(keys), np.bool_)
    for p in include.prefixes:
        out[under(keys, p)] = True
    for p in exclude.prefixes:
        out[under(keys, p)] = False
    for head in {p[:n] for p in exclude.prefixes for n in range(len(p) + 1)}:
        out[bisect_left(keys, head) : bisect_right(keys, head)] = False
    return out
