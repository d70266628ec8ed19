"""US military budgets from three upstream sources, and what their different measures mean.

Three sources measure "military spending" in different ways; their figures for the same year differ and
must not be mixed in one line without saying so.

* **Outlays** (OMB Historical Tables, source ``omb_hist``): money actually paid out during a US fiscal year,
  whenever Congress provided it.  Budget function 050 "National Defense" = 051 Department of Defense-Military
  + 053 atomic energy defense activities (mostly the Department of Energy's nuclear weapons work) + 054
  defense-related activities of other agencies.  It excludes veterans' benefits (function 700).
* **Budget authority** (DoD "Green Book", source ``dod_greenbook_fy2022``): what Congress makes available in a
  year for DoD (051) to commit; a ship appropriated in one year is paid out (outlays) over several years, so
  budget authority and outlays for the same year differ.
* **Total obligational authority** (TOA, Green Book): DoD's measure of the value of the direct defense
  programme that can be financed in a year; it differs from budget authority by certain transfers,
  unobligated balances and offsetting receipts.
* **SIPRI military expenditure** (source ``sipri_milex``): SIPRI's own, broader definition (it includes,
  for example, military pensions and, for the US, part of the National Intelligence Program and estimated
  military aid to Ukraine), by calendar year for most countries — but for the USA by US fiscal year
  (SIPRI footnote 44).  It is the only one of the three that compares countries.

Upstream layouts and choices made here:

* OMB Tables 3.1 (1940-2031), 3.2 (1962-2031) and 6.1 (constant FY2017 dollars).  Years headed
  "2026 estimate" … "2031 estimate" are OMB estimates (``is_estimate`` true).  The column "TQ" — the
  transition quarter July-September 1976, when the fiscal year start moved from July to October — is
  **dropped**: ``budget_omb`` has one row per fiscal year and series, and a 15-month "1976" or a fake
  series would mislead a chart.  Its outlays are in the upstream tables.
* Green Book FY2022 Tables 6-1/6-3 (TOA), 6-8/6-10 (budget authority) and 6-11/6-13 (outlays), each by
  public-law title (6-1, 6-8, 6-11) and by military department (6-3, 6-10, 6-13), in current and
  constant FY2022 dollars, FY1948-2022.  FY2021 is "enacted", FY2022 the President's "request".  Empty
  upstream cells are left out (never written as 0); zeros printed upstream are kept.  The "Total" rows
  are not stored, but each total is checked against the sum of its rows.
* SIPRI: ``read_sipri_workbook`` reads the official workbook (three sheets: current US$, constant (2023)
  US$, share of GDP) for every country; ``build`` writes only a small extract of at most 20 countries
  (see ``sipri_selection``), because SIPRI's terms allow small extracts with attribution, not bulk
  republication.  Share of GDP is stored in percent (SIPRI's 0.033 -> 3.3).  Cells "..." (no data) and
  "xxx" (country did not exist) become an empty value with that code in ``note``.
"""
from __future__ import annotations

import math
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .schema import Col, DataError, Problem, TableSpec, write_table

SOURCE_OMB = "omb_hist"
SOURCE_GREENBOOK = "dod_greenbook_fy2022"
SOURCE_SIPRI = "sipri_milex"

# SIPRI's terms of use require this attribution wherever SIPRI figures are shown.
SIPRI_ATTRIBUTION = "Information from the SIPRI Military Expenditure Database, https://doi.org/10.55163/CQGC9685"

