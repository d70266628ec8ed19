"""Shared pieces for the figure builders: escaping, number formatting, colours, layout defaults."""
from __future__ import annotations

import html
import math
import os
import re
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
    return [*lines, line] if line else lines


_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)\s*$")


def source_name(src, lang: str = "en") -> str:
    """What an image's source line calls a source: its publisher where the file names one ("La República"), else
    its short caption in ``lang`` without a trailing parenthesis (the year or the authors)."""
    if getattr(src, "publisher", ""):
        return src.publisher
    caption = i18n.translation_of(src, "short", lang) or src.caption
    return _TRAILING_PARENS.sub("", caption) or caption


def short_source_line(sources, lang: str = "en", limit: int = 150) -> str:
    """The source line drawn into an image: "Source: " and the sources' names (:func:`source_name`), each once;
    official sources and data sets first (they carry the chart's numbers), then the others by how often the chart
    cites them. Past ``limit`` characters the rest is counted ("and 12 more, listed with the chart"): the full list
    with the links stays under the chart on the page and in the CSV. ``sources`` are Source blocks, in the order
    and with the repetitions of the chart's citations."""
    _ = i18n.gettext_for(lang)
    count: dict[str, int] = {}
    first: dict[str, int] = {}
    official: dict[str, bool] = {}
    for i, src in enumerate(sources):
        name = source_name(src, lang)
        count[name] = count.get(name, 0) + 1
        first.setdefault(name, i)
        official[name] = official.get(name, False) or not src.kind or src.kind.startswith("official")
    names = sorted(count, key=lambda n: (not official[n], -count[n], first[n]))
    if not names:
        return _("Source: {first}").format(first=_("not recorded"))
    shown: list[str] = []
    for n in names:
        if shown and len("; ".join([*shown, n])) > limit:
            break
        shown.append(n)
    rest = len(names) - len(shown)
    line = _("Source: {first}").format(first="; ".join(shown))
    if rest:
        line += _(" and {n} more, listed with the chart").format(n=rest)
    return line


# Image text sizes (px) and the room each band takes
IMAGE_TITLE_PX, IMAGE_TITLE_LINE, IMAGE_PAD = 18, 24, 14
IMAGE_SMALL_PX, IMAGE_SMALL_LINE = 12, 17
LEGEND_ROW = 24
CHAR_PX = 0.56  # average width of a character, as a share of the font size (Source Sans, Helvetica, Arial)


def _cartesian(fig: go.Figure) -> bool:
    return any(t.type in ("bar", "scatter", "scattergl", "box", "histogram") for t in fig.data)


