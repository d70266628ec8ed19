"""The read-only data API (``/api/v1/...``): the figures of the views as JSON and CSV, for scripts and newsrooms.
No Streamlit here: ``app.py`` mounts :func:`routes` in the dashboard's own process (``st.App(routes=...)``) and
``python -m export snapshot`` writes :func:`snapshot_files` under ``OUT/api/v1/``, so every resource is one path
that exists identically live and on a static host; query parameters only filter it, live.

Every figure is computed by the preparation layer the views call (``prep.views.country_history`` for a country's
troops, ``troops_abroad_year`` for a year's map, ``prep.records.authorisations`` for a host country's decisions,
``omb_prepared`` / ``our_names`` for budgets, ``prep.details.backings`` for a record's quotes), so a figure in the
API is the figure on the page.

A JSON answer carries the data version (``export.common.data_version``), the licence of the table it comes from
(REUSE.toml), the citation and every source it uses (from sources.yaml); a CSV answer is the bare table (the one
CSV writer, ``export.csvfile``) and carries the same facts in headers (``X-Data-Version``, ``Link: rel=license``,
``X-Citation``). Answers have an ``ETag`` (a hash of the body: ``If-None-Match`` gives 304) and ``Cache-Control``.
Errors are JSON ``{"error", "parameter", "status"}`` with 400 (a bad or unknown parameter, a bad year, a range
outside the data, too many rows), 404 (an unknown country, year or path), 429 (too many requests from one
client address: a small token bucket per address, with ``Retry-After``) or 503 (a table cannot be read). No text that ``python -m loaders check``
refuses (loaders/textsafety.py) is ever sent: a row holding one is left out and counted in ``withheld``.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from loaders import DATA_ENV, registry
from loaders.records.model import KINDS
from loaders.schema import DataError, read_table
from loaders.textsafety import text_rule, url_rule
from loaders.version import (  # the one data version (loaders/version.py)
    data_dir,
    data_files,
    data_version,
)
from prep import MEASURES, views
from prep import records as prep_records
from prep.details import backings
from prep.places import entity

from .common import licence_for, load_deployment_frame, load_sources
from .csvfile import to_csv_bytes

PREFIX = "/api/v1"
API_VERSION = "1"
MAX_ROWS = 10_000  # no resource has more today (Green Book: ~5,800); a filter never widens an answer
CACHE_CONTROL = "public, max-age=300"
MAX_CACHED = 2048  # answers kept per data version (most are a few KB; the largest, the SIPRI and Green Book tables, ~0.5 MB)
CITATION = ("Footprint: US military deployments, data version {version}. Cite the original source of each figure "
            "as well: each row's source_id names one of the sources listed with it.")
LICENCE_URLS = {"LicenseRef-US-Government-Public-Domain": "https://www.usa.gov/government-copyright",
                "LicenseRef-SIPRI-Terms": "https://www.sipri.org/about/terms-and-conditions"}
SPDX_URL = "https://spdx.org/licenses/{}.html"
RECORD_COLUMNS = ["id", "name", "name_es", "kind", "status", "iso3", "start", "end", "date_precision",
                  "end_precision", "personnel_max", "personnel_attributed_to", "personnel_source_id", "summary",
                  "summary_es", "purpose", "purpose_es", "decision", "detachments", "claims", "places", "related",
                  "sources"]
_CODE = re.compile(r"[A-Z]{3}")
_YEAR = re.compile(r"\d{4}")


class ApiError(Exception):
    """A request the API refuses: its status, the parameter at fault and a message that says what is allowed."""

    def __init__(self, status: int, parameter: str | None, message: str):
        super().__init__(message)
        self.status, self.parameter, self.message = status, parameter, message

    def body(self) -> bytes:
        return _dumps({"error": self.message, "parameter": self.parameter, "status": self.status})


# ------------------------------------------------------------------------------------------------- state ---

@dataclass
class State:
    """The tables of one data version, read as the dashboard reads them, and what every resource derives from
    them more than once (the rows abroad with map codes, the place codes)."""
    version: str
    tables: dict[str, pd.DataFrame]
    deps: pd.DataFrame
    sources: dict
    abroad: pd.DataFrame
    troop_countries: list[str]
    countries: list[str]
    years: list[int]
    cache: OrderedDict = field(default_factory=OrderedDict)  # (path, filters) -> Answer, bounded
    lock: threading.Lock = field(default_factory=threading.Lock)  # the cache's, shared by the server's threads
    tables_kept: OrderedDict = field(default_factory=OrderedDict)  # the last few computed tables (.json and .csv)

    @classmethod
    def read(cls, folder: Path | None = None, reader: Reader | None = None) -> State:
        folder = Path(folder or data_dir())
        reader = reader or Reader.of(folder)
        tables = {name: reader.table(name) for name in TABLES}
        deps = reader.deployments()
        annual = tables["troops_annual"]
        troop_countries = views.countries_with_troops(annual)
        record_countries = set(deps["iso3"].dropna().astype(str)) - {""} if len(deps) else set()
        countries = sorted(set(troop_countries) | record_countries, key=lambda c: (entity(c)[0], c))
        abroad = views.abroad(annual)
        years, _measures = views.years_and_measures(abroad)
        return cls(data_version(folder), tables, deps, reader.sources(), abroad, troop_countries, countries, years)


TABLES = ("troops_annual", "troops", "budget_omb", "budget_greenbook", "sipri")  # what the resources read


@dataclass(frozen=True)
class Reader:
    """Where the API gets its tables: by default read here (export.common, as the snapshot reads them); the served
    app passes its own per-process tables (app_pages/data.py), so the API adds no second copy of them to the
    process and answers from the tables the start-up warm-up has already read."""
    table: Callable[[str], pd.DataFrame]
    deployments: Callable[[], pd.DataFrame]
    sources: Callable[[], dict]

    @classmethod
    def of(cls, folder: Path) -> Reader:
        def table(name: str) -> pd.DataFrame:
            spec = registry.specs()[name]
            frame, problems = read_table(folder / spec.file, spec, spec.file)
            if problems:
                raise DataError(problems)
            return frame

        return cls(table, lambda: load_deployment_frame(folder), lambda: load_sources(folder))


_state_lock = threading.Lock()
_state: dict = {}
STAMP_TTL = 1.0  # seconds a data folder's file stamps are trusted before they are looked at again


def _stamp(folder: Path) -> tuple:
    out = []
    for p in data_files(folder):
        st = p.stat()
        out.append((p.as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(out)


@lru_cache(maxsize=16)
def _resolved(env_value: str) -> Path:
    return data_dir()  # Path.resolve() walks the file system: once per value of the environment variable


def state(folder: Path | None = None, reader: Reader | None = None, peek: bool = False) -> State | None:
    """The current data's State, read again when a file in the data folder changes (checked at most once per
    STAMP_TTL), so a rebuilt table gives a new data version without a restart. ``peek``: None instead of
    looking at the files or reading them (for the event loop, which must not wait on either)."""
    folder = Path(folder) if folder else _resolved(os.environ.get(DATA_ENV, ""))
    now = time.monotonic()
    with _state_lock:
        hit = _state.get(folder)
        if hit is not None and now - hit["checked"] < STAMP_TTL:
            return hit["state"]
        if peek:
            return None
        stamp = _stamp(folder)
        if hit is not None and hit["stamp"] == stamp:
            hit["checked"] = now
            return hit["state"]
        st = State.read(folder, reader)
        _state[folder] = {"state": st, "stamp": stamp, "checked": time.monotonic()}
        return st


# ---------------------------------------------------------------------------------------------- params ---

@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "year" or "choice"
    doc: str
    choices: tuple[str, ...] = ()

    def schema(self) -> dict:
        if self.kind == "year":
            return {"type": "integer", "minimum": 1000, "maximum": 9999}
        return {"type": "string", "enum": list(self.choices)}


FROM = Param("from", "year", "first year to include (within the years this resource covers)")
TO = Param("to", "year", "last year to include (within the years this resource covers)")
YEAR = Param("year", "year", "only records that started in this year")
MEASURE = Param("measure", "choice", "one measure of troops_annual instead of all (active_duty, army, ...)", MEASURES)
KIND = Param("kind", "choice", "only records of this kind", KINDS)
FORMAT = Param("format", "choice", "json or csv (the same as the path's .json or .csv; when both are given they "
               "must agree)", ("json", "csv"))


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame
    sources: list[str]
    licence_file: str  # the data file whose licence the rows carry (REUSE.toml)
    title: str
    notes: str = ""


@dataclass(frozen=True)
class Resource:
    """One kind of resource: ``path`` below PREFIX, with ``{iso3}`` or ``{year}`` where one instance is named
    (the same path, with .json or .csv, live and in the snapshot)."""
    path: str
    summary: str
    params: tuple[Param, ...]
    compute: Callable[[State, str | None, dict], Table]
    instances: Callable[[State], list[str]] = lambda s: [""]
    year_span: Callable[[State], tuple[int, int]] | None = None  # the years from/to/year may name

    @property
    def path_param(self) -> str | None:
        m = re.search(r"\{(\w+)\}", self.path)
        return m.group(1) if m else None

    def pattern(self) -> re.Pattern:
        pp = self.path_param
        core = re.escape(self.path).replace(re.escape("{" + pp + "}"), rf"(?P<{pp}>[^/.]+)") if pp else re.escape(self.path)
        return re.compile(rf"{core}(?:\.(?P<ext>[^/]*))?")


def _years(frame: pd.DataFrame, column: str) -> tuple[int, int]:
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
    if not _CODE.fullmatch(code or "") or code not in known:
        hint = (f" (codes are upper-case: {code.upper()})" if code.upper() in known else
                " (an upper-case ISO 3166 alpha-3 code as in /api/v1/countries.json, e.g. PER)")
        raise ApiError(404, "country", f"no {what} for country {code!r}{hint}")
    return code


# ------------------------------------------------------------------------------------------- resources ---

def _troops(st: State, code: str, query: dict) -> Table:
    code = _country(st, code, st.countries, "troop history")
    hist = views.country_history(st.tables["troops_annual"], code, figure=False).hist  # the country profile's rows
    hist = _between(hist, "year", query)
    if "measure" in query:
        hist = hist[[c for c in hist.columns if c not in MEASURES or c == query["measure"]]]
    return Table(hist, hist["source_id"].dropna().unique().tolist(), "data/troops_annual.csv",
                 f"US troops in {entity(code)[0]}, by year (the country profile's figures)",
                 "One row per year: each place's September report, else its latest report that year (method). "
                 "An empty figure is not reported, never zero.")


def _troop_reports(st: State, code: str, query: dict) -> Table:
    code = _country(st, code, st.countries, "troop reports")
    troops = st.tables["troops"]
    rows = _between(troops[troops["iso3"] == code], "year", query)
    if "measure" in query:
        rows = rows[[c for c in rows.columns if c not in MEASURES or c == query["measure"]]]
    return Table(rows, rows["source_id"].dropna().unique().tolist(), "data/troops.csv",
                 f"US troops in {entity(code)[0]}, every report", "One row per report that lists the place.")


def _troop_year(st: State, year: str, query: dict) -> Table:
    if not _YEAR.fullmatch(year or "") or int(year) not in st.years:
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


def _records(st: State, code: str, query: dict) -> Table:
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


def _authorisations(st: State, code: str, query: dict) -> Table:
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


def _omb(st: State, _code, query: dict) -> Table:
    omb = _between(views.omb_prepared(st.tables["budget_omb"]).omb, "fiscal_year", query)
    return Table(omb, omb["source_id"].dropna().unique().tolist(), "data/budget_omb.csv",
                 "OMB outlays by series and fiscal year (the Cost view's outlays chart)",
                 "Each series from its first OMB table; is_estimate marks OMB estimates.")


def _greenbook(st: State, _code, query: dict) -> Table:
    gb = _between(st.tables["budget_greenbook"], "fiscal_year", query)
    return Table(gb, gb["source_id"].dropna().unique().tolist(), "data/budget_greenbook.csv",
                 "DoD budget authority (Green Book) by fiscal year", "")


def _sipri(st: State, _code, query: dict) -> Table:
    s = _between(views.our_names(st.tables["sipri"]), "year", query)
    return Table(s, s["source_id"].dropna().unique().tolist(), "data/sipri_extract.csv",
                 "Military expenditure, SIPRI extract (the Cost view's comparison)",
                 "Information from the SIPRI Military Expenditure Database; only this extract may be republished.")


def _countries(st: State, _code, query: dict) -> Table:
    n_records = st.deps["iso3"].value_counts()
    n_decisions = st.deps.loc[st.deps["kind"] == "decision", "iso3"].value_counts()
    troops = set(st.troop_countries)
    rows = [{"iso3": c, "name": e[0], "region": e[2], "kind": e[3], "troops": c in troops,
             "records": int(n_records.get(c, 0)), "decisions": int(n_decisions.get(c, 0))}
            for c in st.countries for e in (entity(c),)]
    return Table(pd.DataFrame(rows), [], "data/country_overrides.csv",
                 "Places with a troop history or a named record (the country resources' codes)", "")


def _span_troops(st: State) -> tuple[int, int]:
    return _years(st.tables["troops_annual"], "year")


def _span_records(st: State) -> tuple[int, int]:
    starts = st.deps["start"].dt.year.dropna()
    first = min(int(starts.min()), _span_troops(st)[0]) if len(starts) else _span_troops(st)[0]
    return first, max(int(starts.max()) if len(starts) else 0, _span_troops(st)[1])


RESOURCES = (
    Resource("/countries", "Every place code the country resources know, with its name and what it has", (),
             _countries),
    Resource("/troops/{iso3}", "US troops in one host country by year (the country profile's figures)",
             (FROM, TO, MEASURE), _troops, lambda s: s.countries, _span_troops),
    Resource("/troops/{iso3}/reports", "US troops in one host country, every DMDC report that lists it",
             (FROM, TO, MEASURE), _troop_reports, lambda s: s.countries, _span_troops),
    Resource("/troops/years/{year}", "US troops abroad by host country in one year (the world map's figures)",
             (MEASURE,), _troop_year, lambda s: [str(y) for y in s.years]),
    Resource("/records/{iso3}", "Named records of one country (deployments, exercises, operations, decisions) with "
             "their sources and quotes", (FROM, TO, YEAR, KIND), _records, lambda s: s.countries, _span_records),
    Resource("/authorisations/{iso3}", "A host country's authorisations of US troops by year, beside the DMDC count",
             (FROM, TO), _authorisations, lambda s: s.countries, _span_records),
    Resource("/budget/omb", "US outlays (OMB historical tables) by series and fiscal year", (FROM, TO), _omb,
             year_span=lambda s: _years(s.tables["budget_omb"], "fiscal_year")),
    Resource("/budget/greenbook", "DoD budget authority (Green Book) by fiscal year", (FROM, TO), _greenbook,
             year_span=lambda s: _years(s.tables["budget_greenbook"], "fiscal_year")),
    Resource("/budget/sipri", "Military expenditure by country (SIPRI extract)", (FROM, TO), _sipri,
             year_span=lambda s: _years(s.tables["sipri"], "year")),
)
# /troops/years/... before /troops/{iso3}/...: "years" is not a country code, but the more specific path wins
_MATCH_ORDER = sorted(RESOURCES, key=lambda r: ("{" in r.path, r.path.count("{"), -len(r.path)))


# -------------------------------------------------------------------------------------------- answers ---

@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    media_type: str
    headers: dict[str, str]


def _plain(v):
    """A JSON value for one cell or nested value: NA, NaN and NaT are null; dates are ISO days."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float):
        return None if math.isnan(v) else (int(v) if v.is_integer() and abs(v) < 2**53 else v)
    if hasattr(v, "item"):  # numpy scalars
        return _plain(v.item())
    return v


