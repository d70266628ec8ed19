"""The dashboard's one data layer: every table is read and validated once per process, through the table's own
``TableSpec`` from the loader module that owns it.

Tables are cached once per process (:class:`Shared`, keyed by table, path and file stamp): every session and run
gets the same read-only frame, with no copy per call (``st.cache_data`` would unpickle a fresh copy on every call,
~15 MB per concurrent run). **Callers must never modify a frame from this module in place** (no ``frame[col] = ...``,
no ``inplace=True``); derive new frames (``assign``, boolean selection, ``copy``). pandas 3's copy-on-write keeps
derived frames from writing back. :func:`memo` caches anything derived from tables (prepared frames, figures) per
parameter set, keyed by the tables' stamps so a changed file is picked up.

Functions raise :class:`loaders.schema.DataError` (naming the file and each problem) when a table is missing or
broken; the views catch it through ``ui.table`` and show it, so one bad table never takes down another view.
The data folder is ``$FOOTPRINT_DATA_DIR`` when set (tests, staging copies), else the project's ``data/``.
"""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import streamlit as st

import loaders
from loaders import registry
from loaders.deployments import load_deployments
from loaders.schema import DataError, Problem, TableSpec, read_table
from loaders.sources import Source, read_sources

# One definition, in the Streamlit-free preparation layer (the static snapshot uses them too)
from prep.places import entity, with_map_codes  # noqa: F401  (re-exported: data.entity(...))


def data_dir() -> Path:
    return _resolved(os.environ.get(loaders.DATA_ENV) or str(loaders.PROJECT_DIR / "data"))


@lru_cache(maxsize=16)
def _resolved(path: str) -> Path:
    # Path.resolve() walks the file system (~0.5 ms); a run asks for the folder dozens of times
    return Path(path).resolve()


@lru_cache(maxsize=1)
def _specs() -> dict[str, TableSpec]:
    # the loaders' table specs are constants; registry.specs() imports its modules and builds the dict anew, and a
    # run asks for specs dozens of times (every load and every memo key)
    return registry.specs()


def spec(name: str) -> TableSpec:
    return _specs()[name]


def all_specs() -> list[TableSpec]:
    return list(_specs().values())


@lru_cache(maxsize=256)
def _file(folder: Path, relative: str) -> Path:
    # a pathlib join parses its parts each time (a few microseconds, dozens of times a run)
    return folder / relative


# How long a file's stamp (mtime, size) is trusted before the file is looked at again. A run asks for stamps dozens
# of times (every memo key names its tables' stamps), and each look is a system call that lets other threads take
# the interpreter: with 50 new tabs at once each of those calls could wait several milliseconds for it back
# (docs/performance.md, "Server: readers at once"). A rebuilt table is picked up within this time, without a restart.
STAMP_TTL = 1.0  # seconds
_stamps: dict[tuple, tuple[float, Any]] = {}


def _fresh(key: tuple, compute: Callable[[], Any]) -> Any:
    now = time.monotonic()
    hit = _stamps.get(key)
    if hit is not None and now - hit[0] < STAMP_TTL:
        return hit[1]
    value = compute()
    _stamps[key] = (now, value)
    return value


def _stat(path: Path) -> tuple[int, int]:
    try:
        st_ = path.stat()
        return st_.st_mtime_ns, st_.st_size
    except OSError:
        return 0, -1


def _stamp(path: Path) -> tuple[int, int]:
    return _fresh(("file", str(path)), lambda: _stat(path))


def file_stamp(path: Path) -> tuple[int, int]:
    """A file's (mtime, size), looked at again at most every ``STAMP_TTL`` seconds: part of a :func:`memo` key
    for work that depends on a file outside the data folder (e.g. the change log)."""
    return _stamp(Path(path))


class Shared:
    """A bounded cache of results shared by every session of the process, least recently used dropped: each key
    is computed once (callers of a key being computed wait for it), an exception is not kept.

    What ``st.cache_resource`` does for these functions, for a fraction of its cost per call: it hashes every
    argument with its own hasher (tens of microseconds each, and a view's run makes dozens of such calls), where
    these keys are small tuples of strings and numbers that Python hashes at once. A reader's ``clear_cache``
    message does not reach them either (``compat.ignore_clear_cache_requests``)."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._values: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            busy = self._computing.setdefault(key, threading.Lock())
        with busy:
            with self._lock:
                if key in self._values:  # computed by the caller we waited for
                    self._values.move_to_end(key)
                    return self._values[key]
            try:
                value = compute()
                with self._lock:
                    self._values[key] = value
                    while len(self._values) > self.max_entries:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    if self._computing.get(key) is busy:
                        del self._computing[key]
        return value

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: tuple) -> bool:
        with self._lock:
            return key in self._values

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def shared(max_entries: int):
    """Decorator: the function's results kept in a :class:`Shared` cache, keyed by its (hashable) arguments."""
    def wrap(fn):
        cache = Shared(max_entries)

        @wraps(fn)
        def call(*args):
            return cache.get(args, lambda: fn(*args))
        call.cache = cache
        return call
    return wrap


@shared(max_entries=48)
def _read(name: str, path: str, stamp: tuple[int, int]) -> tuple[pd.DataFrame | None, list[Problem]]:
    return read_table(Path(path), spec(name), spec(name).file)


