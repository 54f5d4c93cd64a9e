"""Cold start of ``sanctionscope check ... --json`` as a subprocess, beside the interpreter's
own floor, on today's data and on a synthetic data set 20 times its size.

    python bench/cold.py [--runs 7] [--factor 20] [--keep DIR]

Each command runs as a fresh process, as a user's shell runs it: one warm-up run first
(for ``check`` it is the run that parses, validates and compiles the data and writes the
compiled snapshot to the cache folder, reported as "first run"), then ``--runs`` timed
runs whose median is reported (bytecode written by the warm-up run, as an installed package
has it), with the median CPU time (user + system) of the child,
which a busy machine disturbs less than the wall clock. The baselines, on the same
interpreter: ``python -c pass`` (the interpreter's floor), ``python -c "import typer"``
and a Typer command with check's options that answers nothing (the CLI framework's own
floor: Typer parses each option through a pydantic type adapter, so a Typer command
with these options cannot start faster).

Data sets: (a) today's data (the embedded data, no ``--data``); (b) a synthetic data
directory of ``--factor`` times today's line count (``bench/synthetic.py``: every real act
plus synthetic bans with carve-outs and amendments), passed with ``--data``. The cache
folder is a fresh temporary one (``SANCTIONSCOPE_CACHE``), so nothing of the user's cache
is read or written. The question is Polish apples into Russia on 10 Aug 2014 (BANNED on
both data sets: (b) holds every real act). ``check`` loads only the parts of the compiled
snapshot for the jurisdictions that can bind the two parties (``snapshot_parts``); (b)'s
synthetic measures belong to other imposers, so a third row asks about a shipment into a
synthetic imposer (Russian apples into Nigeria, whose import bans hold some 3,800
synthetic lines): what a check costs when it touches the grown data.

Goals (the issue's): median <= 200 ms on today's data and <= 250 ms on 20x; printed
PASS/FAIL, exit status 0 either way. The last line is one JSON object for tracking.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import synthetic

QUESTION = ["--origin", "PL", "--destination", "RU", "--hs", "0808", "--date", "2014-08-10", "--json"]
#: A shipment into one of the synthetic imposers (its import bans are synthetic measures
#: with some 3,800 lines): the data a check loads grows with the imposers it asks about.
QUESTION_SYNTHETIC = [
    "--origin",
    "RU",
    "--destination",
    "NG",
    "--hs",
    "0808",
    "--date",
    "2020-06-01",
    "--json",
]
GOAL_TODAY_MS, GOAL_LARGE_MS = 200.0, 250.0
#: The framework's floor for this command: a Typer command with check's options that
#: answers nothing. Typer parses each option through a pydantic type adapter, so its
#: floor is well above ``import typer``.
TYPER_COMMAND = """
import typer

app = typer.Typer(add_completion=False)


@app.command()
def check(
    origin: str = typer.Option(..., "--origin"),
    destination: str = typer.Option(..., "--destination"),
    hs: str = typer.Option(..., "--hs"),
    on: str = typer.Option(..., "--date"),
    attest: list[str] = typer.Option([], "--attest"),
    as_known_on: str | None = typer.Option(None, "--as-known-on"),
    restore_leading_zeros: bool = typer.Option(False, "--restore-leading-zeros"),
    grace: int = typer.Option(30, "--grace-days"),
    side: str = typer.Option("both", "--side"),
    as_json: bool = typer.Option(False, "--json"),
    data: str | None = typer.Option(None, "--data"),
) -> None:
    print("{}")


@app.command()
def other() -> None:
    pass


