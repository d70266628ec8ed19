"""CSV downloads that are safe to open in a spreadsheet. Pure pandas, no Streamlit.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run as a formula by
Excel, LibreOffice or Google Sheets ("CSV injection"). :func:`neutralise` prefixes such cells with an apostrophe,
which spreadsheets show as text. Numeric, boolean and date columns are left as they are, so numbers stay numbers.
"""
from __future__ import annotations

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _neutral_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _is_text(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return False
    if pd.api.types.is_datetime64_any_dtype(series):
        return False
    return pd.api.types.is_string_dtype(series) or series.dtype == object


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells cannot be read as spreadsheet formulas."""
    out = frame.copy()
    for name in out.columns:
        if _is_text(out[name]):
            out[name] = out[name].map(_neutral_cell)
    return out


def _flatten(value):
    """Lists and dicts (deployment sources, places) become readable text in a CSV cell."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, (list, tuple)):
        return " | ".join(str(_flatten(v)) for v in value)  # numbers too (a derived figure's parts)
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The exact rows and columns of ``frame`` as UTF-8 CSV (no index), formulas neutralised."""
    flat = frame.copy()
    for name in flat.columns:
        if flat[name].dtype == object:
            flat[name] = flat[name].map(_flatten)
    for name in flat.columns:
        if pd.api.types.is_datetime64_any_dtype(flat[name]):
            flat[name] = flat[name].dt.strftime("%Y-%m-%d")
    return neutralise(flat).to_csv(index=False, lineterminator="\n").encode("utf-8")
