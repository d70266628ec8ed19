"""Helpers shared by the browser tests (selectors, waiting, request recording)."""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from bench.server import ROOT, Server, start_streamlit

ARTIFACTS = ROOT / "test-artifacts"

CHART = '[data-testid="stPlotlyChart"] .main-svg'
DRAWN = (
    '[data-testid="stPlotlyChart"] .main-svg g.trace, '
    '[data-testid="stPlotlyChart"] path.choroplethlocation, '
    '[data-testid="stPlotlyChart"] .scattergeo path.point'
)
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}



class Recorder:
    """Every request a page makes, and every page error (uncaught JS exceptions)."""

    def __init__(self, page):
        self.urls: list[str] = []
        self.page_errors: list[str] = []
        page.on("request", lambda req: self.urls.append(req.url))
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))

    def outside(self) -> list[str]:
        bad = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS:
                continue
            bad.append(url)
        return bad


def wait_rendered(page, need_chart: bool = True, timeout: float = 60_000) -> None:
    """Wait until the script run is over, then (when asked) until a chart is drawn or an exception/error box
    shows (so a broken page fails in seconds, not at the time-out)."""
    page.wait_for_selector(IDLE, state="attached", timeout=timeout)
    if need_chart:
        page.wait_for_selector(
            f'{DRAWN}, [data-testid="stException"], [data-testid="stAlertContentError"]',
            state="attached",
            timeout=45_000,
        )
        settle_charts(page)
    page.wait_for_timeout(300)


def settle_charts(page, quiet_ms: int = 600, timeout_s: float = 20.0) -> int:
    """Wait until the number of drawn plotly SVGs stops changing for `quiet_ms` (a page with several charts
    draws them one after another; counting right after the first would race the rest). Returns the count."""
    import time

    deadline = time.monotonic() + timeout_s
    last = page.locator(CHART).count()
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        now = page.locator(CHART).count()
        if now == last:
            return now
        last = now
    return last


def copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".build-*", "__pycache__"))
    return dst


def start_app(app: Path, log_name: str, env: dict[str, str] | None = None) -> Server:
    return start_streamlit(
        app,
        options={"server.disconnectedSessionTTL": 10},
        env=env,
        log_path=ARTIFACTS / f"{log_name}.log",
        timeout=90,
    )
