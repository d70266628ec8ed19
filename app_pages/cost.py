"""What it costs: OMB national-defense outlays, DoD budget authority (Green Book), SIPRI comparison, FY2024."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from app_pages import data, ui
from app_pages.params import Param
from charts import budget as bc
from i18n import N_
from loaders.budget import DEFINITIONS
from loaders.schema import DataError
from prep import alt, registry, views

# Widget options are language-neutral (the English names, also the link's values); readers see them translated.
UNITS, GB_BREAKDOWNS, GB_DOLLARS = views.OMB_UNITS, views.GB_BREAKDOWNS, views.GB_DOLLARS
SIPRI_METRICS = views.SIPRI_METRICS
DEFAULT_PARTS = ["national_defense"]
# The page's four sections are lazy tabs bound to the URL (?section=...): only the open one runs and draws its chart,
# and a shared link reopens the same section with its choices.
SECTIONS = registry.get("cost").tabs
SECTION_KEYS = {"Outlays": ("unit", "parts"), "Budget authority": ("gb", "gbd"),  # a tab's own URL parameters
                "Other countries": ("smetric", "syear", "scountries")}
TERM_NAMES = {"outlays": N_("Outlays (OMB)"), "budget_authority": N_("Budget authority (Green Book)"),
              "toa": N_("Total obligational authority (TOA)"), "sipri": N_("Military expenditure (SIPRI)"),
              "milex": N_("Military expenditure (SIPRI)"), "fiscal_year": N_("Fiscal year"),
              "constant_dollars": N_("Constant dollars"), "estimates": N_("Estimates")}

# Computed once per process for a parameter set (data.memo, keyed by the tables' file stamps), shared read-only;
# what each computes is in prep/views.py (the snapshot's too).
def _omb() -> dict:
    return views.omb_prepared(data.load("budget_omb"))


def _omb_view(unit: str, parts: tuple[str, ...], unit_label: str, lang: str = "en") -> dict:
    return views.omb_view(data.memo(_omb, tables=("budget_omb",)).omb, unit, parts, unit_label, lang)


def _omb_alt(unit: str, parts: tuple[str, ...], unit_label: str, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """The outlays chart's text alternative and table (prep.alt), once per choice and language."""
    _ = i18n.gettext_for(lang)
    shown = data.memo(_omb_view, unit, parts, unit_label, lang, tables=("budget_omb",)).shown
    return (alt.omb_alt(shown, unit, _(unit_label), lang),
            alt.budget_table(shown.assign(label=shown["label"].map(_)), lang))


