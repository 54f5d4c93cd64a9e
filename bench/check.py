"""Single-question latency of `check` against a linear-scan baseline, in one process.

    python bench/check.py [--questions 20000]

The baseline answers the same questions by scanning every line of every measure (what a
first implementation without the compiled prefix index would do); both must agree on
every verdict. Prints p50/p99 in microseconds, the ratio, CLI cold start, and a last line
of JSON for tracking.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sanctionscope.engine.answer import Question
from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.check import check
from sanctionscope.engine.reference import banned_by_scan
from sanctionscope.load import load_dataset

ORIGINS = ["PL", "DE", "JP", "US", "NO", "CH", "IS", "TR", "GB", "NZ", "CN", "BY", "UA", "FR", "BR"]


def questions(n: int, codes: list[str], seed: int = 7) -> list[Question]:
    rng = random.Random(seed)
    start = date(2013, 1, 1)
    return [
        Question(
            rng.choice(ORIGINS),
            "RU",
            rng.choice(codes),
            start + timedelta(days=rng.randrange(5100)),
            date(2026, 11, 30),
        )
        for _ in range(n)
    ]


def timed(fn, items):  # type: ignore[no-untyped-def]
    out, lat = [], []
    for item in items:
        t0 = time.perf_counter_ns()
        out.append(fn(item))
        lat.append(time.perf_counter_ns() - t0)
    lat.sort()
    return out, lat


def pct(lat: list[int], p: float) -> float:
    return lat[min(len(lat) - 1, int(p * len(lat)))] / 1000


def cold_start_ms() -> float:
    """Median of 3 runs after a warm-up run (which writes the snapshot and the bytecode an
    installed package has: PYTHONDONTWRITEBYTECODE, set on some CI machines, is dropped)."""
    exe = Path(sys.executable).with_name("sanctionscope")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = []
    for _ in range(4):
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(exe),
                "check",
                "--origin",
                "PL",
                "--destination",
                "RU",
                "--hs",
                "0808",
                "--date",
                "2014-08-10",
                "--json",
            ],
            capture_output=True,
            check=True,
            env=env,
        )
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs[1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=20000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    catalog = Catalog(load_dataset())
    index = catalog.index(date(2026, 11, 30))
    load_ms = (time.perf_counter() - t0) * 1000
    table = load_dataset().nomenclature.codes["HS2012"]
    codes = [c for c in table if len(c) == 6]
    qs = questions(args.questions, codes)
    check(index, qs[0])  # warm caches (pycountry lookups)
    fast, fast_lat = timed(lambda q: check(index, q).verdict.value == "BANNED", qs)
    slow, slow_lat = timed(lambda q: banned_by_scan(index, q), qs)
    mismatches = sum(a != b for a, b in zip(fast, slow, strict=True))
    p50, p99, b50 = pct(fast_lat, 0.5), pct(fast_lat, 0.99), pct(slow_lat, 0.5)
    cold = cold_start_ms()
    print(f"questions          {len(qs):>10,}   banned {sum(fast):,}   mismatches vs baseline {mismatches}")
    print(f"load + compile     {load_ms:>10.1f} ms")
    print(f"check (indexed)    p50 {p50:>7.1f} us   p99 {pct(fast_lat, 0.99):>7.1f} us")
    print(f"baseline (scan)    p50 {b50:>7.1f} us   p99 {pct(slow_lat, 0.99):>7.1f} us")
    print(
        f"ratio baseline/indexed at p50: {b50 / p50:.2f}x "
        "(the baseline returns a boolean; check also builds the answer and its legal chain)"
    )
    print(f"CLI cold start     {cold:>10.0f} ms")
    print(
        json.dumps(
            {
                "questions": len(qs),
                "check_p50_us": round(p50, 1),
                "check_p99_us": round(p99, 1),
                "baseline_p50_us": round(b50, 1),
                "vs_baseline": round(b50 / p50, 2),
                "mismatches": mismatches,
                "cli_cold_ms": round(cold),
            }
        )
    )
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
