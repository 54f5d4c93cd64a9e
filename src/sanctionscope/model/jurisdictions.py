"""Jurisdictions: countries, subdivisions, territories and blocs with membership over time.

Countries (ISO 3166-1 alpha-2) and subdivisions (ISO 3166-2) come from pycountry; blocs
and territories come from ``data/jurisdictions.yaml`` through :class:`JurisdictionSpec`.
A target ``EU`` on day D means the members on D (membership periods are half-open).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from sanctionscope.errors import InputError
from sanctionscope.model.acts import ALL_PARTNERS, Source, Spec
from sanctionscope.model.iso import IsoTables
from sanctionscope.model.memo import Memo
from sanctionscope.periods import in_period


class MembershipSpec(Spec):
    country: str
    start: date
    end: date | None = None
    #: After ``end`` and before this day, coverage by the bloc is legally unclear
    #: (the Brexit transition period).
    unclear_until: date | None = None
    #: The act that put the country on a list made by acts (required for lists), and
    #: the act that took it off (when ``end`` is set by one).
    act: str | None = None
    removed_by: str | None = None


class BlocSpec(Spec):
    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_]{1,23}$")
    name: str
    #: union: a bloc whose law binds its members (the EU), so it imposes measures on
    #: their behalf; list: a list made by an act (a target, never an imposer)
    kind: Literal["union", "list"] = "union"
    note: str | None = None
    sources: list[Source] = Field(min_length=1)
    include: list[str] = []
    members: list[MembershipSpec] = []


class TerritorySpec(Spec):
    id: str = Field(pattern=r"^[A-Z][A-Z-]+$")
    name: str
    aliases: list[str] = []
    note: str | None = None
    #: the states whose sanctions regimes may bind goods leaving or entering the territory
    #: (the state it belongs to under international law, the state administering it): its
    #: side of a shipment is vouched for by surveys only when each of them is surveyed.
    #: A statement about which law may apply, not about sovereignty.
    surveyed_through: list[str] = []


class JurisdictionSpec(Spec):
    blocs: list[BlocSpec]
    territories: list[TerritorySpec] = []
    aliases: dict[str, str] = {}


class Inclusion(StrEnum):
    """Whether a target jurisdiction (a country, a bloc, a territory) includes another one on a day."""

    yes = "yes"
    no = "no"
    unclear = "unclear"


@dataclass(frozen=True)
class Unclear:
    """Why coverage is unclear: the bloc, the member and the window."""

    bloc: str
    member: str
    start: date
    end: date


class Jurisdictions:
    """Resolves user input to canonical ids and answers membership questions."""

    def __init__(self, spec: JurisdictionSpec) -> None:
        self.blocs = {b.id: b for b in spec.blocs}
        self.territories = {t.id: t for t in spec.territories}
        self._aliases = {k.casefold(): v for k, v in spec.aliases.items()}
        #: days on which some membership starts, ends or stops being unclear: between two
        #: of them every answer below is the same, so memos are keyed by that span (its
        #: "epoch"), not by the day, and hold a bounded number of entries
        self._cuts = sorted(
            {d for b in spec.blocs for m in b.members for d in (m.start, m.end, m.unclear_until) if d}
        )
        self._members: Memo[tuple[str, int], frozenset[str]] = Memo(_DAY_MEMO)
        #: memo of includes(): answered millions of times by the batch kernel and check
        self._included: Memo[tuple[str, str, int], Inclusion] = Memo(_MEMO_LIMIT)
        self._imposers: Memo[tuple[str, int], tuple[str, ...]] = Memo(_DAY_MEMO)
        self._unions = [b.id for b in spec.blocs if b.kind == "union"]
        self._iso: IsoTables | None = None
        for territory in spec.territories:
            for alias in (territory.name, *territory.aliases):
                self._aliases[alias.casefold()] = territory.id
        for bloc in spec.blocs:
            self._aliases[bloc.name.casefold()] = bloc.id

    # -- identity -----------------------------------------------------------------
    def exists(self, jid: str) -> bool:
        """True for a canonical id: alpha-2 country, ISO 3166-2 code, territory or bloc."""
        if jid in self.blocs or jid in self.territories:
            return True
        if len(jid) == 2:
            return jid in self.iso.countries
        return "-" in jid and jid in self.iso.subdivisions

    def kind(self, jid: str) -> str:
        if jid == ALL_PARTNERS:
            return "all"
        if jid in self.blocs:
            return "bloc"
        if jid in self.territories:
            return "territory"
        return "country" if len(jid) == 2 else "subdivision"

    def name(self, jid: str) -> str:
        if jid == ALL_PARTNERS:
            return "all partners"
        if jid in self.blocs:
            return self.blocs[jid].name
        if jid in self.territories:
            return self.territories[jid].name
        names = self.iso.countries if len(jid) == 2 else self.iso.subdivisions
        return names.get(jid, jid)

    def resolve(self, text: str, field: str) -> str:
        """Canonical id for ISO2, ISO3, ISO 3166-2, a name or an alias; else InputError."""
        value = (text or "").strip()
        if not value:
            raise InputError(field, text, "is empty; give a country as ISO2, ISO3 or name")
        alias = self._aliases.get(value.casefold())
        if alias is not None:
            return alias
        upper = value.upper()
        if self.exists(upper):
            return upper
        found = self.iso.lookup.get(value.casefold())
        if found is None:
            raise InputError(field, text, "is not a known country, subdivision, territory or bloc")
        return found

    @property
    def iso(self) -> IsoTables:
        """ISO 3166 tables, built on first use (and kept with the compiled snapshot)."""
        if self._iso is None:
            self._iso = IsoTables.from_pycountry()
        return self._iso

    # -- membership ---------------------------------------------------------------
    def members(self, bloc: str, day: date) -> frozenset[str]:
        """The member countries of ``bloc`` on ``day`` (empty for a non-bloc)."""
        spec = self.blocs.get(bloc)
        if spec is None:
            return frozenset()
        key = (bloc, self._epoch(day))
        cached = self._members.get(key)
        if cached is None:
            cached = self._members.put(key, self._compute_members(spec, day))
        return cached

    def change_days(self) -> list[date]:
        """The days on which some membership starts, ends or stops being unclear, sorted."""
        return list(self._cuts)

    def _epoch(self, day: date) -> int:
        """The span between membership changes that ``day`` falls in."""
        return bisect_right(self._cuts, day)

    def _compute_members(self, spec: BlocSpec, day: date) -> frozenset[str]:
        found = {m.country for m in spec.members if in_period(day, m.start, m.end)}
        for inner in spec.include:
            found |= self.members(inner, day)
        return frozenset(found)

    def membership(self, bloc: str, country: str, day: date) -> MembershipSpec | None:
        """The membership entry that puts ``country`` in ``bloc`` on ``day`` (directly or
        through an included bloc): for a list made by acts, it names the act."""
        spec = self.blocs.get(bloc)
        if spec is None:
            return None
        for m in spec.members:
            if m.country == country and in_period(day, m.start, m.end):
                return m
        for inner in spec.include:
            found = self.membership(inner, country, day)
            if found:
                return found
        return None

    def ever_members(self, bloc: str) -> frozenset[str]:
        spec = self.blocs.get(bloc)
        if spec is None:
            return frozenset()
        found = {m.country for m in spec.members}
        for inner in spec.include:
            found |= self.ever_members(inner)
        return frozenset(found)

    def blocs_of(self, country: str, day: date) -> list[str]:
        return [b for b in self.blocs if country in self.members(b, day)]

    def surveyed_through(self, jid: str) -> list[str]:
        """The states each of whose surveys a territory's side needs (none for a country)."""
        territory = self.territories.get(jid)
        return list(territory.surveyed_through) if territory else []

    def parent(self, jid: str) -> str | None:
        """The country of an ISO 3166-2 subdivision; territories have no asserted parent."""
        if "-" in jid and jid not in self.territories and jid in self.iso.subdivisions:
            return jid.split("-", 1)[0]
        return None

    def includes(self, target: str, jid: str, day: date) -> Inclusion:
        """Does a target ``target`` include ``jid`` on ``day``?"""
        if target == jid:
            return Inclusion.yes
        if target not in self.blocs and "-" not in jid:
            return Inclusion.no  # a country or territory includes only itself
        key = (target, jid, self._epoch(day))
        found = self._included.get(key)
        if found is None:
            found = self._included.put(key, self._includes(target, jid, day))
        return found

    def _includes(self, target: str, jid: str, day: date) -> Inclusion:
        parent = self.parent(jid)
        if parent is not None:
            return self.includes(target, parent, day)
        if target not in self.blocs:
            return Inclusion.no
        if jid in self.members(target, day):
            return Inclusion.yes
        return Inclusion.unclear if self.unclear(target, jid, day) else Inclusion.no

    def bound_by(self, imposer: str, jid: str, day: date) -> bool:
        """Is ``jid`` bound by ``imposer``'s measures on ``day``?

        The imposer side of a shipment: a country is bound by its own measures and by
        those of the unions it belongs to. A member leaving a union stays bound while
        the union's law still applies to it (the UK until 31 Dec 2020: the window that
        is unclear on the target side).
        """
        if imposer in self.blocs and self.blocs[imposer].kind != "union":
            return False
        return self.includes(imposer, jid, day) != Inclusion.no

    def imposers(self, jid: str, day: date) -> list[str]:
        """The jurisdictions whose measures bind ``jid`` on ``day``: itself, its country
        (for a subdivision), and the unions it belongs to (members leaving included while
        bound; the UN, as a union of its member states, when the data holds it)."""
        key = (jid, self._epoch(day))
        found = self._imposers.get(key)
        if found is None:
            country = self.parent(jid) or jid
            unions = [b for b in self._unions if self.bound_by(b, country, day)]
            found = self._imposers.put(key, tuple(dict.fromkeys([jid, country, *unions])))
        return list(found)

    def ever_imposers(self, jid: str) -> frozenset[str]:
        """Every jurisdiction whose measures bind ``jid`` on some day (all that
        :meth:`imposers` gives on any day, perhaps more): itself, the countries it belongs
        to, and the unions one of them was ever a member of."""
        chain = [jid]
        while (parent := self.parent(chain[-1])) is not None and parent not in chain:
            chain.append(parent)
        unions = [u for u in self._unions if not self.ever_members(u).isdisjoint(chain)]
        return frozenset([*chain, *unions])

    def unclear(self, bloc: str, jid: str, day: date) -> Unclear | None:
        """The unclear window that ``day`` falls in for ``jid`` leaving ``bloc``, if any."""
        spec = self.blocs.get(bloc)
        if spec is None:
            return None
        for m in spec.members:
            if m.country == jid and m.end and m.unclear_until and m.end <= day < m.unclear_until:
                return Unclear(bloc, jid, m.end, m.unclear_until)
        for inner in spec.include:
            found = self.unclear(inner, jid, day)
            if found:
                return found
        return None


#: Entries per generation of the includes() memo (at most twice as many kept; see Memo).
_MEMO_LIMIT = 1 << 15
#: Entries per generation of the per-(bloc or place, day) memos.
_DAY_MEMO = 1 << 12
