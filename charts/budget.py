"""Budget figures: OMB outlays over time, Green Book budget authority, SIPRI comparison, FY2024 figures."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import i18n
from i18n import N_

from .common import ACCENT, GREY, PALETTE, base_layout, esc, fmt_money_m, wrap_text

UNIT_LABELS = {
    "usd_m_current": N_("Billions of current dollars"),
    "usd_b_constant_fy2017": N_("Billions of constant FY2017 dollars"),
    "pct_gdp": N_("Percent of GDP"),
    "pct_federal_outlays": N_("Percent of federal outlays"),
}


def _value_text(value: float, unit: str, lang: str = "en") -> str:
    _ = i18n.gettext_for(lang)
    if unit == "usd_m_current":
        return fmt_money_m(value, lang)
    if unit == "usd_b_constant_fy2017":
        return _("${value} billion (FY2017 dollars)").format(value=i18n.num(value, lang, 1))
    if unit.startswith("pct"):
        return f"{i18n.num(value, lang, 1)}%"
    return i18n.num(value, lang)


def omb_outlays(frame: pd.DataFrame, unit: str, title: str = "", lang: str = "en") -> go.Figure:
    """Lines per series (rows of budget_omb with one unit): actual years solid, OMB estimates dashed and shaded.

    ``frame`` columns: fiscal_year, series, label, unit, value, is_estimate.
    """
    _ = i18n.gettext_for(lang)
    rows = frame[frame["unit"] == unit].dropna(subset=["value"]).sort_values("fiscal_year")
    fy = _("FY")  # fiscal year, before a year: "AF2024" in Spanish
    fig = go.Figure()
    for i, (series, part) in enumerate(rows.groupby("series", sort=False)):
        colour = PALETTE[i % len(PALETTE)]
        label = esc(_(part["label"].iloc[0]))
        scale = 1000.0 if unit == "usd_m_current" else 1.0  # millions -> billions on the axis
        est_word = " (" + _("OMB estimate") + ")"
        texts = [f"{fy}{int(y)}: {_value_text(float(v), unit, lang)}{est_word if e else ''}"
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
                mode="lines", name=label + (esc(est_word) if kind == "estimate" else ""),
                line={"color": colour, "width": 2.5, "dash": "dash" if kind == "estimate" else "solid"},
                text=[esc(texts[j]) for j in sel], hovertemplate="%{text}<extra>" + label + "</extra>",
                legendgroup=str(series), showlegend=True))
    est_years = rows.loc[rows["is_estimate"].fillna(False).astype(bool), "fiscal_year"]
    if len(est_years):
        fig.add_vrect(x0=float(est_years.min()) - 0.5, x1=float(est_years.max()) + 0.5, fillcolor=GREY, opacity=0.12,
                      line_width=0, annotation_text=esc(_("OMB estimates")), annotation_position="top right",
                      annotation_font_size=12)
        # the label above the plot, right-aligned with the shaded years: inside it, the steep estimate line ran
        # through it on a phone (and the title's margin has the room)
        fig.update_annotations(yref="paper", y=1, yanchor="bottom")
    fig.update_yaxes(title_text=_(UNIT_LABELS.get(unit, unit)), rangemode="tozero", gridcolor="#e5e5e5")
    # the years shown, fixed: plotly widens an autorange to hold annotation text, and on a phone the
    # "OMB estimates" label stretched the axis to 2060
    if len(rows):
        fig.update_xaxes(range=[float(rows["fiscal_year"].min()) - 1, float(rows["fiscal_year"].max()) + 1])
    fig.update_xaxes(title_text=_("Fiscal year"), gridcolor="#f0f0f0")
    return base_layout(fig, title, height=430, lang=lang)


def greenbook(frame: pd.DataFrame, title: str = "", lang: str = "en") -> go.Figure:
    """Stacked bars of one Green Book measure/breakdown/dollars selection by category and fiscal year.

    Request and enacted years are hatched (not actual spending yet). Values in millions -> shown in billions.
    """
    _ = i18n.gettext_for(lang)
    rows = frame.sort_values(["fiscal_year", "category"])
    fig = go.Figure()
    for i, (cat, part) in enumerate(rows.groupby("category", sort=True)):
        status = part["status"].astype(str).tolist()
        fig.add_trace(go.Bar(
            x=part["fiscal_year"].astype(int).tolist(), y=(part["value_usd_m"].astype(float) / 1000).tolist(),
            name=esc(cat), marker={"color": PALETTE[i % len(PALETTE)],
                                   "pattern": {"shape": ["/" if s != "actual" else "" for s in status]}},
            customdata=[esc(_(s)) for s in status],
            hovertemplate=esc(_("FY")) + "%{x}: " + esc(_("${value} billion")).replace("{value}", "%{y:,.1f}")
                          + " (%{customdata})<extra>" + esc(cat) + "</extra>"))
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_yaxes(title_text=_("Billions of dollars"), gridcolor="#e5e5e5")
    # "FY" on the ticks instead of an axis title: with many categories the legend wraps on a phone and would
    # cover an axis title below the ticks
    fig.update_xaxes(tickprefix=_("FY"))
    return base_layout(fig, title, height=430, lang=lang)


def sipri_bars(frame: pd.DataFrame, year: int, metric: str, highlight: str = "USA", title: str = "",
               lang: str = "en") -> go.Figure:
    """Horizontal bars of one SIPRI metric for one calendar year, largest first, the US highlighted."""
    _ = i18n.gettext_for(lang)
    rows = frame[(frame["year"] == year) & (frame["metric"] == metric)].dropna(subset=["value"])
    rows = rows.sort_values("value", ascending=True)
    pct = metric.startswith("share")
    vals = rows["value"].astype(float)
    shown = vals if pct else vals / 1000
    fig = go.Figure(go.Bar(
        y=[esc(c) for c in rows["country"]], x=shown.tolist(), orientation="h",
        marker={"color": [ACCENT if c == highlight else "#7a9cc6" for c in rows["iso3"]]},
        text=[f"{i18n.num(v, lang, 1)}%" if pct else _("${value}bn").format(value=i18n.num(v, lang)) for v in shown],
        # inside a bar long enough to hold it, else after it: after the longest bar the label ran off a phone's
        # right edge ("US$ 997 mil millones")
        textposition="auto", cliponaxis=False, insidetextanchor="end",
        hovertemplate="%{y}: %{text}<extra>" + str(year) + "</extra>"))
    fig.update_xaxes(title_text=_("Share of GDP (%)") if pct else (_("Billions of US dollars, current") if "current" in metric
                                                                   else _("Billions of constant 2023 US dollars")),
                     gridcolor="#e5e5e5")
    fig.update_yaxes(automargin=True)
    return base_layout(fig, title, height=max(320, 28 * len(rows) + 90), lang=lang)


def _wrap(text: str, width: int = 26) -> str:
    """Escaped text broken into lines of about ``width`` characters with <br> (plotly's line break)."""
    return "<br>".join(esc(x) for x in (wrap_text(text, width) or [""]))


def fy2024_comparison(items: pd.DataFrame, title: str = "", lang: str = "en") -> go.Figure:
    """Horizontal bars for FY2024 figures, in the order given, top to bottom: ``items`` columns label,
    value_usd_m, kind ("official"|"reported"), note. Labels are wrapped on the left so they stay readable on a
    phone (side-by-side column labels ran into each other at 390 px)."""
    _ = i18n.gettext_for(lang)
    colours = [ACCENT if k == "reported" else "#0072B2" for k in items["kind"]]
    # each figure's value is written under its label, not after its bar: beside the bar it ran off the right
    # edge of a phone (and a Spanish amount is longer)
    values = [fmt_money_m(v, lang) for v in items["value_usd_m"]]
    fig = go.Figure(go.Bar(
        y=[_wrap(l) + f"<br><b>{esc(v)}</b>" for l, v in zip(items["label"], values)],
        x=(items["value_usd_m"].astype(float) / 1000).tolist(), orientation="h",
        marker={"color": colours, "pattern": {"shape": ["x" if k == "reported" else "" for k in items["kind"]]}},
        text=values, textposition="none",
        customdata=[esc(n) for n in items["note"]], hovertemplate="%{y}<br>%{customdata}<extra></extra>"))
    fig.update_xaxes(title_text=_("Billions of dollars"), gridcolor="#e5e5e5", rangemode="tozero")
    fig.update_yaxes(autorange="reversed", automargin=True)
    # room on the right for the value printed after the longest bar
    fig = base_layout(fig, title, height=120 + 85 * len(items), lang=lang)
    fig.update_layout(margin={"r": 16})
    return fig
