"""Screening on Apache Spark: the embedded engine's kernel, per partition, through Arrow.

The data files (a few MB) are broadcast once; each Python worker compiles them into the
same batch kernel the embedded screen uses (once per worker process) and screens its
partitions with ``mapInArrow`` — no Python row loop, no cross join. Rows to reject come
out of the same pass with the column and the reason, so counts reconcile:
rows read = answered + rejected.

``pyspark`` is an optional extra (``pip install sanctionscope[spark]``); Java is needed
only for it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sanctionscope.errors import InputError
from sanctionscope.load import default_data_dir
from sanctionscope.screen import OUTPUT, RESTORED, Screening, parse_mapping

#: Columns added for rejected rows (null on answered ones).
REJECT = ("reject_column", "reject_value", "reject_reason")
#: The files a worker needs to rebuild the data set.
_NEEDED = ("jurisdictions.yaml", "reference/hs_nomenclature_un_comtrade.csv")

_WORKER: dict[tuple[Any, ...], Screening] = {}


def session(master: str = "local[*]", app_name: str = "sanctionscope") -> Any:
    """A Spark session whose Python workers run this interpreter (so they import
    sanctionscope); on a cluster, install sanctionscope on the workers instead."""
    import os
    import sys

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName(app_name)
    builder = builder.config("spark.ui.enabled", "false").config(
        "spark.sql.execution.arrow.pyspark.enabled", "true"
    )
    return builder.getOrCreate()


def payload(data: Path | None = None) -> dict[str, bytes]:
    """The data files as bytes, keyed by their path inside the data directory."""
    root = Path(data or default_data_dir())
    files = [
        *sorted((root / "acts").rglob("*.yaml")),
        *sorted((root / "coverage").glob("*.yaml")),
        *sorted((root / "surveys").glob("*.yaml")),
        *(root / n for n in _NEEDED),
    ]
    return {str(f.relative_to(root)): f.read_bytes() for f in files}


def screen_dataframe(
    spark: Any,
    df: Any,
    columns: dict[str, str] | None = None,
    as_known_on: date | None = None,
    data: Path | None = None,
    restore_leading_zeros: bool = False,
) -> tuple[Any, Any]:
    """Screen a Spark DataFrame: (verdicts, rejects).

    ``columns`` maps logical names (origin, destination, hs_code, date, attest) to the
    DataFrame's column names. Verdicts keep the input columns and add verdict,
    measure_id, act_id, reason_code, exceptions (and hs_code_restored when
    ``restore_leading_zeros``); rejects keep the input columns and add
    reject_column, reject_value, reject_reason.
    """
    return split(screen_all(spark, df, columns, as_known_on, data, restore_leading_zeros))


def screen_all(
    spark: Any,
    df: Any,
    columns: dict[str, str] | None = None,
    as_known_on: date | None = None,
    data: Path | None = None,
    restore_leading_zeros: bool = False,
) -> Any:
    """Every row with both groups of columns (verdict ones null on rejects and vice versa):
    one pass; persist it before splitting when both halves are written."""
    from pyspark.sql.types import StringType, StructField, StructType

    spec = ",".join(f"{k}={v}" for k, v in (columns or {}).items())
    mapping = parse_mapping(spec)
    known = as_known_on or date.today()
    files = spark.sparkContext.broadcast(payload(data))
    restored = (RESTORED,) if restore_leading_zeros else ()
    added = [StructField(c, StringType(), True) for c in (*OUTPUT, *restored, *REJECT)]
    schema = StructType([*df.schema.fields, *added])
    restore = restore_leading_zeros

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield all_rows(_screening(files.value, known, mapping, batch.schema, restore), batch)

    return df.mapInArrow(run, schema)


def split(screened: Any) -> tuple[Any, Any]:
    from pyspark.sql import functions as F

    verdicts = screened.filter(F.col("reject_reason").isNull()).drop(*REJECT)
    rejects = screened.filter(F.col("reject_reason").isNotNull()).drop(*OUTPUT, RESTORED)
    return verdicts, rejects


def _screening(
    files: dict[str, bytes], known: date, mapping: dict[str, str], schema: pa.Schema, restore: bool = False
) -> Screening:
    """The worker's screening for this data set (built once per Python worker)."""
    from sanctionscope.engine.catalog import Catalog
    from sanctionscope.load import load_dataset

    key = (
        hash(tuple(sorted((k, len(v)) for k, v in files.items()))),
        known,
        tuple(sorted(mapping.items())),
        schema,
        restore,
    )
    found = _WORKER.get(key)
    if found is None:
        folder = Path(tempfile.mkdtemp(prefix="sanctionscope-data-"))
        for name, content in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
        catalog = Catalog(load_dataset(folder, check=False))
        found = _WORKER[key] = Screening(catalog, known, list(schema.names), schema, mapping, restore)
    return found


def all_rows(screening: Screening, batch: pa.RecordBatch) -> pa.RecordBatch:
    """Every row of ``batch``: answered ones with verdict columns, rejected ones with the
    reject columns (the other group's columns null), in the input order."""
    answered, rejects = screening.batch(batch, 0)
    keep = np.ones(batch.num_rows, bool)
    where = rejects.column("line").to_numpy().astype(np.int64)
    keep[where] = False
    # answered row k is input row position[k]; input row i reads answered row order[i]
    order = np.cumsum(keep) - 1
    pick = pa.array(order, mask=~keep)
    columns = [batch.column(i) for i in range(batch.num_columns)]
    added = screening.added  # OUTPUT, then RESTORED when leading zeros are restored
    for name in added:
        values = answered.column(name).cast(pa.string())
        columns.append(pc.take(values, pick) if len(values) else pa.nulls(batch.num_rows, pa.string()))
    slot = np.full(batch.num_rows, -1, np.int64)
    slot[where] = np.arange(len(where))
    reject_pick = pa.array(slot, mask=slot < 0)
    for source in ("column", "value", "reason"):  # reject_column, reject_value, reject_reason
        columns.append(pc.take(rejects.column(source), reject_pick))
    names = [*batch.schema.names, *added, *REJECT]
    return pa.RecordBatch.from_arrays(columns, names=names)


