"""Act pages with their substance, the act index, HTML error pages, the coverage page,
and the messages and small fixes of issue 17 (without a browser; see tests/browser/).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sanctionscope.cli import app as cli
from sanctionscope.codes import normalise_code
from sanctionscope.engine import act_view
from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.inputs import need_day
from sanctionscope.web.app import create_app

EXE = shutil.which("sanctionscope") or str(Path(sys.executable).with_name("sanctionscope"))
BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(real, tmp_path_factory.mktemp("act-pages-state")))


def _texts(real: Catalog, act_id: str) -> list[str]:
    doc = act_view.act_page_doc(real.index(date.max), act_id)
    assert doc is not None
    return [c["text"] for c in doc["changes"]]


# -- every change an act makes, in words ---------------------------------------------------
def test_each_added_exception_is_named_with_its_line(real: Catalog) -> None:
    texts = _texts(real, "RU-GOV-830-2014")
    assert len(texts) == 7 and len(set(texts)) == 7  # seven changes, seven different sentences
    assert (
        "adds exception RU-830-X-SEED-POTATO (seed potatoes, code 0701 10 000 0) to line 0701 "
        "of RU-FOOD-IMPORT-BAN" in texts
    )
    assert any(t.startswith("adds exception RU-830-X-LACTOSE-FREE (lactose-free milk") for t in texts)
    assert any("to lines 0401, 0402, 0403, 0404, 0405, 0406" in t for t in texts)
    assert not any("add_exceptions" in t for t in texts)


def test_prolongations_say_the_last_day_and_added_lines_their_codes(real: Catalog) -> None:
    assert _texts(real, "RU-PRES-320-2015") == ["prolongs RU-FOOD-IMPORT-BAN to 5 Aug 2016 (inclusive)"]
    (salt,) = _texts(real, "RU-GOV-897-2016")
    assert salt.startswith("adds 1 line to RU-FOOD-IMPORT-BAN: 2501 00 (Salt")
    assert salt.endswith("with effect from 1 Nov 2016")
    targets = _texts(real, "RU-GOV-842-2015")
    assert targets[0].startswith("adds 4 targets to RU-FOOD-IMPORT-BAN: Albania (AL, origin)")
    removed = _texts(real, "RU-GOV-625-2015")[0]
    assert removed.startswith("removes exceptions RU-830-X-LACTOSE-FREE (lactose-free milk")


def test_suspensions_say_what_and_until_when(real: Catalog) -> None:
    texts = _texts(real, "CN-MOFCOM-2025-70")
    assert "suspends CN-2025-57-REE-LICENCE from 7 Nov 2025 through 10 Nov 2026" in texts


# -- the act's substance and its relations --------------------------------------------------
def test_res_778_lists_its_59_lines_and_the_acts_that_amended_it(real: Catalog) -> None:
    doc = act_view.act_page_doc(real.index(date.max), "RU-GOV-778-2014")
    assert doc is not None
    (ban,) = doc["measures"]
    assert ban["line_count"] == 59 and ban["lines_by_this_act"] == 52
    first = ban["lines"][0]
    assert first["code_display"] == "0201" and first["wording"]["lang"] == "ru"
    assert first["wording"]["original"].startswith("Мясо") and first["period"]["start"] == "2014-08-07"
    salt = next(x for x in ban["lines"] if x["code"].startswith("2501"))
    assert salt["act"] == "RU-GOV-897-2016" and salt["period"]["start"] == "2016-11-01"
    lactose = next(e for e in ban["exceptions"] if e["id"] == "RU-830-X-LACTOSE-FREE")
    assert lactose["removed_by"] == "RU-GOV-625-2015" and lactose["wording"]["lang"] == "ru"
    related = {(r["relation"], r["id"]) for r in doc["related"]}
    assert {("amended by", "RU-GOV-830-2014"), ("amended by", "RU-GOV-897-2016")} <= related
    assert ("prolonged by", "RU-PRES-320-2015") in related and ("legal basis", "RU-PRES-560-2014") in related
    assert any(rel == "answers" for rel, _ in related)  # in_response_to: the measures it answers
    # an act that only moves the end date prolongs, it does not amend
    assert ("amended by", "RU-PRES-320-2015") not in related
    pl = next(t for t in ban["targets"] if t["jurisdiction"] == "EU")
    assert pl["act"] == "RU-GOV-778-2014"


def test_list_in_force_on_a_day_applies_every_change_up_to_it(real: Catalog) -> None:
    index = real.index(date.max)
    before = act_view.act_page_doc(index, "RU-GOV-778-2014", date(2014, 8, 10))
    after = act_view.act_page_doc(index, "RU-GOV-778-2014", date(2016, 12, 1))
    assert before is not None and after is not None
    (b,), (a,) = before["in_force_on"], after["in_force_on"]
    assert b["in_force"] and len(b["lines"]) == 52 and b["exceptions"] == [] and b["amended_by"] == []
    assert len(a["lines"]) == 53 and any(x["code"].startswith("2501") for x in a["lines"])
    ids = {e["id"] for e in a["exceptions"]}
    assert "RU-830-X-SEED-POTATO" in ids and "RU-830-X-LACTOSE-FREE" not in ids  # removed by Res. 625
    assert {"RU-GOV-830-2014", "RU-GOV-625-2015", "RU-GOV-897-2016"} <= set(a["amended_by"])
    assert {t["jurisdiction"] for t in a["targets"]} >= {"EU", "UA", "AL"}
    early = act_view.act_page_doc(index, "RU-GOV-778-2014", date(2014, 8, 1))
    assert early is not None and early["in_force_on"][0]["status"].startswith("not yet in force")


def test_an_amending_act_shows_the_list_it_changed_on_the_day(real: Catalog) -> None:
    doc = act_view.act_page_doc(real.index(date.max), "RU-GOV-830-2014", date(2014, 8, 20))
    assert doc is not None
    (f,) = doc["in_force_on"]
    assert f["measure"] == "RU-FOOD-IMPORT-BAN" and f["amended_by"] == ["RU-GOV-830-2014"]
    potato = next(x for x in f["lines"] if x["id"] == "0701")
    assert potato["exceptions"] == ["RU-830-X-SEED-POTATO"]


def test_act_index_filters_and_searches_in_both_languages(real: Catalog) -> None:
    index = real.index(date.max)
    ids = lambda **kw: [a["id"] for a in act_view.acts_index_doc(index, **kw)["acts"]]  # noqa: E731
    potatoes = ids(q="семенной картофель")  # an exception's Russian wording
    assert "RU-GOV-830-2014" in potatoes and "RU-GOV-778-2014" not in potatoes
    assert "RU-GOV-897-2016" in ids(q="salt")
    assert "RU-GOV-778-2014" in ids(q="ПРЕЗИДЕНТА указа")  # case-folded, every word
    assert all(i.startswith("JP") for i in ids(issuer="JP")) and ids(issuer="JP")
    assert all(i.endswith("2016") or "2016" in i for i in ids(year=2016))
    assert set(ids(kind="arms_embargo")) >= {"EU-DEC-2014-512"}
    assert "RU-GOV-778-2014" in ids(target="PL")  # PL through the EU
    assert ids(q="no-such-word-anywhere") == []


# -- web: act pages, index, errors ----------------------------------------------------------
def test_act_page_html_lists_lines_and_changes_in_words(client: TestClient) -> None:
    html = client.get("/acts/RU-GOV-778-2014").text
    assert html.count('<tr class="line">') == 59
    assert "Lines (59)" in html and "RU-GOV-830-2014" in html
    html = client.get("/acts/RU-GOV-830-2014").text
    assert "add_exceptions" not in html
    assert "Adds exception RU-830-X-SEED-POTATO (seed potatoes, code 0701 10 000 0) to line 0701" in html
    assert '<span class="original" lang="ru">семенной картофель</span>' in html


def test_act_page_in_force_on_a_day_and_bad_days(client: TestClient) -> None:
    r = client.get("/acts/RU-GOV-778-2014", params={"on": "2016-12-01"})
    assert r.status_code == 200
    assert r.text.count('<tr class="line">') == 59 + 53
    bad = client.get("/acts/RU-GOV-778-2014", params={"on": "2015-02-30"})
    assert bad.status_code == 400
    assert "is not a day of the calendar: February 2015 has 28 days" in bad.text


def test_footnotes_are_numbered_in_order_of_first_appearance(client: TestClient) -> None:
    for url in ("/acts/RU-GOV-830-2014", "/business?origin=DE&destination=RU&hs=0401+20&date=2015-07-01"):
        html = client.get(url).text
        body = html.split('<section class="footnotes"', 1)[0]
        numbers = [int(n) for n in re.findall(r'class="fnref" aria-label="source (\d+)"', body)]
        firsts = list(dict.fromkeys(numbers))
        assert firsts == sorted(firsts) and firsts[0] == 1, (url, firsts)


def test_act_index_page_and_its_errors(client: TestClient) -> None:
    r = client.get("/acts", params={"q": "картофель"})
    assert r.status_code == 200 and 'data-act="RU-GOV-830-2014"' in r.text
    assert 'data-act="RU-GOV-778-2014"' not in r.text and "matching “картофель”" in r.text
    r = client.get("/acts", params={"issuer": "JP", "year": "2014", "type": "export_ban"})
    assert r.status_code == 200
    bad = client.get("/acts", params={"year": "20x4", "issuer": "Atlantis"})
    assert bad.status_code == 400
    assert "year: “20x4” is not a year" in bad.text and "issuer: “Atlantis”" in bad.text


def test_unknown_urls_are_html_for_browsers_and_problems_for_programs(client: TestClient) -> None:
    page = client.get("/no/such/page", headers=BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text and 'href="/acts"' in page.text
    program = client.get("/no/such/page", headers={"accept": "application/json"})
    assert program.status_code == 404 and program.headers["content-type"] == "application/problem+json"
    api = client.get("/v1/acts/NOPE", headers=BROWSER)  # the API answers problems, always
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
    act = client.get("/acts/RU-GOV-778-2041", headers=BROWSER)
    assert act.status_code == 404 and 'href="/acts/RU-GOV-778-2014"' in act.text  # a near id
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp


def test_bad_input_on_an_html_route_is_an_html_400(client: TestClient) -> None:
    r = client.get("/v1/check", params={"origin": "PL"}, headers=BROWSER)
    assert r.headers["content-type"] == "application/problem+json"  # /v1 stays JSON
    r = client.post("/poll", headers=BROWSER, data={})
    assert r.status_code in (400, 403, 422) and r.headers["content-type"].startswith("text/html")


def test_nav_and_footer_link_the_html_act_index(client: TestClient) -> None:
    html = client.get("/coverage").text
    assert '<a href="/acts">Acts</a>' in html and '<a href="/acts">All acts</a>' in html
    assert 'href="/v1/acts">All acts (JSON)' not in html


def test_coverage_page_is_a_matrix_of_imposers_by_direction(client: TestClient) -> None:
    html = client.get("/coverage").text
    matrix = html.split('<table class="coverage-matrix">', 1)[1].split("</table>", 1)[0]
    assert "Imports into it" in matrix and "Exports from it" in matrix
    assert '<a href="#imposer-EU">European Union</a> (EU)' in matrix
    assert 'href="#EU-EXPORT-RU-2014-2022">2014-08-01 to 2022-02-22</a>' in matrix
    assert "reviewed 2026-12-02" in matrix and "NOT_COVERED" in matrix  # AU: goods measures, no declaration
    assert 'id="EU-export"' in html and 'class="cov-bar cov-bar-declared"' in html
    assert client.get("/coverage", params={"direction": "sideways"}).status_code == 400


def test_not_covered_answers_link_the_coverage(client: TestClient) -> None:
    # Australian arms to Russia in 2015: Australia's export measures are held, no declaration
    params = {"origin": "AU", "destination": "RU", "hs": "9301", "date": "2015-06-01"}
    doc = client.get("/v1/check", params=params).json()
    assert doc["verdict"] == "NOT_COVERED"
    links = [item["links"] for item in doc["coverage"]["not_covered"]]
    assert {
        "coverage_page": "/coverage#AU-export",
        "coverage": "/v1/coverage?imposer=AU&direction=export",
    } in links
    assert 'href="/coverage#AU-export"' in client.get("/business", params=params).text
    run = CliRunner().invoke(
        cli, ["check", "--origin", "AU", "--destination", "RU", "--hs", "9301", "--date", "2015-06-01"]
    )
    assert "sanctionscope coverage --imposer AU" in run.output


# -- the CLI --------------------------------------------------------------------------------
def test_cli_act_on_a_day(real: Catalog) -> None:
    run = CliRunner().invoke(cli, ["act", "RU-GOV-778-2014", "--on", "2016-12-01", "--json"])
    assert run.exit_code == 0, run.output
    doc = json.loads(run.output)
    assert doc["measures"][0]["line_count"] == 59 and len(doc["in_force_on"][0]["lines"]) == 53
    text = CliRunner().invoke(cli, ["act", "RU-GOV-830-2014", "--on", "2014-08-20"], env={"COLUMNS": "250"})
    assert text.exit_code == 0
    assert (
        "adds exception RU-830-X-SEED-POTATO (seed potatoes, code 0701 10 000 0) to line 0701" in text.output
    )
    assert "RU-FOOD-IMPORT-BAN on 2014-08-20: in force" in text.output
    bad = CliRunner().invoke(cli, ["act", "RU-GOV-778-2014", "--on", "2014-02-30"])
    assert bad.exit_code == 2 and "February 2014 has 28 days" in bad.output


# -- messages -------------------------------------------------------------------------------
def test_code_length_messages_are_grammatical_and_helpful() -> None:
    with pytest.raises(InputError) as one:
        normalise_code("0")
    assert "has only 1 digit;" in one.value.reason and "a heading (0808)" in one.value.reason
    with pytest.raises(InputError) as long:
        normalise_code("123456789012")
    assert long.value.reason.startswith("has 12 digits; a code has at most 10")


def test_a_well_formed_day_that_does_not_exist_is_named_so() -> None:
    with pytest.raises(InputError) as feb:
        need_day("2014-02-30", "date")
    assert feb.value.reason == "is not a day of the calendar: February 2014 has 28 days"
    with pytest.raises(InputError) as month:
        need_day("2014-13-01", "date")
    assert "no month 13" in month.value.reason
    with pytest.raises(InputError, match="write YYYY-MM-DD"):
        need_day("10/08/2014", "date")


def test_api_says_which_day_does_not_exist(client: TestClient) -> None:
    r = client.get(
        "/v1/check", params={"origin": "PL", "destination": "RU", "hs": "0808", "date": "2014-02-30"}
    )
    assert r.status_code == 400 and "February 2014 has 28 days" in r.json()["detail"]


def test_business_form_shows_every_field_error_at_once(client: TestClient) -> None:
    r = client.get("/business", params={"origin": "XX", "destination": "RU", "hs": "0", "date": "2014-02-30"})
    assert r.status_code == 400
    html = r.text
    for field in ("origin", "hs", "date"):
        assert f'id="{field}-error"' in html
    assert "3 fields need fixing" in html and "has only 1 digit" in html
    assert "February 2014 has 28 days" in html


def test_picker_ranks_whole_words_before_parts_of_words(client: TestClient) -> None:
    items = client.get("/v1/nomenclature", params={"q": "apples"}).json()["items"]
    codes = [i["code"] for i in items]
    assert codes[0] == "0808" and codes.index("080810") < codes.index("0804")  # before pineapples


def test_poll_says_no_votes_yet_then_marks_the_choice(real: Catalog, tmp_path: Path) -> None:
    fresh = TestClient(create_app(real, tmp_path / "state"))
    home = fresh.get("/").text  # the voter id: a signed cookie
    assert "No votes yet" in home and "0%" not in home
    assert fresh.post("/v1/poll", params={"choice": "partly"}).json()["counted"] is True
    home = fresh.get("/").text
    assert "(1 vote)" in home and "1 vote;" in home and "1 votes" not in home
    mine = home.split('class="poll-mine"', 1)[1].split("</li>", 1)[0]
    assert "(your vote)" in mine and "with products or countries carved out" in mine.lower()


# -- serve ----------------------------------------------------------------------------------
def test_serve_on_a_busy_port_fails_at_once_with_exit_2(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [EXE, "serve", "--port", str(port), "--state-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert "serving on" not in done.stdout
    assert f"error: port: {port} is in use on 127.0.0.1" in done.stderr and "--port" in done.stderr


def test_makefile_takes_a_port() -> None:
    makefile = (Path(__file__).parents[1] / "Makefile").read_text()
    assert "PORT ?= 8000" in makefile and "--port $(PORT)" in makefile


def test_legal_chain_says_which_line_each_act_amended_and_how(client: TestClient) -> None:
    params = {"origin": "DE", "destination": "RU", "hs": "0401 20", "date": "2015-07-01"}
    (measure,) = client.get("/v1/check", params=params).json()["measures"]
    amended = [link for link in measure["chain"] if link["role"] == "line amended"]
    assert [link["act"] for link in amended] == ["RU-GOV-830-2014", "RU-GOV-625-2015"]
    assert amended[0]["text"].startswith("adds exception RU-830-X-LACTOSE-FREE (lactose-free milk")
    assert amended[0]["text"].endswith("to line 0401")
    assert amended[1]["text"].startswith("removes exception RU-830-X-LACTOSE-FREE")
    assert "adds exception RU-625-X-LACTOSE-FREE-DIETARY" in amended[1]["text"]
    roles = [link["role"] for link in measure["chain"]]
    assert "term set" not in roles and "end date set" in roles
    html = client.get("/business", params=params).text
    assert (
        "adds exception RU-830-X-LACTOSE-FREE (lactose-free milk and lactose-free dairy products) "
        "to line 0401" in html
    )
