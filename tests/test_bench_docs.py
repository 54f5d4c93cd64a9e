"""bench/README.md prints the baselines' text exactly as the benches run it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _baselines() -> object:
    spec = importlib.util.spec_from_file_location("baselines", BENCH / "baselines.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_shows_every_baseline_as_run() -> None:
    readme = (BENCH / "README.md").read_text("utf-8")
    b = _baselines()
    for name in ("BAN_LINES_SQL", "SCREEN_SQL", "FILE_SQL", "POLARS_TEXT", "PARQUET_READER"):
        text = getattr(b, name)
        assert text.strip() in readme, name


def test_every_bench_is_run_by_make_bench() -> None:
    makefile = (BENCH.parent / "Makefile").read_text("utf-8")
    target = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    for script in ("check", "cold", "screen", "endtoend", "scale", "load", "abuse", "spark_scale"):
        assert f"bench/{script}.py" in target, script
