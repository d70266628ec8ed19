"""Rule 13 of the troop build (:mod:`loaders.troops`): the DMDC report lines of September 2003 and 2004, which
troopdata v1.0.4 read without the figures of 1,000 or more, indexed by country code and place so that a Kane row of
those dates can become its report line, services included."""
from __future__ import annotations

import re

import pandas as pd

from . import countries
from . import troop_files as tf
from .schema import Problem
from .troop_files import MASTER_REPORTS_FILE, REPORT_AD, REPORT_GROUPS, SECOND_LOCATIONS_LABEL, SECOND_LOCATIONS_SOURCE

# The 2003 and 2004 reports (rule 13).  troopdata v1.0.4's reading of the September 2003 and 2004 reports lost every
# figure of 1,000 or more (thousands separators), so its long table gives Kane (2006)'s totals for these dates, without
# a service breakdown.  The reports' own lines are the development version's raw report rows (MASTER_REPORTS_FILE),
# whole where every figure is under 1,000, and troopdata 1.1.0's lines (SECOND_LOCATIONS_FILE) for the 29 lines those
# rows lack.  A Kane row becomes the report line's when the totals agree; a subtotal line never stands for a place.
REPORT_LINE_YEARS = (2003, 2004)
# codes of REPLACEMENTS whose lines of REPORT_LINE_YEARS are rule 13's: v1.0.4 gives Kane's figure there, which is
# DMDC's subtotal ('Total - Former Soviet Union' 178 in 2003), and the place's own line takes its place
REPORT_LINE_CODES = frozenset({"365"})
SUBTOTAL_LOCATION = r"(?i)^\s*total\b"
REPORT_LINE_NOTE = ("DMDC report line '{location}', from {source}: troopdata v1.0.4 gives Kane (2006)'s total for "
                    "this date without services, because its reading of the {year} report lost every figure of 1,000 "
                    "or more; the report's own line has the same total")
MASTER_SOURCE = "the troopdata development version's raw report rows (commit 3946bcf)"
SUBTOTAL_NOTE = ("DMDC report line '{location}', from {source}: troopdata v1.0.4 gives Kane (2006)'s {kane:,} for this "
                 "date, which is the report's '{subtotal}' subtotal, not this place's own figure")


def report_line_for(index: dict, rec) -> dict | None:
    """The report line(s) of REPORT_LINE_YEARS behind a long-table row (``troops._LongRecord``): by troopdata's country code (China from 1997
    with Hong Kong, REPORT_GROUPS), else by place (Germany is 255 in v1.0.4's long table and 260 in the reports)."""
    group = (rec.ccode,)
    if rec.ccode in REPORT_GROUPS and rec.year >= REPORT_GROUPS[rec.ccode][0]:
        group = REPORT_GROUPS[rec.ccode][1]
    found = [r for cc in group for r in index.get(("ccode", cc, rec.year, rec.month), [])]
    found = found or index.get(("code", rec.code, rec.year, rec.month), [])
    if not found:
        return None
    out = dict(found[0])
    for other in found[1:]:
        for c in REPORT_AD:
            out[c] = out[c] + other[c]
        out["locations"] = f"{out['locations']}; {other['locations']}"
    return out


def _index_report_lines(index: dict, frame: pd.DataFrame, source: str, label: str, reg: countries.Registry) -> list[Problem]:
    """Add the report lines of ``frame`` to ``index`` under ("ccode", ccode, year, month) and ("code", place, year,
    month); subtotal lines are left out.  A Problem when a line's services do not add up to its total."""
    problems: list[Problem] = []
    dates = tf.dates(frame, label, problems)
    nums = tf.numbers(frame, list(REPORT_AD), label, problems)
    codes = tf.resolve(frame, dates["year"], label, problems, reg)
    if problems:
        return problems
    for line in frame.index:
        location = frame.at[line, "Location"].strip()
        year, month = int(dates.at[line, "year"]), int(dates.at[line, "month"])
        counts = {c: nums.at[line, c] for c in REPORT_AD}
        if re.search(SUBTOTAL_LOCATION, location):  # never a place; kept to recognise Kane figures that are subtotals
            index[("subtotal", codes[line], year, month)] = dict(counts, locations=location)
            continue
        if sum(0 if pd.isna(counts[c]) else counts[c] for c in REPORT_AD if c != "troops_ad") != counts["troops_ad"]:
            problems.append(Problem(label, int(line), "troops_ad", "differs from the sum of army_ad, navy_ad, "
                                    "marine_corps_ad and air_force_ad: the line was not copied whole"))
            continue
        rec = dict(counts, locations=location, report_source=source)
        rec.update({"Coast Guard Active Duty": pd.NA, "Space Force Active Duty": pd.NA})
        for key in (("ccode", frame.at[line, "ccode"].strip(), year, month), ("code", codes[line], year, month)):
            index.setdefault(key, []).append(rec)
    return problems


def report_lines(master: pd.DataFrame, lines: pd.DataFrame, reg: countries.Registry) -> tuple[dict, list[Problem]]:
    """Rule 13: the DMDC report lines of REPORT_LINE_YEARS, from the development version's raw report rows and the
    troopdata 1.1.0 ``lines`` of SECOND_LOCATIONS_FILE.  A Problem when a 1.1.0 line is in the development version's
    rows (then it must go from the corrections) or is not of REPORT_LINE_YEARS."""
    problems: list[Problem] = []
    years = pd.to_numeric(master["year"], errors="coerce")
    master = master[years.isin(list(REPORT_LINE_YEARS))]

    def key(cc, y, m, loc):
        return cc.strip(), str(y).strip(), str(m).strip().capitalize(), loc.strip().upper()

    have = {key(*k) for k in zip(master["ccode"], master["year"], master["month"], master["Location"])}
    for line, k in zip(lines.index, zip(lines["ccode"], lines["year"], lines["month"], lines["Location"])):
        if key(*k) in have:
            problems.append(Problem(SECOND_LOCATIONS_LABEL, int(line), "Location", f"{k[3]!r} ({k[2]} {k[1]}) is in "
                                    f"{MASTER_REPORTS_FILE} now: remove it from the corrections"))
    if problems:
        return {}, problems
    index: dict = {}
    problems += _index_report_lines(index, master, MASTER_SOURCE, MASTER_REPORTS_FILE, reg)
    problems += _index_report_lines(index, lines, SECOND_LOCATIONS_SOURCE, SECOND_LOCATIONS_LABEL, reg)
    return index, problems
