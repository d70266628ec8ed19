"""Starting the dashboard as the README says (`python -m streamlit run app.py`, with its start-up warm-up) and rendering every page
opens no connection and looks up no name outside this machine. Streamlit's headless start-up would otherwise
look up the machine's addresses (a socket "connected" to 8.8.8.8, then an HTTP request to an address-echo
service) to print them; `.streamlit/config.toml` turns that message off. The guard is a sitecustomize module
that records every outside attempt of the server process; a control run with the message on shows it catches
Streamlit's own lookups."""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.server import ROOT, free_port, wait_http
from hosting import healthcheck

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


# --- The image export: kaleido's Chromium is a process of its own, which the Python guard above cannot see -----

RENDER = """
import sys
sys.path.insert(0, {root!r})
import pandas as pd
from charts import budget as bc, maps
from charts.common import image_figure, to_image
year = pd.DataFrame({{"map_iso3": ["JPN", "DEU"], "iso3": ["JPN", "DEU"], "name": ["Japan", "Germany"],
                     "active_duty": [53490.0, 36332.0], "report": ["September 2025"] * 2, "provenance": ["dmdc"] * 2}})
world = image_figure(maps.troop_map(year, "active_duty", title="US troops abroad, 2025"), "Source: DMDC", "Footprint",
                     1200, 675)
if {defaults!r}:  # the control: kaleido as plotly starts it, with kaleido's own defaults
    import plotly.io as pio
    pio.defaults.topojson = "file://" + {static!r} + "/"
    print(len(world.to_image(format="png", width=1200, height=675)))
else:
    items = pd.DataFrame({{"label": ["OMB 050 outlays", "Reported"], "value_usd_m": [873500.0, 1500000.0],
                          "kind": ["official", "reported"], "note": ["", ""]}})
    bars = image_figure(bc.fy2024_comparison(items, title="FY2024"), "Source: OMB", "Footprint", 1080, 1080)
    print(len(to_image(world, "png", 1200, 675, {static!r})), len(to_image(bars, "svg", 1080, 1080)))
"""

STRACE = shutil.which("strace")
CHROMIUM = shutil.which("chromium") or os.environ.get("BROWSER_PATH")
HEADLESS_SHELL = shutil.which("chromium-headless-shell")
_ADDR = re.compile(r'sa_family=(AF_INET6?), sin6?_port=htons\((\d+)\)[^}]*?(?:inet_addr\("([^"]+)"\)|'
                   r'inet_pton\(AF_INET6, "([^"]+)")')
# The full Chromium's network service "connects" a UDP socket to this address, port 443, before every host-name
# lookup to learn whether IPv6 is routed (no datagram is sent), and its sign-in service makes a lookup at every
# start that no switch stops (compat/kaleido.py). The image export runs in the headless shell, which has neither:
# the export test counts the probe like any outside connection. The trace reader can still tell the probe's socket
# from one that sends (``allow_probe``), which its own test checks.
IPV6_PROBE = "2001:4860:4860::8888"


def _loopback(ip: str) -> bool:
    return ip.startswith(("127.", "::ffff:127.")) or ip in ("::1", "::")


# strace -yy writes what a socket is at the moment of the call: "22<UDPv6:[[::1]:5->[2001:db8::1]:53]>" or
# "22<UNIX:[1234->1235]>". The socket numbers tracked below are per process, and Chromium's processes reuse the
# same numbers (a socketpair in one process, the probe's socket in another), so a datagram is judged by this.
_FD_SOCKET = re.compile(r"^\w+\(\d+<(UDP|UDPv6|TCP|TCPv6|UNIX|NETLINK|UNIX-STREAM|UNIX-DGRAM)[^>]*?(?:->\[?([^\]>]*?)\]?:\d+)?\]?>")
_RET = r"= (\d+)(?:<[^>]*>)?$"
_PAIR = r"\[(\d+)(?:<[^>]*>)?, (\d+)(?:<[^>]*>)?\]"


def _new_fds(call: str) -> list[str]:
    """The socket numbers a finished socket() or socketpair() call returned."""
    fds = re.findall(_PAIR, call)
    ret = re.search(_RET, call)
    return list(fds[0]) if fds else [ret.group(1)] if ret else []


def _sent_outside(call: str, fd: str, outside_fds: dict[str, str]) -> str | None:
    """Where a send without an address goes, when that is outside loopback: the socket's peer as strace saw it
    in the sending process, else the outside address the socket was connected to earlier."""
    now = _FD_SOCKET.match(call)
    if now:
        outside = now.group(1).startswith(("UDP", "TCP")) and now.group(2) and not _loopback(now.group(2))
        return now.group(2) if outside else None
    return outside_fds.get(fd)


