"""Take a hung replica out: kill a replica whose health check stops answering, so supervisord restarts it.

nginx's max_fails counts refused connections. A replica that is stopped (SIGSTOP), deadlocked or stuck in a
loop still accepts connections, so nginx keeps sending its readers there and their requests hang. This process
(a supervisord program started by deploy/run_replicas.sh) asks each replica's `/_stcore/health` every second, each
question in its own thread so a slow answer never delays the others. A replica none of whose answers arrived for
STALE seconds is hung, and gets SIGKILL (its pid from `PREFIX/replica-PORT.pid`, which each replica writes when
supervisord starts it); its connections close, nginx fails over, its readers' tabs reconnect to another replica,
and supervisord starts a new process. A replica that is only busy still answers, late: its answers keep arriving.

Two guards keep it from making an overload worse: a replica is watched only once it has answered (a process
still starting is never killed), and a replica is killed only while another one answered within STALE seconds
(when every replica is late, the machine is overloaded, and killing would only take capacity away). Under a load
average of 16 on 2 cores a first version that counted timed-out checks killed both healthy replicas.

    python -m hosting.watchdog --prefix /tmp/footprint-deploy 8601 8602
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("footprint.watchdog")


@dataclass
class Replica:
    port: int
    pid: int | None = None
    last_ok: float | None = None  # monotonic time of the last answer from this process
    asking: int = 0  # questions still waiting for an answer


def healthy(port: int, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def replica_pid(prefix: Path, port: int) -> int | None:
    try:
        return int((prefix / f"replica-{port}.pid").read_text().strip())
    except (OSError, ValueError):
        return None


def hung(replicas: list[Replica], now: float, stale: float) -> list[Replica]:
    """The replicas to take out: answered once, silent for `stale` seconds, while another one answered lately."""
    fresh = [r for r in replicas if r.last_ok is not None and now - r.last_ok <= stale]
    if not fresh:
        return []
    return [r for r in replicas if r.last_ok is not None and now - r.last_ok > stale]


class Watchdog:
    def __init__(self, ports: list[int], prefix: Path, stale: float = 5.0, timeout: float = 10.0,
                 probe=healthy, kill=os.kill, clock=time.monotonic):
        self.replicas = [Replica(p) for p in ports]
        self.prefix, self.stale, self.timeout = prefix, stale, timeout
        self.probe, self.kill, self.clock = probe, kill, clock
        self.pool = ThreadPoolExecutor(max_workers=4 * len(ports), thread_name_prefix="watchdog")
        self.lock = threading.Lock()

    def _ask(self, r: Replica, pid: int | None) -> None:
        ok = self.probe(r.port, self.timeout)
        with self.lock:
            r.asking -= 1
            if ok and r.pid == pid:  # an answer from the process we are watching, not a predecessor
                r.last_ok = self.clock()

    def tick(self) -> list[int]:
        """One round: note restarted processes, ask every replica once more, kill the hung; returns killed ports."""
        killed = []
        with self.lock:
            for r in self.replicas:
                pid = replica_pid(self.prefix, r.port)
                if pid != r.pid:  # a new process (supervisord restarted it): watched once it has answered
                    r.pid, r.last_ok = pid, None
                if r.asking < 4:  # a hung replica must not pile up threads
                    r.asking += 1
                    self.pool.submit(self._ask, r, pid)
            for r in hung(self.replicas, self.clock(), self.stale):
                log.warning("replica %s (pid %s) has not answered its health check for %.1f s while another replica"
                            " did: killing it", r.port, r.pid, self.clock() - r.last_ok)
                try:
                    self.kill(r.pid, signal.SIGKILL)
                    killed.append(r.port)
                except (ProcessLookupError, TypeError):
                    pass
                r.last_ok = None
        return killed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ports", nargs="+", type=int)
    ap.add_argument("--prefix", type=Path, required=True, help="run_replicas.sh's state folder (pid files)")
    ap.add_argument("--stale", type=float, default=5.0, help="seconds without an answer before a replica is hung")
    ap.add_argument("--every", type=float, default=1.0, help="seconds between questions")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)
    dog = Watchdog(args.ports, args.prefix, stale=args.stale)
    log.info("watching replicas %s (hung after %.1f s without an answer)", args.ports, args.stale)
    while True:
        started = time.monotonic()
        dog.tick()
        time.sleep(max(0.0, args.every - (time.monotonic() - started)))


if __name__ == "__main__":
    sys.exit(main())
