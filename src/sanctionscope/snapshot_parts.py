"""The compiled snapshot's index cut by imposer, stored beside it, so that ``check`` loads
only the parts that can bind its shipment (see ``engine/slices.py``): a data set that
grows by other jurisdictions' measures does not slow a question about these two parties.

Layout of the file: the length of the header (8 bytes, little-endian), the header (a
pickle of the snapshot's key, the day the index was compiled as known on, the acts it
knows, every act's publication day, the data set without its acts, and where each part
is), then the parts, each a pickle of its own. The file is read only under the key of the
snapshot it was written with (the data files and the engine's code).
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.compile import Index
from sanctionscope.engine.slices import COMMON, Part, join, parties_imposers, shell, split
from sanctionscope.errors import InputError
from sanctionscope.model.dataset import Dataset

#: Bump when the layout changes in a way the code fingerprint cannot see.
FORMAT = 1
_LENGTH = 8


def parts_file(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.name + ".parts")


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
    #: where each imposer's part is: (offset after the header, length)
    parts: dict[str, tuple[int, int]]


def write(path: Path, key: str, catalog: Catalog, today: date) -> None:
    """Store the parts of the catalog's index as known on ``today`` (nothing when that
    index was not compiled)."""
    known = catalog.known(today)
    index = catalog.compiled(known)
    if index is None:
        return
    blobs, places, offset = [], {}, 0
    for imposer, part in split(index).items():
        blob = pickle.dumps(part, protocol=5)
        places[imposer] = (offset, len(blob))
        blobs.append(blob)
        offset += len(blob)
    attested = {k: index.measures[e.measure].spec.imposer for k, e in index.exceptions_by_id.items()}
    attested |= {k: m.spec.imposer for k, m in index.measures.items() if k in catalog.dataset.licence_ids}
    published = {k: a.published for k, a in catalog.dataset.acts.items()}
    header = _Header(key, FORMAT, today, known, published, shell(catalog.dataset), attested, places)
    head = pickle.dumps(header, protocol=5)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    with partial.open("wb") as handle:
        handle.write(len(head).to_bytes(_LENGTH, "little"))
        handle.write(head)
        for blob in blobs:
            handle.write(blob)
    partial.replace(path)


class ShipmentCatalog(Catalog):
    """A catalog holding only the parts that answer shipments between two parties, for
    one as-known-on day: it answers ``check`` for those parties and nothing else."""

    def index(self, as_known_on: date) -> Index:
        found = self._views.get(as_known_on)
        if found is None:  # never compiled from a part of the data
            raise LookupError(f"no index for {as_known_on.isoformat()} in a catalog of parts")
        return found


def read(
    path: Path, key: str, parties: tuple[str, str], attest: tuple[str, ...], known_on: date
) -> Catalog | None:
    """The catalog of the parts answering a shipment between ``parties`` (as users wrote
    them: an unknown one is the input error the whole catalog would give), as known on
    ``known_on``; None when the file is missing, damaged or stale, or was compiled for
    other acts than those known on that day (the caller loads the whole snapshot)."""
    try:
        with path.open("rb") as handle:
            header = _read_header(handle, key)
            if header is None or header.known != _known(header.published, known_on):
                return None
            jur = header.dataset.jurisdictions
            names = (jur.resolve(parties[0], "origin"), jur.resolve(parties[1], "destination"))
            attested = (header.attested[k] for k in attest if k in header.attested)
            wanted = parties_imposers(jur, names, attested) | {COMMON}
            start = handle.tell()
            parts = [_read_part(handle, start, header.parts[k]) for k in sorted(wanted) if k in header.parts]
    except InputError:
        raise
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, TypeError):
        return None  # a damaged or foreign file: the whole snapshot answers
    catalog = ShipmentCatalog(header.dataset)
    catalog._views[known_on] = join(header.dataset, known_on, parts)
    return catalog


def _read_header(handle: Any, key: str) -> _Header | None:
    size = int.from_bytes(handle.read(_LENGTH), "little")
    header = pickle.loads(handle.read(size))
    fits = isinstance(header, _Header) and header.key == key and header.format == FORMAT
    return header if fits else None


def _read_part(handle: Any, start: int, place: tuple[int, int]) -> Part:
    handle.seek(start + place[0])
    part = pickle.loads(handle.read(place[1]))
    if not isinstance(part, Part):
        raise ValueError("not a part")
    return part


def _known(published: dict[str, date], day: date) -> frozenset[str]:
    return frozenset(k for k, d in published.items() if d <= day)
