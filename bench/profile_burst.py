"""Where a new tab's first run goes, on a real server (every thread, the event loop included): py-spy samples the
server while new sessions each do one first load; prints inclusive time per function, per first load.

    python -m bench.profile_burst [--app dashboard.py] [--tabs 40] [--concurrency 4] [--views map,when,...]
                                  [--top 60] [--match app_pages,charts,streamlit/elements] [--raw out.txt]
                                  [--gil] [--same-link]

``--gil`` samples only the thread that holds the interpreter lock: one process serves about one CPU-second per
second, so that is the cost a burst of readers shares (without it, threads waiting for the lock after a system
call count as busy). ``--same-link``: every tab opens its view's plain link, so only cached first loads.

Needs py-spy (requirements-dev.txt; ptrace on the server process, which this tool starts itself). The server is
warmed first (every view once) and one tab stays open, as on a live site. Sampling adds a little overhead; read
the figures as shares of a first load, not as absolute times.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import ROOT, start_streamlit  # noqa: E402
from hosting.stclient import Session  # noqa: E402
from prep import registry  # noqa: E402


async def _tabs(ws_url: str, views: list[str], tabs: int, concurrency: int, seed: int,
                same_link: bool = False) -> list[float]:
    rng = random.Random(seed)
    plan = [(rng.choice(views), "" if same_link else f"year={rng.randint(1950, 2025)}") for _ in range(tabs)]
    sem = asyncio.Semaphore(concurrency)
    times: list[float] = []

    async def one(view: str, query: str) -> None:
        async with sem:
            async with Session(ws_url) as s:
                r = await s.run(view, query)
                if not r.ok:
                    raise RuntimeError(f"{view!r}: {r.problem()}")
                times.append(r.seconds)

    await asyncio.gather(*(one(v, q) for v, q in plan))
    return times


def aggregate(raw: str, tabs: int, top: int, match: tuple[str, ...]) -> list[str]:
    """Inclusive samples per frame (function + file) from py-spy's collapsed stacks (``a;b;c count``)."""
    incl: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        n = int(n)
        total += n
        seen = set()
        for frame in stack.split(";"):
            # "function (file:line)" -> "function (file)"
            name = frame.rsplit(":", 1)[0] + ")" if "(" in frame else frame
            if name not in seen:
                seen.add(name)
                incl[name] += n
    return total, incl


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", default="dashboard.py")
    ap.add_argument("--tabs", type=int, default=40)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--views", default=",".join(registry.urls()))
    ap.add_argument("--rate", type=int, default=250, help="samples per second")
    ap.add_argument("--top", type=int, default=60)
    ap.add_argument("--match", default="", help="comma-separated substrings: only frames whose text has one")
    ap.add_argument("--raw", help="also keep py-spy's collapsed stacks here")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--gil", action="store_true",
                    help="sample only the thread holding the interpreter lock: where the process's CPU goes")
    ap.add_argument("--same-link", action="store_true",
                    help="every tab opens its view's plain link (no ?year=): only cached first loads")
    a = ap.parse_args(argv)
    if not shutil.which("py-spy"):
        print("py-spy is not installed (pip install -r requirements-dev.txt)")
        return 2
    views = [registry.urls().get(v, v) for v in a.views.split(",")]
    app = Path(a.app) if Path(a.app).is_absolute() else ROOT / a.app
    raw_path = Path(a.raw or "/tmp/footprint-profile-burst.txt")
    with start_streamlit(app, log_path=ROOT / "test-artifacts" / "profile_burst-server.log") as srv:
        srv.wait_warm()  # app.py: profiled once its start-up warm-up is done
        async def drive() -> list[float]:
            async with Session(srv.ws_url) as keeper:
                for v in views:
                    await keeper.run(v, "")
                spy = subprocess.Popen(["py-spy", "record", "--pid", str(srv.pid), "--rate", str(a.rate),
                                        "--format", "raw", "--output", str(raw_path), "--nonblocking"]
                                       + (["--gil"] if a.gil else []),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                await asyncio.sleep(1.5)  # py-spy attaches
                t0 = time.perf_counter()
                times = await _tabs(srv.ws_url, views, a.tabs, a.concurrency, a.seed, a.same_link)
                wall = time.perf_counter() - t0
                spy.send_signal(2)  # SIGINT: py-spy writes its output and exits
                spy.wait(timeout=30)
                print(f"{a.tabs} first loads in {wall:.1f} s (concurrency {a.concurrency}); median "
                      f"{sorted(times)[len(times) // 2] * 1000:.0f} ms")
                return times
        asyncio.run(drive())
    total, incl = aggregate(raw_path.read_text(), a.tabs, a.top, ())
    match = tuple(m for m in a.match.split(",") if m)
    per_tab = 1000.0 / a.rate / a.tabs
    print(f"{total} samples at {a.rate}/s over every active thread = {total * per_tab:.0f} ms of thread time per first "
          f"load (includes py-spy's attach window and the idle keeper)")
    shown = 0
    for name, n in incl.most_common():
        if match and not any(m in name for m in match):
            continue
        print(f"{n * per_tab:8.1f} ms/load  {100 * n / total:5.1f}%  {name}")
        shown += 1
        if shown >= a.top:
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
