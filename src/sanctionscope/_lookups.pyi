# The compiled row loop of the batch kernel (_lookups.c); see engine/rows.py.
from typing import Any

def screen(
    origin: Any,
    destination: Any,
    destinations: int,
    pairs: Any,
    day: Any,
    day_lo: int,
    day_table: Any,
    code: Any,
    code_table: Any,
    situation: Any,
    stride: int,
    answers: Any,
    out: Any,
    /,
) -> None: ...
def tally(ids: Any, table: Any, counts: Any, /) -> None: ...
