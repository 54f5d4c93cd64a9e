"""Which cells of the batch kernel's situation table share a situation, found with numpy.

A cell is (epoch, origin class, destination class), read through a place of each class
(places of one class have equal bits on the epoch; see ``Places.representatives``). Its
situation (see
:mod:`sanctionscope.engine.kernel`) lists, per trade measure whose imposer binds the side
that counts, how its targets cover the party, whether it is in force and its code state;
then the coverage entry. Building it in Python for every cell costs epochs x origins x
destinations x measures. Instead, per epoch:

* the measures are grouped by (direction, imposer): measures of one imposer bind the same
  places, so a group's part of a situation is fixed by the party's *group state* (its
  party bits under every measure of the group, numbered once for all epochs);
* each cell gets a 128-bit sum of random values, one per group binding its side, drawn
  by the party's group state, plus its coverage classes (the places' coverage bits, which
  are all the coverage entry reads besides the day). Cells with equal keys have equal
  situations (up to a 2^-128 collision), so the situation is built once per distinct key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from sanctionscope.engine.places import RELEVANT, fold_rows
from sanctionscope.model.acts import IMPORT_TYPES

if TYPE_CHECKING:
    from sanctionscope.engine.code_outcomes import CodeOutcomes
    from sanctionscope.engine.kernel import Ints, Kernel

U64 = npt.NDArray[np.uint64]


@dataclass
class _Group:
    """The trade measures of one imposer in one direction."""

    imports: bool
    measures: list[int]
    #: place x epoch: does the imposer bind the place
    binds: npt.NDArray[np.bool_]
    #: place x epoch: the party's state under the group's measures (dense ids)
    state: Ints
    #: two random 64-bit values per state
    draws: tuple[U64, U64]


class Cells:
    """Per epoch, the cells of the situation table grouped by situation (see module)."""

    def __init__(self, kernel: Kernel, codes: CodeOutcomes) -> None:
        from sanctionscope.engine.kernel import _in_force

        places = kernel._places
        self.codes = codes
        n = len(kernel.measures)
        rng = np.random.default_rng(20141)
        by_key: dict[tuple[bool, str], list[int]] = {}
        for i, m in enumerate(kernel.measures):
            by_key.setdefault((m.type in IMPORT_TYPES, m.spec.imposer), []).append(i)
        self.groups: list[_Group] = []
        for (imports, _), members in by_key.items():
            side, party = (
                (places.dest_bits, places.origin_bits) if imports else (places.origin_bits, places.dest_bits)
            )
            binds = (side[members[0]] & RELEVANT) != 0
            shape = party[members[0]].shape
            _, state = np.unique(fold_rows(party[i].reshape(-1) for i in members), return_inverse=True)
            count = int(state.max()) + 1
            draws = (
                rng.integers(0, 1 << 63, count, np.uint64, endpoint=True),
                rng.integers(0, 1 << 63, count, np.uint64, endpoint=True),
            )
            self.groups.append(_Group(imports, members, binds, state.reshape(shape).astype(np.int32), draws))
        self.party = [
            places.origin_bits[i] if m.type in IMPORT_TYPES else places.dest_bits[i]
            for i, m in enumerate(kernel.measures)
        ]
        self.in_force = [[_in_force(m, day) for day in kernel.days] for m in kernel.measures]
        shape = (len(places.jids), len(kernel.days))
        self.origin_coverage = _coverage_classes(places.origin_bits[n:], shape)
        self.dest_coverage = _coverage_classes(places.dest_bits[n:], shape)
        self._binding: dict[tuple[bool, int, int], list[_Group]] = {}

    def distinct(self, e: int, origins: Ints, dests: Ints) -> tuple[Ints, Ints, Ints]:
        """The cells of epoch ``e`` over the places given (one per class): (origin,
        destination) of one cell per distinct situation, and each cell's group (origins x
        destinations)."""
        shape = (len(origins), len(dests))
        h1, h2 = np.zeros(shape, np.uint64), np.zeros(shape, np.uint64)
        for g in self.groups:
            if g.imports:  # binds the destination; the origin is the party
                hit = np.flatnonzero(g.binds[dests, e])
                if hit.size:
                    states = g.state[origins, e]
                    h1[:, hit] += g.draws[0][states][:, None]
                    h2[:, hit] += g.draws[1][states][:, None]
            else:
                hit = np.flatnonzero(g.binds[origins, e])
                if hit.size:
                    states = g.state[dests, e]
                    h1[hit, :] += g.draws[0][states][None, :]
                    h2[hit, :] += g.draws[1][states][None, :]
        o_cov, d_cov = self.origin_coverage, self.dest_coverage
        width = int(d_cov.max()) + 1 if d_cov.size else 1
        cov = (o_cov[origins, e].astype(np.int64)[:, None] * width + d_cov[dests, e][None, :]).reshape(-1)
        keys = np.stack([h1.reshape(-1), h2.reshape(-1), cov.astype(np.uint64)], axis=1)
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        o_of, d_of = np.divmod(first, len(dests))
        return origins[o_of], dests[d_of], inverse.reshape(shape).astype(np.int32)

    def measures_of(self, e: int, o: int, d: int) -> list[tuple[Any, ...]]:
        """Per measure that bites the cell: (measure, party bits, in force, code state)."""
        out: list[tuple[Any, ...]] = []
        for g in self._bound(True, e, d):
            out += [
                (i, int(self.party[i][o, e]), self.in_force[i][e], self.codes.state(i, e)) for i in g.measures
            ]
        for g in self._bound(False, e, o):
            out += [
                (i, int(self.party[i][d, e]), self.in_force[i][e], self.codes.state(i, e)) for i in g.measures
            ]
        out.sort(key=lambda entry: int(entry[0]))
        return out

    def _bound(self, imports: bool, e: int, place: int) -> list[_Group]:
        key = (imports, e, place)
        found = self._binding.get(key)
        if found is None:
            found = self._binding[key] = [
                g for g in self.groups if g.imports == imports and g.binds[place, e]
            ]
        return found


def _coverage_classes(bits: list[npt.NDArray[np.int8]], shape: tuple[int, int]) -> Ints:
    """Place x epoch: the places' coverage bits (risks, declarations, surveys), numbered."""
    if not bits:
        return np.zeros(shape, np.int32)
    _, inverse = np.unique(fold_rows(b.reshape(-1) for b in bits), return_inverse=True)
    found: Ints = inverse.reshape(bits[0].shape).astype(np.int32)
    return found
