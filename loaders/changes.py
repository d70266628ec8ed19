"""The change log of the data versions (``changelog/data-changes.yaml``, outside data/ so that neither the data version
hash nor the rebuild of data/ depends on it): read, checked, and the latest entry for the Sources page and the data
package. Each entry is written from ``python -m loaders diff OLD NEW`` (see the file's header)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from . import PROJECT_DIR
from .textsafety import text_rule

CHANGES_FILE = PROJECT_DIR / "changelog" / "data-changes.yaml"
FIELDS = ("version", "date", "compared_with", "summary", "summary_es", "counts")


def problems(entries: Any, label: str = "changelog/data-changes.yaml") -> list[str]:
    """Every rule an entry breaks, as ``file entry N field: rule``."""
    if not isinstance(entries, list) or not entries:
        return [f"{label}: must be a list of entries, newest first"]
    out = []
    for i, e in enumerate(entries, 1):
        where = f"{label} entry {i}"
        if not isinstance(e, dict):
            out.append(f"{where}: must be a mapping")
            continue
        out += [f"{where} {f}: required" for f in FIELDS if f not in e]
        if not isinstance(e.get("date"), dt.date):
            out.append(f"{where} date: must be a date YYYY-MM-DD")
        summary, summary_es = e.get("summary") or [], e.get("summary_es") or []
        if len(summary) != len(summary_es):
            out.append(f"{where} summary_es: must have one line per line of summary")
        for f, lines in (("summary", summary), ("summary_es", summary_es)):
            out += [f"{where} {f}: {rule}" for line in lines if (rule := text_rule(str(line)))]
        for table, c in (e.get("counts") or {}).items():
            if not (isinstance(c, dict) and all(isinstance(c.get(k), int) for k in ("added", "removed", "changed"))):
                out.append(f"{where} counts.{table}: needs whole numbers added, removed and changed")
    dates = [e.get("date") for e in entries if isinstance(e, dict) and isinstance(e.get("date"), dt.date)]
    if dates != sorted(dates, reverse=True):
        out.append(f"{label}: entries must be newest first")
    return out


def read_changes(path: Path = CHANGES_FILE) -> list[dict]:
    """Every entry, newest first; ``[]`` when the file is missing or breaks a rule (``problems`` says which)."""
    if not Path(path).is_file():
        return []
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [] if problems(entries) else entries


def latest(path: Path = CHANGES_FILE) -> dict | None:
    entries = read_changes(path)
    return entries[0] if entries else None


def summary(entry: dict, lang: str) -> list[str]:
    """The entry's summary lines in ``lang`` (English when there is no text in that language)."""
    return list(entry.get(f"summary_{lang}") or entry["summary"]) if lang != "en" else list(entry["summary"])
