"""The dashboard's one data layer: every table is read and validated once per process (``st.cache_data``),
through the table's own ``TableSpec`` from the loader module that owns it.

Functions raise :class:`loaders.schema.DataError` (naming the file and each problem) when a table is missing or
broken; the views catch it through ``ui.table`` and show it, so one bad table never takes down another view.
The data folder is ``$FOOTPRINT_DATA_DIR`` when set (tests, staging copies), else the project's ``data/``.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

import loaders
from loaders import countries, registry
from loaders.deployments import load_deployments
from loaders.schema import DataError, Problem, TableSpec, read_table
from loaders.sources import Source, read_sources

MEASURES = ("active_duty", "army", "navy", "marine_corps", "air_force", "space_force", "coast_guard",
            "reserve", "civilian")


def data_dir() -> Path:
    return Path(os.environ.get(loaders.DATA_ENV) or loaders.PROJECT_DIR / "data").resolve()


def spec(name: str) -> TableSpec:
    return registry.specs()[name]


def all_specs() -> list[TableSpec]:
    return list(registry.specs().values())


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st_ = path.stat()
        return st_.st_mtime_ns, st_.st_size
    except OSError:
        return 0, -1


@st.cache_data(max_entries=48, show_spinner=False)
def _read(name: str, path: str, stamp: tuple[int, int]) -> tuple[pd.DataFrame | None, list[Problem]]:
    return read_table(Path(path), spec(name), spec(name).file)


def load(name: str) -> pd.DataFrame:
    """The validated table ``name`` (a TableSpec name), or DataError naming the file and its problems."""
    s = spec(name)
    path = data_dir() / s.file
    frame, problems = _read(name, str(path), _stamp(path))
    if problems:
        raise DataError(problems)
    assert frame is not None
    return frame


@st.cache_data(max_entries=4, show_spinner=False)
def _sources(path: str, stamp: tuple[int, int]) -> tuple[dict[str, Source], list[Problem]]:
    return read_sources(Path(path))


def sources() -> dict[str, Source]:
    path = data_dir() / "sources.yaml"
    found, problems = _sources(str(path), _stamp(path))
    if not found and problems:
        raise DataError(problems)
    return found


def _deployments_stamp(folder: Path) -> tuple:
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.y*ml")))
    except OSError:
        return ()


@st.cache_data(max_entries=4, show_spinner=False)
def _deployments(path: str, stamp: tuple) -> tuple[pd.DataFrame, list[Problem]]:
    frame, problems = load_deployments(Path(path))  # valid files, and the problems of those that are not
    return frame, list(problems)


def deployments() -> tuple[pd.DataFrame, list[Problem]]:
    """Named deployments from ``data/deployments/*.yaml`` (one row each; list columns kept as lists), and the
    problems of any file that is not valid (valid files are still returned)."""
    folder = data_dir() / "deployments"
    stamp = _deployments_stamp(folder) + (_stamp(data_dir() / "geocode_cache.csv"), _stamp(data_dir() / "sources.yaml"))
    return _deployments(str(data_dir()), stamp)


@st.cache_data(max_entries=512, show_spinner=False)
def entity(code: str) -> tuple[str, str, str, str]:
    """(name, map_iso3, region, kind) for one of our place codes; falls back to the code itself."""
    e = countries.lookup(code)
    if e is None:
        return code, code if len(code) == 3 and not code.startswith("X") else "", "", ""
    return e.name, e.map_iso3 or "", e.region, e.kind


def with_map_codes(frame: pd.DataFrame, code_col: str = "iso3") -> pd.DataFrame:
    """Add ``map_iso3`` (the shape drawn on the map) to a frame keyed by our place codes."""
    codes = frame[code_col].fillna("").astype(str)
    mapping = {c: entity(c)[1] for c in codes.unique() if c}
    return frame.assign(map_iso3=codes.map(lambda c: mapping.get(c, "")).astype("str"))


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
