"""Act pages, the act index, the HTML 404 page and the coverage page in a real browser
(Debian's Chromium through Playwright, network cut; fixtures in tests/browser/conftest.py).

Screenshots of each page at 1366 and 375 px go to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import shot

AXE = Path(__file__).parents[1] / "assets" / "axe.min.js"

#: The pages of this file, with the name of their screenshots.
PAGES = {
    "acts-index": "/acts",
    "acts-search": "/acts?q=%D0%BA%D0%B0%D1%80%D1%82%D0%BE%D1%84%D0%B5%D0%BB%D1%8C",  # картофель
    "act-778": "/acts/RU-GOV-778-2014",
    "act-778-on-2016-12-01": "/acts/RU-GOV-778-2014?on=2016-12-01",
    "act-830": "/acts/RU-GOV-830-2014",
    "coverage-matrix": "/coverage",
    "not-found": "/no/such/page",
}


def _ids(p: object, selector: str, attribute: str) -> list[str]:
    return p.eval_on_selector_all(selector, f"els => els.map(e => e.getAttribute('{attribute}'))")  # type: ignore[attr-defined, no-any-return]


def test_act_page_lists_lines_exceptions_and_amending_acts(page: object) -> None:
    p = page
    p.goto("/acts/RU-GOV-778-2014")  # type: ignore[attr-defined]
    lines = p.locator("table.lines tr.line")  # type: ignore[attr-defined]
    assert lines.count() == 59
    assert lines.first.locator("td").nth(1).get_attribute("lang") == "ru"
    assert "Meat of bovine animals" in lines.first.inner_text()
    later = p.locator(".related-later").inner_text()  # type: ignore[attr-defined]
    assert "Amended by" in later and "RU-GOV-830-2014" in later and "RU-GOV-897-2016" in later
    assert "Prolonged by" in later and "RU-PRES-320-2015" in later
    assert p.locator(".exceptions li#exc-RU-830-X-SEED-POTATO").count() == 1  # type: ignore[attr-defined]
    # the acts that amended it lead to their pages, which say what they changed, in words
    p.click(".related-later a[href='/acts/RU-GOV-830-2014']")  # type: ignore[attr-defined]
    p.wait_for_url("**/acts/RU-GOV-830-2014")  # type: ignore[attr-defined]
    changes = p.locator("ol.changes > li.change")  # type: ignore[attr-defined]
    assert changes.count() == 7
    texts = [changes.nth(i).locator(".change-text").inner_text() for i in range(7)]
    assert len(set(texts)) == 7 and not any("add_exceptions" in t for t in texts)
    assert any("RU-830-X-SEED-POTATO (seed potatoes, code 0701 10 000 0) to line 0701" in t for t in texts)
    assert p.locator("ol.changes [lang=ru]").first.inner_text() == "семенной картофель"  # type: ignore[attr-defined]


def test_act_page_shows_the_list_in_force_on_a_chosen_day(page: object) -> None:
    p = page
    p.goto("/acts/RU-GOV-778-2014")  # type: ignore[attr-defined]
    assert p.locator("table.lines-in-force").count() == 0  # type: ignore[attr-defined]
    p.fill("#on", "2016-12-01")  # type: ignore[attr-defined]
    p.click("#in-force ~ form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_url("**on=2016-12-01**")  # type: ignore[attr-defined]
    in_force = p.locator("table.lines-in-force tr.line")  # type: ignore[attr-defined]
    assert in_force.count() == 53  # the 52 lines of Res. 778 and salt (Res. 897, from 1 Nov 2016)
    assert "2501 00" in p.locator("table.lines-in-force").inner_text()  # type: ignore[attr-defined]
    heading = p.locator(".in-force h3").first.inner_text()  # type: ignore[attr-defined]
    assert "on 2016-12-01: in force" in heading
    listed = p.locator(".exceptions-in-force").inner_text()  # type: ignore[attr-defined]
    assert "RU-830-X-SEED-POTATO" in listed and "RU-830-X-LACTOSE-FREE:" not in listed  # removed 2015
    p.goto("/acts/RU-GOV-778-2014?on=2014-08-10")  # type: ignore[attr-defined]
    assert p.locator("table.lines-in-force tr.line").count() == 52  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("field", "value", "expect", "absent"),
    [
        ("#acts-issuer", "JP", "JP-MOFA-20140318-2014", "RU-GOV-778-2014"),
        ("#acts-year", "2016", "RU-GOV-897-2016", "RU-GOV-778-2014"),
        ("#acts-type", "arms_embargo", "EU-DEC-2014-512", "RU-GOV-778-2014"),
        ("#acts-target", "PL", "RU-GOV-778-2014", "JP-MOFA-20140318-2014"),
    ],
)
def test_act_index_filters(page: object, field: str, value: str, expect: str, absent: str) -> None:
    p = page
    p.goto("/acts")  # type: ignore[attr-defined]
    everything = p.locator("li.act-item").count()  # type: ignore[attr-defined]
    p.select_option(field, value)  # type: ignore[attr-defined]
    p.click("form.filters button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_url(f"**{field.removeprefix('#acts-')}={value}**")  # type: ignore[attr-defined]
    shown = _ids(p, "li.act-item", "data-act")
    assert expect in shown and absent not in shown and 0 < len(shown) < everything


def test_act_index_searches_in_english_and_in_the_original_language(page: object) -> None:
    p = page
    p.goto("/acts")  # type: ignore[attr-defined]
    p.fill("#acts-q", "salt")  # type: ignore[attr-defined]
    p.press("#acts-q", "Enter")  # type: ignore[attr-defined]
    p.wait_for_url("**q=salt**")  # type: ignore[attr-defined]
    assert "RU-GOV-897-2016" in _ids(p, "li.act-item", "data-act")
    p.fill("#acts-q", "картофель")  # type: ignore[attr-defined]  # potatoes, in an exception's wording
    p.press("#acts-q", "Enter")  # type: ignore[attr-defined]
    p.wait_for_url("**q=%D0%BA**")  # type: ignore[attr-defined]
    shown = _ids(p, "li.act-item", "data-act")
    assert "RU-GOV-830-2014" in shown and "RU-GOV-778-2014" not in shown
    assert "семенной картофель" in p.locator("li[data-act='RU-GOV-830-2014'] .match").inner_text()  # type: ignore[attr-defined]
    p.fill("#acts-q", "указа Президента")  # type: ignore[attr-defined]  # words of a Russian title
    p.press("#acts-q", "Enter")  # type: ignore[attr-defined]
    p.wait_for_load_state()  # type: ignore[attr-defined]
    assert "RU-GOV-778-2014" in _ids(p, "li.act-item", "data-act")


def test_nav_leads_to_the_html_act_index(page: object) -> None:
    p = page
    p.goto("/")  # type: ignore[attr-defined]
    p.click("header nav a[href='/acts']")  # type: ignore[attr-defined]
    p.wait_for_selector("li.act-item")  # type: ignore[attr-defined]
    assert p.locator("footer a[href='/acts']").count() == 1  # type: ignore[attr-defined]
    assert p.locator("footer a[href='/v1/acts']").count() == 0  # type: ignore[attr-defined]


def test_unknown_url_is_an_html_404_page_in_the_browser(page: object, base_url: str) -> None:
    p = page
    response = p.goto("/no/such/page")  # type: ignore[attr-defined]
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    assert p.locator("h1").inner_text() == "Not found"  # type: ignore[attr-defined]
    p.click("main a[href='/acts']")  # type: ignore[attr-defined]
    p.wait_for_selector("li.act-item")  # type: ignore[attr-defined]
    unknown_act = p.goto("/acts/RU-GOV-778-2041")  # type: ignore[attr-defined]
    assert unknown_act.status == 404
    assert p.locator(".near a[href='/acts/RU-GOV-778-2014']").count() == 1  # type: ignore[attr-defined]
    # programs get problem details from the same URL
    api = p.request.get(base_url + "/no/such/page", headers={"Accept": "application/json"})  # type: ignore[attr-defined]
    assert api.status == 404 and api.headers["content-type"] == "application/problem+json"
    assert api.json()["status"] == 404


def test_coverage_page_shows_the_matrix(page: object) -> None:
    p = page
    p.goto("/coverage")  # type: ignore[attr-defined]
    head = p.locator("table.coverage-matrix thead").inner_text()  # type: ignore[attr-defined]
    assert "Imports into it" in head and "Exports from it" in head
    rows = p.locator("table.coverage-matrix tbody th[scope=row]").all_inner_texts()  # type: ignore[attr-defined]
    assert any("European Union" in r for r in rows) and any("Russian Federation" in r for r in rows)
    eu = p.locator("table.coverage-matrix tbody tr:has(th a[href='#imposer-EU'])").inner_text()  # type: ignore[attr-defined]
    assert "2014-08-01 to 2022-02-22" in eu and "reviewed" in eu
    assert p.locator("#EU-export svg .cov-bar-declared").count() >= 1  # type: ignore[attr-defined]
    assert p.locator(".cov-undeclared").count() >= 1  # type: ignore[attr-defined]  # sides nothing vouches for


def test_not_covered_answer_links_the_coverage_page(page: object) -> None:
    p = page
    # Australian arms to Russia in 2015: Australia's export measures are held, no declaration
    p.goto("/business?origin=AU&destination=RU&hs=9301&date=2015-06-01")  # type: ignore[attr-defined]
    assert p.locator(".answer .verdict").inner_text().split()[0] == "NOT_COVERED"  # type: ignore[attr-defined]
    shot(p, "business-not-covered-links-coverage")
    p.click(".coverage-missing a[href='/coverage#AU-export']")  # type: ignore[attr-defined]
    p.wait_for_url("**/coverage#AU-export")  # type: ignore[attr-defined]
    assert p.locator("#AU-export .declaration.undeclared").is_visible()  # type: ignore[attr-defined]
    assert "No declaration" in p.locator("#AU-export").inner_text()  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [1366, 375])
def test_pages_fit_the_screen_and_are_kept_as_screenshots(browser: object, base_url: str, width: int) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    p = context.new_page()
    try:
        for name, url in PAGES.items():
            p.goto(url)
            assert p.evaluate("document.documentElement.scrollWidth") <= width + 1, (url, width)
            shot(p, f"{name}-{width}")
    finally:
        context.close()


@pytest.mark.parametrize(
    "url",
    ["/acts", "/acts/RU-GOV-778-2014", "/acts/RU-GOV-830-2014?on=2015-01-01", "/coverage", "/no/such/page"],
)
def test_pages_pass_axe(page: object, url: str) -> None:
    """axe-core (WCAG 2 A/AA rules) finds no serious or critical issue."""
    p = page
    p.goto(url)  # type: ignore[attr-defined]
    p.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    p.evaluate(AXE.read_text())  # type: ignore[attr-defined]  # a script tag would be inline: CSP
    found = p.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    assert not found, found
