"""Coverage and the five verdicts as every interface shows them: the CLI (`coverage`,
`check`, `screen --grace-days`), the API (`/v1/coverage`, `grace_days`, the verdict enum in
the OpenAPI schema), the web pages (answer, coverage page) and the upload summary."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sanctionscope.engine import documents
from sanctionscope.engine.catalog import Catalog
from sanctionscope.load import DEFAULT_DATA, load_dataset
from sanctionscope.screen import screen_file
from sanctionscope.web.app import create_app

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

EXE = shutil.which("sanctionscope") or str(Path(sys.executable).with_name("sanctionscope"))
VERDICTS = ["BANNED", "LICENCE_REQUIRED", "UNDETERMINED", "NOT_COVERED", "ALLOWED"]

#: The worked examples, one per verdict the data gives today.
# NOT_COVERED: German medical instruments to Russia in 2026
MEDICAL = {"origin": "DE", "destination": "RU", "hs": "901890", "date": "2026-06-01"}
LINE_PIPE = {"origin": "DE", "destination": "RU", "hs": "73041100", "date": "2015-06-01"}  # LICENCE_REQUIRED
SEED_POTATOES = {"origin": "NL", "destination": "RU", "hs": "0701 10 000 0", "date": "2014-09-01"}  # ALLOWED
APPLES = {"origin": "PL", "destination": "RU", "hs": "0808 10", "date": "2014-08-10"}  # BANNED


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120, check=False)


def check_args(q: dict[str, str], *extra: str) -> list[str]:
    return ["check", *(x for k, v in q.items() for x in (f"--{k}", v)), *extra]


@pytest.fixture(scope="module")
def client(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(real, tmp_path_factory.mktemp("state"))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def stale_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded data with Russia's import declaration last reviewed on 2014-08-20."""
    root = tmp_path_factory.mktemp("stale") / "data"
    shutil.copytree(DEFAULT_DATA, root)
    path = root / "coverage" / "RU.yaml"
    text = path.read_text(encoding="utf-8")
    assert "reviewed_on: 2026-12-02" in text
    path.write_text(text.replace("reviewed_on: 2026-12-02", "reviewed_on: 2014-08-20"), encoding="utf-8")
    return root


# -- CLI: coverage ------------------------------------------------------------------------------
def test_coverage_command_prints_the_matrix() -> None:
    done = run("coverage")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "Coverage: what the data set vouches for, by imposer, direction and period" in text
    for expected in (
        "European Union (EU), export",
        "EU-EXPORT-RU-2014-2022 [2014-08-01, 2022-02-23), reviewed 2026-12-02",
        "products: HS 01-24",
        "regimes held: EU-833-OIL-TECH",
        "left out: Goods of the Common Military List",
        "source: https://eur-lex.europa.eu/",
        "partners: European Union, United States",
        "United States (US), export",
        "no declaration: shipments needing this side are NOT_COVERED",
        "NOT_COVERED, never ALLOWED",
    ):
        assert expected in text, expected


