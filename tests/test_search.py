"""Search (prep/search.py, without Streamlit): the index over the committed data finds countries, places, named
records and sources by any of their names, accent- and case-insensitively and with typos, and each hit links to
the view that shows it; nonsense finds nothing and raises nothing; the index is built once per data version.
Then the box on a view (app_pages/ui/search.py) under AppTest: a Spanish page's results link with lang=es, and an
empty box builds nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
from apputil import open_link

from loaders import registry as tables
from loaders.deployments import load_deployments
from loaders.schema import read_table
from loaders.sources import read_sources
from loaders.version import data_version
from prep import registry, search
from prep.places import places_named, unique_labels
from prep.timeline import timeline_choices

DATA = Path(__file__).resolve().parent.parent / "data"


def _table(name: str):
    spec = tables.specs()[name]
    frame, problems = read_table(DATA / spec.file, spec, spec.file)
    assert not problems
    return frame


@pytest.fixture(scope="module")
def frames() -> dict:
    deps, problems = load_deployments(DATA)
    assert problems == []
    return {"annual": _table("troops_annual"), "bases": _table("bases"), "deps": deps, "ex": _table("exercises"),
            "ctx": _table("context_events"), "sources": read_sources(DATA / "sources.yaml")[0]}


@pytest.fixture(scope="module")
def index(frames) -> search.SearchIndex:
    return search.build_index(**frames, version=data_version(DATA))


def keys(hits) -> list[str]:
    return [h.entry.key for h in hits]


def test_fold_drops_accents_case_and_punctuation():
    assert search.fold("Perú") == search.fold("PERU") == search.fold(" peru ") == "peru"
    assert search.fold("Resolute Sentinel 23 (RS23)") == "resolute sentinel 23 rs23"
    assert search.fold("<b>Guantánamo</b>") == "b guantanamo b"
    assert search.fold(None) == ""


@pytest.mark.parametrize("query", ["Resolute Sentinel", "resolute sentinel", "Resolut Sentinell", "RESOLUTE SENTINAL"])
def test_resolute_sentinel_finds_rs23_and_rs22_with_or_without_typos(index, query):
    hits = search.search(index, query)
    found = keys(hits)
    assert "dep:resolute-sentinel-23" in found and "dep:resolute-sentinel-22-guatemala" in found, found
    assert all(h.entry.kind == "record" for h in hits[:4])  # the exercises before the sources that report them
    rs23 = hits[found.index("dep:resolute-sentinel-23")]
    assert rs23.view == "when" and rs23.params == {"section": "Deployments and exercises",
                                                    "item": "Resolute Sentinel 23 (RS23), 2023", "from": "2023",
                                                    "lang": "en"}


def test_a_record_link_opens_that_record_on_when_s_timeline(index, frames):
    """The link's item is one of When's item labels, and its first year lets the timeline show it."""
    choices = timeline_choices(frames["deps"], frames["ex"], "en")
    labels = set(choices.item_labels.values())
    for q in ("Resolute Sentinel 22", "Cobra Gold", "jungle exchange Iquitos"):
        for hit in search.search(index, q):
            if hit.entry.kind == "record":
                assert hit.params["item"] in labels, hit.params
                item = choices.items[choices.items["id"] == hit.entry.key].iloc[0]
                assert int(hit.params["from"]) == item["year0"] <= item["year1"]


def test_iquitos_finds_the_jungle_exchange_and_the_place_in_peru(index):
    hits = search.search(index, "Iquitos", "es")
    assert "dep:peru-congress-jungle-exchange-2023" in keys(hits)
    place = next(h for h in hits if h.entry.kind == "place")
    assert "Iquitos" in place.label and place.detail == "Lugar en Perú"
    assert place.view == "country" and place.params == {"country": "Peru", "section": "Bases and places",
                                                          "lang": "es"}
    assert keys(search.search(index, "iquitso")) == keys(search.search(index, "Iquitos"))  # a typo


@pytest.mark.parametrize("query", ["Peru", "Perú", "peru", "PERU", "PER", "Peru ", "pérou"])
def test_peru_finds_the_country_first(index, query):
    hits = search.search(index, query)
    assert hits[0].entry.kind == "country" and hits[0].entry.key == "PER", keys(hits)
    assert hits[0].view == "country" and hits[0].params == {"country": "Peru", "lang": "en"}
    assert hits[0].label == "Peru" and search.search(index, query, "es")[0].label == "Perú"


def test_a_country_link_is_the_profile_s_own_value(index, frames):
    """The ?country= value is the profile's option label (its name, or "Name (CODE)" where two share a name)."""
    names = places_named(frames["annual"][frames["annual"]["scope"] != "us_domestic"], frames["bases"],
                         frames["deps"], frames["ctx"], also=("PER",))
    labels = unique_labels(names)
    countries = [e for e in index.entries if e.kind == "country"]
    assert {e.code for e in countries} == set(labels)
    assert all(dict(e.params)["country"] == labels[e.code] for e in countries)
    assert search.search(index, "Alemania", "es")[0].params["country"] == "Germany"
    assert search.search(index, "Corea del Sur", "es")[0].label == "Corea del Sur"