DEFINITIONS: dict[str, str] = {
    "outlays": (
        "Outlays are the money the US government actually paid out during a fiscal year, whatever year Congress "
        "provided it. OMB's function 050 'National Defense' covers the Department of Defense (subfunction 051), "
        "atomic energy defense activities, mostly nuclear weapons work of the Department of Energy (053), and "
        "defense-related activities of other agencies (054). It excludes veterans' benefits."
    ),
    "budget_authority": (
        "Budget authority is what Congress makes available in a year for an agency to commit (mainly "
        "appropriations). Much of it is spent over later years — a ship is paid for over five years or more — so "
        "budget authority and outlays for the same year differ. The DoD Green Book reports the Department of "
        "Defense (051) only, including war and supplemental funding."
    ),
    "toa": (
        "Total obligational authority (TOA) is the Department of Defense's measure of the value of the defense "
        "programme that can be financed in a year. It is close to budget authority but differs by certain "
        "transfers, unobligated balances and offsetting receipts."
    ),
    "sipri": (
        "SIPRI's military expenditure uses SIPRI's own, broader definition (for example it includes military "
        "pensions, and for the US part of the National Intelligence Program and estimated military aid to Ukraine), "
        "so its US figure is higher than OMB outlays or DoD budget authority. SIPRI reports calendar years, except "
        "for the USA, which it reports by US fiscal year. It is the only one of these sources that compares countries."
    ),
    "fiscal_year": (
        "The US fiscal year runs from 1 October to 30 September (FY2024 ended on 30 September 2024); before 1977 it "
        "ran from 1 July to 30 June. The three months July-September 1976 between the two (the 'transition "
        "quarter') are not shown."
    ),
    "constant_dollars": (
        "Constant dollars remove inflation by valuing every year at one year's prices: OMB uses FY2017 dollars, the "
        "Green Book FY2022 dollars and SIPRI 2023 US dollars. Figures in different constant dollars are not "
        "comparable with each other; current dollars are the amounts of each year."
    ),
    "estimates": (
        "OMB figures for 2026-2031 are estimates from the FY2027 budget, not actual spending. In the FY2022 Green Book, "
        "FY2021 is enacted and FY2022 is the President's request."
    ),
}


# ---------------------------------------------------------------------------------------------------------
# Reading workbooks
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    label: str  # "file.xlsx[Sheet]", used as Problem.file
    rows: list[tuple]  # rows[i] is Excel row i + 1, padded to one width


def open_workbook(path: Path | str, sheets: list[str] | None = None, label: str | None = None) -> dict[str, Sheet]:
    """Read the named sheets (default: all) of an .xlsx file as cell values.

    Raises DataError naming the file when it is missing, is not an .xlsx workbook, or lacks a named sheet."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    name = label or path.name
    if not path.is_file():
        raise DataError([Problem(name, None, "", "file is missing")])
    try:
        with warnings.catch_warnings():  # OMB files lack a default style; openpyxl warns about it
            warnings.simplefilter("ignore", UserWarning)
            wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise DataError([Problem(name, None, "", f"not a readable .xlsx workbook ({type(exc).__name__})")]) from None
    try:
        wanted = list(wb.sheetnames) if sheets is None else sheets
        missing = [s for s in wanted if s not in wb.sheetnames]
        if missing:
            raise DataError([Problem(name, None, "sheet", f"sheet {s!r} is missing (the workbook has: "
                                     f"{', '.join(wb.sheetnames)})") for s in missing])
        out: dict[str, Sheet] = {}
        for s in wanted:
            ws = wb[s]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # some upstream files carry a wrong dimension record
            rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
            width = max((len(r) for r in rows), default=0)
            out[s] = Sheet(f"{name}[{s}]", [r + (None,) * (width - len(r)) for r in rows])
        return out
    finally:
        wb.close()


def _col(index: int, header: object = None) -> str:
    """Field text naming a column: its letter and, when known, its header (e.g. 'AD (1968)')."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index + 1)
    return f"{letter} ({header})" if header not in (None, "") else letter


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


_NUMBER_RE = re.compile(r"^-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")


