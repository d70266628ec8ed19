"""When: troops abroad over time (total, by region, chosen countries) with the largest wars marked, and a
timeline of named deployments (project YAML files) and multinational exercises (MME)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, ui
from app_pages.params import Param
from charts import timeline as tl
from charts.common import MEASURE_LABELS
import prep

# Widget options are the words readers see; with bind="query-params" they are also the URL values.
VIEWS = {"Total": "total", "By region": "region", "Countries": "countries"}
DEFAULT_COUNTRIES = ["DEU", "JPN", "KOR"]
MAX_ROWS = 45
RECENT_YEARS = 15  # the timeline opens on the last 15 years of records; "From year" widens it back to 1920
# Two lazy tabs bound to the URL (?section=...): only the open one runs and draws its chart.
SECTIONS = ("Troops abroad", "Deployments and exercises")
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


def _items(with_deps: bool, with_ex: bool) -> dict:
    """The timeline's items (named deployments and MME exercises) and the filter options derived from them."""
    deps = data.deployments()[0] if with_deps else None
    ex = data.load("exercises") if with_ex else None
    items = []
    if deps is not None:
        for d in deps.itertuples(index=False):
            if pd.isna(d.start):
                continue
            region = data.entity(d.iso3)[2] if d.iso3 else ""
            items.append({"id": f"dep:{d.id}", "row": f"{d.name}", "start": d.start, "end": d.end, "kind": d.kind,
                          "iso3": d.iso3 or "", "region": region, "series": "Named deployments (project files)",
                          "year0": d.start.year, "year1": (d.end.year if pd.notna(d.end) else d.start.year),
                          "hover": f"{d.name} | {data.entity(d.iso3)[0] if d.iso3 else ''} | {d.start:%b %Y}"
                                   + (f" to {d.end:%b %Y}" if pd.notna(d.end) else "")
                                   + (f" | {int(d.personnel_max):,} personnel (reported)" if pd.notna(d.personnel_max) else "")})
    if ex is not None:
        for e in ex.itertuples(index=False):
            if pd.isna(e.start):
                continue
            host = e.host_iso3 if isinstance(e.host_iso3, str) else ""
            ename = e.name if isinstance(e.name, str) and e.name else f"Unnamed exercise, {e.location}"
            series = e.series if isinstance(e.series, str) and e.series else ename
            items.append({"id": f"mme:{e.exercise_id}", "row": f"{series} (MME)", "start": e.start, "end": e.end,
                          "kind": "mme_exercise", "iso3": host, "region": data.entity(host)[2] if host else "",
                          "series": series, "year0": int(e.year), "year1": int(e.end.year) if pd.notna(e.end) else int(e.year),
                          "hover": f"{ename} | {e.location} | {e.start:%b %Y} | {e.n_participants} countries"})
    items_df = pd.DataFrame(items, columns=["id", "row", "start", "end", "kind", "iso3", "region", "series", "year0",
                                            "year1", "hover"])
    item_country_label = {c: data.entity(c)[0] for c in set(items_df["iso3"]) - {""}}
    item_country_by_label = {v: k for k, v in item_country_label.items()}
    # one short, unique label per item: the selectbox option and the URL value (?item=...)
    item_labels: dict[str, str] = {}
    _used: set[str] = set()
    for _id, _row, _y in zip(items_df["id"], items_df["row"], items_df["year0"]):
        _l = f"{_row.replace(' (MME)', '')}, {_y}"
        _l = _l if _l not in _used else f"{_l} ({_id.split(':', 1)[1]})"
        _used.add(_l)
        item_labels[_id] = _l
    dep_sources = ([s.get("source_id") for srcs in deps["sources"] for s in (srcs or [])] if deps is not None else [])
    return {"items_df": items_df, "item_country_by_label": item_country_by_label,
            "item_countries": sorted(item_country_by_label), "item_regions": sorted(set(items_df["region"]) - {""}),
            "item_series": sorted(set(items_df["series"])), "item_labels": item_labels,
            "item_by_label": {v: k for k, v in item_labels.items()},
            "y_lo": int(min(items_df["year0"].min(), 1950)) if len(items_df) else 1950,
            "y_hi": int(items_df["year1"].max()) if len(items_df) else 2025,
            "dep_sources": dep_sources,
            "ex_sources": ex["source_id"].unique().tolist() if ex is not None else []}


