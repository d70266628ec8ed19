"""The request-rate limit: a small token bucket per client address (routes.py answers 429 with Retry-After when
it is empty), bounded in the number of addresses it remembers."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict


class RateLimit:
    """A token bucket per client address: ``burst`` requests at once, refilled at ``rate`` per second. Returns
    the seconds to wait (0: go ahead)."""

    def __init__(self, rate: float, burst: float, max_clients: int = 10_000):
        self.rate, self.burst, self.max_clients = rate, burst, max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def wait(self, client: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self.lock:
            tokens, last = self.buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self.buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self.buckets[client] = (tokens, now)
                wait = (1 - tokens) / self.rate
            while len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)
            return wait
