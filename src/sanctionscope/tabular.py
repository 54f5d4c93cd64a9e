"""Shipment files in and out: CSV and Parquet, streamed in chunks through Arrow.

Reading never infers types: every CSV column stays text as written (codes keep their
leading zeros), and the columns the screen reads come dictionary-encoded, so a value
repeated a million times is decoded once. Every column of the header comes through under
its name as written (however long the header, whatever characters the names hold), or
the file is refused. A quoted value may span lines: rows are then numbered by the line
they start on. Writing goes to a temporary file beside the target (``.NAME.PID.*.part``)
and is renamed on success: a failed run leaves no partial output behind, and the next
run writing the same target removes what a killed run (its process gone) left
(``sinks``).
"""

from __future__ import annotations

import codecs
import csv
import io
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sanctionscope.errors import InputError
from sanctionscope.sinks import FORMATS, Sink, check_outputs, file_format

__all__ = ["FORMATS", "Chunk", "ReadAhead", "Sink", "Source", "check_outputs", "file_format", "open_source"]

T = TypeVar("T")

TEXT = pa.string()
CODED = pa.dictionary(pa.int32(), pa.string())
BLOCK_BYTES = 1 << 20
#: The longest row read: a longer one is refused (an unclosed quote, mostly).
MAX_ROW_BYTES = 1 << 26
Lines = npt.NDArray[np.int64]


@dataclass
class Chunk:
    """A batch of rows and the line (CSV) or row number (Parquet) of its first row."""

    first_line: int
    batch: pa.RecordBatch
    #: the line each row starts on, when a quoted value spans lines (else first_line + i)
    lines: Lines | None = None

    @property
    def where(self) -> int | Lines:
        """What ``Screening.batch`` takes: the first line, or the line of every row."""
        return self.first_line if self.lines is None else self.lines


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
        head = _header(path)
        self.header = head.names
        self.total = path.stat().st_size
        self._types = {c: CODED if c in coded else TEXT for c in self.header}
        self.schema = pa.schema([(c, self._types[c]) for c in self.header])
        # Arrow reads many blocks ahead, so memory grows with the block: blocks stay small
        # (at most 1 MiB, always a few of the longest lines seen) and are joined into chunks;
        # a longer row met later restarts the read after the rows given, with larger blocks
        self._block = max(min(chunk_rows * head.mean, BLOCK_BYTES), 4 * head.longest, 256)
        self._first_line = head.lines + 1
        self._chunk_rows = chunk_rows
        self._stream: _Counting | None = None

    def progress(self) -> tuple[int, int]:
        return (self._stream.done if self._stream else 0, self.total)

    def chunks(self) -> Iterator[Chunk]:
        done, line, block = 0, self._first_line, self._block
        while True:
            try:
                for chunk, after in self._read(block, done, line):
                    done, line = done + chunk.batch.num_rows, after
                    yield chunk
                return
            except pa.ArrowInvalid as err:
                if "straddl" not in str(err) or block >= MAX_ROW_BYTES:
                    raise _broken(self.path, err, line) from None
                block = min(block * 16, MAX_ROW_BYTES)
            except UnicodeDecodeError as err:
                raise _broken(self.path, err) from None

    def _read(self, block: int, skip: int, line: int) -> Iterator[tuple[Chunk, int]]:
        """Chunks after the first ``skip`` rows (``line`` the line of the first one given),
        each with the line that follows it."""
        self._stream = _Counting(self.path)
        try:
            reader = pacsv.open_csv(
                self._stream,
                read_options=pacsv.ReadOptions(block_size=block, skip_rows_after_names=skip),
                # blank lines stay rows (and get rejected as empty), so no line goes unnumbered
                parse_options=pacsv.ParseOptions(ignore_empty_lines=False, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types=self._types, strings_can_be_null=False),
            )
            _same_header(self.path, self.header, reader.schema.names)
            pending, rows = [], 0
            for batch in reader:
                pending.append(batch)
                rows += batch.num_rows
                if rows >= self._chunk_rows:
                    chunk = _chunk(line, pending)
                    line, pending, rows = chunk[1], [], 0
                    yield chunk
            if pending:
                yield _chunk(line, pending)
        finally:
            self._stream.close()


def _chunk(line: int, batches: list[pa.RecordBatch]) -> tuple[Chunk, int]:
    """The chunk of ``batches`` starting on ``line``, and the line after it."""
    batch = _joined(batches)
    extra = _line_breaks(batch)
    if extra is None:
        return Chunk(line, batch), line + batch.num_rows
    starts = line + np.arange(batch.num_rows, dtype=np.int64) + np.cumsum(extra) - extra
    return Chunk(line, batch, starts), line + batch.num_rows + int(extra.sum())


