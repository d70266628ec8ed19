"""Table schemas and validation, with problems reported as ``file:row field: rule``.

Every committed table in ``data/`` has a :class:`TableSpec`.  :func:`read_table` reads a CSV with every
cell as text, checks each cell against its column's rules and converts it to the column's type.  It never
raises for bad content: it returns the problems, each naming the file, the line (the header is line 1, so
the first data row is line 2), the field and the rule broken.  :func:`load_table` raises :class:`DataError`
when there is any problem, with all of them attached.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

# Integers above this are rejected as implausible for any figure we publish (troops, dollars in millions).
MAX_ABS_NUMBER = 1e13
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # line number in the file (header is line 1); None for whole-file problems
    field: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row is not None else self.file
        return f"{where} {self.field}: {self.rule}" if self.field else f"{where}: {self.rule}"


class DataError(Exception):
    """Raised when a data file breaks its schema; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n… and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(shown + more)


@dataclass(frozen=True)
class Col:
    """One column: its type and the rules a cell must follow.

    kind: "str", "int", "float", "bool" (true/false), "date" (YYYY-MM-DD).
    """

    name: str
    kind: str = "str"
    required: bool = True  # an empty cell breaks the rule "required"
    min: float | None = None
    max: float | None = None
    allowed: frozenset[str] | None = None
    pattern: str | None = None
    check: Callable[[str], str | None] | None = None  # returns a rule text when the (non-empty) value is wrong
    doc: str = ""


@dataclass(frozen=True)
class TableSpec:
    name: str  # the name used by `python -m loaders show NAME`
    file: str  # path relative to data/
    columns: tuple[Col, ...]
    key: tuple[str, ...] = ()  # columns that together must be unique
    doc: str = ""
    # Whole-table checks: functions (DataFrame, file) -> problems; run only when every cell is valid.
    table_checks: tuple[Callable[[pd.DataFrame, str], list[Problem]], ...] = ()
    filters: dict[str, str] = field(default_factory=dict)  # show option -> column, e.g. {"country": "iso3"}

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _check_cell(col: Col, raw: str):
    """Return (value, rule) where rule is None when the cell is fine."""
    if raw == "":
        return None, ("required" if col.required else None)
    if raw != raw.strip():
        return None, "leading or trailing spaces"
    value: object = raw
    if col.kind == "int":
        if not re.fullmatch(r"-?\d+", raw):
            return None, f"must be a whole number, got {raw[:40]!r}"
        value = int(raw)
    elif col.kind == "float":
        try:
            value = float(raw)
        except ValueError:
            return None, f"must be a number, got {raw[:40]!r}"
        if not math.isfinite(value):
            return None, f"must be a finite number, got {raw[:40]!r}"
    elif col.kind == "bool":
        if raw not in ("true", "false"):
            return None, f"must be true or false, got {raw[:40]!r}"
        value = raw == "true"
    elif col.kind == "date":
        if not _DATE_RE.match(raw):
            return None, f"must be a date YYYY-MM-DD, got {raw[:40]!r}"
        try:
            value = _dt.date.fromisoformat(raw)
        except ValueError:
            return None, f"not a real date: {raw[:40]!r}"
    if col.kind in ("int", "float"):
        if abs(value) > MAX_ABS_NUMBER:  # type: ignore[arg-type]
            return None, f"implausibly large number {raw[:40]}"
        if col.min is not None and value < col.min:  # type: ignore[operator]
            return None, f"must be at least {col.min:g}, got {raw[:40]}"
        if col.max is not None and value > col.max:  # type: ignore[operator]
            return None, f"must be at most {col.max:g}, got {raw[:40]}"
    if col.allowed is not None and raw not in col.allowed:
        return None, f"must be one of {', '.join(sorted(col.allowed))}; got {raw[:40]!r}"
    if col.pattern is not None and not re.fullmatch(col.pattern, raw):
        return None, f"must match {col.pattern}; got {raw[:40]!r}"
    if col.check is not None:
        rule = col.check(raw)
        if rule:
            return None, rule
    return value, None


def _dtype_for(col: Col) -> str:
    return {"int": "Int64", "float": "Float64", "bool": "boolean", "date": "datetime64[s]"}.get(col.kind, "str")


