"""Map layers, reported-vs-counted rows, place labels and a country profile's tables without Streamlit
(prep/layers.py, prep/compare.py, prep/places.py, prep/records.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from prep import compare, layers, places, records

T = pd.Timestamp
DEPS = pd.DataFrame([
    {"id": "a", "name": "Mission A", "name_es": None, "iso3": "PER", "start": T("2022-10-01"), "end": T("2024-02-01"),
     "personnel_max": 300, "kind": "mission", "status": "completed", "date_precision": "month",
     "sources": [{"source_id": "s1"}, {"source_id": "s2"}],
     "places": [{"name": "Lima", "lat": -12.0, "lon": -77.0}, {"name": "Cusco", "lat": -13.5, "lon": -72.0}]},
    {"id": "b", "name": "Visit B", "name_es": "Visita B", "iso3": "PER", "start": T("2023-05-01"), "end": pd.NaT,
     "personnel_max": pd.NA, "kind": "deployment", "status": "proposed", "date_precision": "day",
     "sources": [{"source_id": "s3"}], "places": []},
    {"id": "c", "name": "Undated", "name_es": None, "iso3": "PAN", "start": pd.NaT, "end": pd.NaT,
     "personnel_max": 5, "kind": "deployment", "status": "completed", "date_precision": "day",
     "sources": [], "places": [{"name": "Colón", "lat": 9.3, "lon": -79.9}]},
])


@pytest.mark.parametrize("year, names", [(2021, []), (2022, ["Mission A", "Mission A"]),
                                         (2023, ["Mission A", "Mission A"]), (2025, [])])
def test_deployment_layer_has_one_point_per_place_of_each_record_active_that_year(year, names):
    layer = layers.deployment_layer(DEPS, year, "en")
    assert layer.frame["name"].tolist() == names
    assert list(layer.frame.columns) == layers.DEPLOYMENT_COLUMNS
    assert layer.sources == ["s1", "s2"] * len(names)


def test_deployment_layer_rows_say_period_and_personnel_in_the_readers_language():
    en = layers.deployment_layer(DEPS, 2023, "en").frame.iloc[0]
    assert (en["place"], en["lat"], en["when"], en["personnel"], en["sources"]) == (
        "Lima", -12.0, "Oct 2022 to Feb 2024", "300 (reported)", "s1; s2")
    assert layers.personnel_label(pd.NA, "en") == "not reported"
    es = layers.deployment_layer(DEPS, 2023, "es").frame.iloc[0]
    assert (es["name"], es["when"], es["personnel"]) == ("Mission A (en inglés)", "de oct 2022 a feb 2024",
                                                         "300 (reportado)")


def test_a_record_without_end_is_on_its_start_years_map_only():
    assert layers.active_in(T("2023-05-01"), pd.NaT, 2023) and not layers.active_in(T("2023-05-01"), pd.NaT, 2024)
    assert not layers.active_in(pd.NaT, pd.NaT, 2023)


def test_exercise_layer_names_the_unnamed():
    ex = pd.DataFrame({"year": [2005, 2005, 2006], "start": [T("2005-05-01"), T("2005-09-01"), T("2006-01-01")],
                       "n_participants": [4, 2, 3], "name": ["Cobra Gold", None, "X"]})
    out = layers.exercise_layer(ex, 2005, "en")
    assert out["name"].tolist() == ["Cobra Gold", "Unnamed exercise"]
    assert out["when"].tolist() == ["May 2005", "Sep 2005"] and out["participants"].tolist() == [4, 2]


def test_country_places_draws_bases_and_record_places_together():
    bases = pd.DataFrame({"iso3": ["PER", "PAN"], "lat": [-12.1, 9.0], "lon": [-77.1, -79.5], "type": ["site", "site"],
                          "name": ["Base P", "Base Q"], "period": ["2000", "2000"], "source_id": ["vine", "vine"]})
    cp = layers.country_places("PER", "PER", bases, DEPS, "en")
    assert cp.bases["name"].tolist() == ["Base P"]
    assert cp.places[["deployment", "name"]].values.tolist() == [["Mission A", "Lima"], ["Mission A", "Cusco"]]
    assert cp.both["layer"].tolist() == ["base site", "deployment place", "deployment place"]
    assert cp.fig is not None
    none = layers.country_places("XKX", "", None, None, "en")
    assert none.fig is None and none.both is None and none.places.empty


def test_unique_labels_add_the_code_only_where_names_clash():
    assert places.unique_labels({"DEU": "Germany", "DDR": "Germany", "PER": "Peru"}) == {
        "DEU": "Germany (DEU)", "DDR": "Germany (DDR)", "PER": "Peru"}
    named = places.places_named(pd.DataFrame({"iso3": ["PER", "", None]}), None, also=("JPN",))
    assert named == {"PER": "Peru", "JPN": "Japan"}


def test_listing_and_sources_of_a_country_profile():
    mine = DEPS[DEPS["iso3"] == "PER"]
    table = records.listing(mine, "en")
    assert table.columns.tolist() == ["Name", "Personnel (reported)", "When", "Kind", "Status"]
    assert table["Name"].tolist() == ["Mission A", "Visit B"]
    assert table["When"].tolist() == ["October 2022 to 1 February 2024", "1 May 2023"]
    assert table["Personnel (reported)"].isna().tolist() == [False, True]  # missing stays missing
    annual = pd.DataFrame({"iso3": ["PER", "PER", "JPN"], "source_id": ["dmdc", "dmdc", "dmdc2"]})
    assert records.profile_sources("PER", annual, None, mine, None, None) == ["dmdc", "s1", "s2", "s3"]


def test_context_listing_keeps_a_missing_end_blank():
    ev = pd.DataFrame({"start": ["2019-03-01"], "end": [None], "date_precision": ["month"], "title": ["Protest"],
                       "description": ["Many marched"], "attributed_to": ["Reuters"]})
    table = records.context_listing(ev, "en")
    assert table.iloc[0].tolist() == ["March 2019", "", "Protest", "Many marched", "Reuters"]
    assert records.context_listing(ev, "es")["Evento"].iloc[0] == "Protest (en inglés)"


def test_comparison_puts_each_reported_figure_beside_our_count():
    abroad = pd.DataFrame({"year": [2020, 2020, 2021], "active_duty": [100.0, 0.0, 50.0], "report": [
        "September 2020", "September 2020", "September 2021"], "provenance": ["dmdc"] * 3})
    bases = pd.DataFrame({"iso3": ["PER", "PER", "JPN"], "is_major_base": [True, False, None],
                          "is_lily_pad": [False, True, None], "is_funded_site": [None, None, True]})
    rep = pd.DataFrame([
        {"compare_with": "troops.abroad_active_duty_2020", "label": "Troops abroad", "value": 120.0, "year": 2020,
         "attributed_to": "A think tank", "claim": "about 120", "note": None, "source_id": "r1"},
        {"compare_with": "bases.sites", "label": "Bases", "value": 2.5, "year": 2020, "attributed_to": "B",
         "claim": "c", "note": "n", "source_id": "r2"},
        {"compare_with": "nothing.we.count", "label": "X", "value": 1.0, "year": 2020, "attributed_to": "C",
         "claim": "c", "note": "n", "source_id": "r3"}])
    out = compare.comparison(rep, abroad, bases, "en")
    assert out["source_id"].tolist() == ["r1", "r2"]  # a figure we do not count is left out
    assert out["Reported"].tolist() == ["Troops abroad: 120", "Bases: 2.5"]
    assert out["Our count"].tolist() == [100, 3]
    assert out["What we count"].iloc[0] == "active duty abroad, 2020: every place from the September 2020 report"
    assert out["Note"].iloc[0] == ""  # no note: no text
    counts = compare.base_counts(bases, "en")
    assert [counts[k][0] for k in ("bases.countries", "bases.major_bases", "bases.lily_pads",
                                   "bases.funded_sites")] == [2, 1, 1, 1]
    assert compare.troop_counts(abroad, [2021, 2022], "en")["troops.hosts_2021"][0] == 1
    assert "troops.hosts_2022" not in compare.troop_counts(abroad, [2021, 2022], "en")
    assert compare.comparison(rep.iloc[2:], abroad, None, "en") is None


def test_authorisations_of_a_host_country_beside_the_dmdc_count():
    deps = pd.DataFrame([
        {"id": "d1", "name": "Law 1", "iso3": "PER", "kind": "decision", "status": "authorised",
         "start": T("2023-05-25"), "sources": [{"source_id": "s1"}],
         "decision": {"body": "Congress", "body_es": "Congreso", "instrument": "RL 1",
                      "us_personnel_authorised": {"value": 700, "source_id": "s1"}}},
        {"id": "d2", "name": "Law 2", "iso3": "PER", "kind": "decision", "status": "authorised",
         "start": T("2024-02-01"), "sources": [{"source_id": "s2"}], "decision": {"body": "Congress"}}])
    annual = pd.DataFrame({"iso3": ["PER"] * 2, "year": [2023, 2024], "active_duty": [30.0, 40.0],
                           "report": ["September 2023", "September 2024"], "source_id": ["dmdc"] * 2})
    a = records.authorisations(deps, annual, "PER", 2022, "en")
    assert a.n == 2 and a.body == "Congress"
    assert a.table["year"].tolist() == [2022, 2023, 2024] and a.table["decisions"].tolist() == [0, 1, 1]
    assert a.table["instruments"].tolist() == ["", "RL 1", "Law 2"]
    # a year whose decisions give no figure has none (NA), never 0
    assert a.table["personnel_authorised"].isna().tolist() == [True, False, True]
    assert a.table["personnel_authorised"].iloc[1] == 700
    assert a.sources == ["s1", "s1", "s2", "dmdc"]
    assert a.latest_count["active_duty"].tolist() == [40]
    assert records.authorisations(deps, annual, "PER", 2022, "es").body == "Congreso"
    assert records.authorisations(deps, annual, "JPN", 2022, "en") is None