def _number(value: object) -> float | None:
    """A numeric cell (number, or numeric text like '4232' / '4,232') as float; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    s = _text(value)
    return float(s.replace(",", "")) if _NUMBER_RE.match(s) else None


def _bad_number(label: str, row: int, field: str, value: object) -> Problem:
    return Problem(label, row, field, f"must be a number, got {_text(value)[:40]!r}")


# ---------------------------------------------------------------------------------------------------------
# OMB Historical Tables
# ---------------------------------------------------------------------------------------------------------

OMB_DIR = "omb-historical-tables"
OMB_FILES = {"3.1": "hist03z1_fy2027.xlsx", "3.2": "hist03z2_fy2027.xlsx", "6.1": "hist06z1_fy2027.xlsx"}
OMB_UNITS = frozenset({"usd_m_current", "usd_b_constant_fy2017", "pct_gdp", "pct_federal_outlays"})
# OMB prints a run of dots where a figure does not exist, "N/A" where it is not available (e.g. 051 components
# of the out-year estimates in Table 3.2) and "*" for "0.05 percent or less": all are left out, never written as 0.
_OMB_EMPTY_RE = re.compile(r"^(\.{2,}|\*|-|N/A)$", re.IGNORECASE)


@dataclass(frozen=True)
class OmbRow:
    section: str  # regex the most recent heading row (a label ending with ':') must match
    label: str  # regex the row label must match (case-insensitive, footnote marks removed)
    series: str
    unit: str


OMB_ROWS: dict[str, tuple[OmbRow, ...]] = {
    "3.1": (
        OmbRow(r"^In millions of dollars:$", r"^National Defense$", "national_defense", "usd_m_current"),
        OmbRow(r"^As percentages of outlays:$", r"^National defense$", "national_defense", "pct_federal_outlays"),
        OmbRow(r"^As percentages of GDP:$", r"^National defense$", "national_defense", "pct_gdp"),
    ),
    "3.2": tuple(
        OmbRow(r"^05[01] ", label, series, "usd_m_current") for label, series in (
            (r"^Total, National Defense$", "national_defense"),
            (r"^051 Subtotal, Department of Defense-Military$", "dod_military"),
            (r"^Military Personnel$", "military_personnel"),
            (r"^Operation and Maintenance$", "operation_maintenance"),
            (r"^Procurement$", "procurement"),
            (r"^Research, Development, Test, and Evaluation$", "rdte"),
            (r"^Military Construction$", "military_construction"),
            (r"^Family Housing$", "family_housing"),
            (r"^Other$", "dod_other"),
            (r"^053 Atomic energy defense activities$", "atomic_energy_defense"),
            (r"^054 Defense-related activities$", "defense_related"),
        )
    ),
    "6.1": (
        OmbRow(r"^In billions of constant \(FY 2017\) dollars:$", r"^National defense$", "national_defense",
               "usd_b_constant_fy2017"),
    ),
}
# Display labels for the series codes (the ``label`` column keeps OMB's own row label).
SERIES_LABELS = {
    "national_defense": "National defense (050)",
    "dod_military": "Department of Defense-Military (051)",
    "military_personnel": "Military personnel",
    "operation_maintenance": "Operation and maintenance",
    "procurement": "Procurement",
    "rdte": "Research, development, test and evaluation",
    "military_construction": "Military construction",
    "family_housing": "Family housing",
    "dod_other": "Other DoD-Military",
    "atomic_energy_defense": "Atomic energy defense activities (053)",
    "defense_related": "Defense-related activities (054)",
}
# 051 components that add up to the 051 subtotal, and subfunctions that add up to 050 (checked on build).
OMB_DOD_PARTS = ("military_personnel", "operation_maintenance", "procurement", "rdte", "military_construction",
                 "family_housing", "dod_other")
OMB_050_PARTS = ("dod_military", "atomic_energy_defense", "defense_related")

_YEAR_HEADER_RE = re.compile(r"^(\d{4})( estimate)?$", re.IGNORECASE)


def _omb_label(value: object) -> str:
    """Row label without footnote marks like '(1)'."""
    return re.sub(r"\s*\(\d+\)\s*$", "", _text(value)).strip()


def _find_year_header(sheet: Sheet, max_rows: int = 12):
    """Index of the header row holding fiscal years, and {column: header text}."""
    for i, row in enumerate(sheet.rows[:max_rows]):
        heads = {j: _text(v) for j, v in enumerate(row) if j > 0 and _text(v)}
        years = [h for h in heads.values() if _YEAR_HEADER_RE.match(h) or re.match(r"^FY ?\d{4}$", h)]
        if len(years) >= 5:
            return i, heads
    return None, {}


def _omb_columns(heads: dict[int, str], label: str, h: int) -> dict[int, tuple[int, bool]]:
    """The year columns of an OMB table's header: index -> (fiscal year, is an estimate)."""
    columns: dict[int, tuple[int, bool]] = {}
    problems: list[Problem] = []
    for j, head in heads.items():
        m = _YEAR_HEADER_RE.match(head)
        if m:
            columns[j] = (int(m.group(1)), bool(m.group(2)))
        elif head.upper() != "TQ":  # the transition quarter is dropped (see module docstring)
            problems.append(Problem(label, h + 1, _col(j, head), "header must be a year, 'YYYY estimate' or 'TQ'"))
    if problems:
        raise DataError(problems)
    return columns


