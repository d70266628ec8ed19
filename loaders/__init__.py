"""Footprint's data layer: one module per upstream source, each turning upstream files into tidy,
validated tables in ``data/``.  Nothing here imports Streamlit.

Each source module exposes
  TABLES: list[TableSpec]           the tables it owns in data/
  build(raw: Path, out: Path)       writes those tables into ``out`` from the upstream folder ``raw``
and may expose
  extra_checks(data_dir) -> list[Problem]   checks beyond the table schemas (e.g. YAML files)
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# The app and the CLI read data/ from here; FOOTPRINT_DATA_DIR points them at another copy (tests, staging).
DATA_ENV = "FOOTPRINT_DATA_DIR"
DATA_DIR = Path(os.environ.get(DATA_ENV) or PROJECT_DIR / "data").resolve()
RAW_ENV = "FOOTPRINT_RAW"
DEFAULT_RAW = PROJECT_DIR.parent / "shared" / "reference"

# Order matters for build: later modules may read tables written by earlier ones.
MODULE_NAMES = ("troops", "bases", "exercises", "budget", "reported", "deployments")
