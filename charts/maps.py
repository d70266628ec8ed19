"""Map figures: troops by host country (choropleth) with optional base, deployment and exercise layers,
an animated version over the years, and a zoomed country map. Geo traces use the local topojson (the app
passes config={"topojsonURL": "app/static/"}): the world map asks for resolution 110, which plotly.js reads as
static/world_110m.json, the country map for resolution 50, static/world_50m.json. Both files are Natural Earth
1:50m with every country (small states included), simplified more for the world view (static/README.md)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .common import BASE_COLOURS, BASE_LABELS, MEASURE_LABELS, PROVENANCE_LABELS, base_layout, esc, fmt_int

COLOURSCALE = "YlOrRd"


def aggregate_for_map(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """One row per map shape: ``frame`` (troops_annual rows of one year with ``map_iso3``) -> map_iso3, value,
    hover. Entities drawn on the same shape (e.g. Panama and the Canal Zone) are summed and listed in the hover.
    Rows with no value for the measure, or no shape, are left out (never drawn as zero)."""
    rows = frame[(frame["map_iso3"].astype(str) != "") & frame[measure].notna()]
    if rows.empty:
        return pd.DataFrame(columns=["map_iso3", "value", "hover", "names"])
    rows = rows.sort_values(measure, ascending=False, kind="stable")
    reports = rows["report"] if "report" in rows.columns else pd.Series("", index=rows.index)
    provs = rows["provenance"] if "provenance" in rows.columns else pd.Series("", index=rows.index)
    # plain Python over the (few hundred) rows: a pandas groupby with string joins costs ~30 ms per call
    shapes: dict[str, list] = {}
    for code, n, v, r, p in zip(rows["map_iso3"].astype(str), rows["name"], rows[measure].astype(float), reports, provs):
        line = f"<b>{esc(n)}</b>: {fmt_int(v)}<br>report: {esc(r)}; {esc(PROVENANCE_LABELS.get(p, p))}"
        acc = shapes.setdefault(code, [0.0, [], []])
        acc[0] += v
        acc[1].append(line)
        acc[2].append(str(n))
    codes = sorted(shapes)
    return pd.DataFrame({"map_iso3": pd.array(codes, dtype="str"),
                         "value": pd.array([shapes[c][0] for c in codes], dtype="float64"),
                         "hover": pd.array(["<br>".join(shapes[c][1]) for c in codes], dtype="str"),
                         "names": pd.array([", ".join(shapes[c][2]) for c in codes], dtype="str")})


def _z(values: pd.Series, log: bool) -> list[float]:
    if not log:
        return values.astype(float).tolist()
    return [math.log10(v) if v > 0 else -0.5 for v in values.astype(float)]


def _colorbar(log: bool, vmax: float, title: str) -> dict:
    # horizontal, under the map: the map keeps the full width (phones)
    bar = {"title": {"text": esc(title), "side": "top"}, "orientation": "h", "thickness": 10, "len": 0.5,
           "x": 0.5, "xanchor": "center", "y": 0.0, "yanchor": "top"}
    if log:
        top = max(1, int(math.ceil(math.log10(max(vmax, 1)))))
        ticks = list(range(0, top + 1))
        bar.update(tickvals=ticks, ticktext=[_short_number(10 ** t) for t in ticks])
    else:
        bar.update(tickformat="~s")
    return bar


def _short_number(n: int) -> str:
    """1, 10, 100, 1k, 10k, 100k, 1M: short enough not to collide on a phone-width colour bar."""
    for div, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= div:
            return f"{n // div:,}{suffix}"
    return str(n)


OCEAN = "#eaf2f8"
MAP_HEIGHT = 460  # px, the world map's element on a wide screen (see troop_map)
WORLD_RESOLUTION = 110  # static/world_110m.json (see _geo)
COUNTRY_RESOLUTION = 50  # static/world_50m.json


def _geo(fig: go.Figure) -> None:
    # resolution=110 makes plotly.js load static/world_110m.json: not Natural Earth's 1:110m file (which has no
    # Bahrain or Singapore) but the same 1:50m countries as world_50m.json, simplified within 0.2 degrees (under
    # half a pixel on this map) instead of 0.03, which halves the map's first draw (static/README.md). plotly.js
    # caches outlines by that name, so the zoomed country map (resolution 50, the finer file) never gets this one.
    # The sea is the map's background colour, not plotly's ocean layer: that layer is one more pass of every
    # coastline through the projection, about a quarter of the map's first draw in Chromium
    # (docs/performance.md), for a shape the background already gives.
    fig.update_geos(resolution=WORLD_RESOLUTION, projection_type="natural earth", showcountries=True, countrycolor="#bbbbbb",
                    showcoastlines=True, coastlinecolor="#999999", showland=True, landcolor="#f3f3f3",
                    showocean=False, bgcolor=OCEAN, showframe=False, lataxis_range=[-58, 85])


def troop_map(frame: pd.DataFrame, measure: str, log: bool = False, title: str = "",
              bases: pd.DataFrame | None = None, deployments: pd.DataFrame | None = None,
              exercises: pd.DataFrame | None = None, zmax: float | None = None) -> go.Figure:
    """Choropleth of one measure by host country for one year (``frame`` rows already filtered to that year).

    Optional layers: ``bases`` (lat, lon, name, country, type, period), ``deployments`` (lat, lon, name, place,
    when, personnel), ``exercises`` (lat, lon, name, location, when, participants)."""
    agg = aggregate_for_map(frame, measure)
    fig = go.Figure()
    vmax = zmax or (float(agg["value"].max()) if len(agg) else 1.0)
    label = MEASURE_LABELS.get(measure, measure)
    fig.add_trace(go.Choropleth(
        locations=agg["map_iso3"].tolist(), z=_z(agg["value"], log), locationmode="ISO-3",
        colorscale=COLOURSCALE, zmin=(-0.5 if log else 0), zmax=(math.log10(max(vmax, 1)) if log else vmax),
        marker_line_color="#ffffff", marker_line_width=0.4, colorbar=_colorbar(log, vmax, "Personnel"),
        text=agg["hover"].tolist(), hovertemplate="%{text}<extra></extra>", name=esc(label), showlegend=False))
    if bases is not None and len(bases):
        located = bases.dropna(subset=["lat", "lon"])
        for kind, part in located.groupby("type", sort=True):
            fig.add_trace(go.Scattergeo(
                lat=part["lat"].astype(float).tolist(), lon=part["lon"].astype(float).tolist(), mode="markers",
                marker={"size": 5, "color": BASE_COLOURS.get(kind, "#555555"), "line": {"width": 0.5, "color": "white"},
                        "opacity": 0.85},
                name=esc(BASE_LABELS.get(kind, kind)) + " (Vine list)",
                text=[f"<b>{esc(n)}</b><br>{esc(c)}<br>{esc(BASE_LABELS.get(kind, kind))}; {esc(p)}"
                      for n, c, p in zip(part["name"], part["country"], part["period"])],
                hovertemplate="%{text}<extra>base site</extra>"))
    if deployments is not None and len(deployments):
        d = deployments.dropna(subset=["lat", "lon"])
        fig.add_trace(go.Scattergeo(
            lat=d["lat"].astype(float).tolist(), lon=d["lon"].astype(float).tolist(), mode="markers",
            marker={"size": 11, "symbol": "diamond", "color": "#6a3d9a", "line": {"width": 1, "color": "white"}},
            name="Named deployment (reported)",
            text=[f"<b>{esc(n)}</b><br>{esc(pl)}<br>{esc(w)}<br>personnel: {esc(p)}"
                  for n, pl, w, p in zip(d["name"], d["place"], d["when"], d["personnel"])],
            hovertemplate="%{text}<extra>deployment</extra>"))
    if exercises is not None and len(exercises):
        e = exercises.dropna(subset=["lat", "lon"])
        fig.add_trace(go.Scattergeo(
            lat=e["lat"].astype(float).tolist(), lon=e["lon"].astype(float).tolist(), mode="markers",
            marker={"size": 8, "symbol": "triangle-up", "color": "#1b9e77", "line": {"width": 0.5, "color": "white"}},
            name="Multinational exercise (MME)",
            text=[f"<b>{esc(n)}</b><br>{esc(loc)}<br>{esc(w)}<br>{esc(p)} participating countries"
                  for n, loc, w, p in zip(e["name"], e["location"], e["when"], e["participants"])],
            hovertemplate="%{text}<extra>exercise</extra>"))
    _geo(fig)
    # No height in the figure: the page gives the chart element MAP_HEIGHT, and a phone's narrower column a lower
    # one (app_pages/ui.PAGE_CSS); plotly fills its element. With a fixed figure height the world, which is
    # width-bound on a phone, sat between two empty bands.
    base_layout(fig, title)
    # the layers' legend at the foot of the figure (container coordinates), under the colour bar, whatever the
    # element's height: at y=-0.17 of the plot area it ran into the colour bar on a phone
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 0},
                      legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0})
    return fig


def troop_animation(frame: pd.DataFrame, measure: str, log: bool = False, title: str = "",
                    years: list[int] | None = None) -> go.Figure:
    """Animated choropleth over ``years`` (frames; play/pause buttons and a year slider in the figure).
    The colour range is fixed across years so colours compare between frames."""
    years = years or sorted(frame["year"].dropna().astype(int).unique().tolist())
    # one aggregation over all years (keyed by year + shape), then cheap slices per frame
    keyed = frame.assign(map_iso3=frame["year"].astype(str) + "|" + frame["map_iso3"].astype(str).where(frame["map_iso3"].astype(str) != "", ""))
    keyed = keyed[frame["map_iso3"].astype(str) != ""]
    allagg = aggregate_for_map(keyed, measure)
    allagg = allagg.assign(year=allagg["map_iso3"].str.split("|").str[0].astype(int),
                           map_iso3=allagg["map_iso3"].str.split("|").str[1])
    per_year = {y: part for y, part in allagg.groupby("year")}
    per_year = {y: per_year.get(y, allagg.iloc[0:0]) for y in years}
    vmax = max((float(a["value"].max()) for a in per_year.values() if len(a)), default=1.0)

    def trace(agg: pd.DataFrame) -> go.Choropleth:
        return go.Choropleth(locations=agg["map_iso3"].tolist(), z=_z(agg["value"], log), locationmode="ISO-3",
                             colorscale=COLOURSCALE, zmin=(-0.5 if log else 0),
                             zmax=(math.log10(max(vmax, 1)) if log else vmax), marker_line_color="#ffffff",
                             marker_line_width=0.4, colorbar=_colorbar(log, vmax, "Personnel"),
                             text=agg["hover"].tolist(), hovertemplate="%{text}<extra></extra>")

    first = years[0] if years else None
    fig = go.Figure(data=[trace(per_year[first])] if first is not None else [],
                    frames=[go.Frame(data=[trace(per_year[y])], name=str(y)) for y in years])
    steps = [{"args": [[str(y)], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}],
              "label": str(y), "method": "animate"} for y in years]
    fig.update_layout(
        updatemenus=[{"type": "buttons", "showactive": False, "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
                      "pad": {"t": 40}, "direction": "left",
                      "buttons": [{"label": "▶ Play", "method": "animate",
                                   "args": [None, {"frame": {"duration": 350, "redraw": True},
                                                   "fromcurrent": True, "transition": {"duration": 0}}]},
                                  {"label": "❚❚ Pause", "method": "animate",
                                   "args": [[None], {"frame": {"duration": 0, "redraw": False},
                                                     "mode": "immediate"}]}]}],
        sliders=[{"active": 0, "steps": steps, "x": 0.2, "len": 0.8, "y": 0, "yanchor": "top",
                  "pad": {"t": 30}, "currentvalue": {"prefix": "Year: ", "font": {"size": 14}}}])
    _geo(fig)
    base_layout(fig, title, height=560)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 60})
    fig.update_traces(colorbar={"y": 1.0, "yanchor": "bottom"})
    return fig


def country_map(map_iso3: str, bases: pd.DataFrame, places: pd.DataFrame, title: str = "") -> go.Figure:
    """Zoomed map of one country: its shape highlighted, base sites by type, deployment places."""
    fig = go.Figure()
    if map_iso3:
        fig.add_trace(go.Choropleth(locations=[map_iso3], z=[1], locationmode="ISO-3", showscale=False,
                                    colorscale=[[0, "#fde0c5"], [1, "#fde0c5"]], marker_line_color="#8c1c13",
                                    marker_line_width=1.2, hoverinfo="skip", showlegend=False))
    lats: list[float] = []
    lons: list[float] = []
    located = bases.dropna(subset=["lat", "lon"]) if len(bases) else bases
    for kind, part in (located.groupby("type", sort=True) if len(located) else []):
        lats += part["lat"].astype(float).tolist()
        lons += part["lon"].astype(float).tolist()
        fig.add_trace(go.Scattergeo(
            lat=part["lat"].astype(float).tolist(), lon=part["lon"].astype(float).tolist(), mode="markers",
            marker={"size": 9, "color": BASE_COLOURS.get(kind, "#555"), "line": {"width": 1, "color": "white"}},
            name=esc(BASE_LABELS.get(kind, kind)),
            text=[f"<b>{esc(n)}</b><br>{esc(p)}" for n, p in zip(part["name"], part["period"])],
            hovertemplate="%{text}<extra>base site</extra>"))
    pl = places.dropna(subset=["lat", "lon"]) if len(places) else places
    if len(pl):
        lats += pl["lat"].astype(float).tolist()
        lons += pl["lon"].astype(float).tolist()
        fig.add_trace(go.Scattergeo(
            lat=pl["lat"].astype(float).tolist(), lon=pl["lon"].astype(float).tolist(), mode="markers",
            marker={"size": 12, "symbol": "diamond", "color": "#6a3d9a", "line": {"width": 1, "color": "white"}},
            name="Reported deployment place",
            text=[f"<b>{esc(d)}</b><br>{esc(n)}" for d, n in zip(pl["deployment"], pl["name"])],
            hovertemplate="%{text}<extra>deployment</extra>"))
    fig.update_geos(resolution=COUNTRY_RESOLUTION, showcountries=True, countrycolor="#999999", showland=True, landcolor="#f5f5f5",
                    showocean=False, bgcolor=OCEAN, showframe=False, projection_type="mercator",
                    fitbounds="locations" if (map_iso3 or lats) else False)
    base_layout(fig, title, height=460)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 0},
                      legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0})
    return fig