def _omb_value(raw: object, label: str, line: int, column: str, problems: list[Problem]) -> float | None:
    """A cell's number; None for an empty cell (OMB's blanks and dashes) or one that is not a number (reported)."""
    if raw is None or _OMB_EMPTY_RE.match(_text(raw)):
        return None
    value = _number(raw)
    if value is None:
        problems.append(_bad_number(label, line, column, raw))
    return value


def parse_omb_table(path: Path | str, table: str) -> pd.DataFrame:
    """Rows of ``budget_omb`` from one OMB Historical Table workbook (table '3.1', '3.2' or '6.1')."""
    if table not in OMB_ROWS:
        raise ValueError(f"unknown OMB table {table!r}")
    sheets = open_workbook(path)
    sheet = next(iter(sheets.values()))
    label = sheet.label
    h, heads = _find_year_header(sheet)
    if h is None:
        raise DataError([Problem(label, None, "header", "no header row with fiscal years (1940, 1941, …) in the "
                                 "first 12 rows; is this an OMB Historical Table?")])
    columns = _omb_columns(heads, label, h)
    problems: list[Problem] = []
    wanted = OMB_ROWS[table]
    found: dict[OmbRow, int] = {}
    section = ""
    records: list[dict] = []
    for i in range(h + 1, len(sheet.rows)):
        row = sheet.rows[i]
        name = _omb_label(row[0])
        if not name:
            continue
        if name.endswith(":") and all(_text(row[j]) == "" for j in columns):
            section = name
            continue
        for spec in wanted:
            if re.search(spec.section, section, re.IGNORECASE) and re.search(spec.label, name, re.IGNORECASE):
                if spec in found:
                    problems.append(Problem(label, i + 1, "A", f"row {name!r} appears twice under {section!r} "
                                            f"(first in row {found[spec] + 1})"))
                    continue
                found[spec] = i
                for j, (year, estimate) in columns.items():
                    value = _omb_value(row[j], label, i + 1, _col(j, heads[j]), problems)
                    if value is not None:
                        records.append({"fiscal_year": year, "omb_table": table, "series": spec.series, "label": name,
                                        "unit": spec.unit, "value": value, "is_estimate": estimate,
                                        "source_id": SOURCE_OMB})
    for spec in wanted:
        if spec not in found:
            problems.append(Problem(label, None, spec.series, f"no row matching {spec.label!r} under a heading "
                                    f"matching {spec.section!r}"))
    if problems:
        raise DataError(problems)
    return pd.DataFrame.from_records(records, columns=[c.name for c in BUDGET_OMB.columns])


def _check_sums(frame: pd.DataFrame, keys: list[str], total_series: str, parts: tuple[str, ...], series_col: str,
                tolerance: float, label: str) -> list[Problem]:
    """Problems where a total differs from the sum of its parts by more than ``tolerance`` (rounding)."""
    problems = []
    sub = frame[frame[series_col].isin(parts + (total_series,))]
    for key, grp in sub.groupby(keys):
        vals = dict(zip(grp[series_col], grp["value"]))
        if total_series not in vals or not all(p in vals for p in parts):
            continue
        diff = vals[total_series] - sum(vals[p] for p in parts)
        if abs(diff) > tolerance:
            k = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
            problems.append(Problem(label, None, total_series, f"{k}: total {vals[total_series]:g} differs from the "
                                    f"sum of {', '.join(parts)} by {diff:g}"))
    return problems


def build_omb(raw: Path) -> pd.DataFrame:
    frames = [parse_omb_table(Path(raw) / OMB_DIR / file, table) for table, file in OMB_FILES.items()]
    frame = pd.concat(frames, ignore_index=True)
    t32 = frame[frame["omb_table"] == "3.2"]
    problems = _check_sums(t32, ["fiscal_year"], "dod_military", OMB_DOD_PARTS, "series", 3, OMB_FILES["3.2"])
    problems += _check_sums(t32, ["fiscal_year"], "national_defense", OMB_050_PARTS, "series", 3, OMB_FILES["3.2"])
    if problems:
        raise DataError(problems)
    return frame.sort_values(["omb_table", "series", "unit", "fiscal_year"], ignore_index=True)


