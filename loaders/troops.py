"""US military personnel by host country and report date, 1950 - December 2025 (DMDC via troopdata).

Inputs (``raw`` = the reference folder, see ``troopdata/PROVENANCE.md`` there):
  * ``troopdata/v1.0.4/troopdata_rebuild_long.csv``    one row per host x report date, 1950-2024;
  * ``troopdata/v1.0.4/troopdata_rebuild_reports.csv`` the DMDC report rows as scraped (raw column names): used to
    check each long-table figure against its report and for the columns the long table lacks (Navy from 2008,
    Coast Guard, Space Force);
  * ``loaders/corrections/troopdata-1.1.0-rows.csv`` (committed, see ``PROVENANCE.md`` there), lines as troopdata
    1.1.0 publishes them: the 92 report lines of 1950-1976 that v1.0.4 drops where a report lists two places under one
    country code (rule 9), and the 52 lines of Diego Garcia, September 2008 - December 2025, that v1.0.4's and the
    development version's report rows lack (rule 11) with 12 territory lines of 2025 listed with the states, 63 lines
    that replace the line v1.0.4 keeps (rule 12), and 31 report lines of September 2003 and 2004 (rule 13);
  * ``troopdata/master-3946bcf/troopdata-rebuild-reports.csv`` the development version's raw report rows: used for
    2025, for December 2013 (:data:`MASTER_DATES`, which v1.0.4 lacks) and for the lines of September 2003 and 2004
    (rule 13).  They leave out Yemen, the Marshall
    Islands, Antigua and Barbuda and Seychelles in every report from 2008, so those have no rows on these dates.
    The development version's long table double counts and is never read.

Outputs: ``troops.csv`` (one row per entity x report date), ``troops_annual.csv`` (one row per entity x year, see
:data:`ANNUAL_METHOD`), ``troop_reports.csv`` (every report date, present or missing) and ``country_regions.csv``
(the region of each entity, from troopdata's region column; read by ``loaders.countries``).

Provenance of each row (rule applied in this order; ``source`` is troopdata's column):
  1. ``source`` empty and every count 0: not data (troopdata fills its panel with zero rows for hosts absent from a
     report): dropped.  Whole report dates made only of such rows (December 2022, March 2023, June 2023;
     troopdata has only a United States total for them) are listed in ``troop_reports.csv`` as ``missing`` and have
     no rows at all, the US row included.  (December 2013 is such a date in v1.0.4 too; it comes from the
     development version's report rows, see :data:`MASTER_DATES`.)
  2. ``source`` a report label ("September 2020") and the figure equals the DMDC report row(s) of that host and
     date: ``dmdc``.  A host that is in a report with 0 personnel is a real 0 and is kept.
  3. ``source`` a report label but the figure differs from the report (troopdata replaced DMDC's 0 for Iraq in
     September 2006/2007 by a news/CRS estimate): ``estimate``.
  4. ``source`` "Kane 2006": ``kane``; except Iraq/Afghanistan rows after 2005 (Kane's report ends in 2005; these
     are troopdata's news/CRS estimates under Kane's label): ``estimate``.
  5. ``source`` empty, figure not 0, and the same figure is in a report row of that date under a location naming
     the host (China 2000-07 is DMDC's "China (Includes Hong Kong)"): that report's provenance, with a note.
  6. ``source`` empty, figure not 0, Iraq/Afghanistan/Syria from 2001: ``estimate`` (troopdata's news/CRS figures).
  7. ``source`` empty, figure not 0, otherwise: ``imputed`` (troopdata's copies, e.g. every 1952 value is the
     1951 value, and 1951 values with no Kane figure).  A year of :data:`COPIED_YEARS` (1952) is ``imputed``
     whatever troopdata's label, checked before rule 4: its "Kane 2006" rows are copies of 1951 too.
  Iraq and Afghanistan rows of 2001-2007 with 0 active duty are dropped: DMDC's country tables of those years
  count the wars' personnel elsewhere ("See OIF Table", "See Deployment Section"), so the 0 is not a count.
  8. Personnel ashore (:data:`ASHORE_PARTS`): a DMDC row of 1953-1976 counts the personnel its report lists ashore
     (Army, Navy ashore and temporarily ashore, Marine Corps ashore, Air Force).  The personnel afloat that the
     report attributes to the place (inside its total in 1954-58, beside it in 1953 and 1959-67, to selected places
     in 1968-76) are left out and named in the note with v1.0.4's figures: Greece September 1960 is 1,976 with Navy
     308, not Navy 13,398 (v1.0.4 had the 13,090 afloat in its Navy).  troopdata 1.1.0 does the same.
  9. Second locations (:data:`SECOND_LOCATIONS_FILE`): where a report lists two places under one country code,
     v1.0.4 keeps one line per code and report; the lines it drops (Japan proper or the Ryukyu Islands every year to
     1973, the Bonin and Volcano Islands, Trieste, Scotland, Jerusalem, France's Mediterranean line of 1955-56, the
     Republic of Panama beside the Canal Zone) are taken from troopdata 1.1.0's report rows, each a row of its own
     place (the Republic of Panama is PAN, the rest the place of the code) summed with the line v1.0.4 kept, both
     named in the note: Japan September 1968 is 41,121 + 41,948 = 83,069.  The build stops when v1.0.4 itself holds
     one of these lines or a line's services do not add up to its total.
  10. A Kane figure is kept only for a place and year with no DMDC row (Kane's figures are dated June, the reports
     of 1957-2013 September: Afghanistan and Iraq had a June Kane row beside the September report in 51 years).
  11. Missing lines from 2008 (:func:`missing_lines`): DMDC's "British Indian Ocean Territory" (Diego Garcia), and
     the Guam, Puerto Rico and Virgin Islands lines that the 2025 reports print a second time inside the United
     States block ("(LISTED WITH STATES)", Army personnel counted nowhere else), are in neither v1.0.4's nor the
     development version's report rows; they are taken from troopdata 1.1.0 for the report dates Footprint has (a
     missing report stays missing), summed with the place's other line, and each row's note says so.  The build stops when
     the upstream rows gain one of these lines.
  12. Replaced lines (:data:`REPLACEMENTS`): where v1.0.4 keeps a line that is not the place's own, troopdata 1.1.0's
     line takes its place: the United States 1954-58 and 1968-2007 (v1.0.4 keeps the continental United States,
     without Alaska and Hawaii: September 1985 1,331,950, now 1,399,473), the Soviet Union 1971-76 (DMDC's "USSR and
     East Europe" subtotal: 95 in 1975, now 40) and Russia 1994-2007 except the Kane years 2003-04 ("Total - Former
     Soviet Union": 160 in 2000, now Russia's own 101).  The build stops when v1.0.4's line equals the replacement.
  13. Report lines of 2003 and 2004 (:data:`REPORT_LINE_YEARS`): troopdata v1.0.4's reading of the September 2003 and
     2004 reports lost every figure of 1,000 or more, so its long table gives Kane (2006)'s totals, without services.
     Each such Kane row becomes the report's own line where the line's total is Kane's (Japan September 2003: 40,519
     with Army 1,823, Navy 6,410, Marine Corps 17,967, Air Force 14,319), or where Kane's figure is the report's
     subtotal for the code (Russia: 'Total - Former Soviet Union' 178 in 2003, now Russia's own 78).  The lines are
     the development version's raw report rows, whole where every figure is under 1,000, and troopdata 1.1.0's for
     the lines those rows lack (in SECOND_LOCATIONS_FILE); the build stops when the development version's rows gain
     one of them.  Kuwait (the report's 0, 'See OIF Table'), Kosovo (no line) and 'Fiji and Tonga' (the report's
     line is Fiji alone) keep Kane's figure.

Columns: active duty by service from the long table; Navy from 2008 from the raw column ``Navy Active Duty``
(troopdata's navy_ad is 0 there); Coast Guard and Space Force only where the report has the column (empty before,
never 0); reserve (``total_selected_reserve``) and civilians (``total_civilian``) only for DMDC rows from 2008.
Service columns are empty, not 0, for rows with an active-duty total but no breakdown (Kane, estimates, imputed).
For 1953-1976 every count is personnel ashore (rule 8), so no service is larger than the total.  Where troopdata's
total is 0 but the report lists personnel by service (United States June 1950, Wake Island June 1953), active_duty
is the sum of the services, with a note.  A 2008-on report row whose own service figure is larger than its own
total (Greenland, March and June 2022) is kept as DMDC published it, and its note says so.

When troopdata's long table disagrees with the report row it cites and the report has a figure, the report wins
(United Kingdom March/June/December 2014 are copies of September in the long table; Iraq and Afghanistan June
1950-56 add a Kane figure to the DMDC one); China from 1997 is compared with DMDC's China plus Hong Kong rows, which
troopdata folds together (from 2008, when rows come from the report itself, Hong Kong is its own row again).
Russia 1992-2007: DMDC lists "Total - Former Soviet Union" under Russia's code beside rows for the other
republics, which troopdata adds up (counting those republics twice); Russia is its own row where v1.0.4 has it
(1992-93) or troopdata 1.1.0 gives it (rule 12, 1994-2007; rule 13, 2003-04), else the total less the other
republics of the same report (without a service breakdown when the total's does not
match the republics'), with a note.

Several upstream rows that are one entity on one date (Azores + Portugal to 1969, "Antigua" + "Antigua & Barbuda")
are summed into one row whose note names them.

Corrections found in an audit of these tables against the upstream files (issue 10), each checked against the
upstream rows it rests on at every build (a Problem if they change) and written in the note of every row it touches:
  * :data:`RELOCATIONS`: report rows troopdata files under the wrong place.  DMDC's "Marshall Islands (Kwajelein)"
    of June 1954 and 1955 sits under ccode 1011 (troopdata's "Mariana Islands", the Northern Mariana Islands, a US
    territory); it is the Marshall Islands (abroad, like every other year's Marshall Islands rows).  DMDC's "Leeward
    Islands" of 1966-74 sits under ccode 1035 (British Virgin Islands); it is the post on Antigua that the same
    reports call "Leeward Islands (Antigua)" in 1975-76 and "Antigua" from 1977.  DMDC's "Congo" of 1960-62 sits under
    ccode 484 (Congo-Brazzaville); it is the former Belgian Congo (COD), as the 1963 report's split shows.
  * :data:`COPIED_YEARS`: every 1952 figure in the long table equals the same place's 1951 figure (troopdata carried
    1951 forward); the 1952 rows troopdata labels "Kane 2006" are copies, so ``imputed``, not ``kane``.
  * :data:`MASTER_DATES`: report dates that troopdata v1.0.4 lacks but the development version's raw report rows
    have (December 2013), taken from there after a plausibility check against the neighbouring reports
    (:func:`check_against_neighbours`, recorded in ``troop_reports.csv``).
"""
from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import countries
from . import troop_files as tf
from .countries import OVERRIDES_SPEC, REGIONS_SPEC, UPSTREAM_REGIONS
from .schema import Col, DataError, Problem, TableSpec, write_table
from .troop_files import (
    CORRECTIONS_DIR,
    MASTER_REPORTS_FILE,
    MONTHS,
    RAW_COUNTS,
    REPORT_AD,
    REPORT_COLUMNS,
    REPORT_GROUPS,
    SECOND_LOCATIONS_FILE,
    SECOND_LOCATIONS_LABEL,
    SECOND_LOCATIONS_SOURCE,
    read_upstream,
)
from .troop_report_lines import (
    REPORT_LINE_CODES,
    REPORT_LINE_NOTE,
    REPORT_LINE_YEARS,
    SUBTOTAL_NOTE,
    report_line_for,
    report_lines,
)

