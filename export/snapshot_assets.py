"""What the snapshot ships beside its pages: plotly.js (the smallest bundle a page's traces need), the map
outlines and the favicon, and the style and scripts each page carries inline (export/static/)."""
from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

from plotly.offline import get_plotlyjs, get_plotlyjs_version

import loaders

TOPO_DIR = "topojson"
VENDOR = Path(__file__).resolve().parent / "vendor"
STATIC = Path(__file__).resolve().parent / "static"
FULL_JS = "plotly.min.js"
# plotly.js partial bundles (export/vendor/README.md) and the trace types each one registers, smallest first
BUNDLES = (("plotly-basic.min.js", frozenset({"scatter", "bar", "pie"})),
           ("plotly-geo.min.js", frozenset({"scatter", "scattergeo", "choropleth"})))
TOPO_FILES = ("world_110m.json", "world_50m.json")
# The scripts every chart page runs, inline: a page must draw without a request of its own beyond plotly.js and
# the outline, and the framed and height scripts must run before the first paint
SCRIPTS = ("framed", "draw", "cite", "height")


@cache
def static_text(name: str) -> str:
    """One of export/static/'s files (read once per process)."""
    return (STATIC / name).read_text(encoding="utf-8")


def scripts() -> dict[str, str]:
    """The inline scripts by name (export/static/NAME.js)."""
    return {name: static_text(f"{name}.js") for name in SCRIPTS}


def vendored_version(name: str) -> str | None:
    """The plotly.js version in a vendored bundle's header ("plotly.js (basic - minified) v4.1.1")."""
    try:
        with open(VENDOR / name, encoding="utf-8") as f:
            m = re.search(r"plotly\.js \([^)]*\) v(\d+\.\d+\.\d+)", f.read(400))
    except OSError:
        return None
    return m.group(1) if m else None


def bundle_for(root: Path, traces: list[dict]) -> str:
    """The smallest plotly.js bundle that draws these traces (written into ``root`` the first time it is used):
    a vendored partial bundle of the same version as the Python package's plotly.js, else the full one."""
    types = {d.get("type", "scatter") for d in traces}
    for name, has in BUNDLES:
        if types <= has and vendored_version(name) == get_plotlyjs_version():
            break
    else:
        name = FULL_JS
    if not (root / name).exists():
        if name == FULL_JS:
            (root / name).write_text(get_plotlyjs(), encoding="utf-8")
        else:
            shutil.copyfile(VENDOR / name, root / name)
    return name


def copy_shared(root: Path) -> None:
    """The favicon (no 404 for the icon) and the map outlines, once for every page."""
    static = loaders.PROJECT_DIR / "static"
    shutil.copyfile(static / "favicon.png", root / "favicon.png")
    (root / TOPO_DIR).mkdir()
    for name in TOPO_FILES:
        shutil.copyfile(static / name, root / TOPO_DIR / name)
