"""Load test of ``GET /v1/check`` at a fixed rate, on 127.0.0.1 only.

    python bench/load.py [--rate 1000] [--seconds 60] [--connections 32]

Starts ``sanctionscope serve`` on a free local port, then sends requests on a fixed
schedule (open loop: latency is measured from the moment a request was due, so a slow
server cannot hide its queue). Questions are random shipments (origins, real HS codes,
days 2013-2026), so answers are computed, not replayed. Prints p50/p99/max latency,
the achieved rate and errors; last line one JSON object. The target: p99 under 10 ms at
1,000 requests/s with zero errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sanctionscope.load import load_dataset

ORIGINS = [
    "PL",
    "DE",
    "JP",
    "US",
    "NO",
    "CH",
    "IS",
    "TR",
    "GB",
    "NZ",
    "CN",
    "BY",
    "UA",
    "FR",
    "DEU",
    "Poland",
]


def paths(n: int, seed: int = 5) -> list[bytes]:
    rng = random.Random(seed)
    codes = [c for c in load_dataset().nomenclature.codes["HS2012"] if len(c) == 6]
    out = []
    for _ in range(n):
        query = {
            "origin": rng.choice(ORIGINS),
            "destination": "RU",
            "hs": rng.choice(codes),
            "date": (date(2013, 1, 1) + timedelta(days=rng.randrange(5100))).isoformat(),
        }
        out.append(f"/v1/check?{urlencode(query)}".encode())
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int, state: Path | None = None) -> subprocess.Popen[bytes]:
    """``sanctionscope serve`` on 127.0.0.1:``port`` (state folder ``state`` if given),
    once it accepts connections."""
    exe = Path(sys.executable).with_name("sanctionscope")
    command = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--state-dir", str(state)] if state is not None else []
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("server did not start")


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def get(self, path: bytes) -> int:
        self.writer.write(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return status


async def run(
    port: int, rate: int, seconds: int, connections: int, questions: list[bytes]
) -> dict[str, float]:
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(Connection(*await asyncio.open_connection("127.0.0.1", port)))
    latencies: list[float] = []
    errors = 0
    total = rate * seconds
    start = time.perf_counter() + 0.2

    async def one(i: int, due: float) -> None:
        nonlocal errors
        conn = await idle.get()
        try:
            status = await conn.get(questions[i % len(questions)])
            if status != 200:
                errors += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            errors += 1
        finally:
            idle.put_nowait(conn)
        latencies.append(time.perf_counter() - due)

    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "requests": total,
        "rate_target": rate,
        "rate_achieved": round(total / elapsed, 1),
        "p50_ms": round(pct(0.50), 2),
        "p99_ms": round(pct(0.99), 2),
        "max_ms": round(latencies[-1] * 1000, 2),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    questions = paths(50_000)
    port = free_port()
    server = start_server(port)
    try:
        # warm up (first answers compile the index and the pycountry lookups)
        asyncio.run(run(port, 200, 2, 8, questions[-2000:]))
        figures = asyncio.run(run(port, args.rate, args.seconds, args.connections, questions))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"GET /v1/check at {figures['rate_achieved']:,.0f} req/s for {args.seconds} s "
        f"({figures['requests']:,} requests): p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, "
        f"max {figures['max_ms']} ms, errors {figures['errors']}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
