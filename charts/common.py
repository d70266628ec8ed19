"""Shared pieces for the figure builders: escaping, number formatting, colours, layout defaults."""
from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
ACCENT = "#8c1c13"
GREY = "#7f7f7f"
# Colour-blind-safe qualitative palette (Okabe-Ito without black)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999",
           "#332288", "#88CCEE", "#117733", "#882255", "#AA4499")
BASE_COLOURS = {"major_base": "#0072B2", "lily_pad": "#E69F00", "funded_site": "#009E73"}
BASE_LABELS = {"major_base": "Major base", "lily_pad": "Lily pad (small site)", "funded_site": "US-funded host-nation site"}
# shorter names for a map's legend, where four entries must fit two rows of a phone
BASE_LEGEND = {"major_base": "Major base", "lily_pad": "Lily pad", "funded_site": "US-funded site"}
PROVENANCE_LABELS = {"dmdc": "DMDC report", "kane": "Kane (Heritage) compilation", "estimate": "Estimate (news/CRS)",
                     "imputed": "Imputed by troopdata"}
MEASURE_LABELS = {"active_duty": "Active duty, all services", "army": "Army", "navy": "Navy",
                  "marine_corps": "Marine Corps", "air_force": "Air Force", "space_force": "Space Force",
                  "coast_guard": "Coast Guard", "reserve": "Reserve and National Guard", "civilian": "DoD civilians"}


def esc(value: object) -> str:
    """HTML-escape one value for plotly text (hover, tick labels, annotations); missing -> ""."""
    if value is None:
        return ""
    if not isinstance(value, str):
        try:
            if pd.isna(value):
                return ""
        except (TypeError, ValueError):
            pass
    # quote=False: plotly shows &quot; literally in tick labels; without "<" no tag or attribute can be formed
    return html.escape(str(value), quote=False)


def fmt_int(value: object) -> str:
    try:
        if value is None or pd.isna(value):
            return "not reported"
    except (TypeError, ValueError):
        pass
    return f"{int(round(float(value))):,}"


def fmt_money_m(value_m: float) -> str:
    """Millions of dollars -> readable text ($812.3 billion / $1.50 trillion)."""
    if value_m is None or (isinstance(value_m, float) and math.isnan(value_m)):
        return "n/a"
    if abs(value_m) >= 1_000_000:
        return f"${value_m / 1_000_000:,.2f} trillion"
    if abs(value_m) >= 1_000:
        return f"${value_m / 1_000:,.1f} billion"
    return f"${value_m:,.0f} million"


def base_layout(fig: go.Figure, title: str = "", height: int | None = None) -> go.Figure:
    fig.update_layout(
        title={"text": esc(title), "x": 0, "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top",
               "pad": {"t": 14, "l": 4}, "font": {"size": 14}} if title else None,
        font={"family": FONT, "size": 13},
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 20},
        # dark text on white with a dark border: plotly's default label takes the trace colour (light grey on
        # white for some), under WCAG AA's 4.5:1
        hoverlabel={"font": {"family": FONT, "color": "#1a1a1a", "size": 13}, "bgcolor": "white",
                    "bordercolor": "#555555", "align": "left"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0},
        plot_bgcolor="white",
    )
    if height:
        fig.update_layout(height=height)
    return fig
