"""Load driver: N concurrent Streamlit sessions over the app's own websocket protocol.

Each session is one "browser tab": it opens `/_stcore/stream`, loads a view, then for the set time keeps
switching views and years (a rerun per change, with a think time between), waiting each time for
`script_finished`. Printed: per-rerun latency p50/p95/p99, errors, bytes received, and the server's resident
memory (process + children) before, during (peak), after the sessions close and after
`server.disconnectedSessionTTL`.

    python -m bench.load --app dashboard.py                        # starts its own server (50 x 60 s)
    python -m bench.load --app bench/floor_app.py --short          # CI size: 5 sessions x 5 s
    python -m bench.load --url http://127.0.0.1:8080/ --pid 123 --pid 456 --ttl 120   # a running deployment

Targets (docs/performance.md): 50 sessions x 60 s, 0 errors, p95 <= 1 s, memory growth <= 100 MB.
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

from bench.server import ROOT, rss_kb, start_streamlit  # noqa: E402
from bench.stclient import RunResult, Session  # noqa: E402


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
    else:
        base = args.url.rstrip("/") + "/"
        ws_url = base.replace("http://", "ws://").replace("https://", "wss://") + "_stcore/stream"
        pids = args.pid
    try:
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
    print_report(rep)
    if args.json:
        Path(args.json).write_text(json.dumps(rep.summary(), indent=2) + "\n")
    unfinished = rep.reruns - rep.finished
    return 1 if rep.errors > args.max_errors or unfinished else 0


if __name__ == "__main__":
    sys.exit(main())
