"""The Spark screen at 1, 10 and 100 million rows (Parquet, partitioned) on local[2].

    python bench/spark_scale.py [--sizes 1,10,100] [--files 8]

For each size: generate realistic shipments (as bench/screen.py does) into a folder of
Parquet files, screen it with Spark (read, kernel per partition through Arrow, write
verdicts and rejects as Parquet), then with the embedded engine on the same files (read,
screen, write, file by file), and print rows/s for both and their ratio, so the growth
of cost with input size is visible (it should be linear: constant rows/s). The last line
is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from screen import shipments

from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import load_dataset
from sanctionscope.screen import parse_mapping, screen_file
from sanctionscope.spark import screen_path, session

KNOWN = date(2026, 11, 30)
STEP = 10_000_000  # rows generated at a time (memory stays bounded)


def generate(catalog: Catalog, rows: int, folder: Path, files: int) -> None:
    folder.mkdir(parents=True)
    per_file = -(-rows // files)
    written, part = 0, 0
    while written < rows:
        n = min(per_file, rows - written, STEP)
        table = shipments(n, catalog, seed=part)
        pq.write_table(table, folder / f"part-{part:04d}.parquet", row_group_size=1 << 20)
        written, part = written + n, part + 1


def spark_run(folder: Path, out: Path) -> tuple[float, dict[str, object]]:
    t0 = time.perf_counter()
    found = screen_path(str(folder), str(out / "spark"), None, parse_mapping(None), KNOWN, "local[2]")
    return time.perf_counter() - t0, found


def embedded_run(catalog: Catalog, folder: Path, out: Path) -> float:
    target = out / "embedded"
    target.mkdir()
    t0 = time.perf_counter()
    for part in sorted(folder.glob("*.parquet")):
        screen_file(
            catalog, part, target / part.name, target / f"{part.stem}.rejects.csv", parse_mapping(None), KNOWN
        )
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10,100", help="millions of rows, comma-separated")
    parser.add_argument("--files", type=int, default=8, help="Parquet files per input")
    args = parser.parse_args()
    catalog = Catalog(load_dataset())
    catalog.kernel(KNOWN)
    session("local[2]")  # start the JVM once, outside the timings
    results = []
    for millions in (int(x) for x in args.sizes.split(",")):
        rows = millions * 1_000_000
        with tempfile.TemporaryDirectory(prefix="spark-scale-") as tmp:
            folder, out = Path(tmp) / "in", Path(tmp) / "out"
            out.mkdir()
            generate(catalog, rows, folder, args.files)
            spark_s, found = spark_run(folder, out)
            assert found["read"] == rows == found["answered"] + found["rejected"], found  # type: ignore[operator]
            embedded_s = embedded_run(catalog, folder, out)
            shutil.rmtree(out, ignore_errors=True)
        result = {
            "rows": rows,
            "spark_s": round(spark_s, 2),
            "spark_rows_per_s": round(rows / spark_s),
            "embedded_s": round(embedded_s, 2),
            "embedded_rows_per_s": round(rows / embedded_s),
            "spark_vs_embedded": round(embedded_s / spark_s, 3),
        }
        results.append(result)
        print(
            f"{rows:>12,} rows: Spark local[2] {result['spark_rows_per_s']:>12,} rows/s ({spark_s:7.1f} s)   "
            f"embedded {result['embedded_rows_per_s']:>12,} rows/s ({embedded_s:7.1f} s)   "
            f"Spark/embedded speed {result['spark_vs_embedded']:.2f}",
            flush=True,
        )
    first, last = results[0], results[-1]
    time_growth = float(last["spark_s"]) / float(first["spark_s"])
    rows_growth = int(last["rows"]) // int(first["rows"])
    growth = time_growth / rows_growth
    print(f"cost growth: time x{time_growth:.1f} for rows x{rows_growth} (1.0 = linear: {growth:.2f})")
    print(json.dumps({"sizes": results, "time_growth_over_rows_growth": round(growth, 3)}))


if __name__ == "__main__":
    main()
