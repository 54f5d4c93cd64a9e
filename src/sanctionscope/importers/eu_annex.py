"""EU goods annexes at CN level: from transcriptions of the amending acts to act files.

Input (one folder per amending act, ``data/reference/transcriptions/EU/<ACT-ID>/``):

- ``a.tsv``: the CN lines the act's own text writes, header
  ``annex part op ex code wording from note``; ``op`` is ``add``, ``remove`` or
  ``replace`` (the complete new list of an annex/part, diffed against the state before);
  ``ex`` is 1 for an "ex" line; ``from`` a later application day the act sets for the row.
- ``act.yaml``: the act's metadata (``act:``, copied to the act file), the measures it
  creates (``measures:``, each fed by an ``annex``, optionally restricted to ``parts``)
  and other changes (``changes:``: wind-down exceptions, ends ...). In a change, the
  importer-only key ``parts: ["XXI/A"]`` expands to the ids of the lines of those
  annex parts in force after the act (``except_codes`` leaves some out).
  A measure spec's importer-only key ``line_flags: [EU-CHP]`` gives every line the measure
  holds those flags (Annex XL: Common High Priority items).
  ``relabel: {XVII: XVII/A}`` moves the lines of an annex (or part) into a part when an act
  splits the annex ("the existing list becomes Part A"): same lines, same ids.
- ``README.md``: where the text was read.

``build`` reads the folders in act order (in-force day, then id), keeps the state of each
annex/part and writes ``data/acts/EU/<ACT-ID>.yaml`` per act. ``state`` prints the lines
in force on a day; ``diff`` compares two TSV lists (for example the state on a day with a
list transcribed from a consolidated version).

Usage::

    python -m sanctionscope.importers.eu_annex build [--check]
    python -m sanctionscope.importers.eu_annex state --at 2023-04-27 > state.tsv
    python -m sanctionscope.importers.eu_annex diff state.tsv consolidated.tsv
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sanctionscope.codes import normalise_code, significant
from sanctionscope.model.acts import ActSpec

HEADER = ["annex", "part", "op", "ex", "code", "wording", "from", "note"]
OPS = ("add", "remove", "replace")
ROOT = Path(__file__).resolve().parents[3]
TRANSCRIPTIONS = ROOT / "data" / "reference" / "transcriptions" / "EU"
ACTS = ROOT / "data" / "acts" / "EU"
#: importer-only keys of a change in act.yaml (removed from the act file)
_IMPORTER_KEYS = ("parts", "except_codes")


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


def _exception_id(state: State, measure: str, row: Row) -> str:
    stem = "-".join(measure.split("-")[:2])  # EU-833
    base = f"{stem}-X-EX-{row.annex}{row.part}-{row.digits}"
    candidate, n = base, 1
    while candidate in state.exception_ids:
        n += 1
        candidate = f"{base}-{n}"
    state.exception_ids.add(candidate)
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


def _wording(row: Row) -> str:
    if row.wording:
        return row.wording
    return f"Goods of CN {row.code} (wording as in the Combined Nomenclature)"


def line_spec(state: State, line: Line) -> dict[str, Any]:
    row = line.row
    out: dict[str, Any] = {
        "id": line.id,
        "code": row.code if line_code(row) == row.digits else line_code(row),
        "annex": row.annex,
    }
    if row.part:
        out["part"] = row.part
    flags = state.flags_of.get(line.measure)
    if flags:
        out["flags"] = list(flags)
    en = _wording(row)
    out["wording"] = {"original": ("ex " if row.ex else "") + en, "en": ("ex " if row.ex else "") + en}
    if row.ex:
        # an "ex" line covers only the goods its wording describes: the code cannot decide,
        # so the goods outside the description are an attestable description exception
        out["exceptions"] = [
            {
                "id": _exception_id(state, line.measure, row),
                "wording": {
                    "original": f"goods of CN {row.code} not described by the 'ex' line",
                    "en": f"goods of CN {row.code} not described by the 'ex' line ({en})",
                },
                "condition": "The goods fall under the code but outside the line's description "
                "(the annex lists the code 'ex': only for the goods it describes).",
            }
        ]
    return out


def _sorted(lines: Iterable[Line]) -> list[Line]:
    return sorted(lines, key=lambda ln: (ln.row.annex, ln.row.part, ln.row.digits, ln.id))


def apply_act(state: State, folder: Folder) -> dict[str, Any]:
    """Apply one act's rows to ``state``; return the act file's content."""
    act_meta = dict(folder.meta["act"])
    act_id = folder.act_id
    in_force = folder.in_force
    created: list[dict[str, Any]] = []
    new_lines: dict[str, list[Line]] = {}  # measure -> initial lines (measures created here)
    for spec in folder.meta.get("measures") or []:
        spec = dict(spec)
        annex = spec.pop("annex", None)
        parts = spec.pop("parts", None)
        line_flags = spec.pop("line_flags", None)
        if line_flags:
            state.flags_of[spec["id"]] = [str(flag) for flag in line_flags]
        if annex is not None:
            keys = [f"{annex}/{p}" for p in parts] if parts else [annex]
            for key in keys:
                state.measure_of[key] = spec["id"]
            # a new measure fed by an annex that already holds lines starts with them
            # (the act changes the legal effect of the existing list)
            for ln in _sorted(state.lines.values()):
                if ln.row.annex == annex and (not parts or ln.row.part in parts):
                    ln.measure, ln.act, ln.start = spec["id"], act_id, in_force
                    ln.id = _line_id(state, spec["id"], ln.row)
                    new_lines.setdefault(spec["id"], []).append(ln)
        created.append(spec)
    created_ids = {m["id"] for m in created}
    # an act that splits an annex into parts ("the existing list becomes Part A") relabels
    # the lines it held: same lines, same ids, now in the part
    for src, dst in (folder.meta.get("relabel") or {}).items():
        s_annex, _, s_part = str(src).partition("/")
        d_annex, _, d_part = str(dst).partition("/")
        for line in _sorted(state.in_part(s_annex, s_part)):
            del state.lines[line.row.key()]
            line.row = replace(line.row, annex=d_annex, part=d_part)
            state.lines[line.row.key()] = line

    adds: dict[tuple[str, date], list[Line]] = {}
    removes: dict[tuple[str, date], list[Line]] = {}

    def add(row: Row) -> None:
        measure = state.measure_for(row.annex, row.part, row.where)
        key = row.key()
        if key in state.lines:
            raise ImportError_(f"{row.where}: {row.code} is already in Annex {row.annex} {row.part}")
        day = row.start or in_force
        twin = _twin(state, measure, row)
        if twin is not None:
            # the same code in two parts of one annex (XXIII Part A and Part C): one line in
            # the measure (two lines with one code are a contradiction); the state keeps both
            line = Line(row, twin.id, measure, day, act_id, shadow=True)
            state.lines[key] = line
            state.history.append((day, "add", line))
            return
        line = Line(row, _line_id(state, measure, row), measure, day, act_id)
        state.lines[key] = line
        state.history.append((day, "add", line))
        if measure in created_ids and row.start is None:
            new_lines.setdefault(measure, []).append(line)
        else:
            adds.setdefault((measure, day), []).append(line)

    def remove(line: Line, day: date) -> None:
        del state.lines[line.row.key()]
        state.history.append((day, "remove", line))
        if line.shadow:
            return
        if _twin(state, line.measure, line.row) is not None:
            raise ImportError_(
                f"{folder.path}: {line.row.code} leaves a part while held in another; split by hand"
            )
        removes.setdefault((line.measure, day), []).append(line)

    by_part: dict[tuple[str, str], list[Row]] = {}
    for row in folder.rows:
        if row.op == "replace":
            by_part.setdefault((row.annex, row.part), []).append(row)
    for (annex, part), rows in by_part.items():
        wanted = {r.key(): r for r in rows}
        dup = [k for k, n in Counter(r.key() for r in rows).items() if n > 1]
        if dup:
            raise ImportError_(f"{rows[0].where}: Annex {annex} {part} lists {dup[0][2]} twice")
        for line in _sorted(state.in_part(annex, part)):
            if line.row.key() not in wanted:
                remove(line, in_force)
        for key, row in wanted.items():
            if key not in state.lines:
                add(row)
    for row in folder.rows:
        if row.op == "add":
            add(row)
        elif row.op == "remove":
            hit = state.lines.get(row.key())
            if hit is None:
                raise ImportError_(f"{row.where}: {row.code} is not in Annex {row.annex} {row.part}")
            remove(hit, row.start or in_force)

    measures_out = []
    for spec in created:
        lines = new_lines.get(spec["id"], [])
        if lines:
            spec = {
                **spec,
                "product_scope": "lines",
                "lines": [line_spec(state, ln) for ln in _sorted(lines)],
            }
        measures_out.append(spec)
    changes: list[dict[str, Any]] = []
    for (measure, day), lines in sorted(removes.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        change: dict[str, Any] = {"op": "remove_lines", "measure": measure}
        if day != in_force:
            change["effective"] = day
        change["lines"] = [ln.id for ln in _sorted(lines)]
        changes.append(change)
    for (measure, day), lines in sorted(adds.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        change = {"op": "add_lines", "measure": measure}
        if day != in_force:
            change["effective"] = day
        notes = sorted({ln.row.note for ln in lines if ln.row.note})
        if notes:
            change["note"] = "; ".join(notes)
        change["lines"] = [line_spec(state, ln) for ln in _sorted(lines)]
        changes.append(change)
    for extra in folder.meta.get("changes") or []:
        changes.append(_expand(state, dict(extra), folder))
    out: dict[str, Any] = {**act_meta}
    out["measures"] = measures_out
    out["changes"] = changes
    ActSpec.model_validate(out)  # fail before writing a file that cannot load
    return out


def _expand(state: State, change: dict[str, Any], folder: Folder) -> dict[str, Any]:
    parts = change.pop("parts", None)
    skip = {normalise_code(c, field="code") for c in change.pop("except_codes", None) or []}
    if parts:
        ids: list[str] = []
        for ref in parts:
            annex, _, part = str(ref).partition("/")
            ids += [
                ln.id
                for ln in _sorted(state.in_part(annex, part))
                if ln.row.digits not in skip and not ln.shadow
            ]
        if not ids:
            raise ImportError_(f"{folder.path}/act.yaml: parts {parts} hold no lines")
        change["lines"] = ids
    return change


# -- the whole history -----------------------------------------------------------------
def build(root: Path = TRANSCRIPTIONS, seed: State | None = None) -> tuple[State, dict[str, dict[str, Any]]]:
    state = seed or State()
    acts: dict[str, dict[str, Any]] = {}
    for folder in folders(root):
        for annex, measure in (folder.meta.get("annexes") or {}).items():
            state.measure_of[str(annex)] = str(measure)  # annexes fed by measures of older acts
        for row in folder.meta.get("seed") or []:
            _seed(state, folder, row)
        acts[folder.act_id] = apply_act(state, folder)
    return state, acts


def _seed(state: State, folder: Folder, rec: dict[str, Any]) -> None:
    """A line held before the transcribed history (in an act file written by hand)."""
    row = Row(
        str(rec["annex"]),
        str(rec.get("part") or ""),
        "add",
        bool(rec.get("ex")),
        str(rec["code"]),
        str(rec.get("wording") or ""),
        None,
        "",
        f"{folder.path}/act.yaml",
    )
    measure = state.measure_for(row.annex, row.part, row.where)
    line = Line(row, str(rec["id"]), measure, date.fromisoformat(str(rec["start"])), str(rec["act"]))
    state.ids.setdefault(measure, set()).add(line.id)
    state.lines[row.key()] = line
    state.history.append((line.start, "add", line))


def dump(act: dict[str, Any]) -> str:
    return yaml.safe_dump(act, sort_keys=False, allow_unicode=True, width=100)


def write(acts: dict[str, dict[str, Any]], out: Path = ACTS, check: bool = False) -> list[Path]:
    """Write the act files; return those whose content changed (with ``check``: would change)."""
    changed = []
    for act_id, act in acts.items():
        path = out / f"{act_id}.yaml"
        text = (
            "# Generated by sanctionscope.importers.eu_annex from "
            + (f"data/reference/transcriptions/EU/{act_id}/: edit the transcription, not this file.\n")
            + dump(act)
        )
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if not check:
                path.write_text(text, encoding="utf-8")
    return changed


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


# -- lists and their difference ----------------------------------------------------------
ListKey = tuple[str, str, bool, str]


def read_list(path: Path, ignore_part: bool = False, distinct: bool = False) -> Counter[ListKey]:
    """A list of CN lines as TSV: either the transcription header (annex part op ex code ...)
    or a consolidated list's (annex part ex cn_code ...). Keys: annex, part, ex, digits."""
    out: Counter[ListKey] = Counter()
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for rec in reader:
            code = rec.get("code") or rec.get("cn_code") or ""
            if not code.strip():
                continue
            ex = (rec.get("ex") or "").strip() in ("1", "ex")
            part = "" if ignore_part else (rec.get("part") or "").strip()
            key = (rec["annex"].strip(), part, ex, significant(normalise_code(code, "code")))
            out[key] = 1 if distinct else out[key] + 1
    return out


