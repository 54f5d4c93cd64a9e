"""The compiled snapshot: a data directory parsed, validated and compiled once, then
reused by every later process until a data file (or the engine's code) changes.

A snapshot is a pickle of the :class:`Catalog` with the index of every act published by
the day it was built (and the batch kernel when one was built), written to the user's
cache folder under a key made of the data directory's files and the engine's code: the
path, size and modification time of each file, the way ``make`` and Python's own
bytecode cache decide staleness. A changed, added or removed data file gives another
key, so a snapshot is never used for another ``dataset_version``; the snapshot also
stores its key and is refused when it does not match. Beside it, under the same key, the
index is stored again cut by imposer and HS chapter (``snapshot_parts``), for ``check``.

Snapshots are read only from the user's own cache folder (``SANCTIONSCOPE_CACHE``,
else ``$XDG_CACHE_HOME/sanctionscope``, else ``~/.cache/sanctionscope``); setting
``SANCTIONSCOPE_CACHE=off`` disables them.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from sanctionscope import snapshot_parts
from sanctionscope.engine.catalog import Catalog
from sanctionscope.model.dataset import Dataset, Location

#: Bump when the snapshot's layout changes in a way the code fingerprint cannot see.
FORMAT = 4
_PACKAGE = Path(__file__).resolve().parent
#: The code a snapshot's content depends on: the classes pickled in it and the code that
#: loads, validates and compiles the data (interfaces are left out: editing a web page
#: does not change what is compiled).
_COMPILER = (
    "model",
    "engine",
    "load.py",
    "validate.py",
    "validate_coverage.py",
    "codes.py",
    "periods.py",
    "errors.py",
    "paths.py",
    "snapshot.py",
    "snapshot_parts.py",
)
#: Snapshots kept per data directory (older ones are removed when a new one is written).
_KEEP = 2


def cache_dir() -> Path | None:
    """Where snapshots live, or None when disabled."""
    chosen = os.environ.get("SANCTIONSCOPE_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in {"", "off", "0", "no"} else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sanctionscope"


def _stats(root: Path, suffix: str = "") -> list[str]:
    """Path, size and modification time of every file under ``root`` (os.scandir: this
    runs on every command, before anything else)."""
    if root.is_file():
        st = root.stat()
        return [f"{root}\0{st.st_size}\0{st.st_mtime_ns}"]
    out = []
    stack = [str(root)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif entry.name.endswith(suffix):
                    st = entry.stat()
                    out.append(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}")
    return sorted(out)


def snapshot_key(root: Path) -> str:
    """The key of a data directory's snapshot: its files and the engine's code, by path,
    size and modification time (no file is read). Every file under the data directory
    counts, whatever its folder (acts/, coverage/, surveys/, reference/, ...)."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{root}".encode())
    code = [line for part in _COMPILER for line in _stats(_PACKAGE / part, ".py")]
    for line in _stats(root) + code:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()[:24]