def test_coverage_json_is_the_shared_document(real: Catalog) -> None:
    done = run("coverage", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc == documents.coverage_doc(real.index(date.today()))
    assert list(doc["verdicts"]) == VERDICTS
    rows = {(r["imposer"], r["direction"]): r for r in doc["matrix"]}
    eu = rows[("EU", "export")]["declarations"][0]
    assert eu["period"] == {"start": "2014-08-01", "end": "2022-02-23"}
    assert eu["partners"] == ["RU"] and eu["product_scope_text"] == "HS 01-24"
    assert eu["sources"][0]["url"].startswith("https://") and eu["left_out"]
    assert rows[("US", "export")]["declarations"] == [] and rows[("US", "export")]["goods_measures"]
    filtered = json.loads(run("coverage", "--json", "--imposer", "eu", "--direction", "EXPORT").stdout)
    assert [(r["imposer"], r["direction"]) for r in filtered["matrix"]] == [("EU", "export")]
    assert filtered["filters"] == {"imposer": "EU", "direction": "export"}


def test_coverage_bad_direction_is_one_line_naming_the_field() -> None:
    done = run("coverage", "--direction", "sideways")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: direction: 'sideways' is not import or export"


# -- CLI: check ---------------------------------------------------------------------------------
def test_check_spells_out_the_sides_not_covered() -> None:
    done = run(*check_args(MEDICAL))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("NOT_COVERED  DE → RU  HS 901890  on 2026-06-01")
    assert (
        "not covered EU export rules: goods leaving DE for RU, on 2026-06-01: no coverage declaration" in text
    )
    assert "not covered RU import rules: goods entering RU from DE" in text
    assert "goods measures in force on that side: EU-512-ARMS-EMBARGO," in text
    assert "EU-833-DUALUSE-MIL" in text
    assert "sanctionscope coverage --imposer EU" in text
    assert text.count("The verdict does not assess the parties to the deal") == 1


def test_check_names_the_licensing_authority_and_how_to_attest() -> None:
    text = run(*check_args(LINE_PIPE)).stdout
    assert text.startswith("LICENCE_REQUIRED")
    assert "the licence is issued by Council of the European Union" in text
    assert "ask again with --attest EU-833-OIL-TECH" in text


def test_check_allowed_names_the_declarations_relied_on() -> None:
    text = run(*check_args(SEED_POTATOES)).stdout
    assert text.startswith("ALLOWED")
    assert "relied on RU-IMPORT-2014-2022: RU import rules, [2014-08-07, 2022-02-24), reviewed" in text
    assert "not covered" not in text


@pytest.mark.parametrize("value", ["-1", "36501"])
def test_grace_days_must_be_a_number_of_days(value: str) -> None:
    done = run(*check_args(APPLES, "--grace-days", value))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: grace_days: {value} is not a number of days from 0 to")
    assert "Traceback" not in done.stderr


def test_grace_days_not_a_number_is_refused() -> None:
    done = run(*check_args(APPLES, "--grace-days", "a week"))
    assert done.returncode == 2 and "grace-days" in done.stderr and "Traceback" not in done.stderr


def test_grace_days_reaches_the_answer() -> None:
    doc = json.loads(run(*check_args(APPLES, "--grace-days", "7", "--json")).stdout)
    assert doc["query"]["grace_days"] == 7 and doc["coverage"]["grace_days"] == 7
    assert json.loads(run(*check_args(APPLES, "--json")).stdout)["coverage"]["grace_days"] == 30


def test_grace_days_decides_whether_a_stale_declaration_vouches(stale_data: Path) -> None:
    """Reviewed 2014-08-20, asked about 2014-09-01: vouched for with 30 days' grace, not with 0."""
    fresh = json.loads(run(*check_args(SEED_POTATOES, "--data", str(stale_data), "--json")).stdout)
    assert fresh["verdict"] == "ALLOWED"
    assert "RU-IMPORT-2014-2022" in [d["id"] for d in fresh["coverage"]["relied_on"]]
    done = run(*check_args(SEED_POTATOES, "--data", str(stale_data), "--grace-days", "0"))
    assert done.stdout.startswith("NOT_COVERED") and "(not_reviewed_since)" in done.stdout
    assert "the sources have not been reviewed since 2014-08-20" in done.stdout
    doc = json.loads(
        run(*check_args(SEED_POTATOES, "--data", str(stale_data), "--grace-days", "0", "--json")).stdout
    )
    (side,) = doc["coverage"]["not_covered"]
    assert (side["imposer"], side["direction"], side["reason"]) == ("RU", "import", "not_reviewed_since")
    assert (side["declaration"], side["reviewed_on"]) == ("RU-IMPORT-2014-2022", "2014-08-20")


# -- screen -------------------------------------------------------------------------------------
def _shipments(path: Path) -> Path:
    rows = [APPLES, LINE_PIPE, MEDICAL, SEED_POTATOES, SEED_POTATOES]
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["origin", "destination", "hs_code", "date"])
        writer.writerows([r["origin"], r["destination"], r["hs"], r["date"]] for r in rows)
    return path


