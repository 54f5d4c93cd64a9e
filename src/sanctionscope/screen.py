"""Batch screening of shipment files (CSV or Parquet), in chunks, at memory speed.

Each chunk goes through the batch kernel (``engine.kernel``), which answers whole arrays
exactly as ``check`` would. Rows the kernel leaves to ``check`` (rows attesting an
exception, and rows with a value to reject) are answered one by one by :class:`Screener`,
which is also what names the column and reason of a reject. Every input row is
accounted for: answered in the output (same order, input columns plus the verdict
columns) or listed in the rejects file with its line (CSV) or row number (Parquet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sanctionscope.codes import normalise_code
from sanctionscope.engine.answer import Answer, Question
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.kernel import ASK, Ints, Kernel, Outcome
from sanctionscope.errors import InputError
from sanctionscope.tabular import Sink, open_source

#: Logical columns and the input column names they default to.
COLUMNS = ("origin", "destination", "hs_code", "date", "attest")
REQUIRED = ("origin", "destination", "hs_code", "date")
OUTPUT = ("verdict", "measure_id", "act_id", "reason_code", "exceptions")
REJECTS = pa.schema(
    [("line", pa.int64()), ("column", pa.string()), ("value", pa.string()), ("reason", pa.string())]
)
#: The verdict columns: dictionary-encoded text (a few hundred distinct outcomes).
OUTCOME = pa.dictionary(pa.int32(), pa.string())
#: Rows per chunk: large enough to amortise per-chunk work, small enough for the cache.
CHUNK_ROWS = 1 << 20

#: progress(rows done, work done, work total), work in the source's unit (bytes or rows)
Progress = Callable[[int, int, int], None]


@dataclass
class Summary:
    read: int = 0
    answered: int = 0
    rejected: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
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


class Screener:
    """Answers one row through ``check`` (memoised), or raises InputError naming the column."""

    def __init__(self, catalog: Catalog, as_known_on: date) -> None:
        self.catalog = catalog
        self.as_known_on = as_known_on
        self._cache: dict[tuple[str, str, str, date, tuple[str, ...]], Answer] = {}

    def answer(self, row: dict[str, str], mapping: dict[str, str]) -> Answer:
        values = {k: (row.get(mapping[k]) or "").strip() for k in COLUMNS}
        for name in REQUIRED:
            if not values[name]:
                raise InputError(name, values[name], "is empty")
        origin = self.catalog.resolve(values["origin"], "origin")
        destination = self.catalog.resolve(values["destination"], "destination")
        code = normalise_code(values["hs_code"], "hs_code")
        day = parse_date(values["date"])
        attest = tuple(a.strip() for a in values["attest"].replace(",", ";").split(";") if a.strip())
        key = (origin, destination, code, day, attest)
        cached = self._cache.get(key)
        if cached is None:
            q = Question(origin, destination, code, day, self.as_known_on, attest)
            cached = self._cache[key] = self.catalog.check(q)
        return cached


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("date", text, "is not a date; write YYYY-MM-DD") from None


def screen_file(
    catalog: Catalog,
    source: Path,
    target: Path,
    rejects: Path | None,
    mapping: dict[str, str],
    as_known_on: date,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Summary:
    """Screen ``source`` into ``target`` and the rejects file; atomic: all or nothing."""
    reader = open_source(source, [mapping[c] for c in COLUMNS], chunk_rows)
    run = Screening(catalog, as_known_on, reader.header, reader.schema, mapping)
    outputs = [Sink(target, run.schema), Sink(rejects or default_rejects(target), REJECTS)]
    try:
        for chunk in reader.chunks():
            screened, bad = run.batch(chunk.batch, chunk.first_line)
            outputs[0].write(screened)
            outputs[1].write(bad)
            if progress is not None:
                progress(run.summary.read, *reader.progress())
    except BaseException:
        for sink in outputs:
            sink.abort()
        raise
    for sink in outputs:
        sink.commit()
    run.summary.rejects_path = outputs[1].path
    return run.finish()


class Screening:
    """One screen in progress: kernel, encoder, fallback screener and the counts.

    Feed it Arrow record batches (any source: files, DuckDB, Spark partitions) with the
    ``header`` and plain ``schema`` given; each batch comes back screened, with its rejects.
    """

    def __init__(
        self,
        catalog: Catalog,
        as_known_on: date,
        header: list[str],
        schema: pa.Schema,
        mapping: dict[str, str],
    ) -> None:
        missing = [mapping[c] for c in REQUIRED if mapping[c] not in header]
        if missing:
            raise InputError("columns", ",".join(missing), f"not in the file's header {header}")
        clash = [c for c in OUTPUT if c in header]
        if clash:
            raise InputError("columns", ",".join(clash), "already in the input; rename them first")
        self.kernel = catalog.kernel(as_known_on)
        self.encoder = _Encoder(catalog, self.kernel)
        self.screener = Screener(catalog, as_known_on)
        self.mapping = mapping
        self.header, self.input_schema = header, schema
        self.attest = mapping["attest"] if mapping["attest"] in header else None
        self.summary = Summary()
        self._counts = np.zeros(0, np.int64)
        self.schema = pa.schema([*schema, *((c, OUTCOME) for c in OUTPUT)])

    def batch(self, batch: pa.RecordBatch, first_line: int) -> tuple[pa.RecordBatch, pa.RecordBatch]:
        """Screen one batch whose first row is ``first_line``: (answered rows, rejects)."""
        m, enc = self.mapping, self.encoder
        ids = self.kernel.run(
            enc.days(batch.column(m["date"]), m["date"]),
            enc.origins(batch.column(m["origin"]), m["origin"]),
            enc.destinations(batch.column(m["destination"]), m["destination"]),
            enc.codes(batch.column(m["hs_code"]), m["hs_code"]),
        )
        if self.attest is not None:
            ids[enc.attested(batch.column(self.attest))] = ASK
        bad = self._ask(batch, ids, first_line)
        keep = None if not bad else ids >= 0
        answered = ids if keep is None else ids[keep]
        self._count(batch.num_rows, answered, len(bad))
        return self._output(batch if keep is None else batch.filter(pa.array(keep)), answered), _rejects(bad)

    def _ask(self, batch: pa.RecordBatch, ids: Ints, first_line: int) -> list[Reject]:
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
                bad.append(Reject(first_line + int(i), column, str(err.value), err.reason))
                continue
            ids[i] = self.kernel.outcome_id(Outcome.of(answer))
        return bad

    def _output(self, kept: pa.RecordBatch, answered: Ints) -> pa.RecordBatch:
        # the verdict columns are dictionary arrays over the outcomes: no string is copied
        indices = pa.array(answered)
        columns = [kept.column(i).cast(f.type) for i, f in enumerate(self.input_schema)]
        for name in OUTPUT:
            values = pa.array([getattr(o, name) for o in self.kernel.outcomes], pa.string())
            columns.append(pa.DictionaryArray.from_arrays(indices, values, safe=False))
        return pa.RecordBatch.from_arrays(columns, schema=self.schema)

    def _count(self, read: int, answered: Ints, rejected: int) -> None:
        s = self.summary
        s.read, s.answered, s.rejected = s.read + read, s.answered + len(answered), s.rejected + rejected
        counts = np.bincount(answered, minlength=len(self.kernel.outcomes))
        self._counts = np.pad(self._counts, (0, len(counts) - len(self._counts))) + counts

    def finish(self) -> Summary:
        for outcome, n in zip(self.kernel.outcomes, self._counts.tolist(), strict=False):
            if n:
                self.summary.verdicts[outcome.verdict] = self.summary.verdicts.get(outcome.verdict, 0) + n
        return self.summary


def _rejects(bad: list[Reject]) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([r.__dict__ for r in bad], schema=REJECTS)


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


class _Encoder:
    """Kernel keys from Arrow columns, converting each distinct value once (memoised
    across chunks); values that fail map to the kernel's sentinels, i.e. to ``check``."""

    def __init__(self, catalog: Catalog, kernel: Kernel) -> None:
        self.catalog, self.kernel = catalog, kernel
        self._origins = _Memo(self._origin)
        self._destinations = _Memo(self._destination)
        self._codes = _Memo(self._code)
        self._days = _Memo(self._day)

    def origins(self, column: pa.Array, name: str) -> Ints:
        return self._origins.lookup(_coded(column, name))

    def destinations(self, column: pa.Array, name: str) -> Ints:
        return self._destinations.lookup(_coded(column, name))

    def codes(self, column: pa.Array, name: str) -> Ints:
        return self._codes.lookup(_coded(column, name))

    def days(self, column: pa.Array, name: str) -> Ints:
        kind = column.type
        if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
            days = column if kind == pa.date32() else column.cast(pa.date32())
            if not days.null_count:  # the day numbers as they lie in memory: no copy
                return self.kernel.day_keys(days.view(pa.int32()).to_numpy())
            keys = self.kernel.day_keys(pc.fill_null(days.view(pa.int32()), 0).to_numpy())
            keys[days.is_null().to_numpy(zero_copy_only=False)] = self.kernel.day_key(None)
            return keys
        return self._days.lookup(_coded(column, name))

    def attested(self, column: pa.Array) -> Any:
        text = column.cast(pa.string())
        return pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(pc.fill_null(text, ""))), 0).to_numpy(
            zero_copy_only=False
        )

    def _place(self, value: str | None) -> str | None:
        try:
            return self.catalog.resolve(value or "", "origin")
        except InputError:
            return None

    def _origin(self, value: str | None) -> int:
        return self.kernel.origin_key(self._place(value))

    def _destination(self, value: str | None) -> int:
        return self.kernel.destination_key(self._place(value))

    def _code(self, value: str | None) -> int:
        try:
            return self.kernel.code_key(normalise_code(value or "", "hs_code"))
        except InputError:
            return self.kernel.code_key(None)

    def _day(self, value: str | None) -> int:
        try:
            return self.kernel.day_key(parse_date(value or ""))
        except InputError:
            return self.kernel.day_key(None)


