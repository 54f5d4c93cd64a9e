"""One abusive client against a server under load, on 127.0.0.1 only.

    python bench/abuse.py [--seconds 60] [--quiet-seconds 10] [--rate 200] [--attacks ...]

Starts ``sanctionscope serve --state-dir <fresh folder>`` on a free local port (default
limits, see docs/server-limits.md) and warms it up. The other clients ask ``GET /v1/check``
at ``--rate`` requests/s (open loop, as ``bench/load.py``: latency counts from the moment a
request was due), first alone for ``--quiet-seconds`` (what the machine gives, for
comparison), then for ``--seconds`` beside one abusive client that, in its own
process, loops over: a bomb upload (a Parquet file of a few hundred KB holding 30 million
rows of one value), an empty-row flood at the row limit (1 million empty lines, screened),
an empty-row flood of 10 million lines (40 MB, refused), and a burst of 50 poll votes
(when the server has a poll). Meanwhile the state folder's size and the server's memory
are sampled. Prints the other clients' p50/p99/max (goal: p99 under 50 ms), what the
abuser got back, and the high-water marks of disk (state folder) and memory (the server's
peak RSS); last line one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from load import free_port, paths, run, start_server  # bench/load.py: questions, client, server

from sanctionscope.web.results import tree_bytes

HEADER = b"origin,destination,hs_code,date\n"
GOAL_P99_MS = 50.0


def bomb(rows: int = 30_000_000) -> bytes:
    """A Parquet file of ``rows`` rows of one value: dictionary-encoded, a few hundred KB."""
    zeros = pa.array(np.zeros(rows, np.int32))
    values = {"origin": "PL", "destination": "RU", "hs_code": "0808 10", "date": "2014-08-10"}
    table = pa.table({k: pa.DictionaryArray.from_arrays(zeros, pa.array([v])) for k, v in values.items()})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.parquet"
        pq.write_table(table, path, compression="zstd")
        return path.read_bytes()


def multipart(filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "abuse-bench-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post(port: int, path: str, body: bytes = b"", kind: str = "") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": kind} if kind else {})
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def abuse(
    port: int,
    seconds: float,
    attacks: dict[str, tuple[bytes, str]],
    vote: bool,
    out: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    """The abusive client: every attack in turn, then a burst of votes, until the time is up."""
    tally: Counter[str] = Counter()
    deadline = time.time() + seconds
    votes = vote and post(port, "/v1/poll?choice=yes") not in (0, 404, 405)
    while time.time() < deadline:
        for name, (body, kind) in attacks.items():
            tally[f"{name} {post(port, '/v1/screen', body, kind)}"] += 1
            if time.time() >= deadline:
                break
        for _ in range(50 if votes else 0):
            tally[f"vote {post(port, '/v1/poll?choice=yes')}"] += 1
    out.put(dict(tally))


class Watch(threading.Thread):
    """Samples the state folder's bytes and the server's resident memory."""

    def __init__(self, pid: int, state: Path) -> None:
        super().__init__(daemon=True)
        self.pid, self.state = pid, state
        self.disk = self.rss = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.1):
            self.disk = max(self.disk, tree_bytes(self.state))
            self.rss = max(self.rss, memory(self.pid, "VmRSS"))


def memory(pid: int, field: str) -> int:
    """``VmRSS`` or ``VmHWM`` (peak) of a process, bytes."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="the mixed load, with the abuser")
    parser.add_argument("--quiet-seconds", type=float, default=10, help="the same load alone, first")
    parser.add_argument("--rate", type=int, default=200, help="other clients' /v1/check per second")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--attacks", default="bomb,flood_1M,flood_10M,votes", help="which, in turn")
    args = parser.parse_args()
    chosen = set(args.attacks.split(","))
    questions = paths(20_000)
    attacks = {
        "bomb": multipart("bomb.parquet", bomb()),
        "flood_1M": multipart("flood.csv", HEADER + b",,,\n" * 1_000_000),
        "flood_10M": multipart("flood.csv", HEADER + b",,,\n" * 10_000_000),
    }
    attacks = {k: v for k, v in attacks.items() if k in chosen}
    sizes = {name: len(body) for name, (body, _) in attacks.items()}
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="sanctionscope-abuse-") as tmp:
        state = Path(tmp) / "state"
        server = start_server(port, state)
        try:
            asyncio.run(run(port, 100, 2, 8, questions[-2000:]))  # warm up: index, lookups
            warm, kind = multipart("warm.csv", HEADER + b"PL,RU,0808 10,2014-08-10\n")
            post(port, "/v1/screen", warm, kind)  # the batch kernel
            baseline = memory(server.pid, "VmRSS")
            quiet = None
            if args.quiet_seconds > 0:  # the same load without the abuser: what the machine gives
                quiet = asyncio.run(
                    run(port, args.rate, int(args.quiet_seconds), args.connections, questions)
                )
            watch = Watch(server.pid, state)
            watch.start()
            results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
            abuse_args = (port, args.seconds, attacks, "votes" in chosen, results)
            abuser = multiprocessing.Process(target=abuse, args=abuse_args)
            abuser.start()
            figures = asyncio.run(run(port, args.rate, int(args.seconds), args.connections, questions))
            tally = results.get(timeout=300)
            abuser.join(timeout=30)
            watch.stop.set()
            watch.join()
            peak = memory(server.pid, "VmHWM")
        finally:
            server.terminate()
            server.wait(timeout=30)
    doc = {
        **{f"check_{k}": v for k, v in figures.items()},
        "goal_p99_ms": GOAL_P99_MS,
        "goal_met": figures["p99_ms"] < GOAL_P99_MS and figures["errors"] == 0,
        **({f"quiet_{k}": v for k, v in quiet.items()} if quiet else {}),
        "abuser": tally,
        "attack_bytes": sizes,
        "disk_high_water_bytes": watch.disk,
        "rss_after_warm_up_bytes": baseline,
        "rss_high_water_during_bytes": watch.rss,
        "rss_peak_vmhwm_bytes": peak,
        "seconds": args.seconds,
    }
    print(
        f"GET /v1/check by the other clients at {figures['rate_achieved']:,.0f} req/s for {args.seconds:g} s "
        f"({figures['requests']:,} requests) beside the abuser: p50 {figures['p50_ms']} ms, "
        f"p99 {figures['p99_ms']} ms (goal < {GOAL_P99_MS:g} ms), max {figures['max_ms']} ms, "
        f"errors {figures['errors']}"
    )
    if quiet:
        print(
            f"the same load alone for {args.quiet_seconds:g} s: p50 {quiet['p50_ms']} ms, "
            f"p99 {quiet['p99_ms']} ms, max {quiet['max_ms']} ms, errors {quiet['errors']}"
        )
    got = ", ".join(f"{k}: {v}" for k, v in sorted(tally.items()))
    print(f"abusive client (attack status: count): {got}")
    mb = 1 << 20
    print(
        "attack sizes: "
        + ", ".join(f"{k} {v / 1024:,.0f} KB" for k, v in sizes.items())
        + f"; state folder high-water {watch.disk / mb:,.1f} MB; server memory {baseline / mb:,.0f} MB "
        f"after warm-up, at most {watch.rss / mb:,.0f} MB during the run (peak RSS {peak / mb:,.0f} MB)"
    )
    print(json.dumps(doc))


if __name__ == "__main__":
    main()
