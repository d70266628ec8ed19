"""The one list of resources: every path the API answers below PREFIX (with ``.json`` or ``.csv``), its summary,
its filters and the function that computes it (tables.py). The live routes (routes.py), the OpenAPI document
(openapi.py) and the snapshot's files (snapshot.py) are all generated from RESOURCES: adding a resource is one
entry here and its function in tables.py."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import tables
from .errors import ApiError
from .params import FROM, KIND, MEASURE, TO, YEAR_OF, Param, parse_query
from .state import State
from .tables import Table

PREFIX = "/api/v1"


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

    def parse(self, st: State, items: list[tuple[str, str]]) -> dict:
        """The query's filters, checked (params.py) against this resource's parameters and years."""
        span = (lambda: self.year_span(st)) if self.year_span else None
        return parse_query(self.params, span, items)


RESOURCES = (
    Resource("/countries", "Every place code the country resources know, with its name and what it has", (),
             tables.countries),
    Resource("/troops/{iso3}", "US troops in one host country by year (the country profile's figures)",
             (FROM, TO, MEASURE), tables.troops, lambda s: s.countries, tables.span_troops),
    Resource("/troops/{iso3}/reports", "US troops in one host country, every DMDC report that lists it",
             (FROM, TO, MEASURE), tables.troop_reports, lambda s: s.countries, tables.span_troops),
    Resource("/troops/years/{year}", "US troops abroad by host country in one year (the world map's figures)",
             (MEASURE,), tables.troop_year, lambda s: [str(y) for y in s.years]),
    Resource("/records/{iso3}", "Named records of one country (deployments, exercises, operations, decisions) with "
             "their sources and quotes", (FROM, TO, YEAR_OF, KIND), tables.records, lambda s: s.countries,
             tables.span_records),
    Resource("/authorisations/{iso3}", "A host country's authorisations of US troops by year, beside the DMDC count",
             (FROM, TO), tables.authorisations, lambda s: s.countries, tables.span_records),
    Resource("/budget/omb", "US outlays (OMB historical tables) by series and fiscal year", (FROM, TO), tables.omb,
             year_span=lambda s: tables.years(s.tables["budget_omb"], "fiscal_year")),
    Resource("/budget/greenbook", "DoD budget authority (Green Book) by fiscal year", (FROM, TO), tables.greenbook,
             year_span=lambda s: tables.years(s.tables["budget_greenbook"], "fiscal_year")),
    Resource("/budget/sipri", "Military expenditure by country (SIPRI extract)", (FROM, TO), tables.sipri,
             year_span=lambda s: tables.years(s.tables["sipri"], "year")),
)
# /troops/years/... before /troops/{iso3}/...: "years" is not a country code, but the more specific path wins
_MATCH_ORDER = sorted(RESOURCES, key=lambda r: ("{" in r.path, r.path.count("{"), -len(r.path)))


def match(path: str) -> tuple[Resource, str | None, str]:
    """The resource at ``path`` (under PREFIX), the code or year its path names and the extension ("" if none)."""
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
