"""Starting the dashboard as the README says (`python -m streamlit run app.py`, with its start-up warm-up) and rendering every page
opens no connection and looks up no name outside this machine. Streamlit's headless start-up would otherwise
look up the machine's addresses (a socket "connected" to 8.8.8.8, then an HTTP request to an address-echo
service) to print them; `.streamlit/config.toml` turns that message off. The guard is a sitecustomize module
that records every outside attempt of the server process; a control run with the message on shows it catches
Streamlit's own lookups."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from hosting import healthcheck
from bench.server import ROOT, free_port, wait_http

GUARD = Path(__file__).parent / "fixtures" / "netguard"


def _serve(tmp_path: Path, extra: list[str], check_pages: bool) -> tuple[list[str], str]:
    log = tmp_path / f"outside-{len(extra)}.log"
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(GUARD), str(ROOT)]), NETGUARD_LOG=str(log))
    # the README's command, with only a free port added (no server.address: that is what triggers the lookups)
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", f"--server.port={port}", *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_http(url + "_stcore/health", timeout=90, proc=proc)
        if check_pages:
            report = asyncio.run(healthcheck.check(url))
            assert report.ok, "\n".join(report.lines())
        else:  # the start-up message is printed just after the server answers: give it a moment
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not (log.exists() and "8.8.8.8" in log.read_text()):
                time.sleep(0.2)
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0].decode(errors="replace")
    return (log.read_text().splitlines() if log.exists() else []), out


def test_start_and_every_page_open_no_outside_connection(tmp_path):
    attempts, out = _serve(tmp_path, [], check_pages=True)
    assert attempts == [], f"outside connections or lookups: {attempts}\n{out[-2000:]}"


def test_the_guard_sees_streamlits_own_lookups_when_the_welcome_message_is_on(tmp_path):
    attempts, _ = _serve(tmp_path, ["--logger.hideWelcomeMessage=false"], check_pages=False)
    assert any("8.8.8.8" in a for a in attempts), attempts
