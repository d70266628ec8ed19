"""What both exports share: reading the tables as the dashboard reads them (loaders' TableSpecs, no Streamlit),
the data version (loaders/version.py, the one place it is computed), the git commit, the licences from REUSE.toml and source lines
from sources.yaml."""
from __future__ import annotations

import fnmatch
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import loaders
from loaders import registry
from loaders.deployments import load_deployments
from loaders.schema import DataError, read_table
from loaders.sources import Source, read_sources
from loaders.version import data_dir, data_files, data_version  # noqa: F401 (the one data version, re-exported)


class ExportError(Exception):
    """A problem a user can fix (a folder that exists, cannot be written, a missing table): the CLI prints the
    message and exits with code 2."""


def git_commit(root: Path | None = None) -> str | None:
    """The checked-out commit of the project (None outside a git work tree or without git)."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root or loaders.PROJECT_DIR, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    sha = out.stdout.strip()
    return sha if out.returncode == 0 and len(sha) == 40 else None


def load_tables(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table with a TableSpec, read and validated exactly as app_pages/data.load reads it (keyed by the
    spec's name). Raises DataError naming every problem."""
    folder = Path(folder or data_dir())
    out: dict[str, pd.DataFrame] = {}
    problems = []
    for name, spec in registry.specs().items():
        frame, p = read_table(folder / spec.file, spec, spec.file)
        problems.extend(p)
        if frame is not None:
            out[name] = frame
    if problems:
        raise DataError(problems)
    return out


def load_deployment_frame(folder: Path | None = None) -> pd.DataFrame:
    """The valid deployment files as one frame (as app_pages/data.deployments gives them)."""
    frame, _problems = load_deployments(Path(folder or data_dir()))
    return frame


def load_sources(folder: Path | None = None) -> dict[str, Source]:
    found, problems = read_sources(Path(folder or data_dir()) / "sources.yaml")
    if not found and problems:
        raise DataError(problems)
    return found


@dataclass(frozen=True)
class Licence:
    spdx: str
    copyright: str


def reuse_licences(root: Path | None = None) -> list[tuple[list[str], Licence, bool]]:
    """REUSE.toml's annotations: (path patterns, licence, override) in file order."""
    path = Path(root or loaders.PROJECT_DIR) / "REUSE.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for ann in doc.get("annotations", []):
        paths = ann.get("path", [])
        paths = [paths] if isinstance(paths, str) else list(paths)
        out.append((paths, Licence(str(ann.get("SPDX-License-Identifier", "")), str(ann.get("SPDX-FileCopyrightText", ""))),
                    ann.get("precedence") == "override"))
    return out


def _matches(rel: str, pattern: str) -> bool:
    if pattern.endswith("/**"):
        return rel.startswith(pattern[:-2])
    return fnmatch.fnmatchcase(rel, pattern.replace("**/", "*/")) or fnmatch.fnmatchcase(rel, pattern)


def licence_for(rel_path: str, annotations=None) -> Licence | None:
    """The licence REUSE.toml gives ``rel_path`` (relative to the project, e.g. ``data/bases.csv``): the last
    matching annotation with ``precedence = "override"``, else the last matching one."""
    annotations = reuse_licences() if annotations is None else annotations
    found = None
    for patterns, lic, override in annotations:
        if any(_matches(rel_path, p) for p in patterns):
            if override or found is None or not found[1]:
                found = (lic, override)
    return found[0] if found else None
