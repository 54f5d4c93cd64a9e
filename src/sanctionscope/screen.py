"""Batch screening of shipment files (CSV or Parquet), in chunks, at memory speed.

Each chunk goes through the batch kernel (``engine.kernel``), which answers whole arrays
exactly as ``check`` would. Rows the kernel leaves to ``check`` (rows attesting an
exception, and rows with a value to reject) are answered one by one by :class:`Screener`,
which is also what names the column and reason of a reject. Every input row is
accounted for: answered in the output (same order, input columns plus the verdict
columns) or listed in the rejects file with its line (CSV: the line the row starts on) or
row number (Parquet). Output paths are checked before anything is read (``sinks``).

A code of 3, 5 or 7 digits (a leading zero lost to a spreadsheet) is rejected with a
reason starting ``leading_zero_lost:`` and naming the likely code; when the screen
restores leading zeros, such rows are answered for the zero-padded code and the column
``hs_code_restored`` says which code was read (empty on the other rows).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from weakref import WeakKeyDictionary

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sanctionscope.encode import Encoder
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS, Side
from sanctionscope.engine.kernel import ASK, Ints, Kernel, Outcome
from sanctionscope.errors import InputError
from sanctionscope.screener import COLUMNS, REQUIRED, Screener
from sanctionscope.sinks import Writes
from sanctionscope.tabular import Lines, ReadAhead, Sink, check_outputs, open_source

#: Logical columns and the input column names they default to.
OUTPUT = ("verdict", "measure_id", "act_id", "reason_code", "exceptions", "coverage", "not_covered")
#: Added after OUTPUT when leading zeros are restored: the code read, "" when none was restored.
RESTORED = "hs_code_restored"
REJECTS = pa.schema(
    [("line", pa.int64()), ("column", pa.string()), ("value", pa.string()), ("reason", pa.string())]
)
#: The verdict columns: dictionary-encoded text (in memory one entry per outcome the kernel
#: knows; files get each column's distinct values, see :meth:`Screening.compact`).
OUTCOME = pa.dictionary(pa.int32(), pa.string())
#: A verdict column's dictionary: each outcome's entry, the distinct values, each outcome's value.
Column = tuple[Ints, pa.Array, pa.Array]
#: Rows per chunk: large enough to amortise per-chunk work, small enough that the chunks
#: in flight (one read ahead, one per thread and one more, one being written) stay
#: within a few tens of megabytes.
CHUNK_ROWS = 1 << 17

#: Threads a file screen uses (reading and writing overlap the kernel).
THREADS = 2
#: progress(rows done, work done, work total), work in the source's unit (bytes or rows)
Progress = Callable[[int, int, int], None]


@dataclass
class Summary:
    read: int = 0
    answered: int = 0
    rejected: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    #: answered rows whose code was read with a restored leading zero
    restored: int = 0
    rejects_path: Path | None = None


@dataclass(frozen=True)
class Reject:
    line: int
    column: str
    value: str
    reason: str


def parse_mapping(spec: str | None) -> dict[str, str]:
    """``origin=ctry,hs_code=tnved`` -> logical column -> input column name."""
    mapping = {c: c for c in COLUMNS}
    for part in filter(None, (spec or "").split(",")):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in COLUMNS or not value.strip():
            raise InputError("columns", part, f"is not NAME=COLUMN with NAME in {', '.join(COLUMNS)}")
        mapping[key.strip()] = value.strip()
    return mapping


def default_rejects(output: Path) -> Path:
    return output.with_name(f"{output.name.rsplit('.', 1)[0]}.rejects.csv")


def screen_file(
    catalog: Catalog | Callable[[], Catalog],
    source: Path,
    target: Path,
    rejects: Path | None,
    mapping: dict[str, str],
    as_known_on: date,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    threads: int = THREADS,
    restore_leading_zeros: bool = False,
    grace_days: int = DEFAULT_GRACE_DAYS,
    side: Side = Side.both,
) -> Summary:
    """Screen ``source`` into ``target`` and the rejects file; atomic: all or nothing.
    ``side``: whose law the rows ask about (import, export or both; docs/screening.md).
    ``catalog`` may be a function that loads it: it is then called once the source is
    open, so that loading the data overlaps reading the first chunks."""
    rejects = rejects or default_rejects(target)
    check_outputs(source, {"output": target, "rejects": rejects})
    reader = open_source(source, [mapping[c] for c in COLUMNS], chunk_rows)
    # the first chunks are parsed while the catalog and the batch kernel load
    with ReadAhead((c.batch, c.where) for c in reader.chunks()) as chunks:
        header, schema, restore = reader.header, reader.schema, restore_leading_zeros
        loaded = catalog() if callable(catalog) else catalog
        run = Screening(loaded, as_known_on, header, schema, mapping, restore, grace_days, side)
        _screen_into(run, chunks, target, rejects, threads, progress, reader.progress)
    run.summary.rejects_path = rejects
    return run.finish()


def _screen_into(
    run: Screening,
    chunks: Iterable[tuple[pa.RecordBatch, int | Lines]],
    target: Path,
    rejects: Path,
    threads: int,
    progress: Progress | None,
    position: Callable[[], tuple[int, int]],
) -> None:
    outputs: list[Sink] = []
    # Writing (encoding Parquet or CSV, in Arrow's C++ without the GIL) runs on a thread of
    # its own, one chunk behind: it overlaps reading and screening the next chunks.
    writes = Writes()
    try:
        # statistics for the user's columns (readers skip row groups with them); the
        # verdict columns hold a handful of values, where min/max would skip nothing
        stats = [f.name for f in run.input_schema]
        outputs.append(Sink(target, run.schema, "output", stats))  # one at a time: a stop
        outputs.append(Sink(rejects, REJECTS, "rejects"))  # between them still aborts the first
        for screened, bad in screen_batches(run, chunks, threads):
            writes.submit(_write, outputs, screened, bad, run.compact)
            if progress is not None:
                progress(run.summary.read, *position())
        writes.finish()
        for sink in outputs:  # both whole before either is published
            sink.close()
        for sink in outputs:
            sink.publish()
    except BaseException:
        writes.finish(quietly=True)
        for sink in outputs:
            sink.abort()
        raise


def _write(
    sinks: list[Sink],
    screened: pa.RecordBatch,
    bad: pa.RecordBatch,
    prepare: Callable[[pa.RecordBatch], pa.RecordBatch],
) -> None:
    sinks[0].write(prepare(screened))
    sinks[1].write(bad)


def screen_batches(
    screening: Screening, batches: Iterable[tuple[pa.RecordBatch, int | Lines]], threads: int = 1
) -> Iterator[tuple[pa.RecordBatch, pa.RecordBatch]]:
    """Screen (batch, first line or line of each row) pairs on up to ``threads`` threads,
    yielding in order.

    numpy and Arrow release the GIL in their loops, so chunks screen in parallel; at
    most one chunk more than there are threads is in flight, so memory stays bounded
    while streaming (a 1.2 GB CSV screens in under 600 MB).
    A run stopped midway (an error, Ctrl-C, SIGTERM) drops the chunks not yet started.
    """
    if threads <= 1:
        yield from (screening.batch(b, line) for b, line in batches)
        return
    with ThreadPoolExecutor(threads) as pool:
        window: deque[Future[tuple[pa.RecordBatch, pa.RecordBatch]]] = deque()
        try:
            for b, line in batches:
                window.append(pool.submit(screening.batch, b, line))
                if len(window) > threads:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        except BaseException:
            for pending in window:
                pending.cancel()
            raise


class Screening:
    """One screen in progress: kernel, encoder, fallback screener and the counts.

    Feed it Arrow record batches (any source: files, DuckDB, Spark partitions) with the
    ``header`` and plain ``schema`` given; each batch comes back screened, with its rejects.
    With ``restore_leading_zeros`` codes of 3, 5 or 7 digits are read zero-padded and the
    output has the column :data:`RESTORED` last.
    """

    def __init__(
        self,
        catalog: Catalog,
        as_known_on: date,
        header: list[str],
        schema: pa.Schema,
        mapping: dict[str, str],
        restore_leading_zeros: bool = False,
        grace_days: int = DEFAULT_GRACE_DAYS,
        side: Side = Side.both,
    ) -> None:
        missing = [mapping[c] for c in REQUIRED if mapping[c] not in header]
        if missing:
            raise InputError("columns", ",".join(missing), f"not in the file's header {header}")
        self.added = (*OUTPUT, RESTORED) if restore_leading_zeros else OUTPUT
        clash = [c for c in self.added if c in header]
        if clash:
            raise InputError("columns", ",".join(clash), "already in the input; rename them first")
        self.restore = restore_leading_zeros
        self.side = side
        self.kernel = catalog.kernel(as_known_on, grace_days, side)
        self.encoder = Encoder(catalog, self.kernel, restore_leading_zeros)
        self.screener = Screener(catalog, as_known_on, restore_leading_zeros, grace_days, side)
        self.mapping = mapping
        self.header, self.input_schema = header, schema
        self.attest = mapping["attest"] if mapping["attest"] in header else None
        self.summary = Summary()
        self._lock = threading.Lock()
        self.schema = pa.schema([*schema, *((c, OUTCOME) for c in self.added)])

    def batch(self, batch: pa.RecordBatch, first_line: int | Lines) -> tuple[pa.RecordBatch, pa.RecordBatch]:
        """Screen one batch whose first row is ``first_line`` (or whose rows are on the lines
        ``first_line`` lists, when rows span lines): (answered rows, rejects)."""
        m, enc = self.mapping, self.encoder
        ids = self.kernel.run_rows(
            enc.rows(*((batch.column(m[c]), m[c]) for c in ("origin", "destination", "hs_code", "date")))
        )
        if self.attest is not None:
            ids[enc.attested(batch.column(self.attest))] = ASK
        bad = self._ask(batch, ids, first_line)
        keep = None if not bad else ids >= 0
        answered = ids if keep is None else ids[keep]
        restored = enc.restored(batch.column(m["hs_code"]), m["hs_code"]) if self.restore else None
        if restored is not None and keep is not None:
            restored = restored.filter(pa.array(keep))
        self._count(batch.num_rows, answered, len(bad), restored)
        kept = batch if keep is None else batch.filter(pa.array(keep))
        return self._output(kept, answered, restored), _rejects(bad)

    def _ask(self, batch: pa.RecordBatch, ids: Ints, first_line: int | Lines) -> list[Reject]:
        """Answer the rows the kernel left to ``check``; return those to reject."""
        rows = np.flatnonzero(ids == ASK)
        if not rows.size:
            return []
        names = [self.mapping[c] for c in COLUMNS if self.mapping[c] in self.header]
        bad = []
        for i, row in zip(rows, batch.select(names).take(pa.array(rows)).to_pylist(), strict=True):
            try:
                answer = self.screener.answer({k: _text(v) for k, v in row.items()}, self.mapping)
            except InputError as err:
                column = self.mapping.get(err.field, err.field)
                reason = f"{err.code}: {err.reason}" if err.code else err.reason  # docs/screening.md
                line = int(first_line[i]) if isinstance(first_line, np.ndarray) else first_line + int(i)
                bad.append(Reject(line, column, str(err.value), reason))
                continue
            ids[i] = self.kernel.outcome_id(Outcome.of(answer))
        return bad

    def _output(self, kept: pa.RecordBatch, answered: Ints, restored: pa.Array | None) -> pa.RecordBatch:
        # the verdict columns are dictionary arrays over the outcomes: no string is copied
        indices = pa.array(answered)
        columns = [kept.column(i).cast(f.type) for i, f in enumerate(self.input_schema)]
        for _, _, values in self._dictionaries(int(answered.max(initial=-1))):
            columns.append(pa.DictionaryArray.from_arrays(indices, values, safe=False))
        if restored is not None:
            columns.append(restored)
        return pa.RecordBatch.from_arrays(columns, schema=self.schema)

    def compact(self, screened: pa.RecordBatch) -> pa.RecordBatch:
        """``screened`` with each verdict column over its distinct values instead of over
        every outcome: what a file is written from (a Parquet writer would otherwise fold
        an outcome-sized dictionary again per column and row group)."""
        first = len(self.input_schema)
        answered = screened.column(first).indices.to_numpy()  # shared by the verdict columns
        columns = list(screened.columns)
        for k, (entry, distinct, _) in enumerate(self._dictionaries(int(answered.max(initial=-1)))):
            columns[first + k] = pa.DictionaryArray.from_arrays(entry.take(answered), distinct, safe=False)
        return pa.RecordBatch.from_arrays(columns, schema=self.schema)

    def _dictionaries(self, highest: int) -> list[Column]:
        """Per verdict column over the outcomes known so far: each outcome's entry among the
        column's distinct values, those values, and the value of each outcome; remade only
        when an outcome beyond them is used (outcomes are only ever appended). Kept with
        the kernel: every screen of the process over it starts from them."""
        outcomes = self.kernel.outcomes
        made_for, size, values = _VALUES.get(self.kernel, (None, 0, []))
        if made_for is outcomes and highest < size:
            return values
        size = len(outcomes)  # taken first: a thread may append while this one reads
        values = [_distinct([getattr(o, name) for o in outcomes[:size]]) for name in OUTPUT]
        _VALUES[self.kernel] = (outcomes, size, values)
        return values

    def _count(
        self, read: int, answered: Ints, rejected: int, restored: pa.DictionaryArray | None = None
    ) -> None:
        counts = self.kernel.verdict_counts(answered)
        n_restored = 0 if restored is None else _restored_rows(restored)
        with self._lock:
            s = self.summary
            s.read, s.answered, s.rejected = s.read + read, s.answered + len(answered), s.rejected + rejected
            s.restored += n_restored
            for verdict, n in counts.items():
                s.verdicts[verdict] = s.verdicts.get(verdict, 0) + n

    def finish(self) -> Summary:
        return self.summary


#: Per kernel: the outcomes its verdict columns' dictionaries were made of, their count, those.
_VALUES: WeakKeyDictionary[Kernel, tuple[list[Outcome] | None, int, list[Column]]] = WeakKeyDictionary()


def _distinct(texts: list[str]) -> Column:
    """Each text's entry among the distinct texts, those texts in order of first use, and
    the texts themselves."""
    entries = {text: i for i, text in enumerate(dict.fromkeys(texts))}
    return (
        np.array([entries[t] for t in texts], np.int32),
        pa.array(list(entries), pa.string()),
        pa.array(texts, pa.string()),
    )


def _restored_rows(restored: pa.DictionaryArray) -> int:
    """Rows with a restored code, counted through the (small) dictionary."""
    restored_entry = pc.not_equal(restored.dictionary, "").to_numpy(zero_copy_only=False)
    indices = pc.drop_null(restored.indices).to_numpy()
    return int(np.count_nonzero(restored_entry[indices]))


def _rejects(bad: list[Reject]) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([r.__dict__ for r in bad], schema=REJECTS)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # a timestamp column: its day, as the kernel reads it
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)
