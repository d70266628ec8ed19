"""hosting/watchdog.py takes out a hung replica, and never makes an overload worse."""
from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from hosting.watchdog import Watchdog


class Replicas:
    """Two replicas (ports 8601 and 8602, pids 11 and 22) under a watchdog with a 5 s limit, on a clock the test
    moves: ``answers`` says which of them answers its health check, ``killed`` what the watchdog killed."""

    def __init__(self, prefix: Path):
        self.now = 1000.0
        self.answers = {8601: True, 8602: True}
        self.killed: list[tuple[int, int]] = []
        for port, pid in ((8601, 11), (8602, 22)):
            (prefix / f"replica-{port}.pid").write_text(str(pid))
        self.dog = Watchdog([8601, 8602], prefix, stale=5.0, probe=lambda port, timeout: self.answers[port],
                            kill=lambda pid, sig: self.killed.append((pid, sig)), clock=lambda: self.now)

    def run(self, seconds: int) -> None:
        """``seconds`` rounds of one second each; every round's answers are in before the clock moves on."""
        for _ in range(seconds):
            self.dog.tick()
            deadline = time.monotonic() + 10
            while any(r.asking for r in self.dog.replicas):  # the probe threads have not all reported yet
                assert time.monotonic() < deadline, "the watchdog's probe threads did not report within 10 s"
                time.sleep(0.0005)
            self.now += 1


@pytest.fixture()
def replicas(tmp_path) -> Replicas:
    return Replicas(tmp_path)


def test_a_silent_replica_is_killed_while_the_other_answers(replicas):
    replicas.run(3)
    replicas.answers[8602] = False  # stopped: no more answers
    replicas.run(5)
    assert replicas.killed == []  # not yet: 5 s of silence are allowed
    replicas.run(3)
    assert replicas.killed == [(22, signal.SIGKILL)]


def test_when_every_replica_is_late_nothing_is_killed(replicas):
    replicas.run(3)
    replicas.answers.update({8601: False, 8602: False})  # the machine is overloaded, or the checks cannot get through
    replicas.run(20)
    assert replicas.killed == []


def test_a_replica_that_never_answered_is_left_to_start(replicas):
    replicas.answers[8602] = False
    replicas.run(30)
    assert replicas.killed == []


def test_a_restarted_process_is_watched_afresh(replicas, tmp_path):
    replicas.run(3)
    replicas.answers[8602] = False
    replicas.run(8)
    assert replicas.killed == [(22, signal.SIGKILL)]
    (tmp_path / "replica-8602.pid").write_text("33")  # supervisord started a new process, still starting
    replicas.run(20)
    assert replicas.killed == [(22, signal.SIGKILL)]
