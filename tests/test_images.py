"""Chart images for newsrooms: the figure handed to the exporter carries its title, source line and credit, and
plotly's exporter (kaleido on Debian's Chromium, with the local map outlines) writes a PNG of the size asked for,
map included, and an SVG with the credit in it."""
from __future__ import annotations

import io
import re
import shutil
import struct
from pathlib import Path

import pandas as pd
import pytest

from charts import budget as bc
from charts import maps
from charts.common import IMAGE_SIZES, image_figure, short_source_line, to_image

STATIC = str(Path(__file__).resolve().parent.parent / "static")
SOURCE = "Source: OMB Historical Tables, FY2027 edition (https://www.whitehouse.gov/omb/)"
CREDIT = "Footprint · https://example.org/cost?section=FY2024&lang=en"


def _fy() -> "bc.go.Figure":
    items = pd.DataFrame({"label": ["OMB 050 outlays", "Reported estimate"], "value_usd_m": [873500.0, 1500000.0],
                          "kind": ["official", "reported"], "note": ["", ""]})
    return bc.fy2024_comparison(items, title="FY2024: official vs reported")


def _credit_annotation(out):
    return next(a for a in out.layout.annotations if a.name == "footprint-credit")


def test_the_image_figure_carries_title_source_and_credit():
    fig = _fy()
    out = image_figure(fig, SOURCE, CREDIT, 1200, 675)
    assert out.layout.title.text == "<b>FY2024: official vs reported</b>"
    text = _credit_annotation(out).text
    assert "OMB Historical Tables" in text and "Footprint · https://example.org/cost?section=FY2024&amp;lang=en" in text
    assert (out.layout.width, out.layout.height) == (1200, 675) and out.layout.margin.autoexpand is False
    assert fig.layout.width is None and not fig.layout.annotations  # the shared figure is not changed
    assert IMAGE_SIZES == {"png_wide": ("png", 1200, 675), "png_square": ("png", 1080, 1080), "svg": ("svg", 1200, 675)}


def test_the_short_source_line_names_publishers_not_links():
    from export.common import load_sources

    known = load_sources()
    cited = ["elcorreo_2015_peru", "congreso_2018_summit_prl2607", "congreso_2023_rs23_prl5111", "larepublica_2025_rl13436",
             "dmdc", "dmdc", "dmdc"]
    line = short_source_line([known[s] for s in cited], "es")
    # official sources and data sets first (the most cited first), then the press; each publisher once, no URL
    dmdc = known["dmdc"].short_es.split(" (")[0]  # its Spanish caption without the authors
    assert dmdc.startswith("Informes de personal") and "troopdata" in dmdc
    assert line == f"Fuente: {dmdc}; Congreso de la República del Perú; El Correo; La República"
    assert "http" not in line
    many = short_source_line(list(known.values()), "es", limit=120)
    assert len(many) < 200 and re.search(r" y \d+ más, en la lista bajo el gráfico$", many)
    assert short_source_line([known["omb_hist"]], "en") == "Source: OMB Historical Tables, FY2027 edition"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()),
                    reason="kaleido renders with Debian's Chromium (scripts/test.sh installs it)")
def test_png_and_svg_render_at_the_size_asked_with_the_credit():
    from PIL import Image

    png = to_image(image_figure(_fy(), SOURCE, CREDIT, 1080, 1080), "png", 1080, 1080, STATIC)
    assert _png_size(png) == (1080, 1080)
    svg = to_image(image_figure(_fy(), SOURCE, CREDIT, 1200, 675), "svg", 1200, 675, STATIC).decode()
    assert "Footprint" in svg and "OMB Historical Tables" in svg and 'width="1200"' in svg
    year = pd.DataFrame({"map_iso3": ["JPN", "DEU"], "iso3": ["JPN", "DEU"], "name": ["Japan", "Germany"],
                         "active_duty": [53490.0, 36332.0], "report": ["September 2025"] * 2, "provenance": ["dmdc"] * 2})
    world = image_figure(maps.troop_map(year, "active_duty", title="US troops abroad, 2025"), SOURCE, CREDIT, 1200, 675)
    png = to_image(world, "png", 1200, 675, STATIC)
    assert _png_size(png) == (1200, 675)
    colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20)
    assert colours is not None and len(colours) > 50, "the map drew blank (its outline did not load)"


