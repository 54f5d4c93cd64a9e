"""Rule-set scaling: how compile time, kernel throughput and ``check`` latency grow with
the number of lines in the data.

    python bench/scale.py [--sizes 100,1000,10000,100000] [--rows 2_000_000]
                          [--questions 5000] [--timeout 900] [--data DIR]

``--data`` scales up another copy of the real data (e.g. a committed one while the
working tree's is being edited).

For each size N (product lines written by the acts; see ``bench/synthetic.py`` for what
a directory of N lines holds: real acts, or a reference-closed subset of them below the
real line count, plus synthetic import and export bans of real HS 2012 codes with
carve-outs and amendments over 2014-2026), a data directory is written and measured in a
child process of its own (fresh caches; a size that runs past ``--timeout`` seconds is
reported with the stages it finished):

1. compile time, stage by stage: ``load_dataset`` (parse + validate), ``Catalog.index``
   (compile_index for the acts known on 2026-11-30) and ``Catalog.kernel`` (the batch
   kernel's tables);
   A kernel over many cells is *lazy* (``Kernel.ensure``): the situations of the place
   pairs met are built while the shipments are encoded, timed apart as ``encode s``
   (these shipments meet every pair, so that is the rest of the build);
2. kernel throughput: the same ``--rows`` synthetic shipments at every size (fixed seed:
   real HS 2012 codes as 6 and 10 digits, origins and destinations among the real
   parties, the synthetic imposers and their targets, days 2013-2026), encoded before
   timing with the screen's own encoder (``Screening(...).encoder.rows``: each row as
   indices into its small tables); ``Kernel.run_rows`` (the key lookups and the
   situation and answer lookups, compiled) on one thread, best of 3; a sample of rows
   is answered by ``check`` too and must agree;
3. ``check`` p50/p99 in microseconds over ``--questions`` random questions, in process.

The baseline is the smallest size (10^2 lines): the table prints each size's kernel
rows/s as a ratio to it. The issue's goals, printed PASS/FAIL (the exit status stays 0):
at 10^4 lines the kernel keeps >= 75 % of its 10^2 rows/s, and its tables build in
<= 1 s. The last line is one JSON object for tracking.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import synthetic

KNOWN = date(2026, 11, 30)
CHUNK = 1 << 20
#: Parties of the shipments and questions (weights): the real data's (Russia's food ban,
#: its targets, the Turkish and Chinese measures), then the synthetic imposers and targets.
PLACES = {
    **dict.fromkeys(["RU"], 40),
    **dict.fromkeys(["DE", "PL", "NL", "FR", "IT", "US", "NO", "CN", "JP", "TR", "BY", "UA"], 4),
    **dict.fromkeys(["CA", "AU", "GB", "CH", "IS", "NZ", "KZ", "BR", "IN", "RS"], 2),
    **dict.fromkeys(synthetic.IMPOSERS, 2),
    **dict.fromkeys([t for t in synthetic.TARGETS if len(t) == 2 and t != "EU"], 2),
}
GOAL_SIZE, GOAL_RATIO, GOAL_BUILD_S = 10_000, 0.75, 1.0


# -- the child: one data directory -----------------------------------------------------
def shipments(rows: int, codes6: list[str], seed: int = 42) -> Any:
    """The fixed shipments (an Arrow table): the same for every size."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    hs6 = np.array(sorted(codes6))
    tails = np.char.zfill(rng.integers(0, 10_000, len(hs6)).astype(str), 4)
    codes = np.concatenate([hs6, np.char.add(hs6, tails)])
    names = list(PLACES)
    weights = np.array([PLACES[n] for n in names], float)
    weights /= weights.sum()

    def places() -> Any:
        picks = rng.choice(len(names), rows, p=weights).astype(np.int32)
        return pa.DictionaryArray.from_arrays(pa.array(picks), pa.array(names))

    lo, hi = (date(2013, 1, 1) - date(1970, 1, 1)).days, (date(2027, 1, 1) - date(1970, 1, 1)).days
    return pa.table(
        {
            "origin": places(),
            "destination": places(),
            "hs_code": pa.DictionaryArray.from_arrays(
                pa.array(rng.integers(0, len(codes), rows, dtype=np.int32)), pa.array(codes.tolist())
            ),
            "date": pa.array(rng.integers(lo, hi, rows).astype(np.int32)).cast(pa.date32()),
        }
    )


