"""What the views compute for one parameter set, from DataFrames, with no Streamlit: the year's table and map, the
animated map, troops over time, the budget charts and a country's troop history. Each function is a faithful copy
of a page's private function (named in its docstring), taking the tables as arguments instead of reading them
through app_pages.data, so the app's pages and the static snapshot (export/snapshot.py) build the same figures.
tests/test_export_views.py compares them with the figures the app shows.

Frames passed in are never modified (pandas copy-on-write; every function derives new frames).
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from charts import budget as bc
from charts import maps
from charts import timeline as tl
from charts.common import PROVENANCE_LABELS
from loaders import countries

from . import hosts_note

MEASURES = ("active_duty", "army", "navy", "marine_corps", "air_force", "space_force", "coast_guard",
            "reserve", "civilian")
DOWNLOAD_COLS = ["iso3", "name", "region", "year", "date", "report", "provenance", "source_id", "method"]
OMB_UNITS = {"Current dollars": "usd_m_current", "Constant FY2017 dollars": "usd_b_constant_fy2017",
             "Percent of GDP": "pct_gdp"}
GB_BREAKDOWNS = {"By title": "title", "By department": "military_department"}
GB_DOLLARS = {"Current dollars": "current", "Constant FY2022 dollars": "constant_fy2022"}
SIPRI_METRICS = {"Current dollars": "current_usd_m", "Constant 2023 dollars": "constant_2023_usd_m",
                 "Share of GDP": "share_of_gdp_pct"}
TROOP_VIEWS = {"Total": "total", "By region": "region", "Countries": "countries"}
WARS_NOTE = ("Shaded: the largest US wars (Korea 1950-53, Vietnam 1965-73, Gulf 1990-91, Afghanistan 2001-21, "
             "Iraq 2003-11)")


# ---------------------------------------------------------------------------------------------- places ---

@lru_cache(maxsize=4096)
def entity(code: str) -> tuple[str, str, str, str]:
    """(name, map_iso3, region, kind) for one of our place codes; falls back to the code itself
    (app_pages.data.entity)."""
    e = countries.lookup(code)
    if e is None:
        return code, code if len(code) == 3 and not code.startswith("X") else "", "", ""
    return e.name, e.map_iso3 or "", e.region, e.kind


def with_map_codes(frame: pd.DataFrame, code_col: str = "iso3") -> pd.DataFrame:
    """``frame`` with ``map_iso3`` (the shape drawn on the map) added (app_pages.data.with_map_codes)."""
    codes = frame[code_col].fillna("").astype(str)
    mapping = {c: entity(c)[1] for c in codes.unique() if c}
    return frame.assign(map_iso3=codes.map(lambda c: mapping.get(c, "")).astype("str"))


def abroad(annual: pd.DataFrame) -> pd.DataFrame:
    """troops_annual rows abroad, with map codes (where.py ``_abroad``)."""
    if "map_iso3" not in annual.columns:
        annual = with_map_codes(annual)
    return annual[annual["scope"] == "abroad"]


def methods(annual: pd.DataFrame) -> str:
    """The annual method in words (the first two distinct texts), as every troop caption gives it."""
    return "; ".join(m.rstrip(". ") for m in annual["method"].dropna().astype(str).unique()[:2])


def years_and_measures(annual: pd.DataFrame) -> tuple[list[int], list[str]]:
    """The years on the map and the measures with any figure (where.py ``_meta``)."""
    years = sorted(annual["year"].dropna().astype(int).unique().tolist())
    measures = [m for m in MEASURES if m in annual.columns and annual[m].notna().any()]
    return years, measures


# --------------------------------------------------------------------------------------------- Where ---

def troops_abroad_year(annual: pd.DataFrame, year: int, measure: str) -> dict:
    """One year's figures for one measure (where.py ``_year``): ``this_year`` (the rows), ``hosts``, ``total``,
    ``shown`` (the download), ``shown_sources``, ``hosts_note``, ``all_services``, ``top`` (15 largest hosts),
    ``top_sources``."""
    ab = abroad(annual)
    this_year = ab[ab["year"] == year]
    hosts = this_year[this_year[measure].fillna(0) > 0]
    total = int(this_year[measure].sum(skipna=True)) if this_year[measure].notna().any() else None
    shown = this_year[this_year[measure].notna()]
    top15 = hosts.sort_values(measure, ascending=False).head(15)
    top = (top15
           .assign(troops=lambda f: f[measure].astype("Int64"),
                   provenance=lambda f: f["provenance"].map(lambda p: PROVENANCE_LABELS.get(p, p)).astype("str"))
           [["name", "troops", "report", "provenance"]].rename(columns={"name": "Host", "troops": "Troops",
                                                                         "report": "Report", "provenance": "Kind"}))
    cols = DOWNLOAD_COLS[:7] + [measure] + DOWNLOAD_COLS[7:]
    all_services = (int(this_year["active_duty"].sum(skipna=True))
                    if measure != "active_duty" and this_year["active_duty"].notna().any() else None)
    return {"this_year": this_year, "hosts": len(hosts), "total": total, "shown": shown[cols],
            "shown_sources": list(shown["source_id"].unique()),
            "hosts_note": hosts_note(this_year, measure, year), "all_services": all_services, "top": top,
            "top_sources": list(top15["source_id"].unique())}


def year_map(annual: pd.DataFrame, year: int, measure: str, log: bool = False):
    """The single-year world map with no layers (where.py ``_map_figure`` without bases, deployments, exercises)."""
    this_year = troops_abroad_year(annual, year, measure)["this_year"]
    return maps.troop_map(this_year, measure, log, title=f"US troops abroad, {year}")


def all_years(annual: pd.DataFrame, measure: str) -> tuple[pd.DataFrame, list[str]]:
    """Every year's rows with a figure for ``measure`` (the animation's download) and their sources
    (where.py ``_all_years``)."""
    ab = abroad(annual)
    shown = ab[ab[measure].notna()]
    cols = DOWNLOAD_COLS[:7] + [measure] + DOWNLOAD_COLS[7:]
    return shown[cols], list(shown["source_id"].unique())


def troop_animation(annual: pd.DataFrame, measure: str = "active_duty", log: bool = False):
    """The world map with every year on a slider (where.py ``_animation`` with its title)."""
    years, _ = years_and_measures(annual)
    return maps.troop_animation(abroad(annual), measure, log, title=f"US troops abroad, {years[0]}-{years[-1]}")


# ---------------------------------------------------------------------------------------------- When ---

def troops_over_time(annual: pd.DataFrame, view: str, chosen: tuple[str, ...] = ()) -> dict:
    """Troops abroad over time (when.py ``_troops``): ``view`` is "total", "region" or "countries" (with the
    ``chosen`` ISO codes). Returns ``series_df`` (the download), ``fig``, ``methods``, ``sources``."""
    ab = annual[annual["scope"] == "abroad"]
    if view == "total":
        series_df = ab.groupby("year", as_index=False).agg(value=("active_duty", "sum"),
                                                           hosts=("active_duty", lambda s: int((s.fillna(0) > 0).sum())))
        fig = tl.troops_over_time(series_df, None, title="Active-duty troops abroad")
    elif view == "region":
        series_df = ab.groupby(["year", "region"], as_index=False).agg(value=("active_duty", "sum"))
        fig = tl.troops_over_time(series_df, "region", title="Active-duty troops abroad, by region", stacked=True)
    else:
        sel = ab[ab["iso3"].isin(list(chosen))]
        series_df = sel[["year", "iso3", "name", "active_duty", "report", "provenance"]].rename(columns={"active_duty": "value"})
        fig = tl.troops_over_time(series_df, "name", title="Active-duty troops, chosen countries")
    return {"series_df": series_df, "fig": fig, "methods": methods(annual), "sources": ab["source_id"].unique()}


# ---------------------------------------------------------------------------------------------- Cost ---

def omb_prepared(omb: pd.DataFrame) -> dict:
    """budget_omb with each series taken from its first OMB table (cost.py ``_omb``)."""
    omb = omb.sort_values(["omb_table", "fiscal_year"]).drop_duplicates(["series", "unit", "fiscal_year"], keep="first")
    return {"omb": omb, "series_options": sorted(omb["series"].dropna().unique().tolist()),
            "series_labels": {s: l for s, l in zip(omb["series"], omb["label"])}}


def omb_view(omb: pd.DataFrame, unit: str, parts: tuple[str, ...], unit_label: str) -> dict:
    """The outlays chart (cost.py ``_omb_view``): ``omb`` is the budget_omb table as read; ``unit`` one of
    OMB_UNITS' values, ``unit_label`` its key. Returns ``shown`` (the download) and, when not empty, ``fig``,
    ``first``, ``last``, ``est`` (first and last estimate year or None), ``sources``."""
    omb = omb_prepared(omb)["omb"]
    shown = omb[(omb["series"].isin(list(parts))) & (omb["unit"] == unit)]
    if shown.empty:
        return {"shown": shown}
    est = shown.loc[shown["is_estimate"].fillna(False).astype(bool), "fiscal_year"]
    return {"shown": shown, "fig": bc.omb_outlays(shown, unit, title=f"Outlays, {unit_label}"),
            "first": int(shown["fiscal_year"].min()), "last": int(shown["fiscal_year"].max()),
            "est": (int(est.min()), int(est.max())) if len(est) else None, "sources": shown["source_id"].unique()}


def omb_note(ov: dict) -> str:
    """The outlays caption's note (cost.py)."""
    return (f"Fiscal years {ov['first']}-{ov['last']}"
            + (f"; {ov['est'][0]}-{ov['est'][1]} are OMB estimates (dashed)" if ov["est"] else ""))


