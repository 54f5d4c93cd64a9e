"""Places for the batch kernel: jurisdictions grouped by how they stand to the measures.

Two jurisdictions that every trade measure, goods measure and coverage declaration treats
alike on every epoch (as imposer, as target, as partner) get the same answers, so the
kernel keys them together.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from sanctionscope.engine.classes import day_number
from sanctionscope.engine.coverage import home
from sanctionscope.engine.goods_risk import GOODS_SCOPES, risk_target, target_includes
from sanctionscope.engine.state import ExceptionState, LineState, MeasureState, TargetState
from sanctionscope.model.acts import ALL_PARTNERS, IMPORT_TYPES
from sanctionscope.model.coverage import DeclarationSpec
from sanctionscope.model.jurisdictions import Inclusion
from sanctionscope.model.surveys import SurveySpec

if TYPE_CHECKING:
    from sanctionscope.engine.kernel import Ints, Kernel

RELEVANT = 8  # place bit: the measure's imposer binds the place on the side that counts

#: Small integer bits per place (or class) and epoch.
Bits = npt.NDArray[np.int8]
#: Records with a period and suspensions.
Record = MeasureState | TargetState | LineState | ExceptionState


class Places:
    """Jurisdictions grouped by how the trade measures' imposers and targets cover them.

    Only jurisdictions some measure names (and members of named blocs) can differ from
    the rest; every other country shares place 0, and a subdivision not named anywhere
    shares its country's place.
    """

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.jur = kernel.index.dataset.jurisdictions
        named = {
            j
            for m in [*kernel.measures, *kernel.risks]
            for t in m.targets
            for j in (m.spec.imposer, t.jurisdiction, *t.excluding)
        }
        named |= {j for d in kernel.declarations for j in (d.imposer, *d.partners)}
        named |= {s.imposer for s in kernel.surveys}
        # a territory surveyed through states differs from an untouched country
        named |= {t for t in self.jur.territories if self.jur.surveyed_through(t)}
        named.discard(ALL_PARTNERS)
        self._surveyed = {s.imposer for s in kernel.surveys}
        # a measure on a subdivision puts its country's goods at risk: the country differs
        named |= {parent for j in named if (parent := self.jur.parent(j)) is not None}
        members = {c for j in named for c in self.jur.ever_members(j)}
        touched = sorted(named | members)
        self.jids = [_untouched(touched, self.jur.iso.countries), *touched]
        self.slot = {j: i for i, j in enumerate(self.jids)}
        #: per measure, risk, declaration and survey: its bits by place and epoch
        self.origin_bits: list[Bits] = []
        self.dest_bits: list[Bits] = []
        self._examples: dict[str, npt.NDArray[np.intp]] = {}
        self._memo: dict[tuple[object, ...], Bits] = {}
        self._span_days: list[date] | None = None
        self._span_of_epoch = np.zeros(0, np.intp)
        self._day_numbers = np.array([day_number(d) for d in kernel.days], np.int64)

    def keep_keys_only(self) -> None:
        """Drop what building needs (every bit array): a kernel built for every pair only
        looks places up (:meth:`slot_of`)."""
        self.origin_bits, self.dest_bits = [], []
        self._examples, self._memo = {}, {}

    def slot_of(self, jid: str | None) -> int:
        if jid is None:
            return len(self.jids)  # the sentinel place
        slot = self.slot.get(jid)
        if slot is None:
            parent = self.jur.parent(jid)
            slot = self.slot.get(parent, 0) if parent else 0
        return slot

    def classes(self) -> tuple[Ints, Ints]:
        """Origin and destination class of each place on each epoch.

        Computed with numpy: the jurisdiction questions (inclusion, binding, naming) depend
        on the day only through the span between two membership changes, so each is asked
        once per place and such span; the records' own periods are day-number masks.
        """
        k = self.kernel
        for m in k.measures:
            party = self._party(m)
            side = self._bound(m.spec.imposer) * np.int8(RELEVANT)
            imports = m.type in IMPORT_TYPES
            self.origin_bits.append(party if imports else side)
            self.dest_bits.append(side if imports else party)
        # coverage: the same bits whichever the role (goods risk is two-way)
        extra = [self._risk(m) for m in k.risks]
        extra += [self._declaration_grid(x) for x in k.declarations]
        # a survey speaks for its members only through memberships, which change by day
        extra += [self._grid(partial(self._survey_bits, x), None if x.members else ()) for x in k.surveys]
        self.origin_bits += extra
        self.dest_bits += extra
        return self._intern("origin", self.origin_bits), self._intern("dest", self.dest_bits)

    # -- place x epoch arrays ------------------------------------------------------------
    def _spans(self) -> tuple[list[date], npt.NDArray[np.intp]]:
        """A day of each membership span the epochs meet, and the span of each epoch.
        Membership spans are cut where a bloc membership starts, ends or stops being
        unclear: every jurisdiction question gives the same answer within one."""
        if self._span_days is None:
            cuts = self.jur.change_days()
            spans = [bisect_right(cuts, day) for day in self.kernel.days]
            first: dict[int, date] = {}
            for span, day in zip(spans, self.kernel.days, strict=True):
                first.setdefault(span, day)
            order = {span: i for i, span in enumerate(first)}
            self._span_days = list(first.values())
            self._span_of_epoch = np.array([order[span] for span in spans], np.intp)
        return self._span_days, self._span_of_epoch

    def _grid(self, question: Callable[[str, date], int | bool], naming: Iterable[str] | None = None) -> Bits:
        """``question(place, day)`` for every place and epoch, when it depends on the day
        only through the membership span (asked once per place and span). ``naming``: the
        jurisdictions whose inclusion of a place is all the question reads; when none is
        a bloc or list, whose members change, the answer is the same on every day and is
        asked once per place."""
        days, of_epoch = self._spans()
        if naming is not None and not any(jid in self.jur.blocs for jid in naming):
            # a country, subdivision or territory includes only itself and its parts
            once = np.array([int(question(j, days[0])) for j in self.jids], np.int8)
            return np.repeat(once[:, None], len(of_epoch), axis=1)
        per_span = np.array([[int(question(j, day)) for day in days] for j in self.jids], np.int8)
        return per_span[:, of_epoch]

    def _bound(self, imposer: str) -> Bits:
        """1 where the imposer's measures bind the place (see Jurisdictions.bound_by)."""
        found = self._memo.get(("bound", imposer))
        if found is None:
            bound = partial(self.jur.bound_by, imposer)
            found = self._memo[("bound", imposer)] = self._grid(bound, [imposer])
        return found

    def _includes(self, t: TargetState) -> Bits:
        """How the target includes each place: 0 no, 1 unclear, 2 yes (target_includes)."""
        key = ("includes", t.jurisdiction, t.excluding)
        found = self._memo.get(key)
        if found is None:
            code = {Inclusion.no: 0, Inclusion.unclear: 1, Inclusion.yes: 2}
            found = self._memo[key] = self._grid(
                lambda j, day: code[target_includes(self.jur, t, j, day)], _naming(t)
            )
        return found

    def _at_risk(self, t: TargetState) -> Bits:
        key = ("risk", t.jurisdiction, t.excluding, t.scope)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._grid(lambda j, day: risk_target(self.jur, t, j, day), _naming(t))
        return found

    def _active(self, record: Record) -> npt.NDArray[np.bool_]:
        return live_on(record, self._day_numbers)

    def _by_grid(
        self, grid: Callable[[TargetState], Bits], targets: Iterable[TargetState]
    ) -> list[tuple[Bits, npt.NDArray[np.bool_]]]:
        """Each distinct place x epoch grid of the targets (``grid`` memoises them, so one
        object per key) with the epochs on which some target of that grid is in force, as a
        row: a measure's many targets of one jurisdiction (one per act that prolonged or
        renamed it) cost one pass over the grid, not one each."""
        live: dict[int, tuple[Bits, npt.NDArray[np.bool_]]] = {}
        for t in targets:
            found = grid(t)
            if id(found) in live:
                live[id(found)][1][:] |= self._active(t)
            else:
                live[id(found)] = (found, self._active(t).copy())
        return [(found, days[None, :]) for found, days in live.values()]

    def _party(self, m: MeasureState) -> Bits:
        """ever | some << 1 | sure << 2: may a goods target include the party (whatever
        its period), does one in force on the epoch, does one surely."""
        shape = (len(self.jids), len(self.kernel.days))
        ever, some, sure = np.zeros(shape, np.bool_), np.zeros(shape, np.bool_), np.zeros(shape, np.bool_)
        for inc, live in self._by_grid(self._includes, [t for t in m.targets if t.scope in GOODS_SCOPES]):
            ever |= inc != 0
            some |= (inc != 0) & live
            sure |= (inc == 2) & live
        bits: Bits = ever.astype(np.int8) | some.astype(np.int8) << 1 | sure.astype(np.int8) << 2
        return bits

    def _risk(self, m: MeasureState) -> Bits:
        """binds | hit << 1 | mine << 2: the imposer binds the place; a target in force
        puts goods to or from it at risk; the place's own country imposes the measure."""
        hit = np.zeros((len(self.jids), len(self.kernel.days)), np.bool_)
        for at_risk, live in self._by_grid(self._at_risk, m.targets):
            hit |= at_risk.astype(np.bool_) & live
        bits: Bits = self._bound(m.spec.imposer) | hit.astype(np.int8) << 1 | self._mine(m.spec.imposer) << 2
        return bits

    def _declaration_grid(self, decl: DeclarationSpec) -> Bits:
        """binds | named << 1 | mine << 2: the declaring imposer binds the place; a partner
        it vouches for includes the place surely (every place when it names none); the
        place's own country declares it. Built from grids shared by every declaration."""
        named = np.ones((len(self.jids), len(self.kernel.days)), np.bool_)
        if decl.partners:
            named[:] = False
            for partner in decl.partners:
                named |= self._named(partner)
        bits: Bits = self._bound(decl.imposer) | named.astype(np.int8) << 1 | self._mine(decl.imposer) << 2
        return bits

    def _named(self, partner: str) -> npt.NDArray[np.bool_]:
        """Where the partner (a country, bloc or list) surely includes the place."""
        found = self._memo.get(("named", partner))
        if found is None:
            found = self._memo[("named", partner)] = self._grid(
                lambda j, day: self.jur.includes(partner, j, day) == Inclusion.yes, [partner]
            )
        return found.astype(np.bool_)

    def _mine(self, imposer: str) -> Bits:
        """1 where the place's own country is the imposer (one column: any epoch)."""
        found = self._memo.get(("mine", imposer))
        if found is None:
            found = self._memo[("mine", imposer)] = np.array(
                [imposer == home(self.jur, j) for j in self.jids], np.int8
            )[:, None]
        return found

    def _survey_bits(self, survey: SurveySpec, jid: str, day: date) -> int:
        """1 when the survey speaks for the place's country on the day: its own, or a
        union's that vouches for its members (``members: true``) while it binds it."""
        country = home(self.jur, jid)
        through = self.jur.surveyed_through(country)
        if through:
            # a territory stands when every one of these states does (bit 2: required);
            # one that has no survey at all can never stand
            required = survey.imposer in through and all(s in self._surveyed for s in through)
            return 3 if required else 0
        if survey.imposer == country:
            return 1
        return int(survey.members and survey.imposer in self.jur.imposers(country, day))

    def _intern(self, role: str, bits: list[Bits]) -> Ints:
        """Number the (place, epoch) signatures over every bit array. The bits stay indexed
        by place: the places of one class on an epoch have equal bits on it, so a class is
        read through its representative place (:meth:`representatives`)."""
        n_places, n_epochs = len(self.jids), len(self.kernel.days)
        keys = fold_rows(b.reshape(-1) for b in bits) if bits else np.zeros(n_places * n_epochs, np.int64)
        _, inverse = np.unique(keys, return_inverse=True)
        out = inverse.reshape(n_places, n_epochs).astype(np.int32)
        n_classes = int(out.max()) + 1
        epochs = np.arange(n_epochs)
        examples = np.zeros((n_classes, n_epochs), np.intp)
        for x in range(n_places - 1, -1, -1):  # the first place of each class and epoch
            examples[out[x], epochs] = x
        self._examples[role] = examples
        return out

    def representatives(self, role: str) -> npt.NDArray[np.intp]:
        """Class x epoch: the first place of the class on the epoch (``origin`` or ``dest``)."""
        return self._examples[role]

    def example(self, cls: int, epoch: int, role: str) -> str:
        return self.jids[int(self._examples[role][cls, epoch])]