def _coded(column: pa.Array, name: str) -> pa.DictionaryArray:
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise InputError(name, str(kind), "column must be text (codes as numbers lose their leading zeros)")
    return column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)


class _Memo:
    """Keys of distinct values, converted once each. A chunk's dictionary is matched
    against the values seen so far in Arrow (a hash lookup, no Python loop); only new
    values go through ``convert``. A dictionary equal to the last one is not even matched."""

    def __init__(self, convert: Callable[[Any], int]) -> None:
        self.convert = convert
        self.values = pa.array([], pa.string())
        self.keys = np.empty(0, np.int32)
        self._last: tuple[pa.Array, Ints] | None = None

    def table(self, dictionary: pa.Array) -> Ints:
        """Keys of ``dictionary``'s entries, plus the key of a missing value last."""
        if self._last is not None and self._last[0].equals(dictionary):
            return self._last[1]
        dictionary = dictionary.cast(pa.string())
        found = pc.index_in(dictionary, value_set=self.values)
        if found.null_count:
            new = pc.unique(dictionary.filter(found.is_null()))
            fresh = np.array([self.convert(v) for v in new.to_pylist()], np.int32)
            self.values = pa.concat_arrays([self.values, new])
            self.keys = np.concatenate([self.keys, fresh])
            found = pc.index_in(dictionary, value_set=self.values)
        table = np.append(self.keys.take(found.to_numpy()), np.int32(self.convert(None)))
        self._last = (dictionary, table)
        return table

    def lookup(self, column: pa.DictionaryArray) -> Ints:
        table = self.table(column.dictionary)
        indices = column.indices
        if indices.null_count:
            indices = pc.fill_null(indices, len(table) - 1)
        found: Ints = np.take(table, indices.to_numpy(), mode="clip")
        return found
