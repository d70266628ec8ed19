"""Helpers shared by the browser tests (selectors, waiting, request recording)."""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, quote_plus, urlsplit

from bench.pageutil import CHART, DRAWN, IDLE, settle_charts, wait_rendered  # noqa: F401  (the tests' interface)
from bench.server import ROOT, Server, start_streamlit
from prep import registry

ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}



class Recorder:
    """Every request a page makes, the ones that failed or were answered with an error status, and every page
    error (uncaught JS exceptions)."""

    def __init__(self, page):
        self.urls: list[str] = []
        self.failed: list[str] = []
        self.page_errors: list[str] = []
        page.on("request", lambda req: self.urls.append(req.url))
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("requestfailed", lambda req: self.failed.append(f"failed {req.url}"))
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


def open_page(ctx, url: str, timeout: float = 45_000):
    """A new page of the browser context ``ctx`` sent to ``url`` (not waited for), with its :class:`Recorder`."""
    page = ctx.new_page()
    page.set_default_timeout(timeout)
    rec = Recorder(page)
    page.goto(url)
    return page, rec


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


# WCAG AA contrast of every visible text on the page against its effective background (alpha and opacity
# blended over the backgrounds behind it): 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Left out:
# chart text inside SVG (its colours are the figure's, set in charts/), Material icons (decorative glyphs, not
# text), the slider's own track labels (drawn over the track's coloured background element) and disabled
# controls (exempt in WCAG 1.4.3; the year slider while the map animates). Returns the
# failures: text, ratio, colour, the nearest data-testid.
CONTRAST_JS = r"""() => {
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bgOf = (el) => { let layers = []; for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let out = [255, 255, 255]; for (let i = layers.length - 1; i >= 0; i--) { const [r, g, b, a] = layers[i];
      out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)]; } return out; };
  const fails = []; const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n; while ((n = walker.nextNode())) {
    const text = n.textContent.trim(); if (!text) continue;
    const el = n.parentElement; if (!el || seen.has(el)) continue; seen.add(el);
    if (el.closest('svg')) continue;  // chart text: the figure's own colours, checked in the chart tests
    const box = el.closest('[data-testid="stElementContainer"]');  // a disabled control is exempt (WCAG 1.4.3)
    if (box && box.querySelector('[disabled], [aria-disabled="true"]')) continue;
    if (el.closest('[data-testid="stIconMaterial"], [data-baseweb="slider"], [data-testid="stSliderTickBar"], [data-testid="stSliderThumbValue"]')) continue;
    const cs = getComputedStyle(el); const r = el.getBoundingClientRect();
    if (cs.visibility === 'hidden' || cs.display === 'none' || r.width === 0 || r.height === 0 || parseFloat(cs.opacity) === 0) continue;
    let op = 1; for (let e = el; e; e = e.parentElement) op *= parseFloat(getComputedStyle(e).opacity);
    const fg = parse(cs.color); const bg = bgOf(el); const a = fg[3] * op;
    const fgb = [fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a), fg[2] * a + bg[2] * (1 - a)];
    const L1 = lum(fgb), L2 = lum(bg); const ratio = (Math.max(L1, L2) + 0.05) / (Math.min(L1, L2) + 0.05);
    const size = parseFloat(cs.fontSize); const bold = parseInt(cs.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) fails.push({text: text.slice(0, 60), ratio: Math.round(ratio * 100) / 100, color: cs.color,
                                  testid: (el.closest('[data-testid]') || {}).dataset?.testid || '', tag: el.tagName});
  }
  return fails;
}
"""


