"""At most a few script runs at once (``FOOTPRINT_MAX_RUNS``, default 2): the rest wait their turn, in order.

Every run of every session executes Python under the one interpreter lock of the process. When 50 readers open
the dashboard within two seconds, 50 runs share it: each gets a fiftieth of the interpreter, in 5 ms slices, and
every file look-up or message it sends hands the lock to another run, so all 50 finish late, together. Waiting at
the gate costs no interpreter time, so with two runs at once the first readers get their page at once and the
later ones soon after, in the order they came (docs/performance.md, "Bursts and the animation"). Two, not one:
a long run (a new animation, a cold table) takes one place and the other keeps serving readers.

``dashboard.py`` wraps the whole run: ``with gate.turn(): ...``. A run stopped by a newer one (Streamlit raises
inside the run) leaves the gate through the same ``with``.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager

ENV = "FOOTPRINT_MAX_RUNS"


def _places() -> int:
    try:
        return max(0, int(os.environ.get(ENV, "2")))
    except ValueError:
        return 2


PLACES = _places()  # 0 = no gate
_gate = threading.BoundedSemaphore(PLACES) if PLACES else None
_local = threading.local()


@contextmanager
def turn():
    """Hold one of the gate's places for the body (re-entrant per thread: a nested turn() does not wait)."""
    if _gate is None or getattr(_local, "inside", False):
        yield
        return
    _gate.acquire()
    _local.inside = True
    try:
        yield
    finally:
        _local.inside = False
        _gate.release()
