"""Take a hung replica out: kill a replica whose health check stops answering, so supervisord restarts it.

nginx's max_fails counts refused connections. A replica that is stopped (SIGSTOP), deadlocked or stuck in a
loop still accepts connections, so nginx keeps sending its readers there and their requests hang. This process
(a supervisord program started by deploy/run_replicas.sh) asks each replica's `/_stcore/health` every second;
after FAILS answers in a row missing for TIMEOUT seconds each, it sends SIGKILL to the replica (its pid from
`PREFIX/replica-PORT.pid`, which each replica writes when supervisord starts it). The connections then close,
nginx fails over, the readers' tabs reconnect to another replica, and supervisord starts a new process. A
replica is watched only once it has answered: a process still starting is never killed.

    python -m hosting.watchdog --prefix /tmp/footprint-deploy 8601 8602
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("footprint.watchdog")


@dataclass
class Replica:
    port: int
    fails: int = 0
    seen_healthy: bool = False
    pid: int | None = None


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


def check_once(replicas: list[Replica], prefix: Path, timeout: float, fails: int,
               probe=healthy, kill=os.kill) -> list[int]:
    """One round over the replicas; returns the ports whose process was killed."""
    killed = []
    for r in replicas:
        pid = replica_pid(prefix, r.port)
        if pid != r.pid:  # a new process (supervisord restarted it): wait until it has answered once
            r.pid, r.fails, r.seen_healthy = pid, 0, False
        if probe(r.port, timeout):
            r.fails, r.seen_healthy = 0, True
            continue
        if not r.seen_healthy or pid is None:
            continue
        r.fails += 1
        if r.fails >= fails:
            log.warning("replica %s (pid %s) did not answer its health check %d times in a row: killing it",
                        r.port, pid, r.fails)
            try:
                kill(pid, signal.SIGKILL)
                killed.append(r.port)
            except ProcessLookupError:
                pass
            r.fails, r.seen_healthy = 0, False
    return killed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ports", nargs="+", type=int)
    ap.add_argument("--prefix", type=Path, required=True, help="run_replicas.sh's state folder (pid files)")
    ap.add_argument("--timeout", type=float, default=2.0, help="seconds a health check may take")
    ap.add_argument("--fails", type=int, default=2, help="missed checks in a row before the replica is killed")
    ap.add_argument("--every", type=float, default=1.0, help="seconds between rounds")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)
    replicas = [Replica(p) for p in args.ports]
    log.info("watching replicas %s (timeout %.1f s, %d misses)", args.ports, args.timeout, args.fails)
    while True:
        started = time.monotonic()
        check_once(replicas, args.prefix, args.timeout, args.fails)
        time.sleep(max(0.0, args.every - (time.monotonic() - started)))


if __name__ == "__main__":
    sys.exit(main())