def _joined(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    """One batch from several (dictionaries unified)."""
    if len(batches) == 1:
        return batches[0]
    return pa.Table.from_batches(batches).combine_chunks().to_batches()[0]


def _line_breaks(batch: pa.RecordBatch) -> Lines | None:
    """Line breaks inside each row's values, or None when there are none (the usual case:
    one pass over the bytes of the plain columns, over the dictionaries of the coded ones)."""
    total: Lines | None = None
    for column in batch.columns:
        found = _breaks(column)
        if found is not None:
            total = found if total is None else total + found
    return total


def _breaks(column: pa.Array) -> Lines | None:
    if pa.types.is_dictionary(column.type):
        per = _breaks(column.dictionary)
        if per is None:
            return None
        rows: Lines = per[pc.fill_null(column.indices, 0).to_numpy(zero_copy_only=False)]
        return rows
    if not _has_break(column):
        return None
    counts = [pc.count_substring(column, b) for b in ("\n", "\r", "\r\n")]  # \r\n is one break
    found: Lines = pc.subtract(pc.add(counts[0], counts[1]), counts[2]).to_numpy(zero_copy_only=False)
    return found.astype(np.int64)


def _has_break(column: pa.Array) -> bool:
    """Whether a value holds a CR or LF, from the column's bytes (no per-value work)."""
    offsets, data = column.buffers()[1:3]
    if data is None or not len(column):
        return False
    kind = np.int64 if pa.types.is_large_string(column.type) else np.int32
    ends = np.frombuffer(offsets, kind, count=len(column) + 1, offset=column.offset * kind().itemsize)
    text = np.frombuffer(data, np.uint8)[ends[0] : ends[-1]]
    if not np.count_nonzero(text < 14):  # no control character below CR: no break (fast path)
        return False
    return bool(np.count_nonzero(text == 10) or np.count_nonzero(text == 13))


@dataclass(frozen=True)
class _Head:
    names: list[str]
    #: the lines the header takes (more than one when a quoted name holds a line break)
    lines: int
    #: mean and longest length in bytes of the lines after it (a sample), the header's included
    mean: int
    longest: int


def _header(path: Path) -> _Head:
    """The header, read whole (however long), and the line lengths that follow it."""
    taken: list[str] = []  # the physical lines of the header record

    def lines(handle: Iterator[str]) -> Iterator[str]:
        for line in handle:  # newline="": CR, LF and CRLF end a line, as for Arrow
            taken.append(line)
            yield line

    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            names = next(csv.reader(lines(handle)), [])
    except UnicodeDecodeError:
        raise InputError("file", str(path), "is not UTF-8 text") from None
    except csv.Error as err:
        raise InputError("file", str(path), f"has a header line that cannot be read: {err}") from None
    if not names or any(not h.strip() for h in names):
        raise InputError("file", str(path), "has no header line with a name for every column")
    if len(set(names)) != len(names):
        raise InputError("file", str(path), f"repeats a column name in its header {names}")
    size = sum(len(line.encode()) for line in taken)
    with path.open("rb") as raw:
        bom = raw.read(3) == codecs.BOM_UTF8
        raw.seek(size + 3 * bom)
        sample = raw.read(1 << 16)
    sizes = [len(x) + 1 for x in sample.splitlines()] or [size]
    return _Head(names, max(len(taken), 1), sum(sizes) // len(sizes) + 1, max(*sizes, size))


def _same_header(path: Path, names: list[str], read: list[str]) -> None:
    """Arrow's reading of the header must be ours, or columns would be renamed or lost."""
    if read == names:
        return
    at = next(i for i, (a, b) in enumerate(zip([*names, None], [*read, None], strict=False)) if a != b)
    mine, theirs = [*names, None][at], [*read, None][at]
    why = f"has a header read two ways (column {at + 1}: {mine!r} or {theirs!r}); quote its names"
    raise InputError("file", str(path), why)


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


def _broken(path: Path, err: BaseException, line: int | None = None) -> InputError:
    text = str(err).strip()
    why = text.splitlines()[0] if text else type(err).__name__
    if "straddl" in why:  # Arrow's words for a row longer than its blocks
        why = f"a row from line {line} on is longer than {MAX_ROW_BYTES >> 20} MiB (an unclosed quote?)"
    return InputError("file", str(path), f"is malformed or truncated: {why}")


class ReadAhead(Iterator[T]):
    """``items`` produced on a thread of their own, at most ``depth`` ahead of the reader.

    Parsing a file runs in Arrow's C++ without the GIL, so the first chunks are read while
    the caller does other work (loading the batch kernel). :meth:`close` (or the end of
    a ``with`` block) stops the producer; its errors are raised to the reader, in order.
    """

    _END = object()

    def __init__(self, items: Iterator[T], depth: int = 1) -> None:
        self._queue: queue.Queue[Any] = queue.Queue(depth)
        self._stop = threading.Event()
        self._done = False
        self._thread = threading.Thread(target=self._produce, args=(items,), name="read-ahead", daemon=True)
        self._thread.start()

    def _produce(self, items: Iterator[T]) -> None:
        try:
            for item in items:
                if not self._put(item):
                    return
            self._put(self._END)
        except BaseException as err:  # handed to the reader, raised there
            self._put(err)
        finally:
            # a reader stopped early: the source's generator closes its file now, not
            # whenever it is collected
            close = getattr(items, "close", None)
            if close is not None:
                close()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        item = self._queue.get()
        if item is self._END or isinstance(item, BaseException):
            self._done = True
            self._thread.join()
            if isinstance(item, BaseException):
                raise item
            raise StopIteration
        return item  # type: ignore[no-any-return]

    def close(self) -> None:
        self._stop.set()
        self._done = True
        self._thread.join()

    def __enter__(self) -> ReadAhead[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