def overflow_report(page) -> dict:
    """What a reader at this width would have to scroll sideways: the page itself, and each HTML table."""
    return page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]') || document.documentElement;
        const tables = [...document.querySelectorAll('table.fp-table')].filter(t => t.getBoundingClientRect().width > 0)
            .filter(t => t.scrollWidth > t.clientWidth + 1 || t.getBoundingClientRect().right > window.innerWidth + 1)
            .map(t => t.innerText.slice(0, 60));
        return {page: Math.max(document.documentElement.scrollWidth, main.scrollWidth) - window.innerWidth, tables};
    }""")


TOOLBAR_SHOWN = """el => { const box = el.querySelector('.modebar-container'), bar = el.querySelector('.modebar');
    return !box || !bar || getComputedStyle(box).display === 'none' || parseFloat(getComputedStyle(bar).opacity) > 0; }"""


def toolbar_overlaps(page) -> list[str]:
    """Chart titles that a visible plotly toolbar (modebar) covers, after hovering each chart."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # not at the top: conftest reports it missing

    out = []
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.hover(position={"x": 20, "y": 60}, force=True)  # the app's fixed header may lie over the chart's top
        try:  # plotly fades its toolbar in on hover (where the page shows it at all)
            page.wait_for_function(TOOLBAR_SHOWN, arg=chart.element_handle(), timeout=3_000)
        except PlaywrightTimeout:
            pass  # the hover did not reach the chart: no toolbar to measure, as the check below finds
        out += chart.evaluate("""el => {
            const bar = el.querySelector('.modebar-container'); const title = el.querySelector('.gtitle');
            if (!bar || !title || getComputedStyle(bar).display === 'none') return [];
            const a = bar.querySelector('.modebar') ? bar.querySelector('.modebar').getBoundingClientRect() : bar.getBoundingClientRect();
            if (a.width === 0 || parseFloat(getComputedStyle(bar.querySelector('.modebar') || bar).opacity) === 0) return [];
            const b = title.getBoundingClientRect();
            const hit = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            return hit ? [title.textContent] : [];
        }""")
    return out


def titles_cut(page) -> list[str]:
    """Chart titles not wholly inside their chart's drawing (a line above or beside the element is not seen): each
    as "text: top/bottom/left/right off by N px"."""
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd => {
        const svg = gd.querySelector('.main-svg'); const t = gd.querySelector('.g-gtitle text.gtitle');
        if (!svg || !t || !t.textContent.trim()) return [];
        const a = svg.getBoundingClientRect(), b = t.getBoundingClientRect(); const out = [];
        if (b.top < a.top - 1) out.push('top off by ' + Math.round(a.top - b.top) + ' px');
        if (b.bottom > a.bottom + 1) out.push('bottom off by ' + Math.round(b.bottom - a.bottom) + ' px');
        if (b.left < a.left - 1) out.push('left off by ' + Math.round(a.left - b.left) + ' px');
        if (b.right > a.right + 1) out.push('right off by ' + Math.round(b.right - a.right) + ' px');
        return out.length ? [t.textContent + ': ' + out.join(', ')] : []; })""")


def text_cut(page) -> list[str]:
    """Chart text a reader cannot read whole: the title, legend entries, axis titles, bar labels, annotations and
    tick labels, each checked against its chart's drawing (the SVG: what lies outside is cut off), a legend entry
    also against its legend's box (plotly clips the entries to it) and a label drawn inside the plot also against
    the plot area when its trace clips to it. Each as "kind 'text': side off by N px"."""
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd => {
        const svg = gd.querySelector('.main-svg'); if (!svg) return [];
        const out = [];
        const check = (kind, el, box) => {
          const b = el.getBoundingClientRect(); if (b.width === 0 || b.height === 0) return;
          const off = [];
          if (b.top < box.top - 1) off.push('top off by ' + Math.round(box.top - b.top) + ' px');
          if (b.bottom > box.bottom + 1) off.push('bottom off by ' + Math.round(b.bottom - box.bottom) + ' px');
          if (b.left < box.left - 1) off.push('left off by ' + Math.round(box.left - b.left) + ' px');
          if (b.right > box.right + 1) off.push('right off by ' + Math.round(b.right - box.right) + ' px');
          if (off.length) out.push(kind + " '" + el.textContent.trim().slice(0, 50) + "': " + off.join(', '));
        };
        const whole = svg.getBoundingClientRect();
        const kinds = [['title', '.g-gtitle text.gtitle'], ['legend', '.legend text.legendtext'],
                       ['axis title', '.g-xtitle text, .g-ytitle text, .g-x2title text, .g-y2title text'],
                       ['bar label', 'text.bartext'], ['annotation', '.annotation-text'],
                       ['tick', '.xtick text, .ytick text']];
        for (const [kind, sel] of kinds) {
          for (const el of gd.querySelectorAll(sel)) {
            if (!el.textContent.trim() || getComputedStyle(el).display === 'none' || el.closest('[display="none"]')) continue;
            check(kind, el, whole);
            if (kind === 'legend') { const bg = el.closest('.legend').querySelector('rect.bg');
              if (bg) check(kind + ' (its box)', el, bg.getBoundingClientRect()); }
            if (kind === 'bar label') { const layer = el.closest('.plot[clip-path]'); const drag = gd.querySelector('.nsewdrag');
              if (layer && drag) check(kind + ' (plot area)', el, drag.getBoundingClientRect()); }
          }
        }
        return out; })""")


