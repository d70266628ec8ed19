"""The dashboard in a real browser: every view draws its charts with no exception and no request leaving the
machine, a control click lands in the URL and that URL reopens the same state, screenshots at 1400 and 390 px.
"""
from __future__ import annotations

import re

import pytest

from prep import registry
from tests.browser.pwutil import CHART, resize, settle_charts, wait_rendered, wait_url

# Text that must be on a view's page, for the views that have some beyond their charts
TEXT = {"where": "Where are US troops?", "sources": "Sources & data"}


def views() -> dict[str, tuple[str, int, str | None]]:
    """Every view of the registry (prep/registry.py) -> (url path, minimum plotly charts drawn, text that must be on
    the page). The default view lives at the root: Streamlit answers "page not found" for a default page's own
    url_path."""
    return {v.path: (v.url, v.charts, TEXT.get(v.path)) for v in registry.VIEWS}


def _no_exception(page) -> None:
    exc = page.locator('[data-testid="stException"]')
    assert exc.count() == 0, exc.first.inner_text()[:500]
    assert page.get_by_text("Page not found").count() == 0, f"{page.url}: Streamlit says page not found"


def _map_fill(page) -> tuple[float, float]:
    """The world map element's height (px) and the share of it the drawn world takes."""
    return tuple(page.evaluate("""() => { const el = document.querySelector('.st-key-worldmap [data-testid="stPlotlyChart"]');
        const geo = el.querySelector('.geo .bg, .geo'); const h = el.getBoundingClientRect().height;
        return [Math.round(h), Math.round(100 * geo.getBoundingClientRect().height / h) / 100]; }"""))


def _error_boxes(page) -> list[str]:
    return [t[:200] for t in page.locator('[data-testid="stAlertContentError"]').all_inner_texts()]


@pytest.mark.parametrize("view", list(views()))
def test_view_renders_locally(app_server, new_page, screenshot_dir, view):
    path, min_charts, text = views()[view]
    page, rec = new_page(1400, 2000)
    page.goto(app_server.url + path)
    wait_rendered(page, need_chart=min_charts > 0)
    _no_exception(page)
    assert _error_boxes(page) == []  # the app's own error box (e.g. a missing table) is a failure too
    drawn = page.locator(CHART).count()
    assert drawn >= min_charts, f"{view}: {drawn} charts drawn, expected at least {min_charts}"
    if text:
        assert page.get_by_text(text, exact=False).count() >= 1
    if view == "where":  # the world map: country shapes come from the topojson served by the app itself
        shapes = page.locator('[data-testid="stPlotlyChart"] path.choroplethlocation').count()
        assert shapes >= 30, f"only {shapes} choropleth shapes: is the topojson served from app/static/?"
        assert _map_fill(page)[0] == 460, _map_fill(page)
    page.screenshot(path=str(screenshot_dir / f"{view}-1400.png"))
    # the phone width: same page, re-laid out
    resize(page, 390, 2000)
    _no_exception(page)
    assert settle_charts(page) == drawn
    # tables wider than a phone scroll sideways inside the page instead of being cut off
    clipped = page.evaluate("""() => [...document.querySelectorAll('table.fp-table, [data-testid="stMarkdownContainer"] table')]
        .filter(t => t.getBoundingClientRect().width > 0)
        .filter(t => t.getBoundingClientRect().right > window.innerWidth + 1
                     || (t.scrollWidth > t.clientWidth + 1 && getComputedStyle(t).overflowX !== 'auto'))
        .map(t => t.innerText.slice(0, 60))""")
    assert clipped == [], f"{view}: tables cut off at phone width: {clipped}"
    if view == "where":  # the world is width-bound on a phone: its element is lower there, without empty bands
        assert _map_fill(page)[0] <= 300 and _map_fill(page)[1] >= 0.6, _map_fill(page)  # 460 px and 0.38 before
    page.screenshot(path=str(screenshot_dir / f"{view}-390.png"))
    # every request went to the local server (or data:/blob:), nothing to a CDN or tracker
    assert rec.urls, "no request recorded"
    assert rec.outside() == [], rec.outside()
    assert rec.page_errors == []


def test_year_in_url_sets_the_map(app_server, new_page):
    page, _ = new_page()
    page.goto(app_server.url + "?year=1990")
    wait_rendered(page)
    _no_exception(page)
    title = page.locator('[data-testid="stPlotlyChart"] .gtitle').first.text_content()
    assert "1990" in title, title
    assert page.locator('[data-testid="stSliderThumbValue"]').first.inner_text().strip() == "1990"


