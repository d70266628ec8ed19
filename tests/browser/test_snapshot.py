"""The static snapshot in Chromium: built into a temporary folder (one country page), served by Python's static
file server on loopback, its pages draw their charts (the world map's country shapes from the shipped outline,
the lines of the time charts) and no request leaves the snapshot's folder on that server."""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import urlopen

import pytest

from export import snapshot
from tests.browser.pwutil import SNAPSHOT_DRAWN, next_paint, open_page


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request log in the test output
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = tmp_path_factory.mktemp("snap") / "out"
    meta = snapshot.build(out, countries=["PER"])
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", meta
    server.shutdown()
    server.server_close()


@pytest.fixture()
def page_for(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1400})
    yield ctx
    ctx.close()


def _only_inside(requests: list[str], base: str) -> None:
    assert requests, "the page made no request at all"
    outside = [u for u in requests if not (u.startswith(base) or u.startswith(("data:", "blob:", "about:")))]
    assert outside == []


def test_world_map_draws_from_the_shipped_outline(served, page_for):
    base, meta = served
    page, rec = open_page(page_for, base + "world-map.html")
    page.wait_for_function("document.querySelectorAll('path.choroplethlocation').length > 100", timeout=45_000)
    shapes = page.locator("path.choroplethlocation").count()
    assert shapes > 100
    assert page.locator("g.slider-container").count() == 1  # every year on the slider
    first, last = (int(y) for y in meta["pages"][0]["title"].split(", ")[1].split("-"))
    labels = page.eval_on_selector_all("g.slider-container text.slider-label", "els => els.map(e => e.textContent)")
    # the current year (the latest, as in the app: "Year: 2025"), then one (transparent) label per year
    assert labels[0] == f"Year: {last}" and labels[1:] == [str(y) for y in range(first, last + 1)]
    assert page.locator("h1").inner_text() == meta["pages"][0]["title"]
    _only_inside(rec.urls, base)
    assert base + "topojson/world_110m.json" in rec.urls and base + "plotly-geo.min.js" in rec.urls
    assert rec.urls.count(base + "topojson/world_110m.json") == 1  # fetched early, handed to plotly, not twice
    assert rec.failed == [] and rec.page_errors == []
    # the animation frames are added after the first draw: Play and the slider still go through every year
    page.wait_for_function("document.getElementById('chart')._transitionData._frames.length > 70")


def test_world_map_opens_at_the_year_in_its_address(served, page_for):
    base, _ = served
    page, rec = open_page(page_for, base + "world-map.html#2003")
    page.wait_for_function("document.querySelectorAll('path.choroplethlocation').length > 100", timeout=45_000)
    label = page.locator("g.slider-container text.slider-label").first
    assert label.text_content() == "Year: 2003"
    z = page.evaluate("document.getElementById('chart').data[0].z.filter(v => v > 0).length")
    page.wait_for_function("document.getElementById('chart')._transitionData._frames.length > 70")
    page.evaluate("location.hash = '#1968'")  # a later hash moves the map and the slider there
    page.wait_for_function("document.querySelector('g.slider-container text.slider-label').textContent === 'Year: 1968'")
    assert z > 10 and rec.failed == [] and rec.page_errors == []


def test_time_chart_and_country_page_draw_with_source_csv_and_citation(served, page_for):
    base, meta = served
    page, rec = open_page(page_for, base + "troops-total.html")
    page.wait_for_selector(".main-svg .scatterlayer .trace path.js-line", state="attached")
    assert page.locator(".scatterlayer .trace").count() >= 1
    assert page.locator("h1").inner_text() == "Active-duty troops abroad"
    caption = page.locator("p.caption").inner_text()
    assert caption.startswith("Source: ") and "DMDC personnel reports, compiled by troopdata" in caption
    _only_inside(rec.urls, base)
    assert rec.failed == [] and rec.page_errors == []

    page, rec = open_page(page_for, base + "country/PER.html")
    page.wait_for_selector(".main-svg .scatterlayer .trace path.js-line", state="attached")
    # markers of the provenance traces: one point per year with a figure
    assert page.locator(".scatterlayer .trace path.point").count() > 10
    assert page.locator("h1").inner_text() == "Active-duty US troops in Peru, by year"
    # the citation names the page's own address on the server, the data version and today's date
    cite = page.locator("section.cite").inner_text()
    assert base + "country/PER.html" in cite and f"data version {meta['data_version']}" in cite
    href = page.locator("a[download]").first.get_attribute("href")
    assert href == "PER.csv"
    with urlopen(base + "country/" + href, timeout=10) as resp:
        head = resp.read().decode("utf-8").splitlines()[0]
    assert head.startswith("iso3,name,region,scope,date,year")
    _only_inside(rec.urls, base)
    assert base + "plotly-basic.min.js" in rec.urls  # the one copy at the top, from the subfolder
    assert rec.failed == [] and rec.page_errors == []


