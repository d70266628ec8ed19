"""The Streamlit-free preparation layer: the words and counts that explain a figure, on the committed tables."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import prep

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def abroad() -> pd.DataFrame:
    a = pd.read_csv(DATA / "troops_annual.csv", keep_default_na=False, na_values=[""])
    return a[a["scope"] == "abroad"]


def test_hosts_note_says_why_listed_places_and_hosts_differ(abroad):
    y = abroad[abroad["year"] == 2025]
    note = prep.hosts_note(y, "active_duty", 2025)
    assert note == ("157 of the 159 places listed for 2025 have at least one active-duty person (2 listed with zero). "
                    "Figures from: DMDC report.")


def test_hosts_note_names_the_measure_and_missing_figures(abroad):
    y = abroad[abroad["year"] == 1968]
    note = prep.hosts_note(y, "army", 1968)
    hosts = int((y["army"].fillna(0) > 0).sum())
    assert note.startswith(f"{hosts:,} of the {len(y):,} places listed for 1968 have at least one army person")
    if y["army"].isna().any():
        assert f"{int(y['army'].isna().sum()):,} with no figure for this measure" in note


def test_hosts_note_counts_each_kind_of_source_when_mixed():
    y = pd.DataFrame({"active_duty": [10.0, 0.0, None, 5.0], "provenance": ["dmdc", "dmdc", "kane", "kane"]})
    assert prep.hosts_note(y, "active_duty", 1952) == (
        "2 of the 4 places listed for 1952 have at least one active-duty person (1 listed with zero; 1 with no "
        "figure for this measure). Figures from: DMDC report (2 places), Kane (Heritage) compilation (2 places).")


def test_report_mix_explains_three_report_dates_in_2020(abroad):
    text = prep.report_mix(abroad[abroad["year"] == 2020], 2020)
    assert text == ("the September 2020 report for 164 places; for 4 places it does not list, their latest report "
                    "that year (June 2020: 3, December 2020: 1)")
    assert prep.report_mix(abroad[abroad["year"] == 2025], 2025) == "every place from the September 2025 report"


def test_timeline_title_counts_items_once():
    assert prep.timeline_title(1889, 1889, 1920, 2023) == "1,889 items, 1920-2023"
    assert prep.timeline_title(1889, 640, 1920, 2023) == "640 of 1,889 items, 1920-2023"