def test_click_changes_url_and_the_url_reopens_the_state(app_server, new_page):
    page, _ = new_page()
    page.goto(app_server.url + "?year=2000")
    wait_rendered(page)
    assert page.locator(".scattergeo path.point").count() == 0  # no layer by default
    assert page.get_by_role("button", name=re.compile("^Bases$")).get_attribute("aria-pressed") == "false"
    page.get_by_role("button", name=re.compile("^Bases$")).click()
    wait_url(page, r"layers=Bases")
    wait_rendered(page)
    page.wait_for_selector(".scattergeo path.point", state="attached")
    url = page.url
    assert "year=2000" in url  # the other state stays in the URL
    n_points = page.locator(".scattergeo path.point").count()
    title = page.locator('[data-testid="stPlotlyChart"] .gtitle').first.text_content()

    fresh, rec = new_page()
    fresh.goto(url)
    wait_rendered(fresh)
    fresh.wait_for_selector(".scattergeo path.point", state="attached")
    _no_exception(fresh)
    assert n_points >= 200, f"the base layer has only {n_points} points"
    assert fresh.locator(".scattergeo path.point").count() == n_points
    assert rec.outside() == []
    assert fresh.locator('[data-testid="stPlotlyChart"] .gtitle').first.text_content() == title
    # the pill shows as selected, the others not
    assert fresh.get_by_role("button", name=re.compile("^Bases$")).get_attribute("aria-pressed") == "true"
    assert fresh.get_by_role("button", name=re.compile("^Deployments$")).get_attribute("aria-pressed") == "false"


# view -> its lazy tabs (st.tabs bound to ?section=), each with the title of the one chart it draws
TABS = {
    "cost": {"Outlays": "Outlays, current dollars", "Budget authority": "DoD budget authority",
             "Other countries": "SIPRI", "FY2024": "FY2024: official vs reported"},
    "when": {"Troops abroad": "Active-duty troops abroad", "Deployments and exercises": "items, "},
    # Peru's troops tab: its Congress's authorisations beside the DMDC count, then the troop history
    "country": {"Troops": ("Authorised entries and stationed", "Active-duty US troops"),
                "Bases and places": "Base sites and deployment places",
                "Deployments and events": "Deployments, exercises, events"},
}


@pytest.mark.parametrize("view", list(TABS))
def test_tabs_click_into_the_url_and_reopen(app_server, new_page, screenshot_dir, view):
    """Each section is a lazy tab: a click runs and draws that tab's one chart and puts ?section= in the URL; a
    fresh page on that URL opens the same tab. Screenshots of every tab at both widths."""
    page, _ = new_page()
    page.goto(app_server.url + view)
    wait_rendered(page)
    for i, (tab, expected) in enumerate(TABS[view].items()):
        expected = (expected,) if isinstance(expected, str) else expected
        title = expected[0]
        if i:
            page.get_by_role("tab", name=tab, exact=True).click()
            wait_url(page, r"section=" + re.escape(tab.replace(" ", "+")))
            page.wait_for_function("t => [...document.querySelectorAll('[data-testid=stPlotlyChart] .gtitle')]"
                                   ".some(e => e.textContent.includes(t))", arg=title, timeout=30_000)
            wait_rendered(page)
        _no_exception(page)
        titles = page.locator('[data-testid="stPlotlyChart"] .gtitle').all_text_contents()
        # only the open tab's charts are drawn
        assert len(titles) == len(expected) and all(e in t for e, t in zip(expected, titles)), titles
        assert page.get_by_role("tab", name=tab, exact=True).get_attribute("aria-selected") == "true"
        url = page.url
        fresh, rec = new_page(390, 2000)
        fresh.goto(url)
        wait_rendered(fresh)
        _no_exception(fresh)
        assert title in fresh.locator('[data-testid="stPlotlyChart"] .gtitle').first.text_content()
        assert fresh.get_by_role("tab", name=tab, exact=True).get_attribute("aria-selected") == "true"
        assert rec.outside() == []
        slug = re.sub(r"\W+", "-", tab.lower()).strip("-")
        page.screenshot(path=str(screenshot_dir / f"{view}-{slug}-1400.png"), full_page=True)
        fresh.screenshot(path=str(screenshot_dir / f"{view}-{slug}-390.png"), full_page=True)
        fresh.close()


def test_country_deployment_panel_opens_on_click(app_server, new_page):
    """A closed deployment panel holds nothing until opened (lazy expander); a click fills it with its details."""
    page, rec = new_page()
    page.goto(app_server.url + "country?section=Deployments+and+events")
    wait_rendered(page)
    # by its summary: the timeline's "Show as table" lists the same record among its rows
    panel = page.locator('[data-testid="stExpander"]').filter(
        has=page.locator("summary", has_text="Military exercises in Peru (2017)"))
    assert panel.count() == 1
    assert "Reported" not in panel.inner_text()
    panel.locator("summary").click()
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stExpander]')].some(e => "
                           "e.querySelector('summary').innerText.includes('Military exercises in Peru (2017)') && e.querySelector('p, table'))",
                           timeout=30_000)
    wait_rendered(page, need_chart=False)
    _no_exception(page)
    assert len(panel.inner_text()) > 200, panel.inner_text()
    assert rec.outside() == []
