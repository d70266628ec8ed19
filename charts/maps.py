"""Map figures: troops by host country (choropleth) with optional base, deployment and exercise layers,
an animated version over the years, and a zoomed country map. Geo traces use the local topojson (the app
passes config={"topojsonURL": "app/static/"}): the world map asks for resolution 110, which plotly.js reads as
static/world_110m.json, the country map for resolution 50, static/world_50m.json. Both files are Natural Earth
1:50m with every country (small states included), simplified more for the world view (static/README.md)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

import i18n

from .common import (
    BASE_COLOURS,
    BASE_LABELS,
    BASE_LEGEND,
    MEASURE_LABELS,
    PROVENANCE_LABELS,
    base_layout,
    esc,
    fmt_int,
    wrap_text,
)

COLOURSCALE = "YlOrRd"


def aggregate_for_map(frame: pd.DataFrame, measure: str, lang: str = "en") -> pd.DataFrame:
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
    _ = i18n.gettext_for(lang)
    report_word = _("report")
    codes_col = rows["iso3"] if "iso3" in rows.columns else rows["map_iso3"]
    shapes: dict[str, list] = {}
    # Babel's formatting is most of this loop's time (the animation aggregates ~10,000 rows at once), and the same
    # place, report, number and kind come back row after row: each distinct one is formatted once per call
    names: dict = {}
    numbers: dict = {}
    report_texts: dict = {}
    kinds: dict = {}
    for code, iso, n, v, r, p in zip(rows["map_iso3"].astype(str), codes_col, rows["name"], rows[measure].astype(float),
                                     reports, provs):
        key = (iso, n)
        if key not in names:
            shown = i18n.country(iso, n, lang)
            names[key] = (shown, esc(shown))
        n, n_html = names[key]
        if v not in numbers:
            numbers[v] = fmt_int(v, lang)
        rk = r if isinstance(r, str) else repr(r)  # a missing report (NaN, NaT) is formatted on its own each time
        if rk not in report_texts or not isinstance(r, str):
            report_texts[rk] = esc(i18n.report_text(r, lang))
        if p not in kinds:
            kinds[p] = esc(_(PROVENANCE_LABELS.get(p, p)))
        line = f"<b>{n_html}</b>: {numbers[v]}<br>{report_word}: {report_texts[rk]}; {kinds[p]}"
        acc = shapes.setdefault(code, [0.0, [], []])
        acc[0] += v
        acc[1].append(line)
        acc[2].append(str(n))
    codes = sorted(shapes)
    return pd.DataFrame({"map_iso3": pd.array(codes, dtype="str"),
                         "value": pd.array([shapes[c][0] for c in codes], dtype="float64"),
                         "hover": pd.array(["<br>".join(shapes[c][1]) for c in codes], dtype="str"),
                         "names": pd.array([", ".join(shapes[c][2]) for c in codes], dtype="str")})


def group_by_place(frame: pd.DataFrame, lines: list[str], most: int = 8, more: str = "… and {n} more") -> pd.DataFrame:
    """One row per distinct (lat, lon) of ``frame`` with the hover ``lines`` of every row drawn there joined
    (at most ``most``, then "and N more"): several deployments reported at one place (a capital used as the
    country's marker) are one marker that lists them all, not markers stacked out of reach of the pointer."""
    f = frame.assign(_line=lines).dropna(subset=["lat", "lon"])
    rows = []
    for (lat, lon), part in f.groupby(["lat", "lon"], sort=False):
        shown = part["_line"].tolist()
        text = "<br>".join(shown[:most]) + ("<br>" + more.format(n=len(shown) - most) if len(shown) > most else "")
        rows.append({"lat": float(lat), "lon": float(lon), "hover": text, "n": len(shown)})
    return pd.DataFrame(rows, columns=["lat", "lon", "hover", "n"])


def spread_overlaps(points: list[tuple[float, float]], min_sep: float) -> tuple[list[tuple[float, float]], list[int]]:
    """Points closer than ``min_sep`` degrees to another are drawn on a small ring around their group's centre, so
    each stays visible and can be hovered. Returns the drawn positions and, per point, how many points share its
    spot (1 = alone). Deterministic: the same input gives the same picture."""
    n = len(points)
    group = list(range(n))

    def find(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if abs(points[i][0] - points[j][0]) < min_sep and abs(points[i][1] - points[j][1]) < min_sep:
                group[find(i)] = find(j)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(find(i), []).append(i)
    out = list(points)
    share = [1] * n
    for idx in members.values():
        if len(idx) < 2:
            continue
        clat = sum(points[i][0] for i in idx) / len(idx)
        clon = sum(points[i][1] for i in idx) / len(idx)
        radius = min_sep * (1.0 if len(idx) <= 4 else len(idx) / 4)
        for k, i in enumerate(idx):
            angle = math.pi / 2 + 2 * math.pi * k / len(idx)
            out[i] = (clat + radius * math.sin(angle), clon + radius * math.cos(angle) / max(0.2, math.cos(math.radians(clat))))
            share[i] = len(idx)
    return out, share


def _z(values: pd.Series, log: bool) -> list[float]:
    if not log:
        return values.astype(float).tolist()
    return [math.log10(v) if v > 0 else -0.5 for v in values.astype(float)]


def _colorbar(log: bool, vmax: float, title: str) -> dict:  # title: already translated
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
ANIMATION_HEIGHT = 560  # px, the animated map's element on a wide screen (map, colour bar, year slider)
WORLD_RESOLUTION = 110  # static/world_110m.json (see _geo)
COUNTRY_RESOLUTION = 50  # static/world_50m.json
LEGEND_WRAP = 24  # characters: a longer layer name in the world map's legend takes two lines


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
              exercises: pd.DataFrame | None = None, zmax: float | None = None, lang: str = "en") -> go.Figure:
    """Choropleth of one measure by host country for one year (``frame`` rows already filtered to that year).

    Optional layers: ``bases`` (lat, lon, name, country, type, period), ``deployments`` (lat, lon, name, place,
    when, personnel), ``exercises`` (lat, lon, name, location, when, participants)."""
    _ = i18n.gettext_for(lang)
    agg = aggregate_for_map(frame, measure, lang)
    fig = go.Figure()
    vmax = zmax or (float(agg["value"].max()) if len(agg) else 1.0)
    label = _(MEASURE_LABELS.get(measure, measure))
    fig.add_trace(go.Choropleth(
        locations=agg["map_iso3"].tolist(), z=_z(agg["value"], log), locationmode="ISO-3",
        colorscale=COLOURSCALE, zmin=(-0.5 if log else 0), zmax=(math.log10(max(vmax, 1)) if log else vmax),
        marker_line_color="#ffffff", marker_line_width=0.4, colorbar=_colorbar(log, vmax, _("Personnel")),
        text=agg["hover"].tolist(), hovertemplate="%{text}<extra></extra>", name=esc(label), showlegend=False))
    if bases is not None and len(bases):
        located = bases.dropna(subset=["lat", "lon"])
        for kind, part in located.groupby("type", sort=True):
            fig.add_trace(go.Scattergeo(
                lat=part["lat"].astype(float).tolist(), lon=part["lon"].astype(float).tolist(), mode="markers",
                marker={"size": 5, "color": BASE_COLOURS.get(kind, "#555555"), "line": {"width": 0.5, "color": "white"},
                        "opacity": 0.85},
                name=esc(_(BASE_LEGEND.get(kind, kind))) + " (Vine)",
                text=[f"<b>{esc(n)}</b><br>{esc(i18n.country(code, c, lang))}<br>{esc(_(BASE_LABELS.get(kind, kind)))}; {esc(p)}"
                      for n, code, c, p in zip(part["name"], part.get("iso3", part["country"]), part["country"],
                                               part["period"])],
                hovertemplate="%{text}<extra>" + esc(_("base site")) + "</extra>"))
    if deployments is not None and len(deployments):
        personnel = esc(_("personnel"))
        d = group_by_place(deployments, [f"<b>{esc(n)}</b> ({esc(w)}; {personnel}: {esc(p)})<br>{esc(pl)}"
                                         for n, pl, w, p in zip(deployments["name"], deployments["place"],
                                                                deployments["when"], deployments["personnel"])], most=6,
                           more=_("… and {n} more"))
        fig.add_trace(go.Scattergeo(
            lat=d["lat"].tolist(), lon=d["lon"].tolist(), mode="markers",
            marker={"size": 11, "symbol": "diamond", "color": "#6a3d9a", "line": {"width": 1, "color": "white"}},
            name=esc(_("Reported deployment or event")), text=d["hover"].tolist(),
            hovertemplate="%{text}<extra>" + esc(_("reported")) + "</extra>"))
    if exercises is not None and len(exercises):
        e = exercises.dropna(subset=["lat", "lon"])
        fig.add_trace(go.Scattergeo(
            lat=e["lat"].astype(float).tolist(), lon=e["lon"].astype(float).tolist(), mode="markers",
            marker={"size": 8, "symbol": "triangle-up", "color": "#1b9e77", "line": {"width": 0.5, "color": "white"}},
            name=esc(_("Multinational exercise (MME)")),
            text=[f"<b>{esc(n)}</b><br>{esc(loc)}<br>{esc(w)}<br>" + esc(_("{n} participating countries").format(n=p))
                  for n, loc, w, p in zip(e["name"], e["location"], e["when"], e["participants"])],
            hovertemplate="%{text}<extra>" + esc(_("exercise")) + "</extra>"))
    _geo(fig)
    # No height in the figure: the page gives the chart element MAP_HEIGHT, and a phone's narrower column a lower
    # one (app_pages/ui/assets/page.css); plotly fills its element. With a fixed figure height the world, which is
    # width-bound on a phone, sat between two empty bands.
    base_layout(fig, title, lang=lang)
    # the layers' legend at the foot of the figure (container coordinates), under the colour bar, whatever the
    # element's height: at y=-0.17 of the plot area it ran into the colour bar on a phone
    # showlegend: plotly hides the legend of a figure with one legend trace, and the deployments' diamonds alone
    # were then unexplained
    # a long layer name on two lines: two entries a row on a phone leave about 140 px for each name, and
    # "Despliegue o evento reportado" or "Lily pad (sitio pequeño) (Vine)" was cut at the right edge
    for trace in fig.data:
        if trace.type == "scattergeo" and trace.name and len(trace.name) > LEGEND_WRAP and "<br>" not in trace.name:
            trace.name = "<br>".join(wrap_text(trace.name, LEGEND_WRAP))
    fig.update_layout(margin={"l": 0, "r": 0, "t": 30 if title else 0, "b": 0},
                      showlegend=len(fig.data) > 1,
                      # two entries a row: a phone's width holds them, and four layers take two rows, not four
                      legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
                              "font": {"size": 11},
                              # two entries a row when there are several; one entry keeps its whole width
                              **({"entrywidth": 0.5, "entrywidthmode": "fraction"}
                                 if sum(t.type == "scattergeo" for t in fig.data) > 2 else {})})
    return fig


