"""The reader poll under attack: cross-site votes, floods, forged voter ids, a corrupt
database, and two servers on one state folder."""

from __future__ import annotations

import ast
import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctionscope.engine.catalog import Catalog
from sanctionscope.web.app import create_app
from sanctionscope.web.poll import Outcome, Poll, PollLimits
from sanctionscope.web.security import RateLimiter, Signer, StateInUse, StateLock
from sanctionscope.web.voting import VOTER_COOKIE

SITE = "http://testserver"


def counts(client: TestClient) -> dict[str, int]:
    doc = client.get("/v1/poll").json()
    return {o["id"]: o["votes"] for o in doc["options"]}


def voter(client: TestClient) -> TestClient:
    """A browser that has loaded the poll (so it holds a voter id)."""
    assert client.get("/v1/poll").status_code == 200
    assert client.cookies.get(VOTER_COOKIE)
    return client


@pytest.fixture()
def app(real: Catalog, tmp_path: Path) -> Iterator[FastAPI]:
    yield create_app(real, tmp_path)


def test_a_vote_sent_from_another_site_is_refused(app: FastAPI) -> None:
    browser = voter(TestClient(app))
    for headers in (
        {"Origin": "https://elsewhere.example"},
        {"Origin": "null"},  # a sandboxed frame or a file
        {"Sec-Fetch-Site": "cross-site"},  # a browser that sent no Origin
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site too
    ):
        api = browser.post("/v1/poll", params={"choice": "yes"}, headers=headers)
        assert api.status_code == 403 and api.headers["content-type"].startswith("application/problem+json")
        assert "another site" in api.json()["detail"]
        form = browser.post("/poll", data={"choice": "yes"}, headers=headers, follow_redirects=False)
        assert form.status_code == 403
    assert sum(counts(browser).values()) == 0
    # the same vote from the app's own page counts
    ok = browser.post("/poll", data={"choice": "yes"}, headers={"Origin": SITE}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/#poll"
    assert counts(browser) == {"yes": 1, "partly": 0, "no": 0}


def test_the_voter_cookie_is_not_sent_cross_site(app: FastAPI) -> None:
    cookie = TestClient(app).get("/").headers["set-cookie"].lower()
    assert "samesite=lax" in cookie and "httponly" in cookie


def test_a_cookie_less_flood_counts_nothing_and_meets_the_rate_limit(app: FastAPI) -> None:
    flood = TestClient(app)
    statuses = [flood.post("/v1/poll", params={"choice": "no"}).status_code for _ in range(300)]
    limit = PollLimits().rate
    assert statuses[:limit] == [403] * limit  # no voter id: not counted
    assert set(statuses[limit:]) == {429}  # then the address is slowed down
    assert sum(counts(TestClient(app)).values()) == 0


def test_the_rate_limit_kicks_in_and_says_when_to_retry(real: Catalog, tmp_path: Path) -> None:
    app = create_app(real, tmp_path, poll_limits=PollLimits(rate=3, window=60))
    answers = []
    for _ in range(5):
        browser = voter(TestClient(app))  # a fresh voter id each time, same address
        answers.append(browser.post("/v1/poll", params={"choice": "yes"}))
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429]
    refused = answers[3]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["status"] == 429
    assert counts(TestClient(app))["yes"] == 3
    # another address is not slowed down by the first one's votes
    other = voter(TestClient(app, client=("192.0.2.7", 50000)))
    assert other.post("/v1/poll", params={"choice": "no"}).json()["counted"] is True


def test_rate_limiter_window_slides_and_memory_is_bounded() -> None:
    limiter = RateLimiter(limit=2, window=10, clients=3)
    assert [limiter.retry_after("a", now=t) for t in (0, 1, 2)] == [0, 0, 8]
    assert limiter.retry_after("a", now=10.5) == 0  # the first request left the window
    for n in range(10):
        limiter.retry_after(f"client-{n}", now=11)
    assert len(limiter._seen) == 3


def test_forged_voter_ids_are_refused(app: FastAPI, tmp_path: Path) -> None:
    real_id = voter(TestClient(app)).cookies[VOTER_COOKIE]
    body, _, mac = real_id.rpartition(".")
    other_server = Signer(b"k" * 32).issue()  # well formed, signed with another key
    for forged in (
        "my-own-chosen-voter-id-0001",  # chosen by the voter, as the old poll allowed
        real_id[:-2] + ("AA" if not real_id.endswith("AA") else "BB"),  # tampered signature
        body + ".x" + "." + mac,  # tampered id
        other_server,
        "",
    ):
        browser = TestClient(app, cookies={VOTER_COOKIE: forged})
        answer = browser.post("/v1/poll", params={"choice": "partly"})
        assert answer.status_code == 403, forged
        assert answer.json()["field"] == VOTER_COOKIE
    assert sum(counts(TestClient(app)).values()) == 0
    # the genuine id votes once
    honest = TestClient(app, cookies={VOTER_COOKIE: real_id})
    assert honest.post("/v1/poll", params={"choice": "partly"}).json()["outcome"] == "counted"
    again = honest.post("/v1/poll", params={"choice": "no"}).json()
    assert again["counted"] is False and again["outcome"] == "already_voted"


