"""Reported records (deployments, exercises, operations, host-country decisions) prepared for a view: the latest
few, and one country's authorisations per year beside what the DMDC reports count. No Streamlit here."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import i18n


def record_name(d, lang: str = "en") -> str:
    """A record's name in the reader's language: its translation (``name_<lang>``), else the English name marked
    as such."""
    return i18n.localized(d, "name", lang)


def dates(start, end, precision: str, lang: str = "en") -> str:
    """A record's period as precisely as it is known, in the reader's language."""
    _ = i18n.gettext_for(lang)
    if pd.isna(start):
        s = _("date not reported")
        return _("{start} to {end}").format(start=s, end=i18n.date_text(end, "day", lang)) if pd.notna(end) else s
    return i18n.date_range(start, end if pd.notna(end) else None, lang, precision or "day")


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


# A host country's own decisions since this year lead its profile (the app's) and its snapshot page
RECENT_FROM = 2012


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


@dataclass(frozen=True)
class Authorisations:
    """A host country's authorisations per year beside the DMDC count: the chart, the body that decides (its most
    frequent name), the table to download, its sources, the number of decisions and the latest count (a frame of
    at most one row)."""
    fig: object
    auth: pd.DataFrame
    body: str
    table: pd.DataFrame
    sources: list[str]
    n: int
    latest_count: pd.DataFrame


def deciding_body(decisions: pd.DataFrame, lang: str = "en") -> str:
    """The body named most often in ``decisions`` (their ``decision`` records), in ``lang``."""
    bodies = pd.Series([i18n.localized(d, "body", lang) for d in decisions["decision"]
                        if isinstance(d, dict) and d.get("body")])
    _ = i18n.gettext_for(lang)
    return bodies.mode().iloc[0] if len(bodies) else _("the host government")


def authorisations(deps: pd.DataFrame, annual: pd.DataFrame, iso3: str, since: int,
                   lang: str = "en", figure: bool = True) -> Authorisations | None:
    """``iso3``'s own decisions since ``since`` (authorisations and agreements per year, and the US personnel they
    authorised where reported) beside the DMDC count for the same years; None without decisions. ``figure=False``
    leaves the chart out (None): the data API needs only the table."""
    from charts import records as charts_records

    _ = i18n.gettext_for(lang)
    mine = deps[(deps["iso3"] == iso3) & (deps["kind"] == "decision")]
    if mine.empty:
        return None
    last = max(int(mine["start"].max().year), since + 1)
    auth = authorisations_by_year(deps, iso3, since, last)
    if not auth["decisions"].any():
        return None
    assigned = assigned_by_year(annual, iso3, since, last)
    body = deciding_body(mine, lang)
    fig = charts_records.authorised_vs_assigned(
        auth, assigned, body, title=_("Authorised entries and stationed troops, {first}-{last}").format(
            first=since, last=last), lang=lang) if figure else None
    table = auth.merge(assigned, on="year", how="left")
    return Authorisations(
        fig=fig, auth=auth, body=body,
        table=table.drop(columns=["source_ids"]).assign(instruments=table["instruments"].map("; ".join)),
        sources=[s for ids in auth["source_ids"] for s in ids] + assigned["source_id"].dropna().unique().tolist(),
        n=int(auth["decisions"].sum()), latest_count=assigned.dropna(subset=["active_duty"]).tail(1))


def listing(deps: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Records as a table, oldest first: name, reported personnel, period, kind and status (headers in
    ``lang``)."""
    _ = i18n.gettext_for(lang)
    deps = deps.sort_values("start")
    return pd.DataFrame({
        _("Name"): [record_name(d, lang) for d in deps.itertuples(index=False)],
        _("Personnel (reported)"): deps["personnel_max"],
        _("When"): [dates(s, e, p, lang) for s, e, p in zip(deps["start"], deps["end"], deps["date_precision"])],
        _("Kind"): [_(k) for k in deps["kind"]], _("Status"): [_(x) for x in deps["status"]]})


def context_listing(events: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Context events as a table: start, end, event, description, attribution (headers and text in ``lang``)."""
    _ = i18n.gettext_for(lang)

    def when(column: str, missing):
        return [i18n.date_text(x, p, lang) if pd.notna(x) else missing
                for x, p in zip(pd.to_datetime(events[column]), events["date_precision"])]

    return pd.DataFrame({
        _("Start"): when("start", None), _("End"): when("end", ""),
        _("Event"): [i18n.localized(e, "title", lang) for e in events.itertuples(index=False)],
        _("Description"): [i18n.localized(e, "description", lang) for e in events.itertuples(index=False)],
        _("Attributed to"): [i18n.localized(e, "attributed_to", lang) for e in events.itertuples(index=False)]})


def profile_sources(iso3: str, annual: pd.DataFrame | None = None, bases: pd.DataFrame | None = None,
                    records: pd.DataFrame | None = None, exercises: pd.DataFrame | None = None,
                    events: pd.DataFrame | None = None) -> list[str]:
    """Every source of a country profile, each once, in the order the profile shows them: troops, bases, its
    records (``records``: already the country's, in the order listed), exercises it hosted, context events."""
    used: list[str] = []
    for frame, column in ((annual, "iso3"), (bases, "iso3")):
        if frame is not None:
            used += frame.loc[frame[column] == iso3, "source_id"].dropna().unique().tolist()
    if records is not None:
        used += [x.get("source_id") for srcs in records["sources"] for x in (srcs or [])]
    for frame, column in ((exercises, "host_iso3"), (events, "iso3")):
        if frame is not None:
            used += frame.loc[frame[column] == iso3, "source_id"].dropna().unique().tolist()
    return list(dict.fromkeys(x for x in used if x))
