"""EU annex importer, part 1: the transcriptions and the state of the annexes.

Holds the transcription format (``HEADER``, ``OPS``) and its reader (``read_tsv``, the act
folders: ``Folder``, ``read_folder``, ``folders``), the rows and lines (``Row``, ``Line``,
``line_code``, ``hs_codes``), the state of every annex/part (``State``: lines, the measure
each annex feeds, the ids used, the history) with the ids of new lines, and the lines in
force on a day (``lines_on``). The format is described in ``eu_annex``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sanctionscope.codes import normalise_code, significant

HEADER = ["annex", "part", "op", "ex", "code", "wording", "from", "note"]
OPS = ("add", "remove", "replace")
ROOT = Path(__file__).resolve().parents[3]
TRANSCRIPTIONS = ROOT / "data" / "reference" / "transcriptions" / "EU"


class ImportError_(ValueError):
    """A transcription that cannot be imported (file and row named)."""


@dataclass(frozen=True)
class Row:
    annex: str
    part: str
    op: str
    ex: bool
    code: str  # as printed (spaces kept)
    wording: str
    start: date | None  # the "from" column
    note: str
    where: str  # file:line

    @property
    def digits(self) -> str:
        return normalise_code(self.code, field="code")

    def key(self) -> tuple[str, str, str, bool, str]:
        """Identity of a line: its significant code (``8444 00`` is heading 8444, as the
        engine reads it) and, for an ex line, its wording too (the wording is its scope)."""
        return (
            self.annex,
            self.part,
            significant(line_code(self)),
            self.ex,
            _norm(self.wording) if self.ex else "",
        )


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class Line:
    """A line held in an annex/part, with the id it has in its measure."""

    row: Row
    id: str
    measure: str
    start: date
    act: str
    shadow: bool = False  # a second listing of a code already held in another part


def _twin(state: State, measure: str, row: Row) -> Line | None:
    """A line of the measure that holds the same code in another part of the annex."""
    code = significant(line_code(row))
    for line in state.lines.values():
        same_place = line.measure == measure and not line.shadow and line.row.part != row.part
        if same_place and significant(line_code(line.row)) == code and line.row.ex == row.ex:
            return line
    return None


@dataclass
class State:
    """The lines of every annex/part, and the measure each annex feeds."""

    lines: dict[tuple[str, str, str, bool, str], Line] = field(default_factory=dict)
    measure_of: dict[str, str] = field(default_factory=dict)  # annex or "annex/part" -> measure
    ids: dict[str, set[str]] = field(default_factory=dict)  # measure -> line ids ever used
    exception_ids: set[str] = field(default_factory=set)
    #: measure -> the flags every line it holds carries (``line_flags`` in act.yaml)
    flags_of: dict[str, list[str]] = field(default_factory=dict)
    #: (day, op, line) history for ``state --at``
    history: list[tuple[date, str, Line]] = field(default_factory=list)

    def measure_for(self, annex: str, part: str, where: str) -> str:
        for key in (f"{annex}/{part}", annex):
            if key in self.measure_of:
                return self.measure_of[key]
        raise ImportError_(f"{where}: no measure is fed by Annex {annex} {part} (yet)")

    def in_part(self, annex: str, part: str) -> list[Line]:
        return [ln for ln in self.lines.values() if ln.row.annex == annex and ln.row.part == part]


def read_tsv(path: Path) -> list[Row]:
    text = path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = list(reader)
    if not rows or rows[0] != HEADER:
        raise ImportError_(f"{path}:1: header must be {' '.join(HEADER)}")
    out = []
    for n, cells in enumerate(rows[1:], start=2):
        where = f"{path}:{n}"
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(HEADER):
            raise ImportError_(f"{where}: {len(cells)} cells, expected {len(HEADER)}")
        rec = dict(zip(HEADER, (c.strip() for c in cells), strict=True))
        if rec["op"] not in OPS:
            raise ImportError_(f"{where}: op {rec['op']!r} is not one of {', '.join(OPS)}")
        if rec["ex"] not in ("", "0", "1"):
            raise ImportError_(f"{where}: ex must be 1 or empty, not {rec['ex']!r}")
        try:
            normalise_code(rec["code"], field="code")
            start = date.fromisoformat(rec["from"]) if rec["from"] else None
        except ValueError as e:
            raise ImportError_(f"{where}: {e}") from None
        out.append(
            Row(
                rec["annex"],
                rec["part"],
                rec["op"],
                rec["ex"] == "1",
                rec["code"],
                rec["wording"],
                start,
                rec["note"],
                where,
            )
        )
    return out


# -- one act ---------------------------------------------------------------------------
@dataclass
class Folder:
    path: Path
    meta: dict[str, Any]
    rows: list[Row]

    @property
    def act_id(self) -> str:
        return str(self.meta["act"]["id"])

    @property
    def in_force(self) -> date:
        value = self.meta["act"]["in_force"]
        return value if isinstance(value, date) else date.fromisoformat(str(value))


def read_folder(path: Path) -> Folder:
    meta = yaml.safe_load((path / "act.yaml").read_text(encoding="utf-8"))
    tsv = path / "a.tsv"
    rows = read_tsv(tsv) if tsv.exists() else []
    return Folder(path, meta, rows)


def folders(root: Path = TRANSCRIPTIONS) -> list[Folder]:
    found = [read_folder(p) for p in sorted(root.iterdir()) if (p / "act.yaml").exists()]
    return sorted(found, key=lambda f: (f.in_force, f.act_id))


def _line_id(state: State, measure: str, row: Row) -> str:
    base = f"{row.part}/" if row.part else ""
    base += ("ex " if row.ex else "") + row.code
    used = state.ids.setdefault(measure, set())
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base} #{n}"
    used.add(candidate)
    return candidate


_HS: set[str] = set()


def hs_codes() -> set[str]:
    """The HS codes (2, 4, 6 digits, every edition) of data/reference."""
    if not _HS:
        with (ROOT / "data" / "reference" / "hs_nomenclature_un_comtrade.csv").open(encoding="utf-8") as fh:
            _HS.update(rec["code"] for rec in csv.DictReader(fh))
    return _HS


def line_code(row: Row) -> str:
    """The code a line holds: as printed, unless the act pads a heading or a chapter with
    zeros ("ex 6101 00 00" for heading 6101, "ex 9700" for chapter 97); then the heading
    or chapter (trailing "00" pairs dropped until the HS part exists)."""
    digits = row.digits
    known = hs_codes()
    while len(digits) > 2 and digits[:6] not in known and digits.endswith("00"):
        digits = digits[:-2]
    return digits


def _sorted(lines: Iterable[Line]) -> list[Line]:
    return sorted(lines, key=lambda ln: (ln.row.annex, ln.row.part, ln.row.digits, ln.id))


def lines_on(state: State, day: date) -> list[Row]:
    """The rows in force on ``day`` (from the history: add/remove events up to ``day``)."""
    held: dict[int, Line] = {}
    for when, op, line in sorted(state.history, key=lambda h: h[0]):
        if when > day:
            continue
        if op == "add":
            held[id(line)] = line
        else:
            held.pop(id(line), None)
    return [ln.row for ln in _sorted(held.values())]