LONG_FILE = "troopdata/v1.0.4/troopdata_rebuild_long.csv"
REPORTS_FILE = "troopdata/v1.0.4/troopdata_rebuild_reports.csv"

MASTER_YEARS = (2025,)  # years taken from the development version's raw report rows
# single report dates taken from the development version's raw report rows because v1.0.4 has no host figures for
# them (only a United States total); each is checked against its neighbouring reports (check_against_neighbours)
MASTER_DATES: tuple[tuple[int, int], ...] = ((2013, 12),)
MASTER_NOTE = ("from the troopdata development version's raw report rows (commit 3946bcf): troopdata v1.0.4 has only "
               "a United States total for this report; checked against the neighbouring reports (see troop_reports.csv)")
REPORT_ROWS_FROM = 2008  # from this year DMDC rows come from the raw report rows, not the long table

ANNUAL_METHOD = (
    "September report of each year (DMDC's fiscal-year-end snapshot); where a place has no September row that "
    "year (1950-56 reports are June only; some Iraq/Afghanistan estimates sit in other quarters), its latest row "
    "that year. Nothing is carried over from another year."
)

PROVENANCE_SOURCE = {"dmdc": "dmdc", "kane": "kane", "estimate": "troop_estimates", "imputed": "troopdata"}
COUNTS = ("active_duty", "army", "navy", "marine_corps", "air_force", "space_force", "coast_guard", "reserve", "civilian")
SERVICES = ("army", "navy", "marine_corps", "air_force")
ESTIMATE_HOSTS = frozenset({"IRQ", "AFG", "SYR"})
WAR_ZERO_HOSTS = frozenset({"IRQ", "AFG"})
UNREPORTED_FROM = (2017, 12)  # troopdata's estimates start where DoD stopped publishing these counts
UNREPORTED_NOTE = ("DMDC figure; DoD stopped publishing counts of personnel deployed to Iraq, Syria and Afghanistan "
                   "in late 2017 (troopdata), so this likely leaves out troops deployed on operations")


LONG_COLUMNS = ("ccode", "iso3c", "countryname", "region", "year", "month", "source", "troops_ad", "army_ad", "navy_ad",
                "air_force_ad", "marine_corps_ad", "coast_guard_ad", "space_force_ad", "total_selected_reserve",
                "total_civilian")
MASTER_COLUMNS = REPORT_COLUMNS


# Personnel ashore (rule 8).  The reports of 1953-1976 attribute Navy and Marine Corps personnel afloat to a place in
# several ways (inside its total in 1954-58, beside it in 1953 and 1959-67, to selected places in 1968-76), and
# troopdata v1.0.4 counts them in some of its totals and Navy figures (Greece September 1960: Navy 13,398, total
# 1,976).  The count of a place is its personnel ashore: the sum of these report columns (troopdata 1.1.0 does the
# same); the personnel afloat are left out and named in the row's note.  The columns are optional (test fixtures).
ASHORE_YEARS = (1953, 1976)
ASHORE_PARTS = {"army": ("Army Total",), "navy": ("Navy Ashore", "Navy Temporary Ashore"),
                "marine_corps": ("Marine Corps Ashore",), "air_force": ("Air Force Total",)}
# Navy afloat is "Navy Other" in 1953 and 1957-67 and "Navy Afloat" in 1954-56 and 1968-76; the Marine Corps afloat
# column is negative in 11 rows (-111 for Japan 1959), read as its size as troopdata 1.1.0 does
AFLOAT_PARTS = {"navy_afloat": ("Navy Other", "Navy Afloat"), "marine_corps_afloat": ("Marine Corps Afloat",)}
ASHORE_COLUMNS = ("Total", "Total Ashore", "Army Total", "Navy Ashore", "Navy Temporary Ashore", "Navy Other",
                  "Marine Corps Ashore", "Marine Corps Afloat", "Air Force Total", "Navy Afloat")

# Second locations (rule 9).  Where a report lists two places under one country code (Japan and the Ryukyu Islands
# until 1973; the Bonin and Volcano Islands; Trieste; Scotland; Jerusalem; France's Mediterranean fleet in 1955-56;
# the Republic of Panama beside the Canal Zone), troopdata v1.0.4 keeps only one line per code and report.  The lines
# it drops are committed, as troopdata 1.1.0 publishes them, in SECOND_LOCATIONS_FILE; each becomes a row of its own
# place and is summed with the line v1.0.4 kept (merge_rows), both named in the note.
SECOND_LOCATION_COLUMNS = REPORT_COLUMNS + ASHORE_COLUMNS + ("navy_afloat", "marine_corps_afloat", "troops_afloat")
# Replaced lines (rule 12): where the line v1.0.4 keeps for a country code is not that place's own line, troopdata
# 1.1.0's line for the code and date (in SECOND_LOCATIONS_FILE) takes its place.  {ccode: ((first year, last year), why)}
REPLACEMENTS = {
    "2": ((1954, 2007), ("troopdata v1.0.4 keeps DMDC's continental United States line, which leaves out Alaska and "
                         "Hawaii; troopdata 1.1.0's line is the fifty states and DC")),
    "365": ((1971, 2007), ("troopdata v1.0.4 keeps DMDC's regional subtotal ('USSR and East Europe' in 1971-76, 'Total - "
                           "Former Soviet Union' from 1994) instead of the country's own line")),
}
# a second location whose place is not the one of troopdata's country code (95 is the Canal Zone until 1979)
SECOND_LOCATION_PLACES = ((r"^Panama(, Republic of| \(Republic of\))?$", "PAN",
                           "the Republic of Panama, which the same reports list beside the Canal Zone (its own row, PCZ)"),)



# Report rows troopdata files under the wrong place.  Keyed by troopdata's ccode and the report dates; ``location``
# must match the DMDC location(s) of the report row(s) behind the long-table row, else the build stops (a Problem).
RELOCATIONS: tuple[dict, ...] = (
    {"id": "kwajalein-1954-55", "ccode": "1011", "dates": ((1954, 6), (1955, 6)), "to": "MHL",
     "location": r"^Marshall Islands \(Kwaj[ae]lein\)$",
     "note": ("DMDC's location is 'Marshall Islands (Kwajelein)' (the report row's iso3c is MHL), but troopdata files "
              "it under ccode 1011, its 'Mariana Islands' (the Northern Mariana Islands, a US territory). Kwajalein "
              "is in the Marshall Islands, then part of the UN Trust Territory of the Pacific Islands administered by "
              "the US; Footprint counts it with the Marshall Islands (scope abroad, as for every other year's "
              "Marshall Islands rows and for Eniwetok, JTF 7, in the same reports; of the former Trust Territory only "
              "the Northern Marianas, which became a US commonwealth, are a US territory)")},
    {"id": "leeward-islands-1966-74", "ccode": "1035", "dates": tuple((y, 9) for y in range(1966, 1975)), "to": "ATG",
     "location": r"^Lee?ward Islands$",
     "note": ("DMDC's location is 'Leeward Islands' ('Leward Islands' 1966-67), which troopdata files under ccode "
              "1035, the British Virgin Islands. It is the US post on Antigua (the US Naval Facility and the Air "
              "Force's Antigua Air Station): the same reports call it 'Leeward Islands (Antigua)' in 1975-76 (121 and "
              "119 active duty, almost all Navy, after 123 in 1974) and 'Antigua' from 1977; DMDC lists the British "
              "Virgin Islands apart (1 in 1988-89). Counted as Antigua and Barbuda")},
    {"id": "congo-1960-62", "ccode": "484", "dates": ((1960, 9), (1961, 9), (1962, 9)), "to": "COD",
     "location": r"^Congo$",
     "note": ("DMDC's location is 'Congo' (4, 56 and 79 active duty in 1960-62), which troopdata files under ccode 484, "
              "Congo-Brazzaville. It is the former Belgian Congo (Congo-Leopoldville, today the Democratic Republic of "
              "the Congo): the 1963 report splits the line into 'Congo (Leopoldville)' and 'Congo (Brazzaville)'. "
              "troopdata 1.1.0 makes the same correction")},
)