def troop_animation(frame: pd.DataFrame, measure: str, log: bool = False, title: str = "",
                    years: list[int] | None = None, lang: str = "en", per_year: bool = False) -> go.Figure:
    """Animated choropleth over ``years`` (frames; play/pause buttons and a year slider in the figure).
    The colour range is fixed across years so colours compare between frames, or with ``per_year`` runs from 0
    to each year's own largest figure (its frame's ``zmax``; the colour bar's ticks follow), so a year with few
    troops abroad still reads. The figure of :func:`troop_animation_spec`, validated by plotly as a whole."""
    return go.Figure(troop_animation_spec(frame, measure, log, title, years, lang, per_year))


COLOURBAR_TOP_Y = 0.995  # see troop_animation_spec


def troop_animation_spec(frame: pd.DataFrame, measure: str, log: bool = False, title: str = "",
                         years: list[int] | None = None, lang: str = "en", per_year: bool = False) -> dict:
    """:func:`troop_animation` as the plain figure dict plotly.js reads (``Figure.to_dict()``), about 5x cheaper
    to make: the layout and one frame's trace go through plotly's validation, and every frame reuses that
    validated trace with its own locations, values and hover text, which is all validation would do to them
    (tests check ``go.Figure(spec).to_dict() == spec``). Validating 76 frames was half of the build's second."""
    years = years or sorted(frame["year"].dropna().astype(int).unique().tolist())
    # one aggregation over all years (keyed by year + shape), then cheap slices per frame
    keyed = frame.assign(map_iso3=frame["year"].astype(str) + "|" + frame["map_iso3"].astype(str).where(frame["map_iso3"].astype(str) != "", ""))
    keyed = keyed[frame["map_iso3"].astype(str) != ""]
    _ = i18n.gettext_for(lang)
    allagg = aggregate_for_map(keyed, measure, lang)
    allagg = allagg.assign(year=allagg["map_iso3"].str.split("|").str[0].astype(int),
                           map_iso3=allagg["map_iso3"].str.split("|").str[1])
    by_year = {y: part for y, part in allagg.groupby("year")}
    by_year = {y: by_year.get(y, allagg.iloc[0:0]) for y in years}
    vmax = max((float(a["value"].max()) for a in by_year.values() if len(a)), default=1.0)
    year_max = {y: (float(a["value"].max()) if len(a) and pd.notna(a["value"].max()) else 1.0)
                for y, a in by_year.items()}

    # a log scale already lets every year read (its ticks are fixed powers of ten): per_year is for the linear one
    per_year = per_year and not log

    def zmax(y) -> float:  # the top of the colour scale: every year's largest figure, or this year's own
        top = year_max[y] if per_year else vmax
        return math.log10(max(top, 1)) if log else (max(top, 1.0) if per_year else vmax)

    def trace(agg: pd.DataFrame, y) -> go.Choropleth:
        return go.Choropleth(locations=agg["map_iso3"].tolist(), z=_z(agg["value"], log), locationmode="ISO-3",
                             colorscale=COLOURSCALE, zmin=(-0.5 if log else 0),
                             zmax=zmax(y), marker_line_color="#ffffff",
                             marker_line_width=0.4, colorbar=_colorbar(log, vmax, _("Personnel")),
                             text=agg["hover"].tolist(), hovertemplate="%{text}<extra></extra>")

    first = years[0] if years else None
    fig = go.Figure(data=[trace(by_year[first], first)] if first is not None else [])
    if first is not None:  # each frame: the first year's validated trace with the year's own arrays
        template = trace(by_year[first], first).to_plotly_json()
        frames = []
        for y in years:
            agg = by_year[y]
            own = {"zmax": zmax(y)} if per_year else {}
            frames.append({"data": [{**template, "locations": agg["map_iso3"].tolist(), "z": _z(agg["value"], log),
                                     "text": agg["hover"].tolist(), **own}], "name": str(y)})
    else:
        frames = []
    steps = [{"args": [[str(y)], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}],
              "label": str(y), "method": "animate"} for y in years]
    # Under the map, in this order from the top: the year drawn ("Year: 1968", large, left) with Play and Pause on
    # its right, then the slider across the full width. The steps' own labels (one per year, 76 of them) are
    # transparent: on a phone they ran into each other and at 1400 px the last one was cut; the first and last
    # years are written at the slider's ends instead.
    fig.update_layout(
        updatemenus=[{"type": "buttons", "showactive": False, "x": 1, "y": 0, "xanchor": "right", "yanchor": "top",
                      "pad": {"t": 4, "r": 4}, "direction": "left", "font": {"size": 13},
                      "buttons": [{"label": "▶ " + _("Play"), "method": "animate",
                                   "args": [None, {"frame": {"duration": 350, "redraw": True},
                                                   "fromcurrent": True, "transition": {"duration": 0}}]},
                                  {"label": "❚❚ " + _("Pause"), "method": "animate",
                                   "args": [[None], {"frame": {"duration": 0, "redraw": False},
                                                     "mode": "immediate"}]}]}],
        sliders=[{"active": 0, "steps": steps, "x": 0, "len": 1, "y": 0, "yanchor": "top",
                  "pad": {"t": 44, "l": 12, "r": 12, "b": 0}, "ticklen": 3, "minorticklen": 0,
                  "font": {"size": 1, "color": "rgba(0,0,0,0)"},
                  "currentvalue": {"prefix": _("Year") + ": ", "font": {"size": 16, "color": "#222"}, "xanchor": "left",
                                   "offset": 12}}])
    if years:
        for x, anchor, text in ((0, "left", years[0]), (1, "right", years[-1])):
            fig.add_annotation(x=x, xref="paper", xanchor=anchor, y=0, yref="paper", yanchor="top", yshift=-84,
                               text=str(text), showarrow=False, font={"size": 11, "color": "#444"})
    _geo(fig)
    base_layout(fig, title, lang=lang)
    # no height in the figure: the page gives the element ANIMATION_HEIGHT (lower on a phone, app_pages/ui/assets/page.css)
    # the colour bar in the top margin, under the title: the same for every frame. Its y is just under 1: at y >= 1
    # with yanchor "bottom", plotly.js (4.1) takes a titled horizontal colour bar for one above the plot and moves
    # the figure's own title up by half the bar's height (19 px), out of the element: the title was not drawn at
    # all (English) or only its second line (Spanish, two lines)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 90 if title else 50, "b": 110})
    fig.update_traces(colorbar={"y": COLOURBAR_TOP_Y, "yanchor": "bottom", "ypad": 6, "len": 0.6, "x": 0.5, "xanchor": "center",
                                "title": {"side": "right"}})
    spec = fig.to_dict()
    if frames:
        spec["frames"] = frames
    return spec


