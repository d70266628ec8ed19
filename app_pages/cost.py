"""What it costs: OMB national-defense outlays, DoD budget authority (Green Book), SIPRI comparison, FY2024."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from app_pages import data, ui
from app_pages.params import Param
from charts import budget as bc
from i18n import N_
from loaders.budget import CATEGORY_LABELS, DEFINITIONS, SIPRI_ATTRIBUTION
from loaders.schema import DataError

# Widget options are language-neutral (the English names, also the link's values); readers see them translated.
UNITS = {N_("Current dollars"): "usd_m_current", N_("Constant FY2017 dollars"): "usd_b_constant_fy2017",
         N_("Percent of GDP"): "pct_gdp"}
GB_BREAKDOWNS = {N_("By title"): "title", N_("By department"): "military_department"}
GB_DOLLARS = {N_("Current dollars"): "current", N_("Constant FY2022 dollars"): "constant_fy2022"}
SIPRI_METRICS = {N_("Current dollars"): "current_usd_m", N_("Constant 2023 dollars"): "constant_2023_usd_m",
                 N_("Share of GDP"): "share_of_gdp_pct"}
DEFAULT_PARTS = ["national_defense"]
# The page's four sections are lazy tabs bound to the URL (?section=...): only the open one runs and draws its chart,
# and a shared link reopens the same section with its choices.
SECTIONS = (N_("Outlays"), N_("Budget authority"), N_("Other countries"), N_("FY2024"))
SECTION_KEYS = {"Outlays": ("unit", "parts"), "Budget authority": ("gb", "gbd"),  # a tab's own URL parameters
                "Other countries": ("smetric", "syear", "scountries")}
TERM_NAMES = {"outlays": N_("Outlays (OMB)"), "budget_authority": N_("Budget authority (Green Book)"),
              "toa": N_("Total obligational authority (TOA)"), "sipri": N_("Military expenditure (SIPRI)"),
              "milex": N_("Military expenditure (SIPRI)"), "fiscal_year": N_("Fiscal year"),
              "constant_dollars": N_("Constant dollars"), "estimates": N_("Estimates")}

# Computed once per process for a parameter set (data.memo, keyed by the tables' file stamps), shared read-only.
def _omb() -> dict:
    omb = data.load("budget_omb")
    # the same series can come from several OMB tables (3.1, 3.2, 6.1): keep the first table's
    omb = omb.sort_values(["omb_table", "fiscal_year"]).drop_duplicates(["series", "unit", "fiscal_year"], keep="first")
    return {"omb": omb, "series_options": sorted(omb["series"].dropna().unique().tolist()),
            "series_labels": {s: l for s, l in zip(omb["series"], omb["label"])}}


def _omb_view(unit: str, parts: tuple[str, ...], unit_label: str, lang: str = "en") -> dict:
    _ = i18n.gettext_for(lang)
    omb = data.memo(_omb, tables=("budget_omb",))["omb"]
    shown = omb[(omb["series"].isin(list(parts))) & (omb["unit"] == unit)]
    if shown.empty:
        return {"shown": shown}
    est = shown.loc[shown["is_estimate"].fillna(False).astype(bool), "fiscal_year"]
    return {"shown": shown, "fig": bc.omb_outlays(shown, unit, title=_("Outlays, {unit}").format(unit=_(unit_label)),
                                                  lang=lang),
            "first": int(shown["fiscal_year"].min()), "last": int(shown["fiscal_year"].max()),
            "est": (int(est.min()), int(est.max())) if len(est) else None, "sources": shown["source_id"].unique()}


def _gb_view(breakdown: str, dollars: str, gbd: str, lang: str = "en") -> dict:
    _ = i18n.gettext_for(lang)
    gb = data.load("budget_greenbook")
    sel = gb[(gb["measure"] == "budget_authority") & (gb["breakdown"] == breakdown) & (gb["dollars"] == dollars)]
    if sel.empty:
        return {"sel": sel}
    sel = sel.assign(category=sel["category"].map(lambda c: CATEGORY_LABELS.get(c, c)).astype("str"))
    statuses = ", ".join(f"FY{int(y)} {_(s)}" for y, s in sel.loc[sel["status"] != "actual", ["fiscal_year", "status"]]
                         .drop_duplicates("fiscal_year").itertuples(index=False))
    shown = sel.assign(category=sel["category"].map(_).astype("str"))
    return {"sel": sel, "fig": bc.greenbook(shown, title=_("DoD budget authority, {dollars}").format(dollars=_(gbd)),
                                            lang=lang), "statuses": statuses,
            "first": int(sel["fiscal_year"].min()), "last": int(sel["fiscal_year"].max()),
            "sources": sel["source_id"].unique()}


def our_names(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """SIPRI's country names replaced by the ones used everywhere else in the dashboard ("South Korea", not
    "Korea, South"), by ISO code; SIPRI's own name is kept in ``sipri_country`` (and used where there is no code)."""
    codes = frame["iso3"].fillna("").astype(str) if "iso3" in frame.columns else pd.Series("", index=frame.index)
    ours = [i18n.country(c, data.entity(c)[0], lang) if c else n for c, n in zip(codes, frame["country"].astype(str))]
    return frame.assign(sipri_country=frame["country"], country=pd.array(ours, dtype="str"))