def diff_lists(before: Counter[ListKey], after: Counter[ListKey]) -> tuple[list[ListKey], list[ListKey]]:
    """(lines to add, lines to remove) to turn ``before`` into ``after``."""
    added = sorted((after - before).elements())
    removed = sorted((before - after).elements())
    return added, removed


def rows_tsv(rows: Sequence[Row]) -> str:
    buf = io.StringIO()
    buf.write("\t".join(HEADER) + "\n")
    for r in rows:
        cells = [r.annex, r.part, "add", "1" if r.ex else "", r.code, r.wording, "", r.note]
        buf.write("\t".join(cells) + "\n")
    return buf.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sanctionscope.importers.eu_annex")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write data/acts/EU/<ACT-ID>.yaml from the transcriptions")
    b.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    b.add_argument("--root", type=Path, default=TRANSCRIPTIONS)
    b.add_argument("--out", type=Path, default=ACTS)
    s = sub.add_parser("state", help="print the lines in force on a day (TSV)")
    s.add_argument("--at", required=True, type=date.fromisoformat)
    s.add_argument("--root", type=Path, default=TRANSCRIPTIONS)
    d = sub.add_parser("diff", help="lines to add/remove to turn list A into list B")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    d.add_argument("--ignore-part", action="store_true", help="compare annexes without their parts")
    d.add_argument(
        "--distinct", action="store_true", help="count a code once per annex/part/ex (merged ex lines)"
    )
    d.add_argument("--annex", action="append", default=[], help="only these annexes (repeatable)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            _, acts = build(args.root)
            changed = write(acts, args.out, check=args.check)
            for path in changed:
                print(("would change " if args.check else "wrote ") + str(path))
            print(f"{len(acts)} acts, {len(changed)} changed")
            return 1 if args.check and changed else 0
        if args.command == "state":
            state, _ = build(args.root)
            sys.stdout.write(rows_tsv(lines_on(state, args.at)))
            return 0
        a_list = read_list(args.a, args.ignore_part, args.distinct)
        b_list = read_list(args.b, args.ignore_part, args.distinct)
        if args.annex:
            a_list = Counter({k: n for k, n in a_list.items() if k[0] in args.annex})
            b_list = Counter({k: n for k, n in b_list.items() if k[0] in args.annex})
        added, removed = diff_lists(a_list, b_list)
        for sign, keys in (("+", added), ("-", removed)):
            for annex, part, ex, code in keys:
                print(f"{sign}\t{annex}\t{part}\t{'ex' if ex else ''}\t{code}")
        print(f"# {len(added)} only in B, {len(removed)} only in A", file=sys.stderr)
        return 1 if added or removed else 0
    except ImportError_ as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