def refusal(value) -> str | None:
    """The rule of loaders/textsafety.py that some text in ``value`` (nested) breaks, or None."""
    if isinstance(value, str):
        return url_rule(value) if value.lower().startswith(("http://", "https://")) and " " not in value else text_rule(value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for x in value:
            r = refusal(x)
            if r:
                return r
    return None


def _dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@lru_cache(maxsize=32)
def _licence(rel: str) -> dict:
    lic = licence_for(rel.rstrip("/") + ("/x.yaml" if rel.endswith("/") else ""))
    if lic is None:
        return {}
    return {"spdx": lic.spdx, "copyright": lic.copyright,
            "url": LICENCE_URLS.get(lic.spdx, SPDX_URL.format(lic.spdx))}


def _source_entries(ids, known: dict) -> list[dict]:
    out = []
    for sid in dict.fromkeys(s for s in ids if isinstance(s, str) and s):
        src = known.get(sid)
        if src is None:
            continue
        entry = {"id": sid, "title": src.title, "producer": src.producer, "publisher": src.publisher or None,
                 "published": src.published or None, "url": src.url, "licence": src.licence,
                 "citation": src.citation}
        out.append({k: (None if isinstance(v, str) and refusal(v) else v) for k, v in entry.items()})
    return out


def _parse_query(resource: Resource, st: State, items: list[tuple[str, str]]) -> dict:
    allowed = {p.name: p for p in resource.params + (FORMAT,)}
    out: dict = {}
    for name, raw in items:
        if name not in allowed:
            raise ApiError(400, name, f"unknown parameter {name!r}; this resource takes: "
                           + ", ".join(sorted(allowed)))
        if name in out:
            raise ApiError(400, name, f"parameter {name!r} given more than once")
        p = allowed[name]
        if p.kind == "year":
            if not _YEAR.fullmatch(raw):
                raise ApiError(400, name, f"{name} must be a year of four digits, got {raw[:20]!r}")
            lo, hi = resource.year_span(st) if resource.year_span else (0, 9999)
            if not lo <= int(raw) <= hi:
                raise ApiError(400, name, f"{name}={raw} is outside the years this resource covers ({lo}-{hi})")
            out[name] = int(raw)
        else:
            if raw not in p.choices:
                raise ApiError(400, name, f"{name} must be one of {', '.join(p.choices)}; got {raw[:20]!r}")
            out[name] = raw
    if "from" in out and "to" in out and out["from"] > out["to"]:
        raise ApiError(400, "to", f"to={out['to']} is before from={out['from']}")
    return out


def _match(path: str) -> tuple[Resource, str | None, str]:
    rel = path.removeprefix(PREFIX)
    for res in _MATCH_ORDER:
        m = res.pattern().fullmatch(rel)
        if m:
            ext = m.group("ext")
            if ext is not None and ext not in ("json", "csv"):
                raise ApiError(404 if ext else 400, "format", f"no resource {path!r}: the path ends in .json or .csv")
            pp = res.path_param
            return res, (m.group(pp) if pp else None), ext or ""
    raise ApiError(404, "path", f"no resource {path!r}; see {PREFIX}/openapi.json for every path")


@dataclass(frozen=True)
class Rows:
    """A computed table with its rows as JSON values and the positions of the rows that pass the text check."""
    table: Table
    rows: list[dict]
    kept: list[int]


def _table(resource: Resource, instance: str | None, query: dict, st: State) -> Rows:
    """The rows of one resource and filter set, computed and checked once for both formats (the last few kept)."""
    key = (resource.path, instance, tuple(sorted((k, v) for k, v in query.items() if k != "format")))
    with st.lock:
        hit = st.tables_kept.get(key)
    if hit is not None:
        return hit
    table = resource.compute(st, instance, query)
    frame = table.frame
    if len(frame) > MAX_ROWS:
        raise ApiError(400, "from", f"the answer would have {len(frame):,} rows, more than {MAX_ROWS:,}: narrow it "
                       "with from and to")
    rows = [{c: _plain(v) for c, v in zip(frame.columns, r)} for r in frame.itertuples(index=False, name=None)]
    table = Rows(table, rows, [i for i, r in enumerate(rows) if not refusal(r)])
    with st.lock:
        st.tables_kept[key] = table
        while len(st.tables_kept) > 8:
            st.tables_kept.popitem(last=False)
    return table


def _render(resource: Resource, path: str, instance: str | None, query: dict, fmt: str, st: State) -> Answer:
    computed = _table(resource, instance, query, st)
    table, rows, kept = computed.table, computed.rows, computed.kept
    frame = table.frame
    withheld = len(rows) - len(kept)
    lic = _licence(table.licence_file)
    citation = CITATION.format(version=st.version)
    headers = {"X-Data-Version": st.version, "X-Citation": citation, "Cache-Control": CACHE_CONTROL,
               "Access-Control-Allow-Origin": "*"}
    if lic:
        headers["Link"] = f'<{lic["url"]}>; rel="license"'
    if fmt == "csv":
        body = to_csv_bytes(frame.iloc[kept] if withheld else frame)
        media = "text/csv; charset=utf-8"
    else:
        doc = {"resource": path, "title": table.title, "data_version": st.version, "licence": lic,
               "citation": citation, "filters": {k: v for k, v in query.items() if k != "format"},
               "notes": table.notes, "columns": [str(c) for c in frame.columns], "row_count": len(kept),
               "rows": [rows[i] for i in kept], "sources": _source_entries(table.sources, st.sources)}
        if withheld:
            doc["withheld"] = withheld
        body = _dumps(doc)
        media = "application/json"
    headers["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Answer(200, body, media, headers)


def _current(folder: Path | None, reader: Reader | None, peek: bool = False) -> State | None:
    try:
        return state(folder, reader, peek)
    except (DataError, OSError):
        # the views name the file and its problems; a script gets a plain "try later" and no file paths
        raise ApiError(503, None, "the data cannot be read right now; try again later") from None


def answer(path: str, query_items: list[tuple[str, str]], folder: Path | None = None,
           reader: Reader | None = None, cached_only: bool = False) -> Answer | None:
    """The answer to GET ``path`` (under PREFIX) with the query's (name, value) pairs: the body, its media type
    and headers, or an ApiError's JSON. Answers are kept per data version, path and filters (bounded).
    ``cached_only``: None where the answer would have to be computed or the data looked at (the server's event
    loop answers what is kept and hands the rest to a worker thread)."""
    try:
        if cached_only:
            st = _current(folder, reader, peek=True)
            if st is None:
                return None
        if path.rstrip("/") in (PREFIX + "/openapi.json", PREFIX + "/openapi"):
            if query_items:
                raise ApiError(400, query_items[0][0], f"unknown parameter {query_items[0][0]!r}; openapi.json takes none")
            if not cached_only:
                st = _current(folder, reader)
            body = _dumps(openapi(st))
            return Answer(200, body, "application/json",
                          {"X-Data-Version": st.version, "Cache-Control": CACHE_CONTROL,
                           "Access-Control-Allow-Origin": "*",
                           "ETag": '"' + hashlib.sha256(body).hexdigest()[:20] + '"'})
        resource, instance, ext = _match(path)
        if not cached_only:
            st = _current(folder, reader)
        query = _parse_query(resource, st, query_items)
        fmt = ext or query.get("format", "json")
        if ext and "format" in query and query["format"] != ext:
            raise ApiError(400, "format", f"format={query['format']} disagrees with the path's .{ext}")
        path = (path[: -len(ext) - 1] if ext else path) + "." + fmt  # one canonical name: /troops/PER?format=csv is .csv
        key = (path, tuple(sorted(query.items())), fmt)
        with st.lock:
            hit = st.cache.get(key)
            if hit is not None:
                st.cache.move_to_end(key)
                return hit
        if cached_only:
            return None
        ans = _render(resource, path, instance, query, fmt, st)
        with st.lock:
            st.cache[key] = ans
            while len(st.cache) > MAX_CACHED:
                st.cache.popitem(last=False)
        return ans
    except ApiError as exc:
        return Answer(exc.status, exc.body(), "application/json",
                      {"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"})


# ------------------------------------------------------------------------------------------- openapi ---

_ERROR_SCHEMA = {"type": "object", "required": ["error", "parameter", "status"],
                 "properties": {"error": {"type": "string"}, "parameter": {"type": ["string", "null"]},
                                "status": {"type": "integer"}}}
_TABLE_SCHEMA = {"type": "object", "required": ["resource", "data_version", "licence", "citation", "columns", "rows",
                                                "sources"],
                 "properties": {"resource": {"type": "string"}, "title": {"type": "string"},
                                "data_version": {"type": "string"}, "licence": {"type": "object"},
                                "citation": {"type": "string"}, "filters": {"type": "object"},
                                "notes": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
                                "row_count": {"type": "integer"}, "rows": {"type": "array", "items": {"type": "object"}},
                                "sources": {"type": "array", "items": {"type": "object"}},
                                "withheld": {"type": "integer"}}}


def openapi(st: State | None = None) -> dict:
    """The OpenAPI 3.1 description, generated from RESOURCES (their paths, filters and summaries)."""
    version = st.version if st is not None else ""
    err = {"description": "error naming the parameter",
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    paths = {}
    for res in RESOURCES:
        pp = res.path_param
        for ext in ("json", "csv"):
            params = ([{"name": pp, "in": "path", "required": True, "schema": {"type": "string"},
                        "description": "ISO 3166 alpha-3 code (upper case)" if pp == "iso3" else "a year, e.g. 2020"}]
                      if pp else [])
            params += [{"name": p.name, "in": "query", "required": False, "description": p.doc, "schema": p.schema()}
                       for p in res.params]
            ok = ({"application/json": {"schema": {"$ref": "#/components/schemas/Table"}}} if ext == "json"
                  else {"text/csv": {"schema": {"type": "string"}}})
            paths[f"{PREFIX}{res.path}.{ext}"] = {"get": {
                "summary": res.summary, "operationId": (res.path.strip("/").replace("/", "_").replace("{", "")
                                                        .replace("}", "") + "_" + ext),
                "parameters": params,
                "responses": {"200": {"description": "the rows (ETag, Cache-Control, X-Data-Version)", "content": ok},
                              "304": {"description": "not modified (If-None-Match)"}, "400": err, "404": err,
                              "429": {**err, "description": "too many requests from this address (Retry-After)"}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "Footprint data API", "version": API_VERSION,
                     "description": "US military deployments: troops by host and year, named records with their "
                                    "sources' words, host-country authorisations and budgets, the figures the "
                                    f"dashboard shows. Data version {version}. Read-only; the same paths exist in "
                                    "the static snapshot without query parameters."},
            "paths": paths, "components": {"schemas": {"Error": _ERROR_SCHEMA, "Table": _TABLE_SCHEMA}}}


# ------------------------------------------------------------------------------------------- snapshot ---

def snapshot_files(countries: list[str] | None = None, folder: Path | None = None) -> dict[str, bytes]:
    """Every resource without query parameters, as ``{"api/v1/...": body}``: the files a static host serves at the
    same paths as the live API. ``countries`` limits the country resources (None: all)."""
    st = state(folder)
    out = {}
    for res in RESOURCES:
        for inst in res.instances(st):
            if res.path_param == "iso3" and countries is not None and inst not in countries:
                continue
            rel = res.path.replace("{" + res.path_param + "}", inst) if res.path_param else res.path
            for ext in ("json", "csv"):
                ans = answer(f"{PREFIX}{rel}.{ext}", [], folder)
                if ans.status != 200:
                    raise RuntimeError(f"{rel}.{ext}: {ans.body.decode()}")
                out[f"{PREFIX.strip('/')}{rel}.{ext}"] = ans.body
    out[f"{PREFIX.strip('/')}/openapi.json"] = answer(f"{PREFIX}/openapi.json", [], folder).body
    return out


# -------------------------------------------------------------------------------------------- serving ---

class RateLimit:
    """A token bucket per client address: ``burst`` requests at once, refilled at ``rate`` per second. Returns
    the seconds to wait (0: go ahead)."""

    def __init__(self, rate: float, burst: float, max_clients: int = 10_000):
        self.rate, self.burst, self.max_clients = rate, burst, max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def wait(self, client: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self.lock:
            tokens, last = self.buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self.buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self.buckets[client] = (tokens, now)
                wait = (1 - tokens) / self.rate
            while len(self.buckets) > self.max_clients:
                self.buckets.popitem(last=False)
            return wait


def _env_float(name: str, default: float) -> float:
    try:
        v = float(os.environ.get(name, ""))
        return v if v > 0 else default
    except ValueError:
        return default


def client_address(scope_client, headers, trust_forwarded: bool) -> str:
    """The client's address: the connection's, or behind a proxy we run (FOOTPRINT_API_TRUST_FORWARDED=1) the last
    address in X-Forwarded-For (the one our proxy added; earlier ones are the client's own claim)."""
    if trust_forwarded:
        fwd = headers.get("x-forwarded-for", "")
        last = fwd.split(",")[-1].strip()
        if last:
            return last[:64]
    return scope_client[0] if scope_client else "unknown"


def routes(folder: Path | None = None, reader: Reader | None = None) -> list:
    """Starlette routes for ``st.App(routes=...)``: one per resource path (and a JSON 404 for any other path under
    PREFIX). The rate (requests per second per client) and burst come from FOOTPRINT_API_RATE (default 10) and
    FOOTPRINT_API_BURST (default 40)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response
    from starlette.routing import Route

    limiter = RateLimit(_env_float("FOOTPRINT_API_RATE", 10.0), _env_float("FOOTPRINT_API_BURST", 40.0))
    trust = os.environ.get("FOOTPRINT_API_TRUST_FORWARDED", "") in ("1", "true", "yes")

    async def endpoint(request):
        wait = limiter.wait(client_address(request.client, request.headers, trust))
        if wait > 0:
            err = ApiError(429, None, "too many requests from this address; retry after the seconds in Retry-After")
            return Response(err.body(), 429, media_type="application/json",
                            headers={"Retry-After": str(math.ceil(wait)), "Cache-Control": "no-store"})
        path, items = request.url.path, list(request.query_params.multi_items())
        # a kept answer costs a dictionary look-up: answered on the event loop; computing one (pandas, prep/) or
        # looking at the data files runs in a worker thread, so the dashboard's websockets never wait on it
        ans = answer(path, items, folder, reader, cached_only=True)
        if ans is None:
            ans = await run_in_threadpool(answer, path, items, folder, reader)
        etag = ans.headers.get("ETag")
        inm = request.headers.get("if-none-match", "")
        if ans.status == 200 and etag and (inm.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in inm.split(",")]):
            return Response(status_code=304, headers={k: v for k, v in ans.headers.items()
                                                      if k in ("ETag", "Cache-Control", "X-Data-Version")})
        return Response(ans.body, ans.status, media_type=ans.media_type, headers=ans.headers)

    # one route for every path under PREFIX: answer() matches RESOURCES (the route definitions the OpenAPI
    # description is generated from) and gives any other path a JSON 404
    return [Route(PREFIX + "/{rest:path}", endpoint, methods=["GET", "HEAD"]),
            Route(PREFIX, endpoint, methods=["GET", "HEAD"])]
