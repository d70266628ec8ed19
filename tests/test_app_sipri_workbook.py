"""The cost view reads the full SIPRI workbook only when the operator supplies it (FOOTPRINT_SIPRI_WORKBOOK)."""
from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.apputil import open_link


def run_cost(**query) -> AppTest:
    return open_link("app_pages/cost.py", section="Other countries", **query)


def sipri_chart_countries(at: AppTest) -> list[str]:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec.get("layout", {}).get("title", {})
        if "SIPRI" in str(title):
            return list(spec["data"][0]["y"])
    raise AssertionError("no SIPRI chart")


def test_without_workbook_the_extract_is_shown(monkeypatch):
    monkeypatch.delenv("FOOTPRINT_SIPRI_WORKBOOK", raising=False)
    at = run_cost()
    countries = sipri_chart_countries(at)
    # the dashboard's one name per country, not SIPRI's ("United States of America", "Korea, South")
    assert "United States" in countries and "Peru" in countries and "South Korea" in countries
    assert "United States of America" not in countries and "Korea, South" not in countries
    assert len(countries) <= 20
    assert not [m for m in at.multiselect if m.key == "scountries"]


def test_supplied_workbook_offers_every_country(raw_dir, monkeypatch):
    monkeypatch.setenv("FOOTPRINT_SIPRI_WORKBOOK", str(raw_dir / "sipri-milex" / "SIPRI-Milex-data-1949-2024_2.xlsx"))
    at = run_cost(scountries=["Canada", "Peru"], syear="2023")
    picker = at.multiselect(key="scountries")
    assert len(picker.options) > 150
    assert sorted(picker.value) == ["Canada", "Peru"]
    assert sorted(sipri_chart_countries(at)) == ["Canada", "Peru"]
    assert "not redistributed" in " ".join(c.value for c in at.caption)


def test_wrong_workbook_names_the_file_and_falls_back(tmp_path, monkeypatch):
    bad = tmp_path / "not-sipri.xlsx"
    bad.write_text("this is not a workbook")
    monkeypatch.setenv("FOOTPRINT_SIPRI_WORKBOOK", str(bad))
    at = run_cost()
    errors = " ".join(str(e.value) for e in at.error)
    assert "not\\-sipri\\.xlsx" in errors  # markdown-escaped in the error box
    assert "Peru" in sipri_chart_countries(at)