def _untouched(touched: list[str], countries: Iterable[str]) -> str:
    """A country no measure names: the example for place 0."""
    taken = set(touched)
    for country in sorted(countries):
        if country not in taken:
            return str(country)
    raise RuntimeError("every country is named by a measure")  # pragma: no cover


def live_on(record: Record, days: npt.NDArray[np.int64], suspensions: bool = True) -> npt.NDArray[np.bool_]:
    """Per day number: is the record live (``record.active``: within its own period and,
    with ``suspensions``, not suspended)?"""
    live = (days >= day_number(record.start)) & (days < _end_number(record.end))
    for s in record.suspended if suspensions else ():
        live &= ~((days >= day_number(s.start)) & (days < _end_number(s.end)))
    return live


def _end_number(end: date | None) -> int:
    return day_number(end) if end is not None and end < date.max else 1 << 40


def fold_rows(columns: Iterable[npt.NDArray[Any]]) -> npt.NDArray[np.int64]:
    """One integer per position, equal exactly where every column is equal (columns of
    small non-negative integers, folded in one by one and renumbered before the
    products could overflow). Many columns repeat one another (the measures of one
    imposer, one target list): an equal column refines nothing and is folded once."""
    keys: npt.NDArray[np.int64] | None = None
    span = 1
    for column in {(column.dtype.str, column.shape, column.tobytes()): column for column in columns}.values():
        values = column.astype(np.int64)
        width = int(values.max()) + 1 if values.size else 1
        if keys is None:
            keys, span = values.copy(), width
            continue
        if span * width >= 1 << 62:
            _, inverse = np.unique(keys, return_inverse=True)
            keys = inverse.reshape(-1).astype(np.int64)
            span = int(keys.max()) + 1
        keys = keys * width + values
        span *= width
    if keys is None:
        raise ValueError("no columns")
    return keys


def _naming(target: TargetState) -> tuple[str, ...]:
    """The jurisdictions whose inclusion of a place decides how the target stands to it:
    the target's own, or for all partners the ones it leaves out."""
    return target.excluding if target.jurisdiction == ALL_PARTNERS else (target.jurisdiction,)