def country_map(map_iso3: str, bases: pd.DataFrame, places: pd.DataFrame, title: str = "", lang: str = "en") -> go.Figure:
    """Zoomed map of one country: its shape highlighted, base sites by type, deployment places."""
    _ = i18n.gettext_for(lang)
    fig = go.Figure()
    if map_iso3:
        fig.add_trace(go.Choropleth(locations=[map_iso3], z=[1], locationmode="ISO-3", showscale=False,
                                    colorscale=[[0, "#fde0c5"], [1, "#fde0c5"]], marker_line_color="#8c1c13",
                                    marker_line_width=1.2, hoverinfo="skip", showlegend=False))
    located = bases.dropna(subset=["lat", "lon"]) if len(bases) else bases
    pl = places.dropna(subset=["lat", "lon"]) if len(places) else places
    grouped = (group_by_place(pl, [f"<b>{esc(d)}</b><br>{esc(n)}" for d, n in zip(pl["deployment"], pl["name"])],
                              more=_("… and {n} more"))
               if len(pl) else pd.DataFrame(columns=["lat", "lon", "hover", "n"]))
    # every marker stays visible and hoverable: points at (about) the same spot are drawn on a small ring
    pts = [(float(a), float(b)) for a, b in zip(located["lat"], located["lon"])] if len(located) else []
    pts += list(zip(grouped["lat"].astype(float), grouped["lon"].astype(float)))
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    extent = max(max(lats) - min(lats), max(lons) - min(lons), 3.0) if pts else 3.0
    drawn, share = spread_overlaps(pts, min_sep=max(0.3, extent * 0.05))
    moved = ["" if k == 1 else "<br><i>" + esc(_("drawn slightly apart: {n} markers share about this spot").format(n=k))
             + "</i>" for k in share]
    nb = len(located) if len(located) else 0
    if nb:
        located = located.assign(_lat=[p[0] for p in drawn[:nb]], _lon=[p[1] for p in drawn[:nb]], _moved=moved[:nb])
    for kind, part in (located.groupby("type", sort=True) if nb else []):
        fig.add_trace(go.Scattergeo(
            lat=part["_lat"].tolist(), lon=part["_lon"].tolist(), mode="markers",
            marker={"size": 9, "color": BASE_COLOURS.get(kind, "#555"), "line": {"width": 1, "color": "white"}},
            name=esc(_(BASE_LABELS.get(kind, kind))),
            text=[f"<b>{esc(n)}</b><br>{esc(p)}{m}" for n, p, m in zip(part["name"], part["period"], part["_moved"])],
            hovertemplate="%{text}<extra>" + esc(_("base site")) + "</extra>"))
    if len(grouped):
        fig.add_trace(go.Scattergeo(
            lat=[p[0] for p in drawn[nb:]], lon=[p[1] for p in drawn[nb:]], mode="markers",
            marker={"size": 12, "symbol": "diamond", "color": "#6a3d9a", "line": {"width": 1, "color": "white"}},
            name=esc(_("Reported deployment place")),
            text=[h + m for h, m in zip(grouped["hover"], moved[nb:])],
            hovertemplate="%{text}<extra>" + esc(_("reported")) + "</extra>"))
    fig.update_geos(resolution=COUNTRY_RESOLUTION, showcountries=True, countrycolor="#999999", showland=True, landcolor="#f5f5f5",
                    showocean=False, bgcolor=OCEAN, showframe=False, projection_type="mercator",
                    fitbounds="locations" if (map_iso3 or lats) else False)
    base_layout(fig, title, height=460, lang=lang)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 0},
                      showlegend=any(t.type == "scattergeo" for t in fig.data),
                      legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0})
    return fig
