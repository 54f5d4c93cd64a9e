"""An upload screened within the server's bounds, rejects at array speed.

The server screens uploads with the same :class:`~sanctionscope.screen.Screening` as the
CLI, but a request may not cost more than :class:`~sanctionscope.web.limits.Limits`
allow: before reading, a Parquet file's footer and dictionaries are checked (rows, bytes
per column, longest value: an 11 KB file can hold a 300 MB string, or 30 million rows of
one value), and a CSV file's lines are counted; while screening, rows, cells, column bytes
and the bytes written are counted, and the screen stops with :class:`Refused` as soon as
one is over. Output is written atomically, so a refused screen leaves nothing behind.

Each chunk is screened once per distinct (origin, destination, hs_code, date, attest):
the answers depend on nothing else, so a flood of identical rows (ten million empty
lines, say) costs one answer and array operations, whether the rows are answered or
rejected. Counts, rejects and their lines are exactly those of the CLI's screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import Side
from sanctionscope.screen import REJECTS, RESTORED, Screening, Summary
from sanctionscope.screener import COLUMNS
from sanctionscope.tabular import Lines, Sink, file_format, open_source
from sanctionscope.web.limits import CLI_HINT, Limits

#: Rows per chunk on the server: small, so that one chunk's output is small too.
CHUNK_ROWS = 1 << 16
Ints = np.ndarray


class Refused(Exception):
    """A request over one of the server's limits (answered 413, with a stable code)."""

    def __init__(self, code: str, detail: str, value: object = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.value = code, detail, value


def screen_bounded(
    catalog: Catalog,
    source: Path,
    target: Path,
    rejects: Path,
    mapping: dict[str, str],
    as_known_on: date,
    limits: Limits,
    restore: bool = False,
    written: Callable[[], int] | None = None,
    side: Side = Side.both,
) -> Summary:
    """Screen ``source`` into ``target`` and ``rejects`` within ``limits``, or raise Refused.

    ``written`` tells the bytes written so far (default: the two outputs' folder, less
    the source); it is checked after every chunk against ``limits.max_output_bytes``.
    """
    preflight(source, limits)
    reader = open_source(source, [mapping[c] for c in COLUMNS], CHUNK_ROWS)
    run = Screening(catalog, as_known_on, reader.header, reader.schema, mapping, restore, side=side)
    keys = [mapping[c] for c in COLUMNS if mapping[c] in reader.header]
    spent = written or (lambda: _folder_bytes(target.parent, source))
    csv_out = file_format(target, "output") == "csv"
    summary, columns = Summary(), dict.fromkeys(reader.header, 0)
    sinks = [Sink(target, run.schema), Sink(rejects, REJECTS)]
    try:
        for chunk in reader.chunks():
            summary.read += chunk.batch.num_rows
            if summary.read > limits.max_rows:
                raise _too_many_rows(limits)
            text = measure(chunk.batch, columns, limits)
            if csv_out and spent() + text > limits.max_output_bytes:
                raise _output_over(limits)
            answered, bad = screen_distinct(run, chunk.batch, chunk.where, keys)
            _count(summary, answered, bad.num_rows, restore)
            sinks[0].write(run.compact(answered))
            sinks[1].write(bad)
            if spent() > limits.max_output_bytes:
                raise _output_over(limits)
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    for sink in sinks:
        sink.commit()
    summary.rejects_path = rejects
    return summary


def screen_distinct(
    run: Screening, batch: pa.RecordBatch, first_line: int | Lines, keys: list[str]
) -> tuple[pa.RecordBatch, pa.RecordBatch]:
    """``run.batch(batch, first_line)``, screening each distinct key only once
    (``first_line``: the line of the first row, or of every row when values span lines)."""
    inverse, firsts = distinct_rows([batch.column(k) for k in keys], batch.num_rows)
    if len(firsts) == batch.num_rows:
        return run.batch(batch, first_line)
    answered, bad = run.batch(batch.take(pa.array(firsts)), 0)
    rejected = np.zeros(len(firsts), bool)
    bad_of = np.full(len(firsts), -1, np.int64)
    lines = bad.column("line").to_numpy()
    rejected[lines], bad_of[lines] = True, np.arange(len(lines))
    if answered.num_rows != len(firsts) - int(rejected.sum()):  # not one outcome per row: no shortcut
        return run.batch(batch, first_line)
    row_bad = rejected[inverse]
    answer_of = np.cumsum(~rejected) - 1  # a kept distinct row's position in ``answered``
    keep = ~row_bad
    kept = batch if keep.all() else batch.filter(pa.array(keep))
    take = pa.array(answer_of[inverse[keep]])
    width = len(run.input_schema)
    out = [kept.column(i).cast(f.type) for i, f in enumerate(run.input_schema)]
    out += [answered.column(j).take(take) for j in range(width, answered.num_columns)]
    rows = np.flatnonzero(row_bad)
    pick = pa.array(bad_of[inverse[rows]])
    where = first_line + rows if isinstance(first_line, int) else first_line[rows]
    rejects = [pa.array(where, pa.int64())]
    rejects += [bad.column(name).take(pick) for name in REJECTS.names[1:]]
    return (
        pa.RecordBatch.from_arrays(out, schema=run.schema),
        pa.RecordBatch.from_arrays(rejects, schema=REJECTS),
    )


def distinct_rows(columns: list[pa.Array], n: int) -> tuple[Ints, Ints]:
    """(row -> distinct id, first row of each distinct id), ids numbered in row order."""
    key = np.zeros(n, np.int64)
    for column in columns:
        codes = _codes(column, n)
        key = key * (int(codes.max(initial=0)) + 1) + codes
        _, key = np.unique(key, return_inverse=True)
    _, firsts, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(firsts)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse.reshape(-1)], firsts[order]