def test_a_spanish_record_name_finds_the_record_in_spanish(index):
    hits = search.search(index, "intercambio de operaciones en la selva", "es")
    assert hits[0].entry.key == "dep:peru-congress-jungle-exchange-2023"
    assert hits[0].label.startswith("El Congreso del Perú autoriza marines")
    assert hits[0].detail == "decisión · Perú · 2023"
    assert search.search(index, "intercambio de operaciones en la selva", "en")[0].label.startswith(
        "Peru's Congress authorises US Marines")


def test_sources_are_found_by_publisher_and_title(index, frames):
    sid, src = next((k, s) for k, s in frames["sources"].items() if s.publisher and s.title and len(s.title) > 20)
    assert sid in keys(search.search(index, src.title))
    hits = search.search(index, "Diálogo Américas Resolute Sentinel")
    assert any(h.entry.kind == "source" and h.view == "sources" and h.params == {"lang": "en"} for h in hits)


def test_every_hit_opens_a_registered_view_with_the_reader_s_language(index):
    views = set(registry.paths())
    for q in ("Peru", "Guantanamo", "Bagram", "Panama", "Reuters", "BALTOPS", "Ramstein"):
        hits = search.search(index, q, "es")
        assert hits, q
        assert all(h.view in views and h.params["lang"] == "es" for h in hits)
        assert len(hits) <= search.LIMIT


@pytest.mark.parametrize("query", ["", "   ", None, "x", "é", "xqzjv", "zzzzzzzz", "<script>alert(1)</script>",
                                   "<img src=x onerror=alert(1)>", "'; DROP TABLE troops; --", "\x00\x01", "🙂🙂",
                                   "%%%%", "a" * 10_000, "{}[]()", "1e9999"])
def test_nonsense_finds_nothing_and_raises_nothing(index, query):
    assert search.search(index, query, "es") == []


def test_the_index_is_built_once_per_data_version(index, monkeypatch):
    monkeypatch.setattr(search, "_cache", {})
    built = []

    def build(v):
        built.append(v)
        return index

    v1 = data_version(DATA)
    assert search.cached_index(v1, lambda: build(v1)) is index
    assert search.cached_index(v1, lambda: build(v1)) is index
    assert built == [v1]
    search.cached_index("another", lambda: build("another"))
    search.cached_index(v1, lambda: build(v1))
    assert built == [v1, "another"]  # both kept (CACHE_VERSIONS)
    for v in ("v3", "v4"):
        search.cached_index(v, lambda v=v: build(v))
    assert len(search._cache) == search.CACHE_VERSIONS and v1 not in search._cache


def test_a_missing_table_leaves_its_entries_out(frames):
    idx = search.build_index(annual=frames["annual"], sources=None, deps=None, ex=None, bases=None, ctx=None)
    assert search.search(idx, "Peru")[0].entry.key == "PER"
    assert search.search(idx, "Resolute Sentinel") == []


# ------------------------------------------------------------------------------------------- the box on a view --

def test_a_spanish_view_s_box_gives_result_links_in_spanish_and_an_empty_box_builds_nothing(monkeypatch):
    monkeypatch.setattr(search, "_cache", {})
    at = open_link("app_pages/when.py", lang="es")
    assert search._cache == {}  # nothing built or searched for an empty box
    box = at.text_input(key="q")
    assert box.placeholder == "Buscar países, lugares, registros, fuentes"
    box.input("Peru").run()
    assert not at.exception
    links = [p.proto for p in at.get("page_link") if "country=" in p.proto.query_string or "item=" in p.proto.query_string]
    assert links[0].label == "Perú · Perfil de país" and links[0].query_string == "country=Peru&lang=es"
    assert all("lang=es" in p.query_string for p in links)
    assert len(search._cache) == 1
    box.input("<b>xqzjv</b>").run()
    assert not at.exception
    assert "No se encontró nada para “<b>xqzjv</b>”." in [c.value.replace("\\", "") for c in at.caption]


def _result_links(at) -> list:
    return [p.proto for p in at.get("page_link") if p.proto.query_string.startswith(("country=", "section="))]


def test_a_link_with_q_shows_its_results_and_opening_another_view_empties_the_box():
    at = open_link(q="Perú", lang="es")
    links = _result_links(at)
    assert links and links[0].query_string == "country=Peru&lang=es"
    assert all("lang=es" in link.query_string for link in links)
    at.switch_page("app_pages/country.py")  # as following the first result does
    at.run()
    assert not at.exception and at.text_input(key="q").value == "" and _result_links(at) == []


def test_the_warm_up_builds_the_index_before_the_first_query(monkeypatch):
    from app_pages import warm

    monkeypatch.setattr(search, "_cache", {})
    monkeypatch.setenv(warm.ENV, "tables")
    assert "error" not in warm.run()
    assert list(search._cache) == [data_version(DATA)]