def read_table(source: Path | str | bytes, spec: TableSpec, label: str | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and validate one table. Returns (frame or None, problems)."""
    label = label or spec.file
    try:
        raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    except FileNotFoundError:
        return None, [Problem(label, None, "", "file is missing")]
    except OSError as exc:
        return None, [Problem(label, None, "", f"cannot be read ({exc.strerror or exc})")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(label, line, "", "not valid UTF-8 text")]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(label, line, "", "contains a NUL byte (binary data?)")]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        return None, [Problem(label, None, "", f"not a valid CSV file ({exc})")]
    if not rows:
        return None, [Problem(label, None, "", "file is empty (no header)")]
    header = rows[0]
    problems: list[Problem] = []
    missing = [c.name for c in spec.columns if c.name not in header]
    for name in missing:
        problems.append(Problem(label, 1, name, "column is missing from the header"))
    dupes = {h for h in header if header.count(h) > 1}
    for name in sorted(dupes):
        problems.append(Problem(label, 1, name, "column appears more than once"))
    if problems:
        return None, problems
    index = {name: header.index(name) for name in spec.column_names}
    data: dict[str, list] = {c.name: [] for c in spec.columns}
    lines: list[int] = []
    # A column repeats its values (codes, years, methods, source ids): each distinct (column, text) is checked
    # once per read. The checks are pure functions of the text, and the values they return are immutable.
    checked: dict[tuple[str, str], tuple[object, str | None]] = {}
    # csv.reader folds quoted newlines; track physical line numbers approximately via row index
    for i, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            problems.append(Problem(label, i, "", f"has {len(row)} fields, the header has {len(header)}"))
            continue
        lines.append(i)
        for col in spec.columns:
            raw_cell = row[index[col.name]]
            got = checked.get((col.name, raw_cell))
            if got is None:
                got = checked[(col.name, raw_cell)] = _check_cell(col, raw_cell)
            value, rule = got
            if rule:
                problems.append(Problem(label, i, col.name, rule))
            data[col.name].append(value)
    if problems:
        return None, problems
    frame = pd.DataFrame({c.name: pd.Series(data[c.name], dtype=_dtype_for(c)) if c.kind != "date"
                          else pd.to_datetime(pd.Series(data[c.name], dtype=object)) for c in spec.columns})
    frame.index = pd.Index(lines, name="line")
    if spec.key:
        dup = frame.duplicated(list(spec.key), keep="first")
        for line in frame.index[dup]:
            values = ", ".join(f"{k}={frame.at[line, k]}" for k in spec.key)
            problems.append(Problem(label, int(line), "/".join(spec.key), f"duplicate key ({values})"))
    if not problems:
        for table_check in spec.table_checks:
            problems.extend(table_check(frame, label))
    return (None if problems else frame), problems


def load_table(path: Path | str, spec: TableSpec, label: str | None = None) -> pd.DataFrame:
    frame, problems = read_table(path, spec, label)
    if problems:
        raise DataError(problems)
    assert frame is not None
    return frame


def write_table(frame: pd.DataFrame, path: Path, spec: TableSpec) -> None:
    """Write a table in the canonical form `read_table` accepts: the spec's columns in order, bools as
    true/false, dates as YYYY-MM-DD, whole numbers without a decimal point, missing as empty."""
    out = pd.DataFrame(index=frame.index)
    for col in spec.columns:
        s = frame[col.name]
        if col.kind == "bool":
            out[col.name] = s.map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA
                                  else ("true" if bool(v) else "false"))
        elif col.kind == "date":
            out[col.name] = pd.to_datetime(s).dt.strftime("%Y-%m-%d").fillna("")
        elif col.kind == "int":
            out[col.name] = s.map(lambda v: "" if pd.isna(v) else str(int(v)))
        elif col.kind == "float":
            out[col.name] = s.map(lambda v: "" if pd.isna(v) else repr(float(v)) if float(v) != int(float(v)) or abs(float(v)) > 1e15 else str(int(float(v))))
        else:
            out[col.name] = s.map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, lineterminator="\n")
