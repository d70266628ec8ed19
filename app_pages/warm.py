"""A new server process gets ready before its readers arrive: every table read and validated, the chart code
imported, then every year's plain map (app_pages/year_map.py) and every animation built while no reader's run is
under way.

Started once per process by the app's start-up hook (``app.py``: ``st.App(..., lifespan=warm.lifespan)``, the
framework's own hook; the replicas, the Dockerfile and Kubernetes start ``app.py``). Without it, the first readers
of a new process (a restart, a new replica, readers coming back after a failover) pay for all of this in their
own first runs: after a restart under 25 readers, 4-11 s on top of the 2-3.5 s their websockets need to
reconnect, against 5.5-6.9 s in all with it (docs/performance.md, "Faults").

Nothing here is shown to anyone: a broken table is left to the views, which name its file and problems (the
warm-up only logs that it could not read it), and the server answers readers from its first second; the warm-up
runs beside them in a background thread.
"""
from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from contextlib import asynccontextmanager

from streamlit.logger import get_logger

from loaders.schema import DataError

LOG = get_logger("footprint.warm")  # Streamlit's logging set-up: the server's log, at its level (info)
# bench/server.py (Server.wait_warm) waits for the "done" line; tests/test_warm.py checks the two agree
ENV = "FOOTPRINT_WARM"  # "all" (default): tables, code, maps, animations; "tables": nothing ahead; "off": nothing
QUIET = 1.0  # seconds with no run under way or waiting before each animation is built ahead of readers
_started = threading.Lock()
_thread: threading.Thread | None = None
STOP = threading.Event()


def tables() -> list[str]:
    """Read every table the views use (each is kept per process, app_pages/data.py); the names it could not read."""
    from app_pages import data

    failed = []
    for spec in data.all_specs():
        try:
            data.load(spec.name)
        except (DataError, OSError):
            failed.append(spec.name)
    for name, read in (("sources", data.sources), ("deployments", data.deployments),
                       ("troops_annual with map codes", lambda: data.table_with_map_codes("troops_annual"))):
        try:
            read()
        except (DataError, OSError):
            failed.append(name)
    return failed


def code() -> None:
    """Import what the views' first runs import, and make one small figure of each kind they draw: plotly's
    figure classes and their validators are loaded on first use (tenths of a second on a first run)."""
    import plotly.graph_objects as go

    import charts.budget  # noqa: F401
    import charts.maps  # noqa: F401
    import charts.records  # noqa: F401
    import charts.timeline  # noqa: F401
    import export.csvfile  # noqa: F401
    import i18n
    import prep.records  # noqa: F401
    import prep.views  # noqa: F401
    from app_pages import params, ui  # noqa: F401

    for lang in i18n.LANGS:
        i18n.gettext_for(lang)
    fig = go.Figure([go.Choropleth(locations=["PER"], z=[1]), go.Scattergeo(lon=[0], lat=[0]), go.Bar(x=[1], y=[1]),
                     go.Scatter(x=[1], y=[1])])
    fig.add_annotation(text="x", showarrow=False)
    fig.add_vrect(x0=0, x1=1)
    fig.update_layout(updatemenus=[{"buttons": []}], sliders=[{"steps": []}])
    fig.to_dict()


def run(stop: threading.Event = STOP, quiet: float = QUIET) -> dict:
    """The warm-up, in order: tables, code, the search index, then (only while readers leave the process quiet)
    every year's plain map and every animation; ``$FOOTPRINT_WARM`` = "tables" stops before the maps, "off" does
    nothing. Returns what it did."""
    t0 = time.monotonic()
    what = os.environ.get(ENV, "all").strip().lower()
    report: dict = {"animations_built": 0, "maps_built": 0}
    try:
        if what != "off":
            report["tables_failed"] = tables()
            code()
            report["ready_s"] = round(time.monotonic() - t0, 2)
            LOG.info("Footprint warm-up: tables and chart code ready after %.2f s%s", report["ready_s"],
                     f" (could not read: {', '.join(report['tables_failed'])})" if report["tables_failed"] else "")
            from app_pages.ui import search

            search.index()  # the search box's first query finds its index built (0.3-0.5 s of CPU)
            if what != "tables":
                from app_pages import anim, year_map

                # every year's plain map first: a link to a year is far more common than the animation
                report["maps_built"] = year_map.prebuild(quiet=quiet, stop=stop)
                LOG.info("Footprint warm-up: %d year maps made after %.2f s", report["maps_built"],
                         time.monotonic() - t0)
                report["animations_built"] = anim.prebuild(quiet=quiet, stop=stop)
    except Exception:  # never take the server down: the views read and report everything themselves
        LOG.exception("Footprint warm-up stopped")
        report["error"] = True
    LOG.info("Footprint warm-up: done after %.2f s (%d animations built)", time.monotonic() - t0,
             report["animations_built"])
    return report


def start() -> bool:
    """Start the warm-up in a background thread, once per process; False if it was started before."""
    global _thread
    with _started:
        if _thread is not None:
            return False
        _thread = threading.Thread(target=run, name="footprint-warm-up", daemon=True)
        _thread.start()
        return True


LOOPBACK = {"", "0.0.0.0", "::", "127.0.0.1", "::1", "localhost"}  # server.address values served on this machine


def local_address() -> str:
    """The dashboard's address on this machine, from the server's own settings (``server.address``, ``server.port``,
    ``server.baseUrlPath``): "http://localhost:8501/" by default. Nothing is looked up: Streamlit's own start-up
    banner stays off because it asks an outside service for the machine's external address
    (.streamlit/config.toml)."""
    from streamlit import config

    address = str(config.get_option("server.address") or "").strip()
    port = int(config.get_option("server.port"))
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    host = "localhost" if address in LOOPBACK else (f"[{address}]" if ":" in address else address)
    return f"http://{host}:{port}/" + (f"{base}/" if base else "")


async def _listening(host: str, port: int, timeout: float) -> bool:
    """Whether ``host:port`` takes a connection within ``timeout`` seconds (tried every 0.1 s)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 1.0)
            writer.close()
            return True
        except (OSError, asyncio.TimeoutError):
            if asyncio.get_running_loop().time() >= deadline:
                return False
            await asyncio.sleep(0.1)


async def announce(timeout: float = 60.0, out=None) -> bool:
    """Print where the dashboard is (``local_address``) once the server takes connections: the start-up hook runs
    before the server listens, so this waits for its own port to answer (a connection to this machine, nothing
    else). Prints once; False (and nothing printed) if the port never answered."""
    from streamlit import config

    address = str(config.get_option("server.address") or "").strip()
    host = "127.0.0.1" if address in LOOPBACK else address
    if not await _listening(host, int(config.get_option("server.port")), timeout):
        return False
    print(f"\n  Footprint is ready: {local_address()}\n", file=out or sys.stdout, flush=True)
    return True


@asynccontextmanager
async def lifespan(app):
    """The app's start-up hook (``st.App(lifespan=...)``): the server takes connections at once, the warm-up goes
    on beside it, and the dashboard's address is printed once the server listens (``announce``); stopped with
    the server."""
    start()
    told = asyncio.create_task(announce())
    try:
        yield
    finally:
        told.cancel()
        STOP.set()
