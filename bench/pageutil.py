"""Waiting for a Streamlit page in Playwright: the script run is over and its charts are drawn. Shared by the
browser tests (tests/browser/pwutil.py) and the developer's tools (scripts/look.py), so scripts never import
tests."""
from __future__ import annotations

import time

CHART = '[data-testid="stPlotlyChart"] .main-svg'
DRAWN = (
    '[data-testid="stPlotlyChart"] .main-svg g.trace, '
    '[data-testid="stPlotlyChart"] path.choroplethlocation, '
    '[data-testid="stPlotlyChart"] .scattergeo path.point'
)
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


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
    deadline = time.monotonic() + timeout_s
    last = page.locator(CHART).count()
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        now = page.locator(CHART).count()
        if now == last:
            return now
        last = now
    return last
