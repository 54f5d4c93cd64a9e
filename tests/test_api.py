"""The HTTP API through the real app: same answers as the CLI, problem details naming the
field, uploads with their limits, the poll, and pages that need nothing from the network."""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanctionscope.engine import serialise
from sanctionscope.engine.catalog import Catalog
from sanctionscope.web.app import create_app
from sanctionscope.web.poll import largest_remainder

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

TODAY = date.today()


@pytest.fixture(scope="module")
def client(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(real, tmp_path_factory.mktemp("state"), upload_limit=64 * 1024)
    with TestClient(app) as c:
        yield c


def test_check_answers_exactly_as_the_engine(client: TestClient, real: Catalog) -> None:
    r = client.get(
        "/v1/check", params={"origin": "PL", "destination": "RU", "hs": "0808 10", "date": "2014-08-10"}
    )
    assert r.status_code == 200
    q = real.question("PL", "RU", "0808 10", date(2014, 8, 10))
    assert r.json() == serialise.answer(real.index(q.as_known_on), real.check(q))
    assert r.json()["verdict"] == "BANNED" and r.json()["dataset_version"] == real.version


def test_attest_changes_the_answer(client: TestClient) -> None:
    params = {"origin": "DE", "destination": "RU", "hs": "0401 20", "date": "2015-07-01"}
    banned = client.get("/v1/check", params=params).json()
    attested = client.get("/v1/check", params={**params, "attest": "RU-625-X-LACTOSE-FREE-DIETARY"}).json()
    assert banned["verdict"] == "BANNED" and attested["verdict"] == "ALLOWED"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"origin": "XX", "destination": "RU", "hs": "0808", "date": "2014-08-10"}, "origin"),
        ({"origin": "PL", "destination": "RU", "hs": "08-08", "date": "2014-08-10"}, "hs"),
        ({"origin": "PL", "destination": "RU", "hs": "0808", "date": "2014-02-30"}, "date"),
        ({"origin": "PL", "destination": "RU", "hs": "0808"}, "date"),
        (
            {"origin": "PL", "destination": "RU", "hs": "0808", "date": "2014-08-10", "as_known_on": "x"},
            "as_known_on",
        ),
        (
            {"origin": "PL", "destination": "RU", "hs": "0808", "date": "2014-08-10", "attest": "NOPE"},
            "attest",
        ),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    r = client.get("/v1/check", params=params)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["field"] == field and body["status"] == 400 and body["title"] and body["detail"]
    assert body["dataset_version"]


def test_relations_and_acts(client: TestClient) -> None:
    spared = client.get("/v1/spared/RU", params={"on": "2014-08-10"}).json()
    # Liechtenstein froze assets under its own EU-aligned regime from April 2014 and was
    # added to the food ban only in August 2015
    assert spared["spared"] == ["CH", "IS", "JP", "LI", "NZ"]
    who = client.get("/v1/who", params={"on": "2014-08-10"}).json()
    assert any(r["imposer"] == "RU" and r["countermeasure"] for r in who["relations"])
    timeline = client.get("/v1/timeline/RU/JP").json()
    assert timeline["acts"] and all(a["title"]["original"] for a in timeline["acts"])
    act = client.get("/v1/acts/RU-GOV-778-2014").json()
    assert (
        act["title"]["lang"] == "ru"
        and act["signed"] == "2014-08-07"
        and act["source_url"].startswith("http")
    )
    assert client.get("/v1/acts/NOPE").status_code == 404
    measures = client.get(
        "/v1/measures", params={"imposer": "RU", "type": "import_ban", "on": "2016-06-01"}
    ).json()
    assert {m["id"] for m in measures["measures"]} >= {"RU-FOOD-IMPORT-BAN", "RU-TR-FOOD-IMPORT-BAN"}
    assert client.get("/v1/measures", params={"type": "nonsense"}).json()["field"] == "type"


def test_map_colours_the_seed_case(client: TestClient) -> None:
    doc = client.get("/v1/map", params={"on": "2014-08-10", "focus": "RU"}).json()
    status = {c["id"]: c["status"] for c in doc["countries"]}
    assert status["RU"] == "focus" and status["JP"] == "spared" and status["PL"] == "countersanctioned"
    assert status["BR"] == "none"
    before = client.get("/v1/map", params={"on": "2014-08-01", "focus": "RU"}).json()
    assert {c["id"]: c["status"] for c in before["countries"]}["PL"] == "sanctioning"  # no countermeasure yet


def test_network_marks_spared_edges(client: TestClient) -> None:
    doc = client.get("/v1/network", params={"on": "2014-08-10"}).json()
    spared = {(e["source"], e["target"]) for e in doc["edges"] if e["spared"]}
    assert ("JP", "RU") in spared and not any(s == "EU" for s, _ in spared)


