"""The compiled snapshot's index cut by imposer and by HS chapter, stored beside it, so
that ``check`` loads only what can answer its shipment (see ``engine/slices.py``): the
parts of the jurisdictions that can bind the two parties and, of their lines, those of
the code's chapter. A data set that grows by other jurisdictions' measures, or by lines
of other chapters, does not slow a question about these parties and this code.

Layout of the file: the length of the header (8 bytes, little-endian), the header (a
pickle of the snapshot's key, the day the index was compiled as known on, the acts it
knows, every act's publication day, the data set without its acts, and where each blob
is), then the blobs, each a pickle of its own. Per imposer: its part without line
tables, the part's long lists (every measure's lines as created and as written, the
lines each act added), read only if something walks them, and its line tables, one blob
per chapter. The file is read only under the key of the snapshot it was written with
(the data files and the engine's code), through a memory map: only the blobs asked for
are read.
"""

from __future__ import annotations

import io
import mmap
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sanctionscope.engine.answer import Answer, Question
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.compile import Index
from sanctionscope.engine.slices import (
    ALL_GOODS,
    COMMON,
    Lines,
    Part,
    by_chapter,
    chapter,
    join,
    parties_imposers,
    shell,
    split,
    with_lines,
)
from sanctionscope.errors import InputError
from sanctionscope.model.acts import AddLines
from sanctionscope.model.dataset import Dataset

#: Bump when the layout changes in a way the code fingerprint cannot see.
FORMAT = 2
_LENGTH = 8
#: Where a blob is in the file: (offset after the header, length).
Place = tuple[int, int]


def parts_file(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.name + ".parts")


@dataclass
class _Stored:
    """Where one imposer's blobs are."""

    part: Place
    lists: Place
    chapters: dict[str, Place] = field(default_factory=dict)


@dataclass
class _Header:
    key: str
    format: int
    day: date
    known: frozenset[str]
    published: dict[str, date]
    dataset: Dataset
    #: imposer of each exception and licence id (attesting one needs that imposer's part)
    attested: dict[str, str]
    parts: dict[str, _Stored]


# -- writing ------------------------------------------------------------------------------


def write(path: Path, key: str, catalog: Catalog, today: date) -> None:
    """Store the parts of the catalog's index as known on ``today`` (nothing when that
    index was not compiled)."""
    known = catalog.known(today)
    index = catalog.compiled(known)
    if index is None:
        return
    blobs = _Blobs()
    stored = {imposer: _store(part, blobs) for imposer, part in split(index).items()}
    attested = {k: index.measures[e.measure].spec.imposer for k, e in index.exceptions_by_id.items()}
    attested |= {k: m.spec.imposer for k, m in index.measures.items() if k in catalog.dataset.licence_ids}
    published = {k: a.published for k, a in catalog.dataset.acts.items()}
    header = _Header(key, FORMAT, today, known, published, shell(catalog.dataset), attested, stored)
    head = pickle.dumps(header, protocol=5)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    with partial.open("wb") as handle:
        handle.write(len(head).to_bytes(_LENGTH, "little"))
        handle.write(head)
        handle.write(blobs.data.getbuffer())
    partial.replace(path)


class _Blobs:
    def __init__(self) -> None:
        self.data = io.BytesIO()

    def add(self, blob: bytes) -> Place:
        place = (self.data.tell(), len(blob))
        self.data.write(blob)
        return place


def _store(part: Part, blobs: _Blobs) -> _Stored:
    chapters = by_chapter(part)
    part.lines_by_code, part.sorted_keys = {}, {}
    lists = _long_lists(part)
    handle = io.BytesIO()
    _ListsApart(handle, lists).dump(part)
    kept = {token: found for token, found in lists.values()}
    stored = _Stored(blobs.add(handle.getvalue()), blobs.add(pickle.dumps(kept, protocol=5)))
    stored.chapters = {k: blobs.add(pickle.dumps(v, protocol=5)) for k, v in chapters.items()}
    return stored


def _long_lists(part: Part) -> dict[int, tuple[str, list[Any]]]:
    """The lists a check does not walk, by object: each measure's lines (as compiled and as
    written) and the lines each amending act added; a check reads lines through the line
    tables of its code's chapter, and of these lists only their lengths."""
    found: dict[int, tuple[str, list[Any]]] = {}
    for _, m in part.measures:
        for token, lines in ((f"state {m.id}", m.lines), (f"spec {m.id}", m.spec.lines)):
            if lines:
                found[id(lines)] = (token, lines)
    for _, act in part.acts:
        for n, change in enumerate(act.changes):
            if isinstance(change, AddLines) and change.lines:
                found[id(change.lines)] = (f"added {act.id} {n}", change.lines)
    return found


class _ListsApart(pickle.Pickler):
    """Pickles a part with its long lists left out: each stands as (token, length)."""

    def __init__(self, handle: io.BytesIO, lists: dict[int, tuple[str, list[Any]]]) -> None:
        super().__init__(handle, protocol=5)
        self._lists = lists

    def persistent_id(self, obj: Any) -> tuple[str, int] | None:
        found = self._lists.get(id(obj)) if type(obj) is list else None
        return None if found is None else (found[0], len(found[1]))


