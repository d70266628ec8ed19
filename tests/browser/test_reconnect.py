"""Downloads after a reconnect: the page's websocket reconnects to a new Streamlit session (the server
was restarted, or its replica died and nginx sent the reader to another one). Before the fix the frontend kept the
old page and the old session id, did not rerun, and every download click failed ("session ID mismatch" in the
server log, nothing for the reader). Now the page reruns on a reconnect (ui.rerun_on_reconnect) and a click gives
the view's CSV; behind nginx a download file is also found when the route cookie points at the restarted replica
(deploy/nginx.conf.template, location /media/)."""
from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from bench.server import ROOT, free_port, start_streamlit
from loaders.version import data_version
from tests.browser.pwutil import ARTIFACTS, IDLE

CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
NOT_CONNECTED = '[data-testid="stApp"]:not([data-test-connection-state="CONNECTED"])'


def _watch_connection(page) -> None:
    """Before a fault: the page notes (every 20 ms) whether it ever leaves CONNECTED, so a short outage is not
    missed by a wait that starts after it (a restarted server can be back, and the tab reconnected, before the
    test gets to look: that race failed a CI run); and, from every change of the app's state attributes, whether a
    script run has started on a connection made after the outage (ui.rerun_on_reconnect asks for one)."""
    page.evaluate("""sel => { window.__fpLost = false; window.__fpRerun = false;
        setInterval(() => { if (document.querySelector(sel)) window.__fpLost = true; }, 20);
        const app = document.querySelector('[data-testid="stApp"]');
        new MutationObserver(() => {
            if (window.__fpLost && app.dataset.testConnectionState === 'CONNECTED'
                && app.dataset.testScriptState !== 'notRunning') { window.__fpRerun = true; }
        }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state', 'data-test-connection-state']});
    }""", NOT_CONNECTED)


def _wait_reconnected(page) -> None:
    """Wait for the page to have lost its websocket (since _watch_connection), get it back, and finish the script
    run that follows."""
    page.wait_for_function("window.__fpLost === true", timeout=30_000)
    page.wait_for_selector(CONNECTED, state="attached", timeout=90_000)
    page.wait_for_function("window.__fpRerun === true", timeout=90_000)
    page.wait_for_selector(IDLE, state="attached", timeout=90_000)


def _download(page, name: str) -> tuple[str, str]:
    """Click the download button called `name`; returns (file name, text). Fails when no file comes."""
    with page.expect_download(timeout=20_000) as info:
        page.get_by_role("button", name=name).click()
    dl = info.value
    assert dl.failure() is None, f"download failed: {dl.failure()}"
    return dl.suggested_filename, Path(dl.path()).read_text(encoding="utf-8")


def test_download_works_after_the_server_restarts(browser):
    port = free_port()
    log1, log2 = ARTIFACTS / "reconnect-before.log", ARTIFACTS / "reconnect-after.log"
    srv = start_streamlit(ROOT / "app.py", port, log_path=log1, timeout=90)
    ctx = browser.new_context(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
    try:
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.goto(srv.url + "?year=2010")
        page.wait_for_selector(IDLE, state="attached")
        page.get_by_role("button", name="Download (CSV)").wait_for()
        _watch_connection(page)
        srv.stop()  # the same port, a new process: every session is gone
        srv = start_streamlit(ROOT / "app.py", port, log_path=log2, timeout=90)
        _wait_reconnected(page)
        assert "year=2010" in page.url  # the reader's view is kept
        name, text = _download(page, "Download (CSV)")
        rows = list(csv.reader(io.StringIO(text)))
        version = data_version()  # in the file's name and its last column (prep/downloads.py)
        assert name == f"footprint-top_hosts_active_duty_2010-{version}.csv"
        assert rows[0] == ["Host", "Troops", "Report", "Kind", "data_version"], rows[:2]
        assert len(rows) > 5 and all(r[2] == "September 2010" and r[4] == version for r in rows[1:]), rows[:3]
        assert "session ID mismatch" not in srv.log_text()
    finally:
        ctx.close()
        srv.stop()


NGINX = "/usr/sbin/nginx"


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
def test_download_works_after_failover_behind_nginx(browser, tmp_path):
    """Two replicas under supervisord behind nginx (deploy/run_replicas.sh, a small page using the dashboard's
    download helpers): kill the replica holding the tab's websocket; the page reconnects through nginx, and once
    the killed replica is back (its route cookie points there again) the download still gives the CSV."""
    ports, listen = [free_port(), free_port()], free_port()
    env = dict(os.environ, APP="tests/fixtures/bench/reconnect_app.py", PREFIX=str(tmp_path), LISTEN_PORT=str(listen),
               REPLICA_PORTS=" ".join(map(str, ports)), NGINX=NGINX, SESSION_TTL="5", FAIL_TIMEOUT="2")
    out = open(tmp_path / "script.out", "wb")
    proc = subprocess.Popen(["bash", str(ROOT / "deploy" / "run_replicas.sh")], env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    ctx = browser.new_context(viewport={"width": 1000, "height": 800}, accept_downloads=True)
    try:
        deadline = time.monotonic() + 120
        while b"ready:" not in (tmp_path / "script.out").read_bytes():
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "script.out").read_text()
            time.sleep(0.3)
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"http://127.0.0.1:{listen}/?year=1999")
        page.wait_for_selector(IDLE, state="attached")
        page.get_by_role("button", name="Download (CSV)").wait_for()
        route = next(c["value"] for c in ctx.cookies() if c["name"] == "fp_route")
        # nginx logs a request when it ends: wait for the line that names the reader's replica
        deadline = time.monotonic() + 10
        while not (found := re.findall(rf"upstream=127\.0\.0\.1:(\d+) route={route}",
                                       (tmp_path / "logs" / "access.log").read_text())):
            assert time.monotonic() < deadline, "nginx logged no request of this reader"
            time.sleep(0.02)
        victim = found[-1]
        _watch_connection(page)
        os.kill(int((tmp_path / f"replica-{victim}.pid").read_text()), signal.SIGKILL)
        killed = time.monotonic()
        _wait_reconnected(page)
        assert "year=1999" in page.url
        # Wait until the reader's cookie routes plain requests to the killed replica again (it is back and nginx's
        # fail_timeout is over), while the websocket may have moved to the other replica: the download file then
        # lives on the other replica.
        for i in range(200):
            assert time.monotonic() - killed < 90, "the killed replica did not come back"
            req = urllib.request.Request(f"http://127.0.0.1:{listen}/_stcore/health?probe={i}",
                                         headers={"Cookie": f"fp_route={route}"})
            try:
                urllib.request.urlopen(req, timeout=5).close()
            except OSError:
                pass
            time.sleep(0.3)
            if re.search(rf"probe={i} .*upstream=127\.0\.0\.1:{victim} ", (tmp_path / "logs" / "access.log").read_text()):
                break
        name, text = _download(page, "Download (CSV)")
        version = data_version()
        assert name == f"footprint-values_1999-{version}.csv"
        assert list(csv.reader(io.StringIO(text))) == [["year", "value", "data_version"], ["1999", "1", version],
                                                       ["1999", "2", version], ["1999", "3", version]]
        media = [ln for ln in (tmp_path / "logs" / "access.log").read_text().splitlines() if "GET /media/" in ln]
        print(f"\nkilled replica {victim}; download requests:\n" + "\n".join(media[-2:]))
    finally:
        ctx.close()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        out.close()
