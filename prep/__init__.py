"""The Streamlit-free preparation layer: what a view computes from the tables for one parameter set (counts,
labels, the words that explain a figure). The app's pages call it; tests call it directly. No Streamlit here."""
from __future__ import annotations

import pandas as pd

from charts.common import MEASURE_LABELS, PROVENANCE_LABELS


def hosts_note(this_year: pd.DataFrame, measure: str, year: int) -> str:
    """Why the host count differs from the number of places the year's reports list: places listed with zero, or
    with no figure for this measure, are listed but not hosts. Says which kind of source the figures come from."""
    listed = len(this_year)
    hosts = int((this_year[measure].fillna(0) > 0).sum())
    zero = int((this_year[measure] == 0).sum())
    missing = int(this_year[measure].isna().sum())
    what = MEASURE_LABELS.get(measure, measure).lower() if measure != "active_duty" else "active-duty"
    text = f"{hosts:,} of the {listed:,} places listed for {year} have at least one {what} person"
    rest = []
    if zero:
        rest.append(f"{zero:,} listed with zero")
    if missing:
        rest.append(f"{missing:,} with no figure for this measure")
    text += (" (" + "; ".join(rest) + ")") if rest else ""
    mix = this_year["provenance"].value_counts()
    kinds = ", ".join(f"{PROVENANCE_LABELS.get(k, k)}" + (f" ({v:,} place{'s' if v != 1 else ''})" if len(mix) > 1 else "")
                      for k, v in mix.items())
    return f"{text}. Figures from: {kinds}."


def report_mix(year_rows: pd.DataFrame, year: int) -> str:
    """Which reports a year's figures come from, in words: the annual method takes each place's September
    report (DMDC's fiscal-year-end snapshot) and, for a place that report does not list, its latest report of
    the year; so one year's total can mix report dates, and this says how many places come from each."""
    counts = year_rows["report"].dropna().astype(str).value_counts()
    if counts.empty:
        return "no report date recorded"
    main = f"September {year}"
    if len(counts) == 1:
        return f"every place from the {counts.index[0]} report"
    if main in counts.index:
        others = counts.drop(main)
        return (f"the {main} report for {int(counts[main]):,} places; for {int(others.sum()):,} places it does not "
                "list, their latest report that year (" + ", ".join(f"{k}: {int(v):,}" for k, v in others.items()) + ")")
    return "each place's latest report that year (" + ", ".join(f"{k}: {int(v):,}" for k, v in counts.items()) + ")"


def timeline_title(n_items: int, n_shown: int, y_from: int, y_to: int) -> str:
    """One count with one meaning: items are single deployments, exercises or events (a row can hold several)."""
    if n_shown < n_items:
        return f"{n_shown:,} of {n_items:,} items, {y_from}-{y_to}"
    return f"{n_items:,} items, {y_from}-{y_to}"
