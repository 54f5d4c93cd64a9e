"""The batch kernel: ``check`` for whole arrays of shipments, at memory speed.

A shipment's answer depends on its day only through the epoch (see ``classes``), on its
code only through the code class, and on its origin and destination only through how
each trade measure's imposer and targets cover them on that epoch. The kernel compiles
those dependencies into small integer tables:

    epoch, origin place, destination place   -> situation   (which measures bite, how)
    situation, code class                     -> outcome     (the screen's output columns)

Every distinct situation-and-code signature is answered by ``check`` itself on an example
shipment, so the kernel cannot disagree with ``check`` unless the signature misses an
input that ``check`` reads; the tests compare both on random rows to guard that.
A row costs two array lookups and three additions once its values are keys. Rows the tables do not cover
(attested exceptions, values to reject) come back as ``ASK`` for the caller to send
through ``check`` one by one.

What keeps the build small (see issue 15, rule-set scaling):

* place bits are numpy arrays (:mod:`places`), and the cells of an epoch are grouped by
  situation with numpy before any situation is spelt out (:mod:`cells`);
* situations with equal rows of answers share the row, and situations whose measures
  see the codes alike share the grouping of the code classes (a *profile*);
* ``check`` is asked once per *signature*, not once per situation and code group: the
  measures that speak (may target the party, list the code, or cover all goods) with
  their party bits, in force state and match kind, plus the coverage entry. A measure
  that does none of these yields an evaluation that is neither decisive nor related, so
  it cannot change the answer, and leaving it out lets situations share answers;
* above :data:`EAGER_CELLS` cells the kernel is *lazy*: situations are built for the
  place pairs a screen meets (:meth:`Kernel.ensure`, called by the encoder with each
  chunk's keys), and the rows of answers are bounded by :data:`MAX_TABLE_BYTES`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from sanctionscope.codes import significant
from sanctionscope.engine.answer import Answer, Question
from sanctionscope.engine.cells import Cells
from sanctionscope.engine.check import check
from sanctionscope.engine.classes import CodeClasses, data_epochs, day_number
from sanctionscope.engine.code_outcomes import CodeOutcomes
from sanctionscope.engine.compile import Index
from sanctionscope.engine.coverage import (
    DEFAULT_GRACE_DAYS,
    Side,
    SideCoverage,
    Status,
    in_scope,
    reaches,
    stale,
    stale_from,
    unheld_regime,
)
from sanctionscope.engine.places import Places
from sanctionscope.engine.state import MeasureState
from sanctionscope.model.acts import IMPORT_TYPES
from sanctionscope.model.coverage import DeclarationSpec, Direction
from sanctionscope.periods import in_period

Ints = npt.NDArray[np.int32]
#: Per measure that bites, its state; last, the coverage entry (see _coverage_situation).
Situation = tuple[tuple[Any, ...], ...]

#: Outcome id meaning "not in the tables: ask ``check`` for this row".
ASK = -1
#: Above this many (epoch, origin class, destination class) cells, situations are built
#: for the place pairs a screen meets (:meth:`Kernel.ensure`), not for every pair.
EAGER_CELLS = 250_000
#: The most the rows of answers may take (a rule set far larger than the pairs screened
#: need: the screen stops with :class:`KernelTooLarge` rather than exhaust memory).
MAX_TABLE_BYTES = 1 << 30


class KernelTooLarge(RuntimeError):
    """The answer tables of the pairs asked for would not fit in :data:`MAX_TABLE_BYTES`."""


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


class Kernel:
    """Integer tables compiled from one :class:`Index`; see the module docstring."""

    def __init__(
        self,
        index: Index,
        grace_days: int = DEFAULT_GRACE_DAYS,
        as_known_on: date | None = None,
        side: Side = Side.both,
    ) -> None:
        self.index = index
        self.grace_days = grace_days
        #: the as-known-on day the answers are for (staleness reads it; see staleness_key)
        self.as_known_on = as_known_on or index.as_known_on
        #: the side(s) asked about: only their measures and coverage are read
        self.side = side
        asked = side.directions
        self.measures = [
            m
            for m in index.trade_measures()
            if (Direction.import_ if m.type in IMPORT_TYPES else Direction.export) in asked
        ]
        #: every goods measure and coverage declaration: they decide the coverage columns
        self.risks = index.goods_measures()
        self.declarations = list(index.dataset.coverage.values())
        #: surveyed imposers: a side whose country is not surveyed needs coverage
        self.surveys = list(index.dataset.surveys.values())
        self.epochs = data_epochs(index, self._coverage_cuts())
        self.days = [self.epochs.day(e) for e in range(len(self.epochs))]
        written = {k for m in self.measures for k in self._written(m)}
        written |= {significant(p) for d in self.declarations for p in self._scope_codes(d)}
        written |= {
            significant(p) for m in self.risks if m.spec.level == "regime" for p in m.spec.goods_range
        }
        self.codes = CodeClasses(written)
        self._in_scope = [
            np.array([x is not None and in_scope(d, x) for x in self.codes.examples], np.int32)
            for d in self.declarations
        ]
        #: goods range -> does it reach each code class (regime records; built on first use)
        self._reaches: dict[tuple[str, ...], Ints] = {}
        self._usable = np.array([c for c, x in enumerate(self.codes.examples) if x is not None])
        self.outcomes: list[Outcome] = []
        self._outcome_ids: dict[Outcome, int] = {}
        self._lock = threading.Lock()
        self._build_lock = threading.RLock()
        self._places = Places(self)
        self._build_tables()

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_build_lock")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._build_lock = threading.RLock()

    # -- keys: each input value becomes an offset; a row's offsets add up to its cell --
    @property
    def epoch_count(self) -> int:
        return len(self.days)

    def day_key(self, day: date | None) -> int:
        """Key of a day (None, a value to reject, gets the sentinel epoch's)."""
        epoch = self._ask_epoch if day is None else self.epochs.of(day)
        return epoch * self._epoch_stride

    def day_keys(self, days: Ints) -> Ints:
        """Keys of day numbers (days since 1970-01-01), vectorised."""
        # mode="clip" sends days before the first cut to epoch 0, after the last to the last
        return np.take(self._day_table, np.subtract(days, self._day_lo, dtype=np.int32), mode="clip")

    def origin_key(self, jid: str | None) -> int:
        """Key of a resolved jurisdiction as origin (None: sentinel)."""
        return int(self._origin_keys[self._places.slot_of(jid)])

    def destination_key(self, jid: str | None) -> int:
        return int(self._dest_keys[self._places.slot_of(jid)])

    def code_key(self, code: str | None) -> int:
        """Key of a normalised code: its class (None: sentinel)."""
        return self._ask_code if code is None else self.codes.classify(code)

    # -- the kernel ------------------------------------------------------------------
    def run(self, day: Ints, places: Ints, code: Ints) -> Ints:
        """Outcome ids (or ASK) for rows given as keys; ``day`` is overwritten (scratch).

        ``places`` is origin key + destination key. Four passes over the rows: an addition
        gives the situation cell, a lookup the situation's row of answers, an addition and
        a lookup the answer.
        """
        np.add(day, places, out=day)
        row = np.take(self._situation, day, mode="clip")
        np.add(row, code, out=row)
        return np.take(self._answers, row, out=day, mode="clip")

    def verdict_counts(self, ids: Ints) -> dict[str, int]:
        """How many of ``ids`` (no ASK among them) have each verdict.

        The compiled outcomes are numbered verdict by verdict, so counting takes a few
        comparisons; outcomes met later (attested rows) are counted one by one.
        """
        below = [int(np.count_nonzero(ids < bound)) for bound in self._verdict_bounds]
        counts = {v: b - a for v, a, b in zip(self._verdict_order, [0, *below], below, strict=False)}
        if len(self.outcomes) > self._compiled:
            late = np.bincount(ids, minlength=len(self.outcomes))[self._compiled :]
            for outcome_id in np.flatnonzero(late).tolist():
                verdict = self.outcomes[self._compiled + outcome_id].verdict
                counts[verdict] = counts.get(verdict, 0) + int(late[outcome_id])
        return {v: n for v, n in counts.items() if n}

    def outcome_id(self, outcome: Outcome) -> int:
        found = self._outcome_ids.get(outcome)
        if found is None:
            with self._lock:  # screens may run chunks on several threads
                found = self._outcome_ids.get(outcome)
                if found is None:
                    found = self._outcome_ids[outcome] = len(self.outcomes)
                    self.outcomes.append(outcome)
        return found

    # -- building --------------------------------------------------------------------
    def _coverage_cuts(self) -> set[date]:
        cuts = {d.start for d in self.declarations}
        cuts |= {d.end for d in self.declarations if d.end is not None}
        cuts |= {stale_from(d, self.grace_days) for d in self.declarations}
        cuts |= {s.since for s in self.surveys} | {stale_from(s, self.grace_days) for s in self.surveys}
        return cuts

    @staticmethod
    def _scope_codes(d: DeclarationSpec) -> list[str]:
        return [*d.product_scope.include, *d.product_scope.exclude]

    def _written(self, m: MeasureState) -> set[str]:
        return set(self.index.lines_by_code.get(m.id, {})) | set(self.index.exceptions_by_code.get(m.id, {}))

    def _build_tables(self) -> None:
        """Classes, keys and the empty situation table; the situations of every place pair
        when they are few (:data:`EAGER_CELLS`), else of the pairs asked for (:meth:`ensure`)."""
        epochs, places = len(self.days), self._places
        self._ask_epoch = epochs
        self._ask_code = len(self.codes)
        origin, dest = places.classes()
        n_origin, n_dest = int(origin.max()) + 2, int(dest.max()) + 2  # + sentinel classes
        self._codes = CodeOutcomes(self)
        self._cells = Cells(self, self._codes)
        self._rows: list[Ints] = [np.full(len(self.codes) + 1, ASK, np.int32)]  # row 0: ask
        self._row_ids: dict[bytes, int] = {self._rows[0].tobytes(): 0}
        self._situations: dict[Situation, int] = {}
        self._coverage: dict[tuple[int, int, int], tuple[Any, ...]] = {}
        self._partitions: dict[Any, tuple[Ints, Ints, Ints]] = {}
        self._binding: dict[tuple[bool, int, int], list[int]] = {}
        self._signatures: dict[Any, int] = {}
        # places with the same classes on every epoch share a key (a place group)
        o_rows, o_of_place = np.unique(_with_sentinel(origin, n_origin - 1), axis=0, return_inverse=True)
        d_rows, d_of_place = np.unique(_with_sentinel(dest, n_dest - 1), axis=0, return_inverse=True)
        self._o_rows, self._d_rows = o_rows.astype(np.int32), d_rows.astype(np.int32)
        self._epoch_stride = len(o_rows) * len(d_rows)
        self._origin_keys = (o_of_place.reshape(-1) * len(d_rows)).astype(np.int32)
        self._dest_keys = d_of_place.reshape(-1).astype(np.int32)
        #: (epoch, origin group, destination group) -> offset of its row of answers; row 0
        #: (every answer ASK) until the pair is built
        self._situation = np.zeros((epochs + 1) * self._epoch_stride, np.int32)
        self._built = np.zeros((len(o_rows), len(d_rows)), np.bool_)
        self._compiled = 0
        self._verdict_order: list[str] = []
        self._verdict_bounds: list[int] = []
        self._build_day_table()
        cells = sum(len(np.unique(origin[:, e])) * len(np.unique(dest[:, e])) for e in range(epochs))
        #: situations built per place pair on demand (see :meth:`ensure`)
        self.lazy = cells > EAGER_CELLS
        self._answers = self._rows[0]
        if not self.lazy:
            self._build(np.arange(len(o_rows), dtype=np.int32), np.arange(len(d_rows), dtype=np.int32))
            self._answers = self._by_verdict(np.concatenate(self._rows))
            # every pair is built: what building needs is not kept (nor pickled in snapshots)
            self._rows, self._row_ids, self._situations, self._coverage = [], {}, {}, {}
            self._partitions, self._signatures, self._binding = {}, {}, {}

    def ensure(self, origin_keys: Ints, dest_keys: Ints) -> None:
        """Build the situations of every (origin, destination) pair of the keys given (as
        :meth:`origin_key` and :meth:`destination_key` return them), if not built yet.
        The screen calls it with each chunk's keys before :meth:`run`; rows of a pair not
        built come back ASK (answered by ``check``), never wrong."""
        o_groups = np.unique(np.asarray(origin_keys) // max(1, self._d_rows.shape[0]))
        d_groups = np.unique(np.asarray(dest_keys))
        if self._built[np.ix_(o_groups, d_groups)].all():
            return
        with self._build_lock:
            todo_o = o_groups[~self._built[np.ix_(o_groups, d_groups)].all(axis=1)]
            if todo_o.size:
                self._build(todo_o, d_groups)
                self._answers = np.concatenate(self._rows)

    def _build(self, o_groups: Ints, d_groups: Ints) -> None:
        """The situations and answer rows of the origin groups x destination groups."""
        o_rows, d_rows, cells = self._o_rows, self._d_rows, self._cells
        o_sentinel, d_sentinel = int(o_rows.max()), int(d_rows.max())
        # a class is read through its first place on the epoch (equal bits: see Places)
        o_place, d_place = self._places.representatives("origin"), self._places.representatives("dest")
        width = len(self.codes) + 1
        for e in range(len(self.days)):
            o_cls, d_cls = o_rows[o_groups, e], d_rows[d_groups, e]
            origins = np.unique(o_cls[o_cls != o_sentinel])
            dests = np.unique(d_cls[d_cls != d_sentinel])
            if not origins.size or not dests.size:
                continue
            some_o, some_d, group = cells.distinct(e, o_place[origins, e], d_place[dests, e])
            found = np.array(
                [self._row_of(e, o, d) for o, d in zip(some_o.tolist(), some_d.tolist(), strict=True)],
                np.int32,
            )
            rows = found[group]  # origins x dests
            o_at = np.minimum(np.searchsorted(origins, o_cls), len(origins) - 1)
            d_at = np.minimum(np.searchsorted(dests, d_cls), len(dests) - 1)
            offsets = rows[o_at[:, None], d_at[None, :]] * width
            offsets[(o_cls == o_sentinel)[:, None] | (d_cls == d_sentinel)[None, :]] = 0
            cell = e * self._epoch_stride + o_groups[:, None] * len(d_rows) + d_groups[None, :]
            self._situation[cell] = offsets
        self._built[np.ix_(o_groups, d_groups)] = True

    def _row_of(self, e: int, o: int, d: int) -> int:
        """The row of answers of the cell's situation (built, or shared, on first sight)."""
        cells = self._cells
        cov_key = cells.coverage_key(e, o, d)
        cov = self._coverage.get(cov_key)
        if cov is None:
            cov = self._coverage[cov_key] = self._coverage_situation(e, o, d)
        sit = (*cells.measures_of(e, o, d), cov)
        found = self._situations.get(sit)
        if found is None:
            row = self._answer_row(e, o, d, sit, self._codes)
            found = self._situations[sit] = self._row_ids.setdefault(row.tobytes(), len(self._rows))
            if found == len(self._rows):  # situations with equal answers share a row
                if (found + 1) * row.nbytes > MAX_TABLE_BYTES:
                    raise KernelTooLarge(
                        f"the batch kernel's answers would pass {MAX_TABLE_BYTES // 1_000_000} MB"
                        f" ({found + 1:,} rows of {len(row):,} code classes): screen fewer"
                        " origin-destination pairs at a time"
                    )
                self._rows.append(row)
        return found

    def _by_verdict(self, answers: Ints) -> Ints:
        """Renumber the outcomes verdict by verdict (see :meth:`verdict_counts`)."""
        order = sorted(range(len(self.outcomes)), key=lambda i: self.outcomes[i].verdict)
        new_id = np.empty(len(order) + 1, np.int32)
        new_id[order] = np.arange(len(order), dtype=np.int32)
        new_id[-1] = ASK  # index -1: ASK stays ASK
        self.outcomes = [self.outcomes[i] for i in order]
        self._outcome_ids = {o: i for i, o in enumerate(self.outcomes)}
        self._signatures = {k: int(new_id[v]) for k, v in self._signatures.items()}
        self._compiled = len(order)
        verdicts = [o.verdict for o in self.outcomes]
        self._verdict_order = sorted(set(verdicts))
        self._verdict_bounds = [len(verdicts) - verdicts[::-1].index(v) for v in self._verdict_order]
        return new_id.take(answers)

    def _coverage_situation(self, e: int, o: int, d: int) -> tuple[Any, ...]:
        """What the coverage columns read, per side: the imposers that need coverage
        (their goods measures in force bind the side and hit the partner) and, for each,
        the declarations that may vouch (in period, naming the partner) and whether stale."""
        places, day, n = self._places, self.days[e], len(self.measures)
        base = n + len(self.risks)
        surveys = base + len(self.declarations)
        known = self.as_known_on
        out: list[Any] = [-1]  # marks the coverage entry apart from the measures'
        for direction, side, partner, own, other in (
            (Direction.import_, d, o, places.dest_bits, places.origin_bits),
            (Direction.export, o, d, places.origin_bits, places.dest_bits),
        ):
            if direction not in self.side.directions:
                continue
            binding = self._risks_binding(own is places.dest_bits, side, e)
            hits = [k for k in binding if other[n + k][partner][e] & 2]
            needing = sorted({self.risks[k].spec.imposer for k in hits})
            for imposer in needing:
                vouching = tuple(
                    (j, int(stale(x, day, known, self.grace_days)))
                    for j, x in enumerate(self.declarations)
                    if x.imposer == imposer
                    and x.direction == direction
                    and in_period(day, x.start, x.end)
                    and other[base + j][partner][e] & 2
                )
                # regime-level records restricting goods whose lists are not held that day
                unheld = tuple(
                    k
                    for k in hits
                    if self.risks[k].spec.imposer == imposer and unheld_regime(self.index, self.risks[k], day)
                )
                out.append((direction.value, imposer, vouching, unheld))
            if not self.surveys:
                continue
            # the side's own country needs coverage when it is not a surveyed imposer on
            # the day, unless it is listed already (goods measures of its own)
            own_listed = any(own[n + k][side][e] & 4 for k in hits)
            stands = any(
                own[surveys + j][side][e] & 1 and x.since <= day and not stale(x, day, known, self.grace_days)
                for j, x in enumerate(self.surveys)
            )
            if own_listed or stands:
                continue
            mine = tuple(
                (j, int(stale(x, day, known, self.grace_days)))
                for j, x in enumerate(self.declarations)
                if own[base + j][side][e] & 4
                and x.direction == direction
                and in_period(day, x.start, x.end)
                and other[base + j][partner][e] & 2
            )
            out.append((direction.value, "<own>", mine))
        return tuple(out)

    def _risks_binding(self, dest: bool, side: int, e: int) -> list[int]:
        """The goods measures in force on epoch ``e`` whose imposer binds the side's place
        (a destination when ``dest``), memoised."""
        key = (dest, side, e)
        found = self._binding.get(key)
        if found is None:
            places, n, day = self._places, len(self.measures), self.days[e]
            own = places.dest_bits if dest else places.origin_bits
            found = self._binding[key] = [
                k for k, m in enumerate(self.risks) if own[n + k][side, e] & 1 and m.active(day)
            ]
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
        ids = [
            self._signed(e, o, d, sit, entries, reps[local], int(usable[k]), codes)
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
                _, first, inverse = np.unique(_row_keys(stack), return_index=True, return_inverse=True)
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
        values: Ints,
        code_class: int,
        codes: CodeOutcomes,
    ) -> int:
        """The outcome of one code group of a situation, through ``check`` once per
        signature: the measures that speak (whose targets may include the party, or that
        list the code, or that cover all goods: any other measure's evaluation is neither
        decisive nor related, so it cannot change the answer), with their party bits, in
        force state and match kind, and the coverage entry with the scopes it reads."""
        n = len(entries)
        speaking = tuple(
            (x[0], x[1], x[2], int(values[i]))
            for i, x in enumerate(entries)
            if x[1] & 1 or codes.all_goods[x[0]] or codes.lists[x[0]][code_class]
        )
        key = (speaking, sit[-1], tuple(values[n:].tolist()))
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

    def _build_day_table(self) -> None:
        cuts = self.epochs.cuts
        lo, hi = day_number(cuts[0]) - 1, day_number(cuts[-1])
        self._day_lo = np.int32(lo)
        span = np.arange(lo, hi + 1)
        cut_days = np.array([day_number(c) for c in cuts])
        epochs = np.searchsorted(cut_days, span, side="right")
        self._day_table = (epochs * self._epoch_stride).astype(np.int32)


def _in_force(m: MeasureState, day: date) -> int:
    """1 in force, 2 not yet, 4 not yet and its act not signed yet, 3 suspended, 0 no
    longer (``check`` gives each its reason and closeness)."""
    if m.active(day):
        return 1
    if day < m.start:
        return 4 if m.act.signed > day else 2
    return 3 if m.suspension_on(day) is not None else 0


def _row_keys(stack: Ints) -> npt.NDArray[np.int64]:
    """One integer per row of small non-negative-or--1 integers, equal exactly when the
    rows are equal (columns folded in one by one, renumbered before they could overflow)."""
    values = stack.astype(np.int64) + 1
    keys = values[:, 0].copy()
    span = int(keys.max()) + 1
    for column in values.T[1:]:
        width = int(column.max()) + 1
        if span * width >= 1 << 62:
            _, keys = np.unique(keys, return_inverse=True)
            keys = keys.reshape(-1).astype(np.int64)
            span = int(keys.max()) + 1
        keys = keys * width + column
        span *= width
    return keys


def _with_sentinel(classes: Ints, sentinel: int) -> Ints:
    """Place x epoch classes plus a sentinel epoch column and a sentinel place row."""
    places, epochs = classes.shape
    out = np.full((places + 1, epochs + 1), sentinel, np.int32)
    out[:places, :epochs] = classes
    return out
