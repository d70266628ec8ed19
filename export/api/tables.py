"""What each resource computes: one function per kind of resource, (State, the path's code or year, the parsed
query) -> Table, each calling the preparation layer the view calls (``prep.views.country_history`` for a country's
troops, ``troops_abroad_year`` for a year's map, ``prep.records.authorisations`` for a host country's decisions,
``omb_prepared`` / ``our_names`` for budgets, ``prep.details.backings`` for a record's quotes), so a figure in the
API is the figure on the page. The path each one answers at is declared in resources.py."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from prep import MEASURES, views
from prep import records as prep_records
from prep.details import backings
from prep.places import entity

from .errors import ApiError
from .params import CODE, YEAR
from .state import State

RECORD_COLUMNS = ["id", "name", "name_es", "kind", "status", "iso3", "start", "end", "date_precision",
                  "end_precision", "personnel_max", "personnel_attributed_to", "personnel_source_id", "summary",
                  "summary_es", "purpose", "purpose_es", "decision", "detachments", "claims", "places", "related",
                  "sources"]


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame
    sources: list[str]
    licence_file: str  # the data file whose licence the rows carry (REUSE.toml)
    title: str
    notes: str = ""


def years(frame: pd.DataFrame, column: str) -> tuple[int, int]:
    ys = pd.to_numeric(frame[column], errors="coerce").dropna()
    return (int(ys.min()), int(ys.max())) if len(ys) else (0, 0)


def _between(frame: pd.DataFrame, column, query: dict) -> pd.DataFrame:
    y = frame[column] if isinstance(column, str) else column
    keep = pd.Series(True, index=frame.index)
    if "from" in query:
        keep &= (y >= query["from"]).fillna(False)
    if "to" in query:
        keep &= (y <= query["to"]).fillna(False)
    return frame[keep.astype(bool)]


def _country(state_: State, code: str, known: list[str], what: str) -> str:
    if not CODE.fullmatch(code or "") or code not in known:
        hint = (f" (codes are upper-case: {code.upper()})" if code.upper() in known else
                " (an upper-case ISO 3166 alpha-3 code as in /api/v1/countries.json, e.g. PER)")
        raise ApiError(404, "country", f"no {what} for country {code!r}{hint}")
    return code


def troops(st: State, code: str, query: dict) -> Table:
    code = _country(st, code, st.countries, "troop history")
    hist = views.country_history(st.tables["troops_annual"], code, figure=False).hist  # the country profile's rows
    hist = _between(hist, "year", query)
    if "measure" in query:
        hist = hist[[c for c in hist.columns if c not in MEASURES or c == query["measure"]]]
    return Table(hist, hist["source_id"].dropna().unique().tolist(), "data/troops_annual.csv",
                 f"US troops in {entity(code)[0]}, by year (the country profile's figures)",
                 "One row per year: each place's September report, else its latest report that year (method). "
                 "An empty figure is not reported, never zero.")


def troop_reports(st: State, code: str, query: dict) -> Table:
    code = _country(st, code, st.countries, "troop reports")
    troops = st.tables["troops"]
    rows = _between(troops[troops["iso3"] == code], "year", query)
    if "measure" in query:
        rows = rows[[c for c in rows.columns if c not in MEASURES or c == query["measure"]]]
    return Table(rows, rows["source_id"].dropna().unique().tolist(), "data/troops.csv",
                 f"US troops in {entity(code)[0]}, every report", "One row per report that lists the place.")


def troop_year(st: State, year: str, query: dict) -> Table:
    if not YEAR.fullmatch(year or "") or int(year) not in st.years:
        raise ApiError(404, "year", f"no troop figures for year {year!r} (years {st.years[0]}-{st.years[-1]})")
    yv = views.troops_abroad_year(st.abroad, int(year), query.get("measure", "active_duty"))  # the map's rows
    return Table(yv.shown, list(yv.shown_sources), "data/troops_annual.csv",
                 f"US troops abroad by host, {year} (the world map's figures)",
                 "Places with a figure for the measure (default active_duty); an empty figure is not reported.")


def _record_rows(deps: pd.DataFrame) -> pd.DataFrame:
    deps = deps.sort_values(["start", "id"])
    frame = deps[[c for c in RECORD_COLUMNS if c in deps.columns]]
    quotes = [[{"what": b.what, "source_id": b.source_id, "quotes": [{"text": q.text, "lang": q.lang} for q in b.quotes],
                "unverified": b.unverified, "derived": b.derived} for b in backings(d)]
              for d in deps.to_dict("records")]
    return frame.assign(quotes=pd.Series(quotes, index=frame.index, dtype=object))


def records(st: State, code: str, query: dict) -> Table:
    code = _country(st, code, st.countries, "records")
    deps = st.deps[st.deps["iso3"] == code]
    starts = deps["start"].dt.year
    deps = _between(deps, starts, query)
    if "year" in query:
        deps = deps[deps["start"].dt.year == query["year"]]
    if "kind" in query:
        deps = deps[deps["kind"] == query["kind"]]
    rows = _record_rows(deps)
    sids = [s.get("source_id") for srcs in rows["sources"] for s in (srcs or []) if isinstance(s, dict)]
    return Table(rows, sids, "data/deployments/", f"Named records in {entity(code)[0]} (deployments, exercises, "
                 "operations, host-country decisions) with their sources and the sources' own words",
                 "personnel_max is the figure as reported, attributed in personnel_attributed_to; quotes are the "
                 "sources' words, in their language.")


def authorisations(st: State, code: str, query: dict) -> Table:
    code = _country(st, code, st.countries, "authorisations")
    mine = st.deps[(st.deps["iso3"] == code) & (st.deps["kind"] == "decision")]
    since = query.get("from") or (int(mine["start"].dt.year.min()) if mine["start"].notna().any() else None)
    av = (prep_records.authorisations(st.deps, st.tables["troops_annual"], code, since, figure=False)
          if since is not None else None)  # the country profile's chart and download
    if av is None:
        table = pd.DataFrame(columns=["year", "decisions", "personnel_authorised", "with_figure", "instruments",
                                      "active_duty", "report", "source_id"])
        sources: list[str] = []
    else:
        table = _between(av.table, "year", query)
        sources = list(dict.fromkeys(av.sources))
    return Table(table, sources, "data/deployments/",
                 f"Host-country authorisations in {entity(code)[0]} by year decided, beside the DMDC count",
                 "decisions: authorisations decided that year; personnel_authorised: summed where a source gives a "
                 "figure (empty: none reported, never zero); active_duty: DMDC's count of US personnel assigned.")


def omb(st: State, _code, query: dict) -> Table:
    omb = _between(views.omb_prepared(st.tables["budget_omb"]).omb, "fiscal_year", query)
    return Table(omb, omb["source_id"].dropna().unique().tolist(), "data/budget_omb.csv",
                 "OMB outlays by series and fiscal year (the Cost view's outlays chart)",
                 "Each series from its first OMB table; is_estimate marks OMB estimates.")


def greenbook(st: State, _code, query: dict) -> Table:
    gb = _between(st.tables["budget_greenbook"], "fiscal_year", query)
    return Table(gb, gb["source_id"].dropna().unique().tolist(), "data/budget_greenbook.csv",
                 "DoD budget authority (Green Book) by fiscal year", "")


def sipri(st: State, _code, query: dict) -> Table:
    s = _between(views.our_names(st.tables["sipri"]), "year", query)
    return Table(s, s["source_id"].dropna().unique().tolist(), "data/sipri_extract.csv",
                 "Military expenditure, SIPRI extract (the Cost view's comparison)",
                 "Information from the SIPRI Military Expenditure Database; only this extract may be republished.")


def countries(st: State, _code, query: dict) -> Table:
    n_records = st.deps["iso3"].value_counts()
    n_decisions = st.deps.loc[st.deps["kind"] == "decision", "iso3"].value_counts()
    troops = set(st.troop_countries)
    rows = [{"iso3": c, "name": e[0], "region": e[2], "kind": e[3], "troops": c in troops,
             "records": int(n_records.get(c, 0)), "decisions": int(n_decisions.get(c, 0))}
            for c in st.countries for e in (entity(c),)]
    return Table(pd.DataFrame(rows), [], "data/country_overrides.csv",
                 "Places with a troop history or a named record (the country resources' codes)", "")


def span_troops(st: State) -> tuple[int, int]:
    return years(st.tables["troops_annual"], "year")


def span_records(st: State) -> tuple[int, int]:
    starts = st.deps["start"].dt.year.dropna()
    first = min(int(starts.min()), span_troops(st)[0]) if len(starts) else span_troops(st)[0]
    return first, max(int(starts.max()) if len(starts) else 0, span_troops(st)[1])