def _sipri_named(lang: str = "en") -> pd.DataFrame:
    return our_names(data.load("sipri"), lang)


def _sipri_view(syear: int, metric: str, smetric: str, lang: str = "en") -> dict:
    _ = i18n.gettext_for(lang)
    sipri = data.memo(_sipri_named, lang, tables=("sipri",))
    sel = sipri[(sipri["year"] == syear) & (sipri["metric"] == metric)]
    if sel["value"].notna().sum() == 0:
        return {"sel": sel, "fig": None}
    return {"sel": sel, "fig": bc.sipri_bars(sipri, int(syear), metric,
                                             title=_("SIPRI {year}: {measure}").format(year=syear, measure=_(smetric)),
                                             lang=lang)}


def _fy2024(with_omb: bool, with_reported: bool, lang: str = "en") -> dict | None:
    _ = i18n.gettext_for(lang)
    omb = data.memo(_omb, tables=("budget_omb",))["omb"] if with_omb else None
    reported = data.load("reported_figures") if with_reported else None
    items = []
    if omb is not None:
        for series, label in (("national_defense", _("OMB: national defense (050) outlays, FY2024")),
                              ("dod_military", _("OMB: DoD military (051) outlays, FY2024"))):
            row = omb[(omb["series"] == series) & (omb["unit"] == "usd_m_current") & (omb["fiscal_year"] == 2024)]
            if len(row):
                r = row.iloc[0]
                items.append({"label": label, "value_usd_m": float(r["value"]), "kind": "official",
                              "note": _("Actual outlays") if not bool(r["is_estimate"]) else _("OMB estimate"),
                              "attributed_to": _("Office of Management and Budget"), "claim": "",
                              "source_id": r["source_id"]})
    if reported is not None:
        money = reported[reported["unit"].astype(str).str.contains("usd|dollar", case=False, regex=True)
                         & (reported["year"] == 2024)]
        for r in money.itertuples(index=False):
            unit_s = str(r.unit).lower()
            factor = 1e-6 if unit_s in ("usd", "dollars", "usd_current") else (1000.0 if "usd_b" in unit_s or "billion" in unit_s
                                                                                 else 1_000_000.0 if "usd_t" in unit_s or "trillion" in unit_s else 1.0)
            label = ui.es_text(getattr(r, "label_es", None), r.label, lang)
            claim = ui.es_text(getattr(r, "claim_es", None), r.claim, lang)
            items.append({"label": _("Reported: {label}").format(label=label), "value_usd_m": float(r.value) * factor,
                          "kind": "reported", "note": _("{claim} (attributed to {who})").format(claim=claim, who=r.attributed_to),
                          "attributed_to": r.attributed_to, "claim": claim, "source_id": r.source_id})
    if not items:
        return None
    frame = pd.DataFrame(items)
    return {"items": items, "frame": frame,
            "fig": bc.fy2024_comparison(frame, title=_("FY2024: official vs reported"), lang=lang)}


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
    sipri_full = our_names(sipri_full)  # English names: the link's values (?scountries=); shown translated
    sipri = sipri_full

if omb is not None:
    omb_prep = data.memo(_omb, tables=("budget_omb",))
    omb = omb_prep["omb"]
