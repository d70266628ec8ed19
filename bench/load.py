"""Load driver: N concurrent Streamlit sessions over the app's own websocket protocol.

Each session is one "browser tab": it opens `/_stcore/stream`, loads a view, then for the set time keeps
switching views and years (a rerun per change, with a think time between), waiting each time for
`script_finished`. Printed: per-rerun latency p50/p95/p99, errors, bytes received, and the server's resident
memory (process + children) before, during (peak), after the sessions close and after
`server.disconnectedSessionTTL`.

    python -m bench.load --app dashboard.py                        # starts its own server (50 x 60 s)
    python -m bench.load --app bench/floor_app.py --short          # CI size: 5 sessions x 5 s
    python -m bench.load --url http://127.0.0.1:8080/ --pid 123 --pid 456 --ttl 120   # a running deployment
    python -m bench.load --app dashboard.py --burst --sessions 50 --ramp 2   # an article goes live
    python -m bench.load --app dashboard.py --loopers 2 --sessions 10 --duration 60   # animation loopers

Targets (docs/performance.md): 50 sessions x 60 s, 0 errors, p95 <= 1 s, memory growth <= 100 MB.

``--burst``: every session connects within ``--ramp`` seconds and does one first load (a new tab), on a warm
server with one other tab open; printed: first-load p50/p95/max and errors. Target: p95 <= 1.5 s at 50 in 2 s.

``--loopers N``: the ordinary sessions run twice, first alone and then beside N sessions that loop without a
pause through every animation (``?play=true`` x measure x log x language, the map view); printed: the ordinary
sessions' p95 (all runs, and reruns after the first) in both runs and the ratio. Target: ratio <= 1.5.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import i18n  # noqa: E402
from bench.server import ROOT, rss_kb, start_streamlit  # noqa: E402
from hosting.stclient import RunResult, Session  # noqa: E402


def parse_vary(specs: list[str]) -> dict[str, list[str]]:
    """`year=1950-2025` -> {"year": ["1950", ..., "2025"]}; `country=DEU,JPN` -> {"country": ["DEU", "JPN"]}."""
    out: dict[str, list[str]] = {}
    for spec in specs:
        name, _, values = spec.partition("=")
        if not name or not values:
            raise ValueError(f"--vary expects NAME=A-B or NAME=a,b,c, got {spec!r}")
        if "," not in values and "-" in values.strip("-"):
            lo, hi = values.split("-", 1)
            out[name] = [str(v) for v in range(int(lo), int(hi) + 1)]
        else:
            out[name] = [v for v in values.split(",") if v]
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


@dataclass
class LoadReport:
    sessions: int
    duration_s: float
    views: list[str]
    reruns: int = 0
    finished: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    bytes_received: int = 0
    rss_kb: dict[str, int] = field(default_factory=dict)
    per_view_p95_s: dict[str, float] = field(default_factory=dict)
    first_p95_s: float = float("nan")
    rerun_p95_s: float = float("nan")
    # seconds after the first BackMsg of the load: when the tabs' first runs were sent and when they finished
    first_sent_s: list[float] = field(default_factory=list)
    first_done_s: list[float] = field(default_factory=list)

    def summary(self) -> dict:
        lat = self.latencies_s
        d = {
            "sessions": self.sessions,
            "duration_s": self.duration_s,
            "views": self.views,
            "reruns": self.reruns,
            "finished": self.finished,
            "errors": self.errors,
            "error_samples": self.error_samples[:10],
            "p50_ms": round(percentile(lat, 0.50) * 1000, 1),
            "p95_ms": round(percentile(lat, 0.95) * 1000, 1),
            "p99_ms": round(percentile(lat, 0.99) * 1000, 1),
            "max_ms": round(max(lat) * 1000, 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
            "bytes_received": self.bytes_received,
            "rss_mb": {k: round(v / 1024, 1) for k, v in self.rss_kb.items()},
            "per_view_p95_ms": {k: round(v * 1000, 1) for k, v in self.per_view_p95_s.items()},
            "first_run_p95_ms": round(self.first_p95_s * 1000, 1),
            "later_rerun_p95_ms": round(self.rerun_p95_s * 1000, 1),
        }
        if self.first_done_s:
            d["first_runs_sent_s"] = [round(min(self.first_sent_s), 2), round(max(self.first_sent_s), 2)]
            d["first_runs_done_s"] = [round(min(self.first_done_s), 2), round(max(self.first_done_s), 2)]
        if "warm" in self.rss_kb and "after_ttl" in self.rss_kb:
            d["rss_growth_mb"] = round((self.rss_kb["after_ttl"] - self.rss_kb["warm"]) / 1024, 1)
        return d


async def _discover_views(ws_url: str) -> list[str]:
    async with Session(ws_url) as s:
        r = await s.run("", "")
        if not r.ok:
            raise RuntimeError(f"the app's default page does not render: {r.problem()}")
        views = [p.url_pathname for p in s.pages if not p.url_pathname.startswith("http") and not p.is_hidden]
    return views or [""]


async def _warm_up(ws_url: str, views: list[str]) -> None:
    """One session loads every view once (imports, caches) so "warm" memory excludes one-off start-up cost."""
    async with Session(ws_url) as s:
        for v in views:
            r = await s.run(v, "")
            if not r.ok:
                raise RuntimeError(f"warm-up: view {v!r} does not render: {r.problem()}")


async def _one_session(
    idx: int,
    ws_url: str,
    views: list[str],
    vary: dict[str, list[str]],
    stop_at: float,
    think: tuple[float, float],
    seed: int,
    results: list[RunResult],
    report: LoadReport,
    start_delay: float,
) -> None:
    rng = random.Random(seed * 1000 + idx)
    await asyncio.sleep(start_delay)
    try:
        session = Session(ws_url)
        await session.open()
    except Exception as exc:
        report.errors += 1
        report.error_samples.append(f"session {idx}: connect failed: {type(exc).__name__}: {exc}")
        return
    try:
        first = True
        while time.monotonic() < stop_at:
            view = rng.choice(views)
            query = "&".join(f"{k}={rng.choice(v)}" for k, v in vary.items())
            r = await session.run(view, query, history_navigation=not first)
            r.first_in_session = first  # the tab's first run (new session) vs a rerun after a change
            first = False
            results.append(r)
            report.bytes_received += r.bytes_received
            if not r.ok:
                report.errors += 1
                report.error_samples.append(f"session {idx} view={view!r} ?{query}: {r.problem()}")
                if r.error:  # the connection is gone; a real tab would reconnect, we count it and stop
                    break
            await asyncio.sleep(rng.uniform(*think))
    finally:
        await session.close()


async def run_load(
    ws_url: str,
    pids: list[int],
    *,
    sessions: int = 50,
    duration: float = 60.0,
    views: list[str] | None = None,
    vary: dict[str, list[str]] | None = None,
    think: tuple[float, float] = (3.0, 10.0),
    ttl_wait: float = 0.0,
    seed: int = 1,
    ramp: float = 2.0,
    log=print,
) -> LoadReport:
    vary = vary if vary is not None else {"year": [str(y) for y in range(1950, 2026)]}
    if views is None:
        views = await _discover_views(ws_url)
    report = LoadReport(sessions=sessions, duration_s=duration, views=views)
    if pids:
        report.rss_kb["cold"] = rss_kb(pids)
    await _warm_up(ws_url, views)
    if pids:
        await asyncio.sleep(1.0)
        report.rss_kb["warm"] = rss_kb(pids)
    log(f"views: {views}; {sessions} sessions x {duration:.0f} s, think {think[0]}-{think[1]} s")

    results: list[RunResult] = []
    peak = 0
    stop_at = time.monotonic() + duration + ramp

    async def sample() -> None:
        nonlocal peak
        while time.monotonic() < stop_at:
            if pids:
                peak = max(peak, rss_kb(pids))
            await asyncio.sleep(1.0)

    sampler = asyncio.create_task(sample())
    await asyncio.gather(
        *(
            _one_session(i, ws_url, views, vary, stop_at, think, seed, results, report, ramp * i / max(sessions, 1))
            for i in range(sessions)
        )
    )
    sampler.cancel()
    report.reruns = len(results)
    report.finished = sum(1 for r in results if r.finished)
    report.latencies_s = [r.seconds for r in results if r.finished]
    report.first_p95_s = percentile([r.seconds for r in results if r.finished and r.first_in_session], 0.95)
    report.rerun_p95_s = percentile([r.seconds for r in results if r.finished and not r.first_in_session], 0.95)
    if results:
        t0 = min(r.started for r in results)
        firsts = [r for r in results if r.finished and r.first_in_session]
        report.first_sent_s = [r.started - t0 for r in firsts]
        report.first_done_s = [r.started + r.seconds - t0 for r in firsts]
    for v in views:
        lat = [r.seconds for r in results if r.page == v and r.finished]
        if lat:
            report.per_view_p95_s[v or "(default)"] = percentile(lat, 0.95)
    if pids:
        report.rss_kb["peak_during"] = peak
        await asyncio.sleep(3.0)
        report.rss_kb["after_close"] = rss_kb(pids)
        if ttl_wait > 0:
            log(f"waiting {ttl_wait:.0f} s for server.disconnectedSessionTTL ...")
            await asyncio.sleep(ttl_wait)
            report.rss_kb["after_ttl"] = rss_kb(pids)
    return report


def _percentiles_ms(values_s: list[float]) -> dict:
    return {"n": len(values_s), "p50_ms": round(percentile(values_s, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values_s, 0.95) * 1000, 1),
            "max_ms": round(max(values_s) * 1000, 1) if values_s else None}


async def run_burst(
    ws_url: str,
    pids: list[int],
    *,
    sessions: int = 50,
    window: float = 2.0,
    views: list[str] | None = None,
    vary: dict[str, list[str]] | None = None,
    seed: int = 1,
    log=print,
) -> dict:
    """``sessions`` new tabs connect within ``window`` seconds (evenly spread), each does one first load (a random
    view and year, as the load's first runs) and stays open until every tab has loaded. The server is warmed first
    (every view once) and one tab stays open through the burst, as on a live site (Streamlit forgets its compiled
    page scripts when the last session closes). Returns first-load percentiles, per view, errors and RSS."""
    vary = vary if vary is not None else {"year": [str(y) for y in range(1950, 2026)]}
    if views is None:
        views = await _discover_views(ws_url)
    out: dict = {"mode": "burst", "sessions": sessions, "window_s": window, "views": views, "errors": 0,
                 "error_samples": [], "loadavg_before": open("/proc/loadavg").read().split()[:3]}
    rng = random.Random(seed)
    plan = [(rng.choice(views), "&".join(f"{k}={rng.choice(v)}" for k, v in vary.items())) for _ in range(sessions)]
    async with Session(ws_url) as keeper:
        for v in views:
            r = await keeper.run(v, "")
            if not r.ok:
                raise RuntimeError(f"warm-up: view {v!r} does not render: {r.problem()}")
        if pids:
            out["rss_mb_warm"] = round(rss_kb(pids) / 1024, 1)
        log(f"burst: {sessions} new tabs within {window:.1f} s; views {views}")
        results: list[RunResult | None] = [None] * sessions
        done = asyncio.Event()
        remaining = [sessions]
        t0 = time.perf_counter()

        async def one(i: int) -> None:
            await asyncio.sleep(window * i / max(sessions, 1))
            s = Session(ws_url)
            try:
                try:
                    await s.open()
                except Exception as exc:
                    out["errors"] += 1
                    out["error_samples"].append(f"tab {i}: connect failed: {type(exc).__name__}: {exc}")
                    return
                view, query = plan[i]
                r = await s.run(view, query)
                r.started -= t0
                results[i] = r
                if not r.ok:
                    out["errors"] += 1
                    out["error_samples"].append(f"tab {i} view={view!r} ?{query}: {r.problem()}")
            finally:
                remaining[0] -= 1
                if not remaining[0]:
                    done.set()
                await done.wait()
                await s.close()

        peak = [0]

        async def sample() -> None:
            while not done.is_set():
                if pids:
                    peak[0] = max(peak[0], rss_kb(pids))
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample())
        await asyncio.gather(*(one(i) for i in range(sessions)))
        await sampler
    ok = [r for r in results if r is not None and r.finished]
    lat = [r.seconds for r in ok]
    out.update(_percentiles_ms(lat))
    out["first_load_p50_ms"], out["first_load_p95_ms"] = out["p50_ms"], out["p95_ms"]
    out["mean_ms"] = round(statistics.fmean(lat) * 1000, 1) if lat else None
    out["all_done_after_s"] = round(max((r.started + r.seconds for r in ok), default=0.0), 2)
    out["per_view"] = {(v or "(default)"): _percentiles_ms([r.seconds for r in ok if r.page == v]) for v in views}
    out["bytes_per_load"] = int(statistics.median([r.bytes_received for r in ok])) if ok else 0
    if pids:
        out["rss_mb_peak"] = round(peak[0] / 1024, 1)
    out["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    return out


def print_burst(b: dict, out=print) -> None:
    out(f"burst of {b['sessions']} new tabs in {b['window_s']} s: first load p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms, "
        f"max {b['max_ms']} ms, errors {b['errors']}; the last finished {b['all_done_after_s']} s after the first was sent")
    out("by view (p95 ms): " + ", ".join(f"{k} {v['p95_ms']} (n={v['n']})" for k, v in b["per_view"].items() if v["n"]))
    if "rss_mb_peak" in b:
        out(f"server RSS warm {b['rss_mb_warm']} MB, peak {b['rss_mb_peak']} MB; load avg "
            f"{' '.join(b['loadavg_before'])} -> {' '.join(b['loadavg_after'])}")
    for e in b["error_samples"][:10]:
        out("  error: " + e)


MEASURE_OPTIONS = ("Active duty", "Army", "Navy", "Marine Corps", "Air Force", "Space Force", "Coast Guard", "Reserve",
                   "Civilians")


def animation_queries(measures=MEASURE_OPTIONS) -> list[str]:
    """Every animation a reader can ask for on the map view: measure x log scale x language (9 x 2 x 2 = 36 with
    two languages)."""
    from urllib.parse import quote_plus

    return [f"play=true&measure={quote_plus(m)}&log={'true' if lg else 'false'}&lang={la}"
            for la in i18n.LANGS for lg in (False, True) for m in measures]


async def _looper(idx: int, ws_url: str, queries: list[str], stop_at: float, runs: list[RunResult],
                  errors: list[str]) -> None:
    """One reader looping through every animation's link without a pause. Each link opens in a new tab (a
    session's first run): in one tab, a history navigation to another ``?play=true&measure=...`` does not reach
    the page's seeded measure selector (it is seeded from the link only on the session's first run), so a tab
    would show the same animation again; a new tab always asks for the one in its link."""
    k = idx * (len(queries) // 2)  # the loopers start half a cycle apart
    while time.monotonic() < stop_at:
        q = queries[k % len(queries)]
        try:
            async with Session(ws_url) as s:
                r = await s.run("", q, keep_specs=True)
        except Exception as exc:
            errors.append(f"looper {idx} ?{q}: connect failed: {type(exc).__name__}: {exc}")
            break
        runs.append(r)
        if not r.ok:
            errors.append(f"looper {idx} ?{q}: {r.problem()}")
        elif not any('"frames"' in spec for spec in r.chart_specs):
            errors.append(f"looper {idx} ?{q}: no animation in the page")
        r.chart_specs = []
        k += 1


async def run_with_loopers(
    ws_url: str,
    pids: list[int],
    *,
    loopers: int = 2,
    sessions: int = 10,
    duration: float = 60.0,
    think: tuple[float, float] = (3.0, 10.0),
    seed: int = 1,
    ramp: float = 2.0,
    log=print,
) -> dict:
    """The ordinary sessions (``run_load``) alone, then the same again beside ``loopers`` animation loopers."""
    out: dict = {"mode": "loopers", "loopers": loopers, "sessions": sessions, "duration_s": duration,
                 "loadavg_before": open("/proc/loadavg").read().split()[:3]}
    alone = await run_load(ws_url, pids, sessions=sessions, duration=duration, think=think, seed=seed, ramp=ramp,
                           log=log)
    out["alone"] = alone.summary()
    log(f"alone: p95 {out['alone']['p95_ms']} ms (reruns {out['alone']['later_rerun_p95_ms']} ms)")
    runs: list[RunResult] = []
    errors: list[str] = []
    stop_at = time.monotonic() + duration + ramp + 5
    queries = animation_queries()
    tasks = [asyncio.create_task(_looper(i, ws_url, queries, stop_at, runs, errors)) for i in range(loopers)]
    rss0 = rss_kb(pids) if pids else 0
    beside = await run_load(ws_url, pids, sessions=sessions, duration=duration, think=think, seed=seed, ramp=ramp,
                            log=log)
    await asyncio.gather(*tasks)
    out["beside_loopers"] = beside.summary()
    done = [r.seconds for r in runs if r.finished]
    out["looper_runs"] = _percentiles_ms(done)
    out["looper_runs"]["cycles"] = round(len(runs) / len(queries), 2)
    out["looper_runs"]["mb_received"] = round(sum(r.bytes_received for r in runs) / 1e6, 1)
    out["looper_errors"] = errors[:10]
    if pids:
        out["rss_mb"] = {"before_loopers": round(rss0 / 1024, 1), "after_loopers": round(rss_kb(pids) / 1024, 1)}
    a, b = out["alone"], out["beside_loopers"]
    out["ratio_p95"] = round(b["p95_ms"] / a["p95_ms"], 2) if a["p95_ms"] else None
    out["ratio_rerun_p95"] = (round(b["later_rerun_p95_ms"] / a["later_rerun_p95_ms"], 2)
                              if a["later_rerun_p95_ms"] else None)
    out["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    return out


def print_loopers(o: dict, out=print) -> None:
    a, b, lp = o["alone"], o["beside_loopers"], o["looper_runs"]
    out(f"{o['sessions']} ordinary readers alone: p95 {a['p95_ms']} ms (reruns {a['later_rerun_p95_ms']} ms), "
        f"{a['reruns']} runs, {a['errors']} errors")
    out(f"beside {o['loopers']} animation loopers: p95 {b['p95_ms']} ms (reruns {b['later_rerun_p95_ms']} ms), "
        f"{b['reruns']} runs, {b['errors']} errors")
    out(f"ratio of p95: {o['ratio_p95']} (reruns: {o['ratio_rerun_p95']}); target <= 1.5")
    out(f"loopers: {lp['n']} animation runs ({lp['cycles']} cycles of 36), p50 {lp['p50_ms']} ms, p95 {lp['p95_ms']} ms, "
        f"{lp['mb_received']} MB received; errors {len(o['looper_errors'])}")
    if "rss_mb" in o:
        out(f"server RSS before the loopers {o['rss_mb']['before_loopers']} MB, after {o['rss_mb']['after_loopers']} MB")
    for e in o["looper_errors"]:
        out("  looper error: " + e)


def print_report(rep: LoadReport, out=print) -> None:
    s = rep.summary()
    out(
        f"reruns {s['reruns']}, finished {s['finished']}, errors {s['errors']}; latency p50 {s['p50_ms']} ms, "
        f"p95 {s['p95_ms']} ms, p99 {s['p99_ms']} ms, max {s['max_ms']} ms; "
        f"received {s['bytes_received'] / 1e6:.1f} MB"
    )
    out(f"p95 of a tab's first run {s['first_run_p95_ms']} ms; of later reruns {s['later_rerun_p95_ms']} ms")
    if "first_runs_done_s" in s:
        out("tabs' first runs sent at {0[0]}-{0[1]} s, finished at {1[0]}-{1[1]} s (from the first run sent)"
            .format(s["first_runs_sent_s"], s["first_runs_done_s"]))
    if s["per_view_p95_ms"]:
        out("p95 by view (ms): " + ", ".join(f"{k} {v}" for k, v in s["per_view_p95_ms"].items()))
    if s["rss_mb"]:
        out("server RSS (MB): " + ", ".join(f"{k} {v}" for k, v in s["rss_mb"].items()))
    if "rss_growth_mb" in s:
        out(f"memory growth (after TTL - warm): {s['rss_growth_mb']} MB")
    for e in s["error_samples"]:
        out("  error: " + e)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--app", help="start `streamlit run APP` on a free loopback port and load it")
    where.add_argument("--url", help="base URL of a running app (e.g. http://127.0.0.1:8080/)")
    ap.add_argument("--pid", type=int, action="append", default=[], help="server pid(s) to measure (with --url)")
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    ap.add_argument("--short", action="store_true", help="CI size: 5 sessions x 5 s, short think time")
    ap.add_argument("--views", help="comma-separated url paths of st.navigation pages (default: discovered)")
    ap.add_argument("--vary", action="append", default=[], help="query parameter to vary: year=1950-2025 or k=a,b")
    ap.add_argument("--think", default="3-10", help="think time between reruns, seconds MIN-MAX (a reader looks at the chart)")
    ap.add_argument(
        "--ttl", type=float, default=None,
        help="server.disconnectedSessionTTL: with --app it is set on the server (default 120); "
        "memory is read again TTL+5 s after the sessions close (0 = skip)",
    )
    ap.add_argument("--ramp", type=float, default=2.0, help="seconds over which the sessions connect")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also write the summary as JSON to this file")
    ap.add_argument("--max-errors", type=int, default=0, help="exit 1 when errors exceed this")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--burst", action="store_true",
                      help="every session connects within --ramp s and does one first load (an article goes live)")
    mode.add_argument("--loopers", type=int, default=0,
                      help="run the sessions alone, then beside N readers looping through every animation")
    args = ap.parse_args(argv)

    if args.short:
        args.sessions, args.duration, args.think = 5, 5.0, "0.1-0.3"
    think = tuple(float(x) for x in args.think.split("-"))
    vary = parse_vary(args.vary) if args.vary else None
    views = args.views.split(",") if args.views is not None else None
    ttl = args.ttl if args.ttl is not None else 120.0

    # so `finally` stops the server we started (restored on return: main() is also called from tests)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = None
    if args.app:
        app = Path(args.app)
        if not app.is_absolute():
            app = (Path.cwd() / app).resolve()
        server = start_streamlit(
            app,
            options={"server.disconnectedSessionTTL": int(ttl)},
            log_path=ROOT / "test-artifacts" / "load-server.log",
        )
        ws_url, pids = server.ws_url, [server.pid]
        print(f"started {app.name} on {server.url} (pid {server.pid}, disconnectedSessionTTL {int(ttl)} s)")
        waited = server.wait_warm()  # app.py, as deployed: measured once its start-up warm-up is done
        if waited is not None:
            print(f"its start-up warm-up (app_pages/warm.py) finished {waited} s after the server answered")
    else:
        base = args.url.rstrip("/") + "/"
        ws_url = base.replace("http://", "ws://").replace("https://", "wss://") + "_stcore/stream"
        pids = args.pid
    try:
        if args.burst:
            b = asyncio.run(run_burst(ws_url, pids, sessions=args.sessions, window=args.ramp, views=views, vary=vary,
                                      seed=args.seed))
        elif args.loopers:
            lo = asyncio.run(run_with_loopers(ws_url, pids, loopers=args.loopers, sessions=args.sessions,
                                              duration=args.duration, think=think, seed=args.seed, ramp=args.ramp))
        else:
            rep = asyncio.run(
                run_load(
                    ws_url, pids, sessions=args.sessions, duration=args.duration, views=views, vary=vary,
                    think=think, ttl_wait=(ttl + 5) if ttl > 0 else 0, seed=args.seed, ramp=args.ramp,
                )
            )
    finally:
        if server is not None:
            server.stop()
        signal.signal(signal.SIGTERM, previous)
    if args.burst or args.loopers:
        result = b if args.burst else lo
        (print_burst if args.burst else print_loopers)(result)
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
        errs = result["errors"] if args.burst else (result["alone"]["errors"] + result["beside_loopers"]["errors"]
                                                    + len(result["looper_errors"]))
        return 1 if errs > args.max_errors else 0
    print_report(rep)
    if args.json:
        Path(args.json).write_text(json.dumps(rep.summary(), indent=2) + "\n")
    unfinished = rep.reruns - rep.finished
    return 1 if rep.errors > args.max_errors or unfinished else 0


if __name__ == "__main__":
    sys.exit(main())
