"""Cost of one script run per view, one session, sequential (the "per-view run cost" table of
docs/performance.md): a server of its own, then for each view a first run and ``--runs`` more, each with another
``year`` (the map) so a rerun is a real parameter change; medians in ms and bytes per run.

    python -m bench.run_cost [--runs 5] [--app dashboard.py] [--floor] [--json out.json]

Also the cost of a tab's first run on a warm server ("first_in_tab_ms": a new session per run while another
session stays open, so Streamlit keeps its compiled page scripts, as it does under real traffic; it clears them
when the last session closes): what a burst of new readers costs. With it, "first_in_tab_cpu_ms": the server
process's CPU time (user + system, /proc/PID/stat) per such first run, which depends much less than wall time on
what else the machine is doing.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
from pathlib import Path

from hosting.stclient import Session
from prep import registry

from .server import ROOT, start_streamlit

QUERIES = {"map": "year={y}", "when": "view=By+region&from={y}", "cost": "syear={sy}", "country": "",
           "sources": ""}
COUNTRIES = ("Germany", "Japan", "Peru", "Korea%2C+South", "Italy", "Spain", "Turkey", "Cuba")


def cpu_ms(pid: int | None) -> float:
    """CPU time (user + system) the process has used so far, in ms (0 without a pid)."""
    if not pid:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


async def measure(ws_url: str, views: dict[str, str], runs: int, pid: int | None = None) -> dict:
    rng = random.Random(11)
    out = {}
    for name, page in views.items():
        async with Session(ws_url) as s:
            first = await s.run(page, "")
            if not first.ok:
                raise RuntimeError(f"{name}: {first.problem()}")
            times, sizes = [], []
            for i in range(runs):
                q = QUERIES.get(name, "").format(y=rng.randint(1950, 2025), sy=rng.randint(1990, 2024))
                if name == "country":
                    q = f"country={COUNTRIES[i % len(COUNTRIES)]}"
                r = await s.run(page, q, history_navigation=True)
                if not r.ok:
                    raise RuntimeError(f"{name} rerun: {r.problem()}")
                times.append(r.seconds * 1000)
                sizes.append(r.bytes_received)
            out[name] = {"first_ms": round(first.seconds * 1000), "median_ms": round(statistics.median(times)),
                         "max_ms": round(max(times)), "bytes": int(statistics.median(sizes)), "runs": [round(t) for t in times]}
            print(f"{name:8s} first {out[name]['first_ms']:6d} ms   median of {runs} {out[name]['median_ms']:5d} ms   "
                  f"max {out[name]['max_ms']:5d} ms   {out[name]['bytes'] / 1000:.0f} KB/run", flush=True)
    async with Session(ws_url) as keep:  # keeps the server's compiled scripts (see the module docstring)
        for name, page in views.items():
            await keep.run(page, "")
        for name, page in views.items():
            firsts = []
            for _ in range(2):  # this view's own first-visit work (its memo entries for the default link)
                async with Session(ws_url) as s:
                    await s.run(page, "")
            cpu0 = cpu_ms(pid)
            for _ in range(runs):
                async with Session(ws_url) as s:
                    r = await s.run(page, "")
                    if not r.ok:
                        raise RuntimeError(f"{name} first run: {r.problem()}")
                    firsts.append(r.seconds * 1000)
            cpu = (cpu_ms(pid) - cpu0) / runs
            out[name]["first_in_tab_ms"] = [round(t) for t in firsts]
            out[name]["first_in_tab_cpu_ms"] = round(cpu, 1)
            print(f"{name:8s} a new tab's first run, warm server: median {statistics.median(firsts):5.0f} ms "
                  f"(of {runs}); server CPU {cpu:5.1f} ms per first run", flush=True)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", default="dashboard.py")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--floor", action="store_true", help="also measure bench/floor_app.py")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    result = {"loadavg": open("/proc/loadavg").read().split()[:3]}
    app = Path(a.app) if Path(a.app).is_absolute() else ROOT / a.app
    with start_streamlit(app) as srv:
        result["dashboard"] = asyncio.run(measure(srv.ws_url, registry.urls(), a.runs, srv.pid))
    if a.floor:
        with start_streamlit(ROOT / "bench" / "floor_app.py") as srv:
            result["floor"] = asyncio.run(measure(srv.ws_url, {"floor": ""}, a.runs, srv.pid))
    result["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    print("load avg", " ".join(result["loadavg"]), "->", " ".join(result["loadavg_after"]))
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
