"""Vine's base list (troopdata basedata): parsing, the fixes, places, types and the committed table."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders import DATA_DIR, bases
from loaders.geocode import CachedGeocoder
from loaders.schema import DataError, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "places"


@pytest.fixture(scope="module")
def sample():
    frame, removed = bases.parse_raw(FIXTURES / "basedata_sample.csv", CachedGeocoder(FIXTURES / "geocode_cache.csv"))
    return frame.set_index("site_id", drop=False), removed


def test_duplicates_and_misplaced_copies_are_removed_and_listed(sample):
    frame, removed = sample
    assert len(frame) == 16 - 3
    assert removed == [
        {"site_id": "vine-009", "name": "Naval Support Activity Naples", "action": "removed",
         "reason": "exact duplicate of vine-008 (every field identical)"},
        {"site_id": "vine-010", "name": "Yokota AB, Tokyo", "action": "removed",
         "reason": "second copy of Yokota Air Base, geocoded to the centre of Tokyo rather than the base at Fussa; vine-011 kept"},
        {"site_id": "vine-014", "name": "Camp Humphreys (Richmond), Taejon", "action": "removed",
         "reason": "second copy of Camp Humphreys, geocoded to Daejeon (Taejon) rather than the base at Pyeongtaek; vine-012 kept"},
    ]
    assert frame.at["vine-008", "fix"] == "an exact duplicate (vine-009) was removed"
    assert frame.at["vine-011", "fix"] == "a second copy (vine-010 'Yokota AB, Tokyo') was removed"
    assert frame.at["vine-012", "fix"] == "a second copy (vine-014 'Camp Humphreys (Richmond), Taejon') was removed"
    assert frame.at["vine-011", "lat"] == 35.738451


def test_copy_is_kept_when_the_other_copy_is_absent(tmp_path):
    path = tmp_path / "basedata.csv"
    path.write_text("countryname,ccode,iso3c,basename,lat,lon,base,lilypad,fundedsite\n"
                    'Japan,740.0,JPN,"Yokota AB, Tokyo",35.689488,139.69171,1.0,0.0,0.0\n', encoding="utf-8")
    frame, removed = bases.parse_raw(path)
    assert removed == [] and frame["name"].tolist() == ["Yokota AB, Tokyo"]


def test_places_resolved_by_name_with_the_code_fix_recorded(sample):
    frame, _ = sample
    assert frame.at["vine-005", "iso3"] == "GUM"
    assert frame.at["vine-005", "fix"] == "upstream codes USA/2 (United States) placed in Guam by the country name 'Guam'"
    assert frame.at["vine-003", "iso3"] == "COD"
    assert "upstream codes COG/484" in frame.at["vine-003", "fix"]
    assert frame.at["vine-001", "iso3"] == "AFG" and frame.at["vine-001", "fix"] == ""


def test_missing_coordinates_use_reviewed_cache_only(sample):
    frame, _ = sample
    douala = frame.loc["vine-002"]
    assert (douala["lat"], douala["lon"], douala["located"], douala["coord_source"]) == (4.0510564, 9.7678687, True, "geocoded")
    site54 = frame.loc["vine-007"]
    assert pd.isna(site54["lat"]) and not site54["located"] and site54["coord_source"] == "none"
    assert site54["fix"] == "no coordinates upstream and no reviewed location; not mapped"


def test_without_a_cache_nothing_is_located_by_name(tmp_path):
    frame, _ = bases.parse_raw(FIXTURES / "basedata_sample.csv", None)
    assert not frame.set_index("site_id").at["vine-002", "located"]


def test_random_points_are_not_mapped(sample):
    frame, _ = sample
    row = frame.loc["vine-006"]
    assert not row["located"] and pd.isna(row["lon"])
    assert "random point" in row["fix"]


def test_names_cleaned_visibly(sample):
    frame, _ = sample
    assert frame.at["vine-013", "name"] == "Osan"
    assert frame.at["vine-013", "fix"] == "tab removed from the upstream name 'Osan<TAB>South Korea'"
    assert frame.at["vine-004", "name"] == "Unnamed site (Costa Rica)"
    assert frame.at["vine-004", "fix"] == "no site name upstream"


def test_type_is_first_applicable_and_flags_are_kept(sample):
    frame, _ = sample
    santa_rosa = frame.loc["vine-015"]
    assert santa_rosa["type"] == "lily_pad" and santa_rosa["is_lily_pad"] and santa_rosa["is_funded_site"]
    assert not santa_rosa["is_major_base"]
    assert frame.at["vine-016", "type"] == "funded_site"
    assert frame.at["vine-001", "type"] == "major_base"
    assert set(frame["period"]) == {"Cold War-2018"} and set(frame["source_id"]) == {"vine_bases"}


def test_written_table_passes_its_schema(sample, tmp_path):
    frame, _ = sample
    from loaders.schema import write_table

    write_table(frame.reset_index(drop=True), tmp_path / "bases.csv", bases.BASES_SPEC)
    back, problems = read_table(tmp_path / "bases.csv", bases.BASES_SPEC)
    assert problems == [] and len(back) == 13
    assert back["lat"].isna().sum() == 2


def test_bad_upstream_rows_name_file_row_and_field():
    with pytest.raises(DataError) as err:
        bases.parse_raw(FIXTURES / "basedata_bad.csv")
    assert [str(p) for p in err.value.problems] == [
        "basedata_bad.csv:2 lat: must be between -90 and 90, got 134.9",
        "basedata_bad.csv:3 countryname: unknown place 'Atlantis' (codes 999.0/XXX)",
        "basedata_bad.csv:4 base: must be 0 or 1, got 'yes'",
    ]


def test_missing_upstream_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="file is missing"):
        bases.parse_raw(tmp_path / "nope.csv")


def test_real_upstream_check_figures(raw_dir):
    frame, removed = bases.parse_raw(raw_dir / bases.UPSTREAM, CachedGeocoder(DATA_DIR / "geocode_cache.csv"))
    upstream = pd.read_csv(raw_dir / bases.UPSTREAM, dtype=str, keep_default_na=False)
    assert len(upstream) == bases.UPSTREAM_ROWS == 414
    assert len(frame) == 411 and removed == bases.FIXES
    assert int(frame["is_major_base"].sum()) == 255 - 3
    assert int(frame["is_lily_pad"].sum()) == 114 and int(frame["is_funded_site"].sum()) == 46
    assert frame["iso3"].nunique() == 92  # 93 upstream names, "Niger" and "NIger" are one country
    assert int((~frame["located"]).sum()) == 8  # 6 of the 7 without coordinates + 2 random points
    assert frame.loc[frame["name"] == "Douala", "coord_source"].tolist() == ["geocoded"]
    assert not (frame["iso3"] == "USA").any()
    assert set(frame.loc[frame["fix"].str.contains("placed in"), "iso3"]) >= {"PRI", "GUM", "VIR", "MNP", "ASM", "WAK", "JTN"}


def test_committed_bases_table(raw_dir):
    frame, problems = read_table(DATA_DIR / "bases.csv", bases.BASES_SPEC)
    assert problems == []
    assert len(frame) == 411
    assert frame.loc[frame["name"] == "Naval Support Activity Naples", "site_id"].tolist() == ["vine-168"]
    assert "Yokota AB, Tokyo" not in set(frame["name"])
