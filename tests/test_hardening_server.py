"""Issue 16 (hardening), the server's side, attack by attack: the bomb upload, the
empty-row flood, a huge cell, a chunked body over the limit, error messages that gave
away the server's folders, retention and the quota, permalinks that echoed the Host
header, and the per-day memos that grew without bound."""

from __future__ import annotations

import asyncio
import re
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import load_dataset
from sanctionscope.model.memo import Memo
from sanctionscope.screen import Screener, parse_mapping, screen_file
from sanctionscope.web.app import create_app
from sanctionscope.web.limits import MIB, Limits
from sanctionscope.web.results import tree_bytes
from sanctionscope.web.uploads import Busy, Gate

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

HEADER = "origin,destination,hs_code,date\n"
GOOD = "PL,RU,0808 10,2014-08-10\n"


def serve(catalog: Catalog, state: Path, **limits: object) -> TestClient:
    return TestClient(create_app(catalog, state, limits=Limits(**limits)))  # type: ignore[arg-type]


def upload(client: TestClient, name: str, body: bytes | str, query: str = "") -> httpx.Response:
    return client.post(f"/v1/screen{query}", files={"file": (name, body, "application/octet-stream")})


def dictionary_parquet(path: Path, rows: int, note: str = "x" * 60) -> Path:
    """One row repeated ``rows`` times: dictionary-encoded, a few KB whatever ``rows``."""
    zeros = pa.array(np.zeros(rows, np.int32))
    values = {"origin": "PL", "destination": "RU", "hs_code": "0808 10", "date": "2014-08-10", "note": note}
    table = pa.table({k: pa.DictionaryArray.from_arrays(zeros, pa.array([v])) for k, v in values.items()})
    pq.write_table(table, path, compression="zstd")
    return path


def screens(state: Path) -> list[str]:
    return sorted(p.name for p in (state / "screens").iterdir())


def staged(state: Path) -> list[str]:
    return sorted(p.name for p in (state / "staging").iterdir())


@pytest.fixture
def client(real: Catalog, tmp_path: Path) -> Iterator[TestClient]:
    with serve(real, tmp_path) as c:
        yield c


# -- 7. disk fill from a tiny upload ------------------------------------------------------
def test_a_bomb_upload_is_refused_before_anything_is_written(client: TestClient, tmp_path: Path) -> None:
    bomb = dictionary_parquet(tmp_path / "bomb.parquet", 3_000_000)
    assert bomb.stat().st_size < 200_000  # the attack: a tiny file, millions of rows
    started = time.perf_counter()
    r = client.post("/v1/screen", files={"file": ("bomb.parquet", bomb.read_bytes())})
    assert r.status_code == 413 and r.json()["code"] == "too_many_rows", r.text
    assert "sanctionscope screen" in r.json()["detail"]  # points to the CLI
    assert time.perf_counter() - started < 5
    assert staged(tmp_path) == [] and screens(tmp_path) == []


def test_the_output_of_a_request_is_bounded(real: Catalog, tmp_path: Path) -> None:
    state = tmp_path / "state"
    bomb = dictionary_parquet(tmp_path / "bomb.parquet", 200_000)  # ~25 MB of CSV out
    with serve(real, state, max_output_bytes=2 * MIB) as c:
        r = c.post("/v1/screen", files={"file": ("rows.parquet", bomb.read_bytes())})
        assert r.status_code == 413 and r.json()["code"] == "output_too_large", r.text
        assert "sanctionscope screen" in r.json()["detail"]
        assert tree_bytes(state) < 3 * MIB  # stopped at the bound, and nothing kept
        assert staged(state) == [] and screens(state) == []
        small = c.post("/v1/screen?format=parquet", files={"file": ("rows.parquet", bomb.read_bytes())})
        assert small.status_code == 200 and small.json()["answered"] == 200_000  # Parquet out fits


def test_rows_are_bounded_for_csv_too(real: Catalog, tmp_path: Path) -> None:
    with serve(real, tmp_path, max_rows=1000) as c:
        r = upload(c, "in.csv", HEADER + GOOD * 1001)
        assert r.status_code == 413 and r.json()["code"] == "too_many_rows"
        assert upload(c, "in.csv", HEADER + GOOD * 1000).status_code == 200


