"""Shared helpers of the exports: atomic writes, state names, periods and memberships."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pycountry

from sanctionscope.errors import InputError
from sanctionscope.model.acts import MeasureType
from sanctionscope.model.jurisdictions import Jurisdictions

#: Measure types that are not sanctions (left out of every export but parquet).
NOT_SANCTIONS = frozenset({MeasureType.support_programme})

#: Short country names as the GSDB and most of the literature write them, where pycountry differs.
SHORT_NAMES = {
    "RU": "Russia",
    "TR": "Turkey",
    "CZ": "Czech Republic",
    "KR": "South Korea",
    "KP": "North Korea",
    "IR": "Iran",
    "SY": "Syria",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "MD": "Moldova",
    "TZ": "Tanzania",
    "VN": "Vietnam",
    "LA": "Laos",
    "TW": "Taiwan",
}


def check_output(output: Path, directory: bool) -> None:
    """InputError('output', ...) unless ``output`` can be (re)placed atomically."""
    parent = output.parent
    if not parent.is_dir():
        raise InputError("output", str(output), "is in a directory that does not exist")
    if directory and output.exists() and not output.is_dir():
        raise InputError("output", str(output), "exists and is not a directory")
    if not directory and output.is_dir():
        raise InputError("output", str(output), "is a directory; give a file name")


def write_file_atomic(output: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``output``, then rename it over ``output``."""
    check_output(output, directory=False)
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_csv_atomic(output: Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> None:
    """Write ``rows`` as a CSV file with a header of ``columns``, atomically."""

    def write(tmp: Path) -> None:
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    write_file_atomic(output, write)


def write_dir_atomic(output: Path, write: Callable[[Path], None]) -> None:
    """Fill a temporary directory beside ``output`` with ``write(tmp)``, then swap it in."""
    check_output(output, directory=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent))
    try:
        write(tmp)
        if output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".old", dir=output.parent))
            os.replace(output, old / "previous")
            os.replace(tmp, output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def state_name(jur: Jurisdictions, jid: str) -> str:
    """The short English name of a state (``Russia``), a territory or a bloc."""
    return SHORT_NAMES.get(jid) or jur.name(jid)


def iso3(jid: str) -> str:
    """ISO 3166-1 alpha-3 of a country id; empty for territories and blocs."""
    if len(jid) != 2:
        return ""
    record = pycountry.countries.get(alpha_2=jid)
    return "" if record is None else str(record.alpha_3)


def last_day(end: date | None) -> date | None:
    """The last day inside a half-open period ending at ``end`` (None for open-ended)."""
    return None if end is None else end - timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """A half-open period ``[start, end)``; ``end`` None = open-ended."""

    start: date
    end: date | None

    def clip(self, start: date, end: date | None) -> Span | None:
        """The intersection with ``[start, end)``, or None when it is empty."""
        lo = max(self.start, start)
        ends = [e for e in (self.end, end) if e is not None]
        hi = min(ends) if ends else None
        if hi is not None and hi <= lo:
            return None
        return Span(lo, hi)


ALWAYS = Span(date.min, None)


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping or adjacent spans merged, in date order."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if out and (out[-1].end is None or span.start <= out[-1].end):
            last = out[-1]
            end = None if last.end is None or span.end is None else max(last.end, span.end)
            out[-1] = Span(last.start, end)
        else:
            out.append(span)
    return out


def states_of(jur: Jurisdictions, jid: str) -> dict[str, tuple[str, list[Span]]]:
    """The states a jurisdiction stands for: state id -> (via bloc or "", membership spans).

    A bloc expands to its member states (nested blocs included) with their membership
    periods; a subdivision stands for its country; a country or territory for itself.
    """
    if jid in jur.blocs:
        found: dict[str, tuple[str, list[Span]]] = {}
        _members(jur, jid, jid, found)
        return {k: (via, merge(spans)) for k, (via, spans) in found.items()}
    parent = jur.parent(jid)
    return {parent or jid: ("", [ALWAYS])}


def _members(jur: Jurisdictions, bloc: str, via: str, found: dict[str, tuple[str, list[Span]]]) -> None:
    spec = jur.blocs[bloc]
    for m in spec.members:
        found.setdefault(m.country, (via, []))[1].append(Span(m.start, m.end))
    for inner in spec.include:
        _members(jur, inner, via, found)