def test_image_renders_wait_their_turn(monkeypatch):
    """Twenty readers clicking "Download image" at once: every image is delivered, at most N rendered at once
    (each render holds a Chromium; twenty at once took 1.3 GB)."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from charts import common

    monkeypatch.setattr(common, "_RENDERS", threading.BoundedSemaphore(2))
    running, peak, lock = [0], [0], threading.Lock()

    def fake_render(fig_dict, opts, topojson=None, kopts=None):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return f"{opts['format']}-{opts['width']}x{opts['height']}".encode()

    import kaleido

    monkeypatch.setattr(kaleido, "calc_fig_sync", fake_render)
    with ThreadPoolExecutor(20) as pool:
        images = list(pool.map(lambda i: common.to_image(common.go.Figure(), "png", 1200, 675), range(20)))
    assert images == [b"png-1200x675"] * 20 and peak[0] == 2


def test_render_slots_follow_memory_or_the_environment():
    from charts.common import image_render_slots

    gib = 2**30
    assert image_render_slots({}, memory=1 * gib) == 1  # a 1 GiB pod: one at a time
    assert image_render_slots({}, memory=4 * gib) == 2
    assert image_render_slots({}, memory=8 * gib) == 4
    assert image_render_slots({}, memory=64 * gib) == 4  # never more than four
    assert image_render_slots({"FOOTPRINT_IMAGE_RENDERS": "3"}, memory=1 * gib) == 3
    assert image_render_slots({"FOOTPRINT_IMAGE_RENDERS": "zero"}, memory=1 * gib) == 1


# --- Every chart's image: its bands do not overlap and the plot keeps at least half the image -------------------

def _figures_of_every_view() -> dict[tuple[str, str], object]:
    """Every chart the views draw (each tab, both languages), as shown, keyed by (language, title)."""
    import json

    import plotly.graph_objects as go

    from prep import registry
    from tests.apputil import open_link

    out = {}
    for view in registry.VIEWS:
        for tab in view.tabs or (None,):
            for lang in ("en", "es"):
                at = open_link(view.module, timeout=90, lang=lang, **({"section": tab} if tab else {}))
                for chart in at.get("plotly_chart"):
                    spec = json.loads(chart.proto.spec)
                    fig = go.Figure(data=spec.get("data"), layout=spec.get("layout"))
                    out[(lang, str(fig.layout.title.text))] = fig
    return out


@pytest.fixture(scope="module")
def every_figure():
    return _figures_of_every_view()


def _lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def image_bands(out) -> dict[str, tuple[float, float]]:
    """Top and bottom (px from the image's top) of each band of an image figure, read from its layout: the plot
    area, the title, the figure's own text above the plot, the legend and the source/credit lines."""
    from charts import common as c

    W, H, m = out.layout.width, out.layout.height, out.layout.margin
    plot_h = H - m.t - m.b
    bands = {"plot": (m.t, H - m.b)}
    title = out.layout.title
    if title.text:
        top = (1 - title.y) * H
        bands["title"] = (top, top + _lines(title.text) * c.IMAGE_TITLE_LINE)
    above = [a for a in out.layout.annotations if a.yref == "paper" and a.y is not None and a.y >= 1]
    if above:
        bands["above"] = (min(m.t - (a.yshift or 0) - 16 * _lines(a.text) for a in above), m.t)
    credit = next(a for a in out.layout.annotations if a.name == "footprint-credit")
    top = m.t + (1 - credit.y) * plot_h
    bands["credit"] = (top, top + _lines(credit.text) * c.IMAGE_SMALL_LINE)
    if out.layout.showlegend is not False and c.legend_entries(out):
        bottom = (1 - out.layout.legend.y) * H
        bands["legend"] = (bottom - c.legend_row_count(out, W - 24) * c.LEGEND_ROW, bottom)
    return bands


@pytest.mark.parametrize("size", [(1200, 675), (1080, 1080)])
def test_every_charts_image_keeps_text_off_the_plot_and_the_plot_at_least_half(every_figure, size):
    from charts import common as c
    from export.common import load_sources

    known = load_sources()
    width, height = size
    assert len({title for _, title in every_figure}) >= 8 and {lang for lang, _ in every_figure} == {"en", "es"}
    for (lang, title), fig in every_figure.items():
        source = short_source_line(list(known.values()), lang)  # the longest line any chart could have
        credit = "Footprint · https://footprint.example.org/country?country=PER&section=Troops&lang=" + lang
        out = image_figure(fig, source, credit, width, height)
        where = f"{lang} {title!r} at {width}x{height}"
        m = out.layout.margin
        assert m.autoexpand is False, where  # the margins are what the bands below were computed for
        bands = image_bands(out)
        plot_top, plot_bottom = bands["plot"]
        plot_w = width - m.l - m.r
        assert plot_w * (plot_bottom - plot_top) >= 0.5 * width * height, (where, m)
        assert 0 <= bands["title"][0] and bands["title"][1] <= bands.get("above", bands["plot"])[0], (where, bands)
        below = plot_bottom + (28 if c._cartesian(fig) else 0)  # the x axis's tick labels
        if "legend" in bands:
            assert below <= bands["legend"][0] and bands["legend"][1] <= bands["credit"][0], (where, bands)
        assert below <= bands["credit"][0] and bands["credit"][1] <= height, (where, bands)
        if c._cartesian(fig):  # the y axis's tick labels fit in the left margin
            assert m.l >= c._label_px(c._axis_values(fig, "y"), True), where


def test_an_animations_image_is_its_first_year_named_in_the_title_without_controls():
    import plotly.graph_objects as go

    fig = go.Figure(go.Choropleth(locations=["DEU"], z=[1.0]), layout={
        "title": {"text": "US troops abroad, 1950-2025"},
        "sliders": [{"active": 0, "currentvalue": {"prefix": "Year: "}, "steps": [{"label": "1950"}, {"label": "1951"}]}],
        "updatemenus": [{"type": "buttons", "buttons": [{"label": "Play", "method": "animate"}]}]})
    out = image_figure(fig, SOURCE, CREDIT, 1200, 675)
    assert out.layout.title.text == "<b>US troops abroad, 1950-2025 · Year: 1950</b>"
    assert not out.layout.sliders and not out.layout.updatemenus
    assert fig.layout.sliders  # the shown figure keeps its controls


@pytest.mark.parametrize("lang, words", [("en", "Each image is prepared when you click"),
                                         ("es", "Cada imagen se prepara cuando hace clic")])
def test_the_image_menu_says_images_are_prepared_on_the_click_and_may_wait(lang, words):
    """Renders beyond image_render_slots() wait for a free one: the menu says an image takes a moment, longer
    under load, in the reader's language."""
    from tests.apputil import open_link

    at = open_link("app_pages/where.py", timeout=90, lang=lang)
    captions = [c.value for c in at.caption if words in c.value]
    assert len(captions) >= 1, [c.value for c in at.caption]
