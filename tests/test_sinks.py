"""Output files and the reading thread: what a screened file holds however it was written,
and that reading ahead neither loses, reorders nor outlives what it reads."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctionscope.sinks import Sink, dictionary_columns
from sanctionscope.tabular import ReadAhead

SCHEMA = pa.schema(
    [
        ("origin", pa.dictionary(pa.int32(), pa.string())),
        ("port", pa.string()),
        ("value_usd", pa.string()),
        ("weight", pa.int64()),
    ]
)


def _batch(rows: int, offset: int = 0) -> pa.RecordBatch:
    return pa.record_batch(
        [
            pa.array(["PL", "DE"] * (rows // 2)).dictionary_encode(),
            pa.array(["Gdansk", "Hamburg", "Riga", "Kotka"] * (rows // 4)),
            pa.array([f"{offset + i}.50" for i in range(rows)]),
            pa.array(range(offset, offset + rows), pa.int64()),
        ],
        schema=SCHEMA,
    )


def _encodings(path: Path) -> dict[str, tuple[str, ...]]:
    group = pq.ParquetFile(path).metadata.row_group(0)
    return {group.column(i).path_in_schema: group.column(i).encodings for i in range(group.num_columns)}


def test_repeated_text_gets_dictionary_pages_and_distinct_text_plain_ones(tmp_path: Path) -> None:
    assert dictionary_columns(SCHEMA, _batch(2000)) == ["origin", "port"]
    assert dictionary_columns(SCHEMA, _batch(20)) == ["origin", "port", "value_usd"]  # too few to tell
    sink = Sink(tmp_path / "out.parquet", SCHEMA)
    for k in range(3):
        sink.write(_batch(2000, 2000 * k))
    sink.commit()
    found = _encodings(tmp_path / "out.parquet")
    assert "RLE_DICTIONARY" in found["port"]
    assert "RLE_DICTIONARY" not in found["value_usd"]
    assert pq.read_table(tmp_path / "out.parquet").equals(
        pa.Table.from_batches([_batch(2000, 2000 * k) for k in range(3)])
    )


def test_a_file_with_no_rows_is_still_a_parquet_file_with_the_schema(tmp_path: Path) -> None:
    Sink(tmp_path / "out.parquet", SCHEMA).commit()
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == 0
    assert table.schema.names == SCHEMA.names


def test_an_aborted_file_leaves_nothing_behind(tmp_path: Path) -> None:
    sink = Sink(tmp_path / "out.parquet", SCHEMA)
    sink.write(_batch(12))
    sink.abort()
    assert list(tmp_path.iterdir()) == []


def test_statistics_are_written_for_the_columns_asked(tmp_path: Path) -> None:
    sink = Sink(tmp_path / "out.parquet", SCHEMA, statistics=["port", "weight"])
    sink.write(_batch(1000))
    sink.commit()
    group = pq.ParquetFile(tmp_path / "out.parquet").metadata.row_group(0)
    stats = {group.column(i).path_in_schema: group.column(i).statistics for i in range(4)}
    assert stats["weight"] is not None and (stats["weight"].min, stats["weight"].max) == (0, 999)
    assert stats["port"] is not None and stats["port"].has_min_max
    assert stats["value_usd"] is None or not stats["value_usd"].has_min_max


@given(st.lists(st.integers(), max_size=50), st.integers(min_value=1, max_value=4))
def test_reading_ahead_gives_every_item_in_order(items: list[int], depth: int) -> None:
    with ReadAhead(iter(items), depth) as ahead:
        assert list(ahead) == items


def test_reading_ahead_raises_the_readers_error_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("line 3: unclosed quote")

    got: list[int] = []
    with ReadAhead(items()) as ahead, pytest.raises(ValueError, match="line 3"):
        for item in ahead:
            got.append(item)
    assert got == [1, 2]


def test_closing_stops_the_reader_without_reading_the_rest() -> None:
    produced: list[int] = []
    finished: list[str] = []

    def items() -> Iterator[int]:
        try:
            for i in range(1000):
                produced.append(i)
                yield i
        finally:
            finished.append("source closed")

    ahead = ReadAhead(items(), depth=1)
    assert next(ahead) == 0
    closing = threading.Thread(target=ahead.close, daemon=True)
    closing.start()
    closing.join(timeout=10)
    assert not closing.is_alive(), "close() waits on a reader that never stops"
    time.sleep(0.1)
    assert len(produced) <= 3  # the one given, the one waiting, the one being put
    assert finished == ["source closed"]
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