# ---------------------------------------------------------------------------------------------------------
# DoD Green Book FY2022
# ---------------------------------------------------------------------------------------------------------

GREENBOOK_DIR = "dod-green-book/FY2022/raw"
GREENBOOK_EDITION = 2022  # the request year of the edition; the year before it is "enacted"
GREENBOOK_TABLES = {  # table -> (measure, breakdown)
    "6-1": ("toa", "title"), "6-3": ("toa", "military_department"),
    "6-8": ("budget_authority", "title"), "6-10": ("budget_authority", "military_department"),
    "6-11": ("outlays", "title"), "6-13": ("outlays", "military_department"),
}
GREENBOOK_CATEGORIES = {
    "title": {
        "Military Personnel": "military_personnel",
        "Retired Pay, Defense": "retired_pay",
        "Operation and Maintenance": "operation_maintenance",
        "Procurement": "procurement",
        "RDT&E": "rdte",
        "Military Construction": "military_construction",
        "Family Housing": "family_housing",
        "Revolving and Management Funds": "revolving_management_funds",
        "Trust, Receipts, and Other": "trust_receipts_other",
    },
    "military_department": {"Army": "army", "Navy": "navy", "Air Force": "air_force", "Defense-Wide": "defense_wide"},
}
# Display labels for the category codes.
CATEGORY_LABELS = {code: name for cats in GREENBOOK_CATEGORIES.values() for name, code in cats.items()}
_GB_SECTIONS = {"current dollars": "current", "fy 2022 constant dollars": "constant_fy2022"}


def greenbook_file(table: str) -> str:
    return f"FY22 PB Green Book Table {table}.xlsx"


def greenbook_status(fiscal_year: int) -> str:
    if fiscal_year == GREENBOOK_EDITION:
        return "request"
    if fiscal_year == GREENBOOK_EDITION - 1:
        return "enacted"
    return "actual"


def _gb_label(value: object) -> str:
    """'Military Personnel  .......' -> 'Military Personnel'."""
    return re.sub(r"\s*\.{2,}\s*$", "", _text(value)).strip()


def _gb_numbers(row: list, line: int, columns: dict[int, int], label: str,
                problems: list[Problem]) -> dict[int, tuple[float, int]]:
    """A Green Book row's figures: year -> (value, column). An empty cell is not reported (left out, never 0);
    one that is not a number is a problem."""
    out = {}
    for j, year in columns.items():
        if _text(row[j]) == "":
            continue
        value = _number(row[j])
        if value is None:
            problems.append(_bad_number(label, line, _col(j, f"FY {year}"), row[j]))
        else:
            out[year] = (value, j)
    return out


def _gb_total_problems(frame: pd.DataFrame, totals: dict, n_rows: int, label: str) -> list[Problem]:
    """Each printed total against the sum of the rows above it (rounding: at most 1 per row)."""
    sums = frame.groupby(["dollars", "fiscal_year"])["value_usd_m"].sum()
    problems = []
    for (dol, year), (total, line, j) in totals.items():
        got = sums.get((dol, year))
        if got is not None and abs(got - total) > n_rows:
            problems.append(Problem(label, line, _col(j, f"FY {year}"), f"total {total:g} differs from the sum of the "
                                    f"rows above ({got:g})"))
    return problems


