"""The parsed data set: acts, jurisdictions, nomenclature, and where each fact was written."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from sanctionscope.model.acts import (
    LICENSING_TYPES,
    ActSpec,
    AddExceptions,
    AddLines,
    ExceptionSpec,
    MeasureSpec,
)
from sanctionscope.model.coverage import DeclarationSpec
from sanctionscope.model.jurisdictions import Jurisdictions
from sanctionscope.model.surveys import SurveySpec

#: A path into one data file, as pydantic reports it: keys and list indices.
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Location:
    """The file an act came from and the line of every key path in it."""

    file: str
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int:
        """Line of the deepest known prefix of ``path`` (1 when nothing matches)."""
        for n in range(len(path), -1, -1):
            found = self.lines.get(path[:n])
            if found is not None:
                return found
        return 1


#: HS editions by the nomenclature an act says its codes are written in.
EDITION_OF = {
    "TNVED-EAEU-2012": "HS2012",
    "TNVED-EAEU-2017": "HS2017",
    "TNVED-EAEU-2022": "HS2022",
    "TNVED-CU-2012": "HS2012",
    "CN-2014": "HS2012",
    "CN-2015": "HS2012",
    "CN-2017": "HS2017",
    "CN-2022": "HS2022",
    "CN-2023": "HS2022",
    "HS2007": "HS2007",
    "HS2012": "HS2012",
    "HS2017": "HS2017",
    "HS2022": "HS2022",
    # China's customs tariff (税则号列, 8 digits) and statistical codes (海关商品编号, 10)
    "CHN-TARIFF-2023": "HS2022",
    "CHN-TARIFF-2024": "HS2022",
    "CHN-TARIFF-2025": "HS2022",
}


class Nomenclature:
    """HS codes (2, 4 and 6 digits) by edition, with their descriptions.

    Pickled (in the compiled snapshot) as the set of codes plus the descriptions as one
    opaque blob, unpickled on first use: most answers only need to know a code exists.
    """

    def __init__(self, codes: dict[str, dict[str, str]]) -> None:
        self._codes: dict[str, dict[str, str]] | None = codes
        self._blob: bytes | None = None
        #: the editions, and for each code a bit per edition holding it: one small table
        #: (a set per edition would hold every code six times over, all unpickled by every
        #: command)
        self._editions = tuple(codes)
        self._known: dict[str, int] = {}
        for bit, table in enumerate(codes.values()):
            for code in table:
                self._known[code] = self._known.get(code, 0) | 1 << bit

    @property
    def codes(self) -> dict[str, dict[str, str]]:
        """Descriptions by edition and code."""
        if self._codes is None:
            assert self._blob is not None
            self._codes, self._blob = pickle.loads(self._blob), None
        return self._codes

    def __getstate__(self) -> dict[str, object]:
        blob = self._blob if self._codes is None else pickle.dumps(self._codes, protocol=5)
        return {"_codes": None, "_blob": blob, "_editions": self._editions, "_known": self._known}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Nomenclature) and self.codes == other.codes

    __hash__ = None  # type: ignore[assignment]

    def knows(self, code: str, edition: str | None) -> bool:
        """True when the HS part of ``code`` (first 6 digits at most) exists."""
        bits = self._known.get(code[:6], 0)
        if edition in self._editions:
            return bool(bits >> self._editions.index(edition) & 1)
        return bits != 0

    def describe(self, code: str, edition: str = "HS2012") -> str | None:
        table = self.codes.get(edition, {})
        for n in (6, 4, 2):
            if len(code) >= n and code[:n] in table:
                return table[code[:n]]
        return None


@dataclass(frozen=True)
class Dataset:
    acts: dict[str, ActSpec]
    locations: dict[str, Location]
    jurisdictions: Jurisdictions
    nomenclature: Nomenclature
    version: str
    #: coverage declarations by id (``data/coverage/*.yaml``)
    coverage: dict[str, DeclarationSpec] = field(default_factory=dict)
    #: where each declaration was written: its file and its key path in that file
    coverage_where: dict[str, tuple[Location, Path]] = field(default_factory=dict)
    #: where the jurisdictions file wrote each key (for problems in blocs and lists)
    jurisdictions_where: Location | None = None
    #: surveyed imposers by imposer (``data/surveys/*.yaml``)
    surveys: dict[str, SurveySpec] = field(default_factory=dict)
    #: where each survey was written
    surveys_where: dict[str, Location] = field(default_factory=dict)
    #: values derived from the data on first use (e.g. by validation), never hashed
    derived: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def exception_ids(self) -> frozenset[str]:
        """Every exception id written anywhere in the data (measures and changes)."""
        found: set[str] = set()
        for act in self.acts.values():
            for exc in act_exceptions(act):
                found.add(exc.id)
        return frozenset(found)

    @cached_property
    def licence_ids(self) -> frozenset[str]:
        """Ids of the licensing measures: attesting one states the shipment holds a licence."""
        return frozenset(m.id for _, m in self.measures() if m.type in LICENSING_TYPES)

    def measures(self) -> Iterator[tuple[ActSpec, MeasureSpec]]:
        for act in self.acts.values():
            for measure in act.measures:
                yield act, measure


def walk_exceptions(exceptions: list[ExceptionSpec], depth: int = 1) -> Iterator[tuple[ExceptionSpec, int]]:
    """Every exception with its depth (1 = carve-out, 2 = exception to it, ...)."""
    for exc in exceptions:
        yield exc, depth
        yield from walk_exceptions(exc.exceptions, depth + 1)


def act_exceptions(act: ActSpec) -> Iterator[ExceptionSpec]:
    """Every exception an act writes, in measures, added lines and added exceptions."""

    groups: list[list[ExceptionSpec]] = []
    for measure in act.measures:
        groups += [measure.exceptions, *(line.exceptions for line in measure.lines)]
    for change in act.changes:
        if isinstance(change, AddExceptions):
            groups.append(change.exceptions)
        elif isinstance(change, AddLines):
            groups += [line.exceptions for line in change.lines]
    for group in groups:
        for exc, _ in walk_exceptions(group):
            yield exc
