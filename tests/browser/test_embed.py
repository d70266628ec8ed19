"""Embeds, as an article carries them: the view and the chart alone in iframes of a plain HTML page at 320 and
760 px show no navigation, switch or share box and no sideways scroll; the chart-only form shows exactly one chart,
its source line and the link back to the full view; the iframe code offered under Share reopens the same view."""
from __future__ import annotations

import functools
import html
import http.server
import threading

import pytest

from tests.browser.pwutil import next_paint, poll_until, wait_rendered


@pytest.fixture(scope="module")
def article_host(tmp_path_factory):
    folder = tmp_path_factory.mktemp("article")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a, **k: None
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()


def _visible(frame, selector: str) -> int:
    return frame.evaluate("s => [...document.querySelectorAll(s)].filter(e => getComputedStyle(e).display !== 'none'"
                          " && e.getBoundingClientRect().height > 0).length", selector)


@pytest.mark.parametrize("width", [320, 760])
def test_embeds_in_an_article(app_server, new_page, article_host, screenshot_dir, width):
    folder, host = article_host
    view = app_server.url + "country?country=Peru&lang=es&embed=true"
    (folder / f"article-{width}.html").write_text(
        '<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        '</head><body style="margin:0 auto;max-width:760px;font-family:serif"><h1>Un artículo</h1><p>Texto.</p>'
        f'<iframe id="chart" src="{html.escape(view)}&show=chart" width="100%" height="640" style="border:0"></iframe>'
        f'<p>Más texto.</p><iframe id="view" src="{html.escape(view)}" width="100%" height="1100" style="border:0"></iframe>'
        "</body></html>", encoding="utf-8")
    page, rec = new_page(width, 2000)
    page.goto(host + f"article-{width}.html")
    frames = {}
    for fid in ("chart", "view"):
        frame = page.frame_locator(f"#{fid}")
        frame.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached",
                                                                                               timeout=60_000)
        frame.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(state="attached", timeout=60_000)
        frames[fid] = next(f for f in page.frames if f.url.startswith(app_server.url) and
                           (("show=chart" in f.url) == (fid == "chart")))
    for f in frames.values():  # shown only once the page style has taken effect inside the embed
        f.locator(".fp-embed-link a").wait_for(state="visible")
    for fid, f in frames.items():
        assert _visible(f, "header, .st-key-langswitch, .st-key-sharebox") == 0, f"{fid}: chrome shown in an embed"
        assert f.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1, f"{fid}: sideways scroll"
        assert _visible(f, ".fp-embed-link a") == 1
        href = f.locator(".fp-embed-link a").get_attribute("href")
        assert "embed" not in href and "country=Peru" in href or "lang=es" in href
    chart = frames["chart"]
    assert _visible(chart, '[data-testid="stPlotlyChart"]') == 1
    assert _visible(chart, ".fp-caption") == 1 and "Fuente" in chart.locator(".fp-caption").first.inner_text()
    assert _visible(chart, '[data-testid="stSelectbox"], [data-testid="stTabs"] [role="tablist"], .fp-table') == 0
    page.screenshot(path=str(screenshot_dir / f"embed-article-{width}.png"), full_page=True)
    assert rec.page_errors == []


def test_the_offered_iframe_code_reopens_the_same_view(app_server, new_page):
    page, _ = new_page()
    page.goto(app_server.url + "when?section=Deployments+and+exercises&from=2020&lang=es")
    wait_rendered(page)
    page.get_by_text("Insertar o citar esta vista").click()
    code = page.locator(".fp-code").first.inner_text()
    src = html.unescape(code.split('src="', 1)[1].split('"', 1)[0])
    assert "embed=true" in src and "section=Deployments+and+exercises" in src and "from=2020" in src and "lang=es" in src
    fresh, _ = new_page()
    fresh.goto(src)
    wait_rendered(fresh)
    title = fresh.locator('[data-testid="stPlotlyChart"] .gtitle').first.text_content()
    assert _visible(page, ".fp-embed-link a") == 0  # the link back to the full view is for embeds only
    assert "2020-" in title, title
    cite = page.locator(".fp-code").nth(2).inner_text()
    assert "Footprint (2026)" in cite and "versión de los datos" in cite


