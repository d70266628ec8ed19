"""The Streamlit-free preparation layer: what a view computes from the tables for one parameter set (counts,
labels, the words that explain a figure). The app's pages call it; tests call it directly. No Streamlit here."""
from __future__ import annotations

import pandas as pd

import i18n
from charts.common import MEASURE_LABELS, PROVENANCE_LABELS

# troops_annual's measures, in the order the app offers them
MEASURES = ("active_duty", "army", "navy", "marine_corps", "air_force", "space_force", "coast_guard",
            "reserve", "civilian")
# "at least one {what} person": the measure as an adjective or a noun phrase, per language
MEASURE_PEOPLE = {"active_duty": i18n.N_("active-duty person"), "army": i18n.N_("Army person"),
                  "navy": i18n.N_("Navy person"), "marine_corps": i18n.N_("Marine Corps person"),
                  "air_force": i18n.N_("Air Force person"), "space_force": i18n.N_("Space Force person"),
                  "coast_guard": i18n.N_("Coast Guard person"), "reserve": i18n.N_("reserve or National Guard person"),
                  "civilian": i18n.N_("DoD civilian")}


def hosts_note(this_year: pd.DataFrame, measure: str, year: int, lang: str = "en") -> str:
    """Why the host count differs from the number of places the year's reports list: places listed with zero, or
    with no figure for this measure, are listed but not hosts. Says which kind of source the figures come from."""
    _ = i18n.gettext_for(lang)
    n = lambda v: i18n.num(v, lang)  # noqa: E731
    listed = len(this_year)
    hosts = int((this_year[measure].fillna(0) > 0).sum())
    zero = int((this_year[measure] == 0).sum())
    missing = int(this_year[measure].isna().sum())
    who = _(MEASURE_PEOPLE.get(measure, MEASURE_LABELS.get(measure, measure)))
    text = _("{hosts} of the {listed} places listed for {year} have at least one {who}").format(
        hosts=n(hosts), listed=n(listed), year=year, who=who)
    rest = []
    if zero:
        ngettext = i18n.ngettext_for(lang)
        rest.append(ngettext("{n} listed with zero", "{n} listed with zero", zero).format(n=n(zero)))
    if missing:
        rest.append(_("{n} with no figure for this measure").format(n=n(missing)))
    text += (" (" + "; ".join(rest) + ")") if rest else ""
    mix = this_year["provenance"].value_counts()
    kinds = ", ".join(_(PROVENANCE_LABELS.get(k, k)) + (
        " (" + (_("1 place") if v == 1 else _("{n} places").format(n=n(v))) + ")" if len(mix) > 1 else "")
        for k, v in mix.items())
    return _("{text}. Figures from: {kinds}.").format(text=text, kinds=kinds)


def report_mix(year_rows: pd.DataFrame, year: int, lang: str = "en") -> str:
    """Which reports a year's figures come from, in words: the annual method takes each place's September
    report (DMDC's fiscal-year-end snapshot) and, for a place that report does not list, its latest report of
    the year; so one year's total can mix report dates, and this says how many places come from each."""
    _ = i18n.gettext_for(lang)
    n = lambda v: i18n.num(v, lang)  # noqa: E731
    rep = lambda r: i18n.report_text(r, lang)  # noqa: E731
    counts = year_rows["report"].dropna().astype(str).value_counts()
    if counts.empty:
        return _("no report date recorded")
    main = f"September {year}"
    if len(counts) == 1:
        return _("every place from the {report} report").format(report=rep(counts.index[0]))
    if main in counts.index:
        others = counts.drop(main)
        return _("the {report} report for {n} places; for {m} places it does not list, their latest report that "
                 "year ({list})").format(report=rep(main), n=n(int(counts[main])), m=n(int(others.sum())),
                                         list=", ".join(f"{rep(k)}: {n(int(v))}" for k, v in others.items()))
    return _("each place's latest report that year ({list})").format(
        list=", ".join(f"{rep(k)}: {n(int(v))}" for k, v in counts.items()))


def timeline_title(n_items: int, n_shown: int, y_from: int, y_to: int, lang: str = "en") -> str:
    """One count with one meaning: items are single deployments, exercises or events (a row can hold several)."""
    _ = i18n.gettext_for(lang)
    if n_shown < n_items:
        return _("{shown} of {n} items, {first}-{last}").format(shown=i18n.num(n_shown, lang), n=i18n.num(n_items, lang),
                                                               first=y_from, last=y_to)
    return _("{n} items, {first}-{last}").format(n=i18n.num(n_items, lang), first=y_from, last=y_to)
