"""Country profile: one host country's troop history, bases, deployments, exercises and context events."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from app_pages import data, ui
from app_pages.details import deployment_details
from app_pages.params import Param
from i18n import N_
from prep import alt, records, registry, timeline, views
from prep.layers import CountryPlaces, country_places
from prep.places import places_named, unique_labels

DEFAULT = "PER"
# Three lazy tabs bound to the URL (?section=...): only the open one runs and draws its chart. The profile's
# sources are listed under them, whichever is open.
SECTIONS = registry.get("country").tabs
# The timeline opens on recent years (what happened since); "All years" shows everything back to 1920.
PERIODS = (N_("Recent"), N_("All years"))
RECENT_YEARS = 15
RECENT_FROM = records.RECENT_FROM  # the host country's decisions since this year lead its profile

# Computed once per process for a parameter set (data.memo, keyed by the tables' file stamps), shared read-only.
TABLES = ("troops_annual", "bases", "deployments", "exercises", "context_events")


def _choices(has_annual: bool, has_bases: bool, has_deps: bool, has_ctx: bool) -> tuple[dict, dict, list]:
    annual = data.load("troops_annual") if has_annual else None
    names = places_named(annual[annual["scope"] != "us_domestic"] if annual is not None else None,
                         data.load("bases") if has_bases else None, data.deployments()[0] if has_deps else None,
                         data.load("context_events") if has_ctx else None, also=(DEFAULT,))
    labels = unique_labels(names)  # one label per code
    by_label = {v: k for k, v in labels.items()}
    options = sorted(by_label)  # the labels are the options, and the URL value (?country=Peru)
    return labels, by_label, options


def _named_choices(has_annual: bool, has_bases: bool, has_deps: bool, has_ctx: bool,
                   lang: str = "en") -> tuple[dict, dict, list, dict]:
    """The choices with each label's name in ``lang``, in that language's order (Perú under P)."""
    labels, by_label, options = data.memo(_choices, has_annual, has_bases, has_deps, has_ctx, tables=TABLES)
    shown = {lab: i18n.country(code, lab, lang) if lab == data.entity(code)[0] else lab for lab, code in by_label.items()}
    return labels, by_label, sorted(options, key=lambda lab: i18n.sort_key(shown[lab])), shown


def _auth_alt(country: str, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """The authorisations chart's text alternative and table (prep.alt), once per country and language."""
    _ = i18n.gettext_for(lang)
    av = data.memo(_authorisations, country, lang, tables=TABLES)
    return (alt.series_summary(av.auth, _("US personnel authorised by {body}").format(body=av.body), lang,
                               y="personnel_authorised"),
            alt.series_table(av.auth, lang, y="personnel_authorised"))