def screen_path(
    source: str,
    output: str,
    rejects: str | None,
    mapping: dict[str, str],
    as_known_on: date,
    master: str = "local[*]",
    data: Path | None = None,
    restore_leading_zeros: bool = False,
) -> dict[str, Any]:
    """Read CSV or Parquet (file, folder or object-store path), screen, write the verdicts
    and the rejects as folders of Parquet files, or of CSV files for a path ending in .csv
    (the rejects, given no suffix, in the output's format); return the counts (read =
    answered + rejected) and the verdicts. Paths that clash are refused before any work."""
    from pyspark.sql import functions as F

    target = rejects or output.rstrip("/") + "_rejects"
    formats = {output: _format(output, "parquet")}
    formats[target] = _format(target, formats[output])
    _distinct_paths([("source", source), ("output", output), ("rejects", target)])
    spark = session(master)
    reader = spark.read.option("header", "true").option("inferSchema", "false")
    df = reader.csv(source) if _is_csv(source) else spark.read.parquet(source)
    if "csv" in formats.values():
        _flat(df.schema)
    columns = {k: v for k, v in mapping.items() if v != k}
    screened = screen_all(spark, df, columns, as_known_on, data, restore_leading_zeros)
    outcome = F.when(F.col("reject_reason").isNull(), "answered").otherwise("rejected")
    verdicts, rejected = split(screened)
    staging = output.rstrip("/") + "._staging"
    # one pass over the input: both halves land in one folder, then move to their places
    _write(screened.withColumn("_outcome", outcome), staging, formats[output], partition="_outcome")
    staged = (screened.schema, formats[output])
    halves = (("answered", output, verdicts.columns), ("rejected", target, rejected.columns))
    for name, path, kept in halves:
        _move(spark, f"{staging}/_outcome={name}", path, staged, kept, formats[path])
    _delete(spark, staging)
    rows = _read(spark, output, formats[output]).groupBy("verdict").count().collect()
    counts = {r["verdict"]: r["count"] for r in rows}
    bad = _read(spark, target, formats[target]).count()
    answered = sum(counts.values())
    read = df.count()  # counted apart, so that read = answered + rejected is a check
    found = {"read": read, "answered": answered, "rejected": bad, "verdicts": counts}
    return {**found, "rejects_path": target}


def _format(path: str, default: str) -> str:
    name = path.lower().rstrip("/")
    if name.endswith(".csv"):
        return "csv"
    return "parquet" if name.endswith((".parquet", ".pq")) else default


def _distinct_paths(named: list[tuple[str, str]]) -> None:
    """No two of the paths may be the same place (a local path is compared resolved)."""

    def place(path: str) -> str:
        return path.rstrip("/") if "://" in path else str(Path(path).resolve())

    for i, (field, path) in enumerate(named):
        for other, earlier in named[:i]:
            if place(path) == place(earlier):
                raise InputError(field, path, f"is the same path as the {other}; give another path")


def _flat(schema: Any) -> None:
    """A CSV output cannot hold lists, maps or records: refused before any work."""
    for column in schema.fields:
        kind = column.dataType.typeName()
        if kind in ("array", "map", "struct"):
            why = "is a type a CSV file cannot hold (lists, records); write the output as .parquet"
            raise InputError(column.name, column.dataType.simpleString(), why)


def _hadoop(spark: Any, path: str) -> tuple[Any, Any]:
    jvm = spark.sparkContext._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    return hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), hpath


def _delete(spark: Any, path: str) -> None:
    fs, hpath = _hadoop(spark, path)
    fs.delete(hpath, True)


def _move(
    spark: Any, source: str, target: str, staged: tuple[Any, str], columns: list[str], fmt: str
) -> None:
    """Rename a staged half (a move on HDFS and local disks, a copy on object stores); a
    half wanted in another format is read (with the ``staged`` schema and format) and
    written again, and an empty half is written as an empty table with its ``columns``."""
    _delete(spark, target)
    fs, hsource = _hadoop(spark, source)
    if fs.exists(hsource) and staged[1] == fmt:
        fs.rename(hsource, _hadoop(spark, target)[1])
        return
    schema = staged[0]
    from pyspark.sql.types import StructType

    fields = StructType([f for f in schema.fields if f.name in columns])
    if fs.exists(hsource):  # the staged files hold every column, in the staged order
        _write(_read(spark, source, staged[1], schema).select(*columns), target, fmt)
    else:
        _write(spark.createDataFrame([], fields), target, fmt)


def _read(spark: Any, path: str, fmt: str, schema: Any = None) -> Any:
    """A folder written by ``_write`` (CSV read back as text; ``schema`` types it)."""
    reader = spark.read if schema is None else spark.read.schema(schema)
    if fmt == "csv":
        return reader.option("header", "true").csv(path)
    return reader.parquet(path)


def _is_csv(path: str) -> bool:
    if path.lower().endswith(".csv"):
        return True
    local = Path(path)
    return local.is_dir() and any(local.glob("*.csv")) and not any(local.glob("*.parquet"))


def _write(df: Any, path: str, fmt: str, partition: str | None = None) -> None:
    writer = df.write.mode("overwrite")
    if partition:
        writer = writer.partitionBy(partition)
    if fmt == "csv":
        writer.option("header", "true").csv(path)
    else:
        writer.parquet(path)
