"""EU annex importer, part 2: applying the acts to the state, in act order.

Holds ``apply_act`` (one act's rows and act.yaml applied to the ``State``, returning the
act file's content, validated against the data model), the act-file spec of a line
(``line_spec``, with the description exception of an "ex" line), the expansion of the
importer-only keys of a change (``parts``, ``except_codes``), and ``build`` (every
transcription folder in act order, with the lines seeded from hand-written act files).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sanctionscope.codes import normalise_code
from sanctionscope.importers.eu_annex_state import (
    TRANSCRIPTIONS,
    Folder,
    ImportError_,
    Line,
    Row,
    State,
    _line_id,
    _sorted,
    _twin,
    folders,
    line_code,
)
from sanctionscope.model.acts import ActSpec

#: importer-only keys of a change in act.yaml (removed from the act file)
_IMPORTER_KEYS = ("parts", "except_codes")


def _exception_id(state: State, measure: str, row: Row) -> str:
    stem = "-".join(measure.split("-")[:2])  # EU-833
    base = f"{stem}-X-EX-{row.annex}{row.part}-{row.digits}"
    candidate, n = base, 1
    while candidate in state.exception_ids:
        n += 1
        candidate = f"{base}-{n}"
    state.exception_ids.add(candidate)
    return candidate


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
