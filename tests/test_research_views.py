"""The research views without a browser: the CSV downloads are flat and typed, the network
is grouped by status around the focus (design.md, Relations, "Views"), support measures
stay apart from sanctions, and the briefing's small print holds."""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sanctionscope.engine import documents
from sanctionscope.engine.catalog import Catalog
from sanctionscope.research.brief import brief
from sanctionscope.research.network import GROUPS, focus_view
from sanctionscope.web.app import create_app
from sanctionscope.web.research_pages import CSV_COLUMNS, csv_rows

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

KNOWN = date(2026, 11, 30)
SEED = date(2014, 8, 10)
LATER = date(2022, 6, 1)
#: States whose measures on Ukraine's side aim at persons undermining Ukraine, never at Ukraine.
WEST = {"EU", "US", "GB", "CA", "AU", "JP", "NO", "CH", "IS", "NZ", "DE", "FR", "PL", "IT"}
#: What a cell must never hold: Python's text for a dict, a list, a tuple or None.
REPR = re.compile(r"^[\[{(]|^None$|': '|^True$|^False$")


@pytest.fixture(scope="module")
def client(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(real, tmp_path_factory.mktemp("state"))) as found:
        yield found


# -- CSV: flat, typed, documented ----------------------------------------------------------


@pytest.mark.parametrize("table", sorted(CSV_COLUMNS))
@pytest.mark.parametrize(("focus", "day"), [("RU", SEED), ("UA", LATER), ("RU", LATER)])
def test_research_csv_rows_are_flat_and_typed(real: Catalog, table: str, focus: str, day: date) -> None:
    rows = csv_rows(real.index(KNOWN), table, focus, day)
    assert rows, table
    for row in rows:
        assert list(row) == CSV_COLUMNS[table]
        for column, cell in row.items():
            assert isinstance(cell, str), (column, cell)
            assert not REPR.search(cell), (table, column, cell)
        assert row["on"] == day.isoformat()
        for flag in ("countermeasure", "on_state", "spared"):
            if flag in row:
                assert row[flag] in ("true", "false")
        if row.get("numeric"):
            assert re.fullmatch(r"\d{3}", row["numeric"])
        for ids in ("measures", "hit_by", "acts"):
            if row.get(ids):
                assert all(re.fullmatch(r"[A-Z0-9][A-Z0-9._-]*", x) for x in row[ids].split(";")), row[ids]