def _history_alt(country: str, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """The troop history chart's text alternative and table (prep.alt), once per country and language."""
    _ = i18n.gettext_for(lang)
    hist = data.memo(_history, country, lang, tables=("troops_annual",)).hist
    name = i18n.country(country, data.entity(country)[0], lang)
    return (alt.series_summary(hist, _("Active-duty US troops in {country}").format(country=name), lang,
                               y="active_duty"),
            alt.series_table(hist, lang, y="active_duty"))


def _profile_sources(country: str, has_annual: bool, has_bases: bool, has_deps: bool, has_ex: bool, has_ctx: bool,
                     by_start: bool) -> list[str]:
    """The profile's sources (records.profile_sources: four whole tables filtered), once per country; its records
    in the order listed (``by_start``: the deployments tab lists them by start)."""
    deps = data.deployments()[0] if has_deps else None
    mine = deps[deps["iso3"] == country] if deps is not None else None
    if by_start and mine is not None and len(mine):
        mine = mine.sort_values("start")
    return records.profile_sources(country, data.load("troops_annual") if has_annual else None,
                                   data.load("bases") if has_bases else None, mine,
                                   data.load("exercises") if has_ex else None,
                                   data.load("context_events") if has_ctx else None)


def _history(country: str, lang: str = "en") -> dict:
    return views.country_history(data.load("troops_annual"), country, lang)


def _authorisations(country: str, lang: str = "en") -> records.Authorisations | None:
    """The host country's own decisions since RECENT_FROM beside the DMDC count for the same years."""
    return records.authorisations(data.deployments()[0], data.load("troops_annual"), country, RECENT_FROM, lang)


def _places(country: str, map_iso3: str, has_bases: bool, has_deps: bool, lang: str = "en") -> CountryPlaces:
    return country_places(country, map_iso3, data.load("bases") if has_bases else None,
                          data.deployments()[0] if has_deps else None, lang)


def _timeline(country: str, has_deps: bool, has_ex: bool, has_ctx: bool, recent: bool = False,
              lang: str = "en") -> timeline.CountryTimeline | None:
    return timeline.country_timeline(country, data.deployments()[0] if has_deps else None,
                                     data.load("exercises") if has_ex else None,
                                     data.load("context_events") if has_ctx else None, recent, lang,
                                     recent_years=RECENT_YEARS)


def _places_table(*args) -> pd.DataFrame:
    """The points :func:`_places` draws (same arguments, the language last) as its "Show as table" rows."""
    pv = data.memo(_places, *args, tables=TABLES)
    return alt.places_table(pv.bases, pv.places, args[-1])


def _timeline_table(*args) -> pd.DataFrame:
    """The drawn items of :func:`_timeline` (same arguments, the language last) as its "Show as table" rows."""
    return alt.timeline_table(data.memo(_timeline, *args, tables=TABLES).shown, args[-1])


lang = ui.lang()
_ = ui.t()
annual = ui.table("troops_annual", _("the troop history"))
bases = ui.table("bases", _("the base map"))
deps = ui.deployments(_("the deployments"))
ex = ui.table("exercises", _("the exercises"))
ctx = ui.table("context_events", _("the context events"))

labels, by_label, options, shown_names = data.memo(_named_choices, annual is not None, bases is not None,
                                                  deps is not None, ctx is not None, lang, tables=TABLES)

ui.page_head(_("Country profile"),
             _("One host country: US troops stationed there each year (DMDC reports), listed US base sites (David "
               "Vine's list), and the named deployments, exercises and decisions reported in public sources, each "
               "with its source."))
params = [Param("country", "choice", labels[DEFAULT], tuple(options), label=N_("country")),
          Param("section", "choice", SECTIONS[0], SECTIONS, label=N_("section")),
          Param("period", "choice", PERIODS[0], PERIODS, label=N_("timeline period"))]
ui.param_notices(params)
ui.seed("country", tuple(options), labels[DEFAULT])
ui.seed("period", PERIODS, PERIODS[0])

country_label = st.selectbox(_("Country"), options, format_func=shown_names.get, key="country")
country = by_label[country_label]
name, map_iso3, region, kind = data.entity(country)
name = i18n.country(country, name, lang)
st.caption(ui.md(" · ".join(x for x in (_(region) if region else "",
                                        {"historic": _("historic entity, drawn on today's shapes"),
                                         "territory": _("territory")}.get(kind, "")) if x)))

snapshot_also: tuple[str, ...] = ()
tabs, section = ui.section_tabs(SECTIONS, {"Deployments and events": ("period",)})
mine_deps = deps[deps["iso3"] == country] if deps is not None else None

# ---- troop history -------------------------------------------------------------------------------------------
with tabs[0]:
    if tabs[0].open:  # only the open tab runs (lazy tabs: one chart per load)
        st.header(_("US troops in {country}").format(country=ui.md(name)))
        av = data.memo(_authorisations, country, lang, tables=TABLES) if deps is not None and annual is not None else None
        if av is not None:
            snapshot_also = ("authorisations",)  # the snapshot has this chart's page too: the embed box offers it
            # the country's present first: what its own institutions authorised, beside the official count
            auth_alt, auth_table = data.memo(_auth_alt, country, lang, tables=TABLES)
            ui.chart(av.fig, key="country_auth", alt=auth_alt, table=auth_table, numeric=(_("Value"),))
            last = av.latest_count
            count = (" " + _("({n} in {report})").format(n=ui.num(last["active_duty"].iloc[0]),
                                                         report=i18n.report_text(last["report"].iloc[0], lang))
                     if len(last) else "")
            st.caption(ui.md(_("Two different things: {body} authorises temporary entries of foreign troops for "
                               "exercises, training and events (a figure where the source gives one), while DMDC counts "
                               "US personnel permanently assigned to the country on its report date{count}. They are not "
                               "expected to match.").format(body=av.body, count=count)))
            ui.caption(av.sources, note=_("{n} authorisations since {year}, counted by year decided; no bar = no "
                                             "personnel figure reported, never zero").format(n=av.n, year=RECENT_FROM))
            ui.download(av.table, f"authorisations_{country}.csv", key="dl_auth")
        if annual is not None:
            hv = data.memo(_history, country, lang, tables=("troops_annual",))
            hist = hv.hist
            if hv.has:
                latest, peak = hv.latest, hv.peak
                m1, m2 = st.columns(2)
                m1.metric(_("Latest ({report})").format(report=ui.md(i18n.report_text(latest["report"], lang))),
                          ui.num(latest["active_duty"]))
                m2.metric(_("Peak ({year})").format(year=int(peak["year"])), ui.num(peak["active_duty"]))
                hist_alt, hist_table = data.memo(_history_alt, country, lang, tables=("troops_annual",))
                ui.chart(hv.fig, key="country_troops", alt=hist_alt, table=hist_table, numeric=(_("Value"),))
                ui.caption(hist["source_id"].unique(), more=_("Annual method: {method}").format(method=_(hv.methods)))
                ui.download(hist, f"troops_{country}.csv", key="dl_ct")
            else:
                st.info(_("No troop figure is reported for {country} in the DMDC-based data.").format(country=name))

# ---- map -----------------------------------------------------------------------------------------------------
with tabs[1]:
    if tabs[1].open:
        st.header(_("Bases and reported deployment places"))
        places_args = (country, map_iso3, bases is not None, deps is not None, lang)
        pv = data.memo(_places, *places_args, tables=TABLES)
        b, places = pv.bases, pv.places
        if pv.fig is not None:
            ui.chart(pv.fig, key="country_map", geo=True, alt=alt.places_alt(b, places, name, lang),
                     table=data.memo(_places_table, *places_args, tables=TABLES))
            unlocated = int(b["lat"].isna().sum()) if len(b) else 0
            srcs = (b["source_id"].unique().tolist() if len(b) else []) + \
                [s for v in places.get("source_id", pd.Series(dtype=str)) for s in str(v).split("; ")] + ["natural_earth_topojson"]
            ui.caption(srcs, note=_("{n} listed base sites (Vine, Cold War-2018)").format(n=len(b))
                                  + (", " + _("{n} without coordinates (not drawn)").format(n=unlocated) if unlocated else ""))
            ui.download(pv.both, f"places_{country}.csv", key="dl_places")

# ---- timeline ------------------------------------------------------------------------------------------------
with tabs[2]:
    if tabs[2].open:
        st.header(_("Deployments, exercises and events"))
        period = st.segmented_control(_("Period"), list(PERIODS), format_func=_, key="period",
                                      required=True) or PERIODS[0]
        tl_args = (country, deps is not None, ex is not None, ctx is not None, period == PERIODS[0], lang)
        tv = data.memo(_timeline, *tl_args, tables=TABLES)
        if tv is not None:
            tdf = tv.items
            if tv.n_older:
                st.caption(_("{n} older items are not drawn; choose \"All years\" to see them.").format(n=tv.n_older))
            ui.chart(tv.fig, key="country_gantt",
                     alt=alt.timeline_summary(tdf, _("Deployments, exercises and events"), lang),
                     table=data.memo(_timeline_table, *tl_args, tables=TABLES), cards=True)  # long names: a card each on a phone
            ui.caption([s for v in tv.shown["source_id"] for s in str(v).split("; ")])
            ui.download(tdf.drop(columns=["hover"]), f"timeline_{country}.csv", key="dl_ctl")
        else:
            st.info(_("No named deployment, MME exercise or context event is recorded for {country}.").format(country=name))

        if mine_deps is not None and len(mine_deps):
            st.subheader(_("Named deployments"))
            mine_deps = mine_deps.sort_values("start")
            listing = records.listing(mine_deps, lang)  # the figure next to the name
            ui.show_table(listing, numeric=(_("Personnel (reported)"),))
            ui.caption([s.get("source_id") for srcs in mine_deps["sources"] for s in (srcs or [])],
                       note=_("Each deployment's sources, with who reported what, are in its panel below"))
            for _i, d in mine_deps.sort_values("start", ascending=False).iterrows():
                # lazy panels: a closed one sends only its label; opening it reruns and fills it
                title = records.record_name(d.to_dict(), lang)
                panel = st.expander(ui.md(title) + (" · " + _("{n} personnel (reported)").format(n=ui.num(d["personnel_max"]))
                                                    if pd.notna(d["personnel_max"]) else ""),
                                    expanded=bool(pd.notna(d["personnel_max"]) and d["start"].year >= 2020),
                                    key=f"panel_{d['id']}", on_change="rerun")
                with panel:
                    if panel.open:
                        deployment_details(d)

        if ctx is not None and (ctx["iso3"] == country).any():
            st.subheader(_("Context events"))
            ev = ctx[ctx["iso3"] == country].sort_values("start")
            shown_ev = records.context_listing(ev, lang)
            ui.show_table(shown_ev)
            ui.caption(ev["source_id"].unique())
            ui.download(ev, f"context_events_{country}.csv", key="dl_ctx")

# ---- sources ---------------------------------------------------------------------------------------------------
used = data.memo(_profile_sources, country, annual is not None, bases is not None, deps is not None, ex is not None,
                 ctx is not None, tabs[2].open, tables=TABLES)
st.subheader(_("Sources for this profile"))
ui.source_list(used)

ui.share("country", {"country": country_label, "section": section,
                    "period": st.session_state.get("period") or PERIODS[0]}, {p.key: p.default for p in params},
         sync=("country", "section", "period"), page_title=_("Country profile") + ": " + name,
         snapshot_also=snapshot_also)