def test_retention_keeps_exactly_n_and_failures_evict_nothing(real: Catalog, tmp_path: Path) -> None:
    with serve(real, tmp_path, keep_results=3, max_rows=50) as c:
        tokens = []
        for i in range(6):
            r = upload(c, "in.csv", HEADER + GOOD * (i + 1))
            tokens.append(r.json()["download"].split("/")[3])
            assert len(screens(tmp_path)) == min(i + 1, 3)  # never more than N, never fewer
        assert screens(tmp_path) == sorted(tokens[-3:])
        assert [c.get(f"/v1/screen/{t}/result").status_code for t in tokens] == [404] * 3 + [200] * 3
        failed = [
            upload(c, "broken.parquet", b"PAR1 not a parquet file"),  # malformed
            upload(c, "in.csv", "a,b\n1,2\n"),  # columns missing
            upload(c, "many.csv", HEADER + GOOD * 51),  # over the row limit
        ]
        assert [r.status_code for r in failed] == [400, 400, 413]
        assert screens(tmp_path) == sorted(tokens[-3:]) and staged(tmp_path) == []
        assert all(c.get(f"/v1/screen/{t}/rejects").status_code == 200 for t in tokens[-3:])


def test_the_whole_state_folder_counts_against_the_quota(real: Catalog, tmp_path: Path) -> None:
    per_screen = 64 * 1024 + 256 * 1024
    quota = 2 * per_screen + 200 * 1024 + tree_bytes_of_a_fresh_state(real, tmp_path / "fresh")
    state = tmp_path / "state"
    body = HEADER + GOOD * 1500  # ~ 37 KB in, ~ 100 KB out
    limits = {"upload_bytes": 64 * 1024, "max_output_bytes": 256 * 1024, "screen_workers": 1}
    with serve(real, state, state_quota_bytes=quota, keep_results=50, **limits) as c:
        for _ in range(6):
            assert upload(c, "in.csv", body).status_code == 200
            assert tree_bytes(state) <= quota
        assert 1 <= len(screens(state)) < 6  # the quota, not keep_results, decided


def tree_bytes_of_a_fresh_state(catalog: Catalog, state: Path) -> int:
    with serve(catalog, state):
        return tree_bytes(state)


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANCTIONSCOPE_MAX_ROWS", "2_000")
    monkeypatch.setenv("SANCTIONSCOPE_MAX_OUTPUT_BYTES", "10M")
    monkeypatch.setenv("SANCTIONSCOPE_BASE_URL", "https://sanctions.example.org/")
    limits = Limits.from_env()
    assert (limits.max_rows, limits.max_output_bytes) == (2000, 10 * MIB)
    assert limits.base_url == "https://sanctions.example.org"
    assert Limits.from_env(upload_bytes=1024).upload_bytes == 1024
    for name, bad in [("MAX_ROWS", "many"), ("KEEP_RESULTS", "0"), ("BASE_URL", "https://x.org/app")]:
        monkeypatch.setenv(f"SANCTIONSCOPE_{name}", bad)
        with pytest.raises(ValueError):
            Limits.from_env()
        monkeypatch.delenv(f"SANCTIONSCOPE_{name}")
    with pytest.raises(ValueError, match="state quota"):
        Limits(state_quota_bytes=MIB)


