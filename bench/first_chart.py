"""Time to first drawn chart for every view vs the framework floor, plus rerun time, bytes and memory.

One run starts two servers (the dashboard and bench/floor_app.py) and measures, in Chromium via Playwright:

1. time from navigation to the first drawn chart (`[data-testid="stPlotlyChart"] g.trace` or map shapes), for
   every view of the dashboard and for the floor app, alternating floor/view in each round, a fresh browser
   context (empty cache) per load, several rounds; medians and the ratio to the floor median;
2. server time of a rerun after a year change on the map view (protocol client, sequential reruns; p50/p95);
3. bytes received over the websocket for the first render of the map view (Playwright websocket frames), and
   the HTTP bytes of that load (the topojson is served by static serving);
4. server memory (RSS, process + children) at start, after warm-up and with 10 sessions open on every view.

    python -m bench.first_chart                      # dashboard.py, 5 rounds
    python -m bench.first_chart --rounds 3 --json bench/results/first_chart.json

Targets (docs/performance.md): every view <= 1.3x floor; p95 rerun <= 150 ms; first map render <= 200 KB.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import percentile  # noqa: E402
from bench.server import ROOT, rss_kb, start_streamlit  # noqa: E402
from hosting.stclient import Session  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
DRAWN = (
    '[data-testid="stPlotlyChart"] .main-svg g.trace, '
    '[data-testid="stPlotlyChart"] path.choroplethlocation, '
    '[data-testid="stPlotlyChart"] .scattergeo path.point'
)


def machine() -> str:
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (StopIteration, OSError):
        cpu = platform.processor() or "?"
    import os

    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} CPU ({cpu}), {mem_gb:.0f} GB RAM, {platform.system()} {platform.release()}"


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def load_once(browser, url: str, timeout_ms: int = 60_000) -> dict:
    """Open `url` in a fresh context; seconds until a chart is drawn, websocket and HTTP bytes received."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    ws_bytes = [0]
    http = []

    def on_ws(ws):
        ws.on("framereceived", lambda payload: ws_bytes.__setitem__(0, ws_bytes[0] + len(payload)))

    page.on("websocket", on_ws)
    page.on("requestfinished", lambda req: http.append(req))
    t0 = time.perf_counter()
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_selector(DRAWN, state="attached", timeout=timeout_ms)
        seconds = time.perf_counter() - t0
        # let the run finish (the status widget disappears) so the byte counts cover the whole first render
        page.wait_for_timeout(1500)
        exc = page.locator('[data-testid="stException"]').count()
    except Exception as e:  # a view without a chart, or a broken one: reported, not fatal
        seconds, exc = float("nan"), -1
        print(f"  ! {url}: {type(e).__name__}: {str(e).splitlines()[0]}")
    http_bytes = 0
    for req in http:
        try:
            http_bytes += req.sizes()["responseBodySize"]
        except Exception:
            pass
    ctx.close()
    return {"seconds": seconds, "ws_bytes": ws_bytes[0], "http_bytes": http_bytes, "exceptions": exc}


async def rerun_times(ws_url: str, page: str, n: int, param: str = "year", lo: int = 1950, hi: int = 2025):
    rng = random.Random(7)
    async with Session(ws_url) as s:
        first = await s.run(page, "")
        if not first.ok:
            raise RuntimeError(f"view {page!r} does not render: {first.problem()}")
        times = []
        for _ in range(n):
            r = await s.run(page, f"{param}={rng.randint(lo, hi)}", history_navigation=True)
            if not r.ok:
                raise RuntimeError(f"rerun failed: {r.problem()}")
            times.append(r.seconds)
    return times


async def open_sessions(ws_url: str, views: list[str], n: int) -> list[Session]:
    sessions = []
    for _ in range(n):
        s = Session(ws_url)
        await s.open()
        for v in views:
            # a view is a page's url path, or "?query" on the default page (the Spanish map: "?lang=es")
            r = await (s.run("", v[1:]) if v.startswith("?") else s.run(v, ""))
            if not r.ok:
                raise RuntimeError(f"view {v!r}: {r.problem()}")
        sessions.append(s)
    return sessions


