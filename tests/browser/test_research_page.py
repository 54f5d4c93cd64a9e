"""The research page in a real browser (Debian's Chromium, network cut): one date and one
focus drive every section, the URL is the state, the map opens a country's measures, the
network is laid out to be read, and the page fits a phone.

The pages run under the app's Content-Security-Policy (no inline script, no eval): the
tests wait with selectors, and measure with functions passed to ``evaluate``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import shot

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 740}
#: ISO numeric codes of Western states (the geometry's keys): none sanctions Ukraine.
WEST = {"840": "US", "276": "DE", "250": "FR", "826": "GB", "124": "CA", "036": "AU", "392": "JP",
        "578": "NO", "756": "CH", "616": "PL", "380": "IT", "352": "IS", "554": "NZ"}  # fmt: skip

#: Vertical gaps between the painted things of <main> (text, controls, pictures), in px.
GAPS = """() => {
  const main = document.querySelector('main');
  const boxes = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  const painted = ['svg', 'IMG', 'INPUT', 'BUTTON', 'SELECT', 'TEXTAREA', 'OUTPUT'];
  let n;
  while ((n = walker.nextNode())) {
    let el = null;
    if (n.nodeType === 3) { if (!n.textContent.trim()) continue; el = n.parentElement; }
    else if (painted.includes(n.tagName)) el = n;
    else continue;
    if (el.closest('svg')) el = el.closest('svg');
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    boxes.push([r.top + scrollY, r.bottom + scrollY]);
  }
  boxes.sort((a, b) => a[0] - b[0]);
  const gaps = [];
  let bottom = boxes.length ? boxes[0][1] : 0;
  for (const b of boxes) {
    if (b[0] > bottom) gaps.push(Math.round(b[0] - bottom));
    bottom = Math.max(bottom, b[1]);
  }
  return gaps;
}"""

#: The drawn nodes' bounding box against the network's SVG box (width, height, area shares).
FILL = """() => {
  const svg = document.querySelector('#network svg.network-graph');
  const box = svg.getBoundingClientRect();
  const drawn = svg.querySelector('g.nodes').getBoundingClientRect();
  return [drawn.width / box.width, drawn.height / box.height,
          (drawn.width * drawn.height) / (box.width * box.height)];
}"""


def _open(p: Any, url: str) -> None:
    p.goto(url)
    p.wait_for_selector("#network svg.network-graph g.nodes")
    p.wait_for_selector("#map-status:not(:empty)")
    p.wait_for_selector("#map:not([aria-busy])")


def _move_slider(p: Any, day: str) -> None:
    days = p.eval_on_selector("#map-date", "el => JSON.parse(el.dataset.days)")
    p.eval_on_selector(
        "#map-date",
        f"el => {{ el.value = {days.index(day)}; el.dispatchEvent(new Event('input', {{bubbles: true}})); }}",
    )
    p.wait_for_selector(f"#research-sections[data-on='{day}']:not([aria-busy])")
    p.wait_for_selector("#map:not([aria-busy])")


def _state_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _assert_everything_on(p: Any, day: str, focus: str) -> None:
    for heading in ("#spared-title", "#network-title", "#who-title"):
        assert day in p.inner_text(heading), heading
    assert p.get_attribute("#network", "data-on") == day
    assert day in p.get_attribute("#network svg.network-graph", "aria-label")
    assert day in p.inner_text("#network-status")
    assert day in p.inner_text(".who-box summary")
    links = p.eval_on_selector_all("a.csv-link", "as => as.map(a => a.href)")
    assert len(links) == 3
    for link in links:
        state = _state_of(link)
        assert state["on"] == day and state["focus"] == focus, link
    permalink = p.get_attribute(".share", "data-url")
    assert _state_of(permalink) == {"on": day, "focus": focus}
    assert _state_of(p.get_attribute(".permalink a", "href")) == {"on": day, "focus": focus}
    state = _state_of(p.url)
    assert state["on"] == day and state["focus"] == focus, p.url
    assert p.inner_text("#map-date-label") == day
    assert p.inner_text("#map-status").startswith(day)


def test_the_slider_moves_every_section_and_the_url_is_the_state(page: object) -> None:
    p: Any = page
    p.set_viewport_size(WIDE)
    _open(p, "/research?on=2014-08-10&focus=RU")
    _assert_everything_on(p, "2014-08-10", "RU")
    _move_slider(p, "2015-09-01")
    _assert_everything_on(p, "2015-09-01", "RU")
    # the map and the text agree about Japan on that day
    japan = p.get_attribute("#map path[data-numeric='392']", "class")
    row = p.locator("table.spared tr", has_text="Japan (JP)").inner_text()
    assert ("status-spared" in japan) == row.rstrip().endswith("yes"), (japan, row)
    _move_slider(p, "2022-06-01")
    _assert_everything_on(p, "2022-06-01", "RU")
    # a reload of the permalink renders the same state (server side, then the map)
    permalink = p.get_attribute(".share", "data-url")
    _open(p, permalink)
    _assert_everything_on(p, "2022-06-01", "RU")


def test_changing_the_focus_moves_every_section(page: object) -> None:
    p: Any = page
    _open(p, "/research?on=2014-08-10&focus=RU")
    p.fill("#map-focus", "Ukraine")
    p.press("#map-focus", "Enter")
    p.wait_for_selector("#research-sections[data-focus='UA']:not([aria-busy])")
    assert "Ukraine" in p.inner_text("#spared-title")
    assert _state_of(p.url) == {"on": "2014-08-10", "focus": "UA"}
    assert p.get_attribute("#network", "data-focus") == "UA"


def test_an_unknown_focus_is_shown_as_typed_and_leaves_no_old_colours(page: object) -> None:
    p: Any = page
    _open(p, "/research?on=2014-08-10&focus=RU")
    p.fill("#map-focus", "atlantis")
    p.press("#map-focus", "Enter")
    p.wait_for_selector("#map-error:not([hidden])")
    assert "“atlantis”" in p.inner_text("#map-error") or "atlantis" in p.inner_text("#map-error")
    assert "ATLANTIS" not in p.inner_text("#map-error")
    p.wait_for_selector("#map path.status-countersanctioned", state="detached")
    assert p.locator("#map path.status-focus").count() == 0
    p.wait_for_selector("#research-sections", state="hidden")  # no section keeps the old focus


def test_the_slider_shows_its_range_and_marks_the_days_that_changed(page: object) -> None:
    p: Any = page
    _open(p, "/research?on=2014-08-10&focus=RU")
    days = p.eval_on_selector("#map-date", "el => JSON.parse(el.dataset.days)")
    ticks = p.eval_on_selector("#map-date", "el => JSON.parse(el.dataset.ticks)")
    assert len(ticks) >= 10 and p.locator("svg.slider-ticks rect").count() == len(ticks)
    assert days.index("2014-08-07") in ticks  # Russia's food ban entered into force
    ends = p.inner_text("#map-date-range")
    assert days[0] in ends and days[-1] in ends
    p.click("#map-next")
    p.wait_for_selector("#research-sections:not([data-on='2014-08-10']):not([aria-busy])")
    moved = p.inner_text("#map-date-label")
    assert moved > "2014-08-10" and days.index(moved) in ticks
    assert p.get_attribute("#research-sections", "data-on") == moved


def test_a_click_on_the_map_opens_the_countrys_measures_both_ways(page: object) -> None:
    p: Any = page
    p.set_viewport_size(WIDE)
    _open(p, "/research?on=2014-08-10&focus=RU")
    p.click("#map path[data-numeric='840']")  # the United States
    p.wait_for_selector("#country-panel:not([hidden]) #country-title")
    panel = p.inner_text("#country-panel")
    assert "United States" in panel and "2014-08-10" in panel
    assert "Measures it imposes" in panel and "Measures on it" in panel
    imposed = p.locator("#country-panel h3:has-text('Measures it imposes') + ul li").count()
    received = p.locator("#country-panel h3:has-text('Measures on it') + ul li").count()
    assert imposed >= 3 and received >= 1  # its sanctions on Russia; Russia's food ban on it
    assert "Ban on imports" in panel
    assert _state_of(p.url)["country"] == "US"
    p.reload()  # the panel is part of the state: rendered by the server
    p.wait_for_selector("#country-panel:not([hidden]) #country-title")
    assert "United States" in p.inner_text("#country-title")


def test_a_small_state_is_reachable_on_the_map_and_in_the_table(page: object) -> None:
    p: Any = page
    p.set_viewport_size(WIDE)
    _open(p, "/research?on=2022-06-01&focus=RU")
    p.click("#map circle.small-state[data-id='LI']")  # Liechtenstein: no shape at 1:110m
    p.wait_for_selector("#country-panel:not([hidden]) #country-title:has-text('Liechtenstein')")
    assert "RU-FOOD-IMPORT-BAN" in p.inner_html("#country-panel") or "Ban on imports" in p.inner_text(
        "#country-panel"
    )
    p.click("#country-close")
    p.wait_for_selector("#country-panel", state="hidden")
    # the map's table lists each country once, and reaches the same panel
    names = p.eval_on_selector_all("#map-table tbody a.country-link", "as => as.map(a => a.dataset.country)")
    assert names and len(names) == len(set(names))
    p.click("#map-table-box summary")
    p.click("#map-table a.country-link[data-country='LI']")
    p.wait_for_selector("#country-panel:not([hidden]) #country-title:has-text('Liechtenstein')")
    # and by keyboard, from the list of small states, one with no measure either way too
    p.focus(".small-states a.country-link[data-country='MC']")
    p.keyboard.press("Enter")
    p.wait_for_selector("#country-panel:not([hidden]) #country-title:has-text('Monaco')")


@pytest.mark.parametrize("day", ["2014-08-10", "2022-06-01"])
def test_focus_ukraine_colours_no_western_state_as_sanctioning_it(page: object, day: str) -> None:
    p: Any = page
    _open(p, f"/research?on={day}&focus=UA")
    p.wait_for_selector("#map path.status-focus")
    # Switzerland's ordinance of 4 Mar 2022 (SR 946.231.176.72) bans arms exports to Russia
    # *and* Ukraine: a measure on the state itself, so it is shown as one from that day
    west = {n: c for n, c in WEST.items() if not (c == "CH" and day >= "2022-03-04")}
    for numeric, country in west.items():
        cls = p.get_attribute(f"#map path[data-numeric='{numeric}']", "class") or ""
        for status in ("status-sanctioning", "status-countersanctioned", "status-spared"):
            assert status not in cls, (country, cls)
    assert p.locator("#map path.status-persons").count() >= 20  # shown apart
    left = p.eval_on_selector_all(
        "#network g.partner circle.status-sanctioning, #network g.partner circle.status-countersanctioned",
        "cs => cs.map(c => c.parentNode.dataset.id)",
    )
    assert not set(left) & set(west.values()) | {"EU"} & set(left), left
    assert "persons or entities" in p.inner_text("#network")


@pytest.mark.parametrize("day", ["2014-08-10", "2022-06-01"])
def test_the_network_fills_its_box_and_names_its_nodes(page: object, day: str) -> None:
    p: Any = page
    p.set_viewport_size(WIDE)
    _open(p, f"/research?on={day}&focus=RU")
    width, height, area = p.evaluate(FILL)
    assert width >= 0.6 and height >= 0.6 and area >= 0.6, (width, height, area)
    labels = p.eval_on_selector_all("#network g.partner text", "ts => ts.map(t => t.textContent)")
    assert "Japan" in labels or any(x.startswith("European Union") for x in labels)
    titles = p.locator("#network g.partner title").count()
    assert titles == p.locator("#network g.partner").count() > 0  # a tooltip on every node
    assert p.locator("#network path.focus-edge title").count() >= 5  # measures by type on hover
    # erga omnes and list targets are one node each, never an edge per member
    groups = p.eval_on_selector_all("#network g.partner.node-group", "gs => gs.map(g => g.dataset.id)")
    assert len(groups) == len(set(groups)) <= 3
    assert p.locator("#network path.focus-edge").count() <= 60
    shot(p, f"research-{day}-1366")
    p.set_viewport_size(PHONE)
    p.wait_for_timeout(200)
    shot(p, f"research-{day}-375")


@pytest.mark.parametrize("day", ["2014-08-10", "2022-06-01"])
def test_research_fits_a_phone_without_blank_gaps(page: object, day: str) -> None:
    p: Any = page
    p.set_viewport_size(PHONE)
    _open(p, f"/research?on={day}&focus=RU")
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    gaps = p.evaluate(GAPS)
    assert max(gaps, default=0) <= 120, gaps


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["1366", "375"])
def test_students_page_screens(page: object, size: dict[str, int]) -> None:
    p: Any = page
    p.set_viewport_size(size)
    p.goto("/students?a=RU&b=JP")
    p.wait_for_selector("#support-title")
    assert p.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert "Miyagi" in p.inner_text(".timeline-support")
    assert "Miyagi" not in p.inner_text("ol.timeline >> nth=0")
    shot(p, f"students-ru-jp-{size['width']}")


AXE = Path(__file__).parents[1] / "assets" / "axe.min.js"


@pytest.mark.parametrize(
    "url",
    [
        "/research?on=2014-08-10&focus=RU&country=US",
        "/research?on=2022-06-01&focus=UA",
        "/research?on=2022-06-01&focus=RU&country=LI",
        "/students?a=RU&b=JP",
    ],
)
def test_research_and_students_pass_axe(page: object, url: str) -> None:
    p: Any = page
    p.set_viewport_size(WIDE)
    p.goto(url)
    p.wait_for_load_state("networkidle")
    p.evaluate(AXE.read_text())  # a script tag would be inline: CSP
    found = p.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    assert not found, found
