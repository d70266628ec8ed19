"""Text alternatives of the charts: one sentence, computed from the chart's own rows, that says what the chart
shows in the words its kind calls for (a map: the year, the number of places and the largest host; a series: the
years covered and the peak; a budget: the latest value and the change from the year before). The views show it as
a caption under the chart, which screen readers read in the page's order (a plotly SVG has no text alternative of
its own), and a sighted reader can read too. Streamlit-free; missing values are left out, never read as zero."""
from __future__ import annotations

import pandas as pd

import i18n


def _clean(frame: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    return frame[[x, y]].dropna().astype({x: int, y: float}).sort_values(x)


def map_summary(hosts: pd.DataFrame, year: int, lang: str = "en", name: str = "name", value: str = "value") -> str:
    """A year's map of troops by host: ``hosts`` has one row per place with its ``name`` (in ``lang``) and its
    ``value`` (missing = no figure, not counted)."""
    _ = i18n.gettext_for(lang)
    shown = hosts[hosts[value].notna() & (hosts[value] > 0)]
    if shown.empty:
        return _("Map of {year}: no place has a reported figure.").format(year=year)
    top = shown.sort_values(value, ascending=False).iloc[0]
    return _("Map of {year}: {n} places with US troops reported; the largest host is {name} with {value}.").format(
        year=year, n=i18n.num(len(shown), lang), name=top[name], value=i18n.num(top[value], lang))


def series_summary(frame: pd.DataFrame, what: str, lang: str = "en", x: str = "year", y: str = "value") -> str:
    """A series over the years (summed per year when ``frame`` has several rows a year): its range and its peak.
    ``what`` names the series (in ``lang``)."""
    _ = i18n.gettext_for(lang)
    rows = _clean(frame, x, y)
    if rows.empty:
        return _("{what}: no figure to show.").format(what=what)
    per_year = rows.groupby(x)[y].sum()
    peak_year = int(per_year.idxmax())
    return _("{what}, {first}-{last}: highest in {peak_year} with {peak}; {last_value} in {last}.").format(
        what=what, first=int(per_year.index[0]), last=int(per_year.index[-1]), peak_year=peak_year,
        peak=i18n.num(per_year.loc[peak_year], lang), last_value=i18n.num(per_year.iloc[-1], lang))


def budget_summary(frame: pd.DataFrame, what: str, unit: str, lang: str = "en", x: str = "fiscal_year",
                   y: str = "value", digits: int = 1) -> str:
    """A budget over the fiscal years (summed per year over its parts): the latest year's value and the change from
    the year before. ``unit`` is a format with ``{value}`` (e.g. "US${value} billion", in ``lang``)."""
    _ = i18n.gettext_for(lang)
    per_year = _clean(frame, x, y).groupby(x)[y].sum()
    if per_year.empty:
        return _("{what}: no figure to show.").format(what=what)
    last, value = int(per_year.index[-1]), per_year.iloc[-1]
    text = _("{what}: {value} in fiscal year {year}").format(
        what=what, value=unit.format(value=i18n.num(value, lang, digits)), year=last)
    if len(per_year) > 1 and per_year.iloc[-2]:
        prev = per_year.iloc[-2]
        change = (value - prev) / abs(prev) * 100
        text += _(", {change} from fiscal year {year}").format(
            change=("+" if change >= 0 else "") + i18n.num(change, lang, 1) + "%", year=int(per_year.index[-2]))
    return text + "."


def map_table(this_year: pd.DataFrame, measure: str, lang: str = "en") -> pd.DataFrame:
    """A year's map as a table: every place with a figure for ``measure``, largest first, names in ``lang``."""
    _ = i18n.gettext_for(lang)
    rows = this_year[this_year[measure].notna()].sort_values(measure, ascending=False)
    return pd.DataFrame({_("Place"): [i18n.country(c, n, lang) for c, n in zip(rows["iso3"], rows["name"])],
                         _("Troops"): rows[measure].astype("Int64").to_numpy()})


def map_alt(this_year: pd.DataFrame, measure: str, year: int, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """The single-year map's summary and table."""
    _ = i18n.gettext_for(lang)
    table = map_table(this_year, measure, lang)
    return map_summary(table, year, lang, name=_("Place"), value=_("Troops")), table


def series_table(frame: pd.DataFrame, lang: str = "en", x: str = "year", y: str = "value",
                 by: str | None = None) -> pd.DataFrame:
    """A series as a table: one row per year (and per ``by``, e.g. the region), missing figures kept as missing."""
    _ = i18n.gettext_for(lang)
    cols = {x: _("Year")} | ({by: _("Series")} if by else {}) | {y: _("Value")}
    return frame[list(cols)].sort_values([x] + ([by] if by else [])).rename(columns=cols).reset_index(drop=True)


def multi_series_summary(frame: pd.DataFrame, what: str, by: str, lang: str = "en", x: str = "year",
                         y: str = "value") -> str:
    """Several series on one chart (regions, chosen countries): the years covered and the highest point of all."""
    _ = i18n.gettext_for(lang)
    rows = frame[[x, by, y]].dropna()
    if rows.empty:
        return _("{what}: no figure to show.").format(what=what)
    top = rows.sort_values([y, x], ascending=[False, True]).iloc[0]
    return _("{what}, {first}-{last}, {n} series: the highest figure is {name} with {peak} in {peak_year}.").format(
        what=what, first=int(rows[x].min()), last=int(rows[x].max()), n=i18n.num(rows[by].nunique(), lang),
        name=top[by], peak=i18n.num(top[y], lang), peak_year=int(top[x]))


def troops_alt(series_df: pd.DataFrame, view: str, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """Troops abroad over time (prep.views.troops_over_time's ``series_df`` for ``view``): summary and table."""
    _ = i18n.gettext_for(lang)
    what = _("Active-duty troops abroad")
    if view == "total":
        return series_summary(series_df, what, lang), series_table(series_df, lang)
    if view == "region":
        shown = series_df.assign(region=series_df["region"].map(_))
        by = "region"
    else:
        shown = series_df.assign(name=[i18n.country(c, n, lang) for c, n in zip(series_df["iso3"], series_df["name"])])
        by = "name"
    return multi_series_summary(shown, what, by, lang), series_table(shown, lang, by=by)


def budget_table(frame: pd.DataFrame, lang: str = "en", by: str = "label", x: str = "fiscal_year",
                 y: str = "value") -> pd.DataFrame:
    _ = i18n.gettext_for(lang)
    cols = {x: _("Fiscal year"), by: _("Series"), y: _("Value")}
    return frame[list(cols)].sort_values([x, by]).rename(columns=cols).reset_index(drop=True)


def omb_alt(shown: pd.DataFrame, unit: str, unit_label: str, lang: str = "en") -> str:
    """The outlays chart (``shown``: OMB rows of one unit, one or more series that may overlap): the latest actual
    figure of its first series and the change from the year before (OMB's estimates are left out)."""
    _ = i18n.gettext_for(lang)
    actual = shown[~shown["is_estimate"].fillna(False).astype(bool)]
    if actual.empty:
        return _("{what}: no figure to show.").format(what=unit_label)
    series = actual.sort_values("fiscal_year")["series"].iloc[0]
    rows = actual[actual["series"] == series]
    what = _("{series}, {unit}").format(series=_(str(rows["label"].iloc[0])), unit=i18n.mid_sentence(unit_label))
    if unit.startswith("pct"):
        return budget_summary(rows, what, "{value}%", lang)
    scale = 1000 if unit.startswith("usd_m") else 1
    return budget_summary(rows.assign(value=rows["value"] / scale), what, _("${value} billion"), lang)


def gb_alt(sel: pd.DataFrame, dollars_label: str, lang: str = "en") -> str:
    """Green Book budget authority (``sel``: its parts per fiscal year, in US$ million, which add up to the total):
    the latest actual total and the change from the year before."""
    _ = i18n.gettext_for(lang)
    actual = sel[sel["status"] == "actual"]
    return budget_summary(actual.assign(value=actual["value_usd_m"] / 1000),
                          _("DoD budget authority, {dollars}").format(dollars=i18n.mid_sentence(dollars_label)),
                          _("${value} billion"), lang)


def ranked_summary(frame: pd.DataFrame, what: str, lang: str = "en", name: str = "country", value: str = "value",
                   unit: str = "{value}", digits: int = 1) -> str:
    """Bars ranking places (SIPRI's countries): how many have a figure and the highest."""
    _ = i18n.gettext_for(lang)
    rows = frame[frame[value].notna()]
    if rows.empty:
        return _("{what}: no figure to show.").format(what=what)
    top = rows.sort_values(value, ascending=False).iloc[0]
    return _("{what}: {n} countries with a figure; the highest is {name} with {value}.").format(
        what=what, n=i18n.num(len(rows), lang), name=top[name], value=unit.format(value=i18n.num(top[value], lang, digits)))


def timeline_summary(items: pd.DataFrame, what: str, lang: str = "en") -> str:
    """A timeline of deployments, exercises and events (prep.timeline's items): how many and the years covered."""
    _ = i18n.gettext_for(lang)
    if items.empty:
        return _("{what}: no figure to show.").format(what=what)
    first = int(pd.to_datetime(items["start"]).dt.year.min())
    last = int(pd.to_datetime(items["end"].fillna(items["start"])).dt.year.max())
    return _("{what}: {n} items from {first} to {last}.").format(what=what, n=i18n.num(len(items), lang),
                                                                 first=first, last=last)


def sipri_alt(sel: pd.DataFrame, metric: str, measure_label: str, year: int, lang: str = "en") -> str:
    """SIPRI's bars for one year and measure (``sel``: its rows, values in US$ million or percent of GDP)."""
    from .views import our_names

    _ = i18n.gettext_for(lang)
    rows = our_names(sel, lang)
    what = _("{measure}, {year}").format(measure=measure_label, year=year)
    if metric.endswith("pct"):
        return ranked_summary(rows, what, lang, unit="{value}%")
    return ranked_summary(rows.assign(value=rows["value"] / 1000), what, lang, unit=_("${value} billion"))


def animation_alt(abroad_rows: pd.DataFrame, measure: str, lang: str = "en") -> str:
    """The animated world map (every year): the years it plays through and the year with the most troops abroad."""
    _ = i18n.gettext_for(lang)
    totals = abroad_rows.groupby("year")[measure].sum(min_count=1).reset_index(name="value")
    return series_summary(totals, _("Animated map of US troops abroad, total per year"), lang)


def fy2024_alt(items: list, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """The FY2024 bars (``items``: prep.views.BudgetFigure, official and reported side by side): each figure with
    its amount, and which one is a reported estimate rather than an official figure; the same rows as a table."""
    from charts.common import fmt_money_m

    _ = i18n.gettext_for(lang)
    if not items:
        return _("{what}: no figure to show.").format(what=_("FY2024")), pd.DataFrame()
    parts = [_("{label}: {value}").format(label=it.label, value=fmt_money_m(it.value_usd_m, lang)) for it in items]
    reported = [it.label for it in items if it.kind == "reported"]
    text = _("FY2024, side by side: {parts}.").format(parts="; ".join(parts))
    if reported:
        text += " " + _("{label} is a reported estimate, not an official figure.").format(label=reported[0])
    table = pd.DataFrame({_("Figure"): [it.label for it in items],
                          _("US$ million"): [it.value_usd_m for it in items],
                          _("Kind"): [_("official") if it.kind != "reported" else _("reported estimate")
                                      for it in items]})
    return text, table


def places_alt(bases: pd.DataFrame, places: pd.DataFrame, country: str, lang: str = "en") -> str:
    """A country's map of base sites and reported places: how many of each are drawn (sites without coordinates
    are not)."""
    _ = i18n.gettext_for(lang)
    drawn = int(bases["lat"].notna().sum()) if len(bases) and "lat" in bases else 0
    located = int(places["lat"].notna().sum()) if len(places) and "lat" in places else 0
    return _("{country}: {sites} base sites (David Vine's list) and {places} places of reported records on the "
             "map.").format(country=country, sites=i18n.num(drawn, lang), places=i18n.num(located, lang))


# ------------------------------------------------------------------ the tables behind the other charts ---
# Each is the chart's own rows, in the reader's language (names, kinds, dates), numbers left as numbers for the
# page's table to format per language; a missing figure or date stays missing (the table shows "not reported").


def animation_table(abroad_rows: pd.DataFrame, measure: str, lang: str = "en") -> pd.DataFrame:
    """The animated world map as a table: one row per year it plays, with the year's total abroad, its largest
    host and that host's figure. Why this and not the map's figures: every place in every year is about 76 years x
    150 places, rows no one can read through with a screen reader; one row per year keeps what the animation shows
    (how the total moves and where most troops are) and each year is one line to jump to. The single-year map (the
    animation off) has every place of its year in its table. A year without any figure has its row, missing."""
    from charts.common import MEASURE_LABELS

    _ = i18n.gettext_for(lang)
    what = (_("Troops abroad") if measure == "active_duty"
            else _("{measure} personnel abroad").format(measure=_(MEASURE_LABELS.get(measure, measure))))
    rows = abroad_rows[["year", "iso3", "name", measure]]
    years = sorted(rows["year"].dropna().astype(int).unique().tolist())
    totals = rows.groupby("year")[measure].sum(min_count=1)
    known = rows[rows[measure].notna() & (rows[measure] > 0)]
    top = (known.sort_values([measure, "name"], ascending=[False, True]).drop_duplicates("year")
           .set_index("year"))
    host = [i18n.country(top.at[y, "iso3"], top.at[y, "name"], lang) if y in top.index else None for y in years]
    return pd.DataFrame({_("Year"): years,
                         what: pd.array([totals.get(y) for y in years], dtype="Int64"),
                         _("Largest host"): pd.array(host, dtype="str"),
                         _("Its figure"): pd.array([top.at[y, measure] if y in top.index else None for y in years],
                                                   dtype="Int64")})


def sipri_table(sel: pd.DataFrame, metric: str, lang: str = "en") -> pd.DataFrame:
    """SIPRI's bars for one year and measure (``sel``: its rows) as a table: every country, largest first, the
    figure in SIPRI's unit (US$ million, whole millions: the bars read in billions, the CSV has SIPRI's decimals;
    or percent of GDP); a country without a figure is listed last, missing."""
    from .views import our_names

    _ = i18n.gettext_for(lang)
    rows = our_names(sel, lang).sort_values("value", ascending=False, na_position="last")
    values = rows["value"].astype("Float64")
    if metric.endswith("pct"):
        unit = _("Share of GDP (%)")
    else:
        unit = _("US$ million, constant 2023") if "constant" in metric else _("US$ million, current")
        values = values.round(0)
    return pd.DataFrame({_("Country"): rows["country"].to_numpy(), unit: values.to_numpy()})


def _month(value, lang: str) -> str | None:
    return (i18n.month_year(value, lang, short=False) or None) if pd.notna(value) else None


def timeline_table(items: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A timeline's drawn items (prep.timeline: When's items, or a country's) as a table in date order: the name,
    its kind as the legend says it, its place (When's items), its start and end month (an item without an end
    date has it missing)."""
    from charts.timeline import KIND_LABELS

    _ = i18n.gettext_for(lang)
    rows = items.sort_values(["start", "row"])
    out = {_("Name"): rows["row"].astype(str).to_numpy(),
           _("Kind"): [_(KIND_LABELS[k]) if k in KIND_LABELS else k for k in rows["kind"]]}
    if "iso3" in rows.columns:
        from .timeline import place_name
        out[_("Place")] = pd.array([place_name(c, lang) or None for c in rows["iso3"].fillna("")], dtype="str")
    out[_("Start")] = pd.array([_month(v, lang) for v in rows["start"]], dtype="str")
    out[_("End")] = pd.array([_month(v, lang) for v in rows["end"]], dtype="str")
    return pd.DataFrame(out)


def places_table(bases: pd.DataFrame, places: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A country's map of base sites and reported places as a table: the points it draws (those with
    coordinates), base sites first by kind and name, then each record's places; "Listed in" says where the point
    comes from (David Vine's list, or the reported record)."""
    from charts.common import BASE_LABELS

    _ = i18n.gettext_for(lang)
    b = bases.dropna(subset=["lat", "lon"]).sort_values(["type", "name"]) if len(bases) else bases.iloc[0:0]
    p = places.dropna(subset=["lat", "lon"]) if len(places) else places.iloc[0:0]
    kinds = [_(BASE_LABELS.get(k, k)) for k in b["type"]] + [_("Reported deployment place")] * len(p)
    return pd.DataFrame({_("Kind"): kinds,
                         _("Place"): [str(n) for n in b["name"]] + [str(n) for n in p["name"]],
                         _("Listed in"): [_("David Vine's list")] * len(b) + [str(d) for d in p["deployment"]]})
