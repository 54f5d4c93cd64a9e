"""The three doors in a real browser (Debian's Chromium through Playwright), network cut.

The pages run under the app's Content-Security-Policy (no inline script, no eval), so the
tests wait with selectors rather than with JavaScript strings the page would have to eval.

Every request to anything but the app's own address is aborted and recorded; a page
that needed a CDN would fail here. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import shot


def test_home_shows_three_doors_and_the_question_of_the_day(page: object) -> None:
    p = page
    p.goto("/")  # type: ignore[attr-defined]
    doors = p.locator(".door h2")  # type: ignore[attr-defined]
    assert doors.count() == 3
    verdicts = {"BANNED", "LICENCE_REQUIRED", "UNDETERMINED", "NOT_COVERED", "ALLOWED"}
    assert p.locator(".qotd .verdict").inner_text().split()[0] in verdicts  # type: ignore[attr-defined]
    shot(p, "home")


def test_checker_gives_the_verdict_and_attesting_re_asks(page: object) -> None:
    p = page
    p.goto("/business")  # type: ignore[attr-defined]
    p.fill("#origin", "DE")  # type: ignore[attr-defined]
    p.fill("#destination", "RU")  # type: ignore[attr-defined]
    p.fill("#hs", "0401 20")  # type: ignore[attr-defined]
    p.fill("#date", "2015-07-01")  # type: ignore[attr-defined]
    p.click("form.checker button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_selector(".answer .verdict")  # type: ignore[attr-defined]
    assert "BANNED" in p.inner_text(".answer .verdict")  # type: ignore[attr-defined]
    assert p.locator(".footnotes li").count() >= 1  # type: ignore[attr-defined]
    assert "date=2015-07-01" in p.url  # type: ignore[attr-defined]  # the permalink
    shot(p, "business-banned")
    p.check("input[name=attest][value=RU-625-X-LACTOSE-FREE-DIETARY]")  # type: ignore[attr-defined]
    p.wait_for_url("**attest=RU-625-X-LACTOSE-FREE-DIETARY**")  # type: ignore[attr-defined]
    assert "ALLOWED" in p.inner_text(".answer .verdict")  # type: ignore[attr-defined]
    shot(p, "business-attested")


def test_nomenclature_picker_suggests_codes(page: object) -> None:
    p = page
    p.goto("/business")  # type: ignore[attr-defined]
    p.fill("#hs", "apples")  # type: ignore[attr-defined]
    p.wait_for_selector("#hs-options option", state="attached")  # type: ignore[attr-defined]
    values = p.eval_on_selector_all("#hs-options option", "os => os.map(o => o.value)")  # type: ignore[attr-defined]
    assert "080810" in values


def test_batch_upload_shows_progress_and_a_download(page: object, tmp_path: Path) -> None:
    src = tmp_path / "shipments.csv"
    src.write_text(
        "origin,destination,hs_code,date\nPL,RU,0808 10,2014-08-10\nXX,RU,0808,2014-08-10\n"
        "DE,RU,901890,2026-06-01\nDE,RU,73041100,2015-06-01\n"
    )
    p = page
    p.goto("/business")  # type: ignore[attr-defined]
    p.set_input_files("#screen-file", str(src))  # type: ignore[attr-defined]
    p.click("#screen-form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_selector("#screen-download:not([hidden])")  # type: ignore[attr-defined]
    assert "4 rows read = 3 answered + 1 rejected" in p.inner_text("#screen-status")  # type: ignore[attr-defined]
    counts = p.eval_on_selector_all(  # type: ignore[attr-defined]
        "#screen-verdicts li",
        "els => els.map(e => [e.dataset.verdict, e.querySelector('.count').textContent])",
    )
    # each verdict counted apart, in its own colour: NOT_COVERED is never added to ALLOWED
    assert counts == [
        ["BANNED", "1"],
        ["LICENCE_REQUIRED", "1"],
        ["UNDETERMINED", "0"],
        ["NOT_COVERED", "1"],
        ["ALLOWED", "0"],
    ]
    colours = p.eval_on_selector_all(  # type: ignore[attr-defined]
        "#screen-verdicts .verdict", "els => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    assert len(set(colours)) == 5, colours
    shot(p, "business-upload")


#: The ALLOWED badge's background (site.css --allowed, #1e6b34).
ALLOWED_COLOUR = "rgb(30, 107, 52)"


def test_not_covered_answer_is_not_shown_as_allowed_and_names_the_missing_side(page: object) -> None:
    p = page
    p.goto("/business?origin=DE&destination=RU&hs=9018+90&date=2026-06-01")  # type: ignore[attr-defined]
    badge = p.locator(".answer .verdict")  # type: ignore[attr-defined]
    assert badge.inner_text().split()[0] == "NOT_COVERED"
    style = badge.evaluate(
        "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color, s.borderStyle]; }"
    )
    assert ALLOWED_COLOUR not in style[:2] and style[2] == "dashed", style
    missing = p.locator(".coverage-missing")  # type: ignore[attr-defined]
    assert missing.is_visible()
    text = missing.inner_text()
    assert "European Union (EU) export rules" in text and "2026-06-01" in text
    assert "no coverage declaration vouches for that day" in text and "EU-833-DUALUSE-MIL" in text
    shot(p, "business-not-covered")
    p.click(".coverage-missing a[href='/coverage#EU-export']")  # type: ignore[attr-defined]
    p.wait_for_url("**/coverage#EU-export")  # type: ignore[attr-defined]
    assert p.locator("#EU-EXPORT-RU-2014-2022").is_visible()  # type: ignore[attr-defined]
    shot(p, "coverage")


def test_map_changes_with_the_date_slider(page: object) -> None:
    p = page
    p.goto("/research?on=2014-08-10&focus=RU")  # type: ignore[attr-defined]
    p.wait_for_selector("#map path.status-spared")  # type: ignore[attr-defined]
    spared = p.locator("#map path.status-spared").count()  # type: ignore[attr-defined]
    hit = p.locator("#map path.status-countersanctioned").count()  # type: ignore[attr-defined]
    persons = p.locator("#map path.status-persons").count()  # type: ignore[attr-defined]
    # JP spared; EU members, US, CA hit; CH, IS, NZ only list persons of Russia: shown apart
    # (design.md, Relations, "Views"), as are AU and NO (persons-hit)
    assert spared >= 1 and hit >= 20 and persons >= 3
    shot(p, "research-2014-08-10")
    days = p.eval_on_selector("#map-date", "el => JSON.parse(el.dataset.days)")  # type: ignore[attr-defined]
    before = days.index("2014-08-01")
    p.eval_on_selector(  # type: ignore[attr-defined]
        "#map-date",
        f"el => {{ el.value = {before}; el.dispatchEvent(new Event('input', {{bubbles: true}})); }}",
    )
    p.wait_for_selector("#map-date-label:has-text('2014-08-01')")  # type: ignore[attr-defined]
    p.wait_for_selector("#map path.status-countersanctioned", state="detached")  # type: ignore[attr-defined]
    assert p.locator("#map path.status-sanctioning").count() >= 20  # type: ignore[attr-defined]
    p.wait_for_url("**on=2014-08-01**")  # type: ignore[attr-defined]
    shot(p, "research-2014-08-01")


def test_network_highlights_spared_edges(page: object) -> None:
    p = page
    p.goto("/research?on=2014-08-10&focus=RU")  # type: ignore[attr-defined]
    p.wait_for_selector("#network svg .edge-spared")  # type: ignore[attr-defined]
    assert p.locator("#network svg .edge-spared").count() >= 3  # type: ignore[attr-defined]
    assert "relations" in p.inner_text("#network-status")  # type: ignore[attr-defined]


def test_students_timeline_and_act_page_with_footnotes(page: object) -> None:
    p = page
    p.goto("/students?a=RU&b=JP")  # type: ignore[attr-defined]
    assert p.locator(".timeline li").count() >= 3  # type: ignore[attr-defined]
    shot(p, "students-ru-jp")
    p.click(".timeline li h3 a >> nth=0")  # type: ignore[attr-defined]
    p.wait_for_selector("article.act")  # type: ignore[attr-defined]
    original = p.locator(".footnotes .original").first  # type: ignore[attr-defined]
    assert original.get_attribute("lang") in {"ru", "ja", "en", "de", "fr", "no", "nb", "uk"}
    assert "English" in p.inner_text(".footnotes") or original.get_attribute("lang") == "en"  # type: ignore[attr-defined]
    shot(p, "act-page")


def test_poll_vote_counts_once_and_percentages_add_up(page: object) -> None:
    p = page
    p.goto("/")  # type: ignore[attr-defined]
    p.check("input[name=choice][value=partly]")  # type: ignore[attr-defined]
    p.click("#poll button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_selector("#poll .voted")  # type: ignore[attr-defined]
    percents = p.eval_on_selector_all(  # type: ignore[attr-defined]
        ".poll-percent", "els => els.map(e => parseInt(e.textContent))"
    )
    assert sum(percents) == 100
    assert p.locator("#poll form").count() == 0  # type: ignore[attr-defined]  # one vote per browser
    shot(p, "poll")


def test_pages_fit_a_phone(browser: object, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
    p = context.new_page()
    for url in ("/", "/business?origin=PL&destination=RU&hs=0808&date=2014-08-10", "/students"):
        p.goto(url)
        assert p.evaluate("document.documentElement.scrollWidth") <= 376, url
    shot(p, "phone-home")
    context.close()


def test_keyboard_reaches_the_checker(page: object) -> None:
    p = page
    p.goto("/business")  # type: ignore[attr-defined]
    p.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert p.evaluate("document.activeElement.className") == "skip-link"  # type: ignore[attr-defined]
    for field in ("origin", "destination", "hs", "date"):
        assert p.locator(f"label[for={field}]").count() == 1  # type: ignore[attr-defined]


AXE = Path(__file__).parents[1] / "assets" / "axe.min.js"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/business?origin=DE&destination=RU&hs=0401+20&date=2015-07-01",
        "/research?on=2014-08-10&focus=RU",
        "/students?a=RU&b=PL",
        "/acts/RU-GOV-778-2014",
        "/coverage",
        "/business?origin=DE&destination=RU&hs=845710&date=2026-06-01",
        "/business?origin=DE&destination=RU&hs=73041100&date=2015-06-01",
        "/business?origin=NL&destination=RU&hs=0701+10+000+0&date=2014-09-01",
    ],
)
def test_pages_pass_axe_accessibility_checks(page: object, url: str) -> None:
    """axe-core (WCAG 2 A/AA rules: labels, contrast, landmarks, names) finds no serious issue."""
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
