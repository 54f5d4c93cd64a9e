"""Security headers on every response, pages that run under the Content-Security-Policy
(no inline script, style or handler), and the API docs served from the app's own origin."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctionscope.engine.catalog import Catalog
from sanctionscope.web.app import create_app
from sanctionscope.web.security import HEADERS
from tests.live_server import served

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "sanctionscope" / "web" / "templates"
PROBLEM = "application/problem+json"
PAGES = [
    "/",
    "/business",
    "/business?origin=DE&destination=RU&hs=0401+20&date=2015-07-01",
    "/business?origin=DE&destination=RU&hs=73041100&date=2015-06-01",
    "/business?origin=PL&destination=RU&hs=80810&date=2014-08-10",
    "/research?on=2014-08-10&focus=RU",
    "/students?a=RU&b=JP",
    "/acts/RU-GOV-778-2014",
    "/coverage",
    "/problems/invalid-input",
    "/docs",
]


@pytest.fixture(scope="module")
def app(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    found = create_app(real, tmp_path_factory.mktemp("headers-state"), upload_limit=1024)

    async def boom() -> None:
        raise RuntimeError("a bug")

    found.add_api_route("/boom", boom, include_in_schema=False)
    return found


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


def assert_secured(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (name, response)


def test_the_policy_allows_the_own_origin_only() -> None:
    csp = dict(part.split(" ", 1) for part in HEADERS["Content-Security-Policy"].split("; "))
    assert csp["default-src"] == csp["script-src"] == csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "unsafe" not in HEADERS["Content-Security-Policy"]
    assert HEADERS["X-Content-Type-Options"] == "nosniff"
    assert HEADERS["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    ("method", "url", "status", "kind"),
    [
        ("GET", "/", 200, "text/html"),
        ("GET", "/business?origin=XX&hs=0808&date=2014-08-10", 400, "text/html"),
        ("GET", "/acts/NOPE", 404, "text/html"),
        ("GET", "/v1/check?origin=PL&destination=RU&hs=0808&date=2014-08-10", 200, "application/json"),
        ("GET", "/v1/poll", 200, "application/json"),
        ("GET", "/openapi.json", 200, "application/json"),
        ("GET", "/static/css/site.css", 200, "text/css"),
        ("GET", "/static/js/docs.js", 200, "text/javascript"),
        ("GET", "/static/vendor/swagger-ui/swagger-ui-bundle.js", 200, "text/javascript"),
        ("GET", "/static/nothing-here.js", 404, PROBLEM),
        ("GET", "/v1/check?origin=XX&destination=RU&hs=0808&date=2014-08-10", 400, PROBLEM),
        ("GET", "/v1/acts/NOPE", 404, PROBLEM),
        ("GET", "/no/such/page", 404, PROBLEM),
        ("DELETE", "/v1/check", 405, PROBLEM),
        ("POST", "/v1/poll?choice=yes", 403, PROBLEM),
        ("POST", "/v1/screen", 413, PROBLEM),
        ("GET", "/boom", 500, PROBLEM),
    ],
)
def test_every_response_carries_the_security_headers(
    client: TestClient, method: str, url: str, status: int, kind: str
) -> None:
    body = b"x" * 4096 if url == "/v1/screen" else None  # over the upload limit
    cross_site = {"Origin": "https://elsewhere.example"} if url.startswith("/v1/poll?") else {}
    response = client.request(method, url, content=body, headers=cross_site)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(kind)
    assert_secured(response)


class Page(HTMLParser):
    """What of a page the policy governs: scripts, styles, handlers, assets."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = 0
        self.style_elements = 0
        self.attributes: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and not found.get("src"):
            self.inline_scripts += 1
        if tag == "style":
            self.style_elements += 1
        self.attributes += [name for name, _ in attrs if name == "style" or name.startswith("on")]
        if tag in ("script", "img", "iframe") and found.get("src"):
            self.assets.append(str(found["src"]))
        if tag == "link" and found.get("href"):
            self.assets.append(str(found["href"]))


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_style_or_handler(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (200, 400)
    assert_secured(response)
    page = parse(response.text)
    assert page.inline_scripts == 0 and page.style_elements == 0
    assert page.attributes == [], page.attributes


def test_templates_have_no_inline_script_style_or_handler() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", text), template.name


def test_the_docs_page_loads_only_same_origin_assets(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert_secured(docs)
    page = parse(docs.text)
    assert page.inline_scripts == 0 and page.attributes == []
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.assets
    assert "/static/js/docs.js" in page.assets
    for asset in page.assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset  # same origin
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        assert_secured(fetched)
    starter = client.get("/static/js/docs.js").text
    assert "data-openapi-url" in starter and "validatorUrl: null" in starter  # no call to a validator


# -- in a real browser: the pages and Swagger UI under the policy --------------------------
CHROMIUM = os.environ.get("SANCTIONSCOPE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def base_url(app: FastAPI) -> Iterator[str]:
    with served(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    with playwright_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield found
        found.close()


def visit(browser: object, base_url: str, url: str, ready: str) -> tuple[object, list[str], list[str]]:
    """Open ``url`` offline; the page, what the console reported and what left the machine."""
    context = browser.new_context(base_url=base_url)  # type: ignore[attr-defined]
    outside: list[str] = []

    def offline(route: object) -> None:
        target = route.request.url  # type: ignore[attr-defined]
        if target.startswith(base_url) or target.startswith("data:"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(target)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", offline)
    tab = context.new_page()
    console: list[str] = []
    tab.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    tab.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    tab.goto(url)
    tab.wait_for_selector(ready)
    tab.wait_for_load_state("networkidle")
    return tab, console, outside


def test_swagger_ui_renders_under_the_policy(browser: object, base_url: str) -> None:
    tab, console, outside = visit(browser, base_url, "/docs", ".opblock")
    assert tab.locator(".opblock").count() >= 10  # type: ignore[attr-defined]
    assert "/v1/check" in tab.inner_text("#swagger-ui")  # type: ignore[attr-defined]
    assert not [m for m in console if "Content Security Policy" in m or m.startswith("pageerror")], console
    assert not outside, outside
    tab.context.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "ready"),
    [
        ("/", "#poll"),
        ("/business?origin=DE&destination=RU&hs=0401+20&date=2015-07-01", ".answer .verdict"),
        ("/research?on=2014-08-10&focus=RU", "#map path"),
        ("/students?a=RU&b=JP", ".timeline li"),
    ],
)
def test_pages_run_under_the_policy(browser: object, base_url: str, url: str, ready: str) -> None:
    tab, console, outside = visit(browser, base_url, url, ready)
    assert not [m for m in console if "Content Security Policy" in m or m.startswith("pageerror")], console
    assert not outside, outside
    tab.context.close()  # type: ignore[attr-defined]
