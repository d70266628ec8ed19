"""Budget figure builders: values, estimate marking, escaping."""
from __future__ import annotations

import pandas as pd

from charts import budget as bc


def _omb():
    return pd.DataFrame({
        "fiscal_year": [2023, 2024, 2025, 2026, 2027],
        "series": ["national_defense"] * 5, "label": ["National <b>defense</b>"] * 5,
        "unit": ["usd_m_current"] * 5, "value": [820000.0, 873500.0, 900000.0, 950000.0, 1000000.0],
        "is_estimate": [False, False, False, True, True], "source_id": ["omb_hist"] * 5})


def test_omb_actual_solid_estimate_dashed_and_joined():
    fig = bc.omb_outlays(_omb(), "usd_m_current")
    actual, est = fig.data
    assert actual.line.dash == "solid" and list(actual.x) == [2023, 2024, 2025]
    assert list(actual.y) == [820.0, 873.5, 900.0]  # millions -> billions
    assert est.line.dash == "dash" and list(est.x) == [2025, 2026, 2027]  # starts at last actual year
    assert "(OMB estimate)" in est.text[-1] and "$1.00 trillion" in est.text[-1]
    assert "<b>" not in actual.name and "&lt;b&gt;" in actual.name
    shapes = fig.layout.shapes
    assert len(shapes) == 1 and shapes[0].x0 == 2025.5 and shapes[0].x1 == 2027.5


def test_omb_pct_gdp_unit_is_not_rescaled():
    frame = _omb().assign(unit="pct_gdp", value=[3.0, 3.1, 3.0, 2.9, 2.8])
    fig = bc.omb_outlays(frame, "pct_gdp")
    assert list(fig.data[0].y) == [3.0, 3.1, 3.0]
    assert fig.layout.yaxis.title.text == "Percent of GDP"


def test_greenbook_stacks_and_hatches_non_actual_years():
    frame = pd.DataFrame({"fiscal_year": [2020, 2021, 2022, 2020, 2021, 2022], "category": ["Army"] * 3 + ["Navy"] * 3,
                          "value_usd_m": [100000, 110000, 120000, 50000, 55000, 60000],
                          "status": ["actual", "enacted", "request"] * 2})
    fig = bc.greenbook(frame)
    assert fig.layout.barmode == "stack"
    army = fig.data[0]
    assert army.name == "Army" and list(army.y) == [100.0, 110.0, 120.0]
    assert list(army.marker.pattern.shape) == ["", "/", "/"]


def test_sipri_bars_sorted_with_us_highlighted():
    frame = pd.DataFrame({"iso3": ["USA", "CHN", "PER", "RUS"], "country": ["United States", "China", "Peru", "Russia"],
                          "year": [2024] * 4, "metric": ["current_usd_m"] * 4,
                          "value": [997000.0, 314000.0, 3000.0, None], "note": ["", "", "", "..."],
                          "source_id": ["sipri_milex"] * 4})
    fig = bc.sipri_bars(frame, 2024, "current_usd_m")
    bar = fig.data[0]
    assert list(bar.y) == ["Peru", "China", "United States"]  # missing value left out, largest at the top
    assert list(bar.x) == [3.0, 314.0, 997.0]
    assert bar.marker.color[-1] == bc.ACCENT and bar.marker.color[0] != bc.ACCENT


def test_fy2024_comparison_marks_reported_figure():
    items = pd.DataFrame({"label": ["OMB 050 outlays", "Reported <i>estimate</i>"], "value_usd_m": [873500.0, 1500000.0],
                          "kind": ["official", "reported"], "note": ["Actual outlays", "attributed to \"a recent analysis\""]})
    fig = bc.fy2024_comparison(items)
    bar = fig.data[0]
    assert bar.orientation == "h" and list(bar.x) == [873.5, 1500.0]
    assert list(bar.text) == ["$873.5 billion", "$1.50 trillion"]
    assert list(bar.marker.pattern.shape) == ["", "x"]
    # the value under the label, not after the bar (it ran off a phone's right edge there)
    assert bar.y[1] == "Reported &lt;i&gt;estimate&lt;/i&gt;<br><b>$1.50 trillion</b>" and bar.textposition == "none"
    assert fig.layout.yaxis.autorange == "reversed"  # first item on top
    assert '"a recent analysis"' in bar.customdata[1]


def test_fy2024_labels_wrap_for_phones():
    label = "OMB: national defense (050) outlays, FY2024"
    items = pd.DataFrame({"label": [label], "value_usd_m": [873500.0], "kind": ["official"], "note": [""]})
    y = bc.fy2024_comparison(items).data[0].y[0]
    lines = y.split("<br>")
    assert " ".join(lines[:-1]) == label and all(len(line) <= 26 for line in lines[:-1])
    assert lines[-1] == "<b>$873.5 billion</b>"
