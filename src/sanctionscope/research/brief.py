"""A briefing on a country pair and a day: the question, the answer, the timeline, a chart
and numbered footnotes citing each act in its original language and in English.

One self-contained HTML file (styles and the chart inline) and, from the same HTML, a
PDF (WeasyPrint). Written atomically.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sanctionscope.engine import documents, serialise
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.compile import Index
from sanctionscope.engine.state import MeasureState
from sanctionscope.errors import InputError
from sanctionscope.model.acts import IMPORT_TYPES, MeasureType

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)


@dataclass
class Brief:
    a: str
    b: str
    on: date
    html: str


def brief(catalog: Catalog, a: str, b: str, on: date, as_known_on: date | None = None) -> Brief:
    index = catalog.index(as_known_on or date.today())
    x, y = catalog.resolve(a, "a"), catalog.resolve(b, "b")
    jur = index.dataset.jurisdictions
    timeline = documents.timeline_doc(index, x, y)["acts"]
    notes: dict[str, int] = {}

    def cite(act_id: str) -> int:
        return notes.setdefault(act_id, len(notes) + 1)

    directions = [_direction(index, p, q, on, cite) for p, q in ((x, y), (y, x))]
    checks = [c for c in (_sample_check(catalog, index, p, q, on, cite) for p, q in ((x, y), (y, x))) if c]
    for entry in timeline:
        entry["note"] = cite(entry["id"])
    told = trade_stories(catalog, {x, y})
    from sanctionscope.impact.figures import BAN_CHECK_DAYS  # the day the stories' text names

    checked = [d for d in BAN_CHECK_DAYS[:1] if told and d != on]
    context: dict[str, Any] = {
        "a": x,
        "b": y,
        "name": jur.name,
        "on": on.isoformat(),
        "directions": directions,
        "checks": checks,
        # support measures (a prefecture's plan) are not sanctions: listed apart
        "timeline": [e for e in timeline if e["kind"] != "support"],
        "support": [e for e in timeline if e["kind"] == "support"],
        "chart": _chart(index, x, y, on),
        "footnotes": [
            {"n": n, **serialise.act_ref(index.dataset.acts[i]), "summary": index.dataset.acts[i].summary}
            for i, n in sorted(notes.items(), key=lambda kv: kv[1])
        ],
        "stories": told,
        # the trade stories check the ban on their own days: said when not the brief's day
        "story_days": [d.isoformat() for d in checked],
        "figure_notes": _figure_notes(told, len(notes)),
        "version": index.version,
        "as_known_on": index.as_known_on.isoformat(),
    }
    return Brief(x, y, on, TEMPLATES.get_template("brief.html").render(**context))


def _direction(index: Index, imposer: str, target: str, on: date, cite: Any) -> dict[str, Any]:
    """What ``imposer`` has in force against ``target`` on the day, and whether it is spared."""
    doc = documents.spared_doc(index, target, on)
    row = next((r for r in doc["sanctioners"] if r["jurisdiction"] == imposer), None)
    measures = [
        {
            "id": s["id"],
            "type": s["type"].replace("_", " "),
            "note": cite(s["act"]),
            "title": index.measures[s["id"]].spec.title,
        }
        for s in (row["sanctions"] if row else [])
    ]
    answers = documents.spared_doc(index, target, on)
    has_answers = any(r["hit_by"] for r in answers["sanctioners"])
    return {
        "imposer": imposer,
        "target": target,
        "measures": measures,
        "spared": bool(row and row["spared"] and has_answers),
        "hit_by": row["hit_by"] if row else [],
    }


def _sample_check(
    catalog: Catalog, index: Index, importer: str, origin: str, on: date, cite: Any
) -> dict[str, Any] | None:
    """One shipment the importer's import bans speak about: the first line of the ban in
    force on the day (a line listed only later is never the example)."""
    bans = [m for m in index.trade_measures() if m.type in IMPORT_TYPES and m.spec.imposer == importer]
    bans = [m for m in bans if m.type == MeasureType.import_ban and any(len(x.code) >= 4 for x in m.lines)]
    if not bans:
        return None
    main = min(bans, key=lambda m: (not m.active(on), -len(m.lines), m.id))  # the one in force, widest
    listed = [x for x in main.lines_on(on) if len(x.code) >= 4] or [x for x in main.lines if len(x.code) >= 4]
    line = min(listed, key=lambda x: (x.start, len(x.code), x.code))
    q = catalog.question(origin, importer, line.code, on, index.as_known_on)
    doc = serialise.answer(index, catalog.check(q))
    notes = sorted({cite(m["act"]) for m in doc["measures"]})
    return {
        "origin": origin,
        "importer": importer,
        "code": line.code,
        "wording": line.wording.en,
        "answer": doc,
        "notes": notes,
    }


def _chart(index: Index, a: str, b: str, on: date) -> str:
    """Inline SVG: each measure between the pair as a bar over its period, the day marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pairs = _pair_measures(index, a, b)
    # support measures are not sanctions: drawn apart, below the sanctions, in grey
    rows = [(d, m) for d, m in pairs if m.type != MeasureType.support_programme]
    rows += [
        (f"support, not a sanction ({m.spec.imposer})", m)
        for _, m in pairs
        if m.type == MeasureType.support_programme
    ]
    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(rows), 2) + 1.4), dpi=100)
    horizon = max([date(2027, 1, 1), on, *(m.start for _, m in rows)])
    for i, (direction, m) in enumerate(rows):
        end = m.end or horizon
        support = m.type == MeasureType.support_programme
        colour = "#bbbbbb" if support else "#ee6677" if direction == f"{a} \u2192 {b}" else "#4477aa"
        ax.barh(
            i,
            (end - m.start).days,
            left=_num(m.start),
            color=colour,
            height=0.6,
            hatch="//" if support else None,
        )
        ax.text(_num(m.start), i, f" {m.id}", va="center", fontsize=7, color="black")
    ax.axvline(_num(on), color="#222222", linestyle="dotted")
    ax.set_yticks(range(len(rows)), [d for d, _ in rows], fontsize=7)
    ax.xaxis_date()
    ax.set_xlabel("in force (bars end at the measure's end; open-ended ones run to the chart's edge)")
    ax.set_title(f"Measures between {a} and {b}; dotted line: {on.isoformat()}", fontsize=10)
    fig.text(0.01, 0.005, f"Source: sanctionscope, data set {index.version}", fontsize=7, color="#555555")
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _pair_measures(index: Index, a: str, b: str) -> list[tuple[str, MeasureState]]:
    out = []
    for entry in documents.timeline_doc(index, a, b)["acts"]:
        for mid in entry["measures"]:
            out.append((entry["direction"], index.measures[mid]))
    return sorted(out, key=lambda dm: (dm[1].start, dm[1].id))


