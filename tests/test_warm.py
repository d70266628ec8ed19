"""app_pages/warm.py and app.py: a new process reads every table and builds every animation before readers ask,
in the background; a broken table does not stop it (the views report it); the start-up hook starts it once."""
from __future__ import annotations

import shutil
import threading
import time

from app_pages import data, gate, warm
from bench.server import ROOT, start_streamlit


def test_quiet_means_no_run_under_way_or_waiting_for_that_long(monkeypatch):
    g = gate.Gate(2)
    monkeypatch.setattr(gate, "GATE", g)
    g.acquire()
    assert g.quiet_for() == 0.0
    assert gate.wait_quiet(0.2, stop=_set_after(0.4)) is False  # never quiet while a run holds a place
    g.release()
    t0 = time.monotonic()
    assert gate.wait_quiet(0.2) is True
    assert 0.15 <= time.monotonic() - t0 < 2


def _set_after(seconds: float) -> threading.Event:
    ev = threading.Event()
    threading.Timer(seconds, ev.set).start()
    return ev


def test_tables_reads_every_table_and_names_a_broken_one(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    broken = data.spec("bases").file
    (copy / broken).write_text("not,the,columns\n1,2,3\n")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(copy))
    data._resolved.cache_clear()
    try:
        failed = warm.tables()
        assert failed == ["bases"]
        # the others are kept for the readers: no reader's run reads a file again
        def no_read(*a, **k):
            raise AssertionError("a table was read again")

        monkeypatch.setattr(data, "read_table", no_read)
        for spec in data.all_specs():
            if spec.name != "bases":
                assert len(data.load(spec.name))
    finally:
        data._resolved.cache_clear()


def test_start_runs_the_warm_up_once_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(warm, "run", lambda *a, **k: calls.append(1))
    monkeypatch.setattr(warm, "_thread", None)
    assert warm.start() is True
    assert warm.start() is False
    warm._thread.join(5)
    assert calls == [1]


def test_the_served_app_warms_itself_up(tmp_path):
    """`streamlit run app.py` (the README's command): the server answers at once, and its log says the tables
    and the chart code were ready, then that all 36 animations were built."""
    srv = start_streamlit(ROOT / "app.py", log_path=tmp_path / "server.log", timeout=90)
    try:
        waited = srv.wait_warm()
        log = srv.log_text()
        assert waited is not None, log[-2000:]
        assert "Footprint warm-up: tables and chart code ready" in log
        assert "(36 animations built)" in log
        assert "Traceback" not in log
    finally:
        srv.stop()


def _options(monkeypatch, **values):
    from streamlit import config

    real = config.get_option
    monkeypatch.setattr(config, "get_option", lambda key: values[key] if key in values else real(key))


def test_local_address_comes_from_the_servers_own_settings(monkeypatch):
    _options(monkeypatch, **{"server.address": None, "server.port": 8501, "server.baseUrlPath": ""})
    assert warm.local_address() == "http://localhost:8501/"
    _options(monkeypatch, **{"server.address": "0.0.0.0", "server.port": 9000, "server.baseUrlPath": "/footprint/"})
    assert warm.local_address() == "http://localhost:9000/footprint/"
    _options(monkeypatch, **{"server.address": "10.1.2.3", "server.port": 8502, "server.baseUrlPath": ""})
    assert warm.local_address() == "http://10.1.2.3:8502/"


def test_the_start_up_line_is_printed_once_the_port_answers(monkeypatch):
    import asyncio
    import io
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    _options(monkeypatch, **{"server.address": "127.0.0.1", "server.port": port, "server.baseUrlPath": ""})
    out = io.StringIO()
    refused = asyncio.Event()
    real_open = asyncio.open_connection

    async def open_connection(*args, **kwargs):
        try:
            return await real_open(*args, **kwargs)
        except OSError:
            refused.set()
            raise

    monkeypatch.setattr(asyncio, "open_connection", open_connection)

    async def listen_later():
        task = asyncio.create_task(warm.announce(timeout=5, out=out))
        await asyncio.wait_for(refused.wait(), 5)  # it has tried the port, and been refused
        assert out.getvalue() == ""  # not before the server listens
        sock.listen()
        return await task

    try:
        assert asyncio.run(listen_later()) is True
    finally:
        sock.close()
    assert out.getvalue().strip() == f"Footprint is ready: http://localhost:{port}/"
    # a port that never answers: nothing printed
    quiet = io.StringIO()
    assert asyncio.run(warm.announce(timeout=0.3, out=quiet)) is False and quiet.getvalue() == ""


def test_command_1_prints_the_address_with_no_outside_lookup():
    """``python -m streamlit run app.py``: the line comes from the app's own hook; Streamlit's banner (which asks an
    outside service for the external address) stays off."""
    import subprocess
    import sys

    from bench.server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**__import__("os").environ, "FOOTPRINT_WARM": "off"})
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Footprint is ready" in line:
                break
    finally:
        proc.terminate()
        proc.wait(10)
    text = "".join(lines)
    assert f"Footprint is ready: http://localhost:{port}/" in text, text
    assert "External URL" not in text and "Network URL" not in text


def test_every_years_map_is_made_once_and_a_link_to_a_year_then_builds_nothing(monkeypatch):
    """app_pages/year_map.py: the warm-up makes each year's plain map in each language (newest first); made maps are
    not made again, and a reader opening ?year= for any of them finds it kept (the map view shares the entries)."""
    from app_pages import year_map
    from i18n import LANGS
    from prep import views
    from tests.apputil import open_link

    monkeypatch.setattr(gate, "GATE", None)
    data.MEMO.clear()
    years = data.memo(year_map.meta, tables=year_map.TROOPS)[0]
    assert year_map.prebuild(quiet=0) == len(years) * len(LANGS)
    assert year_map.prebuild(quiet=0) == 0
    for lang in LANGS:
        for year in (years[0], years[len(years) // 2], years[-1]):
            assert data.is_memoised(year_map.map_alt, year, "active_duty", lang, tables=year_map.TROOPS)

    def no_build(*a, **k):
        raise AssertionError("a kept year's map was made again")

    monkeypatch.setattr(views, "year_map", no_build)
    at = open_link(year=str(years[len(years) // 2]))
    assert len(at.get("plotly_chart")) == 1
