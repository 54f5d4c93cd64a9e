"""The reader poll's ballot box: one vote per voter id, stored in the embedded DuckDB database.

Percentages use largest-remainder rounding, so they always add up to 100. Votes go
through one connection under a lock, and the voter id is the primary key, so
concurrent votes from one browser count once.

The figures stay honest under a flood: one client address has at most
``per_address`` votes counted over the poll's life, and the box holds at most ``total``
votes (so the database cannot grow without bound); a vote past either limit is answered,
not counted, and says why. A database that cannot be opened (corrupt, unreadable) leaves
the poll unavailable; the rest of the app runs on.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

QUESTION = "Will Russia prolong its food import ban beyond 31 December 2026?"
OPTIONS = {
    "yes": "Yes, again",
    "partly": "Yes, with products or countries carved out",
    "no": "No, it will lapse",
}
log = logging.getLogger(__name__)


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
class PollLimits:
    #: vote requests one client address may send in any ``window`` seconds
    rate: int = 10
    window: float = 60.0
    #: votes counted from one client address over the poll's life (offices share one)
    per_address: int = 50
    #: votes the box holds at most
    total: int = 100_000


class Outcome(StrEnum):
    """What became of a vote."""

    COUNTED = "counted"
    ALREADY_VOTED = "already_voted"
    ADDRESS_LIMIT = "address_limit"
    POLL_FULL = "poll_full"


@dataclass(frozen=True)
class Result:
    option: str
    label: str
    votes: int
    percent: int


class PollUnavailable(Exception):
    """The poll's database cannot be used; the poll answers 503, the app runs on."""


class Poll:
    def __init__(self, path: Path, limits: PollLimits | None = None) -> None:
        self.limits = limits or PollLimits()
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(path))
            con.execute(
                "CREATE TABLE IF NOT EXISTS votes (voter VARCHAR PRIMARY KEY, choice VARCHAR NOT NULL,"
                " client VARCHAR, voted_at TIMESTAMP DEFAULT current_timestamp)"
            )
            con.execute("ALTER TABLE votes ADD COLUMN IF NOT EXISTS client VARCHAR")
            con.execute("SELECT count(*) FROM votes WHERE client IS NULL").fetchone()
        except (duckdb.Error, OSError) as e:
            log.error("the poll is unavailable: %s cannot be opened (%s)", path, e)
        else:
            self._con = con

    @property
    def available(self) -> bool:
        return self._con is not None

    def vote(self, voter: str, choice: str, client: str) -> Outcome:
        """Record a vote from ``voter`` (a server-issued id) sent from ``client`` (a
        pseudonym of its address)."""
        with self._lock:
            con = self._live()
            try:
                if _one(con, "SELECT count(*) FROM votes WHERE voter = ?", [voter]):
                    return Outcome.ALREADY_VOTED
                if _one(con, "SELECT count(*) FROM votes", []) >= self.limits.total:
                    return Outcome.POLL_FULL
                if (
                    _one(con, "SELECT count(*) FROM votes WHERE client = ?", [client])
                    >= self.limits.per_address
                ):
                    return Outcome.ADDRESS_LIMIT
                con.execute(
                    "INSERT INTO votes (voter, choice, client) VALUES (?, ?, ?)", [voter, choice, client]
                )
            except duckdb.Error as e:
                raise PollUnavailable(str(e)) from e
            return Outcome.COUNTED

    def has_voted(self, voter: str) -> bool:
        with self._lock:
            con = self._live()
            try:
                return bool(_one(con, "SELECT count(*) FROM votes WHERE voter = ?", [voter]))
            except duckdb.Error as e:
                raise PollUnavailable(str(e)) from e

    def choice_of(self, voter: str) -> str | None:
        """The option this voter chose, or None when it has not voted."""
        with self._lock:
            con = self._live()
            try:
                row = con.execute("SELECT choice FROM votes WHERE voter = ?", [voter]).fetchone()
            except duckdb.Error as e:
                raise PollUnavailable(str(e)) from e
        return None if row is None else str(row[0])

    def results(self) -> list[Result]:
        with self._lock:
            con = self._live()
            try:
                rows = dict(con.execute("SELECT choice, count(*) FROM votes GROUP BY choice").fetchall())
            except duckdb.Error as e:
                raise PollUnavailable(str(e)) from e
        counts = [int(rows.get(k, 0)) for k in OPTIONS]
        shares = largest_remainder(counts)
        return [Result(k, OPTIONS[k], c, p) for k, c, p in zip(OPTIONS, counts, shares, strict=True)]

    def _live(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise PollUnavailable("the poll's database could not be opened")
        return self._con

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[str]) -> int:
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0
