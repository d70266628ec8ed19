"""Faults under load: kill one of two replicas behind nginx, or restart a single server, under N readers.

Kill (default): starts the replicas and nginx under supervisord (deploy/run_replicas.sh), opens N readers through
nginx (hosting.stclient sessions, each with its own route cookie and its own view: page + query string), kills one
replica with SIGKILL while they read, and keeps sending requests through nginx on a route pinned to each replica
(every 0.2 s). Restart (`--restart`): one server (bench.server), N readers straight to it, the server is stopped
(SIGTERM) and started again on the same port.

A reader behaves like a browser tab: it reruns its view every few seconds (the answer must be its view: the run
finishes and its elements and figures are those of its first run), notices at once when its websocket closes,
reconnects like Streamlit's frontend (first try after 0.25-0.5 s, then doubling up to 4 s, asking to resume its
session id) and reruns its view there (what the page does on a reconnect, app_pages/ui.rerun_on_reconnect).
At the end every reader asks for its view's first download (the deferred CSV, as a click does) and fetches it over
HTTP with its cookie, then runs its view a last time.

Printed (and written with --json): per reader its replica, whether it was cut off, its recovery time (kill or
stop -> its view finished again) and its errors; recovery max / p95; errors of readers that were not cut off;
downloads that failed; lost views (a reader whose last run is not its view); when the killed replica answered
/_stcore/health and rendered its default page again (supervisord's restart), or the restarted server's start time.

    python -m bench.failover                                  # kill one of 2 dashboard replicas, 30 readers
    python -m bench.failover --readers 6 --watch 20           # a short form
    python -m bench.failover --restart --readers 25           # restart one server under 25 readers
    python -m bench.failover --fault stop --readers 20        # hang one replica (SIGSTOP): the watchdog takes it out
    python -m bench.failover --fault reload --readers 20      # reload nginx under 20 readers: nothing refused
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import io
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import ROOT, free_port, start_streamlit  # noqa: E402
from hosting import healthcheck  # noqa: E402
from hosting.stclient import RunResult, Session  # noqa: E402


# Each reader's view: a page of the dashboard and a query string of its own (so a reader that comes back on
# another view, or on the default one, is seen). Every view has a download button. Another app (the floor app,
# tests/fixtures/bench/reconnect_app.py): its one page with ?year=.
def views(n: int, app: str = "dashboard.py") -> list[tuple[str, str]]:
    if Path(app).name not in ("dashboard.py", "app.py"):
        return [("", f"year={1990 + i}") for i in range(n)]
    out = []
    for i in range(n):
        kind = i % 5
        if kind in (0, 1):
            out.append(("", f"year={1975 + i}"))                # the map, its year
        elif kind == 2:
            out.append(("when", f"from={1960 + i}"))            # troops abroad, its start year
        elif kind == 3:
            out.append(("cost", "section=FY2024" if i % 2 else "unit=Constant%202024%20dollars"))
        else:
            out.append(("sources", f"fp_reader={i}"))           # a parameter the page ignores: still the URL
    return out


def fingerprint(r: RunResult) -> str:
    """What the reader sees, as far as the protocol shows it: element types and counts, chart figures, download
    buttons' labels (not their ids: those are new in every run)."""
    h = hashlib.sha256()
    h.update(json.dumps(sorted(r.elements.items())).encode())
    for spec in r.chart_specs:
        h.update(spec.encode())
    h.update(json.dumps([label for label, _ in r.downloads]).encode())
    return h.hexdigest()[:16]


@dataclass
class Reader:
    idx: int
    page: str
    query: str
    cookie: str
    replica: str = ""  # the port whose process held this reader's websocket before the fault
    cut_off: bool = False
    recovery_s: float | None = None  # fault -> its view finished again on a new session
    reconnected_s: float | None = None  # fault -> its new websocket was open (the rest is the first run there)
    reconnect_tries: int = 0
    runs_ok: int = 0
    errors: list[str] = field(default_factory=list)
    download: str = ""  # "ok", or what went wrong
    download_rows: int = 0
    last_view_ok: bool = False


def _fetch(url: str, cookie: str | None, timeout: float = 30) -> tuple[int, bytes]:
    headers = {"Cookie": f"fp_route={cookie}"} if cookie else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""
    except OSError:
        return 0, b""


class Fault:
    """The time of the fault (kill or stop), shared by the readers."""

    def __init__(self) -> None:
        self.at: float | None = None
        self.event = asyncio.Event()


