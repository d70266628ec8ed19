"""Static snapshot costs: build time, size on disk, and per page what a first visit loads (raw and gzipped) and
how long Chromium takes to draw it from a local static server, beside the Streamlit floor app.

    python -m bench.snapshot [--countries all|N|ISO,ISO] [--browser]
    python -m bench.snapshot --countries PER --floor --rounds 7 --json bench/results/DATE-snapshot-floor.json

--browser  times one cold load of each kind of page (map, troops, budget, one country).
--floor    the issue's measurement: starts bench/floor_app.py (the smallest Streamlit page with one plotly chart)
           and, in each round, loads the floor then a snapshot page, alternating, for every kind of page; a fresh
           browser context (empty cache) per load. Time = navigation start to the first drawn chart (the same
           wait as bench.first_chart: a plotly trace group or a map shape in the DOM). Reported: medians, the
           paired ratio (median over rounds of page / the floor load just before it, robust to the shared
           machine speeding up or slowing down), the bytes each load received, and where a snapshot load's time
           goes (Navigation/Resource Timing: HTML, plotly.js, outline; the first script run to the chart).
           Target: every snapshot page's paired ratio <= 0.5.

Builds into a temporary folder (removed afterwards) and prints one JSON document."""
from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from export import snapshot
from export.__main__ import _countries

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SNAP_DRAWN = ".main-svg g.trace, path.choroplethlocation"  # as bench.first_chart's DRAWN, outside Streamlit
FLOOR_DRAWN = '[data-testid="stPlotlyChart"] .main-svg g.trace'

