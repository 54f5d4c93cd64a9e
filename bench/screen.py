"""Batch screening throughput against what an analyst would write instead, in one run.

    python bench/screen.py [--rows 10_000_000] [--sample 20000] [--no-file]

Generates realistic shipments (real HS 2012 codes from the nomenclature, 6 and 10
digits; real countries as ISO2 and ISO3; dates 2013-2026; most shipments into Russia)
and times, on the same in-memory Arrow table:

1. sanctionscope's screen (dictionary decode + batch kernel + verdict columns) on one
   thread, and on two (the cores DuckDB and Polars use); also the kernel alone;
2. the DuckDB SQL a competent analyst writes over the ``db build`` tables (join on the
   4-digit heading, then prefix, period, bloc membership and code carve-outs), 2 threads;
3. the same logic in Polars (all cores: 2 here);
4. a Python loop over ``check`` on a sample, extrapolated.

Parsing is timed apart (Parquet and CSV reads), and the CLI screens the CSV file end to
end in a subprocess whose peak memory is reported (streaming: far below the file size).
The memory-bandwidth statement compares the kernel with this machine's measured read
bandwidth. The last line is one JSON object for tracking.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from baselines import BAN_LINES_SQL, POLARS_TEXT, SCREEN_SQL
from check import cold_start_ms, pct, questions, timed

from sanctionscope.engine.catalog import Catalog
from sanctionscope.engine.check import check
from sanctionscope.load import load_dataset
from sanctionscope.paths import default_data_dir
from sanctionscope.screen import Screening, parse_mapping, screen_batches
from sanctionscope.store import build
from sanctionscope.tabular import CsvSource

KNOWN = date(2026, 11, 30)
CHUNK = 1 << 20
ORIGINS = {  # origin: weight (ISO3 spellings appear too: users write both)
    **dict.fromkeys(["DE", "PL", "NL", "FR", "IT", "ES", "LT", "FI", "DK", "BE"], 4),
    **dict.fromkeys(["US", "NO", "CA", "AU", "GB", "UA", "IS", "CH", "NZ", "JP"], 3),
    **dict.fromkeys(["CN", "BY", "TR", "KZ", "BR", "CL", "AR", "EC", "IN", "RS", "MD", "IL"], 5),
    **dict.fromkeys(["DEU", "POL", "USA", "CHN", "NOR", "JPN", "BLR", "TUR"], 1),
}
DESTINATIONS = {"RU": 60, "KZ": 6, "BY": 6, "DE": 5, "CN": 5, "US": 4, "TR": 4, "PL": 3, "JP": 3, "IN": 4}


def shipments(rows: int, catalog: Catalog, seed: int = 42) -> pa.Table:
    rng = np.random.default_rng(seed)
    hs6 = np.array(sorted(c for c in catalog.dataset.nomenclature.codes["HS2012"] if len(c) == 6))
    food = hs6[np.char.less(hs6, "25")]
    pool = np.concatenate([hs6, food, food])  # food is what the bans list: over-sampled
    tails = np.char.zfill(rng.integers(0, 10_000, len(pool)).astype(str), 4)
    codes = np.concatenate([pool, np.char.add(pool, tails)])  # HS6 and TN VED-style 10 digits
    days = rng.integers(
        (date(2013, 1, 1) - date(1970, 1, 1)).days, (date(2027, 1, 1) - date(1970, 1, 1)).days, rows
    )
    return pa.table(
        {
            "origin": _categorical(rng, ORIGINS, rows),
            "destination": _categorical(rng, DESTINATIONS, rows),
            "hs_code": pa.DictionaryArray.from_arrays(
                pa.array(rng.integers(0, len(codes), rows, dtype=np.int32)), pa.array(codes.tolist())
            ),
            "date": pa.array(days.astype(np.int32)).cast(pa.date32()),
            "value_usd": pa.array(rng.gamma(2.0, 5000.0, rows).round(2)),
        }
    )


def _categorical(rng: np.random.Generator, weights: dict[str, int], rows: int) -> pa.DictionaryArray:
    names, w = list(weights), np.array(list(weights.values()), float)
    picks = rng.choice(len(names), rows, p=w / w.sum()).astype(np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(picks), pa.array(names))


def best(fn, repeat: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


# -- 1. sanctionscope ------------------------------------------------------------------
def ours(catalog: Catalog, table: pa.Table) -> tuple[float, float, float, float, np.ndarray]:
    """Seconds on one thread, on two threads, for the kernel alone (compiled, and as NumPy
    passes where the extension is not built); the banned flags."""

    def screen(threads: int) -> list[pa.RecordBatch]:
        s = Screening(catalog, KNOWN, table.column_names, table.schema, parse_mapping(None))
        batches = ((b, i * CHUNK + 1) for i, b in enumerate(table.to_batches(CHUNK)))
        return [out for out, _ in screen_batches(s, batches, threads)]

    catalog.kernel(KNOWN)  # compiled once per data set (cached by the catalog)
    seconds, batches = best(lambda: screen(1))  # each run decodes its distinct values afresh
    two_s, _ = best(lambda: screen(2))
    verdicts = pa.chunked_array([b.column("verdict") for b in batches])  # type: ignore[union-attr]
    banned = verdicts.to_numpy(zero_copy_only=False) == "BANNED"
    kernel = catalog.kernel(KNOWN)
    enc = Screening(catalog, KNOWN, table.column_names, table.schema, parse_mapping(None)).encoder
    columns = ("origin", "destination", "hs_code", "date")
    inputs = [enc.rows(*((b.column(c), c) for c in columns)) for b in table.to_batches(CHUNK)]
    kernel_s, _ = best(lambda: [kernel.run_rows(k) for k in inputs])
    numpy_s, _ = best(lambda: [kernel.run_rows(k, use_compiled=False) for k in inputs])
    return seconds, two_s, kernel_s, numpy_s, banned


# -- 2. DuckDB: what an analyst writes over the `db build` tables (bench/baselines.py) --
def analyst_input(table: pa.Table, catalog: Catalog) -> pa.Table:
    """The analyst's cleaned input: ISO2 countries, codes as digits (done before timing)."""
    jur = catalog.dataset.jurisdictions
    cols = {}
    for name in ("origin", "destination"):
        col = table.column(name).combine_chunks()
        iso2 = pa.array([jur.resolve(v, name) for v in col.dictionary.to_pylist()])
        cols[name] = pa.DictionaryArray.from_arrays(col.indices, iso2).cast(pa.string())
    code, day = table.column("hs_code").cast(pa.string()), table.column("date")
    return pa.table({"row": np.arange(table.num_rows), **cols, "code": code, "date": day})


