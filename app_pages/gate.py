"""At most a few script runs at once (``FOOTPRINT_MAX_RUNS``, default 2): the rest wait their turn, in order;
runs that send the animation with every year (``?play=true``) go one at a time, alone, after waiting readers.

Every run of every session executes Python under the one interpreter lock of the process. When 50 readers open
the dashboard within two seconds, 50 runs share it: each gets a fiftieth of the interpreter, in 5 ms slices, and
every file look-up or message it sends hands the lock to another run, so all 50 finish late, together. Waiting at
the gate costs no interpreter time, so with two runs at once the first readers get their page at once and the
later ones soon after, in the order they came (docs/performance.md, "Server: readers at once"). Two, not one:
a long run (a cold table) takes one place and the other keeps serving readers.

A run of the animation view sends 1-1.4 MB; a reader looping through the 36 animations without a pause would
take half the interpreter from everyone else. Such a run ("heavy") waits until no other run is waiting or
running, then runs alone: a reader arriving meanwhile waits for at most that one run (about 50 ms once the
animation is built) instead of sharing the interpreter with it for the whole of their own run. Building a new
animation (0.3-0.4 s) is done outside the gate (``step_out``), one at a time, beside the readers' runs.

``dashboard.py`` wraps the whole run: ``with gate.turn(heavy=...): ...``. A run stopped by a newer one
(Streamlit raises inside the run) leaves the gate through the same ``with``.
"""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from contextlib import contextmanager

ENV = "FOOTPRINT_MAX_RUNS"
PACE_ENV = "FOOTPRINT_HEAVY_EVERY"


def _setting(name: str, default, kind=int):
    """A non-negative number from the environment, or ``default`` when unset or not a number."""
    try:
        return max(kind(0), kind(os.environ.get(name, default)))
    except ValueError:
        return default


class Gate:
    """``places`` runs at once, first come first served; a heavy run takes every place, and only when no other
    run holds or waits for one (heavy runs wait behind ordinary ones, in their own order)."""

    def __init__(self, places: int):
        self.places = places
        self._lock = threading.Lock()
        self._free = places
        self._waiting: deque[threading.Event] = deque()
        self._heavy: deque[threading.Event] = deque()
        self._busy_at = time.monotonic()  # when a run last asked for or gave back a place

    def _take(self, heavy: bool) -> threading.Event | None:
        with self._lock:
            self._busy_at = time.monotonic()
            if heavy:
                if self._free == self.places and not self._waiting and not self._heavy:
                    self._free = 0
                    return None
                ev = threading.Event()
                self._heavy.append(ev)
                return ev
            if self._free > 0 and not self._waiting:
                self._free -= 1
                return None
            ev = threading.Event()
            self._waiting.append(ev)
            return ev

    def _hand_over(self) -> None:  # with self._lock held: give free places to whoever waits, in order
        while self._waiting and self._free > 0:
            self._free -= 1
            self._waiting.popleft().set()
        if not self._waiting and self._heavy and self._free == self.places:
            self._free = 0
            self._heavy.popleft().set()

    def acquire(self, heavy: bool = False) -> None:
        ev = self._take(heavy)
        if ev is not None:
            ev.wait()  # the place was handed to us (counted by whoever set the event)

    def release(self, heavy: bool = False) -> None:
        with self._lock:
            self._busy_at = time.monotonic()
            self._free += self.places if heavy else 1
            self._hand_over()

    def waiting(self) -> int:
        return len(self._waiting) + len(self._heavy)

    def quiet_for(self) -> float:
        """Seconds since the last run gave back its place, when none holds or waits for one now; else 0."""
        with self._lock:
            if self._free != self.places or self._waiting or self._heavy:
                return 0.0
            return time.monotonic() - self._busy_at


class Pace:
    """Heavy runs start at most one per ``every`` seconds in the process, whoever asks: a reader switching
    animations without a pause (unpaced, two such readers make about 965 animation runs a minute, 0.84 MB each)
    gets one every quarter second, as quick as a person clicks, and does not take the interpreter's time from
    everyone else.
    Waiting is a sleep (no interpreter time); each start is booked in arrival order."""

    def __init__(self, every: float):
        self.every = every
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> float:
        """Sleep until this heavy run may start; returns the seconds slept."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.every
        if start > now:
            time.sleep(start - now)
        return start - now


PACE = Pace(_setting(PACE_ENV, 0.25, float))
PLACES = _setting(ENV, 2)  # 0 = no gate
GATE = Gate(PLACES) if PLACES else None
_local = threading.local()


def wait_quiet(quiet: float, stop: threading.Event | None = None, poll: float = 0.05) -> bool:
    """Sleep until no script run has been under way or waiting for ``quiet`` seconds in a row: for background work
    that must not take the interpreter from readers (building animations ahead of them, app_pages/warm.py). With
    no gate nothing counts runs, and this waits ``quiet`` seconds. False if ``stop`` was set meanwhile."""
    start = time.monotonic()
    while stop is None or not stop.is_set():
        done = (GATE.quiet_for() if GATE is not None else time.monotonic() - start) >= quiet
        if done:
            return True
        time.sleep(poll)
    return False


@contextmanager
def turn(heavy: bool = False):
    """Hold a place (``heavy``: every place) for the body; re-entrant per thread (a nested turn() does not wait)."""
    if GATE is None or getattr(_local, "inside", None) is not None:
        yield
        return
    if heavy and PACE.every:
        PACE.wait()
    GATE.acquire(heavy)
    _local.inside = heavy
    try:
        yield
    finally:
        _local.inside = None
        GATE.release(heavy)


@contextmanager
def step_out():
    """Leave this run's place for the body (long work that needs no turn of its own, e.g. building an animation,
    one at a time under its own lock): the others go on meanwhile, sharing the interpreter with it instead of
    waiting for it; the place is taken again after (in order, as on arrival)."""
    held = getattr(_local, "inside", None)
    if GATE is None or held is None:
        yield
        return
    GATE.release(held)
    _local.inside = None
    try:
        yield
    finally:
        GATE.acquire(held)
        _local.inside = held