def test_screen_grace_days_changes_the_verdicts(stale_data: Path, tmp_path: Path) -> None:
    catalog = Catalog(load_dataset(stale_data))
    source = _shipments(tmp_path / "in.csv")
    known = date(2026, 11, 30)
    lenient = screen_file(catalog, source, tmp_path / "a.csv", None, _mapping(), known, grace_days=30)
    strict = screen_file(catalog, source, tmp_path / "b.csv", None, _mapping(), known, grace_days=0)
    assert lenient.verdicts == {"BANNED": 1, "LICENCE_REQUIRED": 1, "NOT_COVERED": 1, "ALLOWED": 2}
    assert strict.verdicts == {"BANNED": 1, "LICENCE_REQUIRED": 1, "NOT_COVERED": 3}
    with (tmp_path / "b.csv").open(newline="") as f:
        last = list(csv.DictReader(f))[-1]
    assert last["verdict"] == "NOT_COVERED" and last["not_covered"] == "RU:import:not_reviewed_since"


def test_screen_command_takes_grace_days(tmp_path: Path) -> None:
    source = _shipments(tmp_path / "in.csv")
    done = run("screen", str(source), "-o", str(tmp_path / "out.csv"), "--grace-days", "10")
    assert done.returncode == 0, done.stderr
    assert "(BANNED 1, LICENCE_REQUIRED 1, NOT_COVERED 1, ALLOWED 2)" in done.stderr
    bad = run("screen", str(source), "-o", str(tmp_path / "out2.csv"), "--grace-days", "-5")
    assert bad.returncode == 2 and bad.stderr.startswith("error: grace_days: -5")
    assert not (tmp_path / "out2.csv").exists()


def _mapping() -> dict[str, str]:
    from sanctionscope.screen import parse_mapping

    return parse_mapping(None)


# -- API ----------------------------------------------------------------------------------------
def test_api_coverage_is_the_cli_document(client: TestClient) -> None:
    r = client.get("/v1/coverage")
    assert r.status_code == 200
    assert r.json() == json.loads(run("coverage", "--json").stdout)
    only = client.get("/v1/coverage", params={"imposer": "RU", "direction": "import"}).json()
    assert [(x["imposer"], x["direction"]) for x in only["matrix"]] == [("RU", "import")]
    bad = client.get("/v1/coverage", params={"direction": "inbound"})
    assert bad.status_code == 400 and bad.json()["field"] == "direction"


def test_api_check_takes_grace_days(client: TestClient) -> None:
    r = client.get("/v1/check", params={**MEDICAL, "grace_days": 3})
    assert r.status_code == 200
    doc = r.json()
    assert (doc["verdict"], doc["query"]["grace_days"], doc["coverage"]["grace_days"]) == (
        "NOT_COVERED",
        3,
        3,
    )
    sides = {(s["imposer"], s["direction"], s["reason"]) for s in doc["coverage"]["not_covered"]}
    assert ("EU", "export", "no_declaration") in sides
    assert doc["not_assessed"].startswith("The verdict does not assess")
    for value in (-1, 36_501, "soon"):
        bad = client.get("/v1/check", params={**MEDICAL, "grace_days": value})
        assert bad.status_code == 400 and bad.json()["field"] == "grace_days", value
    licence = client.get("/v1/check", params=LINE_PIPE).json()
    assert licence["licence_requirements"][0]["licensing_authority"] == "Council of the European Union"


