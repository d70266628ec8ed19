"""Reported records against the official count: what a host country authorised each year beside what the DMDC
reports count as stationed there."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import i18n

from .common import ACCENT, base_layout, esc, fmt_int

ASSIGNED_COLOUR = "#0072B2"


def authorised_vs_assigned(auth: pd.DataFrame, assigned: pd.DataFrame, body: str = "", title: str = "",
                           lang: str = "en") -> go.Figure:
    """Bars: US personnel authorised per year (summed over that year's authorisations that give a figure; a year
    with no figure has no bar, never a zero). Line: personnel stationed as DMDC counts them. Above the plot, each
    year's number of authorisations (with or without a figure), so every decision is visible; ``body`` (who
    decided) is named in each year's hover.

    ``auth`` from prep.records.authorisations_by_year, ``assigned`` from prep.records.assigned_by_year."""
    _ = i18n.gettext_for(lang)
    fig = go.Figure()
    with_fig = auth[auth["personnel_authorised"].notna()]
    if len(with_fig):
        fig.add_trace(go.Bar(
            x=with_fig["year"].astype(int).tolist(), y=with_fig["personnel_authorised"].astype(float).tolist(),
            name=esc(_("Authorised (as reported)")), marker={"color": ACCENT},
            text=[fmt_int(v, lang) for v in with_fig["personnel_authorised"]], textposition="outside", cliponaxis=False,
            textfont={"size": 12, "color": "#1a1a1a"}, constraintext="none",
            customdata=[esc("; ".join(i)) for i in with_fig["instruments"]],
            hovertemplate="%{x}: " + esc(_("{n} US personnel authorised")).replace("{n}", "%{text}")
                          + "<br>%{customdata}<extra></extra>"))
    a = assigned.dropna(subset=["active_duty"])
    if len(a):
        fig.add_trace(go.Scatter(
            x=a["year"].astype(int).tolist(), y=a["active_duty"].astype(float).tolist(), mode="lines+markers",
            name=esc(_("Stationed (DMDC count)")), line={"color": ASSIGNED_COLOUR, "width": 2},
            marker={"size": 6}, text=[esc(i18n.report_text(r, lang)) for r in a["report"]],
            hovertemplate="%{x}: " + esc(_("{n} stationed (DMDC, {report})")).replace("{n}", "%{y:,}")
                          .replace("{report}", "%{text}") + "<extra></extra>"))
    for r in auth[auth["decisions"] > 0].itertuples(index=False):
        n = int(r.decisions)
        fig.add_annotation(x=int(r.year), xref="x", y=1.0, yref="paper", yanchor="bottom", yshift=4, showarrow=False,
                           text=f"<b>{n}</b>", hovertext=esc(f"{body}: " * bool(body) + "; ".join(r.instruments)),
                           font={"size": 12, "color": ACCENT})
    fig.add_annotation(x=0, xref="paper", xanchor="left", y=1.0, yref="paper", yanchor="bottom", yshift=22,
                       showarrow=False, text=esc(_("Authorisations decided each year:")),
                       font={"size": 11, "color": "#333"})
    years = auth["year"].astype(int)
    fig.update_xaxes(range=[int(years.min()) - 0.6, int(years.max()) + 0.6], nticks=6, gridcolor="#f0f0f0")
    fig.update_yaxes(title_text=_("US personnel"), rangemode="tozero", gridcolor="#e5e5e5", tickformat=",")
    base_layout(fig, title, height=400, lang=lang)
    fig.update_layout(margin={"t": 95}, bargap=0.35, legend={"y": -0.12, "yanchor": "top"})
    return fig
