"""prep/views.py builds the figures the app shows: for a few parameter sets, the figure from the Streamlit-free
function equals the one the page draws under AppTest (data traces' x, y, z, locations and text, and the title)."""
from __future__ import annotations

import json

import plotly.io as pio
import pytest

from export.common import load_tables
from prep import views
from tests.apputil import open_link


@pytest.fixture(scope="module")
def tables():
    return load_tables()


KEYS = ("type", "x", "y", "z", "locations", "text", "name", "base", "stackgroup")


def _traces(spec: dict) -> list[dict]:
    return [{k: d.get(k) for k in KEYS} for d in spec.get("data", [])]


def _title(spec: dict) -> str:
    t = spec["layout"].get("title") or {}
    return t.get("text", "") if isinstance(t, dict) else str(t)


def _spec(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def _app_chart(at, title: str) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    found = [s for s in specs if _title(s) == title]
    assert found, f"no chart titled {title!r}; the app shows {[_title(s) for s in specs]}"
    return found[0]


def _same(app: dict, ours: dict) -> None:
    assert _title(app) == _title(ours)
    assert _traces(app) == _traces(ours)
    assert len(app.get("frames", [])) == len(ours.get("frames", []))
    for fa, fo in zip(app.get("frames", []), ours.get("frames", [])):
        assert fa["name"] == fo["name"] and _traces(fa) == _traces(fo)


def test_year_map_matches_the_where_page(tables):
    at = open_link(None, year="1968", measure="Army")
    ours = _spec(views.year_map(tables["troops_annual"], 1968, "army"))
    app = _app_chart(at, "US troops abroad, 1968")
    _same(app, ours)
    # the figure carries data, not just a frame: West Germany's army figure in 1968 is on the map
    trace = ours["data"][0]
    assert len(trace["locations"]) > 50 and "DEU" in trace["locations"]
    yv = views.troops_abroad_year(tables["troops_annual"], 1968, "army")
    assert yv["total"] == sum(int(v) for v in tables["troops_annual"].query("scope == 'abroad' and year == 1968")["army"].dropna())
    assert len(yv["top"]) == 15 and yv["top"]["Troops"].is_monotonic_decreasing


def test_animation_matches_the_where_page(tables):
    at = open_link(None, play="true")
    ours = _spec(views.troop_animation(tables["troops_annual"], "active_duty"))
    years, _ = views.years_and_measures(tables["troops_annual"])
    app = _app_chart(at, f"US troops abroad, {years[0]}-{years[-1]}")
    _same(app, ours)
    assert len(ours["frames"]) == len(years) and ours["frames"][-1]["name"] == str(years[-1])


@pytest.mark.parametrize("label", ["Total", "By region"])
def test_troops_over_time_matches_the_when_page(tables, label):
    at = open_link("app_pages/when.py", view=label)
    tv = views.troops_over_time(tables["troops_annual"], views.TROOP_VIEWS[label])
    _same(_app_chart(at, _title(_spec(tv["fig"]))), _spec(tv["fig"]))
    if label == "Total":
        assert tv["series_df"]["year"].is_unique and tv["series_df"]["value"].max() > 500_000  # the early 1950s


@pytest.mark.parametrize("unit_label", ["Current dollars", "Percent of GDP"])
def test_omb_view_matches_the_cost_page(tables, unit_label):
    at = open_link("app_pages/cost.py", section="Outlays", unit=unit_label)
    ov = views.omb_view(tables["budget_omb"], views.OMB_UNITS[unit_label], ("national_defense",), unit_label)
    _same(_app_chart(at, f"Outlays, {unit_label}"), _spec(ov["fig"]))
    assert ov["first"] == 1940 and ov["est"] is not None


def test_gb_sipri_and_fy2024_match_the_cost_page(tables):
    at = open_link("app_pages/cost.py", section="Budget authority", gb="By department")
    gv = views.gb_view(tables["budget_greenbook"], "military_department", "current", "Current dollars")
    _same(_app_chart(at, "DoD budget authority, Current dollars"), _spec(gv["fig"]))

    year = views.sipri_latest_year(tables["sipri"])
    at = open_link("app_pages/cost.py", section="Other countries", smetric="Share of GDP")
    sv = views.sipri_view(tables["sipri"], year, "share_of_gdp_pct", "Share of GDP")
    _same(_app_chart(at, f"SIPRI {year}: Share of GDP"), _spec(sv["fig"]))

    at = open_link("app_pages/cost.py", section="FY2024")
    fy = views.fy2024(tables["budget_omb"], tables["reported_figures"])
    _same(_app_chart(at, "FY2024: official vs reported"), _spec(fy["fig"]))
    assert {i["kind"] for i in fy["items"]} == {"official", "reported"}


@pytest.mark.parametrize("country,label", [("PER", "Peru"), ("JPN", "Japan")])
def test_country_history_matches_the_country_page(tables, country, label):
    at = open_link("app_pages/country.py", country=label)
    hv = views.country_history(tables["troops_annual"], country)
    assert hv["has"]
    _same(_app_chart(at, "Active-duty US troops, by year"), _spec(hv["fig"]))
    assert set(hv["hist"]["iso3"]) == {country}
    assert country in views.countries_with_troops(tables["troops_annual"])