def _label_px(values, fmt_thousands: bool, size: float = 13) -> float:
    """The width of the widest tick label for ``values`` (numbers: their largest magnitude, with separators)."""
    widest = 0
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)]
    if numbers:
        top = max(abs(v) for v in numbers) * 1.15  # the axis runs past the largest value
        digits = len(str(int(top))) if top >= 1 else 4
        widest = digits + ((digits - 1) // 3 if fmt_thousands else 0) + (1 if min(numbers) < 0 else 0)
    texts = [str(v) for v in values if isinstance(v, str)]
    if texts:
        widest = max(widest, max(len(html.unescape(re.sub(r"<[^>]+>", "", line)))
                                 for t in texts for line in re.split(r"<br\s*/?>", t)))
    return widest * size * CHAR_PX


def _axis_values(fig: go.Figure, axis: str) -> list:
    out: list = []
    for t in fig.data:
        values = getattr(t, axis, None)
        if values is not None:
            out.extend(list(values))
    return out


def image_layout(fig: go.Figure, width: int, height: int, n_title: int, n_small: int) -> dict:
    """The margins (px) of an image of ``fig``: a title band on top, the figure's own room above its plot (counts,
    war labels), the plot, its tick labels, legend and colour bar, then the source and credit lines. Fixed
    (``autoexpand`` off), so where every band lies is known from the layout alone (tests/test_images.py)."""
    orig = fig.layout.margin
    had_title = bool(fig.layout.title and fig.layout.title.text)
    own_top = max(0, (orig.t if orig.t is not None else 50) - (50 if had_title else 10))
    if fig.layout.legend and fig.layout.legend.yref == "container" and (fig.layout.legend.y or 0) > 0.5:
        own_top = max(0, own_top - 12)  # a legend drawn at the top (the timeline) moves to the foot
    # a label the figure puts just above its plot ("OMB estimates") sits in the title's margin on the page; in the
    # image the title has its own band, so the label needs room of its own under it
    above = [a for a in fig.layout.annotations if a.yref == "paper" and a.y is not None and a.y >= 1]
    if above:
        own_top = max(own_top, max(16 * ((a.text or "").count("<br>") + 1) + (a.yshift or 0) for a in above))
    top = IMAGE_PAD + IMAGE_TITLE_LINE * n_title + 10 + own_top
    left, right, below = 12, max(orig.r or 0, 16), 8
    if _cartesian(fig):
        ya, xa = fig.layout.yaxis, fig.layout.xaxis
        left = 14 + _label_px(_axis_values(fig, "y"), True) + (26 if ya.title and ya.title.text else 0)
        below += 28 + (32 if xa.title and xa.title.text else 0)
        horizontal_text = any(t.type == "bar" and t.orientation == "h" and t.text is not None
                              and t.textposition not in ("none", "inside") for t in fig.data)
        if horizontal_text:  # value labels outside the bars' ends
            right = max(right, 90)
    if any(t.type == "choropleth" and t.showscale is not False and (t.colorbar.y is None or t.colorbar.y < 0.5)
           for t in fig.data):
        below += 70  # the horizontal colour bar under the map, with its title and ticks
    legend_rows = legend_row_count(fig, width - 24)
    below += LEGEND_ROW * legend_rows
    footer = IMAGE_SMALL_LINE * n_small + 12
    return {"t": int(top), "l": int(left), "r": int(right), "b": int(below + footer), "legend_rows": legend_rows,
            "footer": int(footer), "own_top": int(own_top)}


def legend_entries(fig: go.Figure) -> list[str]:
    if fig.layout.showlegend is False:
        return []
    names = []
    for t in fig.data:
        if t.showlegend is False or not t.name:
            continue
        if t.name not in names:
            names.append(t.name)
    if len(names) < 2 and fig.layout.showlegend is not True:
        return []  # plotly shows no legend for a single entry unless asked
    return names


def legend_row_count(fig: go.Figure, room: float) -> int:
    names = legend_entries(fig)
    if not names:
        return 0
    groups: dict[str, set] = {}
    for t in fig.data:
        if t.showlegend is not False and t.name and t.legendgroup:
            groups.setdefault(t.legendgroup, set()).add(t.name)
    if any(len(g) > 1 for g in groups.values()):  # plotly stacks a group's entries, groups side by side
        return max(len(g) for g in groups.values())
    rows, used = 1, 0.0
    for n in names:
        w = 46 + len(html.unescape(n)) * 12 * CHAR_PX
        if used and used + w > room:
            rows += 1
            used = 0.0
        used += w
    return rows


def image_figure(fig: go.Figure, source: str, credit: str, width: int, height: int) -> go.Figure:
    """The figure as a publishable image: fixed size, white background, the title on top, and under the plot (its
    tick labels, legend and colour bar) a short source line and the credit ("Footprint · <the view's link>"), so
    the image carries its attribution wherever it goes, none of it over the plot (:func:`image_layout`). The
    figure itself is not changed (a copy)."""
    out = go.Figure(fig)
    title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else ""
    title = re.sub(r"\s*<br>\s*", " ", title)
    if fig.layout.sliders:  # an animation: the image is its first frame, named in the title (no slider, no play)
        slider = fig.layout.sliders[0]
        steps = slider.steps or ()
        if steps:
            step = steps[min(slider.active or 0, len(steps) - 1)]
            prefix = slider.currentvalue.prefix if slider.currentvalue and slider.currentvalue.prefix else ""
            title = f"{title} · {esc(prefix)}{esc(step.label)}" if title else esc(f"{prefix}{step.label}")
        out.layout.sliders, out.layout.updatemenus = (), ()
    title_lines = wrap_text(title, max(30, int((width - 24) / (IMAGE_TITLE_PX * 0.6)))) if title else []
    per_line = max(40, int((width - 24) / (IMAGE_SMALL_PX * CHAR_PX)))
    small = wrap_text(source, per_line)[:3] + wrap_text(credit, per_line)[:2]
    m = image_layout(fig, width, height, len(title_lines), len(small))
    plot_h = height - m["t"] - m["b"]
    out.update_layout(
        width=width, height=height, paper_bgcolor="white", plot_bgcolor="white",
        title={"text": "<br>".join(f"<b>{line}</b>" for line in title_lines), "x": 12 / width, "xanchor": "left",
               "xref": "container", "y": 1 - IMAGE_PAD / height, "yref": "container", "yanchor": "top", "pad": {"t": 0, "l": 0},
               "font": {"size": IMAGE_TITLE_PX, "color": "#1a1a1a"}},
        margin={"t": m["t"], "l": m["l"], "r": m["r"], "b": m["b"], "autoexpand": False})
    if m["legend_rows"]:
        out.update_layout(legend={"orientation": "h", "xref": "container", "x": 12 / width, "xanchor": "left",
                                  "yref": "container", "y": (m["footer"] + 4) / height, "yanchor": "bottom",
                                  "font": {"size": 12}})
    else:
        out.update_layout(showlegend=False)
    rows = sum(1 for a in out.layout.annotations if a.yref == "y")
    if rows and plot_h / rows < 16:  # a row label per item (the timeline): smaller text, so rows stay apart
        out.update_annotations(selector={"yref": "y"}, font_size=max(6, int(plot_h / rows * 0.85)))
    out.add_annotation(
        text="<br>".join(f"<span style='color:#333'>{esc(x)}</span>" for x in small),
        xref="paper", x=0, xanchor="left", xshift=-(m["l"] - 12), yref="paper",
        y=-(m["b"] - m["footer"] + 4) / max(plot_h, 1), yanchor="top", align="left", showarrow=False,
        font={"size": IMAGE_SMALL_PX, "family": FONT}, name="footprint-credit")
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
