"""hosting/watchdog.py takes out a hung replica, and never makes an overload worse."""
from __future__ import annotations

import signal
import time

from hosting.watchdog import Watchdog


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def _dog(tmp_path, answers: dict[int, bool], clock: Clock, killed: list):
    for port, pid in ((8601, 11), (8602, 22)):
        (tmp_path / f"replica-{port}.pid").write_text(str(pid))
    dog = Watchdog([8601, 8602], tmp_path, stale=5.0, probe=lambda port, timeout: answers[port],
                   kill=lambda pid, sig: killed.append((pid, sig)), clock=clock)
    return dog


def _run(dog, clock: Clock, seconds: int) -> None:
    for _ in range(seconds):
        dog.tick()
        time.sleep(0.02)  # let the probe threads report
        clock.now += 1


def test_a_silent_replica_is_killed_while_the_other_answers(tmp_path):
    clock, killed = Clock(), []
    answers = {8601: True, 8602: True}
    dog = _dog(tmp_path, answers, clock, killed)
    _run(dog, clock, 3)
    answers[8602] = False  # stopped: no more answers
    _run(dog, clock, 5)
    assert killed == []  # not yet: 5 s of silence are allowed
    _run(dog, clock, 3)
    assert killed == [(22, signal.SIGKILL)]


def test_when_every_replica_is_late_nothing_is_killed(tmp_path):
    clock, killed = Clock(), []
    answers = {8601: True, 8602: True}
    dog = _dog(tmp_path, answers, clock, killed)
    _run(dog, clock, 3)
    answers.update({8601: False, 8602: False})  # the machine is overloaded, or the checks cannot get through
    _run(dog, clock, 20)
    assert killed == []


def test_a_replica_that_never_answered_is_left_to_start(tmp_path):
    clock, killed = Clock(), []
    answers = {8601: True, 8602: False}
    dog = _dog(tmp_path, answers, clock, killed)
    _run(dog, clock, 30)
    assert killed == []


def test_a_restarted_process_is_watched_afresh(tmp_path):
    clock, killed = Clock(), []
    answers = {8601: True, 8602: True}
    dog = _dog(tmp_path, answers, clock, killed)
    _run(dog, clock, 3)
    answers[8602] = False
    _run(dog, clock, 8)
    assert killed == [(22, signal.SIGKILL)]
    (tmp_path / "replica-8602.pid").write_text("33")  # supervisord started a new process, still starting
    _run(dog, clock, 20)
    assert killed == [(22, signal.SIGKILL)]