def test_chinese_licence_names_mofcom_and_is_addressed_to_all(client: TestClient) -> None:
    # MOFCOM/GAC No. 23/2023: gallium nitride needs MOFCOM's dual-use export licence, to any destination
    params = {"origin": "CN", "destination": "DE", "hs": "2850001901", "date": "2024-06-01"}
    doc = client.get("/v1/check", params=params).json()
    assert doc["verdict"] == "LICENCE_REQUIRED"
    (req,) = doc["licence_requirements"]
    assert req["licensing_authority"].startswith("Ministry of Commerce of the People's Republic of China")
    map_doc = client.get("/v1/map", params={"on": "2025-01-01", "focus": "CN"}).json()
    assert "CN-2023-23-GA-GE-LICENCE" in {m["id"] for m in map_doc["addressed_to_all"]}
    painted = [c for c in map_doc["countries"] if c["status"] != "none"]
    # the regimes addressed to all do not paint every country: only the focus and the states
    # with measures of their own towards China (or targeted by it) are coloured
    assert {"CN", "US"} <= {c["id"] for c in painted} and len(painted) < 10
    assert all(c["measures"] for c in painted if c["id"] != "CN")


def test_nomenclature_search(client: TestClient) -> None:
    items = client.get("/v1/nomenclature", params={"q": "apples"}).json()["items"]
    assert any(i["code"] == "080810" for i in items)
    assert all(
        i["code"].startswith("0808")
        for i in client.get("/v1/nomenclature", params={"q": "0808"}).json()["items"]
    )


def test_screen_upload_round_trip(client: TestClient) -> None:
    csv = "origin,destination,hs_code,date\nPL,RU,0808 10,2014-08-10\nXX,RU,0808,2014-08-10\n"
    r = client.post("/v1/screen", files={"file": ("in.csv", csv, "text/csv")})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert (doc["rows_read"], doc["answered"], doc["rejected"]) == (2, 1, 1)
    result = client.get(doc["download"])
    assert result.status_code == 200 and "BANNED" in result.text
    assert "XX" in client.get(doc["rejects"]).text
    parquet = client.post("/v1/screen?format=parquet", files={"file": ("in.csv", csv, "text/csv")}).json()
    assert client.get(parquet["download"]).content[:4] == b"PAR1"


def test_screen_upload_limits(client: TestClient) -> None:
    big = "origin,destination,hs_code,date\n" + "PL,RU,0808,2014-08-10\n" * 5000
    r = client.post("/v1/screen", files={"file": ("big.csv", big, "text/csv")})
    assert r.status_code == 413 and r.json()["field"] == "file"
    r = client.post("/v1/screen", files={"file": ("in.xlsx", "x", "application/octet-stream")})
    assert r.status_code == 415 and r.json()["field"] == "file"
    assert client.get("/v1/screen/not-a-token/result").status_code == 404


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8))
def test_percentages_always_add_up_to_100(counts: list[int]) -> None:
    shares = largest_remainder(counts)
    assert sum(shares) == (100 if sum(counts) else 0)
    assert all(abs(s - 100 * c / sum(counts)) < 1 for s, c in zip(shares, counts, strict=True) if sum(counts))


def test_poll_one_vote_per_browser_even_when_concurrent(real: Catalog, tmp_path: Path) -> None:
    app = create_app(real, tmp_path)
    with TestClient(app) as browser, TestClient(app) as other:
        browser.get("/v1/poll")  # the voter ids: a signed cookie each
        other.get("/v1/poll")
        first = browser.post("/v1/poll", params={"choice": "yes"})
        assert first.json()["counted"] is True
        threads = [
            threading.Thread(target=browser.post, args=("/v1/poll",), kwargs={"params": {"choice": "no"}})
            for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        other.post("/v1/poll", params={"choice": "partly"})
        doc = browser.get("/v1/poll").json()
        assert doc["total"] == 2 and sum(o["percent"] for o in doc["options"]) == 100
        assert {o["id"]: o["votes"] for o in doc["options"]} == {"yes": 1, "partly": 1, "no": 0}
        assert browser.post("/v1/poll", params={"choice": "maybe"}).json()["field"] == "choice"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/business",
        "/business?origin=DE&destination=RU&hs=0401+20&date=2015-07-01",
        "/research?on=2014-08-10&focus=RU",
        "/students?a=RU&b=JP",
        "/acts/RU-GOV-778-2014",
        "/docs",
    ],
)
def test_pages_load_only_local_assets(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    refs = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|json|svg))"', r.text) + re.findall(
        r"url: '([^']+)'", r.text
    )
    assert refs and all(ref.startswith("/") for ref in refs), refs
    for ref in refs:
        assert client.get(ref).status_code == 200, ref


def test_business_page_cites_original_titles_and_offers_exceptions(client: TestClient) -> None:
    html = client.get(
        "/business", params={"origin": "DE", "destination": "RU", "hs": "0401 20", "date": "2015-07-01"}
    ).text
    assert "BANNED" in html and 'name="attest"' in html
    assert "О мерах по реализации указа" in html and "English: On measures to implement" in html
    assert (
        client.get("/business", params={"origin": "XX", "hs": "0808", "date": "2014-08-10"}).status_code
        == 400
    )