# Years troopdata filled by copying the year before: {year: year copied}.  Checked at build time: every non-zero
# figure of the year must equal the same ccode's figure of the year copied.
COPIED_YEARS = {1952: 1951}


def _count(name: str, doc: str) -> Col:
    return Col(name, "int", required=False, min=0, doc=doc)


def _check_code(value: str) -> str | None:
    return countries.check_code(value)


_ROW_COLUMNS = (
    Col("iso3", check=_check_code, doc="entity code (loaders.countries)"),
    Col("name"),
    Col("region", required=False, allowed=frozenset(countries.REGIONS)),
    Col("scope", allowed=frozenset(countries.SCOPES)),
    Col("date", "date", doc="last day of the report month"),
    Col("year", "int", min=1950, max=2100),
    Col("quarter", "int", min=1, max=4),
    Col("report", pattern=r"(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}",
        doc="report month, e.g. 'September 2020'"),
    Col("provenance", allowed=frozenset(PROVENANCE_SOURCE)),
    _count("active_duty", "active-duty personnel (all services)"),
    _count("army", "Army active duty"),
    _count("navy", "Navy active duty"),
    _count("marine_corps", "Marine Corps active duty"),
    _count("air_force", "Air Force active duty"),
    _count("space_force", "Space Force active duty (only where reported)"),
    _count("coast_guard", "Coast Guard active duty (only where reported)"),
    _count("reserve", "Selected Reserve and National Guard (DMDC, 2008 on)"),
    _count("civilian", "DoD civilians (DMDC, 2008 on)"),
    Col("source_id", allowed=frozenset(PROVENANCE_SOURCE.values())),
    Col("note", required=False),
)


def _check_provenance_source(frame: pd.DataFrame, label: str) -> list[Problem]:
    problems = []
    for line, prov, sid in zip(frame.index, frame["provenance"], frame["source_id"]):
        if PROVENANCE_SOURCE.get(prov) != sid:
            problems.append(Problem(label, int(line), "source_id", f"provenance {prov} needs source_id {PROVENANCE_SOURCE.get(prov)}"))
    return problems


def _check_dates(frame: pd.DataFrame, label: str) -> list[Problem]:
    problems = []
    for line, d, y, q, r in zip(frame.index, frame["date"], frame["year"], frame["quarter"], frame["report"]):
        want = f"{calendar.month_name[d.month]} {d.year}"
        if d.year != y or (d.month - 1) // 3 + 1 != q or r != want or d.day != calendar.monthrange(d.year, d.month)[1]:
            problems.append(Problem(label, int(line), "date", f"date {d.date()} does not match year {y}, quarter {q}, report {r!r}"))
    return problems


TROOPS_SPEC = TableSpec(
    name="troops",
    file="troops.csv",
    doc="US military personnel by host (entity) and DMDC report date, 1950-2025, with provenance per row.",
    columns=_ROW_COLUMNS,
    key=("iso3", "date"),
    table_checks=(_check_provenance_source, _check_dates),
    filters={"country": "iso3", "year": "year"},
)

ANNUAL_SPEC = TableSpec(
    name="troops_annual",
    file="troops_annual.csv",
    doc="One row per entity and year: " + ANNUAL_METHOD,
    columns=_ROW_COLUMNS + (Col("method", allowed=frozenset({ANNUAL_METHOD})),),
    key=("iso3", "year"),
    table_checks=(_check_provenance_source, _check_dates),
    filters={"country": "iso3", "year": "year"},
)

REPORTS_SPEC = TableSpec(
    name="troop_reports",
    file="troop_reports.csv",
    doc="Every report date in the upstream data, and whether its country rows exist.",
    columns=(
        Col("date", "date"),
        Col("year", "int", min=1950, max=2100),
        Col("quarter", "int", min=1, max=4),
        Col("report"),
        Col("status", allowed=frozenset({"present", "missing"})),
        Col("hosts", "int", min=0, doc="rows in troops.csv on this date"),
        Col("note", required=False),
        Col("source_id", allowed=frozenset({"dmdc"})),
    ),
    key=("date",),
    filters={"year": "year"},
)

TABLES = [TROOPS_SPEC, ANNUAL_SPEC, REPORTS_SPEC, REGIONS_SPEC, OVERRIDES_SPEC]
CURATED = (OVERRIDES_SPEC.file,)


# ---------------------------------------------------------------------------------------------------------------
# reading upstream files


def _report_label(year: int, month: int) -> str:
    return f"{calendar.month_name[month]} {year}"


def _last_day(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year=year, month=month, day=calendar.monthrange(year, month)[1])


def _aggregate_reports(frame: pd.DataFrame, nums: pd.DataFrame, dates: pd.DataFrame) -> pd.DataFrame:
    """Report rows summed per (ccode, year, month) (a host can have several locations in one report)."""
    df = pd.concat([frame[["ccode", "source", "Location"]], dates, nums], axis=1)
    df["ccode"] = df["ccode"].str.strip()
    grouped = df.groupby(["ccode", "year", "month"], sort=False)
    agg = grouped[list(nums.columns)].sum(min_count=1)
    agg["locations"] = grouped["Location"].agg(lambda s: "; ".join(sorted(set(x for x in s if x))))
    agg["report_source"] = grouped["source"].agg(lambda s: s.iloc[0])
    return agg


def _ashore(frame: pd.DataFrame, years: pd.Series, label: str, problems: list[Problem]) -> pd.DataFrame:
    """Rule 8: personnel ashore by service, their sum and the personnel afloat, from the report columns of 1953-1976
    (missing elsewhere and where the report row has no Total).  Bad cells become Problems."""
    out = pd.DataFrame(index=frame.index)
    names = [f"ashore_{s}" for s in (*SERVICES, "active_duty")] + list(AFLOAT_PARTS)
    if not all(c in frame.columns for c in ASHORE_COLUMNS):
        return out.assign(**{n: pd.Series(pd.NA, index=frame.index, dtype="Float64") for n in names})
    signed = {"Marine Corps Afloat"}
    nums = tf.numbers(frame, [c for c in ASHORE_COLUMNS if c not in signed], label, problems)
    for c in signed:
        text = frame[c].str.strip()
        empty = text.isin(["", "NA", "NaN", "nan"])
        value = pd.to_numeric(text.where(~empty, None), errors="coerce")
        for line in frame.index[value.isna() & ~empty]:
            problems.append(Problem(label, int(line), c, f"must be a number, got {frame.at[line, c][:40]!r}"))
        nums[c] = value.abs().astype("Float64")
    applies = years.between(*ASHORE_YEARS) & (nums["Total"].notna() | nums["Total Ashore"].notna())
    for service, parts in ASHORE_PARTS.items():
        out[f"ashore_{service}"] = nums[list(parts)].fillna(0).sum(axis=1)
    out["ashore_active_duty"] = out[[f"ashore_{s}" for s in SERVICES]].sum(axis=1)
    for name, parts in AFLOAT_PARTS.items():
        first = nums[parts[0]]
        for other in parts[1:]:
            first = first.where(first.notna(), nums[other])
        out[name] = first.fillna(0)
    return out.astype("Float64").where(applies, pd.NA)


def _apply_replacements(agg: dict, lines: pd.DataFrame, label: str) -> list[Problem]:
    """Rule 12: troopdata 1.1.0's own line of a place takes the place of v1.0.4's kept line (a subtotal, or the
    continental United States) for the codes of REPLACEMENTS; ``agg`` is changed.  Dates the report rows lack (a
    test fixture) are skipped; a Problem when v1.0.4's line equals the replacement (then the correction must go)."""
    problems: list[Problem] = []
    if lines.empty:
        return problems
    dates = tf.dates(lines, label, problems)
    nums = tf.numbers(lines, [*REPORT_AD, *RAW_COUNTS], label, problems)
    if problems:
        return problems
    nums = pd.concat([nums, _ashore(lines, dates["year"], label, problems)], axis=1)
    for line, cc, loc, source in zip(lines.index, lines["ccode"].str.strip(), lines["Location"], lines["source"]):
        key = (cc, int(dates.at[line, "year"]), int(dates.at[line, "month"]))
        first, last = REPLACEMENTS[cc][0]
        if not first <= key[1] <= last:
            problems.append(Problem(label, int(line), "year", f"{key[1]} is outside the years replaced for code {cc} "
                                    f"({first}-{last}, REPLACEMENTS)"))
            continue
        old = agg.get(key)
        if old is None:
            continue
        new = {c: nums.at[line, c] for c in nums.columns}
        if not pd.isna(old["troops_ad"]) and old["troops_ad"] == new["troops_ad"]:
            problems.append(Problem(label, int(line), "troops_ad", f"equals troopdata v1.0.4's line for code {cc} in "
                                    f"{_report_label(*key[1:])}: remove it from the corrections"))
            continue
        before = "" if pd.isna(old["troops_ad"]) else f" ({int(old['troops_ad']):,})"
        new.update(locations=loc.strip(), report_source=source, replaced=f"'{old['locations']}'{before}")
        agg[key] = new
    return problems


