"""deploy/run_replicas.sh: nginx in front of two replicas (of the floor app, to keep it quick) under supervisord
proxies the websocket protocol, spreads new readers over both replicas and keeps a reader (fp_route cookie) on
one; a replica killed with SIGKILL is restarted by supervisord while nginx sends its readers to the other one;
the security headers are set and Streamlit's metrics are not public."""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.server import ROOT, free_port
from hosting import healthcheck
from hosting.stclient import Session

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
CONN_LIMIT = 12  # websocket sessions per address at nginx, small here so a test can reach it (600 by default)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("deploy")
    ports = [free_port(), free_port()]
    listen = free_port()
    env = dict(os.environ, APP="bench/floor_app.py", PREFIX=str(prefix), LISTEN_PORT=str(listen),
               REPLICA_PORTS=" ".join(map(str, ports)), NGINX=NGINX, SESSION_TTL="5",
               CONN_LIMIT=str(CONN_LIMIT))
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


def _log_lines(prefix: Path, keep, at_least: int, timeout: float = 10.0) -> list[str]:
    """The access log's lines that ``keep`` accepts, once there are ``at_least`` of them: nginx writes a request's
    line when the request ends, a moment after the client has its answer, so the test waits for the lines it
    expects instead of a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [ln for ln in (prefix / "logs" / "access.log").read_text().splitlines() if keep(ln)]
        if len(lines) >= at_least or time.monotonic() > deadline:
            return lines
        time.sleep(0.02)


def _upstreams(prefix: Path, marker: str, at_least: int = 1) -> list[str]:
    lines = _log_lines(prefix, lambda ln: marker in ln, at_least)
    return [re.search(r"upstream=(\S+)", line).group(1) for line in lines]


def test_both_replicas_and_nginx_run(deployment):
    prefix = deployment["prefix"]
    pids = [int((prefix / f"replica-{p}.pid").read_text()) for p in deployment["ports"]]
    pids.append(int((prefix / "nginx.pid").read_text()))
    for pid in pids:
        os.kill(pid, 0)  # raises if the process is gone
    conf = (prefix / "nginx.conf").read_text()
    assert "hash $fp_route consistent;" in conf
    # supervisord's config carries the cookie secret: owner-only
    assert (prefix / "supervisord.conf").stat().st_mode & 0o777 == 0o600
    assert "STREAMLIT_SERVER_COOKIE_SECRET=" in (prefix / "supervisord.conf").read_text()
    for port in deployment["ports"]:
        assert f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" in conf


def test_render_check_through_nginx(deployment):
    # the page renders (websocket, script run, chart) through nginx with its Content-Security-Policy in place
    status, headers, _ = _get(deployment["url"])
    assert status == 200 and "frame-ancestors" in headers["Content-Security-Policy"]
    rep = asyncio.run(healthcheck.check(deployment["url"], expect=["plotly_chart"], strict=True))
    assert rep.ok, rep.lines()


def test_first_response_sets_the_route_cookie(deployment):
    with urllib.request.urlopen(deployment["url"], timeout=10) as resp:
        cookie = resp.headers.get("Set-Cookie", "")
    assert re.fullmatch(r"fp_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", cookie), cookie


def test_route_cookie_reaches_embeds_when_the_reader_came_over_https(deployment):
    # TLS terminated in front of nginx: the terminator says so with X-Forwarded-Proto. Over https the cookie is
    # sent from inside an article's iframe on another site (SameSite=None needs Secure; Partitioned keeps it per
    # embedding site), so every request of an embedded view reaches the same replica.
    req = urllib.request.Request(deployment["url"], headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        cookie = resp.headers.get("Set-Cookie", "")
    assert re.fullmatch(r"fp_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=None; Secure; Partitioned",
                        cookie), cookie


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_a_download_file_missing_on_one_replica_is_asked_of_the_other(deployment):
    # After a failover a reader's websocket (and the files its session makes under /media/) is on one replica
    # while its cookie routes plain requests to the restarted one: nginx asks the other replica on a 404 there.
    marker = f"missing-{time.monotonic_ns()}"
    status, headers, _ = _get(deployment["url"] + f"media/{marker}.csv", {"Cookie": "fp_route=media-test"})
    assert status == 404  # no replica has it
    assert "frame-ancestors *" in headers["Content-Security-Policy"]  # the headers are inherited there
    assert headers["X-Content-Type-Options"] == "nosniff"
    line = _log_lines(deployment["prefix"], lambda ln: marker in ln, 1)[-1]
    asked = re.search(r"upstream=(.+?) route=", line).group(1)  # "127.0.0.1:A, 127.0.0.1:B": both were asked
    assert sorted(a.strip().rsplit(":", 1)[1] for a in asked.split(",")) == sorted(map(str, deployment["ports"])), line


def test_security_headers_on_pages_and_assets(deployment):
    status, headers, body = _get(deployment["url"] + "?year=1990")
    assert status == 200 and b"<html" in body.lower()
    csp = {d.split()[0]: d.split()[1:] for d in (x.strip() for x in headers["Content-Security-Policy"].split(";")) if d}
    assert csp["frame-ancestors"] == ["*"]  # ?embed=true stays embeddable in articles
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    # what Streamlit's frontend and plotly need, and no more than this host for scripts and the websocket
    assert set(csp["script-src"]) == {"'self'", "'unsafe-inline'", "'unsafe-eval'"}
    assert set(csp["style-src"]) == {"'self'", "'unsafe-inline'"}
    assert csp["connect-src"] == ["'self'"]  # 'self' covers the page's own websocket
    # the policy never repeats the request's Host header (a forged Host cannot widen it)
    _, forged, _ = _get(deployment["url"], {"Host": "evil.example"})
    assert "evil" not in forged["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Server"] == "nginx"  # server_tokens off: no version
    # every proxied response carries them, the JavaScript too (nosniff matters most there)
    js = re.search(rb'src="(\./)?(static/js/[^"]+\.js)"', body).group(2).decode()
    status, headers, _ = _get(deployment["url"] + js)
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors *" in headers["Content-Security-Policy"]
    # nginx's own error pages do not name the version either
    status, headers, body = _get(deployment["url"] + "_stcore/metrics")
    assert status == 404 and b"nginx/" not in body and headers["Server"] == "nginx"


def _split_get(port: int, target: str) -> int:
    """GET ``target`` from 127.0.0.1:``port`` with the request sent in two parts 0.3 s apart; the status code."""
    req = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(req[:20_000])
        time.sleep(0.3)
        s.sendall(req[20_000:])
        head = b""
        while b"\r\n" not in head:
            chunk = s.recv(4096)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1])


def test_a_70_kb_link_opens_through_nginx(deployment):
    long = "?year=1990&" + "&".join(f"countries=Country{i:05d}" for i in range(3_100))
    assert 70_000 < len(long) < 80_000
    status, _, body = _get(deployment["url"] + long)
    assert status == 200 and b"<html" in body.lower()  # nginx's default buffers answered 414 here
    port = deployment["ports"][0]  # the replica itself takes it too, and refuses what is beyond its own limit ...
    assert _get(f"http://127.0.0.1:{port}/" + long)[0] == 200
    # ... also when the request arrives in two reads, as through nginx on a busy machine: Streamlit's uvicorn/h11
    # refused a request head over 16 KB that was not complete in one read ("400 Bad Request", seen in CI);
    # hosting/serve.py, which run_replicas.sh starts the replicas with, raises that limit to nginx's
    assert _split_get(port, "/" + long) == 200
    # ... as nginx does, with a clear 414 instead of passing on what no replica would take
    status, headers, body = _get(deployment["url"] + "?x=" + "a" * 140_000)
    assert status == 414 and headers["Server"] == "nginx"


def test_metrics_are_not_public(deployment):
    # the replica itself serves them (operators scrape it on loopback) ...
    port = deployment["ports"][0]
    status, _, body = _get(f"http://127.0.0.1:{port}/_stcore/metrics")
    assert status == 200 and b"session" in body.lower()
    # ... nginx does not, in any spelling that reaches the same route
    for path in ("_stcore/metrics", "_stcore/metrics?x=1", "/_stcore/metrics", "%5Fstcore/metrics", "_stcore/metrics/"):
        status, _, body = _get(deployment["url"] + path)
        assert status == 404 and b"session" not in body.lower(), path


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
    http = _upstreams(deployment["prefix"], "sticky=a", at_least=6)
    ws = [u for line, u in zip(*_stream_lines(deployment["prefix"], lambda ln: "route=reader-a" in ln, 3))]
    assert len(http) == 6 and len(set(http)) == 1
    assert len(ws) == 3 and set(ws) == set(http)


def _stream_lines(prefix: Path, keep=lambda ln: True, at_least: int = 0):
    """The websocket sessions in the access log (those ``keep`` accepts, once there are ``at_least``), and the
    replica each went to."""
    lines = _log_lines(prefix, lambda ln: "/_stcore/stream" in ln and keep(ln), at_least)
    return lines, [re.search(r"upstream=(\S+)", ln).group(1) for ln in lines]


def test_new_readers_spread_over_both_replicas(deployment):
    before = len(_stream_lines(deployment["prefix"])[0])

    async def many():
        for _ in range(12):
            async with Session(deployment["url"].replace("http", "ws") + "_stcore/stream") as s:
                assert (await s.run("", "")).ok

    asyncio.run(many())
    lines, ups = _stream_lines(deployment["prefix"], at_least=before + 12)
    fresh = {u for line, u in zip(lines, ups) if "route=reader-a" not in line}
    assert fresh == {f"127.0.0.1:{p}" for p in deployment["ports"]}


def _route_of(deployment, cookie: str) -> str:
    """The replica (host:port) that nginx sends the reader with this fp_route cookie to."""
    marker = f"route-probe-{cookie}-{time.monotonic_ns()}"
    status, _, _ = _get(deployment["url"] + f"?{marker}", {"Cookie": f"fp_route={cookie}"})
    assert status == 200
    return _upstreams(deployment["prefix"], marker)[-1]


def _supervisor_status(prefix: Path) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-m", "supervisor.supervisorctl", "-c", str(prefix / "supervisord.conf"),
                          "status"], capture_output=True, text=True, timeout=20).stdout
    return {line.split()[0]: line.split()[1] for line in out.splitlines() if line.strip()}


def test_a_killed_replica_is_restarted_and_nginx_fails_over(deployment):
    prefix, url = deployment["prefix"], deployment["url"]
    victim, survivor = deployment["ports"]
    # one reader routed to each replica (the cookie decides, hash consistent)
    cookies: dict[int, str] = {}
    for i in range(200):
        port = int(_route_of(deployment, f"r{i}").rsplit(":", 1)[1])
        cookies.setdefault(port, f"r{i}")
        if len(cookies) == 2:
            break
    assert set(cookies) == {victim, survivor}, cookies
    old_pid = int((prefix / f"replica-{victim}.pid").read_text())
    nginx_pid = int((prefix / "nginx.pid").read_text())

    os.kill(old_pid, signal.SIGKILL)
    killed = time.monotonic()
    answers: list[tuple[float, str, int, str]] = []  # (seconds after the kill, reader, status, upstream)
    runs: list[tuple[float, str, bool, str]] = []  # websocket script runs through nginx
    slowest = 0.0
    back = None  # seconds until the killed replica answered on its own port again
    n = 0
    while time.monotonic() - killed < 20:
        n += 1
        for reader, port in (("victim's reader", victim), ("survivor's reader", survivor)):
            marker = f"failover-{n}-{port}"
            sent = time.monotonic()
            status, _, body = _get(url + f"?{marker}", {"Cookie": f"fp_route={cookies[port]}"})
            slowest = max(slowest, time.monotonic() - sent)
            answers.append((time.monotonic() - killed, reader, status, marker))
            assert status == 200 and b"<html" in body.lower(), answers[-1]
        if n % 5 == 1:  # a whole script run through nginx, as a browser tab would, on both readers' routes
            async def both():
                out = []
                for port in (victim, survivor):
                    async with Session(url.replace("http", "ws") + "_stcore/stream",
                                       headers={"Cookie": f"fp_route={cookies[port]}"}) as s:
                        r = await s.run("", "year=1990", timeout=20)
                        out.append((time.monotonic() - killed, str(port), r.ok, r.problem()))
                return out
            runs.extend(asyncio.run(both()))
            assert all(ok for _, _, ok, _ in runs), runs
        if back is None:
            try:
                new_pid = int((prefix / f"replica-{victim}.pid").read_text())
                with urllib.request.urlopen(f"http://127.0.0.1:{victim}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200 and new_pid != old_pid:
                        back = time.monotonic() - killed
            except (OSError, ValueError):
                pass
        elif time.monotonic() - killed > back + 1:
            break
        time.sleep(0.2)
    print(f"\nfailover: {len(answers)} requests and {len(runs)} script runs through nginx after the kill, all ok "
          f"(slowest {slowest * 1000:.0f} ms); replica {victim} answered again {back} s after SIGKILL")
    assert back is not None and back < 15, f"replica {victim} was not restarted within 15 s"
    # the victim's reader was served by the survivor meanwhile (no error), and nothing else died
    log = "\n".join(_log_lines(prefix, lambda ln: "?failover-" in ln, len(answers)))
    ups = dict(re.findall(r"\?(failover-\d+-\d+) .*?upstream=(\S+)", log))
    assert len(ups) == len(answers)
    assert {ups[m] for _, r, _, m in answers if r == "victim's reader"} >= {f"127.0.0.1:{survivor}"}
    assert {ups[m] for _, r, _, m in answers if r == "survivor's reader"} == {f"127.0.0.1:{survivor}"}
    new_pid = int((prefix / f"replica-{victim}.pid").read_text())
    assert new_pid != old_pid
    os.kill(new_pid, 0)
    os.kill(nginx_pid, 0)  # the same nginx, never restarted
    os.kill(int((prefix / "supervisord.pid").read_text()), 0)
    assert deployment["proc"].poll() is None  # run_replicas.sh still runs
    expected = {f"replica-{victim}": "RUNNING", f"replica-{survivor}": "RUNNING", "nginx": "RUNNING",
                "watchdog": "RUNNING"}
    deadline = time.monotonic() + 15  # supervisord says RUNNING once a process has lived startsecs (2 s)
    while _supervisor_status(prefix) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _supervisor_status(prefix) == expected
    # the restarted replica renders its page again, directly and, once nginx tries it again, through nginx
    rep = asyncio.run(healthcheck.check(f"http://127.0.0.1:{victim}/", expect=["plotly_chart"], strict=True))
    assert rep.ok, rep.lines()
    deadline = time.monotonic() + 15
    while _route_of(deployment, cookies[victim]) != f"127.0.0.1:{victim}":
        assert time.monotonic() < deadline, "nginx did not send the reader back to the restarted replica"
        time.sleep(0.5)


def test_one_client_cannot_open_sessions_without_end(deployment):
    """nginx holds at most CONN_LIMIT websocket sessions per address at once; the next one is refused with 429."""
    ws = deployment["url"].replace("http", "ws") + "_stcore/stream"

    async def open_many(n: int):
        sessions, refused = [], 0
        for _ in range(n):
            s = Session(ws)
            try:
                await s.open()
                sessions.append(s)
            except Exception as exc:  # websockets raises InvalidStatus for the 429 answer
                refused += 1
                assert "429" in str(exc), exc
        for s in sessions:
            await s.close()
        return len(sessions), refused

    opened, refused = asyncio.run(open_many(CONN_LIMIT + 3))
    assert (opened, refused) == (CONN_LIMIT, 3)
    assert asyncio.run(open_many(1)) == (1, 0)  # closed sessions free their places at once


def test_nginx_reload_refuses_no_request(deployment):
    """`supervisorctl signal HUP nginx` (the documented reload) while requests keep coming: none refused."""
    import threading

    prefix, url = deployment["prefix"], deployment["url"]
    master = int((prefix / "nginx.pid").read_text())
    results: list[int] = []
    stop = threading.Event()

    def keep_asking():
        while not stop.is_set():
            try:
                results.append(_get(url + "_stcore/health")[0])
            except OSError:
                results.append(-1)
            time.sleep(0.05)  # four readers at ~20 requests a second each: under the per-address rate limit

    def nginx_workers() -> set[int]:  # the master's child processes (workers, cache helpers)
        kids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == master:
                kids.add(int(stat.parent.name))
        return kids

    def until(condition, what: str) -> None:
        deadline = time.monotonic() + 30
        while not condition():
            assert time.monotonic() < deadline, what
            time.sleep(0.02)

    workers = [threading.Thread(target=keep_asking) for _ in range(4)]
    for w in workers:
        w.start()
    until(lambda: len(results) >= 20, "no answers before the reload")
    old_workers = nginx_workers()
    assert old_workers, "nginx's workers not found"
    out = subprocess.run([sys.executable, "-m", "supervisor.supervisorctl", "-c", str(prefix / "supervisord.conf"),
                          "signal", "HUP", "nginx"], capture_output=True, text=True, timeout=20)
    assert "signalled" in out.stdout, out.stdout + out.stderr
    # the requests go on until the reload is over (every old worker gone) and 20 more came through the new ones
    until(lambda: not (nginx_workers() & old_workers), "nginx's old workers did not finish after the reload")
    reloaded = len(results)
    until(lambda: len(results) >= reloaded + 20, "no answers after the reload")
    stop.set()
    for w in workers:
        w.join()
    assert len(results) > 20 and set(results) == {200}, {s: results.count(s) for s in set(results)}
    assert int((prefix / "nginx.pid").read_text()) == master  # reloaded, not restarted


def test_a_hung_replica_is_taken_out_by_the_watchdog(deployment):
    """A stopped replica (SIGSTOP) still accepts connections, so nginx's max_fails never sees it: the watchdog
    kills it once its health check stops answering, supervisord restarts it, and its readers are served again
    within 10 s."""
    prefix, url = deployment["prefix"], deployment["url"]
    victim = deployment["ports"][0]
    cookie = next(f"h{i}" for i in range(200) if _route_of(deployment, f"h{i}") == f"127.0.0.1:{victim}")
    hung = int((prefix / f"replica-{victim}.pid").read_text())
    os.kill(hung, signal.SIGSTOP)
    stopped = time.monotonic()
    served_again = None
    try:
        while time.monotonic() - stopped < 30:
            async def run_once():
                async with Session(url.replace("http", "ws") + "_stcore/stream", open_timeout=5,
                                   headers={"Cookie": f"fp_route={cookie}"}) as s:
                    return (await s.run("", "year=1990", timeout=5)).ok
            try:
                if asyncio.run(run_once()):
                    served_again = time.monotonic() - stopped
                    break
            except Exception:
                pass
            time.sleep(0.3)
    finally:
        try:
            os.kill(hung, signal.SIGCONT)
        except ProcessLookupError:
            pass
    print(f"\nhung replica: its reader served again {served_again} s after SIGSTOP")
    assert served_again is not None and served_again < 10, served_again
    assert f"replica {victim} (pid {hung}) has not answered" in (prefix / "logs" / "watchdog.log").read_text()
    # ... and supervisord started a new process in its place
    deadline = time.monotonic() + 30
    while (int((prefix / f"replica-{victim}.pid").read_text() or 0) == hung
           or _supervisor_status(prefix).get(f"replica-{victim}") != "RUNNING" or not healthcheck_ok(victim)):
        assert time.monotonic() < deadline, _supervisor_status(prefix)
        time.sleep(0.5)


def healthcheck_ok(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def test_replicas_count_the_readers_address_for_the_api_rate_limit(deployment):
    """nginx appends the reader's address to X-Forwarded-For; a replica that did not trust it would put every
    reader of the data API under the one rate limit of nginx's 127.0.0.1."""
    prefix = deployment["prefix"]
    for port in deployment["ports"]:
        pid = int((prefix / f"replica-{port}.pid").read_text())
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert b"FOOTPRINT_API_TRUST_FORWARDED=1" in environ, port
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in (prefix / "nginx.conf").read_text()
