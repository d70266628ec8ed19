"""Chart images for newsrooms: the figure handed to the exporter carries its title, source line and credit, and
plotly's exporter (kaleido on Debian's Chromium, with the local map outlines) writes a PNG of the size asked for,
map included, and an SVG with the credit in it."""
from __future__ import annotations

import io
import shutil
import struct
from pathlib import Path

import pandas as pd
import pytest

from charts import budget as bc
from charts import maps
from charts.common import IMAGE_SIZES, image_figure, to_image

STATIC = str(Path(__file__).resolve().parent.parent / "static")
SOURCE = "Source: OMB Historical Tables, FY2027 edition (https://www.whitehouse.gov/omb/)"
CREDIT = "Footprint · https://example.org/cost?section=FY2024&lang=en"


def _fy() -> "bc.go.Figure":
    items = pd.DataFrame({"label": ["OMB 050 outlays", "Reported estimate"], "value_usd_m": [873500.0, 1500000.0],
                          "kind": ["official", "reported"], "note": ["", ""]})
    return bc.fy2024_comparison(items, title="FY2024: official vs reported")


def test_the_image_figure_carries_title_source_and_credit():
    fig = _fy()
    out = image_figure(fig, SOURCE, CREDIT, 1200, 675)
    text = out.layout.title.text
    assert text.startswith("<b>FY2024: official vs reported</b>") and "OMB Historical Tables" in text
    assert "Footprint · https://example.org/cost?section=FY2024&amp;lang=en" in text
    assert (out.layout.width, out.layout.height) == (1200, 675) and out.layout.margin.t > fig.layout.margin.t
    assert fig.layout.width is None  # the shared figure is not changed
    assert IMAGE_SIZES == {"png_wide": ("png", 1200, 675), "png_square": ("png", 1080, 1080), "svg": ("svg", 1200, 675)}


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