# When in the page's life each step ended (ms from navigation start), read in the page after the draw.
TIMING_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0] || {};
  const res = performance.getEntriesByType('resource').map(r => ({name: r.name.split('/').slice(3).join('/'),
      start: Math.round(r.startTime), end: Math.round(r.responseEnd), bytes: r.encodedBodySize}));
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {html_end: Math.round(nav.responseEnd || 0), dom_interactive: Math.round(nav.domInteractive || 0),
          dom_content_loaded: Math.round(nav.domContentLoadedEventEnd || 0), html_bytes: nav.encodedBodySize || 0,
          first_paint: fcp ? Math.round(fcp.startTime) : null, resources: res,
          drawn: window.__fpDrawn ? Math.round(window.__fpDrawn) : null, now: Math.round(performance.now())};
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(out: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def load(browser, url: str, selector: str, timing: bool = False, timeout_ms: int = 60_000) -> dict:
    """One load in a fresh context (cold cache): seconds to the first drawn chart, bytes received over HTTP."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    got: list = []
    page.on("requestfinished", lambda req: got.append(req))
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(selector, state="attached", timeout=timeout_ms)
    seconds = time.perf_counter() - t0
    row = {"seconds": seconds}
    if timing:
        page.wait_for_load_state("load")
        row["timing"] = page.evaluate(TIMING_JS)
    else:
        page.wait_for_timeout(300)
    total = 0
    for req in got:
        try:
            total += req.sizes()["responseBodySize"]
        except Exception:
            pass
    row["http_bytes"] = total
    ctx.close()
    return row


def draw_times(out: Path, pages: list[str]) -> dict[str, float]:
    """Seconds from navigation to the chart drawn, per page, each in a fresh browser context (cold cache)."""
    from playwright.sync_api import sync_playwright

    server, base = serve(out)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            times = {rel: round(load(b, base + rel, SNAP_DRAWN)["seconds"], 2) for rel in pages}
            b.close()
    finally:
        server.shutdown()
    return times


def beside_floor(out: Path, kinds: list[str], rounds: int) -> dict:
    """The paired measurement against bench/floor_app.py (see the module docstring)."""
    from playwright.sync_api import sync_playwright

    from bench.first_chart import machine
    from bench.server import ROOT, start_streamlit

    server, base = serve(out)
    floor = start_streamlit(ROOT / "bench" / "floor_app.py", log_path=ROOT / "test-artifacts" / "snapshot-floor.log")
    samples: dict[str, list[dict]] = {"floor": [], **{k: [] for k in kinds}}
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            load(b, floor.url, FLOOR_DRAWN)  # warm-up: the server's first run imports plotly
            for k in kinds:
                load(b, base + k, SNAP_DRAWN)
            for rnd in range(rounds):
                for k in kinds:
                    samples["floor"].append(load(b, floor.url, FLOOR_DRAWN))
                    samples[k].append(load(b, base + k, SNAP_DRAWN, timing=True))
                print(f"  round {rnd + 1}/{rounds} done", file=sys.stderr)
            b.close()
    finally:
        floor.stop()
        server.shutdown()
    med = {k: statistics.median(s["seconds"] for s in ss) for k, ss in samples.items()}
    fl = samples["floor"]
    paired = {k: round(statistics.median(s["seconds"] / fl[i * len(kinds) + j]["seconds"]
                                         for i, s in enumerate(samples[k])), 2) for j, k in enumerate(kinds)}

    def breakdown(ss: list[dict]) -> dict:
        """Medians (ms from navigation start) of when each step ended."""
        t = [s["timing"] for s in ss]
        out = {"html_received": statistics.median(x["html_end"] for x in t),
               "dom_interactive": statistics.median(x["dom_interactive"] for x in t),
               "dom_content_loaded": statistics.median(x["dom_content_loaded"] for x in t)}
        for name in sorted({r["name"] for x in t for r in x["resources"]}):
            ends = [r["end"] for x in t for r in x["resources"] if r["name"] == name]
            out[f"{name} received"] = statistics.median(ends)
        return out

    return {"machine": machine(), "rounds": rounds,
            "first_chart_median_s": {k: round(v, 3) for k, v in med.items()},
            "first_chart_samples_s": {k: [round(s["seconds"], 3) for s in ss] for k, ss in samples.items()},
            "ratio_of_medians": {k: round(med[k] / med["floor"], 2) for k in kinds},
            "paired_ratio_median": paired,
            "http_bytes_per_load_median": {k: int(statistics.median(s["http_bytes"] for s in ss))
                                           for k, ss in samples.items()},
            "snapshot_timeline_ms_median": {k: breakdown(samples[k]) for k in kinds},
            "target_met": all(v <= 0.5 for v in paired.values())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--countries", default="all")
    ap.add_argument("--browser", action="store_true", help="also time each kind of page's draw in Chromium")
    ap.add_argument("--floor", action="store_true", help="time each kind of page beside the Streamlit floor app")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--country", default="PER", help="the country page timed (default PER; else the first built)")
    ap.add_argument("--json", help="write the result to this file too")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        out = tmp / "out"
        t0 = time.perf_counter()
        snapshot.build(out, countries=_countries(args.countries))
        build_s = time.perf_counter() - t0
        s = snapshot.sizes(out)
        pages = s["pages"]
        countries = [k for k in pages if k.startswith("country/")]
        from bench.first_chart import commit

        result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": commit(),
                  "pages": len(pages), "countries": len(countries), "build_seconds": round(build_s, 1),
                  "files": s["files"], "mb_on_disk": round(s["bytes_on_disk"] / 1e6, 2),
                  "js_kb": {k: round(v / 1e3) for k, v in s["js"].items()},
                  "html_kb_total": round(sum(p["html"] for p in pages.values()) / 1e3),
                  "csv_kb_total": round(sum(p["csv"] for p in pages.values()) / 1e3),
                  "first_visit_kb": {k: {"raw": round(v["raw"] / 1e3), "gzip": round(v["gzip"] / 1e3),
                                         "page_html": round(v["html"] / 1e3)}
                                     for k, v in pages.items() if not k.startswith("country/") or k == f"country/{args.country}.html"}}
        chosen = f"country/{args.country}.html"
        kinds = ["world-map.html", "troops-total.html", "budget-authority.html"] + ([chosen] if chosen in countries
                                                                                 else countries[:1])
        if args.browser:
            result["draw_seconds_cold"] = draw_times(out, kinds)
        if args.floor:
            result["beside_floor"] = beside_floor(out, kinds, args.rounds)
        text = json.dumps(result, indent=1)
        print(text)
        if args.json:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(text + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