def _gb_alt(breakdown: str, dollars: str, gbd: str, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """The budget authority chart's text alternative and table (prep.alt), once per choice and language."""
    _ = i18n.gettext_for(lang)
    sel = data.memo(_gb_view, breakdown, dollars, gbd, lang, tables=("budget_greenbook",)).sel
    return (alt.gb_alt(sel, _(gbd), lang),
            alt.budget_table(sel.assign(category=sel["category"].map(_)), lang, by="category", y="value_usd_m"))


def _sipri_years() -> list[int]:
    return sorted(data.load("sipri")["year"].dropna().astype(int).unique().tolist())


def _gb_view(breakdown: str, dollars: str, gbd: str, lang: str = "en") -> dict:
    return views.gb_view(data.load("budget_greenbook"), breakdown, dollars, gbd, lang)


def _sipri_named(lang: str = "en") -> pd.DataFrame:
    return views.our_names(data.load("sipri"), lang)


def _sipri_view(syear: int, metric: str, smetric: str, lang: str = "en") -> dict:
    return views.sipri_view(data.memo(_sipri_named, lang, tables=("sipri",)), syear, metric, smetric, lang)


def _sipri_table(syear: int, metric: str, smetric: str, lang: str = "en") -> pd.DataFrame:
    """The shipped extract's bars for one year and measure as their "Show as table" rows."""
    return alt.sipri_table(data.memo(_sipri_view, syear, metric, smetric, lang, tables=("sipri",)).sel, metric, lang)


def _fy2024(with_omb: bool, with_reported: bool, lang: str = "en") -> dict | None:
    return views.fy2024(data.memo(_omb, tables=("budget_omb",)).omb if with_omb else None,
                        data.load("reported_figures") if with_reported else None, lang)


lang = ui.lang()
_ = ui.t()
ui.page_head(_("What it costs"),
             _("US military spending in dollars and as a share of the economy: national-defense outlays from the "
               "White House budget office (OMB), the Defense Department's budget authority (Green Book), and SIPRI's "
               "comparison with other countries. Each tab is one measure; the definitions under the chart explain "
               "how they differ. Dashed or hatched = not final (a request, an enacted budget or an OMB estimate)."))

omb = ui.table("budget_omb", _("the OMB outlays chart and the FY2024 figures"))
gb = ui.table("budget_greenbook", _("the Green Book budget authority chart"))
sipri = ui.table("sipri", _("the international comparison"))
# The full SIPRI workbook, only when the operator supplied their own copy (the repo ships a 20-country extract).
try:
    sipri_full = data.sipri_workbook()
except DataError as exc:
    ui.show_error(exc, _("the full SIPRI workbook (the 20-country extract is shown instead)"))
    sipri_full = None
if sipri_full is not None:
    sipri_full = views.our_names(sipri_full)  # English names: the link's values (?scountries=); shown translated
    sipri = sipri_full

if omb is not None:
    omb_prep = data.memo(_omb, tables=("budget_omb",))
    omb = omb_prep.omb
series_options = omb_prep.series_options if omb is not None else DEFAULT_PARTS
series_labels = omb_prep.series_labels if omb is not None else {}
series_by_label = {v: k for k, v in series_labels.items()}
series_label_options = [series_labels.get(x, x) for x in series_options]
default_parts = [series_labels.get(x, x) for x in DEFAULT_PARTS if x in series_options]
sipri_years = ((data.memo(_sipri_years, tables=("sipri",)) if sipri_full is None else
                sorted(sipri["year"].dropna().astype(int).unique().tolist())) if sipri is not None else [])
sipri_default = sipri_years[-1] if sipri_years else 2024

params = [
    Param("section", "choice", SECTIONS[0], SECTIONS, label=N_("section")),
    Param("unit", "choice", "Current dollars", tuple(UNITS), label=N_("unit")),
    Param("parts", "multi", default_parts, tuple(series_label_options), label=N_("series")),
    Param("gb", "choice", "By title", tuple(GB_BREAKDOWNS), label=N_("Green Book breakdown")),
    Param("gbd", "choice", "Current dollars", tuple(GB_DOLLARS), label=N_("Green Book dollars")),
    Param("smetric", "choice", "Current dollars", tuple(SIPRI_METRICS), label=N_("SIPRI measure")),
    Param("syear", "int", sipri_default, min=sipri_years[0] if sipri_years else sipri_default,
          max=sipri_default, label=N_("SIPRI year")),
]
if sipri_full is not None:
    sipri_countries = sorted(sipri_full["country"].dropna().astype(str).unique().tolist())
    latest = sipri_full[(sipri_full["year"] == sipri_default) & (sipri_full["metric"] == "current_usd_m")]
    sipri_default_countries = (latest.dropna(subset=["value"]).sort_values("value", ascending=False)["country"]
                               .astype(str).head(15).tolist())
    params.append(Param("scountries", "multi", sipri_default_countries, tuple(sipri_countries),
                        label=N_("SIPRI countries")))
ui.param_notices(params)
ui.seed("unit", tuple(UNITS), "Current dollars")
ui.seed("parts", tuple(series_label_options), default_parts, multi=True)
ui.seed("gb", tuple(GB_BREAKDOWNS), "By title")
ui.seed("gbd", tuple(GB_DOLLARS), "Current dollars")
ui.seed("smetric", tuple(SIPRI_METRICS), "Current dollars")
if sipri_full is not None:
    ui.seed("scountries", tuple(sipri_countries), sipri_default_countries, multi=True)

tabs, section = ui.section_tabs(SECTIONS, SECTION_KEYS)
shared: dict[str, object] = {"section": section}  # what the share link carries: the open section's choices

# --- 1. OMB outlays ---------------------------------------------------------------------------------------
with tabs[0]:
    if tabs[0].open:  # only the open tab runs (lazy tabs: one chart per load)
        st.header(_("National defense outlays, 1940 to 2031"))
        unit_label = st.segmented_control(_("Measure"), list(UNITS), format_func=_, key="unit",
                                          required=True) or "Current dollars"
        unit = UNITS[unit_label]
        part_labels = ui.multiselect(_("Series"), series_label_options, format_func=_, key="parts",
                                     help=_("OMB gives constant dollars and percent of GDP for total national defense "
                                            "only."))
        parts = [series_by_label.get(x, x) for x in part_labels]
        if omb is not None:
            ov = data.memo(_omb_view, unit, tuple(parts), unit_label, lang, tables=("budget_omb",))
            shown = ov.shown
            if shown.empty:
                st.info(_("No OMB figures for this choice (OMB gives percent of GDP for total national defense only). "
                          "Choose another measure or series."))
            else:
                omb_alt, omb_table = data.memo(_omb_alt, unit, tuple(parts), unit_label, lang, tables=("budget_omb",))
                ui.chart(ov.fig, key="omb_chart", alt=omb_alt, table=omb_table, numeric=(_("Value"),))
                ui.caption(ov.sources, note=views.omb_note(ov, lang))
                ui.download(shown, f"omb_outlays_{unit}.csv", key="dl_omb")
        shared.update(unit=unit_label, parts=part_labels)

# --- 2. Green Book ----------------------------------------------------------------------------------------
with tabs[1]:
    if tabs[1].open:  # only the open tab runs (lazy tabs: one chart per load)
        st.header(_("DoD budget authority (Green Book)"))
        c1, c2 = st.columns(2)
        with c1:
            gbb = st.radio(_("Breakdown"), list(GB_BREAKDOWNS), format_func=_, key="gb", horizontal=True)
        with c2:
            gbd = st.radio(_("Dollars"), list(GB_DOLLARS), format_func=_, key="gbd", horizontal=True)
        if gb is not None:
            breakdown = GB_BREAKDOWNS[gbb]
            dollars = GB_DOLLARS[gbd]
            gv = data.memo(_gb_view, breakdown, dollars, gbd, lang, tables=("budget_greenbook",))
            sel = gv.sel
            if sel.empty:
                st.info(_("The Green Book table has no budget-authority rows for this choice."))
            else:
                gb_alt, gb_table = data.memo(_gb_alt, breakdown, dollars, gbd, lang, tables=("budget_greenbook",))
                ui.chart(gv.fig, key="gb_chart", alt=gb_alt, table=gb_table, numeric=(_("Value"),))
                ui.caption(gv.sources, note=views.gb_note(gv, lang))
                ui.download(sel, f"dod_budget_authority_{breakdown}_{dollars}.csv", key="dl_gb")
        shared.update(gb=gbb, gbd=gbd)

# --- 3. SIPRI ---------------------------------------------------------------------------------------------
with tabs[2]:
    if tabs[2].open:  # only the open tab runs (lazy tabs: one chart per load)
        st.header(_("The US and other countries (SIPRI)"))
        c1, c2 = st.columns(2)
        with c1:
            smetric = st.radio(_("SIPRI measure"), list(SIPRI_METRICS), format_func=_, key="smetric", horizontal=True)
        with c2:
            if sipri_years:
                syear = st.select_slider(_("Calendar year"), options=sipri_years, value=sipri_default, key="syear",
                                         bind="query-params")
            else:
                syear = sipri_default
        if sipri_full is not None:
            shown_names = {c: i18n.country(co, c, lang) for c, co in zip(sipri_full["country"], sipri_full["iso3"].fillna(""))}
            chosen = ui.multiselect(_("Countries (from your copy of the SIPRI workbook)"), sipri_countries,
                                    format_func=lambda c: shown_names.get(c, c), key="scountries")
            sipri = sipri_full[sipri_full["country"].isin(chosen)]
            st.caption(_("Read from the full SIPRI workbook supplied to this server; it is not redistributed by "
                         "Footprint."))
        if sipri is not None:
            if sipri_full is None:  # the shipped extract: memoised; an operator's full workbook: built per run
                sv = data.memo(_sipri_view, syear, SIPRI_METRICS[smetric], smetric, lang, tables=("sipri",))
                sel = sv.sel
            else:
                sel = sipri[(sipri["year"] == syear) & (sipri["metric"] == SIPRI_METRICS[smetric])]
                sv = None
            if sel["value"].notna().sum() == 0:
                st.info(_("SIPRI has no figures for {year} in this measure.").format(year=syear))
            else:
                fig = sv.fig if sv is not None else views.sipri_view(
                    views.our_names(sipri, lang), syear, SIPRI_METRICS[smetric], smetric, lang).fig
                stable = (data.memo(_sipri_table, syear, SIPRI_METRICS[smetric], smetric, lang, tables=("sipri",))
                          if sv is not None else alt.sipri_table(sel, SIPRI_METRICS[smetric], lang))
                ui.chart(fig, key="sipri_chart",
                         alt=alt.sipri_alt(sel, SIPRI_METRICS[smetric], _(smetric), syear, lang),
                         table=stable, numeric=(stable.columns[1],))
                ui.caption(sel["source_id"].unique(), note=views.sipri_note(sel, lang))
                ui.download(sel, f"sipri_{SIPRI_METRICS[smetric]}_{syear}.csv", key="dl_sipri")
        shared.update(smetric=smetric, syear=syear, **({"scountries": chosen} if sipri_full is not None else {}))

# --- 4. FY2024 --------------------------------------------------------------------------------------------
with tabs[3]:
    if tabs[3].open:  # only the open tab runs (lazy tabs: one chart per load)
        st.header(_("FY2024: official figures and a reported estimate"))
        reported = ui.table("reported_figures", _("the reported FY2024 estimate"))
        fy = data.memo(_fy2024, omb is not None, reported is not None, lang, tables=("budget_omb", "reported_figures"))
        if fy is not None:
            items, frame = fy.items, fy.frame
            fy_alt, fy_table = alt.fy2024_alt(items, lang)
            ui.chart(fy.fig, key="fy24_chart", alt=fy_alt, table=fy_table, numeric=(_("US$ million"),))
            for it in items:
                if it.kind == "reported":
                    st.markdown(_("**{label}** ({value}): reported claim (in our words): {claim}, attributed to {who}. It is a broader "
                                  "estimate from a recent analysis cited by W. T. Whitney Jr. in an opinion article, not "
                                  "an official figure, and not comparable line by line with OMB outlays (definitions "
                                  "below).").format(label=ui.md(it.label),
                                                    value=ui.md(bc.fmt_money_m(it.value_usd_m, lang)),
                                                    claim=ui.md(it.claim), who=ui.md(it.attributed_to)))
            ui.caption(frame["source_id"].unique())
            ui.download(frame, "fy2024_figures.csv", key="dl_fy24")

with st.expander(_("Definitions: outlays, budget authority, military expenditure"), expanded=True):
    st.markdown("\n\n".join(f"**{ui.md(_(TERM_NAMES.get(term, term.replace('_', ' ').capitalize())))}**: {ui.md(_(text))}"
                             for term, text in DEFINITIONS.items()))

ui.share("cost", shared, {p.key: p.default for p in params},
         sync=("section", "unit", "parts", "gb", "gbd", "smetric", "scountries"), page_title=_("What it costs"))
