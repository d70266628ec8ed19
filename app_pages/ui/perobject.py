"""Values made from an object, kept while the object lives: the views' frames and figures are cached and shared
(``data.memo``), so what a page makes from one of them (a table's HTML, a figure's dict) can be made once for every
session instead of on every run. No Streamlit."""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any


class PerObject:
    """Values per live object and options, keyed by the object's id (a DataFrame or a figure is not hashable). A
    weak reference drops an object's values when it goes, and each read checks the object behind the id, so an
    object that gets a dropped one's id is never handed that one's values. An object that takes no weak reference
    is not kept: its value is made each time."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[weakref.ref, dict[Hashable, Any]]] = {}
        # re-entrant: a garbage collection inside the lock may run a dropped object's callback in the same thread
        self._lock = threading.RLock()

    def _forget(self, key: int) -> Callable[[weakref.ref], None]:
        def drop(ref: weakref.ref) -> None:
            with self._lock:
                hit = self._kept.get(key)
                if hit is not None and hit[0] is ref:  # not a newer object that got the same id
                    del self._kept[key]
        return drop

    def get(self, obj: object, opts: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept for ``obj`` and ``opts``, made by ``make()`` (outside the lock) the first time."""
        key = id(obj)
        with self._lock:
            hit = self._kept.get(key)
            if hit is not None and hit[0]() is obj and opts in hit[1]:
                return hit[1][opts]
        out = make()
        with self._lock:
            hit = self._kept.get(key)
            if hit is None or hit[0]() is not obj:
                try:
                    hit = (weakref.ref(obj, self._forget(key)), {})
                except TypeError:
                    return out
                self._kept[key] = hit
            hit[1][opts] = out
        return out

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)