def write(result: Brief, path: Path) -> None:
    """HTML or PDF by suffix, atomically."""
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise InputError("output", str(path), "must end in .html or .pdf")
    if not path.parent.is_dir():
        raise InputError("output", str(path), "is in a directory that does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        if suffix == ".pdf":
            from weasyprint import HTML

            HTML(string=result.html, base_url=str(path.parent)).write_pdf(tmp)
        else:
            Path(tmp).write_text(result.html, encoding="utf-8")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the result is a publication
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _num(day: date) -> float:
    import matplotlib.dates as mdates

    value: float = mdates.date2num(day)  # type: ignore[no-untyped-call]
    return value


#: The stories the shipped trade figures can tell, by the countries they are about.
STORY_PARTIES = {
    "salmon": {"RU", "NO", "FO", "CL"},
    "apples": {"RU", "PL", "BY", "RS", "MD", "CN"},
    "japan": {"RU", "JP"},
}


def trade_stories(catalog: Catalog, pair: set[str]) -> list[Any]:
    """The stories of the shipped figures about this pair (both countries among its parties)."""
    from sanctionscope.impact import load_figures, stories
    from sanctionscope.load import DEFAULT_DATA

    table = DEFAULT_DATA / "trade" / "ru_imports_by_partner.csv"
    if not table.is_file():
        return []
    return [s for s in stories(catalog, load_figures(table)) if pair <= STORY_PARTIES.get(s.key, set())]


def _figure_notes(told: list[Any], first: int) -> list[dict[str, Any]]:
    """Footnotes for the figures used, numbered after the acts' footnotes."""
    out: list[dict[str, Any]] = []
    for story in told:
        for row in story.rows:
            out.append({"n": first + len(out) + 1, "row": row})
        story.notes = {
            row.row: first + i + 1 for i, row in enumerate(story.rows, start=len(out) - len(story.rows))
        }
    return out
