"""deploy/run_replicas.sh: nginx in front of two replicas (of the floor app, to keep it quick) proxies the
websocket protocol, spreads new readers over both replicas and keeps a reader (fp_route cookie) on one."""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from bench import healthcheck
from bench.server import ROOT, free_port
from bench.stclient import Session

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("deploy")
    ports = [free_port(), free_port()]
    listen = free_port()
    env = dict(os.environ, APP="bench/floor_app.py", PREFIX=str(prefix), LISTEN_PORT=str(listen),
               REPLICA_PORTS=" ".join(map(str, ports)), NGINX=NGINX, SESSION_TTL="5")
    out = open(prefix / "script.out", "wb")
    proc = subprocess.Popen(["bash", str(ROOT / "deploy" / "run_replicas.sh")], env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while b"ready:" not in (prefix / "script.out").read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGTERM)
            pytest.fail("run_replicas.sh did not get ready:\n" + (prefix / "script.out").read_text())
        time.sleep(0.3)
    yield {"url": f"http://127.0.0.1:{listen}/", "ports": ports, "prefix": prefix, "proc": proc}
    proc.send_signal(signal.SIGTERM)  # the script's trap stops the replicas and nginx
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    out.close()


def _upstreams(prefix: Path, marker: str) -> list[str]:
    time.sleep(0.5)  # nginx logs a request when it ends
    lines = (prefix / "logs" / "access.log").read_text().splitlines()
    return [re.search(r"upstream=(\S+)", line).group(1) for line in lines if marker in line]


def test_both_replicas_and_nginx_run(deployment):
    prefix = deployment["prefix"]
    pids = [int((prefix / f"replica-{p}.pid").read_text()) for p in deployment["ports"]]
    pids.append(int((prefix / "nginx.pid").read_text()))
    for pid in pids:
        os.kill(pid, 0)  # raises if the process is gone
    conf = (prefix / "nginx.conf").read_text()
    assert "hash $fp_route consistent;" in conf
    for port in deployment["ports"]:
        assert f"server 127.0.0.1:{port} " in conf


def test_render_check_through_nginx(deployment):
    rep = asyncio.run(healthcheck.check(deployment["url"], expect=["plotly_chart"], strict=True))
    assert rep.ok, rep.lines()


def test_first_response_sets_the_route_cookie(deployment):
    with urllib.request.urlopen(deployment["url"], timeout=10) as resp:
        cookie = resp.headers.get("Set-Cookie", "")
    assert re.match(r"fp_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", cookie), cookie


def test_a_reader_stays_on_one_replica(deployment):
    for i in range(6):
        req = urllib.request.Request(deployment["url"] + f"?sticky=a{i}", headers={"Cookie": "fp_route=reader-a"})
        urllib.request.urlopen(req, timeout=10).read()

    async def sessions():
        for _ in range(3):
            async with Session(deployment["url"].replace("http", "ws") + "_stcore/stream",
                               headers={"Cookie": "fp_route=reader-a"}) as s:
                assert (await s.run("", "year=1999")).ok

    asyncio.run(sessions())
    http = _upstreams(deployment["prefix"], "sticky=a")
    ws = [u for line, u in zip(*_stream_lines(deployment["prefix"])) if "route=reader-a" in line]
    assert len(http) == 6 and len(set(http)) == 1
    assert len(ws) == 3 and set(ws) == set(http)


def _stream_lines(prefix: Path):
    time.sleep(0.5)
    lines = [ln for ln in (prefix / "logs" / "access.log").read_text().splitlines() if "/_stcore/stream" in ln]
    return lines, [re.search(r"upstream=(\S+)", ln).group(1) for ln in lines]


def test_new_readers_spread_over_both_replicas(deployment):
    async def many():
        for _ in range(12):
            async with Session(deployment["url"].replace("http", "ws") + "_stcore/stream") as s:
                assert (await s.run("", "")).ok

    asyncio.run(many())
    lines, ups = _stream_lines(deployment["prefix"])
    fresh = {u for line, u in zip(lines, ups) if "route=reader-a" not in line}
    assert fresh == {f"127.0.0.1:{p}" for p in deployment["ports"]}