def parse_greenbook_table(path: Path | str, measure: str, breakdown: str) -> pd.DataFrame:
    """Rows of ``budget_greenbook`` from one Green Book table (e.g. 6-8: budget authority by public-law title)."""
    sheets = open_workbook(path)
    sheet = next(iter(sheets.values()))
    label = sheet.label
    h = None
    for i, row in enumerate(sheet.rows[:15]):
        if sum(bool(re.match(r"^FY \d{4}$", _text(v))) for v in row) >= 5:
            h = i
            break
    if h is None:
        raise DataError([Problem(label, None, "header", "no header row with fiscal years ('FY 1948', …) in the first "
                                 "15 rows; is this a Green Book table?")])
    columns = {j: int(_text(v)[3:]) for j, v in enumerate(sheet.rows[h]) if re.match(r"^FY \d{4}$", _text(v))}
    categories = GREENBOOK_CATEGORIES[breakdown]
    problems: list[Problem] = []
    records: list[dict] = []
    totals: dict[tuple[str, int], tuple[float, int, int]] = {}
    dollars = None
    for i in range(h + 1, len(sheet.rows)):
        row = sheet.rows[i]
        first, second = _gb_label(row[0]), _gb_label(row[1]) if len(row) > 1 else ""
        if first and all(_text(row[j]) == "" for j in columns):
            dollars = _GB_SECTIONS.get(first.lower())  # None for "Percent Real Growth (%)" and notes: skipped
            continue
        if dollars is None or not (first or second):
            continue
        if not first and second.lower().startswith("total"):
            for year, (value, j) in _gb_numbers(row, i + 1, columns, label, problems).items():
                totals[(dollars, year)] = (value, i + 1, j)
            continue
        code = categories.get(first)
        if code is None:
            problems.append(Problem(label, i + 1, "A", f"unknown {breakdown.replace('_', ' ')} {first!r} "
                                    f"(expected one of: {', '.join(categories)})"))
            continue
        for year, (value, _j) in _gb_numbers(row, i + 1, columns, label, problems).items():
            records.append({"fiscal_year": year, "measure": measure, "breakdown": breakdown, "category": code,
                            "dollars": dollars, "value_usd_m": value, "status": greenbook_status(year),
                            "source_id": SOURCE_GREENBOOK})
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame.from_records(records, columns=[c.name for c in BUDGET_GREENBOOK.columns])
    if frame.empty:
        raise DataError([Problem(label, None, "", "no figures found under 'Current Dollars' / "
                                 "'FY 2022 Constant Dollars'")])
    problems = _gb_total_problems(frame, totals, len(categories), label)
    if problems:
        raise DataError(problems)
    return frame


def build_greenbook(raw: Path) -> pd.DataFrame:
    frames = [parse_greenbook_table(Path(raw) / GREENBOOK_DIR / greenbook_file(t), measure, breakdown)
              for t, (measure, breakdown) in GREENBOOK_TABLES.items()]
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(["measure", "breakdown", "dollars", "category", "fiscal_year"], ignore_index=True)


# ---------------------------------------------------------------------------------------------------------
# SIPRI Military Expenditure Database
# ---------------------------------------------------------------------------------------------------------

SIPRI_FILE = "sipri-milex/SIPRI-Milex-data-1949-2024_2.xlsx"
SIPRI_SHEETS = {  # sheet -> (metric, factor applied to the cell)
    "Current US$": ("current_usd_m", 1.0),
    "Constant (2023) US$": ("constant_2023_usd_m", 1.0),
    "Share of GDP": ("share_of_gdp_pct", 100.0),
}
SIPRI_METRICS = frozenset(m for m, _ in SIPRI_SHEETS.values())
SIPRI_CODES = {"...": "...", ". .": "...", "..": "...", "xxx": "xxx"}
# The extract: the SIPRI_TOP_N largest spenders of the latest year (current US$), plus Peru and its neighbours.
SIPRI_TOP_N = 14
PERU_AND_NEIGHBOURS = ("PER", "ECU", "COL", "BRA", "BOL", "CHL")
SIPRI_MAX_COUNTRIES = 20
_SIPRI_ROUND = {"current_usd_m": 1, "constant_2023_usd_m": 1, "share_of_gdp_pct": 4}


def _sipri_code(name: str, data_dir: Path | None = None) -> str:
    from . import countries

    entity = (countries if data_dir is None else countries.load(Path(data_dir), with_regions=False)).from_name(name)
    return entity.code if entity is not None else ""


def _sipri_header(sheet) -> tuple[int, dict[int, int], Problem | None]:
    """A SIPRI sheet's header row (the first of 20 starting with 'Country') and its year columns (index -> year),
    or the problem that stops reading the sheet."""
    h = next((i for i, r in enumerate(sheet.rows[:20]) if r and _text(r[0]) == "Country"), None)
    if h is None:
        return -1, {}, Problem(sheet.label, None, "header", "no header row starting with 'Country' in the first 20 rows")
    years = {j: int(_text(v)) for j, v in enumerate(sheet.rows[h]) if re.fullmatch(r"(19|20)\d{2}", _text(v))}
    if len(years) < 5:
        return h, years, Problem(sheet.label, h + 1, "header", "fewer than 5 year columns after 'Country'")
    return h, years, None