def gb_view(gb: pd.DataFrame, breakdown: str, dollars: str, gbd: str) -> dict:
    """Green Book budget authority (cost.py ``_gb_view``): ``breakdown`` and ``dollars`` are GB_BREAKDOWNS' and
    GB_DOLLARS' values, ``gbd`` the dollars' label."""
    from loaders.budget import CATEGORY_LABELS

    sel = gb[(gb["measure"] == "budget_authority") & (gb["breakdown"] == breakdown) & (gb["dollars"] == dollars)]
    if sel.empty:
        return {"sel": sel}
    sel = sel.assign(category=sel["category"].map(lambda c: CATEGORY_LABELS.get(c, c)).astype("str"))
    statuses = ", ".join(f"FY{int(y)} {s}" for y, s in sel.loc[sel["status"] != "actual", ["fiscal_year", "status"]]
                         .drop_duplicates("fiscal_year").itertuples(index=False))
    return {"sel": sel, "fig": bc.greenbook(sel, title=f"DoD budget authority, {gbd}"), "statuses": statuses,
            "first": int(sel["fiscal_year"].min()), "last": int(sel["fiscal_year"].max()),
            "sources": sel["source_id"].unique()}


def gb_note(gv: dict) -> str:
    return f"Fiscal years {gv['first']}-{gv['last']}; hatched = not actual ({gv['statuses'] or 'none'})"