@pytest.mark.parametrize("width", [320, 760, 1400])
def test_every_page_fits_the_embed_boxs_iframe_height(served, browser, tmp_path, width):
    """In an article's iframe of the height the app's embed box gives (the registry's snapshot_heights), each
    snapshot page shows everything with no scrollbar inside the frame and no sideways scroll, from a phone to a
    desktop."""
    from prep import registry

    base, meta = served
    kinds = {"world-map.html": "map", "troops-total.html": "troops", "troops-by-region.html": "troops",
             "outlays-current.html": "budget", "outlays-constant.html": "budget", "outlays-percent-gdp.html": "budget",
             "budget-authority.html": "budget", "fy2024.html": "budget", "country/PER.html": "country",
             "country/PER-authorisations.html": "authorisations"}
    kinds.update({p["path"]: "sipri" for p in meta["pages"] if p["path"].startswith("sipri-")})
    kinds.update({"es/" + rel: k for rel, k in list(kinds.items())})  # the Spanish pages, in the same frames
    assert set(kinds) == {p["path"] for p in meta["pages"]}
    (tmp_path / "a.html").write_text("".join(
        f'<iframe src="{base}{rel}" width="100%" height="{registry.snapshot_heights()[k]}" style="border:0;display:block">'
        "</iframe>" for rel, k in kinds.items()), encoding="utf-8")
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.goto((tmp_path / "a.html").as_uri())
    try:
        for rel in kinds:
            frame = next(f for f in page.frames if f.url == base + rel)
            frame.wait_for_selector(".main-svg g.trace, path.choroplethlocation", state="attached", timeout=45_000)
            frame.wait_for_function(SNAPSHOT_DRAWN, timeout=45_000)
        for rel in kinds:
            frame = next(f for f in page.frames if f.url == base + rel)
            over = frame.evaluate("[document.documentElement.scrollHeight - innerHeight, "
                                  "document.documentElement.scrollWidth - innerWidth]")
            assert over[0] <= 0 and over[1] <= 0, (rel, width, over)
    finally:
        ctx.close()


def test_spanish_peru_authorisations_and_world_map_draw_on_a_phone(served, browser, tmp_path):
    """At 390 px in Spanish: Peru's page with both its charts (the troop history, then the authorisations: bars
    and the DMDC line, with its text alternative), the authorisations chart's own page and the world map draw, in
    Spanish, with nothing outside the snapshot requested and nothing wider than the phone; the map's colour scale
    is the year's own (its top moves with the year, and so do the colour bar's ticks). Screenshots in the test's
    folder, to look at."""
    base, meta = served
    ctx = browser.new_context(viewport={"width": 390, "height": 2400}, locale="es-PE")
    try:
        page, rec = open_page(ctx, base + "es/country/PER.html")
        page.wait_for_selector("#chart .main-svg .scatterlayer .trace", state="attached")
        page.wait_for_selector("#chart2 .main-svg .barlayer .trace", state="attached")
        assert page.locator("#chart2 .main-svg .barlayer .trace").count() >= 1
        assert page.locator("#chart2 .main-svg .scatterlayer .trace").count() >= 1
        assert page.locator("section.more h2").inner_text().startswith("Perú: ingresos autorizados")
        assert page.locator("#chart2-alt").inner_text().startswith("Personal estadounidense autorizado por")
        assert page.locator("section.more p.caption").inner_text().startswith("Fuente: ")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert page.evaluate("document.getElementById('chart2').getBoundingClientRect().width") <= 390
        assert [u for u in rec.urls if u.endswith(".js")] == [base + "plotly-basic.min.js"]  # once, for both
        next_paint(page)
        page.screenshot(path=str(tmp_path / "es-PER-390.png"), full_page=True)
        _only_inside(rec.urls, base)
        assert rec.failed == [] and rec.page_errors == []

        page, rec = open_page(ctx, base + "es/country/PER-authorisations.html")
        page.wait_for_selector(".main-svg .barlayer .trace, .main-svg .scatterlayer .trace", state="attached")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.locator("h1").inner_text().startswith("Perú: ingresos autorizados y tropas estacionadas, 2012-")
        assert page.locator("p.caption").inner_text().startswith("Fuente: ")
        assert page.locator("nav.twins a").get_attribute("href") == "../../country/PER-authorisations.html"
        assert page.locator(".main-svg .barlayer .trace").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        next_paint(page)
        page.screenshot(path=str(tmp_path / "es-PER-authorisations-390.png"))
        _only_inside(rec.urls, base)
        assert rec.failed == [] and rec.page_errors == []

        page, rec = open_page(ctx, base + "es/world-map.html")
        page.wait_for_function("document.querySelectorAll('path.choroplethlocation').length > 100", timeout=45_000)
        label = page.locator("g.slider-container text.slider-label").first
        assert label.text_content().startswith("Año")
        page.wait_for_function("document.getElementById('chart')._transitionData._frames.length > 70")
        ticks = "Array.from(document.querySelectorAll('.colorbar .cbaxis text')).map(e => e.textContent)"
        zmax = "document.getElementById('chart')._fullData[0].zmax"
        latest, latest_ticks = page.evaluate(zmax), page.evaluate(ticks)
        next_paint(page)
        page.screenshot(path=str(tmp_path / "es-world-map-390-latest.png"))
        page.evaluate("location.hash = '#1968'")
        page.wait_for_function("document.querySelector('g.slider-container text.slider-label').textContent.endsWith('1968')")
        page.wait_for_function(f"{zmax} !== {latest}")
        assert page.evaluate(zmax) > 5 * latest
        assert page.evaluate(ticks) != latest_ticks
        next_paint(page)
        page.screenshot(path=str(tmp_path / "es-world-map-390-1968.png"))
        _only_inside(rec.urls, base)
        assert rec.failed == [] and rec.page_errors == []
    finally:
        ctx.close()
    print("screenshots:", tmp_path)