def read_sipri_workbook(path: Path | str, data_dir: Path | None = None) -> pd.DataFrame:
    """Every country of a SIPRI Milex workbook, in the long ``sipri`` schema (iso3 empty when the name is not
    known to ``loaders.countries``).  Raises DataError naming the sheet, row and field when the file is not
    the expected workbook (missing sheet, no 'Country' header, text in a number cell)."""
    sheets = open_workbook(path, list(SIPRI_SHEETS))
    records: list[dict] = []
    problems: list[Problem] = []
    codes: dict[str, str] = {}
    for sheet_name, (metric, factor) in SIPRI_SHEETS.items():
        sheet = sheets[sheet_name]
        label = sheet.label
        h, years, problem = _sipri_header(sheet)
        if problem:
            problems.append(problem)
            continue
        for i in range(h + 1, len(sheet.rows)):
            row = sheet.rows[i]
            country = _text(row[0])
            if not country:
                continue
            cells = {j: _text(row[j]) for j in years}
            if all(c == "" for c in cells.values()):
                continue  # a region heading such as "Africa" / "North Africa"
            if country not in codes:
                codes[country] = _sipri_code(country, data_dir)
            rounding = _SIPRI_ROUND[metric]
            for j, year in years.items():
                raw = row[j]
                t = cells[j]
                if t == "":
                    continue
                if t in SIPRI_CODES:
                    records.append({"iso3": codes[country], "country": country, "year": year, "metric": metric,
                                    "value": None, "note": SIPRI_CODES[t], "source_id": SOURCE_SIPRI})
                    continue
                value = _number(raw)
                if value is None:
                    problems.append(Problem(label, i + 1, _col(j, year), f"{country}: must be a number, '...' or "
                                            f"'xxx', got {t[:40]!r}"))
                    continue
                records.append({"iso3": codes[country], "country": country, "year": year, "metric": metric,
                                "value": round(value * factor, rounding), "note": "", "source_id": SOURCE_SIPRI})
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame.from_records(records, columns=[c.name for c in SIPRI.columns])
    if frame.empty:
        raise DataError([Problem(Path(path).name, None, "", "no country rows found")])
    frame["value"] = frame["value"].astype("Float64")
    return frame


def sipri_selection(frame: pd.DataFrame) -> list[str]:
    """Codes of the extract: the SIPRI_TOP_N largest spenders (current US$) of the latest year with data, then
    Peru and its neighbours; at most SIPRI_MAX_COUNTRIES."""
    cur = frame[(frame["metric"] == "current_usd_m") & frame["value"].notna() & (frame["iso3"] != "")]
    latest = int(cur["year"].max())
    top = (cur[cur["year"] == latest].sort_values("value", ascending=False)["iso3"].drop_duplicates()
           .head(SIPRI_TOP_N).tolist())
    chosen = top + [c for c in PERU_AND_NEIGHBOURS if c not in top]
    return chosen[:SIPRI_MAX_COUNTRIES]


