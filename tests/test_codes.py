"""Product codes: normalisation as users paste them, and prefix logic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctionscope.codes import format_code, normalise_code, prefixes
from sanctionscope.errors import InputError

digits = st.text(alphabet="0123456789", min_size=2, max_size=10)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0703 10 110 0", "0703101100"),
        ("0808.10", "080810"),
        ("080810", "080810"),
        (" 0406 ", "0406"),
        ("2501 00", "250100"),
        ("0201", "0201"),
    ],
)
def test_codes_are_accepted_as_users_paste_them(raw: str, code: str) -> None:
    assert normalise_code(raw) == code


@pytest.mark.parametrize("raw", ["", "8", "08081011001", "0808-10", "08O8", "０８０８", "abc"])
def test_bad_codes_name_the_field_and_value(raw: str) -> None:
    with pytest.raises(InputError) as err:
        normalise_code(raw, "hs")
    assert err.value.field == "hs"
    assert repr(raw) in str(err.value)


@given(digits)
def test_normalising_is_idempotent_and_keeps_leading_zeros(code: str) -> None:
    assert normalise_code(code) == code
    assert normalise_code(format_code(code)) == code


@given(digits)
def test_prefixes_run_shortest_first_and_end_with_the_code(code: str) -> None:
    found = prefixes(code)
    assert found[-1] == code
    assert [len(p) for p in found] == list(range(2, len(code) + 1))
    assert all(code.startswith(p) for p in found)


@given(digits, st.lists(st.sampled_from([" ", "."]), max_size=3))
def test_separators_never_change_the_digits(code: str, seps: list[str]) -> None:
    spaced = "".join(c + (seps[i % len(seps)] if seps else "") for i, c in enumerate(code))
    assert normalise_code(spaced) == code