def wait_url(page, pattern: str, timeout: float = 45_000) -> None:
    """Wait until the address bar matches ``pattern`` (a regular expression). The app writes the reader's choices
    into the address with history.replaceState, which Playwright's wait_for_url does not always see."""
    page.wait_for_function("p => new RegExp(p).test(location.href)", arg=pattern, timeout=timeout)


# Every chart on the page drawn at the size of its element: after a change of the window's size Streamlit and plotly
# lay each chart out again at the new size (up to ~0.9 s on a phone width), and the width and height plotly drew
# it at (its _fullLayout) match its element's box again only once that is done.
CHARTS_FIT = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd.getBoundingClientRect().width > 0)
    .every(gd => { const r = gd.getBoundingClientRect(), l = gd._fullLayout;
                   return !!l && Math.abs(l.width - r.width) <= 1 && Math.abs(l.height - r.height) <= 1; })"""


def resize(page, width: int, height: int) -> None:
    """Give the page a new window size and wait until its charts are laid out again at it (CHARTS_FIT)."""
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function(CHARTS_FIT, timeout=30_000)


def next_paint(page) -> None:
    """Wait until the browser has painted what the page holds now (two animation frames: the next frame's style
    and layout, then its paint), e.g. before a screenshot right after a chart was redrawn."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))")


def poll_until(measure, ok, timeout: float = 30.0, interval: float = 0.05, hold: int = 3):
    """Call ``measure()`` until ``ok(value)`` has held for ``hold`` calls in a row (a layout caught between two
    steps of a change can match for a moment) or ``timeout`` seconds have passed; returns the last value, for the
    caller's assertion (which then shows the numbers it failed on). For conditions that span several frames of a
    page (an article's iframe height against the height of the page inside it)."""
    deadline = time.monotonic() + timeout
    held = 0
    while True:
        value = measure()
        held = held + 1 if ok(value) else 0
        if held >= hold or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# A snapshot page (export/static/draw.js) has drawn its chart and is done changing its layout: the document and
# its fonts are loaded, plotly has laid the figure out and, on a page with animation frames, added them (the last
# step draw.js takes).
SNAPSHOT_DRAWN = """() => {
    const gd = document.getElementById('chart');
    return document.readyState === 'complete' && document.fonts.status === 'loaded' && !!gd && !!gd._fullLayout
        && !!gd.querySelector('.main-svg')
        && (!document.getElementById('fp-frames') || (gd._transitionData && gd._transitionData._frames.length > 0));
}"""


def every_view_and_tab(links: dict[str, str]) -> dict[str, str]:
    """``links`` (name -> link relative to the app's root), plus a link for each view of the registry and each of
    its tabs that none of them opens yet: a view or a tab added to prep/registry.py is in every browser pass that
    lists links this way, with nothing to add here."""
    out = dict(links)

    def opened(url: str, section: str | None) -> bool:
        for link in out.values():
            path, _, query = link.partition("?")
            if path == url and parse_qs(query).get("section", [None])[-1] == section:
                return True
        return False

    for v in registry.VIEWS:
        for i, tab in enumerate(v.tabs or (None,)):
            if i == 0 and not (opened(v.url, None) or opened(v.url, tab)):
                out[v.path] = v.url
            elif i and not opened(v.url, tab):
                out[f"{v.path}-{tab.lower().replace(' ', '-')}"] = f"{v.url}?section={quote_plus(tab)}"
    return out
