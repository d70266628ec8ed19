"""Where: US troops by host country for one year, with base sites, deployments and exercises as layers."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from app_pages import anim, data, ui
from app_pages.params import Param
from app_pages.year_map import MAP_TABLES, TROOPS
from app_pages.year_map import abroad as _abroad
from app_pages.year_map import dep_layer as _dep_layer
from app_pages.year_map import ex_layer as _ex_layer
from app_pages.year_map import map_alt as _map_alt
from app_pages.year_map import map_figure as _map_figure
from app_pages.year_map import meta as _meta
from app_pages.year_map import year_figures as _year
from charts import maps
from charts.common import MEASURE_LABELS
from i18n import N_
from prep import alt, compare, records, views

# Widget options are language-neutral (the English names, which are also the link's values: ?measure=Army);
# readers see them translated (format_func).
LAYERS = {N_("Bases"): "bases", N_("Deployments"): "deployments", N_("Exercises"): "exercises"}
SHORT_MEASURES = {"active_duty": N_("Active duty"), "army": N_("Army"), "navy": N_("Navy"),
                  "marine_corps": N_("Marine Corps"), "air_force": N_("Air Force"), "space_force": N_("Space Force"),
                  "coast_guard": N_("Coast Guard"), "reserve": N_("Reserve"), "civilian": N_("Civilians")}


# Everything below is computed once per process for a parameter set (data.memo, keyed by the tables' file
# stamps) and shared read-only by all sessions: a rerun after a year change only builds what is new. One year's
# work lives in app_pages/year_map.py, where the start-up warm-up makes every year's plain map ahead of readers.
LATEST_N = 5


def _peak(measure: str) -> tuple[int, int] | None:
    return views.peak(data.memo(_abroad, tables=TROOPS), measure)


def _all_years(measure: str) -> tuple[pd.DataFrame, list[str]]:
    return views.all_years(data.memo(_abroad, tables=TROOPS), measure)


def _anim_alt(measure: str, lang: str = "en") -> str:
    return alt.animation_alt(views.abroad(data.load("troops_annual")), measure, lang)


def _anim_table(measure: str, lang: str = "en") -> pd.DataFrame:
    return alt.animation_table(views.abroad(data.load("troops_annual")), measure, lang)


def _comparison(lang: str = "en") -> pd.DataFrame | None:
    try:
        bases_all = data.load("bases")
    except Exception:  # the comparison goes on without the base counts; the layer says what is wrong
        bases_all = None
    return compare.comparison(data.load("reported_figures"), data.memo(_abroad, tables=TROOPS), bases_all, lang)


def _latest(lang: str = "en") -> pd.DataFrame:
    deps_all = data.deployments()[0]
    known = ui.known_sources()
    return records.latest(deps_all, LATEST_N, place_name=lambda c: i18n.country(c, data.entity(c)[0], lang),
                          source_short=lambda sid: (known[sid].short or known[sid].publisher) if sid in known else sid,
                          lang=lang)


def _latest_shown(lang: str = "en") -> pd.DataFrame:
    """The latest records as shown: one frame per language, so its HTML is made once (ui.show_table)."""
    _ = i18n.gettext_for(lang)
    return data.memo(_latest, lang, tables=("deployments", "sources"))[["Date", "What", "Where", "Source"]].rename(
        columns={"Date": _("Date"), "What": _("What"), "Where": _("Where"), "Source": _("Source")})


def _comparison_shown(lang: str = "en") -> pd.DataFrame | None:
    cmp = data.memo(_comparison, lang, tables=("reported_figures", "bases", "troops_annual"))
    return cmp.drop(columns=["source_id"]) if cmp is not None else None


lang = ui.lang()
_ = ui.t()
annual = ui.table("troops_annual", _("the troop map"))
if annual is None:
    st.stop()
years, measures, methods = data.memo(_meta, tables=TROOPS)
first_year, last_year = years[0], years[-1]

ui.page_head(_("Where are US troops?"),
             _("US military personnel permanently assigned to each host country, {first}-{last}: the Defense Manpower "
               "Data Center's quarterly reports (DMDC), compiled by the troopdata project. Short named deployments "
               "and exercises are not in these counts; add them to the map as layers. Tap a country for its figure "
               "and report date.").format(first=first_year, last=last_year))

measure_options = tuple(SHORT_MEASURES[m] for m in measures)
params = [
    Param("year", "int", last_year, min=first_year, max=last_year, label=N_("year")),
    Param("measure", "choice", "Active duty", measure_options, label=N_("measure")),
    Param("log", "bool", False, label=N_("log scale")),
    Param("layers", "multi", [], tuple(LAYERS), label=N_("layers")),
    Param("play", "bool", False, label=N_("animation")),
]
ui.param_notices(params)
ui.seed("measure", measure_options, "Active duty")
ui.seed("layers", tuple(LAYERS), [], multi=True)

c1, c2, c3 = st.columns([3, 2, 2], vertical_alignment="bottom")
with c3:
    log = st.toggle(_("Log colour scale"), key="log", bind="query-params",
                    help=_("A log scale shows small deployments as well as the largest ones."))
    play = st.toggle(_("Animate all years"), key="play", bind="query-params",
                     help=_("Plays the map from the first year to the last (within the chart)."))
with c1:
    year = st.slider(_("Year"), first_year, last_year, last_year, key="year", bind="query-params", disabled=play,
                     help=_("The animation shows every year; turn it off to choose one.") if play else None)
with c2:
    measure_label = st.selectbox(_("Measure"), measure_options, format_func=_, key="measure",
                                 help=_("Active duty = all services; reserve and civilians where reported."))
    measure = {v: k for k, v in SHORT_MEASURES.items()}[measure_label]

yv = data.memo(_year, year, measure, lang, tables=TROOPS)
total = yv.total
label = _(MEASURE_LABELS.get(measure, measure))
# The headline figure says what it counts: "Army personnel abroad", not "Troops abroad", for one service.
what = _("Troops abroad") if measure == "active_duty" else _("{measure} personnel abroad").format(measure=label)

# --- the year's figures, above the map (on a phone they come before it) ----------------------------------------
with st.container(key="figures"):
    m1, m2 = st.columns(2)
    if play:
        peak = data.memo(_peak, measure, tables=TROOPS)
        m1.metric(_("{what}, peak year").format(what=what),
                  f"{ui.num(peak[1])} ({peak[0]})" if peak else _("not reported"), help=label)
        m2.metric(_("Years on the map"), f"{first_year}-{last_year}")
        st.caption(_("The map plays every year; its slider shows the year drawn. Turn off \"Animate all years\" to "
                     "see one year's totals and top hosts."))
    else:
        m1.metric(_("{what}, {year}").format(what=what, year=year),
                  ui.num(total) if total is not None else _("not reported"), help=label)
        m2.metric(_("Host countries and places, {year}").format(year=year), ui.num(yv.hosts),
                  help=_("Places abroad with at least one person of this measure in the report used for the year."))
        note = yv.hosts_note
        if yv.all_services is not None:
            note = _("All services (active duty), {year}: {n}.").format(year=year, n=ui.num(yv.all_services)) + " " + note
        st.caption(ui.md(note))

map_col, side = st.columns([3, 2], gap="medium")
with map_col:
    layer_labels = st.pills(_("Layers on the map"), list(LAYERS), format_func=_, selection_mode="multi", key="layers",
                            help=_("Bases: David Vine's list of sites (Cold War to 2018, not year-specific). "
                                   "Deployments: named deployments, operations and decisions reported for the year. "
                                   "Exercises: multinational exercises that year (MME dataset, 1980-2010).")) or []
    layers = [LAYERS[x] for x in layer_labels]

    bases_layer = dep_layer = ex_layer = None
    layer_sources: list[str] = []
    if "bases" in layers:
        bases = ui.table("bases", _("the base-site layer"))
        if bases is not None:
            bases_layer = bases
            layer_sources += bases["source_id"].unique().tolist()
    if "deployments" in layers:
        deps = ui.deployments(_("the deployments layer"))
        if deps is not None and len(deps):
            dl = data.memo(_dep_layer, year, lang, tables=("deployments",))
            dep_layer = dl.frame
            layer_sources += dl.sources
            if dep_layer.empty and not play:
                st.info(_("No named deployment in the project's files is dated {year}.").format(year=year))
    if "exercises" in layers:
        ex = ui.table("exercises", _("the exercise layer"))
        if ex is not None:
            ex_layer = data.memo(_ex_layer, year, lang, tables=("exercises",))
            layer_sources += ex_layer["source_id"].unique().tolist()
            if ex_layer.empty and not play:
                st.info(_("MME lists no exercise in {year} (it covers 1980-2010).").format(year=year))
    if play and layers:
        st.caption(_("Layers are drawn on the single-year map; the animation shows troop numbers only."))

    if play:  # every year's map: built once per measure, scale and language, all kept (app_pages/anim.py)
        with st.spinner(_("Preparing the animation…")):
            fig = anim.figure(measure, log, lang, anim.title(lang, first_year, last_year))
        with st.container(key="worldanim"):  # its height is set by the page (ui.PAGE_CSS), lower on a phone
            ui.chart(fig, key="map_anim", geo=True, height=maps.ANIMATION_HEIGHT)
        # after the container: the page's CSS gives every element inside it the map's height
        anim_table = data.memo(_anim_table, measure, lang, tables=TROOPS)
        ui.alternative(data.memo(_anim_alt, measure, lang, tables=TROOPS), anim_table, "map_anim",
                       numeric=tuple(anim_table.columns[[1, 3]]))
        shown, shown_sources = data.memo(_all_years, measure, tables=TROOPS)
    else:
        fig = data.memo(_map_figure, year, measure, log, bases_layer is not None, dep_layer is not None,
                        ex_layer is not None, lang, tables=MAP_TABLES)
        # its height is lowered on a phone (ui.PAGE_CSS); with layers it keeps room for their legend
        with st.container(key="worldmap_layers" if len(fig.data) > 1 else "worldmap"):
            summary, alt_table = data.memo(_map_alt, year, measure, lang, tables=TROOPS)
            ui.chart(fig, key="map", geo=True, height=maps.MAP_HEIGHT)
        ui.alternative(summary, alt_table, "map", numeric=(_("Troops"),))  # outside the map's container, as above
        shown, shown_sources = yv.shown, yv.shown_sources
    ui.caption(shown_sources + layer_sources + ["natural_earth_topojson"],
               note=_("Shown: {measure}. No colour = no figure reported, never zero").format(measure=label),
               more=_("Annual method: {method}. Abroad only: US states and territories are not shown.").format(
                   method=_(methods)))
    ui.download(shown, f"us_troops_{measure}_{'all_years' if play else year}.csv", key="dl_map")
    if "bases" in layers and bases_layer is not None:
        ui.download(bases_layer, "base_sites_vine.csv", key="dl_bases", label=_("Download the base-site layer (CSV)"))
        st.caption(_("Base sites: David Vine's list (Cold War to 2018), the same for every year, not a current "
                     "inventory."))
    if dep_layer is not None and len(dep_layer):
        ui.download(dep_layer, f"deployments_{year}.csv", key="dl_dep", label=_("Download the deployments layer (CSV)"))
    if ex_layer is not None and len(ex_layer):
        ui.download(ex_layer, f"exercises_{year}.csv", key="dl_ex", label=_("Download the exercise layer (CSV)"))

# the side column's headings are h2 (st.header), sized down by the page's CSS (.st-key-side): the page has no h2
# before them, and an h3 straight after the title skips a level (axe's heading-order, WCAG 1.3.1)
with side, st.container(key="side"):
    # what is happening now, one glance away: the most recent reported records, each with its source
    try:
        has_records = len(data.deployments()[0]) > 0
    except Exception:  # a broken deployments folder: the layers section says so
        has_records = False
    if has_records:
        st.header(_("Latest reported"))
        latest = data.memo(_latest, lang, tables=("deployments", "sources"))
        ui.show_table(data.memo(_latest_shown, lang, tables=("deployments", "sources")), cards=True)
        ui.caption([s for ids in latest["source_ids"] for s in ids],
                   note=_("Deployments, exercises, operations and host-country decisions as reported; the timeline "
                          "under When has them all"))
    if not play:  # the year's ranking; while the map plays through the years, no single year's list is shown
        st.header(_("Top hosts, {year}").format(year=year))
        top = yv.top
        ui.show_table(top, numeric=(_("Troops"),))
        ui.caption(yv.top_sources)
        ui.download(top, f"top_hosts_{measure}_{year}.csv", key="dl_top", label=_("Download (CSV)"))

# --- reported vs counted ------------------------------------------------------------------------------------
st.header(_("Reported figures vs what this data counts"), divider="gray")
rep = ui.table("reported_figures", _("the reported figures"))
if rep is not None:
    cmp = data.memo(_comparison, lang, tables=("reported_figures", "bases", "troops_annual"))
    if cmp is not None:
        ui.show_table(data.memo(_comparison_shown, lang, tables=("reported_figures", "bases", "troops_annual")),
                      numeric=(_("Our count"),))
        ui.caption(cmp["source_id"], note=_("Reported figures are claims as published, with their attribution; base "
                                            "counts depend on what each author counts as a base"))
        ui.download(cmp, "reported_vs_counted.csv", key="dl_cmp")

ui.share("where", {"year": year, "measure": measure_label, "log": log, "layers": layer_labels, "play": play},
         {p.key: p.default for p in params}, sync=("measure", "layers"), page_title=_("Where are US troops?"))
