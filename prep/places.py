"""Our place codes: a code's name, map shape, region and kind, and map codes added to a frame. Light (pandas and
the country table only): the app's data layer re-exports these (``data.entity``). No Streamlit here."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from loaders import countries


@lru_cache(maxsize=4096)
def entity(code: str) -> tuple[str, str, str, str]:
    """(name, map_iso3, region, kind) for one of our place codes; falls back to the code itself."""
    e = countries.lookup(code)
    if e is None:
        return code, code if len(code) == 3 and not code.startswith("X") else "", "", ""
    return e.name, e.map_iso3 or "", e.region, e.kind


def with_map_codes(frame: pd.DataFrame, code_col: str = "iso3") -> pd.DataFrame:
    """``frame`` (keyed by our place codes) with ``map_iso3`` (the shape drawn on the map) added."""
    codes = frame[code_col].fillna("").astype(str)
    mapping = {c: entity(c)[1] for c in codes.unique() if c}
    return frame.assign(map_iso3=codes.map(lambda c: mapping.get(c, "")).astype("str"))


def unique_labels(names: dict[str, str]) -> dict[str, str]:
    """One label per code, for a list a reader picks from (and the link's value): the name, with the code added
    where two codes share a name ("Germany (DDR)")."""
    seen = list(names.values())
    clash = {n for n in seen if seen.count(n) > 1}
    return {c: (f"{n} ({c})" if n in clash else n) for c, n in names.items()}


def places_named(*frames: pd.DataFrame | None, column: str = "iso3", also: tuple[str, ...] = ()) -> dict[str, str]:
    """Every place code in ``column`` of the frames given (None: a table not available) and ``also``, with its
    name."""
    codes: set[str] = set(also)
    for frame in frames:
        if frame is not None:
            codes |= set(frame[column].dropna())
    codes.discard("")
    return {c: entity(c)[0] for c in codes}