def outside_attempts(trace: str, allow_probe: bool = False) -> list[str]:
    """From ``strace -f -e trace=socket,socketpair,close,connect,sendto,sendmsg,sendmmsg`` output: every DNS
    lookup (anything to port 53 or the name-service cache), every connection or datagram to an address outside
    loopback, except the IPv6 probe described above. A socket number is forgotten when it is closed or handed out
    again (threads of one process share them; strace names threads, not processes)."""
    udp: set[str] = set()  # socket numbers of datagram sockets
    outside_fds: dict[str, str] = {}  # socket number -> the outside address it was connected to
    pending: dict[str, str] = {}  # thread -> the call strace showed as unfinished (socket, socketpair)
    found = []

    def opened(fds: list[str], dgram: bool) -> None:
        for fd in fds:
            outside_fds.pop(fd, None)
            (udp.add if dgram else udp.discard)(fd)

    for line in trace.splitlines():
        tid, _, call = line.partition(" ")
        call = call.lstrip()  # strace pads the thread id
        resumed = re.match(r"<\.\.\. (socket|socketpair) resumed>", call)
        if resumed:
            opened(_new_fds(call), "SOCK_DGRAM" in pending.pop(tid, ""))
            continue
        m = re.match(r"(socketpair|socket|close|connect|sendto|sendmsg|sendmmsg)\((\d+)?", call)
        if not m:
            continue
        name = m.group(1)
        if name in ("socket", "socketpair"):
            if call.endswith("<unfinished ...>"):
                pending[tid] = call
                continue
            opened(_new_fds(call), "SOCK_DGRAM" in call)
            continue
        fd = m.group(2) or ""
        if name == "close":
            outside_fds.pop(fd, None)
            udp.discard(fd)
            continue
        if "nscd" in call:
            found.append(line)
            continue
        a = _ADDR.search(call)
        if a is None:
            where = None if name == "connect" else _sent_outside(call, fd, outside_fds)
            if where:
                found.append(f"{line}  (socket connected to {where})")
            continue
        ip = a.group(3) or a.group(4)
        if a.group(2) == "53" or not _loopback(ip):
            if allow_probe and name == "connect" and ip == IPV6_PROBE and a.group(2) != "53" and fd in udp:
                outside_fds[fd] = ip
                continue
            found.append(line)
    return found


def _traced_render(tmp_path: Path, defaults: bool) -> tuple[list[str], str]:
    script = tmp_path / "render.py"
    script.write_text(RENDER.format(root=str(ROOT), static=str(ROOT / "static"), defaults=defaults))
    log = tmp_path / "trace.txt"
    out = subprocess.run([STRACE, "-f", "-qq", "-yy", "-s", "64", "-e",
                          "trace=socket,socketpair,close,connect,sendto,sendmsg,sendmmsg",
                          "-o", str(log), sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                         check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return outside_attempts(log.read_text(errors="replace")), out.stdout


@pytest.mark.skipif(not (STRACE and HEADLESS_SHELL), reason="needs strace and chromium-headless-shell (scripts/test.sh)")
def test_an_image_export_makes_no_outside_connection_or_lookup(tmp_path):
    """A map PNG and a bar chart SVG rendered as the app renders them (kaleido on Debian's headless shell,
    compat/kaleido.py), traced with strace across every process the browser starts: no DNS lookup, no connection
    outside loopback, not even the IPv6 reachability probe's."""
    from compat.kaleido import browser_path

    assert browser_path() == HEADLESS_SHELL
    attempts, out = _traced_render(tmp_path, defaults=False)
    sizes = [int(x) for x in out.split()]
    assert len(sizes) == 2 and min(sizes) > 5_000, out
    assert attempts == [], "\n".join(attempts[:20])


@pytest.mark.skipif(not (STRACE and CHROMIUM), reason="needs strace and Debian's Chromium (scripts/test.sh)")
def test_the_trace_sees_kaleidos_default_chromium_reach_out(tmp_path):
    """The control: the same map rendered with kaleido's defaults (MathJax from a CDN, Chromium's background
    services) is seen looking names up."""
    attempts, _ = _traced_render(tmp_path, defaults=True)
    assert attempts, "the trace saw nothing: it could not see an outside request either"


def test_the_trace_reader_tells_loopback_from_outside():
    trace = "\n".join([
        '10 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 23',
        '17 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP <unfinished ...>',
        '17 <... socket resumed>) = 8',
        '17 connect(8, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28 <unfinished ...>',
        '10 connect(23, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '11 connect(5, {sa_family=AF_INET, sin_port=htons(8501), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '1234  connect(6, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '12 connect(7, {sa_family=AF_UNIX, sun_path="/run/dbus/system_bus_socket"}, 29) = -1 ENOENT',
    ])
    assert len(outside_attempts(trace)) == 2  # by default the probe is an outside connection like any other
    assert outside_attempts(trace, allow_probe=True) == []
    dns = '13  connect(18, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0'
    web = '14 connect(9, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("104.16.1.1")}, 16) = -1 EINPROGRESS'
    sent = '10 sendto(23, "x", 1, 0, NULL, 0) = 1'
    tcp_probe = ('15 connect(4, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
                 'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0')
    assert outside_attempts(trace + "\n" + dns + "\n" + web + "\n" + tcp_probe, True) == [dns, web, tcp_probe]
    assert len(outside_attempts(trace + "\n" + sent, True)) == 1
    # the number handed out again (closed, or a new socket on another thread): not the probe's socket any more
    assert outside_attempts(trace + "\n10 close(23) = 0\n" + sent, True) == []
    assert outside_attempts(trace + "\n19 socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 23\n" + sent, True) == []
    assert outside_attempts('16 connect(3, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1') != []