async def reference(base: str, views_: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each view's fingerprint on a session's first run and on a rerun (with history navigation, as the readers
    do), taken before the fault. The two can differ (a first run and a rerun are not always drawn alike), so a
    reader's run is compared with the one of the same kind."""
    out = {}
    ws_url = base.replace("http", "ws", 1) + "_stcore/stream"
    for view in dict.fromkeys(views_):
        async with Session(ws_url, headers={"Cookie": "fp_route=reference"}) as s:
            a = await s.run(*view, keep_specs=True, timeout=120)
            b = await s.run(*view, history_navigation=True, keep_specs=True, timeout=120)
        if not (a.ok and b.ok):
            raise RuntimeError(f"view {view} does not render: {a.problem() or b.problem()}")
        out[view] = (fingerprint(a), fingerprint(b))
    return out


def first_csv(r: RunResult) -> str:
    """The deferred file id of the run's first CSV download (image downloads are left out: kaleido)."""
    return next((fid for label, fid in r.downloads if "CSV" in label), "")


async def _reconnect(rd: Reader, ws_url: str, headers: dict, s: Session, fault: Fault, cut: float,
                     rng: random.Random) -> tuple[Session, RunResult | None]:
    """Reconnect like Streamlit's frontend (resume the session, back off up to 4 s) and rerun the view: the new
    session and its run, or no run when the reader is not back within 60 s."""
    old_id = s.session_id
    await s.close()
    delay, attempt = 0.0, 0
    while True:
        attempt += 1
        delay = rng.uniform(0.25, 0.5) if attempt == 1 else min(4.0, 0.5 * 2 ** (attempt - 1)) * rng.uniform(0.5, 1)
        await asyncio.sleep(delay)
        s = Session(ws_url, headers=headers, resume=old_id)
        try:
            await s.open()
            if rd.reconnected_s is None:
                rd.reconnected_s = round(time.monotonic() - (fault.at or cut), 2)
            r = await s.run(rd.page, rd.query, keep_specs=True, timeout=60)
        except Exception as exc:  # noqa: BLE001 - refused while the server is down: try again
            r = None
            err = f"{type(exc).__name__}"
        rd.reconnect_tries += 1
        if r is not None and r.ok:
            return s, r
        if r is not None and not r.error:
            rd.errors.append(f"after reconnect: {r.problem()}")
            return s, r
        await s.close()
        if time.monotonic() - cut > 60:
            rd.errors.append(f"not back within 60 s ({err if r is None else r.problem()})")
            return s, None


async def run_reader(rd: Reader, base: str, fault: Fault, stop_at: "_Deadline", ready: asyncio.Event, counter: list,
                     think: tuple[float, float], rng: random.Random, n_readers: int,
                     ref: tuple[str, str]) -> tuple[Session | None, RunResult | None]:
    ws_url = base.replace("http", "ws", 1) + "_stcore/stream"
    headers = {"Cookie": f"fp_route={rd.cookie}"}
    s = Session(ws_url, headers=headers)
    try:
        await s.open()
        first = await s.run(rd.page, rd.query, keep_specs=True, timeout=120)
    except Exception as exc:  # noqa: BLE001
        rd.errors.append(f"first run: {type(exc).__name__}: {exc}")
        return None, None
    counter[0] += 1
    if counter[0] == n_readers:
        ready.set()
    want_first, want = ref
    if not first.ok or fingerprint(first) != want_first:
        rd.errors.append(f"first run: {first.problem() or 'not its view'}")
        return s, None
    last = first
    while time.monotonic() < stop_at.at:
        # think (a reader looks at the chart); a closed websocket ends the wait at once, as in a browser
        try:
            await asyncio.wait_for(asyncio.shield(s.ws.wait_closed()), rng.uniform(*think))
        except asyncio.TimeoutError:
            pass
        closed = s.ws.state.name == "CLOSED"
        if not closed:
            r = await s.run(rd.page, rd.query, history_navigation=True, keep_specs=True, timeout=60)
            if r.ok and fingerprint(r) == want:
                rd.runs_ok += 1
                last = r
                continue
            if not r.error:
                rd.errors.append(f"{time.monotonic() - (fault.at or time.monotonic()):+.1f} s: not its view: "
                                 f"{r.problem() or 'other content'}")
                continue
            closed = True
        # The websocket is gone: reconnect like Streamlit's frontend, then rerun the view.
        cut = time.monotonic()
        if fault.at is None or cut < fault.at:
            rd.errors.append("connection lost before the fault")
        rd.cut_off = True
        s, r = await _reconnect(rd, ws_url, headers, s, fault, cut, rng)
        if r is None:
            return None, None
        if r.ok and fingerprint(r) == want_first:
            if rd.recovery_s is None:
                rd.recovery_s = round(time.monotonic() - (fault.at or cut), 2)
            last = r
        elif r.ok:
            rd.errors.append("after reconnect: another view's content")
    return s, last


async def download(rd: Reader, s: Session | None, last: RunResult | None, base: str) -> None:
    """The reader's view's first CSV download: the deferred file asked for over the websocket (as a click does),
    then fetched over HTTP with the reader's cookie."""
    if s is None or last is None:
        rd.download = "no session"
        return
    file_id = first_csv(last)
    if not file_id:
        rd.download = "no CSV download button"
        return
    try:
        url = await s.request_file(file_id)
        status, body = await asyncio.to_thread(_fetch, base.rstrip("/") + "/" + url.lstrip("/"), rd.cookie)
    except Exception as exc:  # noqa: BLE001
        rd.download = f"{type(exc).__name__}: {exc}"[:200]
        return
    rows = list(csv.reader(io.StringIO(body.decode("utf-8", "replace")))) if status == 200 else []
    if status != 200:
        rd.download = f"HTTP {status} for {url}"
    elif not rows or not rows[0]:
        rd.download = "empty CSV"
    else:
        rd.download, rd.download_rows = "ok", len(rows) - 1


async def last_run(rd: Reader, s: Session | None, ref: tuple[str, str]) -> None:
    """A last rerun of the reader's view: it must still be its view (0 lost views)."""
    if s is None:
        return
    try:
        r = await s.run(rd.page, rd.query, history_navigation=True, keep_specs=True, timeout=60)
        rd.last_view_ok = r.ok and fingerprint(r) == ref[1]
        if not rd.last_view_ok:
            rd.errors.append(f"last run: {r.problem() or 'other content'}")
    finally:
        await s.close()


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 2)


