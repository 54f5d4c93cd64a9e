"""Batch screening of shipment files (CSV), row by row through the engine.

Every input row is accounted for: it is answered in the output (same order, input columns
plus the verdict columns) or listed in the rejects file with its line number, column and
reason. Output is written to a temporary file and renamed on success, so a malformed
input never leaves a partial output behind. Answers are memoised per distinct question,
since shipment files repeat the same (origin, destination, code, day) many times.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from sanctionscope.codes import normalise_code
from sanctionscope.engine.answer import Answer, Question
from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError

#: Logical columns and the input column names they default to.
COLUMNS = ("origin", "destination", "hs_code", "date", "attest")
REQUIRED = ("origin", "destination", "hs_code", "date")
OUTPUT = ("verdict", "measure_id", "act_id", "reason_code", "exceptions")


@dataclass
class Summary:
    read: int = 0
    answered: int = 0
    rejected: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)


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


class Screener:
    """Answers rows; memoises per distinct question."""

    def __init__(self, catalog: Catalog, as_known_on: date) -> None:
        self.catalog = catalog
        self.as_known_on = as_known_on
        self._cache: dict[tuple[str, str, str, date, tuple[str, ...]], Answer] = {}
        self._countries: dict[tuple[str, str], str] = {}

    def _country(self, value: str, field: str) -> str:
        key = (value, field)
        found = self._countries.get(key)
        if found is None:
            found = self._countries[key] = self.catalog.resolve(value, field)
        return found

    def answer(self, row: dict[str, str], mapping: dict[str, str]) -> Answer:
        """Answer one row, or raise InputError naming the logical column."""
        values = {k: (row.get(mapping[k]) or "").strip() for k in COLUMNS}
        for name in REQUIRED:
            if not values[name]:
                raise InputError(name, values[name], "is empty")
        origin = self._country(values["origin"], "origin")
        destination = self._country(values["destination"], "destination")
        code = normalise_code(values["hs_code"], "hs_code")
        try:
            day = date.fromisoformat(values["date"])
        except ValueError:
            raise InputError("date", values["date"], "is not a date; write YYYY-MM-DD") from None
        attest = tuple(a for a in values["attest"].replace(",", ";").split(";") if a.strip())
        key = (origin, destination, code, day, attest)
        cached = self._cache.get(key)
        if cached is None:
            q = Question(origin, destination, code, day, self.as_known_on, tuple(a.strip() for a in attest))
            cached = self._cache[key] = self.catalog.check(q)
        return cached


def verdict_columns(answer: Answer) -> list[str]:
    first = answer.deciding[0] if answer.deciding else None
    return [
        answer.verdict.value,
        first.measure.id if first else "",
        first.measure.act.id if first else "",
        answer.reason.value,
        ";".join(e.id for e in answer.exceptions),
    ]


def _rows(handle: Iterator[str]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    reader = csv.DictReader(handle, strict=True)
    header = list(reader.fieldnames or [])

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for row in reader:
            if None in row:  # more fields than the header: keep the row, flag it
                raise csv.Error(f"line {reader.line_num}: more fields than the header")
            yield reader.line_num, row

    return header, rows()


def screen_csv(
    catalog: Catalog,
    source: Path,
    target: Path,
    rejects: Path | None,
    mapping: dict[str, str],
    as_known_on: date,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Screen ``source`` into ``target`` (and ``rejects``); atomic: all or nothing."""
    summary, screener = Summary(), Screener(catalog, as_known_on)
    bad: list[Reject] = []
    with source.open(newline="", encoding="utf-8-sig") as handle:
        header, rows = _rows(handle)
        missing = [mapping[c] for c in REQUIRED if mapping[c] not in header]
        if missing:
            raise InputError("columns", ",".join(missing), f"not in the file's header {header}")
        with _atomic(target) as out:
            writer = csv.writer(out)
            writer.writerow([*header, *OUTPUT])
            try:
                for line, row in rows:
                    summary.read += 1
                    _one(screener, mapping, header, line, row, writer, bad, summary)
                    if progress and summary.read % 10_000 == 0:
                        progress(summary.read)
            except csv.Error as err:
                raise InputError("file", str(source), f"is malformed: {err}") from None
    if rejects is not None:
        _write_rejects(rejects, bad)
    return summary


def _one(
    screener: Screener,
    mapping: dict[str, str],
    header: list[str],
    line: int,
    row: dict[str, str],
    writer: Any,
    bad: list[Reject],
    summary: Summary,
) -> None:
    try:
        answer = screener.answer(row, mapping)
    except InputError as err:
        column = mapping.get(err.field, err.field)
        bad.append(Reject(line, column, str(err.value), err.reason))
        summary.rejected += 1
        return
    summary.answered += 1
    verdict = answer.verdict.value
    summary.verdicts[verdict] = summary.verdicts.get(verdict, 0) + 1
    writer.writerow([*(row[h] for h in header), *verdict_columns(answer)])


def _write_rejects(path: Path, bad: list[Reject]) -> None:
    with _atomic(path) as out:
        writer = csv.writer(out)
        writer.writerow(["line", "column", "value", "reason"])
        writer.writerows([r.line, r.column, r.value, r.reason] for r in bad)


@contextmanager
def _atomic(path: Path) -> Iterator[TextIO]:
    """Write to a temporary file beside ``path``; rename on success, delete on error."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            yield handle
    except BaseException:
        os.unlink(tmp)
        raise
    os.replace(tmp, path)
