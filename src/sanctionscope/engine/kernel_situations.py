"""What a cell's situation is and how ``check`` gives its row of answers, for :mod:`kernel`.

Kept apart from the kernel's tables (keys, the situation table, rows shared, laziness)
because this is the part that must agree with ``check``: every answer is ``check``'s own,
asked once per signature, so the kernel is right exactly when a signature names every
input ``check`` reads (the measures that speak, the coverage entry, the scopes and goods
ranges it depends on); reading this module and :mod:`kernel_coverage` (the coverage
entry of a cell) is how a missing input is found.
:class:`Outcome` is here because it is what ``check``'s answer becomes in the tables.

:class:`~sanctionscope.engine.kernel.Kernel` inherits :class:`SituationAnswers` and sets
the attributes it declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from sanctionscope.engine.answer import Answer, Question
from sanctionscope.engine.check import check
from sanctionscope.engine.coverage import SideCoverage, Status, reaches
from sanctionscope.engine.kernel_coverage import CoverageSituations
from sanctionscope.engine.places import fold_rows
from sanctionscope.model.coverage import Direction

if TYPE_CHECKING:
    import threading

    from sanctionscope.engine.classes import CodeClasses
    from sanctionscope.engine.code_outcomes import CodeOutcomes

Ints = npt.NDArray[np.int32]
#: Per measure that bites, its state; last, the coverage entry (see _coverage_situation).
Situation = tuple[tuple[Any, ...], ...]

#: Outcome id meaning "not in the tables: ask ``check`` for this row".
ASK = -1


@dataclass(frozen=True)
class Outcome:
    """What the screen writes for a row (the columns added to the input)."""

    verdict: str
    measure_id: str
    act_id: str
    reason_code: str
    exceptions: str
    #: the coverage declarations the answer relied on
    coverage: str
    #: the sides not vouched for, as imposer:direction:reason
    not_covered: str

    @classmethod
    def of(cls, answer: Answer) -> Outcome:
        first = answer.deciding[0] if answer.deciding else None
        cov = answer.coverage
        return cls(
            answer.verdict.value,
            first.measure.id if first else "",
            first.measure.act.id if first else "",
            answer.reason.value,
            ";".join(e.id for e in answer.exceptions),
            ";".join(d.id for d in cov.relied_on) if cov else "",
            ";".join(_not_covered(s) for s in cov.missing) if cov else "",
        )


def _not_covered(side: SideCoverage) -> str:
    """``imposer:direction:reason``; a side not surveyed is its own country's, which the
    row names already: written ``origin:export:not_surveyed`` (or ``destination:import``),
    so that every unsurveyed country shares the kernel's tables (docs/screening.md)."""
    who = side.imposer
    if side.status == Status.not_surveyed:
        who = "destination" if side.direction == Direction.import_ else "origin"
    return f"{who}:{side.direction.value}:{side.status.value}"


