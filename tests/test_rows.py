"""The compiled row loop gives the ids the NumPy passes give, on any input (indices out of
their tables included), and the encoder's row form gives the ids of the kernel's keys."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sanctionscope.engine import rows as rows_module
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.kernel import ASK
from sanctionscope.engine.rows import AnswerTable, RowKeys, outcome_ids, tally
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.screen import Screening, parse_mapping

TODAY = date(2026, 11, 30)
INT32 = st.integers(-(2**20), 2**20)


def _ints(size: int, elements: st.SearchStrategy[int] = INT32) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.int32, size, elements=elements)


def test_the_compiled_loop_is_built() -> None:
    # the machines this project installs on have a C compiler: a build that lost the
    # extension would fall back to NumPy silently, at half the speed
    assert rows_module.compiled is not None


@st.composite
def row_keys(draw: st.DrawFn) -> tuple[RowKeys, np.ndarray, int, np.ndarray]:
    n = draw(st.integers(0, 300))
    small = st.integers(-5, 40)
    tables = [draw(st.integers(1, 30)) for _ in range(5)]
    keys = RowKeys(
        origin=draw(_ints(n, small)),
        destination=draw(_ints(n, small)),
        destinations=draw(st.integers(1, 8)),
        pairs=draw(_ints(tables[0], st.integers(-3, 60))),
        day=draw(_ints(n, st.integers(16000, 16100))),
        day_lo=draw(st.integers(15990, 16090)),
        day_table=draw(_ints(tables[1], st.integers(-3, 60))),
        code=draw(_ints(n, small)),
        code_table=draw(_ints(tables[2], st.integers(-3, 60))),
    )
    stride = draw(st.integers(1, 12))
    return keys, draw(_ints(tables[3], st.integers(-3, 90))), stride, draw(_ints(tables[4]))


@settings(max_examples=400, deadline=None)
@given(row_keys())
def test_compiled_and_numpy_lookups_agree_on_any_input(
    case: tuple[RowKeys, np.ndarray, int, np.ndarray],
) -> None:
    keys, situation, stride, answers = case
    compiled = outcome_ids(keys, situation, stride, answers)
    assert compiled.tolist() == outcome_ids(keys, situation, stride, answers, use_compiled=False).tolist()


def test_lookups_follow_the_documented_formula() -> None:
    keys = RowKeys(
        origin=np.array([0, 1, 9], np.int32),
        destination=np.array([1, 0, -4], np.int32),
        destinations=2,
        pairs=np.array([0, 10, 20, 30], np.int32),
        day=np.array([100, 101, 500], np.int32),
        day_lo=100,
        day_table=np.array([0, 1, 2], np.int32),
        code=np.array([2, 0, 1], np.int32),
        code_table=np.array([0, 1, 2], np.int32),
    )
    situation = np.arange(40, dtype=np.int32)
    answers = np.arange(200, dtype=np.int32) + 1000
    # rows of 3 answers. row 0: pair 1 -> 10, epoch 0 -> cell 10 -> row 10 -> 30, code 2 -> 32
    # row 1: pair 2 -> 20, epoch 1 -> cell 21 -> row 21 -> 63, code 0 -> 63
    # row 2: pair 16 clipped to 3 -> 30, day 400 clipped to 2 -> cell 32 -> 96, code 1 -> 97
    expected = [1032, 1063, 1097]
    assert outcome_ids(keys, situation, 3, answers).tolist() == expected
    assert outcome_ids(keys, situation, 3, answers, use_compiled=False).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_folded_answers_give_every_class_its_own_answers(data: st.DataObject) -> None:
    width = data.draw(st.integers(1, 30))
    rows = [data.draw(_ints(width, st.integers(-1, 3))) for _ in range(data.draw(st.integers(1, 8)))]
    # folded all at once, or the first rows first and then refined by the others (as a
    # lazy kernel does while it builds), a few rows at a time
    first = data.draw(st.integers(1, len(rows)))
    saved, rows_module.FOLD_ROWS = rows_module.FOLD_ROWS, data.draw(st.integers(1, 3))
    try:
        tables = [AnswerTable.of(rows), AnswerTable.of(rows, AnswerTable.of(rows[:first]))]
    finally:
        rows_module.FOLD_ROWS = saved
    distinct_columns = {tuple(int(r[c]) for r in rows) for c in range(width)}
    for table in tables:
        assert table.stride == len(distinct_columns)  # equal columns folded, no others
        for r, row in enumerate(rows):
            found = table.answers[r * table.stride + table.columns(np.arange(width, dtype=np.int32))]
            assert found.tolist() == row.tolist()


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_tally_counts_each_class_as_bincount(data: st.DataObject) -> None:
    classes = data.draw(st.integers(1, 6))
    class_of = data.draw(_ints(data.draw(st.integers(1, 40)), st.integers(0, classes - 1)))
    ids = data.draw(_ints(data.draw(st.integers(0, 500)), st.integers(0, len(class_of) - 1)))
    expected = np.bincount(class_of[ids], minlength=classes).tolist()
    assert tally(ids, class_of, classes).tolist() == expected
    assert tally(ids, class_of, classes, use_compiled=False).tolist() == expected


def test_compiled_tally_refuses_an_id_outside_the_table() -> None:
    with pytest.raises(IndexError):
        tally(np.array([0, 5], np.int32), np.zeros(3, np.int32), 2)


def test_compiled_loop_refuses_arrays_of_another_type() -> None:
    assert rows_module.compiled is not None
    one = np.zeros(1, np.int32)
    with pytest.raises(TypeError, match="origin must be an int32 array"):
        rows_module.compiled.screen(
            np.zeros(1, np.int64), one, 1, one, one, 0, one, one, one, one, 1, one, np.empty(1, np.int32)
        )
    with pytest.raises(ValueError, match="differ in length"):
        rows_module.compiled.screen(
            np.zeros(2, np.int32), one, 1, one, one, 0, one, one, one, one, 1, one, np.empty(1, np.int32)
        )


REAL = Catalog(load_dataset(DEFAULT_DATA))


def _batch(index_type: pa.DataType, dates: pa.Array) -> pa.RecordBatch:
    origins = ["PL", "DEU", "JP", "", None, "Atlantis", "US", "CN"]
    codes = ["0201", "0808.10", "870323", None, "99", "020", "0406 10 200 0", "8517"]
    n = len(dates)

    def coded(values: list[str | None], step: int) -> pa.DictionaryArray:
        picks = pa.array([(i * step) % len(values) for i in range(n)], index_type)
        return pa.DictionaryArray.from_arrays(picks, pa.array(values, pa.string()))

    return pa.record_batch(
        {
            "origin": coded(origins, 3),
            "destination": coded(["RU", "BY", "RU", "KZ", None], 2),
            "hs_code": coded(codes, 5),
            "date": dates,
        }
    )


DAYS = [date(2013, 5, 1), date(2014, 8, 7), date(2014, 8, 6), date(2022, 3, 1), date(2031, 1, 1)]


@pytest.mark.parametrize("index_type", [pa.int8(), pa.int16(), pa.int32(), pa.int64()])
@pytest.mark.parametrize(
    "dates",
    [
        pa.array(DAYS * 8, pa.date32()),
        pa.array([*DAYS[:-1], None] * 8, pa.date32()),
        pa.array([d.isoformat() for d in DAYS] * 7 + ["not a day", "", None, "2014-08-07"] * 1),
        pa.array([d.isoformat() for d in DAYS] * 8, pa.string()).dictionary_encode(),
    ],
)
def test_rows_give_the_ids_of_the_kernels_keys(index_type: pa.DataType, dates: pa.Array) -> None:
    batch = _batch(index_type, dates)
    screening = Screening(REAL, TODAY, batch.schema.names, batch.schema, parse_mapping(None))
    enc, kernel = screening.encoder, screening.kernel
    keys = enc.rows(*((batch.column(c), c) for c in ("origin", "destination", "hs_code", "date")))
    # the oracle: each row's values converted one by one, as the scalar converters do
    rows = batch.to_pylist()
    origins = np.array([enc._origin(r["origin"]) for r in rows], np.int32)
    dests = np.array([enc._destination(r["destination"]) for r in rows], np.int32)
    codes = np.array([enc._code(r["hs_code"]) for r in rows], np.int32)
    text = not isinstance(rows[0]["date"], date)
    days = np.array([enc._day(r["date"]) if text else kernel.day_key(r["date"]) for r in rows], np.int32)
    expected = kernel.run(days, origins + dests, codes).tolist()
    assert ASK in expected and len(set(expected)) > 3  # rejects and several answers
    assert kernel.run_rows(keys).tolist() == expected
    assert kernel.run_rows(keys, use_compiled=False).tolist() == expected
