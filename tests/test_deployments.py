"""Deployment YAML files: the format's checks (each problem names file, line, field, rule) and the real files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders import DATA_DIR, deployments
from loaders.schema import DataError, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "places"


def make_data_dir(tmp_path: Path, *files: Path) -> Path:
    data = tmp_path / "data"
    (data / "deployments").mkdir(parents=True)
    shutil.copy(DATA_DIR / "sources.yaml", data / "sources.yaml")
    shutil.copy(FIXTURES / "geocode_cache.csv", data / "geocode_cache.csv")
    for f in files:
        shutil.copy(f, data / "deployments" / f.name)
    return data


def problems_for(tmp_path: Path, name: str) -> list[str]:
    data = make_data_dir(tmp_path, FIXTURES / "deployments_bad" / f"{name}.yaml")
    frame, problems = deployments.load_deployments(data)
    assert frame.empty
    return [str(p) for p in problems]


def test_end_before_start(tmp_path):
    assert problems_for(tmp_path, "end-before-start") == [
        "deployments/end-before-start.yaml:8 end: is before start (2023-05-01 < 2023-06-01)"]


def test_impossible_date_unquoted_and_quoted(tmp_path):
    assert problems_for(tmp_path / "a", "bad-month") == [
        "deployments/bad-month.yaml:6 start: not a real date: '2023-13-01'"]
    assert problems_for(tmp_path / "b", "bad-month-quoted") == [
        "deployments/bad-month-quoted.yaml:6 start: not a real date: '2023-13-01'"]


def test_negative_and_non_numeric_counts(tmp_path):
    assert problems_for(tmp_path, "negative-count") == [
        "deployments/negative-count.yaml:18 detachments[0].personnel: must not be negative, got -25",
        "deployments/negative-count.yaml:22 detachments[1].personnel: must be a whole number as reported "
        "(no text, no 0 for 'not reported'), got 'about 40'",
        "deployments/negative-count.yaml:23 detachments[1].aircraft: must not be negative, got -1",
    ]


def test_unknown_country(tmp_path):
    assert problems_for(tmp_path, "unknown-country") == [
        "deployments/unknown-country.yaml:5 iso3: unknown country code 'ZZZ'"]


def test_unknown_source(tmp_path):
    assert problems_for(tmp_path, "unknown-source") == [
        "deployments/unknown-source.yaml:15 claims[0].source_id: unknown source 'made_up_2024' (not in sources.yaml)"]


def test_missing_unknown_and_wrong_fields(tmp_path):
    got = problems_for(tmp_path, "missing-fields")
    assert got[0].startswith("deployments/missing-fields.yaml:8 personel_max: unknown field (allowed: id, name,")
    assert got[1:] == [
        "deployments/missing-fields.yaml:3 kind: must be one of deployment, exercise, mission, proposed, decision, "
        "operation; got 'drill'",
        "deployments/missing-fields.yaml:1 status: required",
        "deployments/missing-fields.yaml:6 date_precision: must be one of day, month, year; got 'week'",
        "deployments/missing-fields.yaml:10 sources[0].attributed_to: required",
        "deployments/missing-fields.yaml:12 detachments[0].source_id: required",
        "deployments/missing-fields.yaml:12 detachments[0].attributed_to: required",
    ]


def test_detachments_exceeding_total_precision_and_unreviewed_place(tmp_path):
    assert problems_for(tmp_path, "too-many-in-detachments") == [
        "deployments/too-many-in-detachments.yaml:8 end: with month precision, write the last day of the month (got 2023-12-15)",
        "deployments/too-many-in-detachments.yaml:18 detachments: detachments add up to 60, more than personnel_max 50",
        "deployments/too-many-in-detachments.yaml:29 places[0].query: 'Nowhere, Atlantis' has no reviewed, located entry in geocode_cache.csv",
    ]


def test_id_must_match_file_and_proposed_goes_together(tmp_path):
    assert problems_for(tmp_path, "wrong-id") == [
        "deployments/wrong-id.yaml:1 id: must equal the file name ('wrong-id')",
        "deployments/wrong-id.yaml:4 status: kind 'proposed' and status 'proposed' go together",
    ]


def test_not_yaml_and_not_a_mapping(tmp_path):
    # the parser's own words (libyaml's, or PyYAML's pure-Python one where the C binding is missing), with file and line
    assert problems_for(tmp_path / "a", "not-yaml") in (
        ["deployments/not-yaml.yaml:2: not valid YAML (did not find expected ',' or ']')"],
        ["deployments/not-yaml.yaml:2: not valid YAML (expected ',' or ']', but got ':')"])
    assert problems_for(tmp_path / "b", "not-a-mapping") == [
        "deployments/not-a-mapping.yaml:1: the file must be a YAML mapping of field: value"]


def test_unsafe_yaml_tags_are_refused(tmp_path):
    data = make_data_dir(tmp_path)
    (data / "deployments" / "evil.yaml").write_text("id: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    frame, problems = deployments.load_deployments(data)
    assert frame.empty and len(problems) == 1
    assert str(problems[0]).startswith("deployments/evil.yaml:1: not valid YAML")


def test_html_in_text_is_kept_as_text_and_values_load(tmp_path):
    data = make_data_dir(tmp_path, FIXTURES / "deployments_good" / "html-name.yaml")
    frame, problems = deployments.load_deployments(data)
    assert problems == []
    row = frame.iloc[0]
    # harmless markup passes the data gate and is shown as text (the views escape it); scripts, event handlers
    # and script links are refused (test_script_markup_and_bidi_are_refused)
    assert row["name"] == "[x](https://e.vil) Exercise <b>Bold</b> & more"
    assert row["summary"] == "<i>italic</i> and **stars** kept as text."
    assert row["services"] == "Army; Air Force" and row["personnel_max"] == 12
    assert row["places"] == [{"name": "Peru (marker at Lima)", "name_es": None, "query": "Lima, Peru", "lat": -12.047816,
                              "lon": -77.062203}]
    det = deployments.detachments_frame(frame)
    assert det[["name", "personnel", "aircraft", "attributed_to"]].values.tolist() == [
        ["Only one", 12, 2, "Somebody, as cited by the article"]]


def test_script_markup_is_refused_naming_file_line_and_field(tmp_path):
    assert problems_for(tmp_path, "script-markup") == [
        "deployments/script-markup.yaml:2 name: markup or a script link is not allowed: '<script'",
        "deployments/script-markup.yaml:11 summary: markup or a script link is not allowed: '<img'",
        "deployments/script-markup.yaml:28 detachments[0].quote.text: markup or a script link is not allowed: '<script'",
    ]


def test_refuses_paths_outside_the_deployments_folder(tmp_path):
    data = make_data_dir(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: outside\n", encoding="utf-8")
    link = data / "deployments" / "link.yaml"
    link.symlink_to(outside)
    for path in (outside, link, data / "deployments" / ".." / "sources.yaml"):
        with pytest.raises(DataError, match="refusing to read"):
            deployments.load_file(path, data, {})
    frame, problems = deployments.load_deployments(data)
    assert [str(p) for p in problems] == ["deployments/link.yaml: refusing to read a file outside deployments/ or not .yaml"]


def test_duplicate_ids_across_files_impossible_because_id_is_the_file_name(tmp_path):
    data = make_data_dir(tmp_path, FIXTURES / "deployments_good" / "html-name.yaml")
    shutil.copy(FIXTURES / "deployments_good" / "html-name.yaml", data / "deployments" / "copy.yaml")
    frame, problems = deployments.load_deployments(data)
    assert [str(p) for p in problems] == ["deployments/copy.yaml:1 id: must equal the file name ('copy')"]
    assert frame["id"].tolist() == ["html-name"]


# ------------------------------------------------------------------------------ the committed files ---

@pytest.fixture(scope="module")
def real():
    frame, problems = deployments.load_deployments(DATA_DIR)
    assert [str(p) for p in problems] == []
    return frame.set_index("id", drop=False)


LEGACY = ["resolute-sentinel-23", "peru-naval-mission-1920", "peru-army-mission-1946-1969",
          "peru-2015-reported-arrival", "peru-2017-exercises", "peru-2018-regional-emergency-operations-centers",
          "darien-panama-proposed-2023"]


def test_real_files_load(real):
    assert set(LEGACY) <= set(real.index)
    assert {"PER", "PAN", "HND", "GTM"} <= set(real["iso3"])
    assert sorted(real.index) == sorted(p.stem for p in (DATA_DIR / "deployments").glob("*.yaml"))


def test_resolute_sentinel_values(real):
    rs = real.loc["resolute-sentinel-23"]
    # the exercise as Congress authorised it: 1,172, which the reporting on the resolutions splits into three
    # groups (970 + 42 + 160); the opinion article's 970 is its author's claim, not a rival total
    assert rs["personnel_max"] == 1172 and rs["personnel_source_id"] == "congreso_2023_rs23_prl5111"
    assert rs["personnel"] == []
    assert rs["organiser"] == "US Southern Command (SOUTHCOM)"
    assert rs["services"] == "Air Force; Space Force; Army"
    assert (str(rs["start"].date()), rs["date_precision"], str(rs["end"].date()), rs["end_precision"]) == (
        "2023-06-01", "month", "2023-08-29", "day")
    det = deployments.detachments_frame(real.loc[["resolute-sentinel-23"]])
    assert det["personnel"].tolist() == [970, 42, 160] and sum(det["personnel"]) == rs["personnel_max"]
    assert det["aircraft"].tolist()[2] == 9
    assert set(det["attributed_to"]) == {"article, on the resolutions published in El Peruano"}
    assert [(c["about"], c["date"], c["source_id"]) for c in rs["claims"]][:2] == [
        ("personnel", None, "whitney_2023"), ("authorisation", "2023-05-26", "whitney_2023")]
    assert "970" in rs["claims"][0]["text"]
    assert rs["sources"][0]["source_id"] == "congreso_2023_rs23_prl5111"
    assert rs["our_translation"] == "es" and "1,172 efectivos" in rs["summary_es"]
    assert set(rs["related"]) >= {"peru-congress-resolute-sentinel-2023", "peru-congress-us-personnel-jun-dec-2023"}


def test_other_real_values(real):
    assert real.loc["peru-2015-reported-arrival", "personnel_max"] == 3200
    assert real.loc["peru-2015-reported-arrival", "personnel_attributed_to"] == "Peruvian military sources, as reported by El Correo (2015)"
    assert real.loc["darien-panama-proposed-2023", "status"] == "proposed"
    assert real.loc["peru-army-mission-1946-1969", "end"].year == 1969
    places = deployments.places_frame(real)
    assert places["lat"].notna().all()
    assert places.set_index("deployment_id").at["darien-panama-proposed-2023", "lat"] == 8.286023


def test_peru_congress_series_has_every_sourced_year(real):
    """Peru's authorisations of US personnel, 2012-2026: one record per sourced resolution, dated by the
    vote (or by the year where only the year is sourced), with the figures each source gives."""
    per = real[(real["iso3"] == "PER") & (real["kind"] == "decision")]
    years = per.groupby(per["start"].dt.year).size().to_dict()
    assert years == {2012: 1, 2015: 1, 2018: 1, 2023: 4, 2024: 2, 2025: 2}
    dec = per["decision"].to_dict()
    assert (dec["peru-congress-silent-force-2023"]["vote"]["in_favour"], dec["peru-congress-silent-force-2023"]["vote"]["against"],
            dec["peru-congress-silent-force-2023"]["vote"]["abstentions"]) == (76, 23, 4)
    assert dec["peru-congress-silent-force-2023"]["period"] == {"start": "2023-10-20", "end": "2023-10-27"}
    assert dec["peru-congress-jungle-exchange-2023"]["us_personnel_authorised"]["value"] == 87
    assert dec["peru-congress-uscgc-stone-2025"]["us_personnel_authorised"]["value"] == 166
    assert dec["peru-congress-us-personnel-2025"]["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert real.at["peru-congress-us-personnel-2025", "date_precision"] == "year"
    # the 2026 record carries the December 2025 publication and names who said what
    claims = {c["about"]: c for c in real.at["peru-congress-us-personnel-2026", "claims"]}
    assert claims["publication"]["date"] == "2025-12-14" and "Rospigliosi" in claims["publication"]["text"]
    assert "not the committee chair" in claims["earlier authorisation"]["attributed_to"]
    assert "chair said" not in real.at["peru-congress-us-personnel-2026", "summary"]


def test_context_events_table():
    frame, problems = read_table(DATA_DIR / "context_events.csv", deployments.CONTEXT_SPEC)
    assert problems == []
    assert len(frame) >= 7 and "PER" in set(frame["iso3"])
    assert {"whitney_2023", "rpp_2025_boluarte_vacancy"} <= set(frame["source_id"])
    assert frame["start"].dt.strftime("%Y-%m-%d").tolist()[1] == "2022-12-07"
    boluarte = frame[frame["source_id"] == "rpp_2025_boluarte_vacancy"].iloc[0]
    assert boluarte["start"].strftime("%Y-%m-%d") == "2025-10-10" and "Jerí" in boluarte["title"]


def test_context_end_before_start_is_a_problem(tmp_path):
    path = tmp_path / "context_events.csv"
    path.write_text("iso3,start,end,date_precision,title,title_es,description,description_es,attributed_to,"
                    "attributed_to_es,source_id\n"
                    "PER,2023-02-01,2023-01-01,month,T,T,D,D,article,artículo,whitney_2023\n", encoding="utf-8")
    _, problems = read_table(path, deployments.CONTEXT_SPEC)
    assert [str(p) for p in problems] == ["context_events.csv:2 end: is before start"]


def test_extra_checks_passes_on_committed_data():
    from loaders.sources import read_sources

    sources, _ = read_sources(DATA_DIR / "sources.yaml")
    assert deployments.extra_checks(DATA_DIR, sources) == []
