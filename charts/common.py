"""Shared pieces for the figure builders: escaping, number formatting, colours, layout defaults."""
from __future__ import annotations

import html
import math
import os
import threading

import pandas as pd
import plotly.graph_objects as go

import i18n
from i18n import N_

FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
ACCENT = "#8c1c13"
GREY = "#7f7f7f"
# Colour-blind-safe qualitative palette (Okabe-Ito without black)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999",
           "#332288", "#88CCEE", "#117733", "#882255", "#AA4499")
BASE_COLOURS = {"major_base": "#0072B2", "lily_pad": "#E69F00", "funded_site": "#009E73"}
BASE_LABELS = {"major_base": N_("Major base"), "lily_pad": N_("Lily pad (small site)"),
               "funded_site": N_("US-funded host-nation site")}
# shorter names for a map's legend, where four entries must fit two rows of a phone
BASE_LEGEND = {"major_base": N_("Major base"), "lily_pad": N_("Lily pad"), "funded_site": N_("US-funded site")}
PROVENANCE_LABELS = {"dmdc": N_("DMDC report"), "kane": N_("Kane (Heritage) compilation"),
                     "estimate": N_("Estimate (news/CRS)"), "imputed": N_("Imputed by troopdata")}
MEASURE_LABELS = {"active_duty": N_("Active duty, all services"), "army": N_("Army"), "navy": N_("Navy"),
                  "marine_corps": N_("Marine Corps"), "air_force": N_("Air Force"), "space_force": N_("Space Force"),
                  "coast_guard": N_("Coast Guard"), "reserve": N_("Reserve and National Guard"),
                  "civilian": N_("DoD civilians")}


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


def fmt_int(value: object, lang: str = "en") -> str:
    try:
        if value is None or pd.isna(value):
            return i18n.gettext_for(lang)("not reported")
    except (TypeError, ValueError):
        pass
    return i18n.num(value, lang)


def fmt_money_m(value_m: float, lang: str = "en") -> str:
    """Millions of dollars -> readable text ($812.3 billion / $1.50 trillion; in Spanish, miles de millones and
    billones, the long scale)."""
    _ = i18n.gettext_for(lang)
    if value_m is None or (isinstance(value_m, float) and math.isnan(value_m)):
        return _("n/a")
    if abs(value_m) >= 1_000_000:
        return _("${value} trillion").format(value=i18n.num(value_m / 1_000_000, lang, 2))
    if abs(value_m) >= 1_000:
        return _("${value} billion").format(value=i18n.num(value_m / 1_000, lang, 1))
    return _("${value} million").format(value=i18n.num(value_m, lang))


def base_layout(fig: go.Figure, title: str = "", height: int | None = None, lang: str = "en") -> go.Figure:
    fig.update_layout(
        separators=i18n.separators(lang),
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


TITLE_WRAP = 40  # characters: a longer chart title is broken onto two lines (a phone or an article's iframe)


def fit_title(fig: go.Figure) -> go.Figure:
    """Break a long title onto two lines and give the figure's top margin the room the second line takes: plotly
    never wraps a title, and at 320-390 px a one-line title ran out of the chart. Applied to a figure just before
    it is shown (the figures themselves are cached and shared, so this works on a copy)."""
    title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else ""
    if len(title) <= TITLE_WRAP or "<br>" in title:
        return fig
    cut = title.rfind(" ", 0, TITLE_WRAP)
    if cut <= 0:
        return fig
    out = go.Figure(fig)
    out.update_layout(title_text=title[:cut] + "<br>" + title[cut + 1:],
                      margin={"t": (fig.layout.margin.t if fig.layout.margin.t is not None else 50) + 18})
    return out


# The image downloads: (format, width, height) per choice (a wide PNG for articles, a square one for social media,
# an SVG for print and editing).
IMAGE_SIZES = {"png_wide": ("png", 1200, 675), "png_square": ("png", 1080, 1080), "svg": ("svg", 1200, 675)}


def wrap_text(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


def image_figure(fig: go.Figure, source: str, credit: str, width: int, height: int) -> go.Figure:
    """The figure as a publishable image: fixed size, white background, and under its title the source line and
    the credit ("Footprint · <the view's link>"), so the image carries its attribution wherever it goes. The
    figure itself is not changed (a copy)."""
    out = go.Figure(fig)
    title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else ""
    per_line = max(40, int(width / 6.6))  # characters of 11 px text per line
    small = wrap_text(source, per_line) + wrap_text(credit, per_line)
    text = (f"<b>{title}</b><br>" if title else "") + "<br>".join(
        f"<span style='font-size:11px;color:#333'>{esc(x)}</span>" for x in small)
    top = (fig.layout.margin.t if fig.layout.margin.t is not None else 50) + 15 * len(small) + 20
    out.update_layout(width=width, height=height, paper_bgcolor="white",
                      title={"text": text, "x": 0, "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top",
                             "pad": {"t": 22, "l": 8}, "font": {"size": 15, "color": "#1a1a1a"}},
                      margin={"t": top, "l": max(fig.layout.margin.l or 0, 10), "r": max(fig.layout.margin.r or 0, 10)})
    if any(t.type in ("choropleth", "scattergeo") for t in out.data):
        # the shipped outlines have no lakes, rivers or subunits layers; asking for one leaves the map blank
        out.update_geos(showlakes=False, showrivers=False, showsubunits=False)
    return out


# One image render holds a Chromium of its own for a few seconds. Twenty readers clicking "Download image" at
# once started about 32 Chromium processes and 1.3 GB (a pod's limit is 1 GiB), so renders beyond this many wait
# their turn. FOOTPRINT_IMAGE_RENDERS sets it; by default a quarter of the memory this process may use, at
# RENDER_MB per render (kaleido's Chromium for one image: about 420 MB proportional set size, bench.image_burst),
# between 1 and 4.
RENDER_MB = 400


def _memory_limit_bytes() -> int | None:
    """The container's memory limit (cgroup v2 or v1) or, outside one, the machine's memory."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = open(path, encoding="ascii").read().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 1 << 60:
            return int(text)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def image_render_slots(environ: dict | None = None, memory: int | None = None) -> int:
    env = os.environ if environ is None else environ
    value = env.get("FOOTPRINT_IMAGE_RENDERS", "").strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    memory = _memory_limit_bytes() if memory is None else memory
    if not memory:
        return 1
    return max(1, min(4, memory // 4 // (RENDER_MB * 2**20)))


_RENDERS = threading.BoundedSemaphore(image_render_slots())


def to_image(fig: go.Figure, fmt: str, width: int, height: int, topojson_dir: str | None = None) -> bytes:
    """Render with kaleido on Debian's Chromium (found on PATH; never a downloaded browser), started so that it
    makes no request outside the machine (compat/kaleido.py: the local plotly.js, no MathJax, no background
    services, no host lookups), at most ``image_render_slots()`` at once in this process. Maps read their outline
    from ``topojson_dir`` (the app's static/ folder), so nothing is fetched."""
    import kaleido

    from compat.kaleido import kaleido_options

    topojson = "file://" + topojson_dir.rstrip("/") + "/" if topojson_dir else None
    with _RENDERS:
        return kaleido.calc_fig_sync(fig.to_dict(), opts={"format": fmt, "width": width, "height": height, "scale": 1},
                                     topojson=topojson, kopts=kaleido_options())
