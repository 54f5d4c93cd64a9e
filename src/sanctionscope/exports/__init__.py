"""Exports of the compiled data in the field's formats: GSDB CSV (cases or dyad-years),
FollowTheMoney, Parquet.

See ``docs/exports.md`` for the layouts, the type mapping and the conventions.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.exports import ftm, gsdb, gsdb_dyadic, parquet

FORMATS = ("gsdb", "gsdb-dyadic", "ftm", "parquet")


def export(catalog: Catalog, fmt: str, output: Path, as_known_on: date) -> dict[str, int]:
    """Write the compiled data in format fmt (one of ``FORMATS``) to output; return row counts.

    ``gsdb`` (one row per case and pair of states) and ``gsdb-dyadic`` (one row per pair of
    states and year since 2014) write a CSV file, ``ftm`` a JSON-lines file and ``parquet`` a
    directory; every write is atomic (temporary file or directory beside ``output``, then
    renamed). Counts are per table (parquet), per schema (ftm), rows and cases (gsdb) or rows,
    dyads and cases (gsdb-dyadic). Raises InputError naming ``format`` or ``output`` for an
    unusable value.
    """
    name = (fmt or "").strip().lower()
    if name not in FORMATS:
        raise InputError("format", fmt, "is not gsdb, gsdb-dyadic, ftm or parquet")
    if not isinstance(as_known_on, date):
        raise InputError("as_known_on", as_known_on, "is not a date")
    path = Path(output)
    if not str(output).strip():
        raise InputError("output", output, "is empty")
    index = catalog.index(as_known_on)
    if name == "gsdb":
        return gsdb.write(index, path, as_known_on)
    if name == "gsdb-dyadic":
        return gsdb_dyadic.write(index, path, as_known_on)
    if name == "ftm":
        return ftm.write(index, path)
    return parquet.write(index, path, catalog.version, as_known_on)


__all__ = ["FORMATS", "export"]