app()
"""


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall ms, child CPU ms (user + system) and stdout of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = (time.perf_counter() - t0) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu, done.stdout


def timed(cmd: list[str], env: dict[str, str], runs: int) -> dict[str, Any]:
    """One warm-up run, then ``runs`` timed runs."""
    first_ms, first_cpu, out = run_once(cmd, env)
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu, out = run_once(cmd, env)
        walls.append(wall)
        cpus.append(cpu)
    return {
        "first_ms": first_ms,
        "first_cpu_ms": first_cpu,
        "median_ms": statistics.median(walls),
        "min_ms": min(walls),
        "max_ms": max(walls),
        "cpu_ms": statistics.median(cpus),
        "stdout": out,
    }


def snapshot_mb(cache: Path) -> float:
    """The snapshot and its parts file (the index again, cut by imposer)."""
    return sum(p.stat().st_size for p in [*cache.glob("*.pickle"), *cache.glob("*.parts")]) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (after one warm-up)")
    parser.add_argument("--factor", type=int, default=20, help="size of (b) in today's line counts")
    parser.add_argument("--seed", type=int, default=2014, help="synthetic data seed")
    parser.add_argument("--keep", type=Path, help="write the synthetic data directory here and keep it")
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("sanctionscope"))
    # PYTHONDONTWRITEBYTECODE (set on some CI machines) is dropped: an installed package
    # has its bytecode (pip compiles it; an editable install writes it on first import),
    # so the warm-up run writes it and the timed runs read it, as a user's shell would.
    dropped = {"SANCTIONSCOPE_DATA", "SANCTIONSCOPE_CACHE", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    today = synthetic.real_line_count()
    large = today * args.factor
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="sanctionscope-cold-") as tmp:
        folder = args.keep or Path(tmp) / f"lines-{large}"
        t0 = time.perf_counter()
        summary = synthetic.build(large, folder, seed=args.seed)
        print(f"(b) {summary.describe()}  (written in {time.perf_counter() - t0:.1f} s)", flush=True)
        rows["python -c pass"] = timed([sys.executable, "-c", "pass"], env, args.runs)
        rows["python -c 'import typer'"] = timed([sys.executable, "-c", "import typer"], env, args.runs)
        floor_script = Path(tmp) / "typer_command.py"
        floor_script.write_text(TYPER_COMMAND, "utf-8")
        rows["typer command"] = timed([sys.executable, str(floor_script), "check", *QUESTION], env, args.runs)
        sizes = {}
        for label, extra in (("today", []), ("large", ["--data", str(folder)])):
            cache = Path(tmp) / f"cache-{label}"
            run_env = {**env, "SANCTIONSCOPE_CACHE": str(cache)}
            rows[f"check ({label})"] = timed([exe, "check", *QUESTION, *extra], run_env, args.runs)
            sizes[label] = snapshot_mb(cache)
        run_env = {**env, "SANCTIONSCOPE_CACHE": str(Path(tmp) / "cache-large")}
        rows["check (large, synthetic)"] = timed(
            [exe, "check", *QUESTION_SYNTHETIC, "--data", str(folder)], run_env, args.runs
        )
    report(rows, sizes, today, large, args.runs)


def report(
    rows: dict[str, dict[str, Any]], sizes: dict[str, float], today: int, large: int, runs: int
) -> None:
    names = {
        "check (today)": f"check, today's data ({today:,} lines)",
        "check (large)": f"check, {large:,} lines",
        "check (large, synthetic)": "  same, RU -> NG (synthetic)",
        "typer command": "Typer command, check's options",
    }
    print(f"\n{'command':<34} {'median ms':>9} {'min':>7} {'max':>7} {'CPU ms':>7} {'first run ms':>12}")
    for key, r in rows.items():
        print(
            f"{names.get(key, key):<34} {r['median_ms']:>9.1f} {r['min_ms']:>7.1f} {r['max_ms']:>7.1f}"
            f" {r['cpu_ms']:>7.1f} {r['first_ms']:>12.1f}"
        )
    verdicts = {k: json.loads(r["stdout"]).get("verdict") for k, r in rows.items() if k.startswith("check")}
    floor = rows["typer command"]["median_ms"]
    a, b = rows["check (today)"], rows["check (large)"]
    print(
        f"(median of {runs} runs after one warm-up; the first run of check parses, validates,"
        f" compiles and writes the snapshot and its parts: {sizes['today']:.1f} MB today,"
        f" {sizes['large']:.1f} MB at {large:,} lines)"
    )
    print(
        f"check above the Typer command's floor: {a['median_ms'] - floor:.1f} ms today,"
        f" {b['median_ms'] - floor:.1f} ms at {large:,} lines"
    )
    print(f"verdicts: {verdicts}")
    ok_a, ok_b = a["median_ms"] <= GOAL_TODAY_MS, b["median_ms"] <= GOAL_LARGE_MS
    print(
        f"goal: check today <= {GOAL_TODAY_MS:.0f} ms: {a['median_ms']:.0f} ms  {'PASS' if ok_a else 'FAIL'}"
    )
    print(
        f"goal: check at {large:,} lines <= {GOAL_LARGE_MS:.0f} ms: {b['median_ms']:.0f} ms"
        f"  {'PASS' if ok_b else 'FAIL'}"
    )
    key = {
        "python -c pass": "python",
        "python -c 'import typer'": "import_typer",
        "typer command": "typer_command",
        "check (today)": "check_today",
        "check (large)": "check_large",
        "check (large, synthetic)": "check_large_synthetic",
    }
    figures: dict[str, Any] = {"runs": runs, "lines_today": today, "lines_large": large}
    for k, r in rows.items():
        figures[f"{key[k]}_ms"] = round(r["median_ms"], 1)
        figures[f"{key[k]}_cpu_ms"] = round(r["cpu_ms"], 1)
    figures["check_today_first_ms"] = round(a["first_ms"], 1)
    figures["check_large_first_ms"] = round(b["first_ms"], 1)
    figures["snapshot_mb_today"] = round(sizes["today"], 2)
    figures["snapshot_mb_large"] = round(sizes["large"], 2)
    figures["verdicts"] = verdicts
    figures["goal_today_pass"], figures["goal_large_pass"] = ok_a, ok_b
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
