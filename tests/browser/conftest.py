"""Browser fixtures shared by the browser tests: the app on a free port, Debian's Chromium
through Playwright, and a page whose requests to anything but the app are aborted.

``shot`` (import it from here) saves a full-page screenshot under ``test-artifacts/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionscope.engine.catalog import Catalog
from sanctionscope.web.app import create_app
from tests.live_server import served

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = os.environ.get("SANCTIONSCOPE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)", pytrace=False)


@pytest.fixture(scope="module")
def base_url(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(create_app(real, tmp_path_factory.mktemp("browser-state"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield found
        found.close()


@pytest.fixture()
def page(browser: object, base_url: str) -> Iterator[object]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    blocked: list[str] = []

    def offline(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(base_url) or url.startswith("data:"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", offline)
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert not blocked, f"requests left the machine: {blocked}"
    assert not errors, f"script errors: {errors}"


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
