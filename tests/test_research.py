"""The sanctions network (hand-checked metrics on a built case and on the seed's day) and
the briefing (HTML and PDF, footnotes citing original titles with translations)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from sanctionscope.engine.catalog import Catalog
from sanctionscope.errors import InputError
from sanctionscope.research import network as net
from sanctionscope.research.brief import brief, write

DAY = date(2014, 8, 10)


def test_metrics_on_a_hand_built_network() -> None:
    g = nx.MultiDiGraph()
    g.add_edge("A", "B", key="sanction")
    g.add_edge("A", "C", key="sanction")
    g.add_edge("B", "A", key="countermeasure")
    g.add_edge("B", "C", key="spared")  # B spares C: not a sanction
    by = {m.jurisdiction: m for m in net.metrics(g)}
    assert (by["A"].imposes_on, by["A"].targeted_by, by["A"].reciprocity) == (2, 1, 0.5)
    assert (by["B"].imposes_on, by["B"].targeted_by, by["B"].reciprocity) == (1, 1, 1.0)
    assert by["B"].spared_partners == ["C"] and by["C"].reciprocity is None


def test_network_on_the_seed_day(real: Catalog) -> None:
    g = net.build(real.index(date(2026, 11, 30)), DAY)
    by = {m.jurisdiction: m for m in net.metrics(g)}
    assert by["RU"].spared_partners == ["CH", "IS", "JP", "LI", "NZ"]
    assert by["RU"].reciprocity == 1.0  # everyone Russia answered sanctions it
    counter = [d for _, _, k, d in g.edges(keys=True, data=True) if k == "countermeasure"]
    assert counter and all(d["in_response_to"] and d["answers"] for d in counter)
    assert g.has_edge("RU", "JP", key="spared") and not g.has_edge("RU", "JP", key="countermeasure")


@pytest.mark.parametrize("suffix", ["graphml", "json", "png", "svg"])
def test_network_files(real: Catalog, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"net.{suffix}"
    graph = net.build(real.index(date(2026, 11, 30)), DAY)
    net.write(graph, path)
    data = path.read_bytes()
    if suffix == "graphml":
        assert nx.read_graphml(path).number_of_nodes() == graph.number_of_nodes()
    elif suffix == "json":
        assert {"nodes", "edges", "metrics"} <= set(json.loads(data))
    elif suffix == "svg":
        assert ET.fromstring(data).tag.endswith("svg")
        assert b"spares" in data and b"Source: sanctionscope" in data
    else:
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InputError):
        net.write(graph, tmp_path / "net.txt")


def test_brief_answers_and_cites_in_both_languages(real: Catalog, tmp_path: Path) -> None:
    b = brief(real, "RU", "JP", date(2014, 8, 7), date(2026, 11, 30))
    html = b.html
    assert "it is <em>spared</em>" in html  # Russia's food ban leaves Japan out
    assert 'class="verdict ALLOWED"' in html
    notes = re.findall(r'<li id="fn-(\d+)">', html)
    assert notes == [str(i) for i in range(1, len(notes) + 1)] and len(notes) >= 4
    assert set(re.findall(r'href="#fn-(\d+)"', html)) == set(notes)  # all cited, all resolve
    assert 'lang="ja"' in html or 'lang="ru"' in html
    assert "[English:" in html and "<svg" in html
    write(b, tmp_path / "b.html")
    write(b, tmp_path / "b.pdf")
    assert (tmp_path / "b.pdf").read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / "b.html").read_text() == html
    with pytest.raises(InputError):
        write(b, tmp_path / "b.docx")


@pytest.mark.parametrize(("b", "story"), [("JP", "Japan"), ("NO", "Salmon"), ("PL", "Apples")])
def test_trade_stories_are_told_with_their_sources(real: Catalog, b: str, story: str) -> None:
    html = brief(real, "RU", b, date(2014, 8, 10), date(2026, 11, 30)).html
    assert "What happened to trade" in html and story in html
    assert set(re.findall(r'href="#fn-(\d+)"', html)) == set(re.findall(r'<li id="fn-(\d+)">', html))


def test_students_page_shows_the_story_of_the_pair(real: Catalog, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from sanctionscope.web.app import create_app

    with TestClient(create_app(real, tmp_path)) as client:
        html = client.get("/students", params={"a": "RU", "b": "PL"}).text
    assert "Apples" in html and "+107%" in html  # Belarus fruit, Aug-Jul 2013/14 vs 2014/15
    cited = set(re.findall(r'href="#fn-(\d+)"', html))
    assert cited and cited <= set(re.findall(r'<li id="fn-(\d+)">', html))
