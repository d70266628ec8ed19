"""The reader's pass at phone width (390 px), on every view and tab: nothing to scroll sideways (page or table),
no chart toolbar over a chart title, every chart title inside its chart, the world map's element mostly map, and every text at WCAG AA contrast;
in both languages, every chart's text whole (title, legend entries, axis titles, bar labels, annotations, ticks)
and the open tab in sight.
The desktop width (1400 px) gets the toolbar and contrast checks too."""
from __future__ import annotations

import pytest

import i18n
from tests.browser.pwutil import (
    CONTRAST_JS,
    every_view_and_tab,
    overflow_report,
    text_cut,
    titles_cut,
    toolbar_overlaps,
    wait_rendered,
)

# every view and every tab, as a reader's link opens it (and any the registry adds)
LINKS = every_view_and_tab({
    "where": "", "where-army": "?year=1968&measure=Army", "where-layers": "?year=2023&layers=Bases&layers=Deployments",
    "where-play": "?play=true",
    "when-troops": "when", "when-timeline": "when?section=Deployments+and+exercises",
    "cost-outlays": "cost", "cost-ba": "cost?section=Budget+authority", "cost-sipri": "cost?section=Other+countries",
    "cost-fy2024": "cost?section=FY2024",
    "country-troops": "country", "country-map": "country?section=Bases+and+places",
    "country-timeline": "country?section=Deployments+and+events",
    "sources": "sources",
})


def _map_share(page, key: str) -> float:
    """The share of the map element's height that the drawn world takes."""
    return page.evaluate("""k => { const el = document.querySelector('.st-key-' + k + ' [data-testid="stPlotlyChart"]');
        const geo = el.querySelector('.geo .bg, .geo'); return geo.getBoundingClientRect().height / el.getBoundingClientRect().height; }""",
                         key)


@pytest.mark.parametrize("name", list(LINKS))
def test_phone_reads_without_sideways_scroll_or_covered_titles(app_server, new_page, name):
    page, rec = new_page(390, 1600)
    page.goto(app_server.url + LINKS[name])
    wait_rendered(page, need_chart=name != "sources")
    assert page.locator('[data-testid="stException"]').count() == 0
    report = overflow_report(page)
    assert report["page"] <= 1, f"{name}: the page is {report['page']} px wider than the phone"
    assert report["tables"] == [], f"{name}: tables that need a sideways scroll: {report['tables']}"
    # the tables behind the charts too ("Show as table", closed until a reader opens it)
    shown = page.locator('[data-testid="stExpander"] summary', has_text="Show as table")
    for i in range(shown.count()):
        shown.nth(i).click()
    if shown.count():
        page.wait_for_selector('[data-testid="stExpander"] details[open] table.fp-table', timeout=10_000)
        behind = overflow_report(page)["tables"]
        assert behind == [], f"{name}: chart tables that need a sideways scroll: {behind}"
    assert toolbar_overlaps(page) == [], f"{name}: a chart toolbar covers a title"
    assert titles_cut(page) == [], f"{name}: a chart title is cut off"
    if name in ("where", "where-army"):
        assert _map_share(page, "worldmap") >= 0.6, f"{name}: the map element is mostly empty"
    if name == "where-layers":  # the layers' legend takes its room under the map
        assert _map_share(page, "worldmap_layers") >= 0.55, f"{name}: the map element is mostly empty"
    fails = page.evaluate(CONTRAST_JS)
    assert fails == [], f"{name}: text under WCAG AA contrast: {fails[:5]}"
    assert rec.page_errors == []


@pytest.mark.parametrize("name", ["where", "when-timeline", "cost-outlays", "country-map"])
def test_desktop_toolbar_and_contrast(app_server, new_page, name):
    page, _ = new_page(1400, 1600)
    page.goto(app_server.url + LINKS[name])
    wait_rendered(page)
    assert toolbar_overlaps(page) == [], f"{name}: a chart toolbar covers a title"
    fails = page.evaluate(CONTRAST_JS)
    assert fails == [], f"{name}: text under WCAG AA contrast: {fails[:5]}"
    assert overflow_report(page)["page"] <= 1


CHART_LINKS = [name for name in LINKS if name not in ("sources", "where-play")]


@pytest.mark.parametrize("lang", list(i18n.LANGS))
@pytest.mark.parametrize("name", CHART_LINKS)
def test_phone_chart_text_is_whole(app_server, new_page, name, lang):
    """No chart text cut at the chart's edge or its legend's box at 390 px, in each language (a Spanish label is
    longer: "US$ 997 mil millones", "Despliegue o evento reportado"), and the open tab in sight."""
    page, rec = new_page(390, 1600)
    link = LINKS[name]
    page.goto(app_server.url + link + ("&" if "?" in link else "?") + f"lang={lang}")
    wait_rendered(page)
    assert text_cut(page) == [], f"{name} ({lang}): chart text cut off"
    if "section=" in link:
        page.wait_for_function("""() => { const t = document.querySelector('[role="tab"][aria-selected="true"]');
            const r = t.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; }""", timeout=5_000)
    assert rec.page_errors == []