class SituationAnswers(CoverageSituations):
    """The situations' rows of answers and the outcomes they number (see the module
    docstring); a base of :class:`~sanctionscope.engine.kernel.Kernel`."""

    codes: CodeClasses
    outcomes: list[Outcome]
    _outcome_ids: dict[Outcome, int]
    _lock: threading.Lock
    _in_scope: list[Ints]
    _reaches: dict[tuple[str, ...], Ints]
    _usable: npt.NDArray[Any]
    _partitions: dict[Any, tuple[Ints, Ints, Ints]]
    _signatures: dict[Any, int]

    def outcome_id(self, outcome: Outcome) -> int:
        found = self._outcome_ids.get(outcome)
        if found is None:
            with self._lock:  # screens may run chunks on several threads
                found = self._outcome_ids.get(outcome)
                if found is None:
                    found = self._outcome_ids[outcome] = len(self.outcomes)
                    self.outcomes.append(outcome)
        return found

    @staticmethod
    def _live_declarations(sit: Situation) -> list[int]:
        """The declarations whose product scopes the situation's answers depend on."""
        entry = sit[-1]
        found = {j for part in entry[1:] for j, _ in part[2]}
        return sorted(found)

    def _reach(self, k: int) -> Ints:
        """Does the goods range of risk ``k`` (a regime-level record) reach each code class?
        One vector per distinct range (most records share one: all goods)."""
        key = tuple(self.risks[k].spec.goods_range)
        found = self._reaches.get(key)
        if found is None:
            spec = self.risks[k].spec
            found = np.array([x is not None and reaches(spec, x) for x in self.codes.examples], np.int32)
            self._reaches[key] = found
        return found

    @staticmethod
    def _live_regimes(sit: Situation) -> list[int]:
        """The regime-level records (not held) whose goods ranges the answers depend on."""
        entry = sit[-1]
        found = {k for part in entry[1:] if part[1] != "<own>" for k in part[3]}
        return sorted(found)

    def _answer_row(self, e: int, o: int, d: int, sit: Situation, codes: CodeOutcomes) -> Ints:
        usable = self._usable
        row = np.full(len(self.codes) + 1, ASK, np.int32)
        entries = [entry for entry in sit if entry[0] >= 0]
        profile = tuple((entry[0], entry[3]) for entry in entries)
        live = (tuple(self._live_declarations(sit)), tuple(self._live_regimes(sit)))
        first, inverse, reps = self._partition(profile, live, codes)
        values = reps.tolist()  # Python ints: read element by element below
        ids = [
            self._signed(e, o, d, sit, entries, values[local], int(usable[k]), codes)
            for local, k in enumerate(first.tolist())
        ]
        row[usable] = np.array(ids, np.int32)[inverse]
        return row

    def _partition(
        self,
        profile: tuple[tuple[int, int], ...],
        live: tuple[tuple[int, ...], tuple[int, ...]],
        codes: CodeOutcomes,
    ) -> tuple[Ints, Ints, Ints]:
        """The usable code classes grouped by how the profile's measures (in their code
        states) and live declarations and regime records see them: (a class of each group,
        the group of each class, each group's values). Memoised: many situations share
        a profile (they differ in the parties and periods, not in the lists)."""
        found = self._partitions.get((profile, live))
        if found is None:
            usable = self._usable
            vectors = [codes.vector(i, state)[usable] for i, state in profile]
            vectors += [self._in_scope[j][usable] for j in live[0]]
            vectors += [self._reach(k)[usable] for k in live[1]]
            if not vectors:
                found = (np.zeros(1, np.int32), np.zeros(len(usable), np.int32), np.zeros((1, 0), np.int32))
            else:
                stack = np.stack(vectors, axis=1)
                _, first, inverse = np.unique(fold_rows(stack.T + 1), return_index=True, return_inverse=True)
                found = (first.astype(np.int32), inverse.reshape(-1).astype(np.int32), stack[first])
            self._partitions[(profile, live)] = found
        return found

    def _signed(
        self,
        e: int,
        o: int,
        d: int,
        sit: Situation,
        entries: list[tuple[Any, ...]],
        values: list[int],
        code_class: int,
        codes: CodeOutcomes,
    ) -> int:
        """The outcome of one code group of a situation, through ``check`` once per
        signature: the measures that speak (whose targets may include the party, or that
        list the code, or that cover all goods: any other measure's evaluation is neither
        decisive nor related, so it cannot change the answer), with their party bits, in
        force state and match kind, and the coverage entry with the scopes it reads."""
        n = len(entries)
        banned = self._banned(entries, values, codes)
        if banned:
            return self._signature((banned, sit[-1], tuple(values[n:])), e, o, d, code_class)
        speaking: list[tuple[int, int, int, int]] = []
        seen: set[int] = set()
        for i, x in enumerate(entries):
            if not (x[1] & 1 or codes.all_goods[x[0]] or codes.lists[x[0]][code_class]):
                continue
            value = values[i]
            if x[2] != 1:
                # out of force: check matches no line; of the code it reads only whether
                # some line lists it (how close the measure comes: answer.closeness)
                value = int(codes.lists[x[0]][code_class])
            elif not x[1] & 2 and value >= 0:
                # in force, no target in force includes the party: "origin not targeted",
                # ranked by whether a line matched and whether one lists the code
                value = codes.untargeted[x[0]][value]
            if not x[1] & 1:
                # no target ever includes the party: out of force, check does not evaluate
                # the measure; in force, it only explains an answer that no measure decides
                # ("not targeted", ranked by its match: the value above, which means the
                # same for every measure), and of equal ones the first in order is named
                if x[2] != 1 or value in seen:
                    continue
                seen.add(value)
            speaking.append((x[0], x[1], x[2], value))
        return self._signature((tuple(speaking), sit[-1], tuple(values[n:])), e, o, d, code_class)

    @staticmethod
    def _banned(
        entries: list[tuple[Any, ...]], values: list[int], codes: CodeOutcomes
    ) -> tuple[tuple[int, tuple[str, ...]], ...]:
        """The measures that ban the code group (in force, a target in force surely
        including the party, a line matched and the code not carved out), each with the
        exceptions by description it lists. When there is one, the answer is BANNED and
        names the first; it reads nothing else of the measures (check: ``_decide``)."""
        found = []
        for i, x in enumerate(entries):
            if x[2] == 1 and x[1] & 4 and values[i] >= 0:
                described = codes.banning[x[0]][values[i]]
                if described is not None:
                    found.append((int(x[0]), described))
        return tuple(found)

    def _signature(self, key: tuple[Any, ...], e: int, o: int, d: int, code_class: int) -> int:
        found = self._signatures.get(key)
        if found is None:
            found = self._signatures[key] = self._ask_check(e, o, d, code_class)
        return found

    def _ask_check(self, e: int, o: int, d: int, code_class: int) -> int:
        example = self.codes.examples[code_class]
        if example is None:
            return ASK
        origin, dest = self._places.jids[o], self._places.jids[d]  # the cell's places
        q = Question(
            origin, dest, example, self.days[e], self.as_known_on, grace_days=self.grace_days, side=self.side
        )
        return self.outcome_id(Outcome.of(check(self.index, q)))