def sipri_extract(frame: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    codes = sipri_selection(frame) if codes is None else codes
    missing = [c for c in codes if c not in set(frame["iso3"])]
    if missing:
        raise DataError([Problem(SIPRI_FILE, None, "iso3", f"no SIPRI rows for {', '.join(missing)}")])
    out = frame[frame["iso3"].isin(codes)]
    return out.sort_values(["iso3", "metric", "year"], ignore_index=True)


# ---------------------------------------------------------------------------------------------------------
# Tables and build
# ---------------------------------------------------------------------------------------------------------

def _omb_consistency(frame: pd.DataFrame, label: str) -> list[Problem]:
    problems = []
    est = frame[frame["is_estimate"]]["fiscal_year"]
    act = frame[~frame["is_estimate"]]["fiscal_year"]
    if len(est) and len(act) and est.min() <= act.max():
        problems.append(Problem(label, None, "is_estimate", "an estimate year precedes an actual year"))
    return problems


BUDGET_OMB = TableSpec(
    name="budget_omb",
    file="budget_omb.csv",
    doc="US national defense outlays from OMB Historical Tables 3.1, 3.2 and 6.1 (FY2027 edition), by fiscal year.",
    columns=(
        Col("fiscal_year", "int", min=1940, max=2040),
        Col("omb_table", allowed=frozenset(OMB_FILES)),
        Col("series", pattern=r"[a-z0-9_]+"),
        Col("label", doc="the row label in the OMB table"),
        Col("unit", allowed=OMB_UNITS),
        Col("value", "float"),
        Col("is_estimate", "bool"),
        Col("source_id", allowed=frozenset({SOURCE_OMB})),
    ),
    key=("fiscal_year", "omb_table", "series", "unit"),
    table_checks=(_omb_consistency,),
    filters={"year": "fiscal_year"},
)

BUDGET_GREENBOOK = TableSpec(
    name="budget_greenbook",
    file="budget_greenbook.csv",
    doc="DoD (051) budget authority, TOA and outlays by public-law title and by military department, "
        "FY1948-2022, from the FY2022 Green Book (Tables 6-1, 6-3, 6-8, 6-10, 6-11, 6-13).",
    columns=(
        Col("fiscal_year", "int", min=1940, max=2040),
        Col("measure", allowed=frozenset({"budget_authority", "toa", "outlays"})),
        Col("breakdown", allowed=frozenset({"title", "military_department"})),
        Col("category", allowed=frozenset(CATEGORY_LABELS)),
        Col("dollars", allowed=frozenset({"current", "constant_fy2022"})),
        Col("value_usd_m", "float"),
        Col("status", allowed=frozenset({"actual", "enacted", "request"})),
        Col("source_id", allowed=frozenset({SOURCE_GREENBOOK})),
    ),
    key=("fiscal_year", "measure", "breakdown", "category", "dollars"),
    filters={"year": "fiscal_year"},
)


def _sipri_checks(frame: pd.DataFrame, label: str) -> list[Problem]:
    problems = []
    n = frame["iso3"].nunique()
    if n > SIPRI_MAX_COUNTRIES:
        problems.append(Problem(label, None, "iso3", f"{n} countries; the extract may hold at most "
                                f"{SIPRI_MAX_COUNTRIES} (SIPRI terms: small extracts only)"))
    bad = frame[frame["value"].isna() & ~frame["note"].isin(["...", "xxx"])]
    for line in bad.index[:20]:
        problems.append(Problem(label, int(line), "note", "an empty value needs SIPRI's code '...' or 'xxx'"))
    bad = frame[frame["value"].notna() & (frame["note"].fillna("") != "")]
    for line in bad.index[:20]:
        problems.append(Problem(label, int(line), "note", "a note code is only for an empty value"))
    return problems


SIPRI = TableSpec(
    name="sipri",
    file="sipri_extract.csv",
    doc="Extract of the SIPRI Military Expenditure Database (April 2025), at most 20 countries, 1949-2024. "
        + SIPRI_ATTRIBUTION,
    columns=(
        Col("iso3", pattern=r"[A-Z]{3}"),
        Col("country", doc="SIPRI's name"),
        Col("year", "int", min=1949, max=2100),
        Col("metric", allowed=SIPRI_METRICS),
        Col("value", "float", required=False, min=0),
        Col("note", required=False, allowed=frozenset({"...", "xxx"})),
        Col("source_id", allowed=frozenset({SOURCE_SIPRI})),
    ),
    key=("iso3", "year", "metric"),
    table_checks=(_sipri_checks,),
    filters={"country": "iso3", "year": "year"},
)

TABLES = [BUDGET_OMB, BUDGET_GREENBOOK, SIPRI]


def build(raw: Path, out: Path, data_dir: Path | None = None) -> None:
    """Write budget_omb.csv, budget_greenbook.csv and sipri_extract.csv into ``out``."""
    raw, out = Path(raw), Path(out)
    write_table(build_omb(raw), out / BUDGET_OMB.file, BUDGET_OMB)
    write_table(build_greenbook(raw), out / BUDGET_GREENBOOK.file, BUDGET_GREENBOOK)
    write_table(sipri_extract(read_sipri_workbook(raw / SIPRI_FILE, data_dir)), out / SIPRI.file, SIPRI)
