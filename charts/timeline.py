"""Time figures: troops abroad over time with war periods marked, and a Gantt timeline of deployments,
exercises and context events."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import i18n
from i18n import N_

from .common import GREY, PALETTE, PROVENANCE_LABELS, base_layout, esc, fmt_int

# The largest US wars since 1950, as periods (calendar years, inclusive).
# (label on the chart, full name for hover, first year, last year, label row above the plot)
WARS = ((N_("Korea"), N_("Korean War"), 1950, 1953, 0), (N_("Vietnam"), N_("Vietnam War"), 1965, 1973, 1),
        (N_("Gulf"), N_("Gulf War"), 1990, 1991, 0), (N_("Afghanistan"), N_("War in Afghanistan"), 2001, 2021, 1),
        (N_("Iraq"), N_("Iraq War"), 2003, 2011, 2))
WAR_LABEL_ROWS = 3

MAX_LABEL = 54
KIND_COLOURS = {"deployment": "#6a3d9a", "exercise": "#1b9e77", "mission": "#0072B2", "proposed": "#8a8a8a",
                "mme_exercise": "#66a61e", "context": "#d95f02", "decision": "#8c1c13", "operation": "#c51b7d"}
KIND_LABELS = {"deployment": N_("Deployment (reported)"), "exercise": N_("Exercise (reported)"), "mission": N_("Mission"),
               "proposed": N_("Proposed / under consideration"), "mme_exercise": N_("Exercise (MME dataset)"),
               "context": N_("Context event"), "decision": N_("Host-country decision"),
               "operation": N_("Operation (reported)")}


def add_war_periods(fig: go.Figure, first: int, last: int, lang: str = "en") -> go.Figure:
    """Shade the war periods inside [first, last] and label them above the plot area, in staggered rows with
    short names (the full name and years on hover), so labels neither cover data nor overlap on a phone."""
    _ = i18n.gettext_for(lang)
    for i, (short, name, a, b, row) in enumerate(WARS):
        if b < first or a > last:
            continue
        fig.add_vrect(x0=a - 0.5, x1=b + 0.5, fillcolor=GREY, opacity=0.10 + 0.04 * (i % 2), line_width=0, layer="below")
        fig.add_annotation(x=a - 0.5, y=1.0, yshift=2 + 15 * row, yref="paper", yanchor="bottom", xanchor="left",
                           text=esc(_(short)), hovertext=esc(f"{_(name)}, {a}-{b}"), showarrow=False,
                           font={"size": 10, "color": "#444"})
    return fig


def troops_over_time(frame: pd.DataFrame, group_col: str | None, value_col: str = "value", title: str = "",
                     stacked: bool = False, y_title: str = "", lang: str = "en") -> go.Figure:
    """Lines (or stacked areas) of ``value_col`` by ``year``, one per ``group_col`` value (or one line)."""
    _ = i18n.gettext_for(lang)
    fig = go.Figure()
    groups = [(None, frame)] if group_col is None else list(frame.groupby(group_col, sort=True))
    for i, (g, part) in enumerate(groups):
        part = part.sort_values("year")
        name = _("Troops abroad") if g is None else str(g)
        hover = [f"<b>{esc(name)}</b> {int(y)}: {fmt_int(v, lang)}" for y, v in zip(part["year"], part[value_col])]
        fig.add_trace(go.Scatter(
            x=part["year"].astype(int).tolist(), y=part[value_col].astype(float).tolist(), name=esc(name),
            mode="lines", line={"width": 2.2, "color": PALETTE[i % len(PALETTE)]}, text=hover,
            hovertemplate="%{text}<extra></extra>", stackgroup="one" if stacked else None, connectgaps=False))
    if len(frame):
        add_war_periods(fig, int(frame["year"].min()), int(frame["year"].max()), lang)
    fig.update_yaxes(title_text=esc(y_title or _("Personnel")), rangemode="tozero", gridcolor="#e5e5e5", tickformat=",")
    fig.update_xaxes(title_text=_("Year (annual figure: see method)"), gridcolor="#f0f0f0")
    base_layout(fig, title, height=460, lang=lang)
    fig.update_layout(margin={"t": (50 if title else 10) + 15 * WAR_LABEL_ROWS}, legend={"y": -0.15, "yanchor": "top"})
    return fig


BAR_DROP = 0.2  # a bar's centre sits this far (in rows) under its row's label
ROW_PX = 34  # height of one timeline row: the label above, the bar under it
LEGEND_PX = 62  # room at the top for the title and the legend (two lines on a phone)


def gantt(items: pd.DataFrame, title: str = "", height: int | None = None,
          x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None, lang: str = "en") -> go.Figure:
    """Horizontal bars from ``start`` to ``end`` per item; items with no end (or end == start) are markers.

    ``items`` columns: row (label), start, end (datetime), kind (see KIND_LABELS), hover (plain text).

    Each row's label is written inside the plot, from its left edge, just above its bar (the y axis has no tick
    labels), so the bars get the whole width: on a phone, labels on the axis took more than half of it. Long labels are cut, the hover
    keeps the full text. ``x_range`` opens the chart on that period (a reader can zoom out, or double-click to
    see all); the legend sits at the top, under the title, where it cannot run into the axis.
    """
    _ = i18n.gettext_for(lang)
    items = items.sort_values(["start", "row"]).reset_index(drop=True).assign(row=lambda f: f["row"].astype(str))
    fig = go.Figure()
    order = list(dict.fromkeys(items["row"].astype(str)))
    # numeric rows, the first at the top: the label sits in the upper half of a row, the bar or marker in the lower
    ypos = {r: len(order) - 1 - i for i, r in enumerate(order)}
    for kind, part in items.groupby("kind", sort=False):
        colour = KIND_COLOURS.get(kind, "#555")
        ends = part["end"].where(part["end"].notna() & (part["end"] > part["start"]))
        bars = part[ends.notna()]
        points = part[ends.isna()]
        if len(bars):
            dur_ms = ((bars["end"] - bars["start"]).dt.total_seconds() * 1000 + 86_400_000).tolist()
            fig.add_trace(go.Bar(
                y=[ypos[r] - BAR_DROP for r in bars["row"]], x=dur_ms,
                base=bars["start"].dt.strftime("%Y-%m-%d").tolist(), customdata=[esc(r) for r in bars["row"]],
                orientation="h", width=0.34, marker={"color": colour, "line": {"width": 0}},
                name=esc(_(KIND_LABELS.get(kind, kind))), legendgroup=kind, text=[esc(h) for h in bars["hover"]],
                textposition="none", hovertemplate="%{text}<extra></extra>"))
        if len(points):
            fig.add_trace(go.Scatter(
                y=[ypos[r] - BAR_DROP for r in points["row"]], x=points["start"].dt.strftime("%Y-%m-%d").tolist(),
                customdata=[esc(r) for r in points["row"]], mode="markers",
                marker={"color": colour, "size": 11, "symbol": "diamond", "line": {"width": 1, "color": "white"}},
                name=esc(_(KIND_LABELS.get(kind, kind))), legendgroup=kind, showlegend=not len(bars),
                text=[esc(h) for h in points["hover"]], hovertemplate="%{text}<extra></extra>"))
    if len(items):
        lo = items["start"].min()
        hi = items["end"].where(items["end"].notna(), items["start"]).max()
        pad = max((hi - lo) * 0.02, pd.Timedelta(days=20))
        x0, x1 = x_range if x_range is not None else (lo - pad, hi + pad)
        # every label starts at the plot's left edge (paper x=0): wherever its bar is, the text fits the width
        # of a phone (at most MAX_LABEL characters) and is never cut at the right edge
        # long names are cut (phones); the hover keeps the full text; rows stay apart by their full names. Given
        # to plotly in one list: add_annotation() one by one re-validates every earlier annotation each time
        # (quadratic: 0.6 s of a 61-row timeline's first run, the most of a fresh process's first runs)
        fig.update_layout(annotations=[
            {"x": 0, "xref": "paper", "y": ypos[row], "yref": "y", "xanchor": "left", "yanchor": "bottom",
             "text": esc(row if len(row) <= MAX_LABEL else row[:MAX_LABEL - 1] + "…"), "yshift": -3,
             "showarrow": False, "align": "left", "font": {"size": 12, "color": "#1a1a1a"}, "captureevents": False}
            for row in order])
        fig.update_xaxes(range=[x0.strftime("%Y-%m-%d"), x1.strftime("%Y-%m-%d")])
    fig.update_xaxes(type="date", gridcolor="#e6e6e6", showline=True, linecolor="#999")
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, fixedrange=True,
                     range=[-0.75, len(order) - 0.35])
    h = height or max(220, ROW_PX * len(order) + LEGEND_PX + 50)
    base_layout(fig, title, height=h, lang=lang)
    fig.update_layout(barmode="overlay", margin={"l": 6, "r": 6, "t": LEGEND_PX, "b": 30},
                      legend={"orientation": "h", "yref": "container", "y": 1 - 34 / h, "yanchor": "top", "x": 0,
                              "font": {"size": 12}})
    return fig


def country_troops(frame: pd.DataFrame, measure: str, title: str = "", lang: str = "en") -> go.Figure:
    """One country's troop history: a line by year, markers coloured by provenance (estimate, imputed, …)."""
    _ = i18n.gettext_for(lang)
    frame = frame.sort_values("year")
    fig = go.Figure(go.Scatter(x=frame["year"].astype(int).tolist(), y=frame[measure].astype(float).tolist(),
                               mode="lines", line={"color": "#888", "width": 1.5}, showlegend=False,
                               hoverinfo="skip", connectgaps=False))
    colours = {"dmdc": "#0072B2", "kane": "#E69F00", "estimate": "#D55E00", "imputed": "#999999"}
    for prov, part in frame.groupby("provenance", sort=True):
        fig.add_trace(go.Scatter(
            x=part["year"].astype(int).tolist(), y=part[measure].astype(float).tolist(), mode="markers",
            marker={"color": colours.get(prov, "#555"), "size": 6}, name=esc(_(PROVENANCE_LABELS.get(prov, prov))),
            text=[f"{int(y)}: {fmt_int(v, lang)} ({esc(i18n.report_text(r, lang))})"
                  for y, v, r in zip(part["year"], part[measure], part["report"])],
            hovertemplate="%{text}<extra></extra>"))
    if len(frame):
        add_war_periods(fig, int(frame["year"].min()), int(frame["year"].max()), lang)
    fig.update_yaxes(title_text=_("Personnel"), rangemode="tozero", gridcolor="#e5e5e5", tickformat=",")
    fig.update_xaxes(gridcolor="#f0f0f0")
    base_layout(fig, title, height=380, lang=lang)
    fig.update_layout(margin={"t": (50 if title else 10) + 15 * WAR_LABEL_ROWS})
    return fig
