"""Property-based tests (hypothesis) of URL query parameters on every view, through Streamlit's AppTest.

Generated query strings mix valid values, invalid ones (unicode, 10,000-character values, HTML/script, numbers
out of range, empty values), repeated keys and unknown keys.  The properties: the page never raises
(``at.exception`` is empty) and every invalid parameter is named in a warning notice (``key=value``); a query
made only of valid values (or unknown keys) gives no link notice.  One AppTest is reused per view (a first run
takes seconds, later runs much less); each example replaces the whole query string before ``at.run()``.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tests.apputil import open_link

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
APP = str(ROOT / "dashboard.py")
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                       HealthCheck.data_too_large])

pytestmark = pytest.mark.skipif(not (DATA / "troops_annual.csv").exists(), reason="data/ not built")


def _country_names() -> list[str]:
    a = pd.read_csv(DATA / "troops_annual.csv", keep_default_na=False, dtype=str, usecols=["iso3", "name", "scope"])
    a = a[a["scope"] == "abroad"].drop_duplicates(["iso3"])
    counts = a["name"].value_counts()
    return sorted(n for n in a["name"] if counts[n] == 1 and n)


COUNTRIES = _country_names()
YEARS = pd.read_csv(DATA / "troops_annual.csv", usecols=["year"])["year"]
FIRST_YEAR, LAST_YEAR = int(YEARS.min()), int(YEARS.max())

# Per view: key -> (kind, valid values known from the page code and the data; [] = none known for sure).
# kind: int (with a range that is surely inside the allowed one), choice, multi, bool.
VIEWS = {
    "where": (None, {
        "year": ("int", (FIRST_YEAR, LAST_YEAR)),
        "measure": ("choice", ["Active duty", "Army", "Navy", "Marine Corps", "Air Force"]),
        "log": ("bool", ["true", "false", "True", "FALSE"]),
        "layers": ("multi", ["Bases", "Deployments", "Exercises"]),
        "play": ("bool", ["false"]),
    }),
    "when": ("app_pages/when.py", {
        "section": ("choice", ["Troops abroad", "Deployments and exercises"]),
        "view": ("choice", ["Total", "By region", "Countries"]),
        "countries": ("multi", COUNTRIES),
        "gcountry": ("multi", ["Peru"]),
        "gregion": ("multi", []),
        "series": ("multi", ["Named deployments (project files)"]),
        "from": ("int", (1960, 2000)),
        "to": ("int", (1960, 2000)),
        "item": ("choice", ["Resolute Sentinel 23 (RS23), 2023"]),
    }),
    "cost": ("app_pages/cost.py", {
        "section": ("choice", ["Outlays", "Budget authority", "Other countries", "FY2024"]),
        "unit": ("choice", ["Current dollars", "Constant FY2017 dollars", "Percent of GDP"]),
        "parts": ("multi", []),
        "gb": ("choice", ["By title", "By department"]),
        "gbd": ("choice", ["Current dollars", "Constant FY2022 dollars"]),
        "smetric": ("choice", ["Current dollars", "Constant 2023 dollars", "Share of GDP"]),
        "syear": ("int", (2000, 2020)),
    }),
    "country": ("app_pages/country.py", {
        "country": ("choice", sorted(set(COUNTRIES) | {"Peru", "Germany"})),
    }),
    "sources": ("app_pages/sources_page.py", {}),
}
UNKNOWN_KEYS = ["foo", "utm_source", "embed_options", "page", "Year", "YEAR", "year ", "q", "é", "<b>", "x" * 300]

# Characters no option label, number or boolean contains: a value with one of them is invalid for every key.
MARKERS = ["<script>alert(1)</script>", "\u202e", "\U0001f4a3", "{{7*7}}", "|", "^", "~", "\x07", "`", "\\"]
_unicode = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


def invalid_value(kind: str) -> st.SearchStrategy[str]:
    marked = st.tuples(_unicode, st.sampled_from(MARKERS), _unicode).map("".join)
    long = st.tuples(st.sampled_from(["a", "9", "é", "<", " "]), st.sampled_from(MARKERS)).map(
        lambda t: (t[0] * 10_000)[:9_990] + t[1])
    options = [marked, long]
    if kind == "int":
        options += [st.integers(min_value=3000, max_value=10 ** 30).map(str),
                    st.integers(min_value=-(10 ** 30), max_value=1000).map(str),
                    st.sampled_from(["", "1e3", "2020.5", "NaN", "inf", "0x7e4", "1,990", "--1", "٢٠٢٠x"])]
    elif kind == "bool":
        options += [st.sampled_from(["", "1", "0", "yes", "on", "tru", "truee", "null"])]
    elif kind == "choice":
        options += [st.just("")]
    return st.one_of(options)


def valid_value(kind: str, valid) -> st.SearchStrategy[str] | None:
    if kind == "int":
        lo, hi = valid
        return st.integers(min_value=lo, max_value=hi).map(str)
    return st.sampled_from(list(valid)) if valid else None


@st.composite
def queries(draw, view: str):
    """(query dict for AppTest, keys that carry an invalid value the page must warn about, all valid?)."""
    params = VIEWS[view][1]
    query: dict[str, str | list[str]] = {}
    invalid: set[str] = set()
    keys = draw(st.lists(st.sampled_from(sorted(params)), unique=True, max_size=len(params))) if params else []
    for key in keys:
        kind, valid = params[key]
        good = valid_value(kind, valid)
        one = st.one_of(invalid_value(kind).map(lambda v: (v, False)), *([good.map(lambda v: (v, True))] if good is not None else []))
        n = draw(st.integers(min_value=1, max_value=3 if kind != "multi" else 10), label=f"{key} count")
        values = [draw(one, label=key) for _ in range(n)]
        if kind == "multi":
            bad = any(not ok and v != "" for v, ok in values)
        else:
            bad = not values[-1][1]  # the page reads the last of repeated values
        if bad:
            invalid.add(key)
        query[key] = [v for v, _ in values] if n > 1 else values[0][0]
    for key in draw(st.lists(st.sampled_from(UNKNOWN_KEYS), unique=True, max_size=2)):
        query[key] = draw(st.one_of(_unicode, st.just("")))
    return query, invalid


def warnings_text(at: AppTest) -> list[str]:
    return [str(w.value) for w in at.warning]


def link_notices(at: AppTest) -> list[str]:
    return [w for w in warnings_text(at) if w.startswith("The link's ")]


@pytest.fixture(scope="module")
def apps():
    """One AppTest per view, already on its page."""
    made: dict[str, AppTest] = {}

    def get(view: str) -> AppTest:
        if view not in made:
            at = AppTest.from_file(APP, default_timeout=90)
            at.run()
            page = VIEWS[view][0]
            if page:
                at.switch_page(page)
                at.run()
            assert not at.exception, [e.value for e in at.exception]
            made[view] = at
        return made[view]
    return get


# Streamlit drops a query string longer than this as a whole (the page then shows its defaults, no notice).
MAX_QUERY_CHARS = 500_000
# How many examples: a view has 5-9 parameters, each valid or invalid (the rule: every invalid one is named in a
# notice, no valid one is); 40-60 queries of 0-9 parameters each draw every parameter, valid and invalid, many
# times over. Each query is a full AppTest run (~0.2 s), so larger counts cost minutes for no new case.


def check_view(at: AppTest, query: dict, invalid: set[str]) -> None:
    at.query_params = dict(query)
    at.run()
    assert not at.exception, f"{query!r}: {[e.value for e in at.exception]}"
    notices = link_notices(at)
    if len(urlencode(query, doseq=True)) > MAX_QUERY_CHARS:
        assert not notices or all(len(n) < 400 for n in notices)
        return
    for key in invalid:
        assert any(f"`{key}=" in n for n in notices), f"no notice for {key} in {query!r}: {notices}"
    named = {n.split("`", 2)[1].split("=", 1)[0] for n in notices}
    assert named <= invalid, f"notice for a valid parameter: {named - invalid} in {query!r}"
    for n in notices:  # the value is shown shortened inside one code span: no raw HTML, no 10k-character text
        code = n.split("`")[1]
        assert len(code) < 60 and "\n" not in n


@settings(max_examples=60, **SETTINGS)
@given(q=queries("where"))
def test_where_view_takes_any_query(apps, q):
    check_view(apps("where"), *q)


@settings(max_examples=50, **SETTINGS)
@given(q=queries("when"))
def test_when_view_takes_any_query(apps, q):
    check_view(apps("when"), *q)


@settings(max_examples=50, **SETTINGS)
@given(q=queries("cost"))
def test_cost_view_takes_any_query(apps, q):
    check_view(apps("cost"), *q)


@settings(max_examples=40, **SETTINGS)
@given(q=queries("country"))
def test_country_view_takes_any_query(apps, q):
    check_view(apps("country"), *q)


@settings(max_examples=15, **SETTINGS)
@given(q=queries("sources"))
def test_sources_view_ignores_any_query(apps, q):
    at = apps("sources")
    check_view(at, *q)
    assert not link_notices(at)


# ----------------------------------------------------------------------------------- known app limitations ---

def _fresh_when(**query) -> AppTest:
    return open_link("app_pages/when.py", timeout=60, **query)


def test_too_many_countries_in_link_are_named_in_a_notice():
    picked = [c for c in ["Germany", "Japan", "Italy", "Spain", "Belgium", "Bahrain", "Kuwait", "Iceland", "Greece",
                          "Panama"] if c in COUNTRIES]
    assert len(picked) > 8
    at = _fresh_when(view="Countries", countries=picked)
    assert at.multiselect(key="countries").value == picked[:8]
    assert any("`countries=…` lists 10; at most 8 can be shown" in str(w.value) for w in at.warning)


def test_start_year_after_end_year_is_named_and_the_range_it_implies_shown():
    at = _fresh_when(**{"from": "2000", "to": "1960"})
    assert any("start year (2000) is after its end year (1960); showing 1960-2000" in str(w.value) for w in at.warning)
    spec = at.get("plotly_chart")[-1].proto.spec
    assert "1960-2000" in spec