def _report_for(agg: dict, ccode: str, year: int, month: int) -> dict | None:
    """The summed report rows behind one long-table row (None when the report has no row for it)."""
    group = (ccode,)
    if ccode in REPORT_GROUPS and year >= REPORT_GROUPS[ccode][0]:
        group = REPORT_GROUPS[ccode][1]
    parts = [agg[(cc, year, month)] for cc in group if (cc, year, month) in agg]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    out: dict = {}
    for key in parts[0]:
        values = [p[key] for p in parts]
        if key in ("locations", "report_source"):
            out[key] = "; ".join(v for v in values if v) if key == "locations" else values[0]
        else:
            present = [v for v in values if not pd.isna(v)]
            out[key] = sum(present) if present else pd.NA
    return out


FSU_CCODES = ("359", "366", "367", "368", "369", "370", "371", "372", "373", "701", "702", "703", "704", "705")


def _split_former_soviet_union(agg: dict, reports: pd.DataFrame, rnum: pd.DataFrame, rdate: pd.DataFrame,
                               label: str) -> list[Problem]:
    """DMDC's 1992-2007 reports list 'Total - Former Soviet Union' under Russia's ccode next to rows for the other
    republics, so troopdata's Russia counts them twice.  Russia = its own row where the report has one (1992), else
    the total minus the other republics of the same report.  Changes ``agg`` in place."""
    problems = []
    ccodes = reports["ccode"].str.strip()
    is_total = reports["Location"].str.contains("Former Soviet Union", case=False)
    for (cc, y, m), entry in list(agg.items()):
        if cc != "365" or "former soviet union" not in entry["locations"].lower():
            continue
        sel = (ccodes == "365") & (rdate["year"] == y) & (rdate["month"] == m)
        own = sel & ~is_total
        new = dict(entry)
        if own.any():
            for c in rnum.columns:
                new[c] = rnum.loc[own, c].sum(min_count=1)
            new["locations"] = "Russia (the report's 'Total - Former Soviet Union' row left out)"
        else:
            for c in rnum.columns:
                if pd.isna(entry[c]):
                    continue
                others = [agg[(o, y, m)][c] for o in FSU_CCODES if (o, y, m) in agg]
                new[c] = entry[c] - sum(v for v in others if not pd.isna(v))
            new["locations"] = "'Total - Former Soviet Union' less the other former Soviet republics in the same report"
            services = [c for c in rnum.columns if c != "troops_ad" and c != "Total Active Duty"]
            if any(not pd.isna(new[c]) and new[c] < 0 for c in services):
                for c in services:
                    new[c] = pd.NA  # the total's service split does not match the republics': no breakdown
                new["locations"] += " (no service breakdown: the total's does not match the republics')"
            if not pd.isna(new["troops_ad"]) and new["troops_ad"] < 0:
                line = int(reports.index[sel & is_total][0])
                problems.append(Problem(label, line, "troops_ad", "Former Soviet Union total is smaller than its republics"))
        agg[(cc, y, m)] = new
    return problems


def _copied_years(long: pd.DataFrame, lnum: pd.DataFrame, ldate: pd.DataFrame, label: str) -> tuple[dict, list[Problem]]:
    """For each year of COPIED_YEARS: the figures of the year copied by ccode and the note for the copies.  A Problem
    if a non-zero figure of the year differs from the year copied (then it is not a copy and the rule must go)."""
    out: dict[int, dict] = {}
    problems: list[Problem] = []
    ccodes = long["ccode"].str.strip()
    for year, source_year in COPIED_YEARS.items():
        this = ldate["year"] == year
        before = ldate["year"] == source_year
        values = {cc: float(v) for cc, v in zip(ccodes[before], lnum.loc[before, "troops_ad"]) if not pd.isna(v)}
        nonzero = this & (lnum["troops_ad"].fillna(0) > 0)
        same = 0
        for line, cc, v in zip(long.index[nonzero], ccodes[nonzero], lnum.loc[nonzero, "troops_ad"]):
            if values.get(cc) == float(v):
                same += 1
            else:
                problems.append(Problem(label, int(line), "troops_ad",
                                        f"{year} is treated as a copy of {source_year} (COPIED_YEARS) but this figure "
                                        f"{v} differs from {source_year}'s ({values.get(cc, 'none')})"))
        note = (f"the {source_year} figure carried forward, not a {year} count: all {same} non-zero {year} figures in "
                f"troopdata v1.0.4 equal the same place's {source_year} figure")
        out[year] = {"values": values, "note": note}
    return out, problems


# ---------------------------------------------------------------------------------------------------------------
# building rows


@dataclass
class _LongContext:
    """What the per-row rules of :func:`rows_from_long` look up: the report rows summed per ccode and date (``agg``),
    the non-zero report rows by date (rule 5), the relocations and the copied years."""
    agg: dict
    rep_by_date: dict
    relocate: dict
    copies: dict
    long_label: str
    reports_label: str
    report_lines: dict = field(default_factory=dict)  # rule 13, from report_lines()


@dataclass
class _LongRecord:
    """One long-table row as the rules see it."""
    line: int
    ccode: str
    source: str
    name: str
    region: str
    year: int
    month: int
    code: str
    num: dict
    rep: dict | None

    @property
    def ad(self):
        return self.num["troops_ad"]


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _rule_not_data(rec: _LongRecord) -> bool:
    """Rule 1: empty source and every count 0 is troopdata's panel filler, not data; war-year zeros (Iraq and
    Afghanistan 2001-07, counted elsewhere in DMDC's tables) are not counts either."""
    if rec.source == "" and all(pd.isna(v) or v == 0 for v in rec.num.values()):
        return True
    return rec.code in WAR_ZERO_HOSTS and 2001 <= rec.year <= 2007 and (pd.isna(rec.ad) or rec.ad == 0)


def _rule_relocation(rec: _LongRecord, ctx: _LongContext, problems: list[Problem]) -> tuple[bool, dict | None]:
    """RELOCATIONS: a report row troopdata files under the wrong place moves to the right one (``rec`` is changed).
    Returns (keep, fix); the build stops with a Problem when the report location is not the one expected."""
    fix = ctx.relocate.get((rec.ccode, rec.year, rec.month))
    if fix is None:
        return True, None
    found = rec.rep["locations"] if rec.rep is not None else ""
    if not re.search(fix["location"], found):
        problems.append(Problem(ctx.long_label, rec.line, "countryname",
                                f"correction {fix['id']} expects a report location matching {fix['location']!r} "
                                f"for ccode {fix['ccode']} in {_report_label(rec.year, rec.month)}, found {found or 'none'!r}"))
        return False, fix
    rec.code, rec.name = fix["to"], found
    return True, fix


def _rule_copied_year(rec: _LongRecord, ctx: _LongContext):
    """Rule 7 for a year of COPIED_YEARS, whatever troopdata's label: the figure is the year before carried forward."""
    copied = ctx.copies.get(rec.year)
    if copied is None or pd.isna(rec.ad) or copied["values"].get(rec.ccode) != float(rec.ad) \
            or rec.source not in ("", "Kane 2006"):
        return None
    note = (f"troopdata labels this '{rec.source}', but it is " if rec.source else "troopdata imputation: ") + copied["note"]
    return "imputed", note, False


def _rule_kane(rec: _LongRecord):
    """Rule 4: Kane (2006); Iraq/Afghanistan/Syria rows after 2005 under Kane's label are news/CRS estimates."""
    if rec.code in ESTIMATE_HOSTS and rec.year > 2005:
        return "estimate", "troopdata labels this 'Kane 2006', but Kane (2006) ends in 2005: a news/CRS estimate", False
    note = "Kane (2006) figure, placed by troopdata at this date"
    if rec.code == "RUS" and 1992 <= rec.year <= 2007:
        note += ("; DMDC's reports of these years give Russia only as 'Total - Former Soviet Union', "
                 "so this figure may include the other former Soviet republics")
    return "kane", note, False


def _rule_report(rec: _LongRecord, ctx: _LongContext, problems: list[Problem]):
    """Rules 2 and 3: a report label and the figure of that report (``dmdc``), or a figure where the report has 0 or
    no row (``estimate``); where the long table disagrees with a report that has a figure, the report wins."""
    rep = rec.rep
    rep_ad = rep["troops_ad"] if rep is not None else pd.NA
    ad0 = 0.0 if pd.isna(rec.ad) else float(rec.ad)
    rep0 = 0.0 if pd.isna(rep_ad) else float(rep_ad)
    note, use_report = "", False
    if rep is not None and rep0 == ad0:
        prov = "dmdc"
    elif rep0 == 0 and ad0 > 0:
        prov = "estimate"
        shown = "no row" if rep is None else f"0 ('{rep['locations']}')"
        note = f"DMDC {rec.source} shows {shown}; troopdata's figure is a news/CRS estimate"
    elif rep is not None and rep0 > 0:
        # troopdata's long table disagrees with the report it cites (UK 2014 copies September into the
        # other quarters; Iraq/Afghanistan June 1950-56 add a Kane row to the DMDC row): use the report
        prov, use_report = "dmdc", True
        note = f"DMDC report figures used; troopdata's long table has {int(ad0):,} here"
    else:
        problems.append(Problem(ctx.long_label, rec.line, "troops_ad",
                                f"{rec.name} {rec.source}: {rec.ad} differs from the report rows of {ctx.reports_label} "
                                f"({'none' if rep is None else rep_ad})"))
        return None
    if prov == "dmdc" and rep is not None and rep["locations"] and re.search(r"(?i)total|includ|see|deploy|;", rep["locations"]):
        note = _join(note, f"DMDC location(s): {rep['locations']}")
    return prov, note, use_report