def questions(n: int, codes6: list[str], seed: int = 7) -> list[Any]:
    from sanctionscope.engine.answer import Question

    rng = random.Random(seed)
    names, weights = list(PLACES), list(PLACES.values())
    out = []
    for _ in range(n):
        origin, dest = rng.choices(names, weights, k=2)
        code = rng.choice(codes6)
        if rng.random() < 0.3:
            code += f"{rng.randrange(10_000):04d}"
        out.append(
            Question(origin, dest, code, date(2013, 1, 1) + timedelta(days=rng.randrange(5100)), KNOWN)
        )
    return out


def fmt(value: Any, spec: str, missing: str = "-") -> str:
    return missing if value is None else format(value, spec)


def pct(ns: list[int], p: float) -> float:
    """Percentile ``p`` of nanosecond figures, in microseconds."""
    ordered = sorted(ns)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] / 1000


def emit(**figures: Any) -> None:
    print(json.dumps({k: round(v, 6) if isinstance(v, float) else v for k, v in figures.items()}), flush=True)


def worker(folder: Path, rows: int, n_questions: int, agree: int) -> None:
    """Measure one data directory; print one JSON line per finished stage."""
    import numpy as np

    from sanctionscope.engine.answer import Question
    from sanctionscope.engine.catalog import Catalog
    from sanctionscope.engine.check import check
    from sanctionscope.load import load_dataset
    from sanctionscope.screen import Screening, parse_mapping

    t0 = time.perf_counter()
    dataset = load_dataset(folder)
    emit(stage="load", load_s=time.perf_counter() - t0, acts=len(dataset.acts))
    catalog = Catalog(dataset)
    t0 = time.perf_counter()
    index = catalog.index(KNOWN)
    emit(stage="index", index_s=time.perf_counter() - t0, measures=len(index.measures))
    codes6 = [c for c in dataset.nomenclature.codes["HS2012"] if len(c) == 6]
    qs = questions(n_questions, codes6)
    check(index, qs[0])  # warm caches (pycountry lookups)
    wall, cpu = [], []
    for q in qs:
        t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        check(index, q)
        cpu.append(time.thread_time_ns() - c0)
        wall.append(time.perf_counter_ns() - t0)
    emit(
        stage="check",
        questions=len(qs),
        check_p50_us=pct(wall, 0.5),
        check_p99_us=pct(wall, 0.99),
        check_cpu_p50_us=pct(cpu, 0.5),
        check_cpu_p99_us=pct(cpu, 0.99),
    )
    t0 = time.perf_counter()
    kernel = catalog.kernel(KNOWN)
    build_s = time.perf_counter() - t0
    tables = kernel._situation.nbytes + kernel._table.answers.nbytes + kernel._day_table.nbytes
    emit(
        stage="kernel",
        kernel_s=build_s,
        epochs=kernel.epoch_count,
        code_classes=len(kernel.codes),
        outcomes=len(kernel.outcomes),
        tables_mb=tables / 1e6,
    )

    table = shipments(rows, codes6)
    screening = Screening(catalog, KNOWN, table.column_names, table.schema, parse_mapping(None))
    enc = screening.encoder
    t0 = time.perf_counter()  # a lazy kernel builds the situations of the pairs met here
    columns = ("origin", "destination", "hs_code", "date")
    inputs = [enc.rows(*((b.column(c), c) for c in columns)) for b in table.to_batches(CHUNK)]
    emit(stage="encode", encode_s=time.perf_counter() - t0, lazy=kernel.lazy)
    kernel.run_rows(inputs[0])  # warm (page in the tables)
    best, ids = float("inf"), []
    for _ in range(3):
        t0 = time.perf_counter()
        ids = [kernel.run_rows(keys) for keys in inputs]
        best = min(best, time.perf_counter() - t0)
    flat = np.concatenate(ids)
    sample = table.slice(0, agree).to_pylist()
    mismatches = 0
    for row, outcome in zip(sample, flat[:agree].tolist(), strict=True):
        if outcome < 0:
            continue
        q = Question(row["origin"], row["destination"], row["hs_code"], row["date"], KNOWN)
        mismatches += kernel.outcomes[outcome].verdict != check(index, q).verdict.value
    verdicts = kernel.verdict_counts(flat[flat >= 0])
    emit(
        stage="rows",
        rows=rows,
        rows_per_s=rows / best,
        ask=int((flat < 0).sum()),
        banned=verdicts.get("BANNED", 0) / rows,
        not_covered=verdicts.get("NOT_COVERED", 0) / rows,
        agree_sample=len(sample),
        mismatches=mismatches,
    )


