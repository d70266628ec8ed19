"""app_pages/ui/perobject.py: what a page makes from a shared frame or figure is made once per object and options,
and goes with the object."""
from __future__ import annotations

import gc

import pandas as pd

from app_pages.ui.perobject import PerObject


def test_made_once_per_object_and_options_and_dropped_with_the_object():
    kept, made = PerObject(), []

    def make(tag):
        def run():
            made.append(tag)
            return f"value {tag}"
        return run

    frame = pd.DataFrame({"a": [1]})
    assert kept.get(frame, ("en",), make(1)) == "value 1"
    assert kept.get(frame, ("en",), make(2)) == "value 1"  # kept: not made again
    assert kept.get(frame, ("es",), make(3)) == "value 3"  # other options: made
    other = pd.DataFrame({"a": [1]})  # equal, but another object
    assert kept.get(other, ("en",), make(4)) == "value 4"
    assert made == [1, 3, 4] and len(kept) == 2
    del frame, other
    gc.collect()
    assert len(kept) == 0  # the values went with their objects


def test_an_object_without_weak_references_is_made_each_time():
    kept, made = PerObject(), []
    key = (1, 2)  # a tuple takes no weak reference

    def make():
        made.append(1)
        return len(made)

    assert kept.get(key, (), make) == 1 and kept.get(key, (), make) == 2
    assert len(kept) == 0
