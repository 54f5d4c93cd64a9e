"""Places for the batch kernel: jurisdictions grouped by how they stand to the measures.

Two jurisdictions that every trade measure, goods measure and coverage declaration treats
alike on every epoch (as imposer, as target, as partner) get the same answers, so the
kernel keys them together.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from sanctionscope.engine.coverage import GOODS_SCOPES, home, risk_target, target_includes
from sanctionscope.engine.state import MeasureState
from sanctionscope.model.acts import ALL_PARTNERS, IMPORT_TYPES
from sanctionscope.model.coverage import DeclarationSpec
from sanctionscope.model.jurisdictions import Inclusion
from sanctionscope.model.surveys import SurveySpec

if TYPE_CHECKING:
    from sanctionscope.engine.kernel import Ints, Kernel

RELEVANT = 8  # place bit: the measure's imposer binds the place on the side that counts


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
        named.discard(ALL_PARTNERS)
        # a measure on a subdivision puts its country's goods at risk: the country differs
        named |= {parent for j in named if (parent := self.jur.parent(j)) is not None}
        members = {c for j in named for c in self.jur.ever_members(j)}
        touched = sorted(named | members)
        self.jids = [_untouched(touched, self.jur.iso.countries), *touched]
        self.slot = {j: i for i, j in enumerate(self.jids)}
        self.origin_bits: list[list[list[int]]] = []
        self.dest_bits: list[list[list[int]]] = []
        self._examples: dict[tuple[str, int, int], str] = {}

    def slot_of(self, jid: str | None) -> int:
        if jid is None:
            return len(self.jids)  # the sentinel place
        slot = self.slot.get(jid)
        if slot is None:
            parent = self.jur.parent(jid)
            slot = self.slot.get(parent, 0) if parent else 0
        return slot

    def classes(self) -> tuple[Ints, Ints]:
        """Origin and destination class of each place on each epoch."""
        k = self.kernel
        for m in k.measures:
            party = [[self._party_bits(m, j, day) for day in k.days] for j in self.jids]
            side = [[self._side_bits(m, j, day) for day in k.days] for j in self.jids]
            imports = m.type in IMPORT_TYPES
            self.origin_bits.append(party if imports else side)
            self.dest_bits.append(side if imports else party)
        # coverage: the same bits whichever the role (goods risk is two-way)
        extra = [[[self._risk_bits(m, j, day) for day in k.days] for j in self.jids] for m in k.risks]
        extra += [
            [[self._declaration_bits(x, j, day) for day in k.days] for j in self.jids] for x in k.declarations
        ]
        extra += [[[self._survey_bits(x, j, day) for day in k.days] for j in self.jids] for x in k.surveys]
        self.origin_bits += extra
        self.dest_bits += [[list(row) for row in per] for per in extra]
        return self._intern("origin", self.origin_bits), self._intern("dest", self.dest_bits)

    def _risk_bits(self, m: MeasureState, jid: str, day: date) -> int:
        binds = self.jur.bound_by(m.spec.imposer, jid, day)
        hit = any(risk_target(self.jur, t, jid, day) for t in m.targets_on(day))
        mine = m.spec.imposer == home(self.jur, jid)  # the place's own country imposes it
        return int(binds) | int(hit) << 1 | int(mine) << 2

    def _declaration_bits(self, decl: DeclarationSpec, jid: str, day: date) -> int:
        binds = self.jur.bound_by(decl.imposer, jid, day)
        named = not decl.partners or any(
            self.jur.includes(p, jid, day) == Inclusion.yes for p in decl.partners
        )
        mine = decl.imposer == home(self.jur, jid)  # the place's own country declares it
        return int(binds) | int(named) << 1 | int(mine) << 2

    def _survey_bits(self, survey: SurveySpec, jid: str, day: date) -> int:
        """1 when the survey speaks for the place's country on the day: its own, or a
        union's that vouches for its members (``members: true``) while it binds it."""
        country = home(self.jur, jid)
        if survey.imposer == country:
            return 1
        return int(survey.members and survey.imposer in self.jur.imposers(country, day))

    def _intern(self, role: str, bits: list[list[list[int]]]) -> Ints:
        ids: dict[tuple[int, ...], int] = {}
        out = np.zeros((len(self.jids), len(self.kernel.days)), np.int32)
        for x, jid in enumerate(self.jids):
            for e in range(len(self.kernel.days)):
                sig = tuple(per_measure[x][e] for per_measure in bits)
                out[x, e] = ids.setdefault(sig, len(ids))
                self._examples.setdefault((role, int(out[x, e]), e), jid)
        # from here on, bits are indexed by class rather than place
        for i, per_measure in enumerate(bits):
            by_class: dict[int, list[int]] = {}
            for x in range(len(self.jids)):
                for e in range(len(self.kernel.days)):
                    by_class.setdefault(int(out[x, e]), [0] * len(self.kernel.days))[e] = per_measure[x][e]
            bits[i] = [by_class[c] for c in range(len(ids))]
        return out

    def example(self, cls: int, epoch: int, role: str) -> str:
        return self._examples[(role, cls, epoch)]

    def _party_bits(self, m: MeasureState, jid: str, day: date) -> int:
        goods = [t for t in m.targets if t.scope in GOODS_SCOPES]
        ever = any(target_includes(self.jur, t, jid, day) != Inclusion.no for t in goods)
        now = [target_includes(self.jur, t, jid, day) for t in goods if t.active(day)]
        some = any(c != Inclusion.no for c in now)
        sure = any(c == Inclusion.yes for c in now)
        return int(ever) | int(some) << 1 | int(sure) << 2

    def _side_bits(self, m: MeasureState, jid: str, day: date) -> int:
        return RELEVANT if self.jur.bound_by(m.spec.imposer, jid, day) else 0


def _untouched(touched: list[str], countries: Iterable[str]) -> str:
    """A country no measure names: the example for place 0."""
    taken = set(touched)
    for country in sorted(countries):
        if country not in taken:
            return str(country)
    raise RuntimeError("every country is named by a measure")  # pragma: no cover