# -- the parent ------------------------------------------------------------------------
STAGES = ("load", "index", "check", "kernel", "encode", "rows")


def measure(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Run the worker on ``folder``; stop it past the time or memory limit."""
    cmd = [sys.executable, __file__, "--worker", str(folder), "--rows", str(args.rows)]
    cmd += ["--questions", str(args.questions), "--agree", str(args.agree)]
    with tempfile.TemporaryFile("w+") as err:
        env = {**os.environ, "SANCTIONSCOPE_CACHE": "off"}  # nothing left in the user's cache
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(child.stdout or []), daemon=True)
        reader.start()
        started, peak_kb, stopped = time.perf_counter(), 0, ""
        while child.poll() is None:
            peak_kb = max(peak_kb, rss_kb(child.pid))
            if time.perf_counter() - started > args.timeout:
                stopped = f"stopped after {args.timeout:.0f} s"
            elif peak_kb > args.max_rss_gb * 1e6:
                stopped = f"stopped at {peak_kb / 1e6:.1f} GB resident (limit {args.max_rss_gb:g} GB)"
            if stopped:
                child.kill()  # the child this function started, by its pid
                break
            time.sleep(0.2)
        child.wait()
        reader.join()
        err.seek(0)
        error = err.read().strip()
    figures: dict[str, Any] = {"stopped": stopped, "peak_rss_gb": round(peak_kb / 1e6, 2)}
    done = []
    for text in lines:
        if text.startswith("{"):
            found = json.loads(text)
            done.append(found.pop("stage"))
            figures.update(found)
    figures["unfinished"] = next((s for s in STAGES if s not in done), None)
    if child.returncode and not stopped:
        signal = f"killed by signal {-child.returncode}" if child.returncode < 0 else ""
        figures["error"] = signal or (error.splitlines()[-1] if error else f"exit {child.returncode}")
    return figures


def rss_kb(pid: int) -> int:
    """Resident memory of a process (kB, from /proc; 0 when gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:")), 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000", help="lines, comma-separated")
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=2_000_000)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--agree", type=int, default=2000, help="rows also answered by check")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per size (child process)")
    parser.add_argument(
        "--max-rss-gb", type=float, default=6.0, help="stop a size whose process grows past this (GB)"
    )
    parser.add_argument("--seed", type=int, default=2014, help="synthetic data seed")
    parser.add_argument("--keep", type=Path, help="write the data directories here and keep them")
    parser.add_argument(
        "--data", type=Path, default=None, help="real data directory to scale up (default: the package's)"
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.rows, args.questions, args.agree)
        return
    sizes = sorted(int(float(s.replace("_", ""))) for s in args.sizes.split(","))
    real = synthetic.real_line_count(*([args.data] if args.data else []))
    print(f"real data: {real:,} lines; rows {args.rows:,}; questions {args.questions:,}; as known on {KNOWN}")
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="sanctionscope-scale-") as tmp:
        root = args.keep or Path(tmp)
        for n in sizes:
            folder = root / f"lines-{n}"
            t0 = time.perf_counter()
            summary = synthetic.build(n, folder, seed=args.seed, **({"data": args.data} if args.data else {}))
            generate_s = time.perf_counter() - t0
            print(f"[{n:>7,}] {summary.describe()}  (written in {generate_s:.1f} s)", flush=True)
            t0 = time.perf_counter()
            figures = {"lines": n, "real_lines": summary.real_lines, **measure(folder, args)}
            figures["generate_s"] = round(generate_s, 2)
            results.append(figures)
            state = figures.get("error") or figures["stopped"] or "done"
            print(f"[{n:>7,}] measured in {time.perf_counter() - t0:.0f} s: {state}", flush=True)
    report(results)