def with_duckdb(db: Path, clean: pa.Table) -> tuple[float, np.ndarray]:
    con = duckdb.connect(str(db), read_only=True)
    con.execute("SET threads = 2")
    con.execute(BAN_LINES_SQL)
    con.register("shipments", clean)
    seconds, result = best(lambda: con.sql(SCREEN_SQL).to_arrow_table(), repeat=2)
    banned = np.zeros(clean.num_rows, bool)
    banned[result.column("row").to_numpy()] = True  # type: ignore[attr-defined]
    con.close()
    return seconds, banned


# -- 3. Polars: the same plan ----------------------------------------------------------
def with_polars(db: Path, clean: pa.Table) -> tuple[float, np.ndarray]:
    con = duckdb.connect(str(db), read_only=True)
    con.execute(BAN_LINES_SQL)
    lines = pl.from_arrow(con.sql("SELECT * FROM ban_lines").to_arrow_table())
    carve = pl.from_arrow(con.sql("SELECT * FROM carve_outs").to_arrow_table())
    paused = pl.from_arrow(con.sql("SELECT * FROM paused").to_arrow_table())
    con.close()
    frame = pl.from_arrow(clean)
    assert (
        isinstance(lines, pl.DataFrame)
        and isinstance(carve, pl.DataFrame)
        and isinstance(paused, pl.DataFrame)
        and isinstance(frame, pl.DataFrame)
    )

    plan = compile(POLARS_TEXT, "POLARS_TEXT", "exec")  # the text bench/README.md shows

    def run() -> np.ndarray:
        scope = {"pl": pl, "frame": frame, "lines": lines, "carve": carve, "paused": paused}
        exec(plan, scope)
        out = np.zeros(frame.height, bool)
        out[scope["banned_rows"].to_numpy()] = True
        return out

    seconds, banned = best(run, repeat=2)
    return seconds, banned  # type: ignore[return-value]


# -- 4. a Python loop over check -------------------------------------------------------
def python_loop(catalog: Catalog, table: pa.Table, sample: int) -> float:
    rows = table.slice(0, sample).to_pylist()
    index = catalog.index(KNOWN)

    def loop() -> None:
        for r in rows:
            q = catalog.question(r["origin"], r["destination"], r["hs_code"], r["date"], KNOWN)
            check(index, q)

    seconds, _ = best(loop, repeat=1)
    return seconds / sample