def _codes(column: pa.Array, n: int) -> Ints:
    """Non-negative ints, equal where the values are equal (nulls are a value)."""
    try:
        coded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column, "encode")
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        return np.arange(n, dtype=np.int64)  # not encodable: every row distinct
    indices = pc.fill_null(coded.indices.cast(pa.int64()), -1)
    return indices.to_numpy() + 1  # type: ignore[no-any-return]


def measure(batch: pa.RecordBatch, columns: dict[str, int], limits: Limits) -> int:
    """Check the batch's cells and add its bytes per column to ``columns``; its text bytes."""
    total = 0
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        longest, size = _text_bytes(column)
        if longest > limits.max_cell_bytes:
            raise Refused(
                "cell_too_large",
                f"A value of column {name!r} is over {limits.max_cell_bytes:,} bytes, the longest "
                f"this server reads; {CLI_HINT}.",
                name,
            )
        columns[name] = columns.get(name, 0) + size
        if columns[name] > limits.max_column_bytes:
            raise _column_over(name, limits)
        total += size
    return total


def _text_bytes(column: pa.Array) -> tuple[int, int]:
    """(longest value, bytes of all the values) of a text column; sizes of the others."""
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if not _texty(kind):
        return 0, column.nbytes
    if pa.types.is_dictionary(column.type):
        lengths = pc.binary_length(column.dictionary).to_numpy(zero_copy_only=False)
        if not len(lengths):
            return 0, 0
        indices = pc.fill_null(column.indices, 0).to_numpy()
        return int(lengths.max()), int(lengths[indices].sum())
    lengths = pc.binary_length(column)
    return int(pc.max(lengths).as_py() or 0), int(pc.sum(lengths).as_py() or 0)


def preflight(source: Path, limits: Limits) -> None:
    """Refuse before reading what is plainly over the limits (see the module docstring)."""
    if file_format(source, "file") == "csv":
        if _csv_rows(source) > limits.max_rows:
            raise _too_many_rows(limits)
        return
    try:
        meta = pq.read_metadata(source)
        schema = pq.read_schema(source)
    except (pa.ArrowInvalid, OSError):
        return  # the reader names what is wrong with the file
    if meta.num_rows > limits.max_rows:
        raise _too_many_rows(limits)
    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
    if nested:
        raise Refused(
            "nested_column",
            f"Column {nested[0]!r} holds nested values (lists or records); the server screens flat "
            f"tables only; {CLI_HINT}.",
            nested[0],
        )
    sizes: dict[str, int] = {}
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for c in range(group.num_columns):
            chunk = group.column(c)
            name = chunk.path_in_schema
            sizes[name] = sizes.get(name, 0) + max(chunk.total_uncompressed_size, 0)
            if sizes[name] > limits.max_column_bytes:
                raise _column_over(name, limits)
    _parquet_values(source, schema, limits)


def _parquet_values(source: Path, schema: pa.Schema, limits: Limits) -> None:
    """Every text value of a Parquet file measured through its dictionaries (no string is
    decoded), so that reading it for real stays within the cell and column limits."""
    text = [f.name for f in schema if _texty(f.type)]
    if not text:
        return
    handle = pq.ParquetFile(source, read_dictionary=text)
    columns: dict[str, int] = {}
    for batch in handle.iter_batches(batch_size=CHUNK_ROWS, columns=text):
        measure(batch, columns, limits)


def _texty(kind: pa.DataType) -> bool:
    t = pa.types
    return bool(t.is_string(kind) or t.is_large_string(kind) or t.is_binary(kind) or t.is_large_binary(kind))


def _csv_rows(source: Path) -> int:
    """Rows of a CSV file as the reader sees them: one per line after the header."""
    lines, last = 0, b"\n"
    with source.open("rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines - 1 + (last != b"\n")


def _folder_bytes(folder: Path, leave_out: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p != leave_out and p.is_file())


def _count(summary: Summary, answered: pa.RecordBatch, rejected: int, restore: bool) -> None:
    summary.answered += answered.num_rows
    summary.rejected += rejected
    verdicts = answered.column(answered.schema.get_field_index("verdict"))
    for verdict, n in _tally(verdicts).items():
        summary.verdicts[verdict] = summary.verdicts.get(verdict, 0) + n
    if restore:
        restored = _tally(answered.column(answered.schema.get_field_index(RESTORED)))
        summary.restored += sum(n for code, n in restored.items() if code)


def _tally(column: pa.Array) -> dict[str, int]:
    """Rows per value of a dictionary-encoded text column (no string decoded per row)."""
    values = column.dictionary.to_pylist()
    counts = np.bincount(pc.drop_null(column.indices).to_numpy(), minlength=len(values))
    out: dict[str, int] = {}
    for value, n in zip(values, counts.tolist(), strict=True):
        if n:
            out[value] = out.get(value, 0) + n
    return out


def _too_many_rows(limits: Limits) -> Refused:
    return Refused(
        "too_many_rows",
        f"The file has more than {limits.max_rows:,} rows, the most this server screens at once; {CLI_HINT}.",
    )


def _output_over(limits: Limits) -> Refused:
    return Refused(
        "output_too_large",
        f"The screened file would be over {limits.max_output_bytes:,} bytes, the most this server "
        f"keeps for one request; {CLI_HINT}.",
    )


def _column_over(name: str, limits: Limits) -> Refused:
    return Refused(
        "column_too_large",
        f"Column {name!r} holds over {limits.max_column_bytes:,} bytes of values, the most this "
        f"server reads in one column; {CLI_HINT}.",
        name,
    )
