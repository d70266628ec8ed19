"""The tables an answer is computed from: one State per data version, read as the dashboard reads them, and read
again when a file in the data folder changes (so a rebuilt table gives a new data version without a restart)."""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from loaders import DATA_ENV, registry
from loaders.schema import DataError, read_table
from loaders.version import (  # the one data version (loaders/version.py)
    data_dir,
    data_files,
    data_version,
)
from prep import views
from prep.places import entity

from ..common import load_deployment_frame, load_sources

TABLES = ("troops_annual", "troops", "budget_omb", "budget_greenbook", "sipri")  # what the resources read
STAMP_TTL = 1.0  # seconds a data folder's file stamps are trusted before they are looked at again


@dataclass(frozen=True)
class Reader:
    """Where the API gets its tables: by default read here (export.common, as the snapshot reads them); the served
    app passes its own per-process tables (app_pages/data.py), so the API adds no second copy of them to the
    process and answers from the tables the start-up warm-up has already read."""
    table: Callable[[str], pd.DataFrame]
    deployments: Callable[[], pd.DataFrame]
    sources: Callable[[], dict]

    @classmethod
    def of(cls, folder: Path) -> Reader:
        def table(name: str) -> pd.DataFrame:
            spec = registry.specs()[name]
            frame, problems = read_table(folder / spec.file, spec, spec.file)
            if problems:
                raise DataError(problems)
            return frame

        return cls(table, lambda: load_deployment_frame(folder), lambda: load_sources(folder))


@dataclass
class State:
    """The tables of one data version, read as the dashboard reads them, and what every resource derives from
    them more than once (the rows abroad with map codes, the place codes)."""
    version: str
    tables: dict[str, pd.DataFrame]
    deps: pd.DataFrame
    sources: dict
    abroad: pd.DataFrame
    troop_countries: list[str]
    countries: list[str]
    years: list[int]
    cache: OrderedDict = field(default_factory=OrderedDict)  # (path, filters) -> Answer, bounded (answers.py)
    lock: threading.Lock = field(default_factory=threading.Lock)  # the caches', shared by the server's threads
    tables_kept: OrderedDict = field(default_factory=OrderedDict)  # the last few computed tables (.json and .csv)

    @classmethod
    def read(cls, folder: Path | None = None, reader: Reader | None = None) -> State:
        folder = Path(folder or data_dir())
        reader = reader or Reader.of(folder)
        tables = {name: reader.table(name) for name in TABLES}
        deps = reader.deployments()
        annual = tables["troops_annual"]
        troop_countries = views.countries_with_troops(annual)
        record_countries = set(deps["iso3"].dropna().astype(str)) - {""} if len(deps) else set()
        countries = sorted(set(troop_countries) | record_countries, key=lambda c: (entity(c)[0], c))
        abroad = views.abroad(annual)
        years, _measures = views.years_and_measures(abroad)
        return cls(data_version(folder), tables, deps, reader.sources(), abroad, troop_countries, countries, years)


_state_lock = threading.Lock()
_state: dict = {}


def _stamp(folder: Path) -> tuple:
    out = []
    for p in data_files(folder):
        st = p.stat()
        out.append((p.as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(out)


@lru_cache(maxsize=16)
def _resolved(env_value: str) -> Path:
    return data_dir()  # Path.resolve() walks the file system: once per value of the environment variable


def state(folder: Path | None = None, reader: Reader | None = None, peek: bool = False) -> State | None:
    """The current data's State, read again when a file in the data folder changes (checked at most once per
    STAMP_TTL), so a rebuilt table gives a new data version without a restart. ``peek``: None instead of
    looking at the files or reading them (for the event loop, which must not wait on either)."""
    folder = Path(folder) if folder else _resolved(os.environ.get(DATA_ENV, ""))
    now = time.monotonic()
    with _state_lock:
        hit = _state.get(folder)
        if hit is not None and now - hit["checked"] < STAMP_TTL:
            return hit["state"]
        if peek:
            return None
        stamp = _stamp(folder)
        if hit is not None and hit["stamp"] == stamp:
            hit["checked"] = now
            return hit["state"]
        st = State.read(folder, reader)
        _state[folder] = {"state": st, "stamp": stamp, "checked": time.monotonic()}
        return st
