"""When: troops abroad over time (total, by region, chosen countries) with the largest wars marked, and a
timeline of named deployments (project YAML files) and multinational exercises (MME)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
import prep
from app_pages import data, ui
from app_pages.params import Param
from charts import timeline as tl
from i18n import N_
from prep import records, registry, views

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
    annual = data.load("troops_annual")
    abroad = annual[annual["scope"] == "abroad"]
    countries_all = dict(sorted(zip(abroad["iso3"], abroad["name"]), key=lambda kv: str(kv[1])))
    _clash = {n for n in countries_all.values() if list(countries_all.values()).count(n) > 1}
    return {c: (f"{n} ({c})" if n in _clash else n) for c, n in countries_all.items()}


NAMED_SERIES = N_("Named deployments (project files)")


def _items(with_deps: bool, with_ex: bool, lang: str = "en") -> dict:
    """The timeline's items (named deployments and MME exercises) and the filter options derived from them. Filter
    values (countries, regions, series, items) are the English names, language-neutral in the link; ``labels``
    gives what the reader sees."""
    _ = i18n.gettext_for(lang)
    place = lambda c: i18n.country(c, data.entity(c)[0], lang) if c else ""  # noqa: E731
    deps = data.deployments()[0] if with_deps else None
    ex = data.load("exercises") if with_ex else None
    items = []
    if deps is not None:
        for d in deps.itertuples(index=False):
            if pd.isna(d.start):
                continue
            region = data.entity(d.iso3)[2] if d.iso3 else ""
            name = records.record_name(d, lang)
            when = i18n.month_year(d.start, lang)
            if pd.notna(d.end):
                when = _("{start} to {end}").format(start=when, end=i18n.month_year(d.end, lang))
            items.append({"id": f"dep:{d.id}", "row": name, "start": d.start, "end": d.end, "kind": d.kind,
                          "iso3": d.iso3 or "", "region": region, "series": NAMED_SERIES, "name_en": d.name,
                          "year0": d.start.year, "year1": (d.end.year if pd.notna(d.end) else d.start.year),
                          "hover": f"{name} | {place(d.iso3)} | {when}"
                                   + (" | " + _("{n} personnel (reported)").format(n=i18n.num(d.personnel_max, lang))
                                      if pd.notna(d.personnel_max) else "")})
    if ex is not None:
        for e in ex.itertuples(index=False):
            if pd.isna(e.start):
                continue
            host = e.host_iso3 if isinstance(e.host_iso3, str) else ""
            ename = e.name if isinstance(e.name, str) and e.name else f"Unnamed exercise, {e.location}"
            shown = e.name if isinstance(e.name, str) and e.name else _("Unnamed exercise, {place}").format(place=e.location)
            series = e.series if isinstance(e.series, str) and e.series else ename
            items.append({"id": f"mme:{e.exercise_id}", "row": f"{series} (MME)", "start": e.start, "end": e.end,
                          "kind": "mme_exercise", "iso3": host, "region": data.entity(host)[2] if host else "",
                          "series": series, "name_en": f"{series} (MME)", "year0": int(e.year),
                          "year1": int(e.end.year) if pd.notna(e.end) else int(e.year),
                          "hover": f"{shown} | {e.location} | {i18n.month_year(e.start, lang)} | "
                                   + _("{n} countries").format(n=e.n_participants)})
    items_df = pd.DataFrame(items, columns=["id", "row", "start", "end", "kind", "iso3", "region", "series", "name_en",
                                            "year0", "year1", "hover"])
    item_country_label = {c: data.entity(c)[0] for c in set(items_df["iso3"]) - {""}}
    item_country_by_label = {v: k for k, v in item_country_label.items()}
    # one short, unique label per item: the URL value (?item=..., from the English name) and what the reader sees
    item_labels: dict[str, str] = {}
    shown_labels: dict[str, str] = {}
    _used: set[str] = set()
    for _id, _en, _row, _y in zip(items_df["id"], items_df["name_en"], items_df["row"], items_df["year0"]):
        _l = f"{_en.replace(' (MME)', '')}, {_y}"
        _l = _l if _l not in _used else f"{_l} ({_id.split(':', 1)[1]})"
        _used.add(_l)
        item_labels[_id] = _l
        shown_labels[_l] = f"{_row.replace(' (MME)', '')}, {_y}"
    dep_sources = ([s.get("source_id") for srcs in deps["sources"] for s in (srcs or [])] if deps is not None else [])
    country_shown = {n: place(c) for n, c in item_country_by_label.items()}
    return {"items_df": items_df, "item_country_by_label": item_country_by_label, "country_shown": country_shown,
            "item_countries": sorted(item_country_by_label, key=lambda n: i18n.sort_key(country_shown[n])),
            "item_regions": sorted(set(items_df["region"]) - {""}, key=lambda r: i18n.sort_key(_(r))),
            "item_series": sorted(set(items_df["series"])), "item_labels": item_labels, "shown_labels": shown_labels,
            "item_by_label": {v: k for k, v in item_labels.items()},
            "y_lo": int(min(items_df["year0"].min(), 1950)) if len(items_df) else 1950,
            "y_hi": int(items_df["year1"].max()) if len(items_df) else 2025,
            "dep_sources": dep_sources,
            "ex_sources": ex["source_id"].unique().tolist() if ex is not None else []}


def _troops(view: str, chosen: tuple[str, ...], lang: str = "en") -> dict:
    return views.troops_over_time(data.load("troops_annual"), view, chosen, lang)


def _timeline(with_deps: bool, with_ex: bool, gcountry: tuple[str, ...], gregion: tuple[str, ...],
              series: tuple[str, ...], y_from: int, y_to: int, lang: str = "en") -> dict:
    it = data.memo(_items, with_deps, with_ex, lang, tables=TL_TABLES)
    f = it["items_df"]
    if gcountry:
        f = f[f["iso3"].isin(list(gcountry))]
    if gregion:
        f = f[f["region"].isin(list(gregion))]
    if series:
        f = f[f["series"].isin(list(series))]
    f = f[(f["year1"] >= y_from) & (f["year0"] <= y_to)]
    by_start = f.sort_values("start")
    rows = list(dict.fromkeys(by_start["row"]))
    out = {"f": f, "n_rows": len(rows), "options": [it["item_labels"][i] for i in by_start["id"]] if len(f) else [],
           "too_many": False, "fig": None, "src": []}
    if len(f):
        if len(rows) > MAX_ROWS:
            named = set(f.loc[f["kind"] != "mme_exercise", "row"])
            mme = f[f["kind"] == "mme_exercise"]
            keep = named | set(mme.groupby("row").size().sort_values(ascending=False).head(max(MAX_ROWS - len(named), 10)).index)
            f_shown = f[f["row"].isin(keep)]
            out["too_many"] = len(f_shown) < len(f)
        else:
            f_shown = f
        out.update(n_items=len(f), n_shown=len(f_shown), n_rows_shown=f_shown["row"].nunique())
        out["fig"] = tl.gantt(f_shown, title=prep.timeline_title(len(f), len(f_shown), y_from, y_to, lang),
                              x_range=(pd.Timestamp(f"{y_from}-01-01") - pd.Timedelta(days=30),
                                       pd.Timestamp(f"{y_to}-12-31") + pd.Timedelta(days=30)), lang=lang)
        src = []
        if (f["kind"] != "mme_exercise").any() and with_deps:
            src += it["dep_sources"]
        if (f["kind"] == "mme_exercise").any() and with_ex:
            src += it["ex_sources"]
        out["src"] = src
        out["download"] = f.drop(columns=["hover", "name_en"])
    return out


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
item_country_by_label = it["item_country_by_label"]
item_countries, item_regions, item_series = it["item_countries"], it["item_regions"], it["item_series"]
item_labels, item_by_label = it["item_labels"], it["item_by_label"]
y_lo, y_hi = it["y_lo"], it["y_hi"]
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
            series_df = tv["series_df"]
            ui.chart(tv["fig"], key="troops_time")
            ui.caption(tv["sources"], note=_(views.WARS_NOTE),
                       more=_("Annual method: {method}").format(method=_(tv["methods"])))
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
            gcountry_labels = ui.multiselect(_("Country"), item_countries, format_func=it["country_shown"].get,
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
        tv2 = data.memo(_timeline, deps is not None, ex is not None, tuple(gcountry), tuple(gregion), tuple(series),
                        int(y_from), int(y_to), lang, tables=TL_TABLES)
        if not len(tv2["f"]):
            st.info(_("Nothing matches these filters."))
        else:
            if tv2["too_many"]:
                st.info(_("{n} items match (in {rows} rows: a row is one named deployment or one exercise series). The "
                          "timeline draws {shown} of them: every named deployment and the exercise series with the most "
                          "exercises. Narrow the filters (country, region, series or years) to see the rest; the "
                          "download has all of them.").format(n=ui.num(tv2["n_items"]), rows=ui.num(tv2["n_rows"]),
                                                              shown=ui.num(tv2["n_shown"])))
            ui.chart(tv2["fig"], key="gantt")
            ui.caption(tv2["src"])
            ui.download(tv2["download"], "deployments_exercises_timeline.csv", key="dl_gantt")

        # ---- details ---------------------------------------------------------------------------------------------------
        options = tv2["options"]
        shown_labels = it["shown_labels"]
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