@pytest.mark.parametrize("table", sorted(CSV_COLUMNS))
def test_research_csv_download_parses_and_is_documented(client: TestClient, table: str) -> None:
    r = client.get(f"/research/{table}.csv", params={"on": "2014-08-10", "focus": "RU"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    parsed = list(csv.reader(io.StringIO(r.text)))
    assert parsed[0] == CSV_COLUMNS[table]  # the header is the first row: no comment rows
    assert all(len(row) == len(parsed[0]) for row in parsed)
    assert not any(REPR.search(cell) for row in parsed[1:] for cell in row)
    doc = (Path(__file__).parents[1] / "docs" / "exports.md").read_text()
    section = doc[doc.index("## Research page CSV") :]
    for column in CSV_COLUMNS[table]:
        assert f"`{column}`" in section, column


def test_spared_csv_keeps_the_seed_answer(client: TestClient) -> None:
    text = client.get("/research/spared.csv", params={"on": "2014-08-10", "focus": "RU"}).text
    rows = {r["jurisdiction"]: r for r in csv.DictReader(io.StringIO(text))}
    assert {j for j, r in rows.items() if r["spared"] == "true"} == {"CH", "IS", "JP", "LI", "NZ"}
    assert rows["JP"]["on_state"] == "true" and rows["NZ"]["on_state"] == "false"
    assert rows["EU"]["hit_by"] == "RU-FOOD-IMPORT-BAN"


def test_unknown_research_table_is_404(client: TestClient) -> None:
    assert client.get("/research/nope.csv").status_code == 404


# -- the network, grouped by status ------------------------------------------------------


def _groups(view: dict[str, object]) -> dict[str, set[str]]:
    return {g["id"]: set(g["nodes"]) for g in view["groups"]}  # type: ignore[attr-defined]


def test_network_groups_the_seed_day_around_russia(real: Catalog) -> None:
    view = focus_view(real.index(KNOWN), "RU", SEED)
    groups = _groups(view)
    assert view["focus"]["id"] == "RU"  # type: ignore[index]
    assert groups["spared"] == {"JP"}  # Japan: measures on the state, left out of the food ban
    assert {"EU", "US", "CA"} <= groups["countersanctioned"]
    assert {"CH", "IS", "NZ"} <= groups["persons"]  # persons only: shown apart
    placed = [n for g in groups.values() for n in g]
    assert len(placed) == len(set(placed))  # every partner in one group
    assert set(groups) <= set(GROUPS)
    for n in view["nodes"]:  # type: ignore[attr-defined]
        assert n["name"] and n["title"], n  # names and tooltips, not codes only
    spared = {e["source"] for e in view["edges"] if e["spared"]}  # type: ignore[attr-defined]
    assert spared == {"CH", "IS", "JP", "LI", "NZ"}  # as spared() says
    # the relations without Russia are drawn apart, once
    other = view["other"]  # type: ignore[index]
    assert ("EU", "CRIMEA") in {(e["source"], e["target"]) for e in other["edges"]}
    assert not any("RU" in (e["source"], e["target"]) for e in other["edges"])


def test_network_for_ukraine_shows_no_western_state_sanctioning_it(real: Catalog) -> None:
    for day in (SEED, LATER):
        groups = _groups(focus_view(real.index(KNOWN), "UA", day))
        on_the_state = groups.get("sanctioning", set()) | groups.get("countersanctioned", set())
        assert not on_the_state & WEST, (day, on_the_state)
        assert {"EU", "US"} <= groups["persons"]


def test_targets_addressed_to_all_or_to_a_list_are_one_node(real: Catalog) -> None:
    """design.md, "Erga omnes" and lists made by acts: one node, one edge from the imposer,
    never an edge to every member."""
    from sanctionscope.engine.relations import who

    index = real.index(KNOWN)
    jur = index.dataset.jurisdictions
    for focus, day in (("RU", LATER), ("CN", date(2025, 1, 1)), ("RU", date(2025, 1, 1))):
        view = focus_view(index, focus, day)
        ids = [n["id"] for n in view["nodes"]]  # type: ignore[attr-defined]
        assert len(ids) == len(set(ids))
        out = [(e["source"], e["target"]) for e in view["edges"] if e["source"] == focus]  # type: ignore[attr-defined]
        written = [(r.imposer, r.target) for r in who(index, day) if r.imposer == focus]
        assert sorted(out) == sorted(written)  # targets as the acts write them, each once
        for n in view["nodes"]:  # type: ignore[attr-defined]
            if n["id"] == "ALL" or (n["id"] in jur.blocs and jur.blocs[n["id"]].kind == "list"):
                assert n["kind"] == "group" and n["group"] == "group", n
    cn = focus_view(index, "CN", date(2025, 1, 1))
    assert "ALL" in {n["id"] for n in cn["nodes"] if n["kind"] == "group"}  # type: ignore[attr-defined]
    if "RU_UNFRIENDLY" in jur.blocs:  # Russia's 2022 list: one node however many members
        ru = focus_view(index, "RU", LATER)
        (unfriendly,) = [n for n in ru["nodes"] if n["id"] == "RU_UNFRIENDLY"]  # type: ignore[attr-defined]
        assert unfriendly["members"] >= 40
        assert len(ru["nodes"]) < unfriendly["members"]  # type: ignore[arg-type]


# -- the map's semantics -----------------------------------------------------------------


def test_map_calls_nobody_in_the_west_a_sanctioner_of_ukraine(real: Catalog) -> None:
    for day in (SEED, LATER):
        doc = documents.map_doc(real.index(KNOWN), "UA", day)
        status = {c["id"]: c["status"] for c in doc["countries"]}
        # Switzerland's ordinance of 4 Mar 2022 (SR 946.231.176.72) bans arms exports to Russia
        # *and* Ukraine: a measure on the state, so from that day the map shows it as such
        exempt = {"EU"} | ({"CH"} if day >= date(2022, 3, 4) else set())
        for c in WEST - exempt:
            assert status[c] not in ("sanctioning", "countersanctioned", "spared"), (day, c, status[c])
        assert status["US"] == "persons" and status["DE"] == "persons"
        assert len(doc["countries"]) == len({c["id"] for c in doc["countries"]})  # each once
    later = {c["id"]: c["status"] for c in documents.map_doc(real.index(KNOWN), "UA", LATER)["countries"]}
    assert later["RU"] in ("sanctioning", "countersanctioned")  # Russia's food ban names Ukraine itself


def test_support_measures_are_not_sanctions_in_the_timeline(real: Catalog, client: TestClient) -> None:
    acts = documents.timeline_doc(real.index(KNOWN), "RU", "JP")["acts"]
    support = [e for e in acts if e["kind"] == "support"]
    assert support and all(e["issuer"] == "JP-04" for e in support)  # Miyagi's plan
    html = client.get("/students", params={"a": "RU", "b": "JP"}).text
    head, apart = html.split('id="support-title"', 1)
    assert "Miyagi" not in head.split("</h1>", 1)[1] and "Miyagi" in apart
    assert "table row" not in html  # the trade figures name their table


def test_brief_keeps_support_apart_and_separates_its_footnote_markers(real: Catalog) -> None:
    html = brief(real, "RU", "JP", date(2014, 8, 7), KNOWN).html
    table = html[html.index("<h2>Timeline</h2>") : html.index("</table>", html.index("<h2>Timeline</h2>"))]
    assert "Miyagi" not in table
    assert "Support measures (not sanctions)" in html and "support, not a sanction" in html
    assert not re.search(r"</sup><sup>", html.replace("</a></sup><sup><a", "|"))
    assert re.search(r"\[\d+\]</a></sup><sup><a[^>]*>\[\d+\]", html)  # [8][9][10], not 8910
    assert "not on 2014-08-07, this briefing's date" in html  # the trade text's own day said
    code = re.search(r"\(code (\d+)\) from Japan on 2014-08-07", html)
    assert code, "a sample shipment"
    ban = real.index(KNOWN).measures["RU-FOOD-IMPORT-BAN"]
    listed = {line.code for line in ban.lines_on(date(2014, 8, 7))}
    assert code.group(1) in listed  # listed on the sample's own day