def our_names(frame: pd.DataFrame) -> pd.DataFrame:
    """SIPRI's country names replaced by the dashboard's (cost.py ``our_names``); SIPRI's own kept in
    ``sipri_country``."""
    codes = frame["iso3"].fillna("").astype(str) if "iso3" in frame.columns else pd.Series("", index=frame.index)
    ours = [entity(c)[0] if c else n for c, n in zip(codes, frame["country"].astype(str))]
    return frame.assign(sipri_country=frame["country"], country=pd.array(ours, dtype="str"))


def sipri_view(sipri: pd.DataFrame, syear: int, metric: str, smetric: str) -> dict:
    """The SIPRI bars for one year and measure (cost.py ``_sipri_view``): ``sipri`` is the extract as read (names
    are replaced here); ``metric`` one of SIPRI_METRICS' values, ``smetric`` its label. ``fig`` is None when the
    year has no figure."""
    sipri = our_names(sipri)
    sel = sipri[(sipri["year"] == syear) & (sipri["metric"] == metric)]
    if sel["value"].notna().sum() == 0:
        return {"sel": sel, "fig": None}
    return {"sel": sel, "fig": bc.sipri_bars(sipri, int(syear), metric, title=f"SIPRI {syear}: {smetric}")}


def sipri_note(sel: pd.DataFrame) -> str:
    from loaders.budget import SIPRI_ATTRIBUTION

    missing = sel[sel["value"].isna()]
    return SIPRI_ATTRIBUTION + ". " + ("Calendar years, SIPRI's definition (broader than OMB outlays)"
                                       + (f"; no figure for: {', '.join(missing['country'].astype(str))}"
                                          if len(missing) else ""))


