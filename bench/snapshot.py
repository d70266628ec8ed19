"""Static snapshot costs: build time, size on disk, and per page what a first visit loads (raw and gzipped) and
how long Chromium takes to draw it from a local static server.

    python -m bench.snapshot [--countries all|N|ISO,ISO] [--browser]

Builds into a temporary folder (removed afterwards) and prints one JSON document."""
from __future__ import annotations

import argparse
import functools
import json
import shutil
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from export import snapshot
from export.__main__ import _countries


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def draw_times(out: Path, pages: list[str]) -> dict[str, float]:
    """Seconds from navigation to the chart's SVG with data drawn, per page, each in a fresh browser context
    (cold cache: plotly.min.js is fetched and parsed every time)."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    times = {}
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for rel in pages:
                ctx = b.new_context(viewport={"width": 1280, "height": 1000})
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(base + rel)
                page.wait_for_selector("path.choroplethlocation, .scatterlayer .trace path, .barlayer .trace path",
                                       state="attached", timeout=60_000)
                times[rel] = round(time.perf_counter() - t0, 2)
                ctx.close()
            b.close()
    finally:
        server.shutdown()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--countries", default="all")
    ap.add_argument("--browser", action="store_true", help="also time each kind of page's draw in Chromium")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        out = tmp / "out"
        t0 = time.perf_counter()
        meta = snapshot.build(out, countries=_countries(args.countries))
        build_s = time.perf_counter() - t0
        s = snapshot.sizes(out)
        pages = s["pages"]
        countries = [k for k in pages if k.startswith("country/")]
        result = {"pages": len(pages), "countries": len(countries), "build_seconds": round(build_s, 1),
                  "files": s["files"], "mb_on_disk": round(s["bytes_on_disk"] / 1e6, 2),
                  "plotly_min_js_kb": round(s["plotly_min_js"] / 1e3),
                  "html_kb_total": round(sum(p["html"] for p in pages.values()) / 1e3),
                  "csv_kb_total": round(sum(p["csv"] for p in pages.values()) / 1e3),
                  "first_visit_kb": {k: {"raw": round(v["raw"] / 1e3), "gzip": round(v["gzip"] / 1e3),
                                         "page_html": round(v["html"] / 1e3)}
                                     for k, v in pages.items() if not k.startswith("country/") or k == (countries[:1] or [""])[0]}}
        if args.browser:
            kinds = ["world-map.html", "troops-total.html", "budget-authority.html"] + countries[:1]
            result["draw_seconds_cold"] = draw_times(out, kinds)
        print(json.dumps(result, indent=1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