def test_openapi_documents_the_five_verdicts(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    answer = schema["components"]["schemas"]["CheckAnswer"]
    verdict = answer["properties"]["verdict"]
    assert verdict["enum"] == VERDICTS
    assert set(verdict["x-enum-descriptions"]) == set(VERDICTS)
    for value in VERDICTS:
        assert f"- `{value}`: " in verdict["description"]
    assert "Never read as ALLOWED" in verdict["x-enum-descriptions"]["NOT_COVERED"]
    ok = schema["paths"]["/v1/check"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/CheckAnswer")
    for field in ("coverage", "not_assessed", "licence_requirements"):
        assert field in answer["properties"]
    assert "grace_days" in [p["name"] for p in schema["paths"]["/v1/check"]["get"]["parameters"]]
    assert "/v1/coverage" in schema["paths"]
    assert "PRECEDENCE" not in json.dumps(schema)


def test_upload_counts_each_verdict_apart(client: TestClient, tmp_path: Path) -> None:
    source = _shipments(tmp_path / "in.csv")
    r = client.post("/v1/screen", files={"file": ("in.csv", source.read_text(), "text/csv")})
    assert r.status_code == 200, r.text
    verdicts = r.json()["verdicts"]
    assert list(verdicts) == VERDICTS  # every verdict, in order of precedence
    assert verdicts == {"BANNED": 1, "LICENCE_REQUIRED": 1, "UNDETERMINED": 0, "NOT_COVERED": 1, "ALLOWED": 2}


# -- web pages ----------------------------------------------------------------------------------
def test_not_covered_answer_page_spells_out_the_missing_sides(client: TestClient) -> None:
    r = client.get("/business", params=MEDICAL)
    assert r.status_code == 200
    html = r.text
    assert 'class="verdict verdict-NOT_COVERED"' in html and "verdict-ALLOWED" not in html
    assert 'class="answer answer-NOT_COVERED"' in html
    assert "Not covered: the data set cannot vouch for this answer" in html
    assert (
        "European Union (EU) export rules:" in html and "goods leaving Germany for Russian Federation" in html
    )
    assert "no coverage declaration vouches for that day" in html
    assert "<code>EU-833-DUALUSE-MIL</code>" in html
    assert 'href="/coverage#EU-export"' in html and 'href="/coverage#RU-import"' in html
    explanation = html.split('<p class="explanation">', 1)[1].split("</p>", 1)[0]
    assert "does not assess" not in explanation  # said once, on its own line
    assert '<p class="not-assessed">The verdict does not assess the parties to the deal' in html


def test_allowed_answer_page_names_the_declarations_relied_on(client: TestClient) -> None:
    html = client.get("/business", params=SEED_POTATOES).text
    assert 'class="verdict verdict-ALLOWED"' in html
    assert "Coverage relied on" in html and 'href="/coverage#RU-IMPORT-2014-2022"' in html
    assert "coverage-missing" not in html


def test_licence_required_page_names_the_authority_and_offers_to_attest(client: TestClient) -> None:
    html = client.get("/business", params=LINE_PIPE).text
    assert 'class="verdict verdict-LICENCE_REQUIRED"' in html
    assert "issued by <strong>Council of the European Union</strong>" in html
    assert 'name="attest" value="EU-833-OIL-TECH"' in html
    attested = client.get("/business", params={**LINE_PIPE, "attest": "EU-833-OIL-TECH"}).text
    # the licence clears only its measure: the EU's export side is still not vouched for that code
    assert 'class="verdict verdict-NOT_COVERED"' in attested and "verdict-LICENCE_REQUIRED" not in attested


def test_coverage_page_shows_the_matrix_with_sources(client: TestClient) -> None:
    r = client.get("/coverage")
    assert r.status_code == 200
    html = r.text
    assert "<h1>What the data set covers</h1>" in html
    assert 'id="EU-EXPORT-RU-2014-2022"' in html and 'id="EU-export"' in html
    assert "2014-08-01 to 2022-02-22" in html  # the last day of [2014-08-01, 2022-02-23)
    assert 'href="https://lovdata.no/dokument/SF/forskrift/2014-08-15-1076"' in html
    assert "No declaration</a>:" in html and "shipments that need this side are NOT_COVERED" in html
    assert "Goods of the Common Military List" in html and "HS 01-24" in html
    for value in VERDICTS:
        assert f'<span class="verdict verdict-{value}">{value}</span>' in html
    only = client.get("/coverage", params={"imposer": "JP", "direction": "import"}).text
    assert 'id="JP-IMPORT-RU-2014-2022"' in only and 'id="EU-EXPORT-RU-2014-2022"' not in only
    assert client.get("/coverage", params={"direction": "sideways"}).status_code == 400


def test_every_page_links_to_the_coverage(client: TestClient) -> None:
    for url in ("/", "/business", "/students", "/acts/RU-GOV-778-2014"):
        assert 'href="/coverage"' in client.get(url).text, url