def sipri_latest_year(sipri: pd.DataFrame) -> int:
    years = sorted(sipri["year"].dropna().astype(int).unique().tolist())
    return years[-1] if years else 2024


def fy2024(omb: pd.DataFrame | None, reported: pd.DataFrame | None) -> dict | None:
    """FY2024's official figures beside the reported estimate (cost.py ``_fy2024``); None when neither table
    gives one."""
    omb = omb_prepared(omb)["omb"] if omb is not None else None
    items = []
    if omb is not None:
        for series, label in (("national_defense", "OMB: national defense (050) outlays, FY2024"),
                              ("dod_military", "OMB: DoD military (051) outlays, FY2024")):
            row = omb[(omb["series"] == series) & (omb["unit"] == "usd_m_current") & (omb["fiscal_year"] == 2024)]
            if len(row):
                r = row.iloc[0]
                items.append({"label": label, "value_usd_m": float(r["value"]), "kind": "official",
                              "note": "Actual outlays" if not bool(r["is_estimate"]) else "OMB estimate",
                              "attributed_to": "Office of Management and Budget", "claim": "",
                              "source_id": r["source_id"]})
    if reported is not None:
        money = reported[reported["unit"].astype(str).str.contains("usd|dollar", case=False, regex=True)
                         & (reported["year"] == 2024)]
        for r in money.itertuples(index=False):
            unit_s = str(r.unit).lower()
            factor = 1e-6 if unit_s in ("usd", "dollars", "usd_current") else (1000.0 if "usd_b" in unit_s or "billion" in unit_s
                                                                                 else 1_000_000.0 if "usd_t" in unit_s or "trillion" in unit_s else 1.0)
            items.append({"label": f"Reported: {r.label}", "value_usd_m": float(r.value) * factor, "kind": "reported",
                          "note": f"{r.claim} (attributed to {r.attributed_to})", "attributed_to": r.attributed_to, "claim": r.claim,
                          "source_id": r.source_id})
    if not items:
        return None
    frame = pd.DataFrame(items)
    return {"items": items, "frame": frame, "fig": bc.fy2024_comparison(frame, title="FY2024: official vs reported")}


# ------------------------------------------------------------------------------------------- Country ---

def country_history(annual: pd.DataFrame, iso3: str) -> dict:
    """One place's troop history (country.py ``_history``): ``hist`` (its rows, the download), ``has`` (any
    active-duty figure) and, when it has, ``latest``, ``peak``, ``fig``, ``methods``."""
    hist = annual[annual["iso3"] == iso3]
    out = {"hist": hist, "has": bool(hist["active_duty"].notna().any())}
    if out["has"]:
        out["latest"] = hist.dropna(subset=["active_duty"]).sort_values("year").iloc[-1]
        out["peak"] = hist.dropna(subset=["active_duty"]).sort_values("active_duty").iloc[-1]
        out["fig"] = tl.country_troops(hist, "active_duty", title="Active-duty US troops, by year")
        out["methods"] = "; ".join(m.rstrip(". ") for m in hist["method"].dropna().astype(str).unique()[:2])
    return out


def countries_with_troops(annual: pd.DataFrame) -> list[str]:
    """Every place outside the US states (the country profile's places from troops_annual) with at least one
    active-duty figure, sorted by name."""
    rows = annual[(annual["scope"] != "us_domestic") & annual["active_duty"].notna()]
    codes = sorted(set(rows["iso3"].dropna().astype(str)) - {""})
    return sorted(codes, key=lambda c: (entity(c)[0], c))
