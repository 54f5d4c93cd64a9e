"""End to end, the job a user runs: a shipment file in, a screened Parquet file out.

    python bench/endtoend.py [--rows 10_000_000] [--repeat 3]

For a CSV and a Parquet file of the same shipments (bench/screen.py's generator), times
in fresh processes, best of ``--repeat``:

- ours: ``sanctionscope screen FILE -o out.parquet`` after ``sanctionscope compile`` (the
  compiled snapshot and batch kernel, every place pair built, as after a data change;
  timed and shown apart): the screens build nothing, so no answer passes from one run
  to the next;
- DuckDB: one statement (bench/baselines.py, FILE_SQL) that reads the file, maps ISO3
  spellings to ISO2, joins the flattened bans on the heading, anti-joins the carve-outs
  and COPYs the input columns plus a verdict column to Parquet; the flattened bans are
  set up once in the database beforehand (not timed). DuckDB uses both cores.

Ours writes more: the five verdicts and the legal-chain columns (measure, act, reason,
exceptions, coverage). Agreement is counted on the BANNED flag, row by row. Peak memory
(VmHWM) of each process is reported. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pycountry

sys.path.insert(0, str(Path(__file__).parent))
from baselines import BAN_LINES_SQL, CSV_READER, FILE_SQL, PARQUET_READER
from screen import KNOWN, shipments, timed_process

from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import load_dataset
from sanctionscope.paths import default_data_dir
from sanctionscope.store import build

EXE = Path(sys.executable).with_name("sanctionscope")


def best_of(repeat: int, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    runs = [timed_process(args, env) for _ in range(repeat)]
    return min(s for s, _ in runs), max(m for _, m in runs)


def prepare_duckdb(db: Path, catalog: Catalog) -> None:
    """The analyst's database: the store, the flattened bans, an ISO3 -> ISO2 table."""
    build(catalog, db, KNOWN)
    con = duckdb.connect(str(db))
    con.execute(BAN_LINES_SQL.replace("TEMP TABLE", "TABLE"))
    con.execute("CREATE TABLE iso (name VARCHAR, iso2 VARCHAR)")
    con.executemany("INSERT INTO iso VALUES (?, ?)", [(c.alpha_3, c.alpha_2) for c in pycountry.countries])
    con.close()


DUCK_SCRIPT = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SET threads = 2")
con.execute(sys.argv[2])
"""


def agreement(ours: Path, theirs: Path) -> tuple[int, int]:
    """Rows whose BANNED flag differs, and rows compared (matched on every input column)."""
    con = duckdb.connect()
    keys = "origin, destination, hs_code, date, value_usd"
    a = f"SELECT {keys}, verdict = 'BANNED' AS banned FROM read_parquet('{ours}')"
    b = f"SELECT {keys}, verdict = 'BANNED' AS banned FROM read_parquet('{theirs}')"
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE a.banned IS DISTINCT FROM b.banned), count(*)"
        f" FROM ({a}) a FULL JOIN ({b}) b USING ({keys})"
    ).fetchone()
    con.close()
    assert row is not None
    return int(row[0]), int(row[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    catalog = Catalog(load_dataset())
    results: dict[str, float | int] = {"rows": args.rows}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "SANCTIONSCOPE_CACHE": str(folder / "cache")}
        table = shipments(args.rows, catalog)
        files = {"csv": folder / "ship.csv", "parquet": folder / "ship.parquet"}
        pacsv.write_csv(table, files["csv"])
        pq.write_table(table, files["parquet"], row_group_size=1 << 20)
        del table
        db = folder / "analyst.duckdb"
        prepare_duckdb(db, catalog)
        known = ["--as-known-on", KNOWN.isoformat()]
        # set-up, as a user's after a data change: the snapshot and the batch kernel with
        # every place pair built (input-independent; the screens timed below build nothing,
        # so no answer is carried from one run to the next)
        first, _ = timed_process([str(EXE), "compile", str(default_data_dir()), *known], env)
        print(
            f"rows {args.rows:,}; CSV {files['csv'].stat().st_size / 1e6:,.0f} MB,"
            f" Parquet {files['parquet'].stat().st_size / 1e6:,.0f} MB"
        )
        print(f"set-up: `sanctionscope compile` (snapshot and batch kernel): {first:.2f} s")
        for kind, path in files.items():
            ours_out, duck_out = folder / f"ours-{kind}.parquet", folder / f"duck-{kind}.parquet"
            ours_s, ours_mb = best_of(
                args.repeat, [str(EXE), "screen", str(path), "-o", str(ours_out), *known], env
            )
            reader = (CSV_READER if kind == "csv" else PARQUET_READER).format(path=path)
            sql = FILE_SQL.format(reader=reader, output=duck_out)
            duck_s, duck_mb = best_of(args.repeat, [sys.executable, "-c", DUCK_SCRIPT, str(db), sql], env)
            differ, compared = agreement(ours_out, duck_out)
            rate, duck_rate = args.rows / ours_s, args.rows / duck_s
            print(
                f"{kind:>8} -> Parquet  ours {rate / 1e6:6.2f} M rows/s (peak {ours_mb:,.0f} MB)"
                f"   DuckDB one statement {duck_rate / 1e6:6.2f} M rows/s (peak {duck_mb:,.0f} MB)"
                f"   ours {rate / duck_rate:.2f}x   BANNED flag differs on {differ:,} of {compared:,} rows"
            )
            results |= {
                f"{kind}_rows_per_s": round(rate),
                f"{kind}_duckdb_rows_per_s": round(duck_rate),
                f"{kind}_vs_duckdb": round(rate / duck_rate, 2),
                f"{kind}_peak_mb": round(ours_mb),
                f"{kind}_duckdb_peak_mb": round(duck_mb),
                f"{kind}_flag_differs": differ,
            }
        results["compile_s"] = round(first, 2)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
