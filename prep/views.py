"""What the views compute for one parameter set, from DataFrames, with no Streamlit: the year's table and map, the
animated map, troops over time, the budget charts and a country's troop history, in the reader's language
(``lang``: a code of ``i18n.LANGS``; titles, column headers, country names, report dates and labels translated).

These are the only definitions: the app's pages call them (each through its per-process cache, ``data.memo``,
keyed by the tables' file stamps) and so does the static snapshot (export/snapshot.py), so a figure cannot differ
between them. tests/test_export_views.py compares them with the figures the app shows, in both languages.

Where a page caches an intermediate frame (the rows abroad with map codes, OMB's table with one row per series and
year, SIPRI's table with our country names), the function takes that frame, so a page builds it once and the
snapshot builds it with the same function (:func:`abroad`, :func:`omb_prepared`, :func:`our_names`).

Frames passed in are never modified (pandas copy-on-write; every function derives new frames).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

import i18n

# charts.maps, charts.timeline and charts.budget are imported where used: a page imports only the builders its
# own figures need (a view's first run in a new process pays for no other view's imports)
from charts.common import PROVENANCE_LABELS
from i18n import N_

from . import MEASURES, hosts_note
from .places import entity, unique_labels, with_map_codes  # noqa: F401  (part of this module's interface)

DOWNLOAD_COLS = ["iso3", "name", "region", "year", "date", "report", "provenance", "source_id", "method"]
# Option labels (the English names, also the link's values; shown translated) -> the tables' codes
OMB_UNITS = {N_("Current dollars"): "usd_m_current", N_("Constant FY2017 dollars"): "usd_b_constant_fy2017",
             N_("Percent of GDP"): "pct_gdp"}
GB_BREAKDOWNS = {N_("By title"): "title", N_("By department"): "military_department"}
GB_DOLLARS = {N_("Current dollars"): "current", N_("Constant FY2022 dollars"): "constant_fy2022"}
SIPRI_METRICS = {N_("Current dollars"): "current_usd_m", N_("Constant 2023 dollars"): "constant_2023_usd_m",
                 N_("Share of GDP"): "share_of_gdp_pct"}
TROOP_VIEWS = {N_("Total"): "total", N_("By region"): "region", N_("Countries"): "countries"}
WARS_NOTE = N_("Shaded: the largest US wars (Korea 1950-53, Vietnam 1965-73, Gulf 1990-91, Afghanistan 2001-21, "
               "Iraq 2003-11)")


@dataclass(frozen=True)
class YearFigures:
    """One year's figures for one measure (:func:`troops_abroad_year`): the year's rows, the number of hosts,
    the total (None: no figure), the rows with a figure (the download) and their sources, the note on hosts, the
    all-services total beside one service (None for active duty), the 15 largest hosts (headers and cells in the
    reader's language) and their sources."""
    this_year: pd.DataFrame
    hosts: int
    total: int | None
    shown: pd.DataFrame
    shown_sources: list[str]
    hosts_note: str
    all_services: int | None
    top: pd.DataFrame
    top_sources: list[str]


@dataclass(frozen=True)
class TroopSeries:
    """Troops abroad over time: the download (English names), the figure, the annual method, the sources."""
    series_df: pd.DataFrame
    fig: object
    methods: str
    sources: object


@dataclass(frozen=True)
class OmbPrepared:
    """budget_omb with each series once (:func:`omb_prepared`), the series on offer and their labels."""
    omb: pd.DataFrame
    series_options: list[str]
    series_labels: dict[str, str]


@dataclass(frozen=True)
class OmbView:
    """The outlays chart: ``shown`` (the download) and, when not empty, the figure, the first and last fiscal
    year, the first and last estimate year (or None) and the sources."""
    shown: pd.DataFrame
    fig: object = None
    first: int | None = None
    last: int | None = None
    est: tuple[int, int] | None = None
    sources: object = ()


@dataclass(frozen=True)
class GreenBookView:
    """Green Book budget authority: ``sel`` (the download, English category names) and, when not empty, the
    figure, the years not yet actual (text), the first and last fiscal year and the sources."""
    sel: pd.DataFrame
    fig: object = None
    statuses: str = ""
    first: int | None = None
    last: int | None = None
    sources: object = ()


@dataclass(frozen=True)
class SipriView:
    """The SIPRI bars for one year and measure: the year's rows and the figure (None: no figure that year)."""
    sel: pd.DataFrame
    fig: object = None


@dataclass(frozen=True)
class BudgetFigure:
    """One FY2024 figure: official (OMB) or reported (a claim with its attribution), in millions of dollars."""
    label: str
    value_usd_m: float
    kind: str
    note: str
    attributed_to: str
    claim: str
    source_id: str


@dataclass(frozen=True)
class Fy2024:
    items: list[BudgetFigure]
    frame: pd.DataFrame
    fig: object


@dataclass(frozen=True)
class CountryHistory:
    """One place's troop history: its rows (the download), whether any has an active-duty figure and, when one
    has, the latest and the peak row, the figure and the annual method."""
    hist: pd.DataFrame
    has: bool
    latest: pd.Series | None = None
    peak: pd.Series | None = None
    fig: object = None
    methods: str = ""


# ---------------------------------------------------------------------------------------------- places ---

def abroad(annual: pd.DataFrame) -> pd.DataFrame:
    """troops_annual's rows abroad, with map codes: what the Where functions below take."""
    if "map_iso3" not in annual.columns:
        annual = with_map_codes(annual)
    return annual[annual["scope"] == "abroad"]


def methods(annual: pd.DataFrame) -> str:
    """The annual method in words (the first two distinct texts), as every troop caption gives it (English, as
    the data writes it; a page shows it through ``_``)."""
    return "; ".join(m.rstrip(". ") for m in annual["method"].dropna().astype(str).unique()[:2])


def abroad_countries(annual: pd.DataFrame) -> dict[str, str]:
    """Every place abroad in troops_annual: code -> a unique label (its name; with the code where two share
    a name), ordered by name."""
    ab = annual[annual["scope"] == "abroad"]
    return unique_labels(dict(sorted(zip(ab["iso3"], ab["name"]), key=lambda kv: str(kv[1]))))


def years_and_measures(annual: pd.DataFrame) -> tuple[list[int], list[str]]:
    """The years on the map and the measures with any figure."""
    years = sorted(annual["year"].dropna().astype(int).unique().tolist())
    measures = [m for m in MEASURES if m in annual.columns and annual[m].notna().any()]
    return years, measures


# --------------------------------------------------------------------------------------------- Where ---

def troops_abroad_year(abroad_rows: pd.DataFrame, year: int, measure: str, lang: str = "en") -> YearFigures:
    """One year's figures for one measure, from :func:`abroad`'s rows."""
    _ = i18n.gettext_for(lang)
    this_year = abroad_rows[abroad_rows["year"] == year]
    hosts = this_year[this_year[measure].fillna(0) > 0]
    total = int(this_year[measure].sum(skipna=True)) if this_year[measure].notna().any() else None
    shown = this_year[this_year[measure].notna()]
    top15 = hosts.sort_values(measure, ascending=False).head(15)
    top = (top15
           .assign(troops=lambda f: f[measure].astype("Int64"),
                   name=[i18n.country(c, n, lang) for c, n in zip(top15["iso3"], top15["name"])],
                   report=top15["report"].map(lambda r: i18n.report_text(r, lang)).astype("str"),
                   provenance=lambda f: f["provenance"].map(lambda p: _(PROVENANCE_LABELS.get(p, p))).astype("str"))
           [["name", "troops", "report", "provenance"]].rename(columns={"name": _("Host"), "troops": _("Troops"),
                                                                         "report": _("Report"), "provenance": _("Kind")}))
    cols = DOWNLOAD_COLS[:7] + [measure] + DOWNLOAD_COLS[7:]
    all_services = (int(this_year["active_duty"].sum(skipna=True))
                    if measure != "active_duty" and this_year["active_duty"].notna().any() else None)
    return YearFigures(this_year=this_year, hosts=len(hosts), total=total, shown=shown[cols],
                       shown_sources=list(shown["source_id"].unique()),
                       hosts_note=hosts_note(this_year, measure, year, lang), all_services=all_services, top=top,
                       top_sources=list(top15["source_id"].unique()))


def year_map(this_year: pd.DataFrame, year: int, measure: str, log: bool = False, lang: str = "en", bases=None,
             deployments=None, exercises=None):
    """The single-year world map of ``this_year`` (:func:`troops_abroad_year`'s rows), with the layers given."""
    from charts import maps

    _ = i18n.gettext_for(lang)
    return maps.troop_map(this_year, measure, log, title=_("US troops abroad, {year}").format(year=year),
                          bases=bases, deployments=deployments, exercises=exercises, lang=lang)


def peak(abroad_rows: pd.DataFrame, measure: str) -> tuple[int, int] | None:
    """The year with the most personnel abroad for ``measure`` and that total (for the animation's side panel)."""
    totals = abroad_rows.groupby("year")[measure].sum(min_count=1).dropna()
    if totals.empty:
        return None
    y = int(totals.idxmax())
    return y, int(totals.loc[y])


def all_years(annual: pd.DataFrame, measure: str) -> tuple[pd.DataFrame, list[str]]:
    """Every year's rows abroad with a figure for ``measure`` (the animation's download) and their sources;
    ``annual`` is troops_annual or its rows abroad."""
    ab = abroad(annual)
    shown = ab[ab[measure].notna()]
    cols = DOWNLOAD_COLS[:7] + [measure] + DOWNLOAD_COLS[7:]
    return shown[cols], list(shown["source_id"].unique())


def troop_animation(annual: pd.DataFrame, measure: str = "active_duty", log: bool = False, lang: str = "en",
                    per_year: bool = False):
    """The world map with every year on a slider (where.py ``_animation`` with its title), in ``lang``;
    ``per_year``: each year coloured on its own scale (charts.maps.troop_animation)."""
    from charts import maps

    years, _ = years_and_measures(annual)
    title = i18n.gettext_for(lang)("US troops abroad, {first}-{last}").format(first=years[0], last=years[-1])
    return maps.troop_animation(abroad(annual), measure, log, title=title, lang=lang, per_year=per_year)


# ---------------------------------------------------------------------------------------------- When ---

def troops_over_time(annual: pd.DataFrame, view: str, chosen: tuple[str, ...] = (), lang: str = "en") -> TroopSeries:
    """Troops abroad over time: ``view`` is "total", "region" or "countries" (with the ``chosen`` ISO codes); the
    figure in ``lang``, the download with English names."""
    from charts import timeline as tl

    _ = i18n.gettext_for(lang)
    ab = annual[annual["scope"] == "abroad"]
    if view == "total":
        series_df = ab.groupby("year", as_index=False).agg(value=("active_duty", "sum"),
                                                           hosts=("active_duty", lambda s: int((s.fillna(0) > 0).sum())))
        fig = tl.troops_over_time(series_df, None, title=_("Active-duty troops abroad"), lang=lang)
    elif view == "region":
        series_df = ab.groupby(["year", "region"], as_index=False).agg(value=("active_duty", "sum"))
        shown = series_df.assign(region=series_df["region"].map(_))
        fig = tl.troops_over_time(shown, "region", title=_("Active-duty troops abroad, by region"), stacked=True,
                                  lang=lang)
    else:
        sel = ab[ab["iso3"].isin(list(chosen))]
        series_df = sel[["year", "iso3", "name", "active_duty", "report", "provenance"]].rename(columns={"active_duty": "value"})
        shown = series_df.assign(name=[i18n.country(c, n, lang) for c, n in zip(series_df["iso3"], series_df["name"])])
        fig = tl.troops_over_time(shown, "name", title=_("Active-duty troops, chosen countries"), lang=lang)
    return TroopSeries(series_df=series_df, fig=fig, methods=methods(annual), sources=ab["source_id"].unique())


# ---------------------------------------------------------------------------------------------- Cost ---

def omb_prepared(omb: pd.DataFrame) -> OmbPrepared:
    """budget_omb with each series taken from its first OMB table (the same series can come from several: 3.1,
    3.2, 6.1), the series on offer and their labels. :func:`omb_view` and :func:`fy2024` take its ``omb``."""
    omb = omb.sort_values(["omb_table", "fiscal_year"]).drop_duplicates(["series", "unit", "fiscal_year"], keep="first")
    return OmbPrepared(omb=omb, series_options=sorted(omb["series"].dropna().unique().tolist()),
                       series_labels={s: l for s, l in zip(omb["series"], omb["label"])})


def omb_view(omb: pd.DataFrame, unit: str, parts: tuple[str, ...], unit_label: str, lang: str = "en") -> OmbView:
    """The outlays chart: ``omb`` is :func:`omb_prepared`'s ``omb``; ``unit`` one of OMB_UNITS' values,
    ``unit_label`` its key."""
    from charts import budget as bc

    _ = i18n.gettext_for(lang)
    shown = omb[(omb["series"].isin(list(parts))) & (omb["unit"] == unit)]
    if shown.empty:
        return OmbView(shown=shown)
    est = shown.loc[shown["is_estimate"].fillna(False).astype(bool), "fiscal_year"]
    return OmbView(shown=shown, fig=bc.omb_outlays(shown, unit, title=_("Outlays, {unit}").format(unit=i18n.mid_sentence(_(unit_label))),
                                                   lang=lang),
                   first=int(shown["fiscal_year"].min()), last=int(shown["fiscal_year"].max()),
                   est=(int(est.min()), int(est.max())) if len(est) else None, sources=shown["source_id"].unique())


def omb_note(ov: OmbView, lang: str = "en") -> str:
    """The outlays caption's note: the fiscal years, and which are OMB estimates."""
    _ = i18n.gettext_for(lang)
    note = _("Fiscal years {first}-{last}").format(first=ov.first, last=ov.last)
    if ov.est:
        note += "; " + _("{first}-{last} are OMB estimates (dashed)").format(first=ov.est[0], last=ov.est[1])
    return note


def gb_view(gb: pd.DataFrame, breakdown: str, dollars: str, gbd: str, lang: str = "en") -> GreenBookView:
    """Green Book budget authority: ``breakdown`` and ``dollars`` are GB_BREAKDOWNS' and GB_DOLLARS' values,
    ``gbd`` the dollars' label. ``sel`` (the download) keeps the English category names."""
    from charts import budget as bc
    from loaders.budget import CATEGORY_LABELS

    _ = i18n.gettext_for(lang)
    sel = gb[(gb["measure"] == "budget_authority") & (gb["breakdown"] == breakdown) & (gb["dollars"] == dollars)]
    if sel.empty:
        return GreenBookView(sel=sel)
    sel = sel.assign(category=sel["category"].map(lambda c: CATEGORY_LABELS.get(c, c)).astype("str"))
    fy = _("FY")  # "AF" in Spanish
    statuses = ", ".join(f"{fy}{int(y)} {_(s)}" for y, s in sel.loc[sel["status"] != "actual", ["fiscal_year", "status"]]
                         .drop_duplicates("fiscal_year").itertuples(index=False))
    shown = sel.assign(category=sel["category"].map(_).astype("str"))
    return GreenBookView(sel=sel, fig=bc.greenbook(shown, title=_("DoD budget authority, {dollars}").format(
                             dollars=i18n.mid_sentence(_(gbd))), lang=lang), statuses=statuses,
                         first=int(sel["fiscal_year"].min()), last=int(sel["fiscal_year"].max()),
                         sources=sel["source_id"].unique())


def gb_note(gv: GreenBookView, lang: str = "en") -> str:
    _ = i18n.gettext_for(lang)
    return _("Fiscal years {first}-{last}; hatched = not actual ({statuses})").format(
        first=gv.first, last=gv.last, statuses=gv.statuses or _("none"))


def our_names(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """SIPRI's country names replaced by the ones used everywhere else in the dashboard ("South Korea", not
    "Korea, South"), by ISO code, in ``lang``; SIPRI's own name is kept in ``sipri_country`` (and used where there
    is no code)."""
    codes = frame["iso3"].fillna("").astype(str) if "iso3" in frame.columns else pd.Series("", index=frame.index)
    ours = [i18n.country(c, entity(c)[0], lang) if c else n for c, n in zip(codes, frame["country"].astype(str))]
    return frame.assign(sipri_country=frame["country"], country=pd.array(ours, dtype="str"))


def sipri_view(sipri: pd.DataFrame, syear: int, metric: str, smetric: str, lang: str = "en") -> SipriView:
    """The SIPRI bars for one year and measure: ``sipri`` is :func:`our_names`' frame (in ``lang``); ``metric``
    one of SIPRI_METRICS' values, ``smetric`` its label. ``fig`` is None when the year has no figure."""
    from charts import budget as bc

    _ = i18n.gettext_for(lang)
    sel = sipri[(sipri["year"] == syear) & (sipri["metric"] == metric)]
    if sel["value"].notna().sum() == 0:
        return SipriView(sel=sel)
    return SipriView(sel=sel, fig=bc.sipri_bars(sipri, int(syear), metric,
                                                title=_("SIPRI {year}: {measure}").format(year=syear, measure=_(smetric)),
                                                lang=lang))


def sipri_note(sel: pd.DataFrame, lang: str = "en") -> str:
    from loaders.budget import SIPRI_ATTRIBUTION

    _ = i18n.gettext_for(lang)
    missing = sel[sel["value"].isna()]
    return (_(SIPRI_ATTRIBUTION) + ". " + _("Calendar years, SIPRI's definition (broader than OMB outlays)")
            + ("; " + _("no figure for: {countries}").format(countries=", ".join(missing["country"].astype(str)))
               if len(missing) else ""))


def sipri_latest_year(sipri: pd.DataFrame) -> int:
    years = sorted(sipri["year"].dropna().astype(int).unique().tolist())
    return years[-1] if years else 2024


def fy2024(omb: pd.DataFrame | None, reported: pd.DataFrame | None, lang: str = "en") -> Fy2024 | None:
    """FY2024's official figures (``omb``: :func:`omb_prepared`'s) beside the reported estimate; None when neither
    table gives one."""
    from charts import budget as bc

    _ = i18n.gettext_for(lang)
    items = []
    if omb is not None:
        for series, label in (("national_defense", _("OMB: national defense (050) outlays, FY2024")),
                              ("dod_military", _("OMB: DoD military (051) outlays, FY2024"))):
            row = omb[(omb["series"] == series) & (omb["unit"] == "usd_m_current") & (omb["fiscal_year"] == 2024)]
            if len(row):
                r = row.iloc[0]
                items.append(BudgetFigure(
                    label=label, value_usd_m=float(r["value"]), kind="official",
                    note=_("Actual outlays") if not bool(r["is_estimate"]) else _("OMB estimate"),
                    attributed_to=_("Office of Management and Budget"), claim="", source_id=r["source_id"]))
    if reported is not None:
        money = reported[reported["unit"].astype(str).str.contains("usd|dollar", case=False, regex=True)
                         & (reported["year"] == 2024)]
        for r in money.itertuples(index=False):
            unit_s = str(r.unit).lower()
            factor = 1e-6 if unit_s in ("usd", "dollars", "usd_current") else (1000.0 if "usd_b" in unit_s or "billion" in unit_s
                                                                                 else 1_000_000.0 if "usd_t" in unit_s or "trillion" in unit_s else 1.0)
            label = i18n.localized(r, "label", lang)
            claim = i18n.localized(r, "claim", lang)
            who = i18n.localized(r, "attributed_to", lang, mark=False)
            items.append(BudgetFigure(
                label=_("Reported: {label}").format(label=label), value_usd_m=float(r.value) * factor, kind="reported",
                note=_("{claim} (attributed to {who})").format(claim=claim, who=who), attributed_to=who, claim=claim,
                source_id=r.source_id))
    if not items:
        return None
    frame = pd.DataFrame([asdict(i) for i in items])
    return Fy2024(items=items, frame=frame,
                  fig=bc.fy2024_comparison(frame, title=_("FY2024: official vs reported"), lang=lang))


# ------------------------------------------------------------------------------------------- Country ---

def country_history(annual: pd.DataFrame, iso3: str, lang: str = "en", figure: bool = True) -> CountryHistory:
    """One place's troop history (its rows, the download) and, when it has an active-duty figure, the latest and
    the peak, the figure (None with ``figure=False``: the data API needs only the rows) and the annual method."""
    from charts import timeline as tl

    _ = i18n.gettext_for(lang)
    hist = annual[annual["iso3"] == iso3]
    if not hist["active_duty"].notna().any():
        return CountryHistory(hist=hist, has=False)
    figures = hist.dropna(subset=["active_duty"])
    return CountryHistory(hist=hist, has=True, latest=figures.sort_values("year").iloc[-1],
                          peak=figures.sort_values("active_duty").iloc[-1],
                          fig=tl.country_troops(hist, "active_duty", title=_("Active-duty US troops, by year"),
                                                lang=lang) if figure else None,
                          methods=methods(hist))


def countries_with_troops(annual: pd.DataFrame) -> list[str]:
    """Every place outside the US states (the country profile's places from troops_annual) with at least one
    active-duty figure, sorted by name."""
    rows = annual[(annual["scope"] != "us_domestic") & annual["active_duty"].notna()]
    codes = sorted(set(rows["iso3"].dropna().astype(str)) - {""})
    return sorted(codes, key=lambda c: (entity(c)[0], c))
