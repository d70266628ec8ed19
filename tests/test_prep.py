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
    # Diego Garcia included (loaders.troops rule 11)
    assert note == ("158 of the 160 places listed for 2025 have at least one active-duty person (2 listed with zero). "
                    "Figures from: DMDC report.")


def test_hosts_note_names_the_measure_and_missing_figures(abroad):
    y = abroad[abroad["year"] == 1968]
    note = prep.hosts_note(y, "army", 1968)
    hosts = int((y["army"].fillna(0) > 0).sum())
    assert note.startswith(f"{hosts:,} of the {len(y):,} places listed for 1968 have at least one Army person")
    if y["army"].isna().any():
        assert f"{int(y['army'].isna().sum()):,} with no figure for this measure" in note


def test_hosts_note_counts_each_kind_of_source_when_mixed():
    y = pd.DataFrame({"active_duty": [10.0, 0.0, None, 5.0], "provenance": ["dmdc", "dmdc", "kane", "kane"]})
    assert prep.hosts_note(y, "active_duty", 1952) == (
        "2 of the 4 places listed for 1952 have at least one active-duty person (1 listed with zero; 1 with no "
        "figure for this measure). Figures from: DMDC report (2 places), Kane (Heritage) compilation (2 places).")


def test_report_mix_explains_three_report_dates_in_2020(abroad):
    text = prep.report_mix(abroad[abroad["year"] == 2020], 2020)
    assert text == ("the September 2020 report for 165 places; for 4 places it does not list, their latest report "
                    "that year (June 2020: 3, December 2020: 1)")
    assert prep.report_mix(abroad[abroad["year"] == 2025], 2025) == "every place from the September 2025 report"


def test_timeline_title_counts_items_once():
    assert prep.timeline_title(1889, 1889, 1920, 2023) == "1,889 items, 1920-2023"
    assert prep.timeline_title(1889, 640, 1920, 2023) == "640 of 1,889 items, 1920-2023"


def _records() -> pd.DataFrame:
    from loaders.deployments import load_deployments

    frame, problems = load_deployments(DATA)
    assert problems == []
    return frame


def test_latest_records_are_the_most_recent_with_their_source():
    from prep import records

    deps = _records()
    latest = records.latest(deps, 5, place_name=lambda c: {"PRY": "Paraguay"}.get(c, c))
    starts = deps.dropna(subset=["start"]).sort_values("start", ascending=False)["start"].head(5)
    assert len(latest) == 5 and latest["id"].tolist() == deps.loc[starts.index, "id"].tolist()
    first = deps.set_index("id").loc[latest["id"].iloc[0]]
    import i18n

    assert latest["Date"].iloc[0] == i18n.date_text(first["start"], first["date_precision"], "en")
    assert all(ids for ids in latest["source_ids"])  # every listed record names its sources
    assert i18n.date_text(pd.Timestamp("2023-06-01"), "month", "en") == "June 2023"
    assert i18n.date_text(pd.Timestamp("2023-06-01"), "month", "es") == "junio de 2023"
    assert i18n.date_text(pd.Timestamp("2023-05-26"), "day", "es") == "26 de mayo de 2023"
    es = records.latest(deps, 5, lang="es")
    assert es["id"].tolist() == latest["id"].tolist()
    assert all(not w.endswith(("(in English)", "(en inglés)")) for w in es["What"])  # every recent record has its Spanish name


def test_authorisations_per_year_leave_unreported_figures_missing():
    from prep import records

    deps = _records()
    auth = records.authorisations_by_year(deps, "PER", 2012, 2026).set_index("year")
    # counted from the records themselves: Peru's authorised decisions by the year decided, and the figures they give
    mine = deps[(deps["iso3"] == "PER") & (deps["kind"] == "decision") & (deps["status"] == "authorised")]
    for year in range(2012, 2027):
        that_year = mine[mine["start"].dt.year == year]
        figures = [d["us_personnel_authorised"]["value"] for d in that_year["decision"]
                   if isinstance(d, dict) and isinstance(d.get("us_personnel_authorised"), dict)
                   and d["us_personnel_authorised"].get("value") is not None]
        assert auth.loc[year, "decisions"] == len(that_year), year
        if figures:
            assert auth.loc[year, "personnel_authorised"] == sum(figures), year
        else:
            assert pd.isna(auth.loc[year, "personnel_authorised"]), year  # never 0
    assert auth.loc[2024, "personnel_authorised"] == 600  # APEC 2024: the 600 Congress authorised
    assert auth.loc[2018, "decisions"] >= 1 and pd.isna(auth.loc[2018, "personnel_authorised"])
    annual = pd.read_csv(DATA / "troops_annual.csv", keep_default_na=False, na_values=[""])
    assigned = records.assigned_by_year(annual, "PER", 2012, 2026).set_index("year")
    assert assigned.loc[2023, "active_duty"] == 47 and pd.isna(assigned.loc[2026, "active_duty"])


def test_the_preparation_layer_runs_without_streamlit():
    """prep/, charts/ and i18n/ (and loaders/, which they read through) import no Streamlit, directly or through
    another module: the static snapshot and the tests build every figure with no Streamlit loaded."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    modules = sorted({".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
                      for folder in ("prep", "charts", "i18n", "loaders") for p in (root / folder).glob("*.py")
                      if p.name != "__main__.py"})
    assert {"prep", "prep.views", "prep.records", "charts.maps", "i18n"} <= set(modules)
    code = ("import importlib, sys\n"
            f"for m in {modules!r}:\n"
            "    importlib.import_module(m)\n"
            "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout
