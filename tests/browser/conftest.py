"""Browser fixtures: the dashboard on a free loopback port (one server per test session) and Debian's Chromium
driven by Playwright.

Skipped only when /usr/bin/chromium (or Playwright) is missing AND FOOTPRINT_REQUIRE_BROWSER is unset; CI sets
it, so there a missing browser fails the run instead of skipping it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.server import ROOT
from tests.browser.pwutil import ARTIFACTS, Recorder, start_app

CHROMIUM = Path(os.environ.get("FOOTPRINT_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ARTIFACTS / "screenshots"


def _browser_missing() -> str:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing"
    return ""


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = _browser_missing()
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if missing and not os.environ.get("FOOTPRINT_REQUIRE_BROWSER"):
                item.add_marker(pytest.mark.skip(reason=f"browser tests need Chromium: {missing}"))


# Module scope: while Playwright's sync API is open, the main thread has a running asyncio loop, and later tests
# that call asyncio.run() (load driver, health check) would fail; closing it after each module avoids that.
@pytest.fixture(scope="module")
def browser():
    missing = _browser_missing()
    if missing:  # only reached with FOOTPRINT_REQUIRE_BROWSER set (otherwise skipped at collection)
        pytest.fail(f"FOOTPRINT_REQUIRE_BROWSER is set but {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync",
                  "--no-first-run", "--disable-component-update"],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_server():
    app = ROOT / "app.py"  # as the README and the deployments run it: the dashboard with its start-up warm-up
    if not app.exists():
        pytest.fail("app.py is missing")
    srv = start_app(app, "browser-app")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser_context(browser):
    """One context for the session: pages share the HTTP cache (Streamlit's JS bundle loads once), while each
    page has its own websocket and so its own Streamlit session and state."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 2000})
    yield ctx
    ctx.close()


@pytest.fixture()
def new_page(browser_context):
    """Factory: a fresh page (default viewport 1400x2000: Streamlit scrolls inside its own container, so a tall
    viewport is what gets the lower page into screenshots) with a request recorder."""
    pages = []

    def make(width: int = 1400, height: int = 2000):
        page = browser_context.new_page()
        pages.append(page)
        page.set_viewport_size({"width": width, "height": height})
        page.set_default_timeout(45_000)
        return page, Recorder(page)

    yield make
    for page in pages:
        page.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