def load(name: str) -> pd.DataFrame:
    """The validated table ``name`` (a TableSpec name), or DataError naming the file and its problems."""
    path = _file(data_dir(), spec(name).file)
    frame, problems = _read(name, str(path), _stamp(path))
    if problems:
        raise DataError(problems)
    assert frame is not None
    return frame


@shared(max_entries=4)
def _sources(path: str, stamp: tuple[int, int]) -> tuple[dict[str, Source], list[Problem]]:
    return read_sources(Path(path))


def sources() -> dict[str, Source]:
    path = _file(data_dir(), "sources.yaml")
    found, problems = _sources(str(path), _stamp(path))
    if not found and problems:
        raise DataError(problems)
    return found


def _deployments_stamp(folder: Path) -> tuple:
    return _fresh(("deployments", str(folder)), lambda: _list_stamp(folder))


def _list_stamp(folder: Path) -> tuple:
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.y*ml")))
    except OSError:
        return ()


def tree_stamp() -> tuple:
    """Every file under the data folder with its modification time (what ``ui.data_version`` hashes for), looked at
    again at most every ``STAMP_TTL`` seconds."""
    folder = data_dir()
    return _fresh(("tree", str(folder)), lambda: _tree_stamp(folder))


def _tree_stamp(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()))


@shared(max_entries=4)
def _deployments(path: str, stamp: tuple) -> tuple[pd.DataFrame, list[Problem]]:
    frame, problems = load_deployments(Path(path))  # valid files, and the problems of those that are not
    return frame, list(problems)


def deployments() -> tuple[pd.DataFrame, list[Problem]]:
    """Named deployments from ``data/deployments/*.yaml`` (one row each; list columns kept as lists), and the
    problems of any file that is not valid (valid files are still returned)."""
    d = data_dir()
    stamp = _deployments_stamp(_file(d, "deployments")) + (_stamp(_file(d, "geocode_cache.csv")),
                                                          _stamp(_file(d, "sources.yaml")))
    return _deployments(str(data_dir()), stamp)


def version(*names: str) -> tuple:
    """What the cached results derived from tables ``names`` depend on: the data folder and each file's stamp
    (``"deployments"`` = the deployment YAML files, ``"sources"`` = sources.yaml)."""
    d = data_dir()
    out: list[object] = [str(d)]
    for n in names:
        if n == "deployments":
            # the same stamp as deployments(): which files are valid depends on sources.yaml too
            out.append(_deployments_stamp(_file(d, "deployments")) + (_stamp(_file(d, "geocode_cache.csv")),
                                                                     _stamp(_file(d, "sources.yaml"))))
        elif n == "sources":
            out.append(_stamp(_file(d, "sources.yaml")))
        else:
            out.append(_stamp(_file(d, spec(n).file)))
    return tuple(out)


# 768: every year's plain map in both languages (three entries each, made ahead by app_pages/year_map.py: about
# 35 MB) and room for what readers ask beyond it
MEMO = Shared(max_entries=768)


def memo(fn: Callable[..., Any], *args: Any, tables: tuple[str, ...] = ()) -> Any:
    """``fn(*args)``, computed once per process for these (hashable) ``args`` and the current stamps of
    ``tables``; shared by every session, so the result (a frame, a figure, a dict) must be treated as read-only.
    Bounded (``MEMO``: 768 entries, least recently used dropped). Use for work every run would repeat: prepared frames,
    lookups and figures of a view for one parameter set."""
    return MEMO.get(_memo_key(fn, args, tables), lambda: fn(*args))


def is_memoised(fn: Callable[..., Any], *args: Any, tables: tuple[str, ...] = ()) -> bool:
    """Whether ``memo(fn, *args, tables=tables)`` would find its result kept (for work made ahead of readers)."""
    return _memo_key(fn, args, tables) in MEMO


def _memo_key(fn: Callable[..., Any], args: tuple, tables: tuple[str, ...]) -> tuple:
    code = getattr(fn, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code else fn.__module__
    return f"{where}:{fn.__qualname__}", args, version(*tables)


def table_with_map_codes(name: str) -> pd.DataFrame:
    """``load(name)`` with ``map_iso3`` added, once per process and file stamp (read-only)."""
    load(name)  # raises DataError for a missing or broken table
    return memo(_load_with_map_codes, name, tables=(name,))


def _load_with_map_codes(name: str) -> pd.DataFrame:
    return with_map_codes(load(name))


SIPRI_WORKBOOK_ENV = "FOOTPRINT_SIPRI_WORKBOOK"


@st.cache_data(max_entries=2, show_spinner="Reading your SIPRI workbook…")
def _sipri_workbook(path: str, stamp: tuple[int, int]) -> pd.DataFrame:
    from loaders.budget import read_sipri_workbook

    return read_sipri_workbook(Path(path), data_dir())


def sipri_workbook() -> pd.DataFrame | None:
    """Every country of the full SIPRI workbook when the operator supplies it (``$FOOTPRINT_SIPRI_WORKBOOK``);
    None when not supplied. SIPRI's terms forbid bulk republication, so the project ships only an extract and
    reads the full workbook only from a copy the operator downloaded. Raises DataError when the file is wrong."""
    path = os.environ.get(SIPRI_WORKBOOK_ENV)
    if not path:
        return None
    p = Path(path)
    if not p.is_file():
        raise DataError([Problem(p.name, None, "", f"{SIPRI_WORKBOOK_ENV} names a file that does not exist")])
    return _sipri_workbook(str(p.resolve()), _stamp(p))
