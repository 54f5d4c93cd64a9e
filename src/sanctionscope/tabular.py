"""Shipment files in and out: CSV and Parquet, streamed in chunks through Arrow.

Reading never infers types: every CSV column stays text as written (codes keep their
leading zeros), and the columns the screen reads come dictionary-encoded, so a value
repeated a million times is decoded once. Writing goes to a temporary file beside the
target and is renamed on success: a failed run leaves no partial output behind.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sanctionscope.errors import InputError

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
TEXT = pa.string()
CODED = pa.dictionary(pa.int32(), pa.string())
BLOCK_BYTES = 1 << 20


def file_format(path: Path, field: str) -> str:
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputError(field, str(path), "must end in .csv or .parquet")
    return found


@dataclass
class Chunk:
    """A batch of rows and the line (CSV) or row number (Parquet) of its first row."""

    first_line: int
    batch: pa.RecordBatch


class Source(Protocol):
    path: Path
    header: list[str]
    #: the columns as read (the coded ones dictionary-encoded: written back as they are)
    schema: pa.Schema
    #: what ``line`` means in messages: a CSV line or a Parquet row number
    unit: str

    def chunks(self) -> Iterator[Chunk]: ...

    def progress(self) -> tuple[int, int]:
        """(done, total) in the source's own unit of progress (bytes or rows)."""
        ...


def open_source(path: Path, coded: list[str], chunk_rows: int) -> Source:
    """Open ``path`` for streaming; ``coded`` columns come dictionary-encoded."""
    if not path.is_file():
        raise InputError("source", str(path), "is not a file")
    if file_format(path, "source") == "csv":
        return CsvSource(path, coded, chunk_rows)
    return ParquetSource(path, coded, chunk_rows)


class _Counting(io.RawIOBase):
    """A binary file that counts the bytes read through it (for the progress bar)."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._file.readinto(buffer)
        self.done += n
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


class CsvSource:
    unit = "line"

    def __init__(self, path: Path, coded: list[str], chunk_rows: int) -> None:
        self.path = path
        self.header, sample = _header(path)
        self.total = path.stat().st_size
        self._types = {c: CODED if c in coded else TEXT for c in self.header}
        self.schema = pa.schema([(c, self._types[c]) for c in self.header])
        # Arrow reads many blocks ahead, so memory grows with the block: blocks stay small
        # (at most 1 MiB, always a few of the longest lines seen) and are joined into chunks
        self._block = max(min(chunk_rows * sample[0], BLOCK_BYTES), 4 * sample[1], 256)
        self._chunk_rows = chunk_rows
        self._stream: _Counting | None = None

    def progress(self) -> tuple[int, int]:
        return (self._stream.done if self._stream else 0, self.total)

    def chunks(self) -> Iterator[Chunk]:
        self._stream = _Counting(self.path)
        try:
            reader = pacsv.open_csv(
                self._stream,
                read_options=pacsv.ReadOptions(block_size=self._block),
                # blank lines stay rows (and get rejected as empty), so row i is line i + 2
                parse_options=pacsv.ParseOptions(ignore_empty_lines=False, newlines_in_values=False),
                convert_options=pacsv.ConvertOptions(column_types=self._types, strings_can_be_null=False),
            )
            line, pending, rows = 2, [], 0
            for batch in reader:
                pending.append(batch)
                rows += batch.num_rows
                if rows >= self._chunk_rows:
                    yield Chunk(line, _joined(pending))
                    line, pending, rows = line + rows, [], 0
            if pending:
                yield Chunk(line, _joined(pending))
        except (pa.ArrowInvalid, UnicodeDecodeError) as err:
            raise _broken(self.path, err) from None
        finally:
            self._stream.close()


def _joined(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    """One batch from several (dictionaries unified)."""
    if len(batches) == 1:
        return batches[0]
    return pa.Table.from_batches(batches).combine_chunks().to_batches()[0]


def _header(path: Path) -> tuple[list[str], tuple[int, int]]:
    """The header, and the mean and longest line length of the first 64 KiB."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        head = handle.read(1 << 16)
    lines = head.splitlines() or [""]
    try:
        header = next(csv.reader([lines[0]]))
    except (csv.Error, StopIteration):
        header = []
    if not header or any(not h.strip() for h in header):
        raise InputError("file", str(path), "has no header line with a name for every column")
    if len(set(header)) != len(header):
        raise InputError("file", str(path), f"repeats a column name in its header {header}")
    sizes = [len(x.encode()) + 1 for x in lines[1:]] or [len(lines[0])]
    return header, (sum(sizes) // len(sizes) + 1, max(sizes))


class ParquetSource:
    unit = "row"

    def __init__(self, path: Path, coded: list[str], chunk_rows: int) -> None:
        self.path = path
        try:
            schema = pq.read_schema(path)
            text = [c for c in coded if c in schema.names and pa.types.is_string(schema.field(c).type)]
            self._file = pq.ParquetFile(path, read_dictionary=text)
        except (pa.ArrowInvalid, OSError) as err:
            raise _broken(path, err) from None
        self.header = list(self._file.schema_arrow.names)
        self.schema = self._file.schema_arrow
        self.total = self._file.metadata.num_rows
        self._chunk_rows = chunk_rows
        self._done = 0

    def progress(self) -> tuple[int, int]:
        return (self._done, self.total)

    def chunks(self) -> Iterator[Chunk]:
        try:
            for batch in self._file.iter_batches(batch_size=self._chunk_rows):
                yield Chunk(self._done + 1, batch)
                self._done += batch.num_rows
        except (pa.ArrowInvalid, OSError) as err:
            raise _broken(self.path, err) from None


def _broken(path: Path, err: BaseException) -> InputError:
    text = str(err).strip()
    why = text.splitlines()[0] if text else type(err).__name__
    return InputError("file", str(path), f"is malformed or truncated: {why}")


class Sink:
    """A CSV or Parquet file written batch by batch, atomically (see module docstring)."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.format = file_format(path, "output")
        if not path.parent.is_dir():
            raise InputError("output", str(path), "is in a directory that does not exist")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or Path("."))
        os.close(fd)
        self._tmp = Path(tmp)
        self.schema = schema
        self._writer: Any
        if self.format == "csv":
            options = pacsv.WriteOptions(quoting_style="needed")
            self._writer = pacsv.CSVWriter(str(self._tmp), schema, write_options=options)
        else:
            self._writer = pq.ParquetWriter(str(self._tmp), schema)

    def write(self, batch: pa.RecordBatch) -> None:
        self._writer.write_batch(batch)

    def commit(self) -> None:
        self._writer.close()
        os.chmod(self._tmp, 0o644)  # mkstemp makes it private; outputs are ordinary files
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self._tmp.unlink(missing_ok=True)
