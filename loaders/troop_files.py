"""The troopdata files the troop tables are built from, and how they are read: their names, the report columns
Footprint uses, and readers that turn every bad cell into a ``Problem`` (``file:line field: rule``) instead of an
exception. Shared by :mod:`loaders.troops` (the build) and :mod:`loaders.troop_report_lines` (rule 13)."""
from __future__ import annotations

import calendar
from pathlib import Path

import pandas as pd

from . import countries
from .schema import DataError, Problem

MASTER_REPORTS_FILE = "troopdata/master-3946bcf/troopdata-rebuild-reports.csv"
MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}

# raw report columns (2008 on) -> ours
RAW_COUNTS = {"Total Active Duty": "active_duty", "Army Active Duty": "army", "Navy Active Duty": "navy",
              "Marine Corps Active Duty": "marine_corps", "Air Force Active Duty": "air_force",
              "Space Force Active Duty": "space_force", "Coast Guard Active Duty": "coast_guard",
              "Total Selected Reserve": "reserve", "Total Civilian": "civilian"}
# troopdata's per-report-row totals (all years) -> ours
REPORT_AD = {"troops_ad": "active_duty", "army_ad": "army", "navy_ad": "navy", "marine_corps_ad": "marine_corps",
             "air_force_ad": "air_force"}
REPORT_COLUMNS = ("ccode", "countryname", "region", "year", "month", "source", "Location", "iso3c") + tuple(REPORT_AD) + tuple(RAW_COUNTS)
# troopdata folds DMDC's Hong Kong rows (ccode 1009) into China (710) from the 1997 handover on
REPORT_GROUPS = {"710": (1997, ("710", "1009"))}

# The report lines committed from troopdata 1.1.0 (rules 9, 11, 12 and 13; loaders/corrections/PROVENANCE.md).
CORRECTIONS_DIR = Path(__file__).parent / "corrections"
SECOND_LOCATIONS_FILE = "troopdata-1.1.0-rows.csv"
SECOND_LOCATIONS_LABEL = "loaders/corrections/" + SECOND_LOCATIONS_FILE
SECOND_LOCATIONS_SOURCE = ("troopdata 1.1.0's report rows (meflynn/troopdata commit 052d0ac, "
                           "data-raw/troopdata-rebuild-reports.csv; " + SECOND_LOCATIONS_LABEL + ")")


def read_upstream(path: Path, label: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """Read an upstream CSV with every cell as text; DataError when missing, unreadable or lacking columns."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataError([Problem(label, None, "", "file is missing")]) from None
    except UnicodeDecodeError:
        raise DataError([Problem(label, None, "", "not valid UTF-8 text")]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError([Problem(label, None, "", f"not a valid CSV file ({str(exc).strip()[:120]})")]) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError([Problem(label, 1, c, "column is missing from the header") for c in missing])
    frame = frame.copy()
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    return frame


def numbers(frame: pd.DataFrame, columns, label: str, problems: list[Problem]) -> pd.DataFrame:
    """Numeric copies of ``columns`` (''/NA -> missing); bad or negative cells become Problems."""
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        text = frame[col].str.strip()
        empty = text.isin(["", "NA", "NaN", "nan"])
        num = pd.to_numeric(text.where(~empty, None), errors="coerce")
        bad = num.isna() & ~empty
        for line in frame.index[bad]:
            problems.append(Problem(label, int(line), col, f"must be a number, got {frame.at[line, col][:40]!r}"))
        for line in frame.index[(num < 0).fillna(False)]:
            problems.append(Problem(label, int(line), col, f"must not be negative, got {frame.at[line, col]}"))
        frac = (num.notna() & (num != num.round())).fillna(False)
        for line in frame.index[frac]:
            problems.append(Problem(label, int(line), col, f"must be a whole number, got {frame.at[line, col]}"))
        out[col] = num.astype("Float64")
    return out


def dates(frame: pd.DataFrame, label: str, problems: list[Problem]) -> pd.DataFrame:
    years = pd.to_numeric(frame["year"], errors="coerce")
    months = frame["month"].str.strip().map(lambda m: MONTHS.get(m.capitalize(), 0))
    out = pd.DataFrame(index=frame.index)
    for line in frame.index[years.isna() | (years < 1900) | (years > 2100)]:
        problems.append(Problem(label, int(line), "year", f"must be a year, got {frame.at[line, 'year'][:20]!r}"))
    for line in frame.index[months == 0]:
        problems.append(Problem(label, int(line), "month", f"must be a month name, got {frame.at[line, 'month'][:20]!r}"))
    out["year"] = years.fillna(0).astype(int)
    out["month"] = months.astype(int)
    return out


def resolve(frame: pd.DataFrame, years: pd.Series, label: str, problems: list[Problem],
             reg: countries.Registry) -> pd.Series:
    codes = []
    cache: dict[tuple, str] = {}
    for line, cc, iso, name, year in zip(frame.index, frame["ccode"], frame["iso3c"], frame["countryname"], years):
        key = (cc, iso, name, int(year))
        if key not in cache:
            ent = reg.resolve(cc, iso, name, int(year))
            cache[key] = ent.code if ent else ""
        if not cache[key]:
            problems.append(Problem(label, int(line), "countryname",
                                    f"unknown place {name!r} (ccode {cc}, iso3c {iso!r}); add it to country_overrides.csv"))
        codes.append(cache[key])
    return pd.Series(codes, index=frame.index, dtype=str)