# -- memory bandwidth, parsing, the CLI on a file ---------------------------------------
def read_bandwidth_gbs() -> float:
    block = np.ones(1 << 26, np.int64)  # 512 MiB, far larger than any cache
    seconds, _ = best(lambda: block.sum(), repeat=5)
    return block.nbytes / seconds / 1e9


def parse_rates(table: pa.Table, folder: Path) -> tuple[float, float, Path]:
    parquet, csv = folder / "shipments.parquet", folder / "shipments.csv"
    pq.write_table(table, parquet, row_group_size=CHUNK)
    pacsv.write_csv(table, csv)
    pq_s, _ = best(lambda: pq.read_table(parquet, read_dictionary=["origin", "destination", "hs_code"]), 2)
    src = CsvSource(csv, ["origin", "destination", "hs_code", "date"], CHUNK)
    csv_s, _ = best(lambda: sum(c.batch.num_rows for c in src.chunks()), 1)
    return table.num_rows / pq_s, table.num_rows / csv_s, csv


def cli_file_run(csv: Path, folder: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MB, from /proc) of the CLI screening ``csv``."""
    exe = Path(sys.executable).with_name("sanctionscope")
    args = [
        str(exe),
        "screen",
        str(csv),
        "-o",
        str(folder / "out.parquet"),
        "--as-known-on",
        KNOWN.isoformat(),
    ]
    return timed_process(args)


def timed_process(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and peak resident memory (MB, VmHWM from /proc) of a child process."""
    t0 = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    peak_kb = 0
    while child.poll() is None:
        peak_kb = max(peak_kb, _peak_kb(child.pid))
        time.sleep(0.01)
    seconds = time.perf_counter() - t0
    if child.returncode != 0:
        raise SystemExit(f"{args[:3]} failed: {child.stderr.read() if child.stderr else ''}")
    return seconds, peak_kb / 1024


def _peak_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM:")), 0)


@dataclass
class Results:
    rows: int
    ours_s: float
    two_s: float
    kernel_s: float
    numpy_s: float
    duck_s: float
    polars_s: float
    loop_per_row: float
    agree_duck: float
    agree_polars: float
    sample: int
    pq_rate: float = 0.0
    csv_rate: float = 0.0
    csv_mb: float = 0.0
    cli_s: float = 0.0
    peak_mb: float = 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the Python loop")
    parser.add_argument("--no-file", action="store_true", help="skip parsing and the CLI file run")
    args = parser.parse_args()
    catalog = Catalog(load_dataset())
    table = shipments(args.rows, catalog)
    codes = len(table.column("hs_code").chunk(0).dictionary)
    print(f"rows {table.num_rows:,}   into RU {_share(table, 'RU'):.0%}   distinct codes {codes:,}")
    ours_s, two_s, kernel_s, numpy_s, banned = ours(catalog, table)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(catalog, folder / "s.duckdb", KNOWN)
        clean = analyst_input(table, catalog)
        duck_s, duck_banned = with_duckdb(folder / "s.duckdb", clean)
        polars_s, polars_banned = with_polars(folder / "s.duckdb", clean)
        sample = min(args.sample, table.num_rows)
        r = Results(
            table.num_rows,
            ours_s,
            two_s,
            kernel_s,
            numpy_s,
            duck_s,
            polars_s,
            python_loop(catalog, table, sample),
            float((banned == duck_banned).mean()),
            float((banned == polars_banned).mean()),
            sample,
        )
        if not args.no_file:
            r.pq_rate, r.csv_rate, csv = parse_rates(table, folder)
            r.csv_mb = csv.stat().st_size / 1e6
            compiled = [str(Path(sys.executable).with_name("sanctionscope")), "compile"]
            timed_process([*compiled, str(default_data_dir()), "--as-known-on", KNOWN.isoformat()])
            r.cli_s, r.peak_mb = cli_file_run(csv, folder)
    report(r)


def _share(table: pa.Table, value: str) -> float:
    col = table.column("destination").combine_chunks()
    return float((np.array(col.dictionary.to_pylist())[col.indices.to_numpy()] == value).mean())


#: Bytes the screen reads and writes per row: the compiled pass reads four 4-byte indices
#: and writes the id (its passes in between stay in cache, blocks of 65,536 rows), the
#: ASK test and the verdict tally read the ids again, the verdict columns share them.
KERNEL_BYTES_PER_ROW = 16 + 4 + 8
#: The least any screen must move: 16 bytes of input (three codes, a day), a 4-byte answer.
MINIMUM_BYTES_PER_ROW = 20


