"""Time figures: war periods, lines by group, Gantt bars and markers."""
from __future__ import annotations

import pandas as pd

from charts import timeline as tl


def test_troops_over_time_marks_wars_in_range():
    frame = pd.DataFrame({"year": list(range(1960, 1976)), "value": [500000.0 + i for i in range(16)]})
    fig = tl.troops_over_time(frame, None)
    labels = [(a.text, a.hovertext) for a in fig.layout.annotations]
    assert labels == [("Vietnam", "Vietnam War, 1965-1973")]  # Korea (1950-53) and later wars are outside 1960-1975
    assert fig.layout.shapes[0].x0 == 1964.5 and fig.layout.shapes[0].x1 == 1973.5
    assert list(fig.data[0].y)[:2] == [500000.0, 500001.0]


def test_all_war_periods_over_full_range():
    frame = pd.DataFrame({"year": [1950, 2025], "value": [1.0, 2.0]})
    fig = tl.troops_over_time(frame, None)
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["Korea", "Vietnam", "Gulf", "Afghanistan", "Iraq"]
    # labels sit above the plot area, in rows, so they neither cover data nor overlap their neighbours
    assert all(a.yref == "paper" and a.y == 1.0 and a.yanchor == "bottom" for a in fig.layout.annotations)
    rows = {a.text: a.yshift for a in fig.layout.annotations}
    assert rows["Korea"] != rows["Vietnam"] and rows["Gulf"] != rows["Iraq"] != rows["Afghanistan"]


def test_stacked_regions_and_escaped_names():
    frame = pd.DataFrame({"year": [2000, 2000, 2001, 2001], "region": ["Europe", "<East Asia>", "Europe", "<East Asia>"],
                          "value": [100.0, 50.0, 90.0, 60.0]})
    fig = tl.troops_over_time(frame, "region", stacked=True)
    assert [t.name for t in fig.data] == ["&lt;East Asia&gt;", "Europe"]
    assert fig.data[0].stackgroup == "one"


def test_gantt_bars_and_point_events():
    items = pd.DataFrame({
        "row": ["Resolute Sentinel 23 (RS23)", "Castillo <removed>"],
        "start": pd.to_datetime(["2023-06-01", "2022-12-07"]), "end": pd.to_datetime(["2023-12-31", None]),
        "kind": ["exercise", "context"], "hover": ["RS23 | 970 personnel", "event"]})
    fig = tl.gantt(items)
    bar = [t for t in fig.data if t.type == "bar"][0]
    assert bar.base[0] == "2023-06-01" and bar.orientation == "h"
    assert bar.x[0] == (pd.Timestamp("2023-12-31") - pd.Timestamp("2023-06-01")).total_seconds() * 1000 + 86_400_000
    point = [t for t in fig.data if t.type == "scatter"][0]
    assert point.customdata[0] == "Castillo &lt;removed&gt;" and point.x[0] == "2022-12-07"
    # rows in order of start, the first at the top; each row's label is written above its bar or marker
    labels = {a.text: a.y for a in fig.layout.annotations}
    assert labels == {"Castillo &lt;removed&gt;": 1, "Resolute Sentinel 23 (RS23)": 0}
    assert point.y[0] == 1 - tl.BAR_DROP and bar.y[0] == 0 - tl.BAR_DROP
    assert fig.layout.yaxis.showticklabels is False  # the bars get the whole width (no axis labels)


def test_gantt_labels_start_at_the_left_edge_of_the_shown_period():
    items = pd.DataFrame({"row": ["Old mission", "Late exercise", "Middle"],
                          "start": pd.to_datetime(["1990-01-01", "2025-06-01", "2016-01-01"]),
                          "end": pd.to_datetime(["2020-01-01", "2025-09-01", None]),
                          "kind": ["mission", "exercise", "context"], "hover": ["a", "b", "c"]})
    x0, x1 = pd.Timestamp("2012-01-01"), pd.Timestamp("2026-12-31")
    fig = tl.gantt(items, x_range=(x0, x1))
    # wherever its bar is, a label starts at the plot's left edge: never cut at the right on a phone
    assert {(a.text, a.xref, a.x, a.xanchor) for a in fig.layout.annotations} == {
        (r, "paper", 0, "left") for r in ("Old mission", "Late exercise", "Middle")}
    assert list(fig.layout.xaxis.range) == ["2012-01-01", "2026-12-31"]
    # the legend is at the top, under the title, not under the axis
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y > 0.5


def test_gantt_cuts_long_labels_but_hover_keeps_full_text():
    long = "Regional Emergency Operations Centers in Peru (2018), a long name"
    items = pd.DataFrame({"row": [long], "start": pd.to_datetime(["2018-01-01"]), "end": pd.to_datetime([None]),
                          "kind": ["mission"], "hover": [long]})
    fig = tl.gantt(items)
    label = fig.layout.annotations[0].text
    assert len(label) == tl.MAX_LABEL and label.endswith("…")
    assert fig.data[0].text[0] == long


def test_gantt_rows_with_the_same_cut_label_stay_apart():
    a = "Peru's Congress authorises US military personnel for all of 2026"
    b = "Peru's Congress authorises US military personnel for training, June-December 2023"
    items = pd.DataFrame({"row": [a, b], "start": pd.to_datetime(["2025-12-04", "2023-05-19"]),
                          "end": pd.to_datetime([None, None]), "kind": ["decision", "decision"], "hover": [a, b]})
    fig = tl.gantt(items)
    assert sorted(x.y for x in fig.layout.annotations) == [0, 1]  # two rows, though their labels start alike
    assert fig.data[0].name == "Host-country decision"
