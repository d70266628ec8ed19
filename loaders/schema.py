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

from .textsafety import text_rule, url_rule

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
    # Source ids (sources.yaml) of a curated table whose rows carry no source_id column: what the data package
    # lists as the table's sources; `loaders check` refuses an id missing from sources.yaml.
    sources: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


class _Bad(ValueError):
    """A cell that breaks its column's rule (the message is the rule)."""


def _parse_int(raw: str) -> int:
    if not re.fullmatch(r"-?\d+", raw):
        raise _Bad(f"must be a whole number, got {raw[:40]!r}")
    return int(raw)


def _parse_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _Bad(f"must be a number, got {raw[:40]!r}") from None
    if not math.isfinite(value):
        raise _Bad(f"must be a finite number, got {raw[:40]!r}")
    return value


def _parse_bool(raw: str) -> bool:
    if raw not in ("true", "false"):
        raise _Bad(f"must be true or false, got {raw[:40]!r}")
    return raw == "true"


def _parse_date(raw: str) -> _dt.date:
    if not _DATE_RE.match(raw):
        raise _Bad(f"must be a date YYYY-MM-DD, got {raw[:40]!r}")
    try:
        return _dt.date.fromisoformat(raw)
    except ValueError:
        raise _Bad(f"not a real date: {raw[:40]!r}") from None


_PARSERS: dict[str, Callable[[str], object]] = {"int": _parse_int, "float": _parse_float, "bool": _parse_bool,
                                                 "date": _parse_date}


def _range_rule(col: Col, value, raw: str) -> str | None:
    """A number's plausibility and its column's bounds."""
    if abs(value) > MAX_ABS_NUMBER:
        return f"implausibly large number {raw[:40]}"
    if col.min is not None and value < col.min:
        return f"must be at least {col.min:g}, got {raw[:40]}"
    if col.max is not None and value > col.max:
        return f"must be at most {col.max:g}, got {raw[:40]}"
    return None


def _text_rule(col: Col, raw: str) -> str | None:
    """The column's allowed values, pattern and own check, on the cell's text."""
    if col.allowed is not None and raw not in col.allowed:
        return f"must be one of {', '.join(sorted(col.allowed))}; got {raw[:40]!r}"
    if col.pattern is not None and not re.fullmatch(col.pattern, raw):
        return f"must match {col.pattern}; got {raw[:40]!r}"
    if col.kind == "str":  # what no data text may carry (loaders.textsafety)
        rule = url_rule(raw) if col.name == "url" or col.name.endswith("_url") else text_rule(raw)
        if rule:
            return rule
    return col.check(raw) or None if col.check is not None else None


def _check_cell(col: Col, raw: str):
    """Return (value, rule) where rule is None when the cell is fine."""
    if raw == "":
        return None, ("required" if col.required else None)
    if raw != raw.strip():
        return None, "leading or trailing spaces"
    parse = _PARSERS.get(col.kind)
    try:
        value = parse(raw) if parse else raw
    except _Bad as bad:
        return None, str(bad)
    rule = (_range_rule(col, value, raw) if col.kind in ("int", "float") else None) or _text_rule(col, raw)
    return (None, rule) if rule else (value, None)


def _dtype_for(col: Col) -> str:
    return {"int": "Int64", "float": "Float64", "bool": "boolean", "date": "datetime64[s]"}.get(col.kind, "str")


def _decoded(source: Path | str | bytes, label: str) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, without a byte-order mark), or the problem that stops reading it."""
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
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(label, line, "", "contains a NUL byte (binary data?)")]
    return text, []


def _csv_rows(text: str, label: str) -> tuple[list[list[str]], list[Problem]]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        return [], [Problem(label, None, "", f"not a valid CSV file ({exc})")]
    return rows, ([] if rows else [Problem(label, None, "", "file is empty (no header)")])


def _header_problems(header: list[str], spec: TableSpec, label: str) -> list[Problem]:
    """Every column of the spec present, none twice."""
    problems = [Problem(label, 1, c.name, "column is missing from the header") for c in spec.columns
                if c.name not in header]
    dupes = {h for h in header if header.count(h) > 1}
    return problems + [Problem(label, 1, name, "column appears more than once") for name in sorted(dupes)]


def _cells(rows: list[list[str]], header: list[str], spec: TableSpec,
           label: str) -> tuple[dict[str, list], list[int], list[Problem]]:
    """Every data row's cells checked: the values by column, the line of each row kept, the problems."""
    index = {name: header.index(name) for name in spec.column_names}
    data: dict[str, list] = {c.name: [] for c in spec.columns}
    lines: list[int] = []
    problems: list[Problem] = []
    # A column repeats its values (codes, years, methods, source ids): each distinct (column, text) is checked
    # once per read. The checks are pure functions of the text, and the values they return are immutable.
    checked: dict[tuple[str, str], tuple[object, str | None]] = {}
    # csv.reader folds quoted newlines; track physical line numbers approximately via row index
    for i, row in enumerate(rows, start=2):
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
    return data, lines, problems


def _key_problems(frame: pd.DataFrame, spec: TableSpec, label: str) -> list[Problem]:
    if not spec.key:
        return []
    dup = frame.duplicated(list(spec.key), keep="first")
    return [Problem(label, int(line), "/".join(spec.key),
                    "duplicate key ({})".format(", ".join(f"{k}={frame.at[line, k]}" for k in spec.key)))
            for line in frame.index[dup]]


def read_table(source: Path | str | bytes, spec: TableSpec, label: str | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and validate one table. Returns (frame or None, problems)."""
    label = label or spec.file
    text, problems = _decoded(source, label)
    if text is None:
        return None, problems
    rows, problems = _csv_rows(text, label)
    if problems:
        return None, problems
    problems = _header_problems(rows[0], spec, label)
    if problems:
        return None, problems
    data, lines, problems = _cells(rows[1:], rows[0], spec, label)
    if problems:
        return None, problems
    frame = pd.DataFrame({c.name: pd.Series(data[c.name], dtype=_dtype_for(c)) if c.kind != "date"
                          else pd.to_datetime(pd.Series(data[c.name], dtype=object)) for c in spec.columns})
    frame.index = pd.Index(lines, name="line")
    problems = _key_problems(frame, spec, label)
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
