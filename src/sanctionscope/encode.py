"""Kernel keys from Arrow columns: each distinct value is converted once.

Shipment files repeat a few thousand distinct countries, codes and dates millions of
times, and Arrow hands them over dictionary-encoded. So values are converted (resolved,
normalised, classified) per dictionary entry, memoised across chunks, and rows only
cost an array lookup (:class:`RowKeys`, read by ``Kernel.run_rows``). A value that fails
to convert gets the kernel's sentinel key: its rows go to ``check``, which names the
column and the reason of the reject.

Codes of 3, 5 or 7 digits (a lost leading zero) get the sentinel too, unless the screen
restores leading zeros: then they are keyed as the zero-padded code.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sanctionscope.codes import LOST_ZERO, user_code
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.kernel import Ints, Kernel
from sanctionscope.engine.rows import RowKeys
from sanctionscope.errors import InputError
from sanctionscope.inputs import need_day

#: Separators removed from codes (as ``codes.normalise_code`` does; others: scalar path).
_SEPARATORS = r"[ .\t\n\r\f\v\x{a0}]+"
#: Codes of 3, 5 or 7 digits: a leading zero was probably lost (``codes.LOST_ZERO``).
_LOST_ZERO = r"^[0-9](?:[0-9]{2}){1,3}$"
_LOST_LENGTHS = pa.array(sorted(LOST_ZERO), pa.int32())


def parse_date(text: str) -> date:
    return need_day(text, "date")


class Encoder:
    """Kernel keys from Arrow columns, converting each distinct value once (memoised
    across chunks); values that fail map to the kernel's sentinels, i.e. to ``check``."""

    def __init__(self, catalog: Catalog, kernel: Kernel, restore: bool = False) -> None:
        self.catalog, self.kernel = catalog, kernel
        #: read codes of 3, 5 or 7 digits with their leading zero restored (else: reject)
        self.restore = restore
        self._restored_last: tuple[pa.Array, pa.Array] | None = None
        self._origins = _Memo(self._origin)
        self._destinations = _Memo(self._destination)
        self._codes = _Memo(self._code, self._code_keys)
        self._days = _Memo(self._day)

    def rows(
        self,
        origin: tuple[pa.Array, str],
        destination: tuple[pa.Array, str],
        code: tuple[pa.Array, str],
        day: tuple[pa.Array, str],
    ) -> RowKeys:
        """The rows as indices into their small tables (each (column, name) pair), what
        :meth:`Kernel.run_rows` reads; the pairs' situations are built if not yet."""
        o, d = _coded(*origin), _coded(*destination)
        o_keys, d_keys = self._origins.table(o.dictionary), self._destinations.table(d.dictionary)
        self.kernel.ensure(o_keys, d_keys)
        coded = _coded(*code)
        code_table = self._codes.table(coded.dictionary)
        day_values, day_lo, day_table = self._day_rows(*day)
        return RowKeys(
            origin=_int32(_indices(o, len(o_keys) - 1)),
            destination=_int32(_indices(d, len(d_keys) - 1)),
            destinations=len(d_keys),
            pairs=(o_keys[:, None] + d_keys[None, :]).reshape(-1),
            day=day_values,
            day_lo=day_lo,
            day_table=day_table,
            code=_int32(_indices(coded, len(code_table) - 1)),
            code_table=code_table,
        )

    def _day_rows(self, column: pa.Array, name: str) -> tuple[Ints, int, Ints]:
        """(values, first, table): the day numbers and the kernel's day table for dates,
        else the indices into the keys of the column's distinct texts."""
        kind = column.type
        if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
            numbers = (column if kind == pa.date32() else column.cast(pa.date32())).view(pa.int32())
            if not numbers.null_count:  # the day numbers as they lie in memory: no copy
                return numbers.to_numpy(), self.kernel.day_lo, self.kernel.day_table
            # a missing day is a value to reject: the sentinel epoch sends its row to check
            keys = self.kernel.day_keys(pc.fill_null(numbers, 0).to_numpy())
            keys[numbers.is_null().to_numpy(zero_copy_only=False)] = self.kernel.day_key(None)
            return keys, 0, np.arange(self.kernel.epoch_count + 1, dtype=np.int32)
        coded = _coded(column, name)
        table = self._days.table(coded.dictionary)
        return _int32(_indices(coded, len(table) - 1)), 0, table

    def restored(self, column: pa.Array, name: str) -> pa.DictionaryArray:
        """Per row, the code read with a restored leading zero, or "" (none restored);
        computed per dictionary entry, so the rows share the column's indices."""
        coded = _coded(column, name)
        last = self._restored_last  # chunks often share their dictionary
        if last is None or not last[0].equals(coded.dictionary):
            last = self._restored_last = (coded.dictionary, self._restored_values(coded.dictionary))
        return pa.DictionaryArray.from_arrays(coded.indices, last[1])

    def _restored_values(self, dictionary: pa.Array) -> pa.Array:
        values = dictionary.cast(pa.string())
        if not self.restore:
            return pa.array([""] * len(values), pa.string())
        digits = pc.replace_substring_regex(values, pattern=_SEPARATORS, replacement="")
        lost = pc.fill_null(pc.match_substring_regex(digits, pattern=_LOST_ZERO), False)
        out = pc.if_else(lost, pc.binary_join_element_wise("0", digits, ""), "").to_pylist()
        plain = pc.fill_null(pc.match_substring_regex(digits, pattern=r"^[0-9]*$"), False)
        for i in np.flatnonzero(~plain.to_numpy(zero_copy_only=False)):  # as the scalar path
            out[i] = self._restored(values[int(i)].as_py())
        return pa.array(out, pa.string())

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
            return self.kernel.code_key(user_code(value or "", "hs_code", None, self.restore)[0])
        except InputError:
            return self.kernel.code_key(None)

    def _restored(self, value: str | None) -> str:
        try:
            code, as_written = user_code(value or "", "hs_code", None, self.restore)
        except InputError:
            return ""
        return code if as_written is not None else ""

    def _code_keys(self, values: pa.Array) -> Ints:
        """``_code`` for many values at once, with Arrow's string kernels; values that are
        not plain digits (after removing spaces and dots) take the scalar path."""
        classes = self.kernel.codes
        digits = pc.replace_substring_regex(values, pattern=_SEPARATORS, replacement="")
        plain = pc.fill_null(pc.match_substring_regex(digits, pattern=r"^[0-9]{2,10}$"), False)
        lost = pc.and_(plain, pc.is_in(pc.utf8_length(digits), value_set=_LOST_LENGTHS))  # 3, 5, 7
        if self.restore:  # keyed as the zero-padded code
            digits = pc.if_else(lost, pc.binary_join_element_wise("0", digits, ""), digits)
        tail = pc.utf8_rtrim(pc.utf8_slice_codeunits(digits, 4), characters="0")
        key = pc.binary_join_element_wise(pc.utf8_slice_codeunits(digits, 0, 4), tail, "")
        digits_only = pc.fill_null(pc.if_else(plain, key, ""), "").to_numpy(zero_copy_only=False)
        out = classes.classify_many(digits_only.astype(np.bytes_))
        if not self.restore:  # rejected (by ``check``, which names the likely code)
            out[lost.to_numpy(zero_copy_only=False)] = self.kernel.code_key(None)
        for i in np.flatnonzero(~plain.to_numpy(zero_copy_only=False)):
            out[i] = self._code(values[int(i)].as_py())
        return out

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

    def __init__(self, convert: Callable[[Any], int], many: Callable[[pa.Array], Ints] | None = None) -> None:
        self.convert = convert
        self.many = many
        #: (values seen, their keys): replaced whole, so readers in other threads see a pair
        self._seen: tuple[pa.Array, Ints] = (pa.array([], pa.string()), np.empty(0, np.int32))
        self._last: tuple[pa.Array, Ints] | None = None
        self._lock = threading.Lock()

    def table(self, dictionary: pa.Array) -> Ints:
        """Keys of ``dictionary``'s entries, plus the key of a missing value last."""
        last = self._last
        if last is not None and last[0].equals(dictionary):
            return last[1]
        dictionary = dictionary.cast(pa.string())
        values, keys = self._seen
        if not len(values):  # the first chunk: every entry is new, learnt in its order
            values, keys = self._learn(dictionary)
            if values.equals(dictionary):
                return self._remember(dictionary, keys)
        found = pc.index_in(dictionary, value_set=values)
        if found.null_count:
            values, keys = self._learn(dictionary.filter(found.is_null()))
            found = pc.index_in(dictionary, value_set=values)
        return self._remember(dictionary, keys.take(found.to_numpy()))

    def _remember(self, dictionary: pa.Array, found: Ints) -> Ints:
        table = np.append(found, np.int32(self.convert(None)))
        self._last = (dictionary, table)
        return table

    def _learn(self, new: pa.Array) -> tuple[pa.Array, Ints]:
        with self._lock:
            values, keys = self._seen
            new = pc.unique(new)  # another thread may have learnt some meanwhile:
            new = new.filter(pc.invert(pc.is_in(new, value_set=values)))
            if self.many is not None:
                fresh = self.many(new)
            else:
                fresh = np.array([self.convert(v) for v in new.to_pylist()], np.int32)
            self._seen = (pa.concat_arrays([values, new]), np.concatenate([keys, fresh]))
            return self._seen


def _int32(values: Any) -> Ints:
    found: Ints = np.ascontiguousarray(values, np.int32)
    return found


def _indices(column: pa.DictionaryArray, missing: int) -> Ints:
    """The dictionary indices, a missing value pointing at ``missing``."""
    indices = column.indices
    if indices.null_count:
        indices = pc.fill_null(indices, missing)
    found: Ints = indices.to_numpy()
    return found
