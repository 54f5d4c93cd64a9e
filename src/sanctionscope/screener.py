"""One shipment row answered through ``check``: what the batch screen falls back on for
the rows its kernel leaves (rows attesting an exception, rows with a value to reject),
and what names the column and reason of a reject."""

from __future__ import annotations

from datetime import date

from sanctionscope.encode import parse_date
from sanctionscope.engine.answer import Answer, Question
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.coverage import DEFAULT_GRACE_DAYS, Side
from sanctionscope.errors import InputError

#: The logical columns of a shipment file (``--columns`` maps them to the file's names).
COLUMNS = ("origin", "destination", "hs_code", "date", "attest")
REQUIRED = ("origin", "destination", "hs_code", "date")


class Screener:
    """Answers one row through ``check`` (memoised), or raises InputError naming the column."""

    def __init__(
        self,
        catalog: Catalog,
        as_known_on: date,
        restore: bool = False,
        grace_days: int = DEFAULT_GRACE_DAYS,
        side: Side = Side.both,
    ) -> None:
        self.catalog = catalog
        self.as_known_on = as_known_on
        self.restore = restore
        self.grace_days = grace_days
        self.side = side
        self._cache: dict[tuple[str, str, str, date, tuple[str, ...], str | None], Answer] = {}

    def answer(self, row: dict[str, str], mapping: dict[str, str]) -> Answer:
        values = {k: (row.get(mapping[k]) or "").strip() for k in COLUMNS}
        for name in REQUIRED:
            if not values[name]:
                raise InputError(name, values[name], "is empty")
        origin = self.catalog.resolve(values["origin"], "origin")
        destination = self.catalog.resolve(values["destination"], "destination")
        code, as_written = self.catalog.code(values["hs_code"], "hs_code", self.restore)
        day = parse_date(values["date"])
        attest = tuple(a.strip() for a in values["attest"].replace(",", ";").split(";") if a.strip())
        key = (origin, destination, code, day, attest, as_written)
        cached = self._cache.get(key)
        if cached is None:
            q = Question(origin, destination, code, day, self.as_known_on, attest, self.grace_days)
            q.code_as_written, q.side = as_written, self.side
            cached = self._cache[key] = self.catalog.check(q)
        return cached