def _troops(view: str, chosen: tuple[str, ...]) -> dict:
    annual = data.load("troops_annual")
    abroad = annual[annual["scope"] == "abroad"]
    if view == "total":
        series_df = abroad.groupby("year", as_index=False).agg(value=("active_duty", "sum"),
                                                               hosts=("active_duty", lambda s: int((s.fillna(0) > 0).sum())))
        fig = tl.troops_over_time(series_df, None, title="Active-duty troops abroad")
    elif view == "region":
        series_df = abroad.groupby(["year", "region"], as_index=False).agg(value=("active_duty", "sum"))
        fig = tl.troops_over_time(series_df, "region", title="Active-duty troops abroad, by region", stacked=True)
    else:
        sel = abroad[abroad["iso3"].isin(list(chosen))]
        series_df = sel[["year", "iso3", "name", "active_duty", "report", "provenance"]].rename(columns={"active_duty": "value"})
        fig = tl.troops_over_time(series_df, "name", title="Active-duty troops, chosen countries")
    methods = "; ".join(m.rstrip(". ") for m in annual["method"].dropna().astype(str).unique()[:2])
    return {"series_df": series_df, "fig": fig, "methods": methods, "sources": abroad["source_id"].unique()}


def _timeline(with_deps: bool, with_ex: bool, gcountry: tuple[str, ...], gregion: tuple[str, ...],
              series: tuple[str, ...], y_from: int, y_to: int) -> dict:
    it = data.memo(_items, with_deps, with_ex, tables=TL_TABLES)
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
        out["fig"] = tl.gantt(f_shown, title=prep.timeline_title(len(f), len(f_shown), y_from, y_to),
                              x_range=(pd.Timestamp(f"{y_from}-01-01") - pd.Timedelta(days=30),
                                       pd.Timestamp(f"{y_to}-12-31") + pd.Timedelta(days=30)))
        src = []
        if (f["kind"] != "mme_exercise").any() and with_deps:
            src += it["dep_sources"]
        if (f["kind"] == "mme_exercise").any() and with_ex:
            src += it["ex_sources"]
        out["src"] = src
        out["download"] = f.drop(columns=["hover"])
    return out


ui.page_head("When: US troops abroad over time",
             "How many US military personnel were stationed abroad each year since 1950 (DMDC reports, compiled by "
             "troopdata), and a timeline of named deployments, exercises and host-country decisions from reported "
             "sources and the MME exercise dataset.")

annual = ui.table("troops_annual", "troops over time")
countries_all: dict[str, str] = data.memo(_countries, tables=("troops_annual",)) if annual is not None else {}
country_by_label = {v: k for k, v in countries_all.items()}
default_country_labels = [countries_all[c] for c in DEFAULT_COUNTRIES if c in countries_all]
deps = ui.deployments("the deployments timeline")
ex = ui.table("exercises", "the exercise timeline")

# ---- items for the timeline -----------------------------------------------------------------------------------
it = data.memo(_items, deps is not None, ex is not None, tables=TL_TABLES)
item_country_by_label = it["item_country_by_label"]
item_countries, item_regions, item_series = it["item_countries"], it["item_regions"], it["item_series"]
item_labels, item_by_label = it["item_labels"], it["item_by_label"]
y_lo, y_hi = it["y_lo"], it["y_hi"]
recent_from = max(y_lo, y_hi - RECENT_YEARS + 1)

params = [
    Param("section", "choice", SECTIONS[0], SECTIONS, label="section"),
    Param("view", "choice", "Total", tuple(VIEWS), label="view"),
    Param("countries", "multi", default_country_labels, tuple(country_by_label), label="countries", max_items=8),
    Param("gcountry", "multi", [], tuple(item_countries), label="timeline country"),
    Param("gregion", "multi", [], tuple(item_regions), label="timeline region"),
    Param("series", "multi", [], tuple(item_series), label="timeline series"),
    Param("from", "int", recent_from, min=y_lo, max=y_hi, label="timeline start year"),
    Param("to", "int", y_hi, min=y_lo, max=y_hi, label="timeline end year"),
    Param("item", "choice", "", tuple(item_labels.values()), label="selected item"),
]
ui.param_notices(params)

