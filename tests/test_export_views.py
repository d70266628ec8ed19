"""prep/views.py builds the figures the app shows: for a few parameter sets, in English and in Spanish, the figure
from the Streamlit-free function (as the static snapshot calls it) equals the one the page draws under AppTest (data
traces' x, y, z, locations, text and names, and the title)."""
from __future__ import annotations

import html
import json

import plotly.io as pio
import pytest

from charts.common import fit_title
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
    """The figure as the app sends it: a long title broken onto two lines (ui.chart's fit_title)."""
    return json.loads(pio.to_json(fit_title(fig), validate=False))


LANGS = pytest.mark.parametrize("lang", ["en", "es"])


def _open(page, lang: str, **query):
    return open_link(page, **query, **({"lang": lang} if lang != "en" else {}))


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


@LANGS
def test_year_map_matches_the_where_page(tables, lang):
    at = _open(None, lang, year="1968", measure="Army")
    abroad = views.abroad(tables["troops_annual"])
    yv = views.troops_abroad_year(abroad, 1968, "army", lang)
    ours = _spec(views.year_map(yv.this_year, 1968, "army", lang=lang))
    app = _app_chart(at, {"en": "US troops abroad, 1968", "es": "Tropas de EE. UU. en el exterior, 1968"}[lang])
    _same(app, ours)
    # the figure carries data, not just a frame: West Germany's army figure in 1968 is on the map
    trace = ours["data"][0]
    assert len(trace["locations"]) > 50 and "DEU" in trace["locations"]
    assert yv.total == sum(int(v) for v in tables["troops_annual"].query("scope == 'abroad' and year == 1968")["army"].dropna())
    troops = {"en": "Troops", "es": "Tropas"}[lang]
    assert len(yv.top) == 15 and yv.top[troops].is_monotonic_decreasing
    # the top hosts table is the one the page shows (headers, names and report dates in the reader's language)
    tables_html = [h.proto.body for h in at.get("html") if all(html.escape(c) in h.proto.body for c in yv.top.columns)]
    assert tables_html, "no table with the top hosts' headers"
    for col in yv.top.columns[[0, 2, 3]]:  # host, report, kind
        assert all(html.escape(str(v)) in tables_html[0] for v in yv.top[col]), col


def test_animation_matches_the_where_page(tables):
    at = open_link(None, play="true")
    ours = _spec(views.troop_animation(tables["troops_annual"], "active_duty"))
    years, _ = views.years_and_measures(tables["troops_annual"])
    app = _app_chart(at, f"US troops abroad, {years[0]}-{years[-1]}")
    _same(app, ours)
    assert len(ours["frames"]) == len(years) and ours["frames"][-1]["name"] == str(years[-1])


@LANGS
@pytest.mark.parametrize("label", ["Total", "By region"])
def test_troops_over_time_matches_the_when_page(tables, label, lang):
    at = _open("app_pages/when.py", lang, view=label)
    tv = views.troops_over_time(tables["troops_annual"], views.TROOP_VIEWS[label], lang=lang)
    _same(_app_chart(at, _title(_spec(tv.fig))), _spec(tv.fig))
    if label == "Total":
        assert tv.series_df["year"].is_unique and tv.series_df["value"].max() > 500_000  # the early 1950s


@LANGS
@pytest.mark.parametrize("unit_label", ["Current dollars", "Percent of GDP"])
def test_omb_view_matches_the_cost_page(tables, unit_label, lang):
    at = _open("app_pages/cost.py", lang, section="Outlays", unit=unit_label)
    omb = views.omb_prepared(tables["budget_omb"]).omb
    ov = views.omb_view(omb, views.OMB_UNITS[unit_label], ("national_defense",), unit_label, lang)
    _same(_app_chart(at, f"Outlays, {unit_label[0].lower()}{unit_label[1:]}" if lang == "en" else _title(_spec(ov.fig))), _spec(ov.fig))
    assert ov.first == 1940 and ov.est is not None


@LANGS
def test_gb_sipri_and_fy2024_match_the_cost_page(tables, lang):
    en = lang == "en"
    at = _open("app_pages/cost.py", lang, section="Budget authority", gb="By department")
    gv = views.gb_view(tables["budget_greenbook"], "military_department", "current", "Current dollars", lang)
    _same(_app_chart(at, "DoD budget authority, current dollars" if en else _title(_spec(gv.fig))), _spec(gv.fig))

    year = views.sipri_latest_year(tables["sipri"])
    at = _open("app_pages/cost.py", lang, section="Other countries", smetric="Share of GDP")
    sv = views.sipri_view(views.our_names(tables["sipri"], lang), year, "share_of_gdp_pct", "Share of GDP", lang)
    _same(_app_chart(at, f"SIPRI {year}: Share of GDP" if en else _title(_spec(sv.fig))), _spec(sv.fig))

    at = _open("app_pages/cost.py", lang, section="FY2024")
    fy = views.fy2024(views.omb_prepared(tables["budget_omb"]).omb, tables["reported_figures"], lang)
    _same(_app_chart(at, "FY2024: official vs reported" if en else _title(_spec(fy.fig))), _spec(fy.fig))
    assert {i.kind for i in fy.items} == {"official", "reported"}


@LANGS
@pytest.mark.parametrize("country,label", [("PER", "Peru"), ("JPN", "Japan")])
def test_country_history_matches_the_country_page(tables, country, label, lang):
    at = _open("app_pages/country.py", lang, country=label)
    hv = views.country_history(tables["troops_annual"], country, lang)
    assert hv.has
    _same(_app_chart(at, "Active-duty US troops, by year" if lang == "en" else _title(_spec(hv.fig))),
          _spec(hv.fig))
    assert set(hv.hist["iso3"]) == {country}
    assert country in views.countries_with_troops(tables["troops_annual"])


def test_spanish_figures_are_translated(tables):
    """The Spanish figures are not the English ones: titles and names in Spanish (so the comparisons above compare
    translated figures, not two English ones)."""
    ov = views.omb_view(views.omb_prepared(tables["budget_omb"]).omb, "usd_m_current", ("national_defense",),
                        "Current dollars", "es")
    assert _title(_spec(ov.fig)) != "Outlays, Current dollars"
    tv = views.troops_over_time(tables["troops_annual"], "countries", ("PER", "DEU"), "es")
    assert {d["name"] for d in _spec(tv.fig)["data"] if d.get("name")} >= {"Perú", "Alemania"}
    assert set(tv.series_df["name"]) == {"Peru", "Germany"}  # the download keeps the data's names