series_options = omb_prep["series_options"] if omb is not None else DEFAULT_PARTS
series_labels = omb_prep["series_labels"] if omb is not None else {}
series_by_label = {v: k for k, v in series_labels.items()}
series_label_options = [series_labels.get(x, x) for x in series_options]
default_parts = [series_labels.get(x, x) for x in DEFAULT_PARTS if x in series_options]
sipri_years = sorted(sipri["year"].dropna().astype(int).unique().tolist()) if sipri is not None else []
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
            shown = ov["shown"]
            if shown.empty:
                st.info(_("No OMB figures for this choice (OMB gives percent of GDP for total national defense only). "
                          "Choose another measure or series."))
            else:
                ui.chart(ov["fig"], key="omb_chart")
                first, last = ov["first"], ov["last"]
                note = _("Fiscal years {first}-{last}").format(first=first, last=last)
                if ov["est"]:
                    note += "; " + _("{first}-{last} are OMB estimates (dashed)").format(first=ov["est"][0],
                                                                                        last=ov["est"][1])
                ui.caption(ov["sources"], note=note)
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
            sel = gv["sel"]
            if sel.empty:
                st.info(_("The Green Book table has no budget-authority rows for this choice."))
            else:
                ui.chart(gv["fig"], key="gb_chart")
                ui.caption(gv["sources"], note=_("Fiscal years {first}-{last}; hatched = not actual ({statuses})").format(
                    first=gv["first"], last=gv["last"], statuses=gv["statuses"] or _("none")))
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
                sel = sv["sel"]
            else:
                sel = sipri[(sipri["year"] == syear) & (sipri["metric"] == SIPRI_METRICS[smetric])]
                sv = None
            if sel["value"].notna().sum() == 0:
                st.info(_("SIPRI has no figures for {year} in this measure.").format(year=syear))
            else:
                fig = sv["fig"] if sv is not None else bc.sipri_bars(
                    our_names(sipri, lang), int(syear), SIPRI_METRICS[smetric],
                    title=_("SIPRI {year}: {measure}").format(year=syear, measure=_(smetric)), lang=lang)
                ui.chart(fig, key="sipri_chart")
                missing = sel[sel["value"].isna()]
                note = (_(SIPRI_ATTRIBUTION) + ". " + _("Calendar years, SIPRI's definition (broader than OMB outlays)")
                        + ("; " + _("no figure for: {countries}").format(countries=", ".join(missing["country"].astype(str)))
                           if len(missing) else ""))
                ui.caption(sel["source_id"].unique(), note=note)
                ui.download(sel, f"sipri_{SIPRI_METRICS[smetric]}_{syear}.csv", key="dl_sipri")
        shared.update(smetric=smetric, syear=syear, **({"scountries": chosen} if sipri_full is not None else {}))

# --- 4. FY2024 --------------------------------------------------------------------------------------------
with tabs[3]:
    if tabs[3].open:  # only the open tab runs (lazy tabs: one chart per load)
        st.header(_("FY2024: official figures and a reported estimate"))
        reported = ui.table("reported_figures", _("the reported FY2024 estimate"))
        fy = data.memo(_fy2024, omb is not None, reported is not None, lang, tables=("budget_omb", "reported_figures"))
        if fy is not None:
            items, frame = fy["items"], fy["frame"]
            ui.chart(fy["fig"], key="fy24_chart")
            for it in items:
                if it["kind"] == "reported":
                    st.markdown(_("**{label}** ({value}): reported claim “{claim}”, attributed to {who}. It is a broader "
                                  "estimate from a recent analysis cited by W. T. Whitney Jr. in an opinion article, not "
                                  "an official figure, and not comparable line by line with OMB outlays (definitions "
                                  "below).").format(label=ui.md(it["label"]),
                                                    value=ui.md(bc.fmt_money_m(it["value_usd_m"], lang)),
                                                    claim=ui.md(it["claim"]), who=ui.md(it["attributed_to"])))
            ui.caption(frame["source_id"].unique())
            ui.download(frame, "fy2024_figures.csv", key="dl_fy24")

with st.expander(_("Definitions: outlays, budget authority, military expenditure"), expanded=True):
    st.markdown("\n\n".join(f"**{ui.md(_(TERM_NAMES.get(term, term.replace('_', ' ').capitalize())))}**: {ui.md(_(text))}"
                             for term, text in DEFINITIONS.items()))

ui.share("cost", shared, {p.key: p.default for p in params},
         sync=("section", "unit", "parts", "gb", "gbd", "smetric", "scountries"), page_title=_("What it costs"))
