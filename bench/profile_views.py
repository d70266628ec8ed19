"""Profile one view's script runs in-process (Streamlit AppTest + cProfile): where does a rerun's time go?

    python -m bench.profile_views --page when --runs 5 [--sort cumulative] [--top 40] [--query view=By+region]

The first run (cold caches) is not profiled; the next ``--runs`` runs are (the map's with a different ``year``
each). Prints per-run wall times and the top functions. Nothing leaves the machine.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from prep import registry

ROOT = Path(__file__).resolve().parent.parent


def pages() -> dict[str, str | None]:
    """Every view of the registry: its name -> its script (None for the default view, which opens first)."""
    return {v.name: None if v.default else v.module for v in registry.VIEWS}


def _at(page: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if pages()[page]:
        at.switch_page(pages()[page])
        at.run()
    return at


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--page", choices=list(pages()), default=registry.default().name)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--query", action="append", default=[], help="key=value, repeatable")
    ap.add_argument("--out", help="write the pstats file here")
    a = ap.parse_args(argv)
    query = dict(q.split("=", 1) for q in a.query)
    at = _at(a.page, query)
    prof = cProfile.Profile()
    # AppTest runs the script in its own thread: profile inside that thread
    original = script_runner.ScriptRunner._run_script

    def profiled(self, rerun_data):
        prof.enable()
        try:
            return original(self, rerun_data)
        finally:
            prof.disable()

    script_runner.ScriptRunner._run_script = profiled
    times = []
    for i in range(a.runs):
        if a.page == "map":
            at.slider(key="year").set_value(1960 + 7 * i)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, [e.value for e in at.exception]
    print(f"{a.page}: runs " + ", ".join(f"{t * 1000:.0f} ms" for t in times))
    if a.out:
        prof.dump_stats(a.out)
    if a.top:
        pstats.Stats(prof).sort_stats(a.sort).print_stats(a.top)


if __name__ == "__main__":
    main()