def _rule_unsourced(rec: _LongRecord, ctx: _LongContext):
    """Rules 5-7: no source but a figure: a report row of that date naming the host (5), a war-zone estimate (6),
    else troopdata's imputation (7)."""
    for loc, v, rsource in ctx.rep_by_date.get((rec.year, rec.month), []):
        if v == float(rec.ad) and re.search(rf"(?i)\b{re.escape(rec.name)}\b", loc):
            prov = "kane" if rsource == "Kane 2006" else "dmdc"
            return prov, f"troopdata lists this without a source; it is the {rsource} row '{loc}'", False
    if rec.code in ESTIMATE_HOSTS and rec.year >= 2001:
        return "estimate", "news/CRS estimate compiled by troopdata", False
    return "imputed", "troopdata imputation (no report for this host and date)", False


def _classify(rec: _LongRecord, ctx: _LongContext, problems: list[Problem]):
    """(provenance, note, use_report) by rules 2-7, or None when the row cannot be classified (a Problem)."""
    copied = _rule_copied_year(rec, ctx)
    if copied is not None:
        return copied
    if rec.source == "Kane 2006":
        return _rule_kane(rec)
    if rec.source:
        return _rule_report(rec, ctx, problems)
    return _rule_unsourced(rec, ctx)


def _counts(rec: _LongRecord, prov: str, use_report: bool) -> dict:
    """The count columns: the long table's, the report's where it wins, and from 2008 every count from the report's
    raw columns (troopdata's navy_ad is 0 there); Coast Guard and Space Force only where the report has them."""
    rep = rec.rep
    row = {"active_duty": rec.ad}
    for svc, col in (("army", "army_ad"), ("navy", "navy_ad"), ("air_force", "air_force_ad"), ("marine_corps", "marine_corps_ad")):
        row[svc] = rec.num[col]
    row["reserve"] = row["civilian"] = row["coast_guard"] = row["space_force"] = pd.NA
    if rec.year >= 2008:
        row["navy"] = pd.NA
    if prov == "dmdc" and rep is not None and rec.year >= 2008:
        for raw_col, ours in RAW_COUNTS.items():
            row[ours] = rep[raw_col]
        if pd.isna(row["active_duty"]):
            row["active_duty"] = rec.ad
    elif prov == "dmdc" and rep is not None:
        if use_report:
            for rep_col, ours in REPORT_AD.items():
                row[ours] = rep[rep_col]
        row["coast_guard"] = rep["Coast Guard Active Duty"]
        row["space_force"] = rep["Space Force Active Duty"]
    return row


def _rule_zero_total(row: dict, prov: str, note: str, ad) -> str:
    """troopdata's total is 0 but the report lists personnel by service (United States June 1950, Wake 1953): the
    total is the sum of the services.  A total with no service figure at all has no breakdown (empty, not 0)."""
    branch_total = sum(0 if pd.isna(row[s]) else row[s] for s in SERVICES)
    if prov == "dmdc" and (pd.isna(row["active_duty"]) or row["active_duty"] == 0) and branch_total > 0:
        row["active_duty"] = branch_total
        note = _join(note, "troopdata's total is 0; active_duty is the sum of the report's service counts")
    if pd.notna(ad) and ad > 0 and branch_total == 0:
        for s in SERVICES:
            row[s] = pd.NA
    return note


LABELS = {"active_duty": "active duty", "army": "Army", "navy": "Navy", "marine_corps": "Marine Corps", "air_force": "Air Force"}


def _rule_ashore(row: dict, rep: dict | None, note: str, before: str) -> str:
    """Rule 8: a row of 1953-1976 counts the personnel ashore that its report lists (``row`` is changed); the
    personnel afloat the report attributes to the place are left out and named in the note, with the figures
    ``before`` gave where they differ."""
    if rep is None or pd.isna(rep.get("ashore_active_duty", pd.NA)):
        return note
    old = {c: row[c] for c in ("active_duty", "navy", "marine_corps")}
    for service in SERVICES:
        row[service] = rep[f"ashore_{service}"]
    row["active_duty"] = rep["ashore_active_duty"]
    afloat = [f"{int(rep[c]):,} {who}" for c, who in (("navy_afloat", "Navy"), ("marine_corps_afloat", "Marine Corps"))
              if rep[c] > 0]
    if not afloat:
        return note
    said = f"personnel afloat left out: the report attributes {' and '.join(afloat)} personnel afloat to this place"
    changed = [f"{LABELS[c]} {int(v):,}" for c, v in old.items() if pd.notna(v) and v != row[c]]
    if changed:
        said += f" ({before} counts them: {', '.join(changed)})"
    return _join(note, said)


def _rule_report_line(rec: _LongRecord, ctx: _LongContext, classified):
    """Rule 13: a Kane row of REPORT_LINE_YEARS is its DMDC report line, services included, where the line's total is
    Kane's, or where Kane's figure is the report's subtotal for the code (Russia: 'Total - Former Soviet Union');
    ``rec.rep`` becomes the line.  Elsewhere (Kuwait: the report's 0, 'See OIF Table') the Kane row stays."""
    if classified is None or classified[0] != "kane" or rec.year not in REPORT_LINE_YEARS or pd.isna(rec.ad):
        return classified
    line = report_line_for(ctx.report_lines, rec)
    if line is None or pd.isna(line["troops_ad"]):
        return classified
    words = dict(location=line["locations"], source=line["report_source"])
    if float(line["troops_ad"]) == float(rec.ad):
        note = REPORT_LINE_NOTE.format(year=rec.year, **words)
    else:
        subtotal = ctx.report_lines.get(("subtotal", rec.code, rec.year, rec.month))
        if subtotal is None or subtotal["troops_ad"] != float(rec.ad):
            return classified
        note = SUBTOTAL_NOTE.format(kane=int(rec.ad), subtotal=subtotal["locations"], **words)
    rec.rep = line
    return "dmdc", note, True


def _long_row(rec: _LongRecord, ctx: _LongContext, problems: list[Problem]) -> dict | None:
    """One output row for a long-table row, or None (not data, a report row taken from the raw rows, a Problem)."""
    if _rule_not_data(rec):
        return None
    keep, fix = _rule_relocation(rec, ctx, problems)
    if not keep:
        return None
    classified = _rule_report_line(rec, ctx, _classify(rec, ctx, problems))
    if classified is None:
        return None
    prov, note, use_report = classified
    if prov == "dmdc" and rec.source and rec.year >= REPORT_ROWS_FROM:
        return None  # taken from the report rows themselves (rows_from_reports), split by place
    if prov == "dmdc" and rec.code in ESTIMATE_HOSTS and (rec.year, rec.month) >= UNREPORTED_FROM:
        note = _join(note, UNREPORTED_NOTE)
    if fix is not None:
        note = _join(note, f"correction ({fix['id']}): {fix['note']}")
    if prov == "dmdc" and rec.rep is not None and rec.rep.get("replaced"):
        note = _join(note, f"the report's '{rec.rep['locations']}' line from {SECOND_LOCATIONS_SOURCE} in place of "
                           f"{rec.rep['replaced']}: {REPLACEMENTS[rec.ccode][1]}")
    row = {"iso3": rec.code, "upstream": rec.name, "year": rec.year, "month": rec.month, "provenance": prov,
           # a relocated row's troopdata region is that of the place troopdata filed it under: not used
           "upstream_region": "" if fix is not None else rec.region}
    row.update(_counts(rec, prov, use_report))
    note = _rule_ashore(row, rec.rep if prov == "dmdc" else None, note, "troopdata v1.0.4")
    row["note"] = _rule_zero_total(row, prov, note, rec.ad)
    # the report line(s) behind the row, named where it is summed with a second location (merge_rows)
    row["part"] = rec.rep["locations"] if prov == "dmdc" and rec.rep is not None and rec.rep["locations"] else rec.name
    return row