def _file_of(root: Path, key: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    tag = hashlib.sha256(str(root).encode()).hexdigest()[:12]
    return folder / f"{tag}-{key}.pickle"


def read(root: Path) -> Catalog | None:
    """The snapshot of ``root`` when one exists for its current files, else None."""
    key = snapshot_key(root)
    path = _file_of(root, key)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle, _no_collection():
            stored_key, seal, catalog = pickle.load(handle)
    except Exception:  # a truncated or foreign file is rebuilt, never trusted
        return None
    if stored_key != key or not isinstance(catalog, Catalog):
        return None
    kernels = _kernels_file(path)
    if kernels.is_file():
        catalog.kernel_loader = partial(_read_kernels, kernels, key, seal, catalog)
    return catalog


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: loading makes hundreds of thousands of objects,
    none of them garbage, and each collection it would trigger walks all of them (loading
    takes two to three times as long with it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _kernels_file(snapshot: Path) -> Path:
    """The batch kernels of a snapshot, stored apart: a screen loads them, a check not.

    What they share with the catalog (the data set, its indexes and their measures, the
    declarations and surveys) is stored as a reference to the catalog's object, so it is
    neither stored twice nor loaded as a copy. Such a file is read only with the snapshot
    it was written with: both carry the same random seal.
    """
    return snapshot.with_name(snapshot.name + ".kernels")


def _shared(catalog: Catalog) -> Iterator[tuple[tuple[Any, ...], object]]:
    """The catalog's objects a kernel may hold, each with a name that finds it again in
    the catalog loaded from the same snapshot."""
    dataset = catalog.dataset
    yield ("dataset",), dataset
    yield ("jurisdictions",), dataset.jurisdictions
    yield from ((("declaration", k), v) for k, v in dataset.coverage.items())
    yield from ((("survey", k), v) for k, v in dataset.surveys.items())
    for i, index in enumerate(catalog._indexes.values()):
        yield ("index", i), index
        yield from ((("measure", i, k), m) for k, m in index.measures.items())


class _KernelPickler(pickle.Pickler):
    def __init__(self, handle: BinaryIO, catalog: Catalog) -> None:
        super().__init__(handle, protocol=5)
        self._names = {id(obj): name for name, obj in _shared(catalog)}

    def persistent_id(self, obj: Any) -> Any:
        return self._names.get(id(obj))


class _KernelUnpickler(pickle.Unpickler):
    def __init__(self, handle: BinaryIO, catalog: Catalog) -> None:
        super().__init__(handle)
        self._objects = dict(_shared(catalog))

    def persistent_load(self, pid: Any) -> Any:
        return self._objects[tuple(pid)]


def _read_kernels(path: Path, key: str, seal: str, catalog: Catalog) -> dict[Any, Any]:
    try:
        with path.open("rb") as handle, _no_collection():
            stored_key, stored_seal, kernels = _KernelUnpickler(handle, catalog).load()
    except Exception:  # a truncated or foreign file: the kernels are compiled again
        return {}
    fits = stored_key == key and stored_seal == seal and isinstance(kernels, dict)
    return kernels if fits else {}


def write(root: Path, catalog: Catalog) -> Path | None:
    """Store ``catalog`` as the snapshot of ``root`` (atomically); None when the cache
    folder is disabled or not writable (answers are the same, only slower to start)."""
    key = snapshot_key(root)  # once: the file name and the stored key must agree
    path = _file_of(root, key)
    if path is None:
        return None
    # the stored kernels are read first (Catalog.kernels merges them with those asked for
    # in this process): a kernels file is only valid with the snapshot written with it
    kernels = catalog.kernels()
    seal = os.urandom(8).hex()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        kernels_path = _kernels_file(path)
        kernels_path.unlink(missing_ok=True)
        snapshot_parts.parts_file(path).unlink(missing_ok=True)
        _dump(path, lambda h: pickle.Pickler(h, protocol=5).dump((key, seal, catalog)))
        snapshot_parts.write(snapshot_parts.parts_file(path), key, catalog, date.today())
        if kernels:
            _dump(kernels_path, lambda h: _KernelPickler(h, catalog).dump((key, seal, kernels)))
    except OSError:
        return None
    _prune(path)
    return path


def _dump(path: Path, save: Callable[[BinaryIO], None]) -> None:
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    with part.open("wb") as handle:
        save(handle)
    part.replace(path)


def _prune(kept: Path) -> None:
    tag = kept.name.split("-", 1)[0]
    others = sorted(kept.parent.glob(f"{tag}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[_KEEP:]:
        old.unlink(missing_ok=True)
        _kernels_file(old).unlink(missing_ok=True)
        snapshot_parts.parts_file(old).unlink(missing_ok=True)
    for part in kept.parent.glob(f"{tag}-*.part"):
        part.unlink(missing_ok=True)


def build(root: Path, kernel_on: date | None = None) -> Catalog:
    """Parse, validate and compile ``root`` and store the snapshot (``validate`` and
    ``db build`` call this so the next command starts from it). With ``kernel_on`` the
    batch kernel of that as-known-on day is compiled too, every place pair built
    (``compile``): screens then start at full speed instead of building the pairs they
    meet."""
    from sanctionscope.load import load_dataset

    catalog = Catalog(_answering(load_dataset(root)))
    catalog.index(date.today())
    catalog.dataset.jurisdictions.iso  # noqa: B018  (kept with the snapshot)
    if kernel_on is not None:
        catalog.index(kernel_on)
        catalog.kernel(kernel_on, eager=True)
    write(root, catalog)
    return catalog


def _answering(dataset: Dataset) -> Dataset:
    """What answering needs of a validated data set: the facts and the file of each act,
    not the line of every key nor validation's working state (they would double the
    snapshot's load time on a large data set)."""
    return replace(
        dataset,
        locations={k: Location(v.file) for k, v in dataset.locations.items()},
        coverage_where={k: (Location(loc.file), path) for k, (loc, path) in dataset.coverage_where.items()},
        surveys_where={k: Location(v.file) for k, v in dataset.surveys_where.items()},
        derived={},
    )


def shipment_catalog(root: Path, shipment: snapshot_parts.Shipment, known_on: date) -> Catalog | None:
    """A catalog of the parts of ``root``'s current snapshot that answer ``shipment`` as
    known on ``known_on`` (see snapshot_parts), or None when there is none (then
    :func:`catalog` loads or builds the whole)."""
    root = root.resolve()
    key = snapshot_key(root)
    path = _file_of(root, key)
    if path is None:
        return None
    with _no_collection():
        return snapshot_parts.read(snapshot_parts.parts_file(path), key, shipment, known_on)


def catalog(root: Path) -> Catalog:
    """The catalog of ``root``: from its snapshot when current, else built (and stored)."""
    root = root.resolve()
    return read(root) or build(root)


def remember(root: Path, catalog: Catalog) -> None:
    """Store what a command compiled beyond the snapshot (an index for another
    as-known-on day, a batch kernel) so the next command starts from it."""
    if catalog.grown:
        write(root.resolve(), catalog)
