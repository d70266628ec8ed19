"""Reported records (deployments, exercises, operations, host-country decisions) prepared for a view: the latest
few, and one country's authorisations per year beside what the DMDC reports count. No Streamlit here."""
from __future__ import annotations

import pandas as pd

import i18n

def record_name(d, lang: str = "en") -> str:
    """A record's name in the reader's language: its translation (``name_<lang>``), else the English name marked
    as such."""
    return i18n.localized(d, "name", lang)


def latest(deps: pd.DataFrame, n: int = 5, place_name=lambda code: code, source_short=lambda sid: sid,
           lang: str = "en") -> pd.DataFrame:
    """The ``n`` most recent records by start date: Date, What, Where, Source (the first source's short name), plus
    the record id and every source id (for the source line and the download)."""
    if deps is None or deps.empty:
        return pd.DataFrame(columns=["Date", "What", "Where", "Source", "id", "source_ids"])
    recent = deps.dropna(subset=["start"]).sort_values(["start", "id"], ascending=[False, True]).head(n)
    rows = []
    for d in recent.itertuples(index=False):
        sids = [s.get("source_id") for s in (d.sources or []) if s.get("source_id")]
        rows.append({"Date": i18n.date_text(d.start, d.date_precision, lang), "What": record_name(d, lang),
                     "Where": place_name(d.iso3) if d.iso3 else "", "Source": source_short(sids[0]) if sids else "",
                     "id": d.id, "source_ids": sids})
    return pd.DataFrame(rows)


def authorisations_by_year(deps: pd.DataFrame, iso3: str, first: int, last: int) -> pd.DataFrame:
    """One row per year ``first``..``last``: how many host-country authorisations or agreements were decided that
    year (kind ``decision``, status authorised), the US personnel they authorised where a source gives a figure
    (summed; NA when none is reported, never 0), their instruments, and their source ids."""
    mine = deps[(deps["iso3"] == iso3) & (deps["kind"] == "decision")] if deps is not None else deps
    rows = {y: {"year": y, "decisions": 0, "personnel_authorised": pd.NA, "with_figure": 0, "instruments": [],
                "source_ids": []} for y in range(first, last + 1)}
    for d in (mine.itertuples(index=False) if mine is not None else []):
        if d.status != "authorised" or pd.isna(d.start) or not (first <= d.start.year <= last):
            continue
        r = rows[d.start.year]
        r["decisions"] += 1
        dec = d.decision if isinstance(d.decision, dict) else {}
        r["instruments"].append(dec.get("instrument") or d.name)
        fig = dec.get("us_personnel_authorised") or {}
        if isinstance(fig, dict) and fig.get("value") is not None:
            r["personnel_authorised"] = (0 if pd.isna(r["personnel_authorised"]) else r["personnel_authorised"]) + int(fig["value"])
            r["with_figure"] += 1
            if fig.get("source_id"):
                r["source_ids"].append(fig["source_id"])
        r["source_ids"] += [s.get("source_id") for s in (d.sources or []) if s.get("source_id")]
    out = pd.DataFrame(list(rows.values()))
    out["personnel_authorised"] = out["personnel_authorised"].astype("Int64")
    return out


def assigned_by_year(annual: pd.DataFrame, iso3: str, first: int, last: int) -> pd.DataFrame:
    """The DMDC count for ``iso3`` and each year (the annual method's report), NA where no report lists it."""
    mine = annual[(annual["iso3"] == iso3) & annual["year"].between(first, last)]
    out = pd.DataFrame({"year": range(first, last + 1)}).merge(
        mine[["year", "active_duty", "report", "source_id"]], on="year", how="left")
    out["active_duty"] = out["active_duty"].astype("Int64")
    return out
