"""The data API under load: N concurrent clients for a while against a live server, each asking in turn for the
resources a script would (a country's troops, filtered and not, as JSON and CSV, its records and authorisations,
a year's map rows, the budgets). Printed: requests, p50/p95/p99/max latency, errors (anything but 200/304) and the
requests per second.

    python -m bench.api                                   # starts its own server (app.py), 50 clients x 20 s
    python -m bench.api --url http://127.0.0.1:8501/ --clients 50 --duration 20   # a running server

Each client sends its own X-Forwarded-For address and the server it starts trusts it
(FOOTPRINT_API_TRUST_FORWARDED=1, as behind our nginx), so the rate limit applies per simulated client as it would
to 50 readers; a client waits ``--think`` seconds between requests (default 0.2 s: 5 per second each, inside the
default limit of 10 per second). Target (docs/performance.md): p95 <= 100 ms at 50 clients.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import ROOT, start_streamlit

PATHS = ("api/v1/troops/PER.json?from=2015&to=2025", "api/v1/troops/PER.json", "api/v1/troops/PER.csv",
         "api/v1/troops/DEU.json?measure=army", "api/v1/records/PER.json", "api/v1/authorisations/PER.json",
         "api/v1/troops/years/2020.json", "api/v1/budget/omb.json?from=2000", "api/v1/countries.json",
         "api/v1/troops/JPN.csv?from=1990&to=2000")


def _client(base: str, n: int, until: float, think: float, lat: list, errors: list) -> None:
    i = n
    while time.monotonic() < until:
        path = PATHS[i % len(PATHS)]
        i += 1
        req = urllib.request.Request(base + path, headers={"X-Forwarded-For": f"10.1.{n // 250}.{n % 250 + 1}"})
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                resp.read()
                status = resp.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            status = repr(exc)
        lat.append(time.perf_counter() - t0)
        if status not in (200, 304):
            errors.append(f"{path}: {status}")
        time.sleep(think)


def run(base: str, clients: int, duration: float, think: float) -> dict:
    for path in PATHS:  # one request each first: the numbers are for answers a running server has computed
        urllib.request.urlopen(base + path, timeout=120).read()
    lat: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + duration
    threads = [threading.Thread(target=_client, args=(base, n, until, think, lat, errors)) for n in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return {"requests": len(lat), "errors": len(errors), "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "p99_ms": q[98] * 1000, "max_ms": max(lat) * 1000, "rps": len(lat) / wall, "first_errors": errors[:5]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a running server (default: start app.py)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--think", type=float, default=0.2)
    args = ap.parse_args(argv)
    if args.url:
        r = run(args.url.rstrip("/") + "/", args.clients, args.duration, args.think)
    else:
        with start_streamlit(ROOT / "app.py", env={"FOOTPRINT_WARM": "off", "FOOTPRINT_API_TRUST_FORWARDED": "1"}) as s:
            r = run(s.url, args.clients, args.duration, args.think)
    print(f"{args.clients} clients x {args.duration:.0f} s: {r['requests']} requests ({r['rps']:.0f}/s), "
          f"{r['errors']} errors; latency p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
          f"p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms")
    for e in r["first_errors"]:
        print("  error:", e)
    return 0 if r["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
