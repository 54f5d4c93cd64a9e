"""The reader poll: one vote per browser, stored in the embedded DuckDB database.

Percentages use largest-remainder rounding, so they always add up to 100. Votes go
through one connection under a lock, and the voter id is the primary key, so
concurrent votes from one browser count once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

QUESTION = "Will Russia prolong its food import ban beyond 31 December 2026?"
OPTIONS = {
    "yes": "Yes, again",
    "partly": "Yes, with products or countries carved out",
    "no": "No, it will lapse",
}


def largest_remainder(counts: list[int], total: int = 100) -> list[int]:
    """Integer shares of ``total`` proportional to ``counts`` that add up to ``total``."""
    votes = sum(counts)
    if votes == 0:
        return [0] * len(counts)
    exact = [c * total / votes for c in counts]
    shares = [int(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - shares[i]), -counts[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class Result:
    option: str
    label: str
    votes: int
    percent: int


class Poll:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(str(path))
        self._lock = threading.Lock()
        with self._lock:
            self._con.execute(
                "CREATE TABLE IF NOT EXISTS votes (voter VARCHAR PRIMARY KEY, choice VARCHAR NOT NULL,"
                " voted_at TIMESTAMP DEFAULT current_timestamp)"
            )

    def vote(self, voter: str, choice: str) -> bool:
        """Record a vote; False when this voter has voted already."""
        with self._lock:
            before = self._count()
            self._con.execute(
                "INSERT INTO votes (voter, choice) VALUES (?, ?) ON CONFLICT DO NOTHING", [voter, choice]
            )
            return self._count() > before

    def has_voted(self, voter: str) -> bool:
        with self._lock:
            row = self._con.execute("SELECT count(*) FROM votes WHERE voter = ?", [voter]).fetchone()
        return bool(row and row[0])

    def results(self) -> list[Result]:
        with self._lock:
            rows = dict(self._con.execute("SELECT choice, count(*) FROM votes GROUP BY choice").fetchall())
        counts = [int(rows.get(k, 0)) for k in OPTIONS]
        shares = largest_remainder(counts)
        return [Result(k, OPTIONS[k], c, p) for k, c, p in zip(OPTIONS, counts, shares, strict=True)]

    def _count(self) -> int:
        row = self._con.execute("SELECT count(*) FROM votes").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        with self._lock:
            self._con.close()