def summarise(readers: list[Reader], extra: dict) -> dict:
    rec = sorted(r.recovery_s for r in readers if r.recovery_s is not None)
    cut = [r for r in readers if r.cut_off]
    kept = [r for r in readers if not r.cut_off]
    out = {
        "readers": len(readers),
        "cut_off": len(cut),
        "recovered": len(rec),
        "recovery_s_max": rec[-1] if rec else None,
        "recovery_s_p95": _pct(rec, 95),
        "recovery_s_p50": _pct(rec, 50),
        "recovered_within_10_s": sum(1 for x in rec if x <= 10),
        "reconnected_s_max": max((r.reconnected_s for r in readers if r.reconnected_s is not None), default=None),
        "errors_readers_not_cut_off": sum(len(r.errors) for r in kept),
        "errors_readers_cut_off": sum(len(r.errors) for r in cut),
        "downloads_ok": sum(1 for r in readers if r.download == "ok"),
        "downloads_failed": [f"reader {r.idx}: {r.download}" for r in readers if r.download != "ok"],
        "lost_views": sum(1 for r in readers if not r.last_view_ok),
        "runs_ok_between": sum(r.runs_ok for r in readers),
    }
    out.update(extra)
    out["per_reader"] = [asdict(r) for r in readers]
    out["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    return out


def print_summary(res: dict) -> None:
    for r in res["per_reader"]:
        view = f"/{r['page']}?{r['query']}"
        print(f"reader {r['idx']:2d} {view:45.45s} replica {r['replica'] or '-':>5} "
              f"{'cut off' if r['cut_off'] else 'kept   '} recovery {r['recovery_s'] if r['recovery_s'] is not None else '-':>5} s "
              f"tries {r['reconnect_tries']} runs {r['runs_ok']:2d} download {r['download']} ({r['download_rows']} rows) "
              f"errors {len(r['errors'])}{': ' + '; '.join(r['errors'])[:160] if r['errors'] else ''}")
    short = {k: v for k, v in res.items() if k != "per_reader"}
    print(json.dumps(short, indent=1))


async def _readers_phase(base: str, readers: list[Reader], do_fault, wait_after, watch: float,
                         think: tuple[float, float], seed: int) -> dict:
    fault = Fault()
    ready = asyncio.Event()
    counter = [0]
    rngs = [random.Random(seed * 1000 + r.idx) for r in readers]
    stop_box = _Deadline()  # set once the fault is done
    refs = await reference(base, [(r.page, r.query) for r in readers])
    tasks = [asyncio.create_task(run_reader(rd, base, fault, stop_box, ready, counter, think, rng, len(readers),
                                            refs[(rd.page, rd.query)]))
             for rd, rng in zip(readers, rngs)]
    try:
        await asyncio.wait_for(ready.wait(), 300)
    except asyncio.TimeoutError:
        pass
    await asyncio.sleep(2)
    extra = await do_fault(fault)
    stop_box.at = time.monotonic() + watch
    extra.update(await wait_after(fault))
    results = await asyncio.gather(*tasks)
    # Downloads first, all readers at once; the last runs after them: a generated file is pruned by the second
    # script run that ends in the process after it was made (streamlit's media manager), so runs in between
    # can make a fetch that comes late answer 404.
    await asyncio.gather(*(download(rd, s, last, base) for rd, (s, last) in zip(readers, results)))
    await asyncio.gather(*(last_run(rd, s, refs[(rd.page, rd.query)]) for rd, (s, _) in zip(readers, results)))
    return extra


class _Deadline:
    """A deadline set after the readers started (a time.monotonic() value)."""

    def __init__(self) -> None:
        self.at = float("inf")


def _route_of(base: str, cookie: str, access_log: Path, tag: str) -> str:
    _fetch(base + f"?probe={tag}", cookie, timeout=10)
    for _ in range(20):
        time.sleep(0.2)
        found = re.findall(rf"probe={tag} .*?upstream=127\.0\.0\.1:(\d+) ", access_log.read_text())
        if found:
            return found[-1]
    return ""


def _replicas_ready(prefix: Path, proc: subprocess.Popen, timeout: float = 300) -> bool:
    """Wait for deploy/run_replicas.sh to say "ready:"; False (its output printed) when it stops or times out."""
    deadline = time.monotonic() + timeout
    while b"ready:" not in (prefix / "script.out").read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            print((prefix / "script.out").read_text(), file=sys.stderr)
            return False
        time.sleep(0.3)
    return True


def kill_bench(args) -> int:
    prefix = Path(tempfile.mkdtemp(prefix="footprint-failover-"))
    ports, listen = [free_port(), free_port()], free_port()
    env = dict(os.environ, APP=args.app, PREFIX=str(prefix), LISTEN_PORT=str(listen),
               REPLICA_PORTS=" ".join(map(str, ports)))
    out = open(prefix / "script.out", "wb")
    proc = subprocess.Popen(["bash", str(ROOT / "deploy" / "run_replicas.sh")], env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{listen}/"
    access = prefix / "logs" / "access.log"
    try:
        if not _replicas_ready(prefix, proc):
            return 1
        rng = random.Random(args.seed)
        readers = [Reader(i, page, query, f"r{args.seed}x{i}x{rng.randrange(10**9)}")
                   for i, (page, query) in enumerate(views(args.readers, args.app))]
        for rd in readers:  # which replica the cookie routes to (the websocket goes there too)
            rd.replica = _route_of(base, rd.cookie, access, f"r{rd.idx}")
        by_port = {p: [r for r in readers if r.replica == str(p)] for p in ports}
        victim = str(max(ports, key=lambda p: len(by_port[p])))  # the replica with more readers
        other = next(str(p) for p in ports if str(p) != victim)
        pinned = {victim: by_port[int(victim)][0].cookie, other: by_port[int(other)][0].cookie} \
            if by_port[int(other)] else {victim: by_port[int(victim)][0].cookie}
        http = {"requests": 0, "failed": 0, "slowest_ms": 0}
        status = {}

        async def probe_http(stop: asyncio.Event):
            while not stop.is_set():
                for cookie in pinned.values():
                    t = time.monotonic()
                    code, _ = await asyncio.to_thread(_fetch, base, cookie, 10)
                    http["requests"] += 1
                    http["failed"] += code != 200
                    http["slowest_ms"] = max(http["slowest_ms"], round((time.monotonic() - t) * 1000))
                await asyncio.sleep(0.2)

        async def do_fault(fault: Fault) -> dict:
            status["stop"] = asyncio.Event()
            status["probe"] = asyncio.create_task(probe_http(status["stop"]))
            await asyncio.sleep(1)
            pid = int((prefix / f"replica-{victim}.pid").read_text())
            if args.fault == "reload":  # the documented nginx reload; no replica is touched
                subprocess.run([sys.executable, "-m", "supervisor.supervisorctl", "-c", str(prefix / "supervisord.conf"),
                                "signal", "HUP", "nginx"], capture_output=True, timeout=20, check=True)
            else:  # kill: the replica dies; stop: it hangs (accepts connections, never answers) until the watchdog
                os.kill(pid, signal.SIGKILL if args.fault == "kill" else signal.SIGSTOP)
            fault.at = time.monotonic()
            mode = {"kill": "kill one of 2 replicas (SIGKILL) behind nginx",
                    "stop": "hang one of 2 replicas (SIGSTOP) behind nginx; hosting/watchdog.py takes it out",
                    "reload": "reload nginx (supervisorctl signal HUP nginx) under the readers"}[args.fault]
            return {"mode": mode, "app": args.app, "victim": victim,
                    "readers_on_victim": len(by_port[int(victim)]), "readers_on_other": len(by_port[int(other)])}

        async def wait_after(fault: Fault) -> dict:
            health = render = None
            while time.monotonic() - fault.at < 90 and render is None:
                if health is None:
                    code, _ = await asyncio.to_thread(_fetch, f"http://127.0.0.1:{victim}/_stcore/health", None, 2)
                    if code == 200:
                        health = round(time.monotonic() - fault.at, 1)
                else:
                    rep = await healthcheck.check(f"http://127.0.0.1:{victim}/", pages=[""])
                    if rep.ok:
                        render = round(time.monotonic() - fault.at, 1)
                await asyncio.sleep(0.2)
            # readers keep reading until --watch is over; the HTTP probes stop with them
            while time.monotonic() - fault.at < args.watch:
                await asyncio.sleep(0.5)
            status["stop"].set()
            await status["probe"]
            new_pid = int((prefix / f"replica-{victim}.pid").read_text())
            return {"victim_health_ok_after_s": health, "victim_renders_after_s": render,
                    "victim_restarted_by_supervisord": new_pid > 0 and health is not None,
                    "http_requests_through_nginx": http["requests"], "http_failed": http["failed"],
                    "http_slowest_ms": http["slowest_ms"]}

        extra = asyncio.run(_readers_phase(base, readers, do_fault, wait_after, args.watch,
                                           (args.think_min, args.think_max), args.seed))
        media = [ln for ln in access.read_text().splitlines() if "GET /media/" in ln]
        extra["media_requests_retried_on_other_replica"] = sum(1 for ln in media if re.search(r"upstream=\S+, ", ln))
        res = summarise(readers, extra)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        out.close()
    return _report(res, args)


def restart_bench(args) -> int:
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="footprint-restart-"))
    box = {"srv": start_streamlit(ROOT / args.app, port, log_path=log / "before.log", timeout=120)}
    base = box["srv"].url
    box["srv"].wait_warm()  # readers arrive at a server that has finished its start-up warm-up (app.py)
    try:
        readers = [Reader(i, page, query, "", replica=str(port))
                   for i, (page, query) in enumerate(views(args.readers, args.app))]

        async def do_fault(fault: Fault) -> dict:
            t = time.monotonic()
            fault.at = t
            await asyncio.to_thread(box["srv"].stop)
            stopped = time.monotonic()
            box["srv"] = await asyncio.to_thread(start_streamlit, ROOT / args.app, port,
                                                 log_path=log / "after.log", timeout=120)
            return {"mode": "restart a single server (SIGTERM, then start on the same port)", "app": args.app,
                    "server_stop_s": round(stopped - t, 1), "server_health_ok_after_s": round(time.monotonic() - t, 1)}

        async def wait_after(fault: Fault) -> dict:
            while time.monotonic() - fault.at < args.watch:
                await asyncio.sleep(0.5)
            return {}

        extra = asyncio.run(_readers_phase(base, readers, do_fault, wait_after, args.watch,
                                           (args.think_min, args.think_max), args.seed))
        extra["session_id_mismatch_logged"] = box["srv"].log_text().count("session ID mismatch")
        res = summarise(readers, extra)
    finally:
        box["srv"].stop()
    return _report(res, args)


def _report(res: dict, args) -> int:
    print_summary(res)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(res, indent=1) + "\n")
    ok = (res["lost_views"] == 0 and not res["downloads_failed"] and res["errors_readers_not_cut_off"] == 0
          and res["recovered"] == res["cut_off"] and (res["recovery_s_max"] or 0) <= 10
          and res.get("http_failed", 0) == 0)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default="app.py", help="app.py (as deployed: with its start-up warm-up) or dashboard.py")
    ap.add_argument("--readers", type=int, default=30)
    ap.add_argument("--restart", action="store_true", help="restart a single server instead of killing a replica")
    ap.add_argument("--fault", choices=("kill", "stop", "reload"), default="kill",
                    help="with replicas: kill one (SIGKILL), hang one (SIGSTOP), or reload nginx")
    ap.add_argument("--watch", type=float, default=30.0, help="seconds the readers keep reading after the fault")
    ap.add_argument("--think-min", type=float, default=2.0)
    ap.add_argument("--think-max", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    return restart_bench(args) if args.restart else kill_bench(args)


if __name__ == "__main__":
    sys.exit(main())