def report(results: list[dict[str, Any]]) -> None:
    base = results[0].get("rows_per_s") if results else None
    base_n = results[0]["lines"] if results else 0
    print()
    print(
        f"{'lines':>8} {'acts':>5} {'measures':>8} {'load+val s':>10} {'index s':>8} {'kernel s':>9}"
        f" {'encode s':>8} {'epochs':>6} {'classes':>8} {'tables MB':>9} {'M rows/s':>8}"
        f" {f'vs {base_n:,}':>8}"
        f" {'p50 us':>7} {'p99 us':>8} {'CPU p99':>8} {'peak GB':>7}"
    )
    for r in results:
        rate = r.get("rows_per_s")
        r["vs_smallest"] = round(rate / base, 3) if rate and base else None
        stop = "stopped" if r["stopped"] else "failed" if r.get("error") else "-"
        cut = {"load": "load_s", "index": "index_s", "kernel": "kernel_s", "encode": "encode_s"}.get(
            r["unfinished"] or ""
        )

        def cell(key: str, spec: str, r: dict[str, Any] = r, stop: str = stop, cut: str | None = cut) -> str:
            return fmt(r.get(key), spec, stop if key == cut else "-")

        print(
            f"{r['lines']:>8,} {cell('acts', ','):>5} {cell('measures', ','):>8}"
            f" {cell('load_s', '.2f'):>10} {cell('index_s', '.3f'):>8} {cell('kernel_s', '.2f'):>9}"
            f" {cell('encode_s', '.2f'):>8}"
            f" {cell('epochs', ','):>6} {cell('code_classes', ','):>8} {cell('tables_mb', ',.1f'):>9}"
            f" {fmt(rate / 1e6 if rate else None, '.1f'):>8} {fmt(r['vs_smallest'], '.0%'):>8}"
            f" {cell('check_p50_us', '.1f'):>7} {cell('check_p99_us', '.1f'):>8}"
            f" {cell('check_cpu_p99_us', '.1f'):>8} {r['peak_rss_gb']:>7.1f}"
        )
        if r["stopped"] or r.get("error"):
            print(f"{'':>8}   {r['unfinished']}: {r['stopped'] or r.get('error')}")
        if r.get("mismatches"):
            print(
                f"{'':>8}   kernel and check disagree on {r['mismatches']} of {r['agree_sample']} sample rows"
            )
    print(
        "(load+val: parse + validate; kernel: Catalog.kernel; encode: the screen's encoder, with a lazy"
        " kernel's pairs; rows/s: Kernel.run_rows, 1 thread, best of 3;"
        " p50/p99: check wall clock, CPU p99: the thread's CPU time, which a busy machine disturbs less)"
    )
    goal = next((r for r in results if r["lines"] == GOAL_SIZE), None)
    ratio = goal.get("vs_smallest") if goal else None
    build = goal.get("kernel_s") if goal else None
    ratio_ok = ratio is not None and ratio >= GOAL_RATIO and base_n == 100
    build_ok = build is not None and build <= GOAL_BUILD_S
    print()
    if goal is None:
        print(f"goals: size {GOAL_SIZE:,} not measured (add it to --sizes)")
    else:
        why = f" (kernel not built: {goal['stopped'] or goal.get('error')})" if build is None else ""
        print(
            f"goal: kernel rows/s at {GOAL_SIZE:,} lines >= {GOAL_RATIO:.0%} of 10^2's:"
            f" {fmt(ratio, '.0%', 'not measured')}  {'PASS' if ratio_ok else 'FAIL'}"
            + ("" if base_n == 100 else f" (smallest size is {base_n:,}, not 100)")
            + why
        )
        print(
            f"goal: kernel build at {GOAL_SIZE:,} lines <= {GOAL_BUILD_S:.0f} s:"
            f" {fmt(build, '.2f', 'not measured')}{'' if build is None else ' s'}"
            f"  {'PASS' if build_ok else 'FAIL'}{why}"
        )
    print(
        json.dumps(
            {
                "sizes": [r["lines"] for r in results],
                "results": results,
                "goal_rows_ratio_10k": ratio,
                "goal_rows_ratio_pass": ratio_ok,
                "goal_kernel_build_10k_s": build,
                "goal_kernel_build_pass": build_ok,
            }
        )
    )


if __name__ == "__main__":
    main()