async def discover(ws_url: str) -> tuple[list[str], list[str]]:
    """url paths of the st.navigation pages ("" = the default page, served at the root) that draw a plotly
    chart, and those that draw none (not timed: there is no chart to wait for)."""
    async with Session(ws_url) as s:
        r = await s.run("", "")
        if not r.ok:
            raise RuntimeError(f"default page does not render: {r.problem()}")
        paths = [p.url_pathname for p in s.pages if not p.url_pathname.startswith("http") and not p.is_hidden] or [""]
        with_chart, without = [], []
        for path in paths:
            run = r if path == "" else await s.run(path, "")
            (with_chart if run.elements.get("plotly_chart") else without).append(path)
        return with_chart, without


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default=str(ROOT / "dashboard.py"))
    ap.add_argument("--floor", default=str(ROOT / "bench" / "floor_app.py"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--map-view", default="", help='url path of the map view ("" = default page, the map)')
    ap.add_argument("--reruns", type=int, default=40, help="year changes on the map view for the rerun p95")
    ap.add_argument("--views", help='comma-separated url paths to time (default: every view with a chart, and '
                    'the Spanish default view; "" or "where" for the map, "es" for the Spanish map)')
    ap.add_argument("--skip-server", action="store_true", help="only the first-chart timings (no rerun/memory part)")
    ap.add_argument("--json", help="write the numbers to this file too")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops the servers

    result: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "commit": commit(),
        "rounds": args.rounds,
    }
    app_srv = start_streamlit(args.app, log_path=ROOT / "test-artifacts" / "first_chart-app.log")
    app_srv.wait_warm()  # app.py: measured once its start-up warm-up is done
    floor_srv = start_streamlit(args.floor, log_path=ROOT / "test-artifacts" / "first_chart-floor.log")
    try:
        rss_start = rss_kb([app_srv.pid])
        views, chartless = asyncio.run(discover(app_srv.ws_url))
        if args.views is not None:
            wanted = ["" if v in ("", "where", "(default)") else v for v in args.views.split(",")]
            views = [v for v in views if v in wanted]
        if args.views is None or "es" in args.views.split(","):
            views = views + ["?lang=es"]  # the Spanish default view (the map), timed like the others
        result["views_without_chart"] = chartless
        print(f"views: {views} (no chart: {chartless}); {args.rounds} rounds; {result['machine']}; "
              f"commit {result['commit']}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            # warm-up: one load of each (server imports, caches; browser disk cache is per context anyway)
            load_once(browser, floor_srv.url)
            for v in views:
                load_once(browser, app_srv.url + v)
            samples: dict[str, list[dict]] = {"floor": [], **{v: [] for v in views}}
            for rnd in range(args.rounds):
                for v in views:
                    samples["floor"].append(load_once(browser, floor_srv.url))
                    samples[v].append(load_once(browser, app_srv.url + v))
                print(f"  round {rnd + 1}/{args.rounds} done")
            browser.close()
        samples = {(k or "(default)") if k != "floor" else k: v for k, v in samples.items()}
        views = [v or "(default)" for v in views]
        map_key = args.map_view or "(default)"
        med = {k: statistics.median(s["seconds"] for s in ss) for k, ss in samples.items()}
        floor = med["floor"]
        result["first_chart_median_s"] = {k: round(v, 3) for k, v in med.items()}
        result["first_chart_samples_s"] = {k: [round(s["seconds"], 3) for s in ss] for k, ss in samples.items()}
        result["ratio_to_floor"] = {k: round(v / floor, 2) for k, v in med.items() if k != "floor"}
        # The same samples paired: each view load against the floor load just before it (same round), median of
        # those ratios. Robust to the machine slowing down or speeding up during the run, which on a shared VM
        # moves the ratio of medians by 0.1 or more.
        fl = samples["floor"]
        result["paired_ratio_median"] = {
            k: round(statistics.median(s["seconds"] / fl[i * len(views) + j]["seconds"] for i, s in enumerate(ss)), 2)
            for j, (k, ss) in enumerate((k, samples[k]) for k in views)
        }
        result["exceptions_seen"] = {k: max(s["exceptions"] for s in ss) for k, ss in samples.items()}
        if map_key in samples:
            m = samples[map_key]
            result["map_first_render_ws_bytes_median"] = int(statistics.median(s["ws_bytes"] for s in m))
            result["map_first_render_http_bytes_median"] = int(statistics.median(s["http_bytes"] for s in m))
        result["floor_first_render_ws_bytes_median"] = int(statistics.median(s["ws_bytes"] for s in samples["floor"]))

        if args.skip_server:
            views = []
        if map_key in views:
            times = asyncio.run(rerun_times(app_srv.ws_url, args.map_view, args.reruns))
            result["map_year_rerun_ms"] = {
                "n": len(times),
                "p50": round(percentile(times, 0.5) * 1000, 1),
                "p95": round(percentile(times, 0.95) * 1000, 1),
                "max": round(max(times) * 1000, 1),
            }
        result["rss_mb_start"] = round(rss_start / 1024, 1)
        result["rss_mb_warm"] = round(rss_kb([app_srv.pid]) / 1024, 1)

        async def ten():
            all_views = [v if v != "(default)" else "" for v in views] + chartless
            sessions = await open_sessions(app_srv.ws_url, all_views, 10)
            await asyncio.sleep(1)
            kb = rss_kb([app_srv.pid])
            for s in sessions:
                await s.close()
            return kb

        if not args.skip_server:
            result["rss_mb_10_sessions"] = round(asyncio.run(ten()) / 1024, 1)
    finally:
        app_srv.stop()
        floor_srv.stop()

    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    ok = (
        all(r <= 1.3 for r in result["ratio_to_floor"].values())
        and result.get("map_year_rerun_ms", {}).get("p95", 0) <= 150
        and result.get("map_first_render_ws_bytes_median", 0) <= 200_000
    )
    print("targets met" if ok else "targets NOT met (see above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
