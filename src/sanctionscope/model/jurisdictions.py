"""Jurisdictions: countries, subdivisions, territories and blocs with membership over time.

Countries (ISO 3166-1 alpha-2) and subdivisions (ISO 3166-2) come from pycountry; blocs
and territories come from ``data/jurisdictions.yaml`` through :class:`JurisdictionSpec`.
A target ``EU`` on day D means the members on D (membership periods are half-open).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Literal

import pycountry
from pydantic import Field

from sanctionscope.errors import InputError
from sanctionscope.model.acts import ALL_PARTNERS, Source, Spec
from sanctionscope.periods import in_period


class MembershipSpec(Spec):
    country: str
    start: date
    end: date | None = None
    #: After ``end`` and before this day, coverage by the bloc is legally unclear
    #: (the Brexit transition period).
    unclear_until: date | None = None


class BlocSpec(Spec):
    id: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
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
        self._members: dict[tuple[str, date], frozenset[str]] = {}
        #: memo of includes(): answered millions of times by the batch kernel and check
        self._included: dict[tuple[str, str, date], Inclusion] = {}
        self._imposers: dict[tuple[str, date], tuple[str, ...]] = {}
        self._unions = [b.id for b in spec.blocs if b.kind == "union"]
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
            return _country(jid) is not None
        return "-" in jid and _subdivision(jid) is not None

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
        record = _country(jid) if len(jid) == 2 else _subdivision(jid)
        if record is None:
            return jid
        return str(getattr(record, "common_name", None) or getattr(record, "name", jid))

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
        try:
            return str(pycountry.countries.lookup(value).alpha_2)
        except LookupError:
            raise InputError(field, text, "is not a known country, subdivision, territory or bloc") from None

    # -- membership ---------------------------------------------------------------
    def members(self, bloc: str, day: date) -> frozenset[str]:
        """The member countries of ``bloc`` on ``day`` (empty for a non-bloc)."""
        spec = self.blocs.get(bloc)
        if spec is None:
            return frozenset()
        cached = self._members.get((bloc, day))
        if cached is None:
            cached = self._members[(bloc, day)] = self._compute_members(spec, day)
        return cached

    def _compute_members(self, spec: BlocSpec, day: date) -> frozenset[str]:
        found = {m.country for m in spec.members if in_period(day, m.start, m.end)}
        for inner in spec.include:
            found |= self.members(inner, day)
        return frozenset(found)

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

    def parent(self, jid: str) -> str | None:
        """The country of an ISO 3166-2 subdivision; territories have no asserted parent."""
        if "-" in jid and jid not in self.territories and _subdivision(jid) is not None:
            return jid.split("-", 1)[0]
        return None

    def includes(self, target: str, jid: str, day: date) -> Inclusion:
        """Does a target ``target`` include ``jid`` on ``day``?"""
        if target == jid:
            return Inclusion.yes
        if target not in self.blocs and "-" not in jid:
            return Inclusion.no  # a country or territory includes only itself
        key = (target, jid, day)
        found = self._included.get(key)
        if found is None:
            if len(self._included) > _MEMO_LIMIT:
                self._included.clear()
            found = self._included[key] = self._includes(target, jid, day)
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
        key = (jid, day)
        found = self._imposers.get(key)
        if found is None:
            if len(self._imposers) > _MEMO_LIMIT:
                self._imposers.clear()
            country = self.parent(jid) or jid
            unions = [b for b in self._unions if self.bound_by(b, country, day)]
            found = self._imposers[key] = tuple(dict.fromkeys([jid, country, *unions]))
        return list(found)

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


#: Memo entries kept before a memo is cleared (a long-running server asks about many days).
_MEMO_LIMIT = 1 << 18


@lru_cache(maxsize=512)
def _country(code: str) -> object | None:
    found: object | None = pycountry.countries.get(alpha_2=code)
    return found


@lru_cache(maxsize=512)
def _subdivision(code: str) -> object | None:
    try:
        found: object | None = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
        return found
    except (KeyError, LookupError):
        return None
