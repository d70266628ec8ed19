"""Finds the source modules and runs build / check / show over all of them."""
from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from pathlib import Path
from types import ModuleType

import pandas as pd

from . import DATA_DIR, MODULE_NAMES
from .schema import DataError, Problem, TableSpec, read_table
from .sources import read_sources


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"loaders.{name}") for name in MODULE_NAMES]


def specs() -> dict[str, TableSpec]:
    out: dict[str, TableSpec] = {}
    for mod in modules():
        for spec in getattr(mod, "TABLES", []):
            out[spec.name] = spec
    return out


def built_specs() -> list[TableSpec]:
    return [s for m in modules() for s in getattr(m, "TABLES", []) if s.file not in getattr(m, "CURATED", ())]


def check_all(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Validate every table and file in ``data_dir``; return every problem found."""
    data_dir = Path(data_dir)
    sources, problems = read_sources(data_dir / "sources.yaml")
    for spec in specs().values():
        frame, table_problems = read_table(data_dir / spec.file, spec)
        problems.extend(table_problems)
        if frame is not None and "source_id" in frame.columns and sources:
            unknown = frame["source_id"][~frame["source_id"].isin(list(sources))]  # vectorised: tables are long
            for line, sid in unknown.items():
                if sid not in sources:
                    problems.append(Problem(spec.file, int(line), "source_id", f"unknown source {sid!r} (not in sources.yaml)"))
        problems.extend(Problem("sources.yaml", None, f"{spec.name}.sources", f"unknown source {sid!r} (named by the table "
                                f"spec, not in sources.yaml)") for sid in spec.sources if sources and sid not in sources)
    for mod in modules():
        extra = getattr(mod, "extra_checks", None)
        if extra is not None:
            problems.extend(extra(data_dir, sources))
    return problems


def spanish_gaps(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every text that lacks its Spanish counterpart: deployment-record fields, context events, reported figures
    and source caveats, each as file, line and the missing ``_es`` field."""
    from . import sources

    data_dir = Path(data_dir)
    gaps = sources.spanish_gaps(data_dir)
    for mod in modules():
        fn = getattr(mod, "spanish_gaps", None)
        if fn is not None:
            gaps.extend(fn(data_dir))
    return gaps


def notes(data_dir: Path = DATA_DIR, gaps: list[Problem] | None = None) -> list[str]:
    """Warnings that do not fail ``python -m loaders check``: one line per text without Spanish, then a count."""
    gaps = spanish_gaps(data_dir) if gaps is None else gaps
    if not gaps:
        return []
    return [f"warning: {p}" for p in gaps] + [f"warning: {len(gaps)} text(s) lack Spanish text"]


def build_all(raw: Path, out: Path, data_dir: Path = DATA_DIR) -> None:
    """Write every built table into ``out`` from the upstream folder ``raw`` (curated inputs read from data_dir)."""
    for mod in modules():
        build = getattr(mod, "build", None)
        if build is not None:
            build(Path(raw), Path(out), Path(data_dir))


def build_into_data(raw: Path, data_dir: Path = DATA_DIR) -> list[str]:
    """Rebuild into a temporary folder inside data/, validate, and only then swap the files in."""
    data_dir = Path(data_dir).resolve()
    if not Path(raw).is_dir():
        raise DataError([Problem(str(raw), None, "", "upstream folder not found (give --raw DIR or set FOOTPRINT_RAW)")])
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=data_dir))
    try:
        build_all(Path(raw), tmp, data_dir)
        problems: list[Problem] = []
        for spec in built_specs():
            _, p = read_table(tmp / spec.file, spec)
            problems.extend(p)
        if problems:
            raise DataError(problems)
        written = []
        for path in sorted(tmp.rglob("*")):
            if path.is_file():
                rel = path.relative_to(tmp)
                target = (data_dir / rel).resolve()
                if data_dir not in target.parents:
                    raise DataError([Problem(str(rel), None, "", "refusing to write outside data/")])
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                written.append(str(rel))
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def show(table: str, data_dir: Path = DATA_DIR, **filters: str | None) -> pd.DataFrame:
    if table == "deployments":  # YAML records, not a table spec: their own view with figures and source URLs
        from .deployments import show_frame

        unknown = [k for k, v in filters.items() if v is not None and k not in ("country", "year")]
        if unknown:
            raise KeyError(f"table 'deployments' cannot be filtered by --{unknown[0]}; it takes: --country, --year")
        return show_frame(Path(data_dir), filters.get("country"), None if filters.get("year") is None else int(filters["year"]))
    spec_map = specs()
    if table not in spec_map:
        raise KeyError(f"unknown table {table!r}; tables: {', '.join(sorted(spec_map))}")
    spec = spec_map[table]
    frame, problems = read_table(Path(data_dir) / spec.file, spec)
    if problems:
        raise DataError(problems)
    assert frame is not None
    for option, value in filters.items():
        if value is None:
            continue
        column = spec.filters.get(option)
        if column is None:
            raise KeyError(f"table {table!r} cannot be filtered by --{option}; it takes: "
                           + (", ".join(f"--{k}" for k in spec.filters) or "no filters"))
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            frame = frame[series.dt.year == int(value)]
        elif pd.api.types.is_integer_dtype(series):
            frame = frame[series == int(value)]
        else:
            frame = frame[series.astype(str).str.upper() == str(value).upper()]
    if "source_id" in frame.columns:
        sources, _ = read_sources(Path(data_dir) / "sources.yaml")
        frame = frame.assign(source=frame["source_id"].map(lambda s: sources[s].citation if s in sources else ""))
    return frame