# ---- the article of the "done when": live view, live chart alone and the snapshot page, with the box's code


@pytest.fixture(scope="module")
def snapshot_and_app(tmp_path_factory):
    """A snapshot (one country page) on its own static server, and the app told where it is
    (FOOTPRINT_SNAPSHOT_URL), so its embed box offers the snapshot code."""
    from bench.server import ROOT, start_streamlit
    from export import snapshot
    from scripts.article import serve

    snap_dir = tmp_path_factory.mktemp("snapshot") / "out"
    snapshot.build(snap_dir, countries=["PER"])
    srv, snap_base = serve(snap_dir)
    app = start_streamlit(ROOT / "app.py", env={"FOOTPRINT_SNAPSHOT_URL": snap_base},
                          log_path=ROOT / "test-artifacts" / "browser-article-app.log")
    yield app, snap_base
    app.stop()
    srv.shutdown()


@pytest.mark.parametrize("width", [390, 1400])
def test_article_with_live_and_snapshot_embeds(snapshot_and_app, new_page, article_host, screenshot_dir, width):
    from scripts.article import article_html, embed_codes

    app, snap_base = snapshot_and_app
    folder, host = article_host
    page, _ = new_page()
    codes = embed_codes(page, app.url + "?year=2023")
    assert f'src="{snap_base}world-map.html#2023"' in codes["snapshot"]
    assert "embed=true&amp;show=chart" in codes["chart"] or "embed=true&show=chart" in codes["chart"]
    (folder / "article.html").write_text(article_html(codes), encoding="utf-8")

    page, rec = new_page(width, 1000)
    snap_requests: list[tuple[str, str]] = []
    page.on("request", lambda r: snap_requests.append((r.frame.url, r.url)) if r.frame.url.startswith(snap_base) else None)
    page.goto(host + "article.html")
    for fid in ("fig-live", "fig-chart", "fig-snapshot"):
        page.locator(f"#{fid} iframe").scroll_into_view_if_needed()
        page.frame_locator(f"#{fid} iframe").locator(".main-svg g.trace, path.choroplethlocation").first.wait_for(
            state="attached", timeout=90_000)
    snap = next(f for f in page.frames if f.url.startswith(snap_base))
    live_chart = next(f for f in page.frames if "show=chart" in f.url)
    # both draw their chart: the live chart's countries and the snapshot's, at the year of the view
    snap.wait_for_function("document.querySelectorAll('path.choroplethlocation').length > 100")
    assert live_chart.locator("path.choroplethlocation").count() > 50
    assert snap.locator("g.slider-container text.slider-label").first.text_content() == "Year: 2023"
    # the snapshot page in an iframe: chart, source line and links; its citation block stays on the page itself
    assert snap.locator("p.caption").is_visible() and "Source:" in snap.locator("p.caption").inner_text()
    assert not snap.locator("section.cite").is_visible() and snap.locator(".open-page a").is_visible()
    # the iframe's height (the box's code) shows all of it: no scrolling inside the frame
    assert snap.evaluate("document.documentElement.scrollHeight - innerHeight") <= 0
    # the page tells the article its height and the code's script sizes the frame to it: no blank band below
    page.wait_for_function("() => document.querySelector('#fig-snapshot iframe').style.height !== ''")
    frame_h, content_h = poll_until(lambda: (
        page.evaluate("document.querySelector('#fig-snapshot iframe').getBoundingClientRect().height"),
        snap.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")),
        lambda v: abs(v[0] - v[1]) <= 2)
    assert abs(frame_h - content_h) <= 2, (frame_h, content_h)
    # the live chart alone does the same (it had a fixed 720 px: a blank band of ~160 px under it on a phone)
    page.wait_for_function("() => document.querySelector('#fig-chart iframe').style.height !== ''", timeout=30_000)
    live_h, live_content = poll_until(lambda: (
        page.evaluate("document.querySelector('#fig-chart iframe').getBoundingClientRect().height"),
        live_chart.evaluate("Math.ceil(document.querySelector('[data-testid=\"stMainBlockContainer\"]')"
                            ".getBoundingClientRect().height)")),
        lambda v: abs(v[0] - v[1]) <= 2)
    assert abs(live_h - live_content) <= 2 and live_h < 720, (live_h, live_content)
    # nothing the snapshot frame asked for is outside its folder on its server
    assert snap_requests and all(u.startswith(snap_base) for _, u in snap_requests), snap_requests
    # no sideways scroll in the article, nor inside the snapshot frame
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    assert snap.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    page.set_viewport_size({"width": width, "height": page.evaluate("document.documentElement.scrollHeight")})
    next_paint(page)
    page.screenshot(path=str(screenshot_dir / f"article-snapshot-{width}.png"))
    assert rec.page_errors == []


def _box_codes(page, view_url: str) -> list[str]:
    """The embed box's codes (whole view, chart alone) on the view at ``view_url``, in any language."""
    page.goto(view_url)
    wait_rendered(page)
    page.locator('[data-testid="stExpander"] summary').last.click()
    page.locator("pre.fp-code").first.wait_for(timeout=30_000)
    return page.locator("pre.fp-code").all_inner_texts()[:2]


@pytest.mark.parametrize("width", [390, 1400])
def test_whole_view_embed_fits_its_content(app_server, new_page, article_host, screenshot_dir, width):
    """The whole view in an article, with the box's code: the frame grows to the view's height (no scroll inside a
    scroll, no text cut at the frame's edge), and again when the reader opens a taller tab."""
    folder, host = article_host
    page, _ = new_page()
    view, chart = _box_codes(page, app_server.url + "country?country=Peru&lang=es")
    assert "data-footprint-embed" in view and 'footprint!=="height"' in view, view
    (folder / f"article-whole-{width}.html").write_text(
        '<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        '</head><body style="margin:0 auto;max-width:760px;font-family:serif;padding:0 8px"><h1>Un artículo</h1>'
        f'<p>Texto.</p><div id="fig-live">{view}</div><p>Más texto.</p><div id="fig-chart">{chart}</div>'
        "<p>Fin.</p></body></html>", encoding="utf-8")
    page, rec = new_page(width, 1000)
    page.goto(host + f"article-whole-{width}.html")
    page.locator("#fig-live iframe").scroll_into_view_if_needed()
    page.frame_locator("#fig-live iframe").locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(
        state="attached", timeout=90_000)
    live = next(f for f in page.frames if f.url.startswith(app_server.url) and "show=chart" not in f.url)
    live.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached")

    def measure() -> tuple[float, float, float]:
        frame_h = page.evaluate("document.querySelector('#fig-live iframe').getBoundingClientRect().height")
        content = live.evaluate(
            "Math.ceil(document.querySelector('[data-testid=\"stMainBlockContainer\"]').getBoundingClientRect().height)")
        inner = live.evaluate("(() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                              " return m.scrollHeight - m.clientHeight; })()")
        return frame_h, content, inner

    def fits() -> tuple[float, float, float]:
        """The frame's height, the view's and the scroll left inside the frame, once the frame has followed the
        view (the view's height message and the code's resize take a moment after each change)."""
        page.wait_for_function("() => document.querySelector('#fig-live iframe').style.height !== ''", timeout=30_000)
        return poll_until(measure, lambda v: abs(v[0] - v[1]) <= 2 and v[2] <= 2)

    frame_h, content, inner = fits()
    assert abs(frame_h - content) <= 2 and inner <= 2, (frame_h, content, inner)
    assert frame_h > 1100 if width == 390 else frame_h > 900, frame_h  # the old fixed 1100 px cut it on a phone
    # another tab: the frame follows the new height
    live.locator('[data-testid="stTabs"] [role="tab"]').nth(1).click()
    live.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached")
    frame_h2, content2, inner2 = fits()
    assert abs(frame_h2 - content2) <= 2 and inner2 <= 2, (frame_h2, content2, inner2)
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    page.set_viewport_size({"width": width, "height": min(page.evaluate("document.documentElement.scrollHeight"), 12000)})
    next_paint(page)
    page.screenshot(path=str(screenshot_dir / f"embed-whole-view-{width}.png"))
    assert rec.page_errors == []