# -- reading ------------------------------------------------------------------------------


class Deferred(Sequence[Any]):
    """A list stored apart in the parts file: its length is known, its items are read on
    first use (with every other list of the same part)."""

    __slots__ = ("_items", "_length", "_load")

    def __init__(self, length: int, load: Callable[[], list[Any]]) -> None:
        self._length = length
        self._load = load
        self._items: list[Any] | None = None

    def _list(self) -> list[Any]:
        if self._items is None:
            self._items = self._load()
        return self._items

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i: Any) -> Any:
        return self._list()[i]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, Deferred)):
            return self._list() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._list())


class _ListsBack(pickle.Unpickler):
    def __init__(self, data: memoryview, lists: Callable[[], dict[str, list[Any]]]) -> None:
        super().__init__(io.BytesIO(data))
        self._lists = lists

    def persistent_load(self, pid: Any) -> Deferred:
        token, length = pid
        return Deferred(length, lambda: self._lists()[token])


class ShipmentCatalog(Catalog):
    """A catalog holding only what answers shipments between two parties of goods of one
    HS chapter, as known on one day: it answers ``check`` for those and nothing else."""

    def __init__(self, dataset: Dataset, code_chapter: str) -> None:
        super().__init__(dataset)
        self.chapter = code_chapter

    def index(self, as_known_on: date) -> Index:
        found = self._views.get(as_known_on)
        if found is None:  # never compiled from a part of the data
            raise LookupError(f"no index for {as_known_on.isoformat()} in a catalog of parts")
        return found

    def check(self, q: Question) -> Answer:
        if chapter(q.code) != self.chapter:
            raise LookupError(f"code {q.code} is not of chapter {self.chapter} held by a catalog of parts")
        return super().check(q)


@dataclass
class Shipment:
    """What a check is about, as the user wrote it."""

    origin: str
    destination: str
    hs: str
    restore_leading_zeros: bool = False
    attest: tuple[str, ...] = ()


def read(path: Path, key: str, shipment: Shipment, known_on: date) -> Catalog | None:
    """The catalog of the parts answering ``shipment`` as known on ``known_on`` (a party
    or code the data does not know is the input error the whole catalog would give); None
    when the file is missing, damaged or stale, or was compiled for other acts than those
    known on that day (the caller loads the whole snapshot)."""
    try:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(mapped)
        header = _read_header(view, key)
        if header is None or header.known != _known(header.published, known_on):
            return None
        wanted, code_chapter = _wanted(header, shipment)
        start = _LENGTH + int.from_bytes(view[:_LENGTH], "little")
        parts = [
            _read_part(view[start:], header.parts[k], code_chapter)
            for k in sorted(wanted)
            if k in header.parts
        ]
    except InputError:
        raise
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError, KeyError):
        return None  # a damaged or foreign file: the whole snapshot answers
    catalog = ShipmentCatalog(header.dataset, code_chapter)
    catalog._views[known_on] = join(header.dataset, known_on, parts)
    return catalog


def _wanted(header: _Header, shipment: Shipment) -> tuple[set[str], str]:
    """The imposers whose parts answer the shipment, and the code's chapter (parties and
    code read as the whole catalog reads them)."""
    reader = Catalog(header.dataset)
    names = (reader.resolve(shipment.origin, "origin"), reader.resolve(shipment.destination, "destination"))
    code, _ = reader.code(shipment.hs, "hs", shipment.restore_leading_zeros)
    attested = (header.attested[k] for k in shipment.attest if k in header.attested)
    return parties_imposers(header.dataset.jurisdictions, names, attested) | {COMMON}, chapter(code)


def _read_header(view: memoryview, key: str) -> _Header | None:
    size = int.from_bytes(view[:_LENGTH], "little")
    header = pickle.loads(view[_LENGTH : _LENGTH + size])
    fits = isinstance(header, _Header) and header.key == key and header.format == FORMAT
    return header if fits else None


def _read_part(blobs: memoryview, stored: _Stored, code_chapter: str) -> Part:
    def blob(place: Place) -> memoryview:
        return blobs[place[0] : place[0] + place[1]]

    lists: dict[str, list[Any]] = {}

    def all_lists() -> dict[str, list[Any]]:
        if not lists:
            lists.update(pickle.loads(blob(stored.lists)))
        return lists

    part = _ListsBack(blob(stored.part), all_lists).load()
    if not isinstance(part, Part):
        raise ValueError("not a part")
    chapters = [stored.chapters[k] for k in dict.fromkeys((ALL_GOODS, code_chapter)) if k in stored.chapters]
    found = [pickle.loads(blob(place)) for place in chapters]
    if not all(isinstance(lines, Lines) for lines in found):
        raise ValueError("not a part's lines")
    return with_lines(part, found)


def _known(published: dict[str, date], day: date) -> frozenset[str]:
    return frozenset(k for k, d in published.items() if d <= day)
