"""The DuckDB tables of ``store.py`` as Parquet files in one directory, plus ``meta.json``.

Columns and types are those of ``store.SCHEMA`` (VARCHAR -> string, DATE -> date32,
INTEGER -> int32, VARCHAR[] -> list<string>); rows come in the same order ``store.build``
inserts them. Files are deterministic: fixed compression, no timestamps, same writer.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sanctionscope.engine.compile import Index
from sanctionscope.exports._common import write_dir_atomic
from sanctionscope.relational import SCHEMAS, Row, tables


def _table(name: str, rows: list[Row]) -> Any:
    fields = SCHEMAS[name]
    schema = pa.schema([pa.field(col, typ) for col, typ in fields])
    columns = {col: [row[i] for row in rows] for i, (col, _) in enumerate(fields)}
    return pa.Table.from_pydict(columns, schema=schema)


def _write_parquet(table: Any, path: Path) -> None:
    pq.write_table(
        table,
        str(path),
        compression="zstd",
        compression_level=3,
        use_dictionary=True,
        write_statistics=True,
        store_schema=True,
    )


def write(index: Index, output: Path, version: str, as_known_on: date) -> dict[str, int]:
    """Write ``<table>.parquet`` files and ``meta.json`` into the directory ``output``."""
    rows = tables(index)
    counts = {name: len(rows[name]) for name in SCHEMAS}

    def _write(tmp: Path) -> None:
        for name in SCHEMAS:
            _write_parquet(_table(name, rows[name]), tmp / f"{name}.parquet")
        meta = {"dataset_version": version, "as_known_on": as_known_on.isoformat(), "tables": counts}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    write_dir_atomic(output, _write)
    return counts
