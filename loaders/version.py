"""The data version: one short hash of the files in the data folder, the same wherever it is shown (the citation
in "Embed this view or cite it", the data package, the static snapshot's pages and its ``snapshot.json``), so a
citation can be matched to a download. No Streamlit here; the app caches it per state of the folder."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import DATA_ENV, PROJECT_DIR


def data_dir() -> Path:
    """The folder the dashboard reads: ``$FOOTPRINT_DATA_DIR`` when set, else the project's ``data/``."""
    return Path(os.environ.get(DATA_ENV) or PROJECT_DIR / "data").resolve()


def data_files(folder: Path) -> list[Path]:
    """Every data file under ``folder`` (hidden files and ``__pycache__`` left out), sorted by path."""
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            out.append(p)
    return out


def data_version(folder: Path | None = None) -> str:
    """The first 12 hex digits of a SHA-256 over every data file's relative path and bytes. Any change to any
    file in the folder gives a new version; the same files give the same version anywhere."""
    folder = Path(folder or data_dir())
    h = hashlib.sha256()
    for p in data_files(folder):
        h.update(p.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]
