"""What changed between two ``data/`` trees: ``python -m loaders diff OLD NEW``.

Every table is compared on its primary key (``TableSpec.key``), deployment records on their id (the file name) and
source blocks on their id; a row or record is added, removed or changed, and a changed one lists its changed cells
as ``column: old -> new``. Cells are compared as the text in the file, so a reformatted number counts as a change
(the data version hash changes too). A table without a key is compared on whole rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .schema import TableSpec

CELL_WIDTH = 60  # a long text cell is cut in the report; the files hold the full text
LIST_LIMIT = 25  # rows listed per kind of change and table; the counts always cover every row


@dataclass
class TableDiff:
    name: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)  # key, [(column, old, new)]
    note: str = ""  # e.g. "new table" or "table removed"

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.note)

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.removed)} removed", f"{len(self.changed)} changed"]
        return f"{self.name}: " + ", ".join(parts) + (f" ({self.note})" if self.note else "")


def _read_csv(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _key_text(values: tuple) -> str:
    return " / ".join(str(v) for v in values)


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


def diff_rows(name: str, old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> TableDiff:
    """Compare two mappings key -> {column: text}."""
    out = TableDiff(name)
    out.added = sorted(k for k in new if k not in old)
    out.removed = sorted(k for k in old if k not in new)
    for key in sorted(k for k in new if k in old):
        a, b = old[key], new[key]
        cells = [(col, a.get(col, ""), b.get(col, "")) for col in sorted(set(a) | set(b), key=_column_order(a, b))
                 if a.get(col, "") != b.get(col, "")]
        if cells:
            out.changed.append((key, cells))
    return out


def _column_order(a: dict, b: dict):
    order = {c: i for i, c in enumerate(list(a) + [c for c in b if c not in a])}
    return lambda c: order[c]


def _table_rows(frame: pd.DataFrame, key: tuple[str, ...]) -> dict[str, dict[str, str]]:
    cols = list(key) if key and all(k in frame.columns for k in key) else list(frame.columns)
    rows: dict[str, dict[str, str]] = {}
    for record in frame.to_dict("records"):
        k = _key_text(tuple(record[c] for c in cols))
        if k in rows:  # a duplicate key (loaders check refuses it): keep both, numbered, rather than lose one
            n = 2
            while f"{k} #{n}" in rows:
                n += 1
            k = f"{k} #{n}"
        rows[k] = record
    return rows


def diff_table(spec: TableSpec, old_dir: Path, new_dir: Path) -> TableDiff:
    old, new = _read_csv(old_dir / spec.file), _read_csv(new_dir / spec.file)
    if old is None and new is None:
        return TableDiff(spec.name)
    note = "new table" if old is None else "table removed" if new is None else ""
    old_rows = _table_rows(old, spec.key) if old is not None else {}
    new_rows = _table_rows(new, spec.key) if new is not None else {}
    out = diff_rows(spec.name, old_rows, new_rows)
    out.note = note
    return out


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """A YAML document as dotted paths -> text (``figures.0.value``), so a change names the field that changed."""
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}.{i}" if prefix else str(i)))
        return out or {prefix: "[]"}
    return {prefix: "" if value is None else str(value)}


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def diff_deployments(old_dir: Path, new_dir: Path) -> TableDiff:
    def records(data_dir: Path) -> dict[str, dict[str, str]]:
        folder = data_dir / "deployments"
        if not folder.is_dir():
            return {}
        return {p.stem: _flatten(_yaml(p)) for p in sorted(folder.glob("*.yaml"))}

    return diff_rows("deployments", records(old_dir), records(new_dir))


def diff_sources(old_dir: Path, new_dir: Path) -> TableDiff:
    def blocks(data_dir: Path) -> dict[str, dict[str, str]]:
        path = data_dir / "sources.yaml"
        doc = _yaml(path) if path.is_file() else None
        return {str(k): _flatten(v) for k, v in (doc or {}).items()}

    return diff_rows("sources", blocks(old_dir), blocks(new_dir))


def diff_trees(old_dir: Path, new_dir: Path) -> list[TableDiff]:
    """Every table (in registry order), then deployment records, then sources."""
    from . import registry

    old_dir, new_dir = Path(old_dir), Path(new_dir)
    out = [diff_table(spec, old_dir, new_dir) for spec in registry.specs().values()]
    out.append(diff_deployments(old_dir, new_dir))
    out.append(diff_sources(old_dir, new_dir))
    return out


def report(diffs: list[TableDiff], limit: int = LIST_LIMIT) -> list[str]:
    """The readable report: one summary line per table, then the rows added, removed and changed."""
    changed = [d for d in diffs if not d.empty]
    lines = ["summary:"]
    if not changed:
        return ["no differences: every table, deployment record and source is the same"]
    lines += [f"  {d.summary()}" for d in changed]
    for d in changed:
        lines += ["", f"== {d.name} =="]
        for label, keys in (("added", d.added), ("removed", d.removed)):
            if keys:
                lines.append(f"{label} ({len(keys)}):")
                lines += [f"  + {k}" if label == "added" else f"  - {k}" for k in keys[:limit]]
                if len(keys) > limit:
                    lines.append(f"  ... and {len(keys) - limit} more")
        if d.changed:
            lines.append(f"changed ({len(d.changed)}):")
            for key, cells in d.changed[:limit]:
                lines.append(f"  ~ {key}")
                lines += [f"      {col}: {_short(a) or '(empty)'} -> {_short(b) or '(empty)'}" for col, a, b in cells]
            if len(d.changed) > limit:
                lines.append(f"  ... and {len(d.changed) - limit} more changed rows")
    return lines