def rows_from_long(long: pd.DataFrame, reports: pd.DataFrame, long_label: str, reports_label: str,
                   reg: countries.Registry, replacements: pd.DataFrame | None = None,
                   report_lines: dict | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Classify and convert the v1.0.4 long table; returns one row per upstream row kept (before merging).
    ``replacements``: troopdata 1.1.0 lines that take the place of v1.0.4's (rule 12); ``report_lines``: the report
    lines of 2003 and 2004 (rule 13, from :func:`report_lines`)."""
    problems: list[Problem] = []
    lnum = tf.numbers(long, ["troops_ad", "army_ad", "navy_ad", "air_force_ad", "marine_corps_ad", "total_selected_reserve",
                           "total_civilian"], long_label, problems)
    ldate = tf.dates(long, long_label, problems)
    rnum = tf.numbers(reports, [*REPORT_AD, *RAW_COUNTS], reports_label, problems)
    rdate = tf.dates(reports, reports_label, problems)
    if problems:
        return pd.DataFrame(), problems
    rnum = pd.concat([rnum, _ashore(reports, rdate["year"], reports_label, problems)], axis=1)
    codes = tf.resolve(long, ldate["year"], long_label, problems, reg)
    if problems:
        return pd.DataFrame(), problems
    agg_frame = _aggregate_reports(reports, rnum, rdate)
    agg = dict(zip(agg_frame.index, agg_frame.to_dict("records")))
    if replacements is not None:  # before the split: a replaced Russia is its own line, not derived from the subtotal
        problems += _apply_replacements(agg, replacements, SECOND_LOCATIONS_LABEL)
    problems += _split_former_soviet_union(agg, reports, rnum, rdate, reports_label)
    # report rows by date, to find figures troopdata listed without a source (rule 5)
    rep_by_date: dict[tuple[int, int], list[tuple[str, float, str]]] = {}
    for v, y, m, loc, src in zip(rnum["troops_ad"], rdate["year"], rdate["month"], reports["Location"], reports["source"]):
        if pd.notna(v) and v > 0:
            rep_by_date.setdefault((y, m), []).append((loc, float(v), src))

    relocate = {(fix["ccode"], y, m): fix for fix in RELOCATIONS for y, m in fix["dates"]}
    for fix in RELOCATIONS:
        if reg.lookup(fix["to"]) is None:
            problems.append(Problem(long_label, None, "countryname", f"correction {fix['id']}: unknown code {fix['to']}"))
    copies, copy_problems = _copied_years(long, lnum, ldate, long_label)
    problems += copy_problems
    ctx = _LongContext(agg=agg, rep_by_date=rep_by_date, relocate=relocate, copies=copies, long_label=long_label,
                       reports_label=reports_label, report_lines=report_lines or {})

    out = []
    num_records = lnum.to_dict("records")
    text_records = long[["ccode", "source", "countryname", "region"]].to_dict("records")
    for line, text, num, year, month, code in zip(long.index, text_records, num_records, ldate["year"], ldate["month"], codes):
        ccode, year, month = text["ccode"].strip(), int(year), int(month)
        rec = _LongRecord(line=int(line), ccode=ccode, source=text["source"].strip(), name=text["countryname"],
                          region=text["region"].strip(), year=year, month=month, code=code, num=num,
                          rep=_report_for(agg, ccode, year, month))
        row = _long_row(rec, ctx, problems)
        if row is not None:
            out.append(row)
    return _rule_kane_only_without_report(pd.DataFrame(out)), problems


def _rule_kane_only_without_report(rows: pd.DataFrame) -> pd.DataFrame:
    """Rule 10: a Kane figure is used only for a place and year that no DMDC report covers.  troopdata dates Kane's
    figures June and the reports of 1957-2013 September, so both sat in the same year (Afghanistan and Iraq June
    1957-75: Kane's June row beside DMDC's September one); troopdata 1.1.0 drops such Kane rows too."""
    if rows.empty:
        return rows
    reported = set(zip(rows.loc[rows["provenance"] == "dmdc", "iso3"], rows.loc[rows["provenance"] == "dmdc", "year"]))
    beside = (rows["provenance"] == "kane") & pd.Series([k in reported for k in zip(rows["iso3"], rows["year"])], index=rows.index)
    return rows[~beside].reset_index(drop=True)


def _second_location_place(location: str, ccode: str, iso3c: str, name: str, year: int,
                           reg: countries.Registry) -> tuple[str, str]:
    """The place of a second location and the words saying why, when it is not the one of its country code."""
    for pattern, code, why in SECOND_LOCATION_PLACES:
        if re.search(pattern, location.strip()):
            return code, why
    entity = reg.resolve(ccode, iso3c, name, year)
    return (entity.code if entity else ""), ""


def rows_from_second_locations(lines: pd.DataFrame, v104: pd.DataFrame, long: pd.DataFrame, label: str,
                               reg: countries.Registry) -> tuple[pd.DataFrame, list[Problem]]:
    """Rule 9: one row per report line that troopdata v1.0.4 drops (SECOND_LOCATIONS_FILE), for the country codes and
    dates the long table has (a test fixture may lack them).  A Problem when v1.0.4 holds the line itself (then the
    correction must go), when the line's own service counts do not add up to its total, or its place is unknown."""
    problems: list[Problem] = []
    dates = tf.dates(lines, label, problems)
    nums = tf.numbers(lines, list(REPORT_AD), label, problems)
    if problems:
        return pd.DataFrame(), problems
    ashore = _ashore(lines, dates["year"], label, problems)

    def key(cc, y, m, loc=""):  # text, not numbers: a bad cell upstream is a Problem of its own reader, not a crash here
        return cc.strip(), str(y).strip(), str(m).strip().capitalize(), loc.strip()

    kept = {key(cc, y, m, loc) for cc, y, m, loc in zip(v104["ccode"], v104["year"], v104["month"], v104["Location"])}
    dates_of_code = {key(cc, y, m) for cc, y, m in zip(long["ccode"], long["year"], long["month"])}
    out = []
    for line in lines.index:
        text = lines.loc[line]
        year, month = int(dates.at[line, "year"]), int(dates.at[line, "month"])
        month_name = calendar.month_name[month]
        if key(text["ccode"], year, month_name, text["Location"]) in kept:
            problems.append(Problem(label, int(line), "Location", f"{text['Location']!r} ({_report_label(year, month)}) is in "
                                    "troopdata v1.0.4's report rows now: remove it from the corrections"))
            continue
        if key(text["ccode"], year, month_name) not in dates_of_code:
            continue
        parts = [nums.at[line, c] for c in ("army_ad", "navy_ad", "marine_corps_ad", "air_force_ad")]
        if sum(0 if pd.isna(v) else v for v in parts) != (0 if pd.isna(nums.at[line, "troops_ad"]) else nums.at[line, "troops_ad"]):
            problems.append(Problem(label, int(line), "troops_ad", "differs from the sum of army_ad, navy_ad, "
                                    "marine_corps_ad and air_force_ad: the line was not copied whole"))
            continue
        code, why = _second_location_place(text["Location"], text["ccode"], text["iso3c"], text["countryname"], year, reg)
        if not code:
            problems.append(Problem(label, int(line), "Location", f"unknown place for {text['Location']!r}"))
            continue
        row = {"iso3": code, "upstream": text["Location"], "part": text["Location"].strip(), "year": year, "month": month,
               "provenance": "dmdc", "upstream_region": "", "reserve": pd.NA, "civilian": pd.NA, "coast_guard": pd.NA,
               "space_force": pd.NA, "active_duty": nums.at[line, "troops_ad"]}
        for service in SERVICES:
            row[service] = nums.at[line, f"{service}_ad"]
        note = _join(f"DMDC report line '{text['Location'].strip()}', which troopdata v1.0.4 leaves out (it keeps one line "
                     f"per country code and report), from {SECOND_LOCATIONS_SOURCE}", f"counted as {why}" if why else "")
        note = _rule_ashore(row, ashore.loc[line].to_dict(), note, "troopdata 1.1.0's troops_ad")
        if pd.notna(row["active_duty"]) and row["active_duty"] > 0 and sum(0 if pd.isna(row[s]) else row[s] for s in SERVICES) == 0:
            for service in SERVICES:
                row[service] = pd.NA
        row["note"] = note
        out.append(row)
    return pd.DataFrame(out), problems


MISSING_LINE_NOTE = ("DMDC report line that troopdata v1.0.4's and the development version's report rows lack, from "
                     + SECOND_LOCATIONS_SOURCE)


def missing_lines(frame: pd.DataFrame, lines: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Rule 11: the report lines of 2008 on that the report rows of ``label`` lack (Diego Garcia, reported as 'British
    Indian Ocean Territory'), from SECOND_LOCATIONS_FILE, for the report dates ``frame`` holds (a gap stays a gap).
    A Problem when ``frame`` has the line already (then the correction must go)."""
    problems: list[Problem] = []

    def key(y, m, loc=""):
        return str(y).strip(), str(m).strip().capitalize(), loc.strip().upper()

    have = {key(y, m, loc) for y, m, loc in zip(frame["year"], frame["month"], frame["Location"])}
    dates = {key(y, m) for y, m in zip(frame["year"], frame["month"])}
    keep = []
    for line, y, m, loc in zip(lines.index, lines["year"], lines["month"], lines["Location"]):
        if key(y, m, loc) in have:
            problems.append(Problem(SECOND_LOCATIONS_LABEL, int(line), "Location",
                                    f"{loc!r} ({m} {y}) is in {label} now: remove it from the corrections"))
        elif key(y, m) in dates:
            keep.append(line)
    return lines.loc[keep], problems


def rows_from_reports(reports: pd.DataFrame, label: str, reg: countries.Registry, years=MASTER_YEARS,
                      extra_dates=(), skip_dates=()) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows from raw DMDC report rows (one per report location, resolved one by one), for ``years`` and the single
    (year, month) ``extra_dates`` only, less the (year, month) ``skip_dates``."""
    problems: list[Problem] = []
    dates = tf.dates(reports, label, problems)
    if problems:
        return pd.DataFrame(), problems
    pairs = list(zip(dates["year"], dates["month"]))
    extra, skip = set(extra_dates), set(skip_dates)
    keep = (dates["year"].isin(list(years)) | pd.Series([d in extra for d in pairs], index=dates.index)) \
        & ~pd.Series([d in skip for d in pairs], index=dates.index)
    reports, dates = reports[keep], dates[keep]
    # an identical repeated row is a scraping duplicate (Zimbabwe, September 2013): counted once
    dup = reports.duplicated(keep="first")
    dup_keys = {(cc, loc, y, m) for cc, loc, y, m in zip(reports.loc[dup, "ccode"], reports.loc[dup, "Location"],
                                                      dates.loc[dup, "year"], dates.loc[dup, "month"])}
    reports, dates = reports[~dup], dates[~dup]
    cols = RAW_COUNTS
    nums = tf.numbers(reports, list(cols), label, problems)
    codes = tf.resolve(reports, dates["year"], label, problems, reg)
    if problems:
        return pd.DataFrame(), problems
    df = pd.concat([nums.rename(columns=cols), dates], axis=1)
    df["iso3"] = codes
    df["upstream"] = reports["Location"].where(reports["Location"].str.strip() != "", reports["countryname"])
    df["upstream_region"] = reports["region"].str.strip()
    df["location"] = reports["Location"]
    for line in reports.index[nums["Total Active Duty"].isna()]:
        problems.append(Problem(label, int(line), "Total Active Duty", "required for a report row"))
    df["provenance"] = "dmdc"
    unreported = [c in ESTIMATE_HOSTS and (y, m) >= UNREPORTED_FROM for c, y, m in zip(codes, dates["year"], dates["month"])]
    df["note"] = [UNREPORTED_NOTE if u else "" for u in unreported]
    df["note"] = [n if n else ("an identical duplicate of this report row upstream was dropped" if (cc, loc, y, m) in dup_keys else "")
                  for n, cc, loc, y, m in zip(df["note"], reports["ccode"], reports["Location"], dates["year"], dates["month"])]
    df["note"] = ["; ".join(x for x in (n, MASTER_NOTE if (y, m) in extra else "") if x)
                  for n, y, m in zip(df["note"], dates["year"], dates["month"])]
    df["note"] = [_join(n, _branch_above_total(r)) for n, r in zip(df["note"], df[["active_duty", *SERVICES]].to_dict("records"))]
    return df, problems


def _branch_above_total(row: dict) -> str:
    """Words for a report row whose own service figure is larger than its own active-duty total (Greenland, March
    and June 2022): kept as DMDC published it, and said."""
    above = [f"{LABELS.get(s, s.replace('_', ' ').title())} {int(row[s]):,}" for s in SERVICES
             if pd.notna(row[s]) and pd.notna(row["active_duty"]) and row[s] > row["active_duty"]]
    if not above:
        return ""
    return (f"as DMDC published it: the report's {', '.join(above)} is larger than its active-duty total "
            f"{int(row['active_duty']):,}")


def check_against_neighbours(troops: pd.DataFrame, date: tuple[int, int], present: list[tuple[int, int]],
                             us_total_v104) -> tuple[str, list[Problem]]:
    """Plausibility of a report taken from the development version (MASTER_DATES) against the reports before and
    after it: places listed abroad, active duty abroad, the five largest hosts, places of both neighbours that it
    lacks, and the United States total v1.0.4 gives for the date.  Returns the words for troop_reports.csv and a
    Problem when the report is out of line (places or total abroad more than 15% outside its neighbours')."""
    problems: list[Problem] = []
    ordered = sorted(present)
    i = ordered.index(date)
    neighbours = [d for d in (ordered[i - 1] if i > 0 else None, ordered[i + 1] if i + 1 < len(ordered) else None) if d]
    label = MASTER_REPORTS_FILE
    days = pd.to_datetime(troops["date"])

    def rows(d):
        return troops[(days == _last_day(*d)) & (troops["scope"] == "abroad")].set_index("iso3")

    this, around = rows(date), [rows(d) for d in neighbours]
    names = ", ".join(_report_label(*d) for d in neighbours)
    both = "; ".join
    n_here, n_around = len(this), [len(r) for r in around]
    t_here, t_around = int(this["active_duty"].sum()), [int(r["active_duty"].sum()) for r in around]
    parts = [f"places listed abroad {n_here:,} ({names}: {both(f'{n:,}' for n in n_around)})",
             f"active duty abroad {t_here:,} ({both(f'{t:,}' for t in t_around)})"]
    if len(around) != 2:
        problems.append(Problem(label, None, "month", f"{_report_label(*date)}: needs a report before and after it"))
    for what, here, there in (("places listed abroad", n_here, n_around), ("active duty abroad", t_here, t_around)):
        if there and not (0.85 * min(there) <= here <= 1.15 * max(there)):
            problems.append(Problem(label, None, "Total Active Duty",
                                    f"{_report_label(*date)}: {what} {here:,} is out of line with {names} ({there})"))
    top = this["active_duty"].sort_values(ascending=False, kind="stable").head(5)
    hosts = []
    for code, v in top.items():
        others = both("-" if code not in r.index else f"{int(r.at[code, 'active_duty']):,}" for r in around)
        hosts.append(f"{this.at[code, 'name']} {int(v):,} ({others})")
    parts.append("largest hosts " + ", ".join(hosts))
    lacking = sorted(set.intersection(*[set(r.index[r["active_duty"].fillna(0) > 0]) for r in around]) - set(this.index)) if around else []
    if lacking:
        def figures(c):
            return both(f"{int(r.at[c, 'active_duty']):,}" for r in around)
        parts.append("no row for " + ", ".join(f"{around[0].at[c, 'name']} ({figures(c)})" for c in lacking)
            + " although both neighbours list them (the development version's raw rows leave these places out in every"
              " report, 2025 included)")
    us = troops[(days == _last_day(*date)) & (troops["iso3"] == "USA")]["active_duty"]
    if us_total_v104 is not None and len(us) == 1:
        if int(us.iloc[0]) == int(us_total_v104):
            parts.append(f"its United States total {int(us.iloc[0]):,} equals the one troopdata v1.0.4 gives")
        else:
            problems.append(Problem(label, None, "Total Active Duty", f"{_report_label(*date)}: United States "
                                    f"{int(us.iloc[0]):,} differs from troopdata v1.0.4's {int(us_total_v104):,}"))
    note = ("Not in troopdata v1.0.4 (only a United States total); taken from the troopdata development version's raw "
            "report rows (commit 3946bcf) after a check against the neighbouring reports: " + "; ".join(parts) + ".")
    return note, problems


def merge_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per entity and date: counts summed (missing stays missing), provenance of the largest part."""
    dup = rows.duplicated(["iso3", "year", "month"], keep=False)
    out = rows[~dup].to_dict("records")
    for _, g in rows[dup].groupby(["iso3", "year", "month"], sort=True):
        g = g.sort_values("active_duty", ascending=False, na_position="last")
        r = g.iloc[0].to_dict()
        for c in COUNTS:
            r[c] = g[c].sum(min_count=1)
        # with a second location (rule 9) each part is named by its report line: v1.0.4's long table names the
        # country, whichever line it kept ("Japan" for the Ryukyu Islands' 41,948 in September 1968)
        names = g["part"].fillna(g["upstream"]) if "part" in g and g["note"].str.contains(SECOND_LOCATIONS_LABEL, regex=False).any() \
            else g["upstream"]
        parts = ", ".join(f"{u} ({'' if pd.isna(a) else f'{int(a):,}'})" for u, a in zip(names, g["active_duty"]))
        provs = sorted(set(g["provenance"]))
        if names.str.upper().nunique() < len(g):
            parts += " - the same location twice in one report, summed as troopdata does (possibly a scraping error)"
        r["note"] = "; ".join(x for x in [f"sum of upstream rows: {parts}"
                                          + (f" (provenance {', '.join(provs)})" if len(provs) > 1 else ""),
                                          *[n for n in g["note"] if n]] if x)
        out.append(r)
    return pd.DataFrame(out)


def regions_table(rows: pd.DataFrame, overrides: list[dict[str, str]]) -> pd.DataFrame:
    forced = {r["code"]: r["region"] for r in overrides if r.get("region")}
    out = []
    for code, g in rows.groupby("iso3", sort=True):
        names = [UPSTREAM_REGIONS[r] for r in g["upstream_region"] if r in UPSTREAM_REGIONS]
        upstream = ";".join(sorted(set(r for r in g["upstream_region"] if r in UPSTREAM_REGIONS)))
        if code in forced:
            out.append({"iso3": code, "region": forced[code], "upstream_region": upstream, "source_id": "troopdata"})
        elif names:
            out.append({"iso3": code, "region": Counter(names).most_common(1)[0][0], "upstream_region": upstream,
                        "source_id": "troopdata"})
    return pd.DataFrame(out, columns=[c.name for c in REGIONS_SPEC.columns])


def annual(troops: pd.DataFrame) -> pd.DataFrame:
    """ANNUAL_METHOD: each entity's September row, else its latest row of the year."""
    df = troops.copy()
    df["_sep"] = pd.to_datetime(df["date"]).dt.month == 9
    df = df.sort_values(["iso3", "year", "_sep", "date"])
    picked = df.groupby(["iso3", "year"], sort=True).tail(1).drop(columns="_sep")
    picked["method"] = ANNUAL_METHOD
    return picked.sort_values(["iso3", "year"]).reset_index(drop=True)


def _split_corrections(taken: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Which lines of SECOND_LOCATIONS_FILE each rule takes: (before 2008, replaced lines of rule 12, report lines of
    rule 13); the early lines of neither are rule 9's second locations, the later ones rule 11's missing lines."""
    years = pd.to_numeric(taken["year"], errors="coerce")
    codes = taken["ccode"].str.strip()
    early = years < REPORT_ROWS_FROM
    dated = years.isin(list(REPORT_LINE_YEARS))
    replaced = early & codes.isin(list(REPLACEMENTS)) & ~(dated & codes.isin(list(REPORT_LINE_CODES)))
    return early, replaced, dated & ~replaced


def build_tables(raw: Path, data_dir: Path) -> dict[str, pd.DataFrame]:
    """All four tables as frames (not written)."""
    raw = Path(raw)
    long = read_upstream(raw / LONG_FILE, LONG_FILE, LONG_COLUMNS)
    reports = read_upstream(raw / REPORTS_FILE, REPORTS_FILE, REPORT_COLUMNS)
    master = read_upstream(raw / MASTER_REPORTS_FILE, MASTER_REPORTS_FILE, MASTER_COLUMNS)
    overrides, problems = countries.read_overrides(Path(data_dir) / countries.OVERRIDES_FILE)
    if problems:
        raise DataError(problems)
    reg = countries.load(Path(data_dir), with_regions=False)

    taken = read_upstream(CORRECTIONS_DIR / SECOND_LOCATIONS_FILE, SECOND_LOCATIONS_LABEL, SECOND_LOCATION_COLUMNS)
    early, replaced, dated = _split_corrections(taken)
    lines_0304, problems = report_lines(master, taken[dated], reg)
    rows, lproblems = rows_from_long(long, reports, LONG_FILE, REPORTS_FILE, reg, replacements=taken[replaced],
                                     report_lines=lines_0304)
    srows, sproblems = rows_from_second_locations(taken[early & ~replaced & ~dated], reports, long,
                                                  SECOND_LOCATIONS_LABEL, reg)
    problems += lproblems + sproblems
    rows = pd.concat([rows, srows], ignore_index=True)
    master_years = set(MASTER_YEARS)
    if not rows.empty and master_years & set(rows["year"]):
        problems.append(Problem(LONG_FILE, None, "year", f"has rows for {sorted(master_years & set(rows['year']))}, taken from the development version"))
    v104 = reports[~reports["source"].isin(["", "Kane 2006"])]
    late = taken[~early]
    late_dates = tf.dates(late, SECOND_LOCATIONS_LABEL, problems)
    for_master = late_dates["year"].isin(list(MASTER_YEARS)) | pd.Series(
        [d in set(MASTER_DATES) for d in zip(late_dates["year"], late_dates["month"])], index=late.index)
    mlines, lproblems = missing_lines(master, late[for_master], MASTER_REPORTS_FILE)
    problems += lproblems
    vlines, lproblems = missing_lines(v104, late[~for_master], REPORTS_FILE)
    problems += lproblems
    mrows, mproblems = rows_from_reports(master, MASTER_REPORTS_FILE, reg, extra_dates=MASTER_DATES)
    problems += mproblems
    for lines, kwargs in ((mlines, {"extra_dates": MASTER_DATES}),
                          (vlines, {"years": range(REPORT_ROWS_FROM, min(MASTER_YEARS)), "skip_dates": MASTER_DATES})):
        lrows, lproblems = rows_from_reports(lines, SECOND_LOCATIONS_LABEL, reg, **kwargs)
        problems += lproblems
        if not lrows.empty:
            # not the development version's line, though on its report date
            lrows["note"] = [_join(n.replace(MASTER_NOTE, "").strip("; "), MISSING_LINE_NOTE) for n in lrows["note"]]
            mrows = pd.concat([mrows, lrows], ignore_index=True)
    rrows, rproblems = rows_from_reports(v104, REPORTS_FILE, reg, years=range(REPORT_ROWS_FROM, min(MASTER_YEARS)),
                                         skip_dates=MASTER_DATES)
    problems += rproblems
    if problems:
        raise DataError(problems)
    mrows = pd.concat([rrows, mrows], ignore_index=True)

    # report dates: every (year, month) upstream
    all_dates = {(int(y), MONTHS[m.capitalize()]) for y, m in zip(long["year"], long["month"])}
    all_dates |= {(int(y), int(m)) for y, m in zip(mrows["year"], mrows["month"])}
    combined = pd.concat([rows, mrows], ignore_index=True)
    merged = merge_rows(combined)
    # a report date is missing when every host row upstream is a no-data row (empty source, all counts 0)
    long_years = pd.to_numeric(long["year"], errors="coerce")
    long_months = long["month"].str.strip().str.capitalize().map(MONTHS)
    counts = long[[c for c in LONG_COLUMNS if c.endswith("_ad") or c.startswith("total_")]]
    has_data = (long["source"].str.strip() != "") | counts.apply(
        lambda col: pd.to_numeric(col.replace({"": None, "NA": None}), errors="coerce").fillna(0) != 0).any(axis=1)
    host = long["iso3c"].str.strip() != "USA"
    data_dates = {(int(y), int(m)) for y, m in zip(long_years[has_data & host], long_months[has_data & host])}
    for d in MASTER_DATES:
        if d in data_dates:
            raise DataError([Problem(LONG_FILE, None, "month", f"{_report_label(*d)} has host figures in v1.0.4 now; "
                                     "review MASTER_DATES (taken from the development version)")])
    mhost = mrows["iso3"] != "USA"
    data_dates |= {(int(y), int(m)) for y, m in zip(mrows.loc[mhost, "year"], mrows.loc[mhost, "month"])}
    missing = {d for d in all_dates if d not in data_dates}
    us_totals = {(int(y), int(m)): a for y, m, a in
                 zip(merged.loc[merged["iso3"] == "USA", "year"], merged.loc[merged["iso3"] == "USA", "month"],
                     merged.loc[merged["iso3"] == "USA", "active_duty"])}
    merged = merged[[(int(y), int(m)) not in missing for y, m in zip(merged["year"], merged["month"])]]

    regions = regions_table(combined, overrides)
    region_of = dict(zip(regions["iso3"], regions["region"]))
    merged = merged.copy()
    merged["name"] = [reg.lookup(c).name for c in merged["iso3"]]
    merged["scope"] = [reg.lookup(c).scope for c in merged["iso3"]]
    merged["region"] = [region_of.get(c, "") for c in merged["iso3"]]
    merged["date"] = [_last_day(int(y), int(m)) for y, m in zip(merged["year"], merged["month"])]
    merged["quarter"] = [(int(m) - 1) // 3 + 1 for m in merged["month"]]
    merged["report"] = [_report_label(int(y), int(m)) for y, m in zip(merged["year"], merged["month"])]
    merged["source_id"] = merged["provenance"].map(PROVENANCE_SOURCE)
    merged["note"] = merged["note"].fillna("")
    troops = merged.sort_values(["iso3", "date"]).reset_index(drop=True)

    present = sorted(d for d in all_dates if d not in missing)
    checked: dict[tuple[int, int], str] = {}
    for d in MASTER_DATES:
        if d not in present:
            continue  # e.g. a fixture without the date
        v104_us = pd.to_numeric(reports.loc[(reports["ccode"].str.strip() == "2") & (reports["year"].str.strip() == str(d[0]))
                                            & (reports["month"].str.strip().str.capitalize() == calendar.month_name[d[1]]),
                                            "Total Active Duty"], errors="coerce").dropna()
        checked[d], check_problems = check_against_neighbours(troops, d, present, v104_us.iloc[0] if len(v104_us) == 1 else None)
        problems += check_problems
    if problems:
        raise DataError(problems)

    rep_rows = []
    counts = troops.groupby("date").size()
    kinds = troops.groupby("date")["provenance"].agg(lambda s: sorted(set(s)))
    for (y, m) in sorted(all_dates):
        d = _last_day(y, m)
        if (y, m) in missing:
            us = us_totals.get((y, m))
            note = ("troopdata v1.0.4 has no host-country figures for this report (every host 0 with no source)"
                    + (f"; it gives only a United States total of {int(us):,} active duty" if us is not None and pd.notna(us) else "")
                    + ". No rows in troops.csv for this date.")
            rep_rows.append({"date": d, "year": y, "quarter": (m - 1) // 3 + 1, "report": _report_label(y, m),
                             "status": "missing", "hosts": 0, "note": note, "source_id": "dmdc"})
        else:
            provs = kinds.get(d, [])
            if not provs:
                note = "every upstream row of this date was dropped as not a count (see loaders.troops)"
            elif provs == ["dmdc"]:
                note = ""
            else:
                note = ("" if "dmdc" in provs else "no DMDC report for this date; ") + "rows by provenance: " + ", ".join(provs)
            note = " ".join(x for x in (note, checked.get((y, m), "")) if x)
            rep_rows.append({"date": d, "year": y, "quarter": (m - 1) // 3 + 1, "report": _report_label(y, m),
                             "status": "present", "hosts": int(counts.get(d, 0)), "note": note, "source_id": "dmdc"})
    return {"troops": troops, "troops_annual": annual(troops), "troop_reports": pd.DataFrame(rep_rows),
            "country_regions": regions}


def build(raw: Path, out: Path, data_dir: Path) -> None:
    tables = build_tables(raw, data_dir)
    out = Path(out)
    write_table(tables["troops"], out / TROOPS_SPEC.file, TROOPS_SPEC)
    write_table(tables["troops_annual"], out / ANNUAL_SPEC.file, ANNUAL_SPEC)
    write_table(tables["troop_reports"], out / REPORTS_SPEC.file, REPORTS_SPEC)
    write_table(tables["country_regions"], out / REGIONS_SPEC.file, REGIONS_SPEC)