tabs, section = ui.section_tabs(SECTIONS, SECTION_KEYS)
shared: dict[str, object] = {"section": section}

# ---- 1. troops over time -------------------------------------------------------------------------------------
with tabs[0]:
    if tabs[0].open:  # only the open tab runs (lazy tabs: one chart per load)
        st.header("Troops abroad, 1950 to today")
        view_label = st.segmented_control("Show", list(VIEWS), default="Total", key="view", bind="query-params",
                                          required=True) or "Total"
        view = VIEWS[view_label]
        chosen_labels = default_country_labels
        if view == "countries":
            chosen_labels = st.multiselect("Countries", list(country_by_label), default=default_country_labels,
                                           key="countries", bind="query-params", max_selections=8)
        chosen = [country_by_label[x] for x in chosen_labels]
        if annual is not None:
            tv = data.memo(_troops, view, tuple(chosen) if view == "countries" else (), tables=("troops_annual",))
            series_df = tv["series_df"]
            ui.chart(tv["fig"], key="troops_time")
            ui.caption(tv["sources"], note=f"Annual method: {tv['methods']}. Shaded: the largest US wars (Korea 1950-53, Vietnam 1965-73, Gulf 1990-91, Afghanistan 2001-21, Iraq 2003-11)")
            ui.download(series_df, f"troops_abroad_{view}.csv", key="dl_time")
        shared.update(view=view_label, countries=chosen_labels)

# ---- 2. timeline -----------------------------------------------------------------------------------------------
with tabs[1]:
    if tabs[1].open:
        st.header("Named deployments and exercises")
        st.caption("Named deployments come from reported sources (one file each, with attribution); exercises from the "
                   "MME dataset (US multinational exercises, 1980-2010).")
        f1, f2 = st.columns(2)
        with f1:
            gcountry_labels = st.multiselect("Country", item_countries, key="gcountry", bind="query-params")
            gcountry = [item_country_by_label[x] for x in gcountry_labels]
            gregion = st.multiselect("Region", item_regions, key="gregion", bind="query-params")
        with f2:
            series = st.multiselect("Series", item_series, key="series", bind="query-params",
                                    help="An exercise series (e.g. BALTOPS) or the project's named deployments.")
            c_from, c_to = st.columns(2)
            with c_from:
                y_from = st.number_input("From year", min_value=y_lo, max_value=y_hi, value=recent_from, step=1,
                                         key="from", bind="query-params",
                                         help=f"The timeline opens on the last {RECENT_YEARS} years; records go back to {y_lo}.")
            with c_to:
                y_to = st.number_input("To year", min_value=y_lo, max_value=y_hi, value=y_hi, step=1, key="to",
                                       bind="query-params")

        if int(y_from) > int(y_to):  # e.g. a link with from=2000&to=1960: say so, and use the range it implies
            st.warning(f"The timeline start year ({int(y_from)}) is after its end year ({int(y_to)}); showing "
                       f"{int(y_to)}-{int(y_from)}.", icon=":material/link_off:")
            y_from, y_to = y_to, y_from
        tv2 = data.memo(_timeline, deps is not None, ex is not None, tuple(gcountry), tuple(gregion), tuple(series),
                        int(y_from), int(y_to), tables=TL_TABLES)
        if not len(tv2["f"]):
            st.info("Nothing matches these filters.")
        else:
            if tv2["too_many"]:
                st.info(f"{tv2['n_items']:,} items match (in {tv2['n_rows']:,} rows: a row is one named deployment or "
                        f"one exercise series). The timeline draws {tv2['n_shown']:,} of them: every named deployment "
                        "and the exercise series with the most exercises. Narrow the filters (country, region, series "
                        "or years) to see the rest; the download has all of them.")
            ui.chart(tv2["fig"], key="gantt")
            ui.caption(tv2["src"])
            ui.download(tv2["download"], "deployments_exercises_timeline.csv", key="dl_gantt")

        # ---- details ---------------------------------------------------------------------------------------------------
        options = tv2["options"]
        item_label = st.selectbox("Details of one item", options, index=None, placeholder="Choose a deployment or exercise",
                                  key="item", bind="query-params")
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

ui.share("when", shared, {p.key: p.default for p in params})
