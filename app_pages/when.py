"""When: troops abroad over time (total, by region, chosen countries) with the largest wars marked, and a
timeline of named deployments (project YAML files) and multinational exercises (MME)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from app_pages import data, ui
from app_pages.params import Param
from i18n import N_
from prep import alt, registry, timeline, views

# Widget options are the words readers see; with bind="query-params" they are also the URL values.
VIEWS = views.TROOP_VIEWS  # Total, By region, Countries
DEFAULT_COUNTRIES = ["DEU", "JPN", "KOR"]
MAX_ROWS = 45
RECENT_YEARS = 15  # the timeline opens on the last 15 years of records; "From year" widens it back to 1920
# Two lazy tabs bound to the URL (?section=...): only the open one runs and draws its chart.
SECTIONS = registry.get("when").tabs
SECTION_KEYS = {"Troops abroad": ("view", "countries"),  # a tab's own URL parameters
                "Deployments and exercises": ("gcountry", "gregion", "series", "from", "to", "item")}

# Everything below in functions is computed once per process for a parameter set (data.memo, keyed by the tables'
# file stamps) and shared read-only by all sessions.
TL_TABLES = ("deployments", "exercises")


def _countries() -> dict[str, str]:
    return views.abroad_countries(data.load("troops_annual"))


def _items(with_deps: bool, with_ex: bool, lang: str = "en") -> timeline.TimelineChoices:
    return timeline.timeline_choices(data.deployments()[0] if with_deps else None,
                                     data.load("exercises") if with_ex else None, lang)


def _troops(view: str, chosen: tuple[str, ...], lang: str = "en") -> dict:
    return views.troops_over_time(data.load("troops_annual"), view, chosen, lang)


def _troops_alt(view: str, chosen: tuple[str, ...], lang: str = "en") -> tuple:
    return alt.troops_alt(data.memo(_troops, view, chosen, lang, tables=("troops_annual",)).series_df, view, lang)


def _timeline(with_deps: bool, with_ex: bool, gcountry: tuple[str, ...], gregion: tuple[str, ...],
              series: tuple[str, ...], y_from: int, y_to: int, lang: str = "en") -> timeline.TimelineView:
    it = data.memo(_items, with_deps, with_ex, lang, tables=TL_TABLES)
    return timeline.timeline_view(it, gcountry, gregion, series, y_from, y_to, lang, max_rows=MAX_ROWS)


def _timeline_table(*args) -> pd.DataFrame:
    """The drawn items of :func:`_timeline` (same arguments, the language last) as its "Show as table" rows."""
    return alt.timeline_table(data.memo(_timeline, *args, tables=TL_TABLES).shown, args[-1])


lang = ui.lang()
_ = ui.t()
ui.page_head(_("When: US troops abroad over time"),
             _("How many US military personnel were stationed abroad each year since 1950 (DMDC reports, compiled by "
               "troopdata), and a timeline of named deployments, exercises and host-country decisions from reported "
               "sources and the MME exercise dataset."))

annual = ui.table("troops_annual", _("troops over time"))
countries_all: dict[str, str] = data.memo(_countries, tables=("troops_annual",)) if annual is not None else {}
country_by_label = {v: k for k, v in countries_all.items()}
country_shown = {n: i18n.country(c, n, lang) for c, n in countries_all.items()}
default_country_labels = [countries_all[c] for c in DEFAULT_COUNTRIES if c in countries_all]
deps = ui.deployments(_("the deployments timeline"))
ex = ui.table("exercises", _("the exercise timeline"))

# ---- items for the timeline -----------------------------------------------------------------------------------
it = data.memo(_items, deps is not None, ex is not None, lang, tables=TL_TABLES)
item_country_by_label = it.country_by_label
item_countries, item_regions, item_series = it.countries, it.regions, it.series
item_labels, item_by_label = it.item_labels, it.item_by_label
y_lo, y_hi = it.y_lo, it.y_hi
recent_from = max(y_lo, y_hi - RECENT_YEARS + 1)

params = [
    Param("section", "choice", SECTIONS[0], SECTIONS, label=N_("section")),
    Param("view", "choice", "Total", tuple(VIEWS), label=N_("view")),
    Param("countries", "multi", default_country_labels, tuple(country_by_label), label=N_("countries"), max_items=8),
    Param("gcountry", "multi", [], tuple(item_countries), label=N_("timeline country")),
    Param("gregion", "multi", [], tuple(item_regions), label=N_("timeline region")),
    Param("series", "multi", [], tuple(item_series), label=N_("timeline series")),
    Param("from", "int", recent_from, min=y_lo, max=y_hi, label=N_("timeline start year")),
    Param("to", "int", y_hi, min=y_lo, max=y_hi, label=N_("timeline end year")),
    Param("item", "choice", "", tuple(item_labels.values()), label=N_("selected item")),
]
ui.param_notices(params)
ui.seed("view", tuple(VIEWS), "Total")
ui.seed("countries", tuple(country_by_label), default_country_labels, multi=True, max_items=8)
ui.seed("gcountry", tuple(item_countries), [], multi=True)
ui.seed("gregion", tuple(item_regions), [], multi=True)
ui.seed("series", tuple(item_series), [], multi=True)
ui.seed("from", (y_lo, y_hi), recent_from, kind="int")
ui.seed("to", (y_lo, y_hi), y_hi, kind="int")
ui.seed("item", tuple(item_labels.values()), None)

tabs, section = ui.section_tabs(SECTIONS, SECTION_KEYS)
shared: dict[str, object] = {"section": section}

# ---- 1. troops over time -------------------------------------------------------------------------------------
with tabs[0]:
    if tabs[0].open:  # only the open tab runs (lazy tabs: one chart per load)
        st.header(_("Troops abroad, 1950 to today"))
        view_label = st.segmented_control(_("Show"), list(VIEWS), format_func=_, key="view", required=True) or "Total"
        view = VIEWS[view_label]
        chosen_labels = default_country_labels
        if view == "countries":
            chosen_labels = ui.multiselect(_("Countries"), sorted(country_by_label, key=lambda n: i18n.sort_key(country_shown[n])),
                                           format_func=country_shown.get, key="countries", max_selections=8)
        chosen = [country_by_label[x] for x in chosen_labels]
        if annual is not None:
            tv = data.memo(_troops, view, tuple(chosen) if view == "countries" else (), lang, tables=("troops_annual",))
            series_df = tv.series_df
            summary, alt_table = data.memo(_troops_alt, view, tuple(chosen) if view == "countries" else (), lang,
                                           tables=("troops_annual",))
            ui.chart(tv.fig, key="troops_time", alt=summary, table=alt_table, numeric=(_("Value"),))
            ui.caption(tv.sources, note=_(views.WARS_NOTE),
                       more=_("Annual method: {method}").format(method=_(tv.methods)))
            ui.download(series_df, f"troops_abroad_{view}.csv", key="dl_time")
        shared.update(view=view_label, countries=chosen_labels)

# ---- 2. timeline -----------------------------------------------------------------------------------------------
with tabs[1]:
    if tabs[1].open:
        st.header(_("Named deployments and exercises"))
        st.caption(_("Named deployments, operations and host-country decisions come from reported sources (one file "
                     "each, with attribution); exercises from the MME dataset (US multinational exercises, 1980-2010)."))
        f1, f2 = st.columns(2)
        with f1:
            gcountry_labels = ui.multiselect(_("Country"), item_countries, format_func=it.country_shown.get,
                                             key="gcountry")
            gcountry = [item_country_by_label[x] for x in gcountry_labels]
            gregion = ui.multiselect(_("Region"), item_regions, format_func=_, key="gregion")
        with f2:
            series = ui.multiselect(_("Series"), item_series, format_func=_, key="series",
                                    help=_("An exercise series (e.g. BALTOPS) or the project's named deployments."))
            c_from, c_to = st.columns(2)
            with c_from:
                y_from = st.number_input(_("From year"), min_value=y_lo, max_value=y_hi, step=1, key="from",
                                         help=_("The timeline opens on the last {n} years; records go back to {first}.")
                                         .format(n=RECENT_YEARS, first=y_lo))
            with c_to:
                y_to = st.number_input(_("To year"), min_value=y_lo, max_value=y_hi, step=1, key="to")

        if int(y_from) > int(y_to):  # e.g. a link with from=2000&to=1960: say so, and use the range it implies
            st.warning(_("The timeline start year ({start}) is after its end year ({end}); showing {end}-{start}.")
                       .format(start=int(y_from), end=int(y_to)), icon=":material/link_off:")
            y_from, y_to = y_to, y_from
        tl_args = (deps is not None, ex is not None, tuple(gcountry), tuple(gregion), tuple(series), int(y_from),
                   int(y_to), lang)
        tv2 = data.memo(_timeline, *tl_args, tables=TL_TABLES)
        if not len(tv2.items):
            st.info(_("Nothing matches these filters."))
        else:
            if tv2.too_many:
                st.info(_("{n} items match (in {rows} rows: a row is one named deployment or one exercise series). The "
                          "timeline draws {shown} of them: every named deployment and the exercise series with the most "
                          "exercises. Narrow the filters (country, region, series or years) to see the rest; the "
                          "download has all of them.").format(n=ui.num(tv2.n_items), rows=ui.num(tv2.n_rows),
                                                              shown=ui.num(tv2.n_shown)))
            ui.chart(tv2.fig, key="gantt", alt=alt.timeline_summary(tv2.items, _("Named deployments and exercises"),
                                                                    lang),
                     table=data.memo(_timeline_table, *tl_args, tables=TL_TABLES), cards=True)
            ui.caption(list(tv2.sources))
            ui.download(tv2.download, "deployments_exercises_timeline.csv", key="dl_gantt")

        # ---- details ---------------------------------------------------------------------------------------------------
        options = tv2.options
        shown_labels = it.shown_labels
        item_label = st.selectbox(_("Details of one item"), options, format_func=lambda x: shown_labels.get(x, x),
                                  placeholder=_("Choose a deployment or exercise"), key="item")
        item = item_by_label.get(item_label or "", "")
        if item:
            if item.startswith("dep:") and deps is not None:
                from app_pages.details import deployment_details
                deployment_details(deps[deps["id"] == item[4:]].iloc[0])
            elif item.startswith("mme:") and ex is not None:
                from app_pages.details import exercise_details
                exercise_details(ex[ex["exercise_id"].astype(str) == item[4:]].iloc[0])
        shared.update(gcountry=gcountry_labels, gregion=gregion, series=series, **{"from": int(y_from), "to": int(y_to)},
                      item=item_label or "")

ui.share("when", shared, {p.key: p.default for p in params},
         sync=("section", "view", "countries", "gcountry", "gregion", "series", "from", "to", "item"), page_title=_("When: US troops abroad over time"))
