"""Failover under deploy/run_replicas.sh: kill -9 one replica and measure what readers see through nginx.

Starts the replicas and nginx under supervisord (deploy/run_replicas.sh), sends requests through nginx on two
routes (one pinned to the victim, one to the other replica) every 0.2 s plus a full script run over the websocket
every second, kills the victim with SIGKILL, and prints: failed requests and runs, the slowest answer, when the
victim answered /_stcore/health again, and when it rendered its pages again (bench.healthcheck).

    python -m bench.failover                          # the dashboard, 2 replicas
    python -m bench.failover --app bench/floor_app.py
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import healthcheck  # noqa: E402
from bench.server import ROOT, free_port  # noqa: E402
from bench.stclient import Session  # noqa: E402


def _get(url: str, cookie: str) -> tuple[int, float]:
    t = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": f"fp_route={cookie}"}),
                                    timeout=10) as r:
            r.read()
            return r.status, time.monotonic() - t
    except urllib.error.HTTPError as e:
        return e.code, time.monotonic() - t
    except OSError:
        return 0, time.monotonic() - t


async def _run(url: str, cookie: str) -> bool:
    try:
        async with Session(url.replace("http", "ws") + "_stcore/stream", headers={"Cookie": f"fp_route={cookie}"}) as s:
            return (await s.run("", "", timeout=30)).ok
    except Exception:  # noqa: BLE001 - counted as a failed run
        return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default="dashboard.py")
    ap.add_argument("--watch", type=float, default=40.0, help="seconds to watch after the kill (at most)")
    args = ap.parse_args(argv)
    prefix = Path(tempfile.mkdtemp(prefix="footprint-failover-"))
    ports, listen = [free_port(), free_port()], free_port()
    env = dict(os.environ, APP=args.app, PREFIX=str(prefix), LISTEN_PORT=str(listen),
               REPLICA_PORTS=" ".join(map(str, ports)))
    out = open(prefix / "script.out", "wb")
    proc = subprocess.Popen(["bash", str(ROOT / "deploy" / "run_replicas.sh")], env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{listen}/"
    try:
        deadline = time.monotonic() + 180
        while b"ready:" not in (prefix / "script.out").read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                print((prefix / "script.out").read_text(), file=sys.stderr)
                return 1
            time.sleep(0.3)
        routes: dict[str, str] = {}
        for i in range(200):
            _get(url + f"?probe=p{i}", f"p{i}")
            time.sleep(0.3)
            log = (prefix / "logs" / "access.log").read_text()
            up = re.findall(rf"probe=p{i} .*?upstream=(\S+)", log)
            if up:
                routes.setdefault(up[-1].rsplit(":", 1)[1], f"p{i}")
            if len(routes) == 2:
                break
        victim, other = str(ports[0]), str(ports[1])
        old = int((prefix / f"replica-{victim}.pid").read_text())
        os.kill(old, signal.SIGKILL)
        t0 = time.monotonic()
        failed_http = failed_runs = requests = runs = 0
        slowest = 0.0
        health_s = render_s = None
        last_run = 0.0
        while time.monotonic() - t0 < args.watch and render_s is None:
            for cookie in (routes[victim], routes[other]):
                status, took = _get(url, cookie)
                requests += 1
                failed_http += status != 200
                slowest = max(slowest, took)
            if time.monotonic() - last_run > 1:
                last_run = time.monotonic()
                for cookie in (routes[victim], routes[other]):
                    runs += 1
                    failed_runs += not asyncio.run(_run(url, cookie))
            if health_s is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{victim}/_stcore/health", timeout=2):
                        health_s = time.monotonic() - t0
                except OSError:
                    pass
            elif render_s is None:
                if asyncio.run(healthcheck.check(f"http://127.0.0.1:{victim}/", pages=[""])).ok:
                    render_s = time.monotonic() - t0
            time.sleep(0.2)
        result = {"app": args.app, "requests_through_nginx": requests, "failed_requests": failed_http,
                  "script_runs_through_nginx": runs, "failed_runs": failed_runs,
                  "slowest_request_ms": round(slowest * 1000), "victim_health_ok_after_s": health_s and round(health_s, 1),
                  "victim_renders_after_s": render_s and round(render_s, 1),
                  "loadavg": Path("/proc/loadavg").read_text().split()[:3]}
        print(json.dumps(result, indent=1))
        return 0 if not failed_http and not failed_runs and render_s is not None else 1
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        out.close()


if __name__ == "__main__":
    sys.exit(main())
