"""When: troops abroad over time (total, by region, chosen countries) with the largest wars marked, and a
timeline of named deployments (project YAML files) and multinational exercises (MME)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, ui
from app_pages.params import Param
from charts import timeline as tl
from charts.common import MEASURE_LABELS

VIEWS = {"total": "Total abroad", "region": "By region", "countries": "Chosen countries"}
DEFAULT_COUNTRIES = ["DEU", "JPN", "KOR"]
MAX_ROWS = 45

st.title("When: US troops abroad over time")

annual = ui.table("troops_annual", "troops over time")
countries_all: dict[str, str] = {}
if annual is not None:
    abroad = annual[annual["scope"] == "abroad"]
    countries_all = dict(sorted(zip(abroad["iso3"], abroad["name"]), key=lambda kv: str(kv[1])))
deps = ui.deployments("the deployments timeline")
ex = ui.table("exercises", "the exercise timeline")

# ---- items for the timeline -----------------------------------------------------------------------------------
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
item_countries = sorted(set(items_df["iso3"]) - {""}, key=lambda c: data.entity(c)[0])
item_regions = sorted(set(items_df["region"]) - {""})
item_series = sorted(set(items_df["series"]))
y_lo = int(min(items_df["year0"].min(), 1950)) if len(items_df) else 1950
y_hi = int(items_df["year1"].max()) if len(items_df) else 2025
regions = sorted(annual["region"].dropna().unique().tolist()) if annual is not None else []

params = [
    Param("view", "choice", "total", tuple(VIEWS), label="view"),
    Param("countries", "multi", DEFAULT_COUNTRIES, tuple(countries_all), label="countries"),
    Param("gcountry", "multi", [], tuple(item_countries), label="timeline country"),
    Param("gregion", "multi", [], tuple(item_regions), label="timeline region"),
    Param("series", "multi", [], tuple(item_series), label="timeline series"),
    Param("from", "int", y_lo, min=y_lo, max=y_hi, label="timeline start year"),
    Param("to", "int", y_hi, min=y_lo, max=y_hi, label="timeline end year"),
    Param("item", "choice", "", tuple(items_df["id"]), label="selected item"),
]
ui.param_notices(params)

# ---- 1. troops over time -------------------------------------------------------------------------------------
st.header("Troops abroad, 1950 to today", divider="gray")
view = st.segmented_control("Show", list(VIEWS), format_func=VIEWS.get, default="total", key="view",
                            bind="query-params", required=True) or "total"
chosen = DEFAULT_COUNTRIES
if view == "countries":
    chosen = st.multiselect("Countries", list(countries_all), default=[c for c in DEFAULT_COUNTRIES if c in countries_all],
                            format_func=lambda c: countries_all.get(c, c), key="countries", bind="query-params",
                            max_selections=8)
if annual is not None:
    abroad = annual[annual["scope"] == "abroad"]
    if view == "total":
        series_df = abroad.groupby("year", as_index=False).agg(value=("active_duty", "sum"),
                                                               hosts=("active_duty", lambda s: int((s.fillna(0) > 0).sum())))
        fig = tl.troops_over_time(series_df, None, title="Active-duty US troops abroad, by year")
    elif view == "region":
        series_df = abroad.groupby(["year", "region"], as_index=False).agg(value=("active_duty", "sum"))
        fig = tl.troops_over_time(series_df, "region", title="Active-duty US troops abroad, by region", stacked=True)
    else:
        sel = abroad[abroad["iso3"].isin(chosen)]
        series_df = sel[["year", "iso3", "name", "active_duty", "report", "provenance"]].rename(columns={"active_duty": "value"})
        fig = tl.troops_over_time(series_df, "name", title="Active-duty US troops in chosen countries")
    st.plotly_chart(fig, key="troops_time", config={"displaylogo": False})
    methods = "; ".join(annual["method"].dropna().astype(str).unique()[:2])
    ui.caption(abroad["source_id"].unique(), note=f"Annual method: {methods}. Shaded: the largest US wars (periods)")
    ui.download(series_df, f"troops_abroad_{view}.csv", key="dl_time")

# ---- 2. timeline -----------------------------------------------------------------------------------------------
st.header("Named deployments and exercises", divider="gray")
st.caption("Named deployments come from reported sources (one file each, with attribution); exercises from the "
           "MME dataset (US multinational exercises, 1980-2010).")
f1, f2 = st.columns(2)
with f1:
    gcountry = st.multiselect("Country", item_countries, format_func=lambda c: data.entity(c)[0], key="gcountry",
                              bind="query-params")
    gregion = st.multiselect("Region", item_regions, key="gregion", bind="query-params")
with f2:
    series = st.multiselect("Series", item_series, key="series", bind="query-params",
                            help="An exercise series (e.g. BALTOPS) or the project's named deployments.")
    c_from, c_to = st.columns(2)
    with c_from:
        y_from = st.number_input("From year", min_value=y_lo, max_value=y_hi, value=y_lo, step=1, key="from",
                                 bind="query-params")
    with c_to:
        y_to = st.number_input("To year", min_value=y_lo, max_value=y_hi, value=y_hi, step=1, key="to",
                               bind="query-params")

f = items_df
if gcountry:
    f = f[f["iso3"].isin(gcountry)]
if gregion:
    f = f[f["region"].isin(gregion)]
if series:
    f = f[f["series"].isin(series)]
f = f[(f["year1"] >= int(y_from)) & (f["year0"] <= int(y_to))]
rows = list(dict.fromkeys(f.sort_values("start")["row"]))
if not len(f):
    st.info("Nothing matches these filters.")
else:
    if len(rows) > MAX_ROWS:
        named = set(f.loc[f["kind"] != "mme_exercise", "row"])
        mme = f[f["kind"] == "mme_exercise"]
        keep = named | set(mme.groupby("row").size().sort_values(ascending=False).head(max(MAX_ROWS - len(named), 10)).index)
        st.info(f"{len(rows)} rows match; the timeline shows every named deployment and the exercise series with "
                "the most exercises. Narrow the filters (country, region, series or years) to see the rest; the "
                "download has all of them.")
        f_shown = f[f["row"].isin(keep)]
    else:
        f_shown = f
    st.plotly_chart(tl.gantt(f_shown, title=f"{len(f):,} deployments and exercises, {int(y_from)}-{int(y_to)}"),
                    key="gantt", config={"displaylogo": False})
    src = []
    if (f["kind"] != "mme_exercise").any() and deps is not None:
        src += [s.get("source_id") for srcs in deps["sources"] for s in (srcs or [])]
    if (f["kind"] == "mme_exercise").any() and ex is not None:
        src += ex["source_id"].unique().tolist()
    ui.caption(src)
    ui.download(f.drop(columns=["hover"]), "deployments_exercises_timeline.csv", key="dl_gantt")

# ---- details ---------------------------------------------------------------------------------------------------
labels = dict(zip(items_df["id"], items_df["hover"]))
options = [""] + f.sort_values("start")["id"].tolist() if len(f) else [""]
item = st.selectbox("Details of one item", options, format_func=lambda i: labels.get(i, "Choose a deployment or exercise"),
                    key="item", bind="query-params")
if item:
    if item.startswith("dep:") and deps is not None:
        from app_pages.details import deployment_details
        deployment_details(deps[deps["id"] == item[4:]].iloc[0])
    elif item.startswith("mme:") and ex is not None:
        from app_pages.details import exercise_details
        exercise_details(ex[ex["exercise_id"].astype(str) == item[4:]].iloc[0])

ui.share("when", {"view": view, "countries": chosen, "gcountry": gcountry, "gregion": gregion, "series": series,
                  "from": int(y_from), "to": int(y_to), "item": item}, {p.key: p.default for p in params})
