"""app_pages/gate.py: at most PLACES runs hold the gate at once, the others wait (in order), a nested turn does
not wait, and a run that raises leaves its place."""
from __future__ import annotations

import threading
import time

import pytest

from app_pages import gate


def _until(condition, timeout: float = 5.0) -> None:
    """Wait until ``condition()`` holds (the gate's own counters say where each thread is), instead of sleeping a
    guessed time: the order of arrival is then certain, however slow the machine."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out waiting for the gate"
        time.sleep(0.001)


def test_at_most_places_at_once_and_in_order():
    if not gate.PLACES:
        pytest.skip("FOOTPRINT_MAX_RUNS=0: no gate")
    inside, most, order = [0], [0], []
    guard = threading.Lock()
    # each run holds its place until the test lets it go, one at a time, once every run is inside or queued:
    # each freed place then has exactly one taker, and `order` is the order the gate handed the places out
    leave = [threading.Event() for _ in range(8)]

    def run(i: int) -> None:
        with gate.turn():
            with guard:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                order.append(i)
            leave[i].wait(10)
            with gate.turn():  # nested: no second place taken, no wait
                pass
            with guard:
                inside[0] -= 1

    threads = []
    for i in range(8):
        t = threading.Thread(target=run, args=(i,))
        t.start()
        threads.append(t)
        # they arrive in this order: each one is inside or queued before the next starts
        _until(lambda i=i: len(order) == i + 1 if i < gate.PLACES else gate.GATE.waiting() == i + 1 - gate.PLACES)
    for k in range(8):
        leave[k].set()
        if k + gate.PLACES < 8:
            _until(lambda k=k: len(order) == k + gate.PLACES + 1)
    for t in threads:
        t.join(timeout=10)
    assert most[0] == gate.PLACES
    assert sorted(order) == list(range(8))
    assert order[gate.PLACES:] == sorted(order[gate.PLACES:])  # the waiting ones went in the order they came


def test_a_run_that_raises_leaves_its_place():
    for _ in range(gate.PLACES + 2):
        with pytest.raises(RuntimeError):
            with gate.turn():
                raise RuntimeError("stopped by a newer run")
    done = threading.Event()

    def run() -> None:
        with gate.turn():
            done.set()

    threading.Thread(target=run).start()
    assert done.wait(timeout=5)


def test_a_heavy_run_goes_alone_after_waiting_readers():
    g = gate.Gate(2)
    log, guard = [], threading.Lock()
    inside = {"n": 0, "heavy_with_others": False}

    def run(name: str, heavy: bool) -> None:
        g.acquire(heavy)
        with guard:
            inside["n"] += 1
            if heavy and inside["n"] > 1:
                inside["heavy_with_others"] = True
            log.append(name)
        with guard:
            if inside["n"] > 1 and heavy:
                inside["heavy_with_others"] = True
            inside["n"] -= 1
        g.release(heavy)

    g.acquire()  # a reader's run holds a place
    g.acquire()  # and another: the gate is full
    threads = []
    # the heavy run comes first, then three readers, each queued before the next arrives
    for name, heavy in (("anim", True), ("r1", False), ("r2", False), ("r3", False)):
        t = threading.Thread(target=run, args=(name, heavy))
        t.start()
        threads.append(t)
        queued = len(threads)
        _until(lambda queued=queued: g.waiting() == queued)
    g.release()
    g.release()
    for t in threads:
        t.join(timeout=10)
    assert log.index("anim") == 3  # the readers who came after it still went first
    assert not inside["heavy_with_others"]
    assert g.waiting() == 0 and g._free == 2


def test_step_out_lets_others_in_and_takes_the_place_again():
    if not gate.PLACES:
        pytest.skip("FOOTPRINT_MAX_RUNS=0: no gate")
    entered = threading.Event()

    def other() -> None:
        with gate.turn():
            entered.set()

    with gate.turn(heavy=True):  # every place
        t = threading.Thread(target=other)
        t.start()
        assert not entered.wait(0.1)  # a heavy run holds every place
        with gate.step_out():
            assert entered.wait(5)  # while it builds, the others go on
        t.join(5)
    assert gate.GATE.waiting() == 0 and gate.GATE._free == gate.PLACES


def test_heavy_runs_are_paced_one_per_interval():
    """A reader looping through the animations gets one every PACE.every seconds, booked in arrival order; the
    waiting is a sleep, and ordinary runs are not paced."""
    pace = gate.Pace(0.1)
    starts: list[float] = []

    def run() -> None:
        pace.wait()
        starts.append(time.monotonic())

    threads = [threading.Thread(target=run) for _ in range(4)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=5)
    starts.sort()
    # the k-th start is booked k intervals after the first; a thread may wake late on a busy machine (so the gap
    # to the next one shrinks), never early
    offsets = [s - t0 for s in starts]
    assert len(starts) == 4 and all(o >= 0.1 * k - 0.01 for k, o in enumerate(offsets)), offsets
    assert starts[-1] - t0 >= 0.29  # four heavy starts take three intervals
    assert gate.PACE.every == 0.25 or gate.PACE_ENV in __import__("os").environ
    # an ordinary turn is never paced
    t1 = time.monotonic()
    for _ in range(5):
        with gate.turn():
            pass
    assert time.monotonic() - t1 < 0.1
