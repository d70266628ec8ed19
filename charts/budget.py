"""Budget figures: OMB outlays over time, Green Book budget authority, SIPRI comparison, FY2024 figures."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .common import ACCENT, GREY, PALETTE, base_layout, esc, fmt_money_m

UNIT_LABELS = {
    "usd_m_current": "Billions of current dollars",
    "usd_b_constant_fy2017": "Billions of constant FY2017 dollars",
    "pct_gdp": "Percent of GDP",
    "pct_federal_outlays": "Percent of federal outlays",
}


def _value_text(value: float, unit: str) -> str:
    if unit == "usd_m_current":
        return fmt_money_m(value)
    if unit == "usd_b_constant_fy2017":
        return f"${value:,.1f} billion (FY2017 dollars)"
    if unit.startswith("pct"):
        return f"{value:.1f}%"
    return f"{value:,}"


def omb_outlays(frame: pd.DataFrame, unit: str, title: str = "") -> go.Figure:
    """Lines per series (rows of budget_omb with one unit): actual years solid, OMB estimates dashed and shaded.

    ``frame`` columns: fiscal_year, series, label, unit, value, is_estimate.
    """
    rows = frame[frame["unit"] == unit].dropna(subset=["value"]).sort_values("fiscal_year")
    fig = go.Figure()
    for i, (series, part) in enumerate(rows.groupby("series", sort=False)):
        colour = PALETTE[i % len(PALETTE)]
        label = esc(part["label"].iloc[0])
        scale = 1000.0 if unit == "usd_m_current" else 1.0  # millions -> billions on the axis
        texts = [f"FY{int(y)}: {_value_text(float(v), unit)}{' (OMB estimate)' if e else ''}"
                 for y, v, e in zip(part["fiscal_year"], part["value"], part["is_estimate"])]
        actual = part["is_estimate"].fillna(False).astype(bool).to_numpy() == False  # noqa: E712
        idx = list(range(len(part)))
        act_idx = [j for j in idx if actual[j]]
        est_idx = [j for j in idx if not actual[j]]
        if est_idx and act_idx:  # join the dashed estimate line to the last actual year
            est_idx = [max(j for j in act_idx if j < est_idx[0])] + est_idx if any(j < est_idx[0] for j in act_idx) else est_idx
        for kind, sel in (("actual", act_idx), ("estimate", est_idx)):
            if not sel:
                continue
            fig.add_trace(go.Scatter(
                x=part["fiscal_year"].iloc[sel].astype(int).tolist(), y=(part["value"].iloc[sel].astype(float) / scale).tolist(),
                mode="lines", name=label + (" (OMB estimate)" if kind == "estimate" else ""),
                line={"color": colour, "width": 2.5, "dash": "dash" if kind == "estimate" else "solid"},
                text=[esc(texts[j]) for j in sel], hovertemplate="%{text}<extra>" + label + "</extra>",
                legendgroup=str(series), showlegend=True))
    est_years = rows.loc[rows["is_estimate"].fillna(False).astype(bool), "fiscal_year"]
    if len(est_years):
        fig.add_vrect(x0=float(est_years.min()) - 0.5, x1=float(est_years.max()) + 0.5, fillcolor=GREY, opacity=0.12,
                      line_width=0, annotation_text="OMB estimates", annotation_position="top right",
                      annotation_font_size=12)
    fig.update_yaxes(title_text=UNIT_LABELS.get(unit, unit), rangemode="tozero", gridcolor="#e5e5e5")
    # the years shown, fixed: plotly widens an autorange to hold annotation text, and on a phone the
    # "OMB estimates" label stretched the axis to 2060
    if len(rows):
        fig.update_xaxes(range=[float(rows["fiscal_year"].min()) - 1, float(rows["fiscal_year"].max()) + 1])
    fig.update_xaxes(title_text="Fiscal year", gridcolor="#f0f0f0")
    return base_layout(fig, title, height=430)


def greenbook(frame: pd.DataFrame, title: str = "") -> go.Figure:
    """Stacked bars of one Green Book measure/breakdown/dollars selection by category and fiscal year.

    Request and enacted years are hatched (not actual spending yet). Values in millions -> shown in billions.
    """
    rows = frame.sort_values(["fiscal_year", "category"])
    fig = go.Figure()
    for i, (cat, part) in enumerate(rows.groupby("category", sort=True)):
        status = part["status"].astype(str).tolist()
        fig.add_trace(go.Bar(
            x=part["fiscal_year"].astype(int).tolist(), y=(part["value_usd_m"].astype(float) / 1000).tolist(),
            name=esc(cat), marker={"color": PALETTE[i % len(PALETTE)],
                                   "pattern": {"shape": ["/" if s != "actual" else "" for s in status]}},
            customdata=[esc(s) for s in status],
            hovertemplate="FY%{x}: $%{y:,.1f} billion (%{customdata})<extra>" + esc(cat) + "</extra>"))
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_yaxes(title_text="Billions of dollars", gridcolor="#e5e5e5")
    # "FY" on the ticks instead of an axis title: with many categories the legend wraps on a phone and an
    # axis title below the ticks was drawn over by it
    fig.update_xaxes(tickprefix="FY")
    return base_layout(fig, title, height=430)


def sipri_bars(frame: pd.DataFrame, year: int, metric: str, highlight: str = "USA", title: str = "") -> go.Figure:
    """Horizontal bars of one SIPRI metric for one calendar year, largest first, the US highlighted."""
    rows = frame[(frame["year"] == year) & (frame["metric"] == metric)].dropna(subset=["value"])
    rows = rows.sort_values("value", ascending=True)
    pct = metric.startswith("share")
    vals = rows["value"].astype(float)
    shown = vals if pct else vals / 1000
    fig = go.Figure(go.Bar(
        y=[esc(c) for c in rows["country"]], x=shown.tolist(), orientation="h",
        marker={"color": [ACCENT if c == highlight else "#7a9cc6" for c in rows["iso3"]]},
        text=[f"{v:.1f}%" if pct else f"${v:,.0f}bn" for v in shown], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra>" + str(year) + "</extra>"))
    fig.update_xaxes(title_text="Share of GDP (%)" if pct else ("Billions of US dollars, current" if "current" in metric
                                                                else "Billions of constant 2023 US dollars"),
                     gridcolor="#e5e5e5")
    fig.update_yaxes(automargin=True)
    return base_layout(fig, title, height=max(320, 28 * len(rows) + 90))


def _wrap(text: str, width: int = 26) -> str:
    """Escaped text broken into lines of about ``width`` characters with <br> (plotly's line break)."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(esc(x) for x in lines)


def fy2024_comparison(items: pd.DataFrame, title: str = "") -> go.Figure:
    """Horizontal bars for FY2024 figures, in the order given, top to bottom: ``items`` columns label,
    value_usd_m, kind ("official"|"reported"), note. Labels are wrapped on the left so they stay readable on a
    phone (side-by-side column labels ran into each other at 390 px)."""
    colours = [ACCENT if k == "reported" else "#0072B2" for k in items["kind"]]
    fig = go.Figure(go.Bar(
        y=[_wrap(l) for l in items["label"]], x=(items["value_usd_m"].astype(float) / 1000).tolist(), orientation="h",
        marker={"color": colours, "pattern": {"shape": ["x" if k == "reported" else "" for k in items["kind"]]}},
        text=[fmt_money_m(v) for v in items["value_usd_m"]], textposition="outside", cliponaxis=False,
        customdata=[esc(n) for n in items["note"]], hovertemplate="%{y}<br>%{text}<br>%{customdata}<extra></extra>"))
    fig.update_xaxes(title_text="Billions of dollars", gridcolor="#e5e5e5", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", automargin=True)
    # room on the right for the value printed after the longest bar
    fig = base_layout(fig, title, height=110 + 75 * len(items))
    fig.update_layout(margin={"r": 90})
    return fig