def test_figures_stay_honest_and_the_box_bounded_under_a_flood(real: Catalog, tmp_path: Path) -> None:
    limits = PollLimits(rate=10_000, per_address=5, total=8)
    app = create_app(real, tmp_path, poll_limits=limits)
    one_machine = [voter(TestClient(app)).post("/v1/poll", params={"choice": "no"}).json() for _ in range(20)]
    assert [a["outcome"] for a in one_machine] == ["counted"] * 5 + ["address_limit"] * 15
    assert counts(TestClient(app))["no"] == 5  # one address cannot swamp the figures
    for n in range(6):
        browser = voter(TestClient(app, client=(f"198.51.100.{n}", 50000)))
        browser.post("/v1/poll", params={"choice": "yes"})
    total = sum(counts(TestClient(app)).values())
    assert total == limits.total  # the box is full: the database stops growing
    late = voter(TestClient(app, client=("203.0.113.9", 50000)))
    assert late.post("/v1/poll", params={"choice": "yes"}).json()["outcome"] == "poll_full"


def test_addresses_are_not_stored_in_the_clear(real: Catalog, tmp_path: Path) -> None:
    app = create_app(real, tmp_path)
    voter(TestClient(app, client=("192.0.2.55", 1))).post("/v1/poll", params={"choice": "yes"})
    app.state.poll.close()
    assert b"192.0.2.55" not in (tmp_path / "poll.duckdb").read_bytes()


def test_votes_run_off_the_event_loop(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    original = Poll.vote

    def vote(self: Poll, voter_id: str, choice: str, client: str) -> Outcome:
        try:
            asyncio.get_running_loop()
            seen.append(True)
        except RuntimeError:
            seen.append(False)
        return original(self, voter_id, choice, client)

    monkeypatch.setattr(Poll, "vote", vote)
    voter(TestClient(app)).post("/v1/poll", params={"choice": "yes"})
    assert seen == [False]  # in a worker thread, with no event loop running


def test_a_corrupt_poll_database_leaves_the_app_up_and_the_poll_unavailable(
    real: Catalog, tmp_path: Path
) -> None:
    (tmp_path / "poll.duckdb").write_bytes(os.urandom(64 * 1024))
    app = create_app(real, tmp_path)  # starts
    client = TestClient(app)
    poll = client.get("/v1/poll")
    assert poll.status_code == 503 and poll.headers["content-type"].startswith("application/problem+json")
    assert "unavailable" in poll.json()["detail"]
    vote = client.post("/v1/poll", params={"choice": "yes"}, headers={"Origin": SITE})
    assert vote.status_code == 503
    check = {"origin": "PL", "destination": "RU", "hs": "0808 10", "date": "2014-08-10"}
    assert client.get("/v1/check", params=check).json()["verdict"] == "BANNED"
    home = client.get("/")
    assert home.status_code == 200 and "The reader poll is unavailable" in home.text
    assert client.get("/healthz").json()["poll"] == "unavailable"


def test_a_second_server_on_the_same_state_folder_is_refused(real: Catalog, tmp_path: Path) -> None:
    first = create_app(real, tmp_path)
    with pytest.raises(StateInUse) as refused:
        create_app(real, tmp_path)
    message = str(refused.value)
    assert str(tmp_path) in message and f"process {os.getpid()}" in message
    assert "another running sanctionscope server" in message
    assert TestClient(first).get("/healthz").json()["poll"] == "ok"  # the first runs on


def test_a_second_server_from_the_command_line_gets_a_clear_error(real: Catalog, tmp_path: Path) -> None:
    running = create_app(real, tmp_path)  # holds the folder while this test runs
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    cli = subprocess.run(
        [sys.executable, "-m", "sanctionscope.cli", "serve", "--state-dir", str(tmp_path), "--port", port],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert cli.returncode == 2, cli.stderr
    assert "is in use by another running sanctionscope server" in cli.stderr, cli.stderr
    assert f"(process {os.getpid()})" in cli.stderr and "Traceback" not in cli.stderr
    assert running.state.poll.available


def test_the_state_lock_goes_with_its_holder(tmp_path: Path) -> None:
    lock = StateLock(tmp_path)
    with pytest.raises(StateInUse):
        StateLock(tmp_path)
    lock.release()
    StateLock(tmp_path).release()


def test_behind_a_proxy_the_configured_public_origin_counts_as_the_site(
    real: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANCTIONSCOPE_BASE_URL", "https://sanctions.example")
    app = create_app(real, tmp_path)
    browser = voter(TestClient(app))
    assert (
        browser.post("/v1/poll?choice=no", headers={"Origin": "https://elsewhere.example"}).status_code == 403
    )
    answer = browser.post("/v1/poll?choice=no", headers={"Origin": "https://sanctions.example"})
    assert answer.json()["counted"] is True


def test_web_modules_import_no_cycle() -> None:
    """The pages and the app share the poll's helpers through a third module, not each other."""
    web = Path(__file__).resolve().parents[1] / "src" / "sanctionscope" / "web"
    graph: dict[str, set[str]] = {}
    for module in web.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "sanctionscope.web":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sanctionscope.web."):
                found.add(str(node.module).split(".")[2])
        graph[module.stem] = found

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph.get(start, ())
        )

    assert not reaches("pages", "app", set()) and not [m for m in graph if reaches(m, m, set())]
