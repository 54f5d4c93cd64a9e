"""Write an impact run: CSV tables, summary.json and charts, into a directory atomically.

Everything is written into a temporary sibling directory that is renamed into place at
the end, so a reader never sees half a result; an existing output directory is replaced.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the charts import matplotlib when drawn: reading figures needs none
    from matplotlib.figure import Figure as MplFigure

SOURCE_NOTE = "Source: {source}. Inclusion: sanctionscope {act} ({edition}), dataset {version}."
TARGETED_COLOUR = "#b2182b"
EXEMPT_COLOUR = "#2166ac"
UNCLEAR_COLOUR = "#999999"


@contextmanager
def atomic_dir(output: Path) -> Iterator[Path]:
    """Yield a temporary directory that becomes ``output`` when the block succeeds."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=output.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        output.rename(old / "previous")
    tmp.rename(output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
    return path


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1 else f"{value:.2f}"
    return "" if value is None else value


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path


def _save(fig: MplFigure, base: Path, title: str) -> list[Path]:
    import matplotlib

    paths = []
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text: searchable, accessible
        for ext in ("png", "svg"):
            path = base.with_suffix("." + ext)
            fig.savefig(path, dpi=150, bbox_inches="tight", metadata={"Title": title})
            paths.append(path)
    return paths


def _finish(fig: MplFigure, title: str, note: str) -> None:
    fig.suptitle(title, fontsize=13, fontweight="bold", x=0.02, ha="left")
    fig.text(0.02, 0.005, note, fontsize=7.5, color="#444444", ha="left", va="bottom", wrap=True)
    fig.subplots_adjust(bottom=0.2)


def colour(targeted: str) -> str:
    return {"yes": TARGETED_COLOUR, "no": EXEMPT_COLOUR}.get(targeted, UNCLEAR_COLOUR)


def bar_chart(
    base: Path,
    title: str,
    labels: list[str],
    values: list[float],
    colours: list[str],
    xlabel: str,
    note: str,
    legend: list[tuple[str, str]],
) -> list[Path]:
    """Horizontal bars, largest at the top, with the value printed at each bar's end."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, max(3.0, 0.42 * len(labels) + 1.8)))
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, values, color=colours)
    ax.set_yticks(ys, labels)
    ax.set_xlabel(xlabel)
    top = max([0.0, *values])
    low = min([0.0, *values])
    span = (top - low) or 1.0
    for y, v in zip(ys, values, strict=True):
        ax.text(
            v + span * 0.01 * (1 if v >= 0 else -1),
            y,
            f"{v:,.1f}",
            va="center",
            fontsize=8,
            ha="left" if v >= 0 else "right",
        )
    ax.set_xlim(low - span * 0.12 if low < 0 else 0, top + span * 0.12)
    if low < 0:
        ax.axvline(0, color="#333333", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    _legend(ax, legend)
    _finish(fig, title, note)
    return _save(fig, base, title)


def paired_chart(
    base: Path,
    title: str,
    labels: list[str],
    before: list[float],
    after: list[float],
    names: tuple[str, str],
    xlabel: str,
    note: str,
    label_colours: list[str] | None = None,
) -> list[Path]:
    """Two bars per label (before, after), e.g. market shares in two years."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, max(3.0, 0.55 * len(labels) + 1.8)))
    ax = fig.add_subplot()
    ys = [2.0 * i for i in range(len(labels))][::-1]
    h = 0.8
    ax.barh([y + h / 2 for y in ys], before, height=h, color="#bbbbbb", label=names[0])
    ax.barh([y - h / 2 for y in ys], after, height=h, color="#333333", label=names[1])
    ax.set_yticks(ys, labels)
    if label_colours:
        for tick, c in zip(ax.get_yticklabels(), label_colours, strict=True):
            tick.set_color(c)
    for y, b, a in zip(ys, before, after, strict=True):
        ax.text(b, y + h / 2, f" {b:.1f}", va="center", fontsize=7.5)
        ax.text(a, y - h / 2, f" {a:.1f}", va="center", fontsize=7.5)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", frameon=False)
    _finish(fig, title, note)
    return _save(fig, base, title)


def _legend(ax: Any, legend: list[tuple[str, str]]) -> None:
    from matplotlib.patches import Patch

    if legend:
        ax.legend(handles=[Patch(color=c, label=t) for t, c in legend], loc="lower right", frameon=False)


def sorted_top(items: Iterable[Any], key: Callable[[Any], float], n: int) -> list[Any]:
    return sorted(items, key=key, reverse=True)[:n]