def report(r: Results) -> None:
    rate, two, kernel_rate = r.rows / r.ours_s, r.rows / r.two_s, r.rows / r.kernel_s
    duck, polars, loop = r.rows / r.duck_s, r.rows / r.polars_s, 1 / r.loop_per_row
    bw = read_bandwidth_gbs()
    p50, p99 = check_latency()
    cold = cold_start_ms()
    line("sanctionscope screen", rate, "1 thread: decode + kernel + verdict columns")
    line("  on 2 threads", two, "the same, chunks in parallel (2 cores, as DuckDB and Polars)")
    line("  kernel alone", kernel_rate, "1 thread, rows as table indices (the compiled pass)")
    line("  kernel, NumPy", r.rows / r.numpy_s, "the same as NumPy passes (a build without a C compiler)")
    line(
        "DuckDB SQL (2 threads)", duck, f"ours {two / duck:.1f}x at equal cores; same flag {r.agree_duck:.2%}"
    )
    line(
        "Polars (2 cores)", polars, f"ours {two / polars:.1f}x at equal cores; same flag {r.agree_polars:.2%}"
    )
    line("Python loop over check", loop, f"ours {rate / loop:.0f}x; {r.sample:,} rows, extrapolated")
    if r.csv_mb:
        line("parse Parquet (apart)", r.pq_rate, "dictionary-encoded read")
        line("parse CSV (apart)", r.csv_rate, "streaming reader")
        line("CLI screen of the CSV", r.rows / r.cli_s, f"end to end, {r.csv_mb:,.0f} MB file, after compile")
        print(f"{'':25}peak memory {r.peak_mb:,.0f} MB (the CLI's default chunks, 131,072 rows)")
    m = 1e6
    bound, floor = bw * 1e9 / KERNEL_BYTES_PER_ROW, bw * 1e9 / MINIMUM_BYTES_PER_ROW
    print(
        f"memory bandwidth: measured read {bw:.1f} GB/s. The screen touches ~{KERNEL_BYTES_PER_ROW} B/row"
        f" ({bound / m:.0f} M rows/s if every pass went to DRAM; chunks keep them in cache);"
        f" any screen must move >= {MINIMUM_BYTES_PER_ROW} B/row, a {floor / m:.0f} M rows/s ceiling:"
        f" the screen runs at {rate / floor:.0%} and the kernel at {kernel_rate / floor:.0%} of it."
    )
    print(f"check p50 {p50:.1f} us  p99 {p99:.1f} us   CLI cold start {cold:.0f} ms")
    figures = {
        "rows": r.rows,
        "rows_per_s": round(rate),
        "rows_per_s_2_threads": round(two),
        "kernel_rows_per_s": round(kernel_rate),
        "kernel_numpy_rows_per_s": round(r.rows / r.numpy_s),
        "duckdb_rows_per_s": round(duck),
        "polars_rows_per_s": round(polars),
        "python_loop_rows_per_s": round(loop),
        "vs_duckdb": round(two / duck, 2),
        "vs_polars": round(two / polars, 2),
        "vs_duckdb_one_thread": round(rate / duck, 2),
        "vs_polars_one_thread": round(rate / polars, 2),
        "vs_python_loop": round(rate / loop),
        "parse_parquet_rows_per_s": round(r.pq_rate),
        "parse_csv_rows_per_s": round(r.csv_rate),
        "cli_file_rows_per_s": round(r.rows / r.cli_s) if r.cli_s else 0,
        "read_bandwidth_gbs": round(bw, 1),
        "bytes_per_row": KERNEL_BYTES_PER_ROW,
        "check_p50_us": round(p50, 1),
        "check_p99_us": round(p99, 1),
        "peak_mb": round(r.peak_mb),
        "cli_cold_ms": round(cold),
    }
    print(json.dumps(figures))


def line(label: str, rate: float, note: str) -> None:
    print(f"{label:<25}{rate / 1e6:9.3f} M rows/s   {note}")


def check_latency() -> tuple[float, float]:
    catalog = Catalog(load_dataset())
    index = catalog.index(KNOWN)
    qs = questions(5000, [c for c in catalog.dataset.nomenclature.codes["HS2012"] if len(c) == 6])
    check(index, qs[0])
    _, lat = timed(lambda q: check(index, q), qs)
    return pct(lat, 0.5), pct(lat, 0.99)


if __name__ == "__main__":
    main()
