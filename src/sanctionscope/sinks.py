"""Screened files out: CSV or Parquet, written beside the target and renamed when whole.

The temporary file is ``.NAME.PID.XXXXXXXX.part`` in the target's folder: a failed or
stopped run removes its own, and the next run writing the same target removes those of
runs that were killed (their process gone; a live run's files are left alone). Paths
are checked before anything is read: no output may be a folder, lie in a folder that
does not exist, or name the same file as the source or the other output.
"""

from __future__ import annotations

import glob
import io
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sanctionscope.errors import InputError

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
#: Rows the Parquet writer takes at a time within a batch (Arrow's default: 1,024). The
#: statistics of a dictionary column are computed per such slice, over the distinct
#: values it refers to: slices of 64 Ki rows make a 5 M-row screen's writer about a
#: sixth faster, for the same pages and file size.
WRITE_BATCH_ROWS = 1 << 16


def file_format(path: Path, field: str) -> str:
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputError(field, str(path), "must end in .csv or .parquet")
    return found


def check_outputs(source: Path, outputs: dict[str, Path]) -> None:
    """Refuse, before anything is read or written: an output that is a folder, in a folder
    that does not exist or of no known format, and two paths (the source's included) that
    name the same file."""
    for field, path in outputs.items():
        file_format(path, field)
        if path.is_dir():
            raise InputError(field, str(path), "is a folder; give a file name ending in .csv or .parquet")
        if not path.parent.is_dir():
            raise InputError(field, str(path), "is in a folder that does not exist")
    named = [("source", source), *outputs.items()]
    for i, (field, path) in enumerate(named):
        for other, earlier in named[:i]:
            if _same_file(path, earlier):
                raise InputError(field, str(path), f"is the same file as the {other}; give another path")


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)  # links and hard links included
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_csv_types(schema: pa.Schema, field: str = "output") -> None:
    """Every column must be writable as CSV text: lists, structs and maps are not (each
    distinct type tried once, by writing it)."""
    writable: dict[pa.DataType, bool] = {}
    for column in schema:
        if column.type not in writable:
            writable[column.type] = _writable(column.type)
        if not writable[column.type]:
            why = f"is a type a CSV file cannot hold (lists, records); write the {field} as .parquet"
            raise InputError(column.name, str(column.type), why)


def _writable(kind: pa.DataType) -> bool:
    try:
        pacsv.CSVWriter(io.BytesIO(), pa.schema([("x", kind)])).close()
        pa.array([], kind).cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


class Sink:
    """A CSV or Parquet file written batch by batch, atomically (see module docstring)."""

    def __init__(
        self, path: Path, schema: pa.Schema, field: str = "output", statistics: list[str] | None = None
    ) -> None:
        """``statistics``: the Parquet columns to write min/max statistics for (default
        all); for a dictionary column they cost about as much as encoding it."""
        self.path = path
        self.format = file_format(path, field)
        if not path.parent.is_dir():
            raise InputError(field, str(path), "is in a folder that does not exist")
        if self.format == "csv":
            check_csv_types(schema, field)
        sweep_parts(path)
        prefix = f".{path.name}.{os.getpid()}."
        self.schema = schema
        self._writer: Any = None
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=path.parent)
        self._tmp = Path(tmp)
        self._statistics: bool | list[str] = True if statistics is None else statistics
        self._closed = False
        try:
            os.close(fd)
            if self.format == "csv":
                options = pacsv.WriteOptions(quoting_style="needed")
                self._writer = pacsv.CSVWriter(str(self._tmp), schema, write_options=options)
        except BaseException:
            self._tmp.unlink(missing_ok=True)
            raise

    def write(self, batch: pa.RecordBatch) -> None:
        if self._writer is None and not self._closed:
            self._writer = self._parquet_writer(batch)
        self._writer.write_batch(batch)

    def _parquet_writer(self, first: pa.RecordBatch | None) -> Any:
        """The Parquet writer, made when the first batch shows which text columns are worth
        dictionary pages (see :func:`dictionary_columns`)."""
        return pq.ParquetWriter(
            str(self._tmp),
            self.schema,
            write_statistics=self._statistics,
            use_dictionary=dictionary_columns(self.schema, first),
            write_batch_size=WRITE_BATCH_ROWS,
        )

    def close(self) -> None:
        """Finish the temporary file (all of it written, nothing published yet)."""
        writer, self._writer = self._writer, None
        if writer is None and self.format == "parquet" and not self._closed:
            writer = self._parquet_writer(None)  # no rows: still a Parquet file, with the schema
        self._closed = True
        if writer is not None:
            writer.close()

    def publish(self) -> None:
        os.chmod(self._tmp, 0o644)  # mkstemp makes it private; outputs are ordinary files
        os.replace(self._tmp, self.path)

    def commit(self) -> None:
        self.close()
        self.publish()

    def abort(self) -> None:
        self._closed = True  # nothing more to finish: the file goes
        try:
            self.close()
        finally:
            self._tmp.unlink(missing_ok=True)


def dictionary_columns(schema: pa.Schema, first: pa.RecordBatch | None) -> list[str]:
    """The columns worth dictionary pages: categories, and text whose values repeat in
    the first batch. Numbers, dates and text that is mostly distinct (amounts, serial
    numbers) are written plain: building a dictionary only to fall back from it costs
    more than the plain pages, which are also smaller (5 M amounts as text: 0.30 s and
    35 MB plain, 0.49 s and 42 MB through a dictionary)."""
    return [f.name for f in schema if pa.types.is_dictionary(f.type) or _repeated_text(f, first)]


def _repeated_text(f: pa.Field, first: pa.RecordBatch | None) -> bool:
    text = any(kind(f.type) for kind in _TEXT)
    return text and (first is None or _repeats(first.column(f.name)))


_TEXT = (pa.types.is_string, pa.types.is_large_string, pa.types.is_binary)


def _repeats(column: pa.Array) -> bool:
    """Do the values repeat: at most half as many distinct values as rows? (A first batch
    too short to tell keeps the dictionary, which Arrow drops itself if it outgrows a page.)"""
    if len(column) < _JUDGED_FROM:
        return True
    distinct: int = pc.count_distinct(column, mode="all").as_py()
    return 2 * distinct <= len(column)


_JUDGED_FROM = 1024


def sweep_parts(path: Path) -> None:
    """Remove the temporary files of ``path`` left by runs that were killed: those whose
    process is gone (the PID is in the name; a live run's files are left alone)."""
    if os.name != "posix":
        return
    for part in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        pid = part.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            part.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


class Writes:
    """Writes done in order on one background thread, at most one in flight (encoding
    Parquet or CSV runs in Arrow's C++ without the GIL, so it overlaps the next chunks)."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def submit(self, write: Callable[..., None], *args: Any) -> None:
        if self._pending is not None:
            self._pending.result()  # bounds memory and surfaces the writer's errors
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="screen-write")
        self._pending = self._pool.submit(write, *args)

    def finish(self, quietly: bool = False) -> None:
        pending, self._pending = self._pending, None
        try:
            if pending is not None:
                if quietly:
                    pending.exception()  # wait, whatever came of it
                else:
                    pending.result()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
