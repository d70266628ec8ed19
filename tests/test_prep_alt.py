"""The charts' text alternatives (prep/alt.py): one sentence from the chart's own rows, in each language, with the
numbers a reader would read off the chart; a missing figure is left out, never counted as zero."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from prep import alt

DATA = Path(__file__).resolve().parent.parent / "data"


def test_map_summary_names_year_count_and_largest_host_in_each_language():
    rows = pd.DataFrame({"iso3": ["JPN", "DEU", "PER", "XXX"], "name": ["Japan", "Germany", "Peru", "Nowhere"],
                         "active_duty": [53732.0, 34000.0, 0.0, None]})
    en, table = alt.map_alt(rows, "active_duty", 2020, "en")
    assert en == "Map of 2020: 2 places with US troops reported; the largest host is Japan with 53,732."
    assert list(table.columns) == ["Place", "Troops"] and len(table) == 3  # the missing figure is not a row
    es, table_es = alt.map_alt(rows, "active_duty", 2020, "es")
    assert es == ("Mapa de 2020: 2 lugares con tropas estadounidenses reportadas; el mayor anfitrión es Japón, "
                  "con 53,732.")  # es-419: Latin American separators
    assert list(table_es.columns) == ["Lugar", "Tropas"] and table_es.iloc[1, 0] == "Alemania"


def test_map_summary_without_any_figure_says_so():
    rows = pd.DataFrame({"iso3": ["JPN"], "name": ["Japan"], "active_duty": [None]})
    assert alt.map_alt(rows, "active_duty", 1950, "en")[0] == "Map of 1950: no place has a reported figure."


def test_series_summary_gives_range_peak_and_last_value():
    frame = pd.DataFrame({"year": [1950, 1951, 1952, 1953], "value": [100.0, 300.0, None, 250.0]})
    assert alt.series_summary(frame, "Troops", "en") == "Troops, 1950-1953: highest in 1951 with 300; 250 in 1953."
    assert alt.series_summary(frame, "Tropas", "es") == "Tropas, 1950-1953: máximo en 1951, con 300; 250 en 1953."


def test_troops_alt_on_the_committed_table():
    annual = pd.read_csv(DATA / "troops_annual.csv", keep_default_na=False, na_values=[""])
    ab = annual[annual["scope"] == "abroad"]
    total = ab.groupby("year", as_index=False).agg(value=("active_duty", "sum"))
    text, table = alt.troops_alt(total, "total", "en")
    peak = total.loc[total["value"].idxmax()]
    assert f"highest in {int(peak['year'])} with {int(peak['value']):,}" in text
    assert text.startswith(f"Active-duty troops abroad, {int(total['year'].min())}-{int(total['year'].max())}")
    assert len(table) == len(total)
    regions = ab.groupby(["year", "region"], as_index=False).agg(value=("active_duty", "sum"))
    text_es, table_es = alt.troops_alt(regions, "region", "es")
    assert text_es.startswith("Tropas en servicio activo en el exterior") or "series" in text_es
    assert list(table_es.columns) == ["Año", "Serie", "Valor"]


@pytest.mark.parametrize("lang, expected", [
    ("en", "Outlays: $110.0 billion in fiscal year 2021, -8.3% from fiscal year 2020."),
    ("es", "Outlays: US$ 110.0 mil millones en el año fiscal 2021, -8.3% respecto del año fiscal 2020."),
])
def test_budget_summary_gives_latest_value_and_change(lang, expected):
    frame = pd.DataFrame({"fiscal_year": [2019, 2020, 2021], "value": [100.0, 120.0, 110.0]})
    unit = "${value} billion" if lang == "en" else "US$ {value} mil millones"
    assert alt.budget_summary(frame, "Outlays", unit, lang) == expected


def test_omb_alt_leaves_estimates_out_and_gb_alt_adds_the_parts():
    omb = pd.DataFrame({"fiscal_year": [2023, 2024, 2025], "series": ["national_defense"] * 3,
                        "label": ["National defense"] * 3, "unit": ["usd_m_current"] * 3,
                        "value": [800_000.0, 880_000.0, 900_000.0], "is_estimate": [False, False, True]})
    assert alt.omb_alt(omb, "usd_m_current", "Current dollars", "en") == (
        "National defense, current dollars: $880.0 billion in fiscal year 2024, +10.0% from fiscal year 2023.")
    gb = pd.DataFrame({"fiscal_year": [2022, 2022, 2023, 2023, 2024], "category": ["army", "navy"] * 2 + ["army"],
                       "value_usd_m": [100_000.0, 150_000.0, 110_000.0, 140_000.0, 1.0],
                       "status": ["actual"] * 4 + ["request"]})
    assert alt.gb_alt(gb, "Current dollars", "en") == (
        "DoD budget authority, current dollars: $250.0 billion in fiscal year 2023, +0.0% from fiscal year 2022.")


def test_ranked_and_timeline_summaries_in_each_language():
    bars = pd.DataFrame({"country": ["Peru", "Chile", "Bolivia"], "value": [2.1, None, 3.4]})
    assert alt.ranked_summary(bars, "Share of GDP, 2023", "en", unit="{value}%") == (
        "Share of GDP, 2023: 2 countries with a figure; the highest is Bolivia with 3.4%.")
    assert alt.ranked_summary(bars, "Gasto", "es", unit="{value}%") == (
        "Gasto: 2 países con cifra; la más alta es la de Bolivia, con 3.4%.")
    items = pd.DataFrame({"start": pd.to_datetime(["2003-05-01", "2023-06-01"]),
                          "end": pd.to_datetime(["2004-01-01", pd.NaT])})
    assert alt.timeline_summary(items, "Timeline", "en") == "Timeline: 2 items from 2003 to 2023."
    assert alt.timeline_summary(items, "Cronología", "es") == "Cronología: 2 elementos de 2003 a 2023."


def test_animation_alt_reads_the_peak_year_of_the_committed_table():
    annual = pd.read_csv(DATA / "troops_annual.csv", keep_default_na=False, na_values=[""])
    ab = annual[annual["scope"] == "abroad"]
    totals = ab.groupby("year")["active_duty"].sum(min_count=1)
    text = alt.animation_alt(ab, "active_duty", "es")
    assert text.startswith("Mapa animado") and f"máximo en {int(totals.idxmax())}" in text


def test_fy2024_and_places_have_their_sentence_in_both_languages():
    from prep.views import BudgetFigure

    items = [BudgetFigure("OMB: national defense (050) outlays, FY2024", 873_500.0, "official", "", "", "", "omb"),
             BudgetFigure("Reported total", 1_500_000.0, "reported", "", "W. T. Whitney Jr.", "$1.5 trillion", "x")]
    text, table = alt.fy2024_alt(items, "en")
    assert text.startswith("FY2024, side by side: OMB: national defense (050) outlays, FY2024: $873.5 billion")
    assert "Reported total is a reported estimate, not an official figure." in text
    assert table.shape == (2, 3) and table.iloc[1, 2] == "reported estimate"
    es, _ = alt.fy2024_alt(items, "es")
    assert es.startswith("AF2024, lado a lado:") and "no una cifra oficial" in es
    bases = pd.DataFrame({"lat": [1.0, None, 2.0]})
    places = pd.DataFrame({"lat": [3.0]})
    assert alt.places_alt(bases, places, "Peru", "en") == (
        "Peru: 2 base sites (David Vine's list) and 1 places of reported records on the map.")
    assert alt.places_alt(bases, places, "Perú", "es").startswith("Perú: 2 sitios de bases")


# ------------------------------------------------------------------------- the tables behind the charts ---

def test_animation_table_has_one_row_a_year_with_total_and_largest_host():
    rows = pd.DataFrame({"year": [1950, 1950, 1950, 1951, 1951, 1952],
                         "iso3": ["JPN", "DEU", "PER", "DEU", "JPN", "JPN"],
                         "name": ["Japan", "Germany", "Peru", "Germany", "Japan", "Japan"],
                         "active_duty": [100.0, 40.0, None, 70.0, 60.0, None]})
    en = alt.animation_table(rows, "active_duty", "en")
    assert list(en.columns) == ["Year", "Troops abroad", "Largest host", "Its figure"]
    assert en.iloc[:2].astype(object).values.tolist() == [[1950, 140, "Japan", 100], [1951, 130, "Germany", 70]]
    # 1952 has no figure at all: its row is there, missing, not a zero total
    assert en.iloc[2, 0] == 1952 and en.iloc[2, 1:].isna().all()
    es = alt.animation_table(rows.rename(columns={"active_duty": "army"}), "army", "es")
    assert list(es.columns) == ["Año", "Personal en el exterior: Ejército", "Mayor anfitrión", "Su cifra"]
    assert es.iloc[0, 2] == "Japón" and es.iloc[1, 2] == "Alemania"


def test_animation_table_of_the_committed_table_matches_its_peak():
    annual = pd.read_csv(DATA / "troops_annual.csv", keep_default_na=False, na_values=[""])
    ab = annual[annual["scope"] == "abroad"]
    table = alt.animation_table(ab, "active_duty", "en")
    totals = ab.groupby("year")["active_duty"].sum(min_count=1)
    assert len(table) == ab["year"].nunique() and table["Year"].is_monotonic_increasing
    peak = table.loc[table["Troops abroad"].idxmax()]
    assert (int(peak["Year"]), int(peak["Troops abroad"])) == (int(totals.idxmax()), int(totals.max()))
    last = ab[ab["year"] == ab["year"].max()].sort_values("active_duty", ascending=False).iloc[0]
    assert table.iloc[-1]["Largest host"] == last["name"] and table.iloc[-1]["Its figure"] == last["active_duty"]


def test_sipri_table_ranks_countries_and_keeps_a_missing_figure_missing():
    sel = pd.DataFrame({"country": ["Korea, South", "Peru", "Chile"], "iso3": ["KOR", "PER", "CHL"],
                        "value": [47571.34, None, 5105.4], "year": 2024, "metric": "current_usd_m"})
    en = alt.sipri_table(sel, "current_usd_m", "en")
    assert list(en.columns) == ["Country", "US$ million, current"]
    assert en["Country"].tolist() == ["South Korea", "Chile", "Peru"]
    assert en.iloc[:2, 1].tolist() == [47571.0, 5105.0] and pd.isna(en.iloc[2, 1])  # not 0
    es = alt.sipri_table(sel.assign(metric="constant_2023_usd_m"), "constant_2023_usd_m", "es")
    assert list(es.columns) == ["País", "Millones de US$ constantes de 2023"] and es.iloc[2, 0] == "Perú"
    pct = alt.sipri_table(sel.assign(value=[2.57, 1.0, None]), "share_of_gdp_pct", "es")
    assert pct.columns[1] == "Proporción del PIB (%)" and pct.iloc[0, 1] == 2.57


def test_timeline_table_lists_items_by_date_with_kind_place_and_months():
    items = pd.DataFrame({"row": ["Exercise B", "Decision A"], "kind": ["mme_exercise", "decision"],
                          "iso3": ["", "PER"], "start": pd.to_datetime(["2012-06-01", "2011-10-20"]),
                          "end": pd.to_datetime(["2012-07-01", pd.NaT])})
    en = alt.timeline_table(items, "en")
    assert en.astype(object).where(en.notna(), None).values.tolist() == [
        ["Decision A", "Host-country decision", "Peru", "October 2011", None],
        ["Exercise B", "Exercise (MME dataset)", None, "June 2012", "July 2012"]]
    es = alt.timeline_table(items.drop(columns=["iso3"]), "es")  # a country's timeline: no place column
    assert list(es.columns) == ["Nombre", "Tipo", "Inicio", "Fin"]
    assert es.iloc[0].tolist()[:3] == ["Decision A", "Decisión del país anfitrión", "octubre de 2011"]
    assert pd.isna(es.iloc[0, 3]) and es.iloc[1, 3] == "julio de 2012"


def test_places_table_lists_the_drawn_points_and_where_each_is_listed():
    bases = pd.DataFrame({"name": ["Lima", "Nowhere", "Ancon"], "type": ["lily_pad", "lily_pad", "funded_site"],
                          "lat": [-12.0, None, -11.7], "lon": [-77.0, None, -77.1]})
    places = pd.DataFrame({"deployment": ["APEC 2024 support"], "name": ["Pisco"], "lat": [-13.7], "lon": [-76.2]})
    en = alt.places_table(bases, places, "en")
    assert en.values.tolist() == [["US-funded host-nation site", "Ancon", "David Vine's list"],
                                  ["Lily pad (small site)", "Lima", "David Vine's list"],
                                  ["Reported deployment place", "Pisco", "APEC 2024 support"]]  # no coordinates: not drawn
    es = alt.places_table(bases, places.iloc[0:0], "es")
    assert list(es.columns) == ["Tipo", "Lugar", "Consta en"] and es.iloc[0, 2] == "Lista de David Vine"
    assert alt.places_table(bases.iloc[0:0], places.iloc[0:0], "en").empty