# -- 8. one upload slows everyone -----------------------------------------------------------
def test_an_empty_row_flood_goes_through_the_array_path(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload(client, "warm.csv", HEADER + GOOD)  # compile the kernel first
    asked = []
    one_by_one = Screener.answer
    monkeypatch.setattr(Screener, "answer", lambda self, *a: asked.append(1) or one_by_one(self, *a))
    flood = HEADER + ",,,\n" * 300_000
    started = time.perf_counter()
    r = upload(client, "flood.csv", flood)
    took = time.perf_counter() - started
    doc = r.json()
    assert (doc["rows_read"], doc["answered"], doc["rejected"]) == (300_000, 0, 300_000)
    assert len(asked) <= 8  # one answer per distinct row and chunk, not 300,000
    assert took < 10  # the row-by-row path took ~10 s for these rows
    rejects = client.get(doc["rejects"]).text.splitlines()
    assert rejects[1] == '2,"origin","","is empty"' and rejects[-1].startswith("300001,")


@pytest.mark.parametrize("spanning", [False, True], ids=["one-line rows", "a value spanning lines"])
def test_the_server_screen_equals_the_cli_screen(
    real: Catalog, client: TestClient, tmp_path: Path, spanning: bool
) -> None:
    rows = [
        'PL,RU,0808 10,2014-08-10,"",' + ('"a note\non two lines"' if spanning else "x"),
        ",,,,",
        "XX,RU,0808,2014-08-10,",
        "DE,RU,0401 20,2015-07-01,RU-625-X-LACTOSE-FREE-DIETARY",
        "PL,RU,80810,2014-08-10,",
        "PL,RU,0808 10,2014-08-10,",
        "JP,RU,0303,2014-08-10,",
        "PL,,0808,2014-08-10,",
        "NO,RU,0302 14,2014-02-30,",
    ]
    rows = [row if row.count(",") == 5 else row + "," for row in rows]
    body = "origin,destination,hs_code,date,attest,note\n" + "\n".join(rows * 700) + "\n"
    source = tmp_path / "in.csv"
    source.write_text(body)
    for restore in (False, True):
        cli = screen_file(
            real,
            source,
            tmp_path / "cli.csv",
            tmp_path / "cli.rejects.csv",
            parse_mapping(None),
            date.today(),
            restore_leading_zeros=restore,
        )
        doc = upload(client, "in.csv", body, f"?restore_leading_zeros={str(restore).lower()}").json()
        assert (doc["rows_read"], doc["answered"], doc["rejected"]) == (cli.read, cli.answered, cli.rejected)
        assert {k: v for k, v in doc["verdicts"].items() if v} == cli.verdicts
        assert doc.get("leading_zeros_restored", 0) == cli.restored
        assert client.get(doc["download"]).text == (tmp_path / "cli.csv").read_text()
        assert client.get(doc["rejects"]).text == (tmp_path / "cli.rejects.csv").read_text()


def test_screens_run_on_a_bounded_pool_off_the_event_loop(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sanctionscope.web.uploads as uploads

    seen = []
    real_screen = uploads.screen_bounded

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(threading.current_thread().name)
        return real_screen(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(uploads, "screen_bounded", spy)
    assert upload(client, "in.csv", HEADER + GOOD).status_code == 200
    assert seen and seen[0].startswith("screen")

    gate = Gate(Limits(screen_workers=1))
    release = threading.Event()

    async def crowd() -> list[object]:
        jobs = [asyncio.ensure_future(gate.run(release.wait)) for _ in range(2)]  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):  # one running, one waiting: the third is turned away
            await gate.run(release.wait)  # type: ignore[arg-type]
        release.set()
        return list(await asyncio.gather(*jobs))

    assert asyncio.run(crowd()) == [True, True] and gate.pending == 0


# -- 9. memory that never comes back ------------------------------------------------------
def test_a_huge_cell_is_refused_before_it_is_read(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sanctionscope.web.bounded as bounded

    huge = dictionary_parquet(tmp_path / "huge.parquet", 1, note="x" * (100 * MIB))
    assert huge.stat().st_size < 64 * 1024  # 100 MB of text in a few KB

    def never(*_: object) -> None:
        raise AssertionError("the file was opened for reading")

    monkeypatch.setattr(bounded, "open_source", never)  # refused from the footer alone
    r = client.post("/v1/screen", files={"file": ("huge.parquet", huge.read_bytes())})
    assert r.status_code == 413 and r.json()["code"] in ("column_too_large", "cell_too_large")
    assert r.json()["value"] == "note"


def test_cells_and_columns_are_capped(real: Catalog, tmp_path: Path) -> None:
    with serve(real, tmp_path, max_cell_bytes=1000, max_column_bytes=50_000) as c:
        wide = HEADER.replace("\n", ",note\n") + GOOD.replace("\n", "," + "y" * 1001 + "\n")
        r = upload(c, "wide.csv", wide).json()
        assert (r["status"], r["code"], r["value"]) == (413, "cell_too_large", "note")
        parquet = dictionary_parquet(tmp_path / "long.parquet", 1000, note="z" * 900)  # 900 KB
        r = c.post("/v1/screen", files={"file": ("long.parquet", parquet.read_bytes())}).json()
        assert (r["status"], r["code"], r["value"]) == (413, "column_too_large", "note")
        ok = upload(c, "ok.csv", HEADER.replace("\n", ",note\n") + GOOD.replace("\n", ",short\n"))
        assert ok.status_code == 200


def test_per_day_memos_are_bounded_and_answer_the_same() -> None:
    jur = load_dataset().jurisdictions
    probe = [date(1994, 1, 1), date(2004, 5, 1), date(2020, 6, 1), date(2021, 1, 1), date(2026, 1, 1)]

    def answers() -> list[object]:
        return [(jur.includes("EU", "GB", d), jur.members("EU", d), jur.imposers("GB", d)) for d in probe]

    before = answers()
    for i in range(20_000):  # a server asked about ever more days
        day = date(1980, 1, 1) + timedelta(days=i)
        jur.includes("EU", "DE", day)
        jur.imposers("FR", day)
        jur.members("EU", day)
    for memo in (jur._members, jur._included, jur._imposers):
        assert len(memo) <= 2 * memo.size
    assert len(jur._members) < 20_000 and len(jur._imposers) < 20_000  # was one entry per day, forever
    assert answers() == before  # evicted answers come back the same


def test_the_memo_keeps_what_is_in_use() -> None:
    memo: Memo[int, str] = Memo(100)
    for i in range(10_000):
        memo.put(i, str(i))
        assert memo.get(0) == "0"  # used all along: kept
    assert len(memo) <= 200 and memo.get(5) is None and memo.get(9_999) == "9999"


def test_a_memo_makes_a_missing_value_once_and_stays_bounded() -> None:
    memo: Memo[int, str] = Memo(100)
    made: list[int] = []
    for i in [*range(1_000), 999, 998]:
        assert memo.get_or_make(i, lambda i=i: made.append(i) or str(i)) == str(i)
    assert made == list(range(1_000)) and len(memo) <= 200


# -- 12. status codes, leaks, permalinks ----------------------------------------------------
def test_a_chunked_upload_over_the_limit_gets_413(real: Catalog, tmp_path: Path) -> None:
    boundary = "sanctionscope-boundary"

    def body() -> Iterator[bytes]:  # no Content-Length: the server counts while reading
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        yield HEADER.encode()
        for _ in range(200):
            yield GOOD.encode() * 50
        yield f"\r\n--{boundary}--\r\n".encode()

    with serve(real, tmp_path, upload_bytes=64 * 1024) as c:
        headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
        r = c.post("/v1/screen", content=body(), headers=headers)
        assert "content-length" not in r.request.headers
        assert r.status_code == 413 and r.json()["field"] == "file", r.text
        assert "sanctionscope screen" in r.json()["detail"]
        assert staged(tmp_path) == [] and screens(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("broken.parquet", b"PAR1 this is not parquet PAR1"),
        ("notparquet.parquet", b"origin,destination\n"),
        ("empty.csv", b""),
        ("ragged.csv", b'origin,destination,hs_code,date\n"PL,RU\n'),
    ],
)
def test_errors_name_the_users_file_never_the_servers_path(
    client: TestClient, tmp_path: Path, name: str, body: bytes
) -> None:
    r = upload(client, name, body)
    text = r.text
    assert r.status_code == 400 and r.json()["value"] == name, text
    assert str(tmp_path) not in text and "staging" not in text and "input." not in text
    assert not re.search(r"[A-Za-z0-9_-]{24}", text.replace(client.app.state.dataset_version, ""))


def test_permalinks_do_not_echo_the_host_header(real: Catalog, tmp_path: Path) -> None:
    page = "/business?origin=PL&destination=RU&hs=0808&date=2014-08-10"
    with serve(real, tmp_path / "a") as c:
        html = c.get(page, headers={"host": "evil.example"}).text
        assert "evil.example" not in html
        assert re.search(r'Permalink: <a href="/business\?origin=PL', html)  # relative by default
    with serve(real, tmp_path / "b", base_url="https://sanctions.example.org") as c:
        html = c.get(page, headers={"host": "evil.example"}).text
        assert "evil.example" not in html
        assert 'Permalink: <a href="https://sanctions.example.org/business?origin=PL' in html
