"""The static snapshot: ``python -m export snapshot OUT/`` writes a dated, self-contained copy of the charts
readers embed, for any static host (docs/hosting.md):

    OUT/index.html                  every page, the data version and the build date
    OUT/snapshot.json               data version, build date, git commit, plotly.js version, the pages
    OUT/plotly-basic.min.js         plotly.js for the line and bar pages, once for every page (a partial bundle,
    OUT/plotly-geo.min.js           and the one with maps: export/vendor/README.md; plotly.min.js instead if needed)
    OUT/topojson/world_110m.json    the map outlines (and world_50m.json), once; the figure config's topojsonURL
    OUT/world-map.html + .csv       the world map with every year on a slider (and the data behind it)
    OUT/troops-*.html, outlays-*.html, budget-authority.html, sipri-YEAR.html, fy2024.html (+ .csv each)
    OUT/country/ISO3.html + .csv    each place's troop history (every place with a troop figure)
    OUT/api/v1/...json + .csv       the data API's resources and openapi.json, byte for byte what the live app
                                    answers at the same paths without query parameters (export/api.py)

Each page has the chart's title, its source line (from sources.yaml, as the app's captions), a link to the CSV
of the data behind it (written by the app's CSV writer, formulas neutralised) and a citation (title, Footprint,
the page's URL, date accessed, data version, git commit). No page makes a request outside OUT: plotly.js and the
outlines are files beside the pages; links to the sources are plain links.

The figures come from prep/views.py, the same functions the app's pages use.

Speed (docs/performance.md, "Snapshot"): each page loads the smallest plotly.js bundle that has its trace types
(about a quarter of the full one to parse); the figure is inline JSON read by JSON.parse; the world map's outline
is fetched while plotly.js loads, and its 76 animation frames (two thirds of the page) are parsed and added after
the first year is drawn. The map opens at the year named in its address (``world-map.html#2023``).

The snapshot is built in a temporary folder beside OUT and renamed to OUT at the end: OUT must not exist or be
empty, and on any failure it is left as it was.
"""
from __future__ import annotations

import datetime as _dt
import html
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import plotly
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs, get_plotlyjs_version

import loaders
from charts import maps
from charts.common import MEASURE_LABELS
from prep import registry, views

from .common import ExportError, data_dir, data_version, git_commit, load_sources, load_tables
from .csvfile import to_csv_bytes

TOPO_DIR = "topojson"
VENDOR = Path(__file__).resolve().parent / "vendor"
FULL_JS = "plotly.min.js"
# plotly.js partial bundles (export/vendor/README.md) and the trace types each one registers, smallest first
BUNDLES = (("plotly-basic.min.js", frozenset({"scatter", "bar", "pie"})),
           ("plotly-geo.min.js", frozenset({"scatter", "scattergeo", "choropleth"})))
TOPO_FILES = ("world_110m.json", "world_50m.json")
BRAND = "Footprint · the US military abroad, every figure with its source"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                                            "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian",
                                            "hoverClosestGeo", "pan", "select", "lasso"]}

CSS = """
body {font-family: "Source Sans Pro", Helvetica, Arial, sans-serif; color: #1a1a1a; margin: 0; background: #fff;}
main {max-width: 70rem; margin: 0 auto; padding: 1rem 1rem 2rem;}
.brand {font-size: 0.8rem; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; color: #8c1c13;
        margin: 0;}
h1 {font-size: 1.6rem; margin: 0.3rem 0 0.8rem;}
h2 {font-size: 1.1rem; margin: 1.2rem 0 0.3rem;}
.caption, .cite, footer {color: #4f535b; font-size: 0.9rem; line-height: 1.45;}
a {color: #1f4e9c;}
.chart {width: 100%;}
ul.pages {columns: 16rem; padding-left: 1.1rem;}
@media (max-width: 640px) { main {padding: 0.5rem 0.6rem;} h1 {font-size: 1.3rem;} .modebar-container {display: none !important;} }
.open-page {display: none;}
/* in an article's iframe (FRAMED_SCRIPT): the chart, its title and source line, the CSV and a link to the full page
   (citation, every chart); the sources' raw addresses, the citation block and the footer stay on the page itself */
.framed main {padding-top: 0.3rem; padding-bottom: 0.3rem;}
.framed .cite, .framed footer, .framed .caption .url {display: none;}
.framed .open-page {display: block;}
.framed p {margin: 0.4rem 0;}
@media (max-width: 640px) { .framed .caption .note {display: none;} }  /* the method note: on the page itself */
"""
# Marks the page as shown inside an iframe (an article's embed) before it is drawn.
FRAMED_SCRIPT = """<script>try { if (window.self !== window.top) { document.documentElement.className += " framed"; } } catch (e) { document.documentElement.className += " framed"; }</script>"""

# Inside an article's iframe the page tells the article its height (a message with {"footprint": "height"}), and
# the embed box's code resizes its iframe to it (ui.snapshot_code): the frame fits the page at every width, with
# no blank band under a phone's shorter map and nothing cut. The iframe's own height attribute stays as the
# fallback where an article strips scripts. Only a number leaves the page.
HEIGHT_SCRIPT = """<script>
(function () {
  if (window.self === window.top || !window.parent || !window.parent.postMessage) { return; }
  var last = 0;
  function tell() {
    var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h > 0 && h !== last) { last = h; window.parent.postMessage({footprint: "height", height: h}, "*"); }
  }
  if (window.ResizeObserver) { new ResizeObserver(tell).observe(document.documentElement); }
  window.addEventListener("load", tell);
  tell();
})();
</script>"""

CITE_SCRIPT = """<script>
(function () {
  var u = document.getElementById("fp-url"), d = document.getElementById("fp-accessed");
  if (u && u.dataset.fixed !== "1" && /^https?:/.test(location.protocol)) { u.textContent = location.href.split("#")[0].split("?")[0]; }
  if (d) { d.textContent = new Date().toISOString().slice(0, 10); }
})();
</script>"""


@dataclass
class Page:
    path: str  # relative to OUT, e.g. "country/PER.html"
    title: str  # the chart's title
    group: str  # the index's section
    csv: str = ""  # relative to OUT
    sources: list[str] = field(default_factory=list)
    bytes_html: int = 0
    bytes_csv: int = 0
    geo: bool = False
    js: str = FULL_JS  # the plotly.js file the page loads


def _vendored_version(name: str) -> str | None:
    """The plotly.js version in a vendored bundle's header ("plotly.js (basic - minified) v4.1.1")."""
    import re

    try:
        with open(VENDOR / name, encoding="utf-8") as f:
            m = re.search(r"plotly\.js \([^)]*\) v(\d+\.\d+\.\d+)", f.read(400))
    except OSError:
        return None
    return m.group(1) if m else None


def _json_html(obj) -> str:
    """JSON for a <script type="application/json"> block: no "<" can close the block or open a comment."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def _js(text: str) -> str:
    return json.dumps(text).replace("<", "\\u003c")


# Draws the page's chart: the figure and config from their JSON blocks; on the world map the year named in the
# address (#2023) is drawn first, the animation frames are added after the first draw, and a later #YEAR moves
# the slider there. Plotly.newPlot waits for the outline fetched in the head (window.fpTopo) on map pages.
DRAW_SCRIPT = """<script>
(function () {
  var el = document.getElementById("chart");
  var fig = JSON.parse(document.getElementById("fp-figure").textContent);
  var config = JSON.parse(document.getElementById("fp-config").textContent);
  var block = document.getElementById("fp-frames"), frames = null;
  function wanted() { return decodeURIComponent(location.hash.replace(/^#/, "")); }
  function step(name) {
    var s = (fig.layout.sliders || [])[0];
    if (!s) { return -1; }
    for (var i = 0; i < s.steps.length; i++) { if (s.steps[i].label === name) { return i; } }
    return -1;
  }
  if (fig.layout.geo && el.clientWidth < 640) {
    // a phone: the world is about half as tall as it is wide; the chart keeps its margins (title and colour bar
    // above, slider and Play below) and loses the empty band a desktop's height leaves around the map
    var m = fig.layout.margin || {}, h = Math.round(el.clientWidth * 0.55) + (m.t || 80) + (m.b || 80);
    if (!fig.layout.height || h < fig.layout.height) { fig.layout.height = h; el.style.height = h + "px"; }
  }
  if (el.clientWidth < 640) {
    // a phone: the x axis's title ran into a legend below the axis, and a value written after the longest bar
    // ran out of the chart
    if (fig.layout.xaxis && fig.layout.xaxis.title && fig.layout.legend && fig.layout.legend.orientation === "h") {
      fig.layout.xaxis.title.text = "";
    }
    if (fig.data.some(function (d) { return d.type === "bar" && d.orientation === "h" && d.text; })) {
      fig.layout.margin = Object.assign({}, fig.layout.margin || {});
      fig.layout.margin.r = Math.max(fig.layout.margin.r || 0, 48);
    }
  }
  if (block && wanted()) {
    frames = JSON.parse(block.textContent);
    var f = frames.filter(function (x) { return x.name === wanted(); })[0];
    if (f) {
      fig.data = fig.data.map(function (d, k) { return Object.assign({}, d, (f.data || [])[k] || {}); });
      if (f.layout) { Object.assign(fig.layout, f.layout); }
      if (step(f.name) >= 0) { fig.layout.sliders[0].active = step(f.name); }
    }
  }
  Promise.resolve(window.fpTopo).then(function () {
    return Plotly.newPlot(el, fig.data, fig.layout, config);
  }).then(function () {
    if (!block) { return; }
    setTimeout(function () {
      Plotly.addFrames(el, frames || JSON.parse(block.textContent));
      window.addEventListener("hashchange", function () {
        if (step(wanted()) >= 0) {
          Plotly.animate(el, [wanted()], {frame: {duration: 0, redraw: true}, transition: {duration: 0},
                                          mode: "immediate"});
        }
      });
    }, 0);
  });
})();
</script>"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def _source_html(ids, known) -> str:
    """The source line as HTML: each source's caption linked to its URL (escaped), unknown ids named."""
    parts = []
    for sid in dict.fromkeys(s for s in ids if isinstance(s, str) and s):
        src = known.get(sid)
        if src is None:
            parts.append(_e(f"{sid} (source block missing from sources.yaml)"))
        elif src.url.startswith(("https://", "http://")):
            parts.append(f'<a href="{_e(src.url)}" target="_blank" rel="noopener noreferrer">{_e(src.caption)}</a>'
                         f'<span class="url"> ({_e(src.url)})</span>')
        else:
            parts.append(f'{_e(src.caption)}<span class="url"> ({_e(src.url)})</span>')
    return "; ".join(parts) or "not recorded"


class Builder:
    def __init__(self, root: Path, known, version: str, commit: str | None, built: _dt.datetime,
                 base_url: str | None):
        self.root, self.known, self.version, self.commit = root, known, version, commit
        self.built, self.base_url = built, (base_url.rstrip("/") if base_url else None)
        self.pages: list[Page] = []

    def page(self, rel: str, fig, title: str, group: str, frame: pd.DataFrame, sources, note: str = "",
             geo: bool = False) -> Page:
        depth = rel.count("/")
        up = "../" * depth
        csv_rel = rel[:-5] + ".csv"
        csv_bytes = to_csv_bytes(frame)
        (self.root / csv_rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / csv_rel).write_bytes(csv_bytes)
        config = dict(PLOTLY_CONFIG)
        if geo:
            config["topojsonURL"] = f"{up}{TOPO_DIR}/"
            # Outside Streamlit the figure keeps plotly's default template, whose geo has showlakes=True; the
            # shipped outlines have no lakes, rivers or subunits layers (static/README.md), and plotly.js then
            # fails to draw the map at all ("Cannot read properties of undefined (reading 'type')").
            fig = go.Figure(fig).update_geos(showlakes=False, showrivers=False, showsubunits=False)
        height = fig.layout.height or (maps.ANIMATION_HEIGHT if geo else 460)
        spec = json.loads(pio.to_json(fig, validate=False))
        # the page's h1 is the chart's title: plotly's own copy of it was drawn twice (and clipped on a phone)
        layout = spec.setdefault("layout", {})
        if isinstance(layout.get("title"), dict) and layout["title"].get("text"):
            layout["title"]["text"] = ""
            if isinstance(layout.get("margin"), dict) and layout["margin"].get("t", 0) >= 60:
                layout["margin"]["t"] -= 28  # the title's band
        frames = spec.pop("frames", None) or []
        if frames:
            # The frames' traces carry another colour bar (at the foot, where the Play buttons and the slider are:
            # they overlapped on a phone) than the figure's, set after the frames were built (charts/maps.py);
            # one colour bar for every year: the figure's.
            for f in frames:
                for d, base in zip(f.get("data", []), spec["data"]):
                    if "colorbar" in base:
                        d.pop("colorbar", None)
            # Open on the latest year, as the app's map does (plotly's own page played every year from the first
            # on load): the last frame's traces drawn first, its slider step active.
            last = frames[-1]
            spec["data"] = [{**d, **f} for d, f in zip(spec["data"], last.get("data", []))] + spec["data"][len(last.get("data", [])):]
            for s in spec.get("layout", {}).get("sliders", [])[:1]:
                s["active"] = next((i for i, st in enumerate(s.get("steps", [])) if st.get("label") == last.get("name")),
                                   s.get("active", 0))
        js = self.bundle_for(spec.get("data", []) + [d for f in frames for d in f.get("data", [])])
        head_js = ""
        if geo:
            # Fetch the outline while plotly.js loads (plotly would ask for it only once it runs and draws), and
            # hand it over in plotly's own cache (window.PlotlyGeoAssets.topojson[name]); if this fetch fails,
            # plotly fetches the file itself as before.
            geo_layout = spec.get("layout", {}).get("geo", {})
            topo = f"{geo_layout.get('scope', 'world')}_{geo_layout.get('resolution', 110)}m"
            head_js = (f'<script>window.fpTopo = fetch({_js(f"{up}{TOPO_DIR}/{topo}.json")}).then(function (r) {{ '
                       f'return r.ok ? r.json() : null; }}).then(function (j) {{ if (j) {{ var a = window.PlotlyGeoAssets'
                       f' = window.PlotlyGeoAssets || {{topojson: {{}}}}; a.topojson[{_js(topo)}] = j; }} }}, '
                       f'function () {{}});</script>\n')
        div = (f'<div id="chart" class="plotly-graph-div" style="height:{int(height)}px; width:100%;"></div>\n'
               f'<script src="{up}{js}"></script>\n'
               f'<script type="application/json" id="fp-figure">{_json_html(spec)}</script>\n'
               f'<script type="application/json" id="fp-config">{_json_html(config)}</script>\n'
               + (f'<script type="application/json" id="fp-frames">{_json_html(frames)}</script>\n' if frames else "")
               + DRAW_SCRIPT)
        url = f"{self.base_url}/{rel}" if self.base_url else rel
        date = self.built.date().isoformat()
        commit = f", commit {_e(self.commit[:12])}" if self.commit else ""
        doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} · Footprint</title>
<link rel="icon" href="{up}favicon.png">
<style>{CSS}</style>
{FRAMED_SCRIPT}
{head_js}</head>
<body>
<main>
<p class="brand">{_e(BRAND)}</p>
<h1>{_e(title)}</h1>
<div class="chart">{div}</div>
<p class="caption">Source: {_source_html(sources, self.known)}.{('<span class="note"> ' + _e(note.rstrip(".")) + ".</span>") if note else ""}</p>
<p><a href="{_e(csv_rel.rsplit("/", 1)[-1])}" download>Download the data behind this chart (CSV)</a></p>
<p class="open-page"><a href="{_e(rel.rsplit("/", 1)[-1])}" target="_blank" rel="noopener">Footprint: this chart's page, with its citation and the sources' addresses</a></p>
<section class="cite">
<h2>Cite this chart</h2>
<p>“{_e(title)}”, Footprint, <span id="fp-url" data-fixed="{1 if self.base_url else 0}">{_e(url)}</span>,
accessed <span id="fp-accessed">{date}</span>. Static snapshot of {date}; data version {_e(self.version)}{commit}.</p>
</section>
<footer><p><a href="{up}index.html" target="_blank" rel="noopener">All charts in this snapshot</a> · built {date} · data version {_e(self.version)}</p></footer>
</main>
{CITE_SCRIPT}
{HEIGHT_SCRIPT}
</body>
</html>
"""
        data = doc.encode("utf-8")
        (self.root / rel).write_bytes(data)
        p = Page(rel, title, group, csv_rel, [s for s in dict.fromkeys(x for x in sources if isinstance(x, str))],
                 len(data), len(csv_bytes), geo, js)
        self.pages.append(p)
        return p

    def bundle_for(self, traces: list[dict]) -> str:
        """The smallest plotly.js bundle that draws these traces (written into OUT the first time it is used):
        a vendored partial bundle of the same version as the Python package's plotly.js, else the full one."""
        types = {d.get("type", "scatter") for d in traces}
        for name, has in BUNDLES:
            if types <= has and _vendored_version(name) == get_plotlyjs_version():
                break
        else:
            name = FULL_JS
        if not (self.root / name).exists():
            if name == FULL_JS:
                (self.root / name).write_text(get_plotlyjs(), encoding="utf-8")
            else:
                shutil.copyfile(VENDOR / name, self.root / name)
        return name

    def index(self, groups: list[str]) -> None:
        date = self.built.date().isoformat()
        parts = []
        for g in groups:
            items = "".join(f'<li><a href="{_e(p.path)}">{_e(p.title)}</a> (<a href="{_e(p.csv)}" download>CSV</a>)</li>'
                            for p in self.pages if p.group == g)
            if items:
                parts.append(f"<h2>{_e(g)}</h2><ul class=\"pages\">{items}</ul>")
        commit = f"; commit {_e(self.commit[:12])}" if self.commit else ""
        doc = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Footprint: static snapshot of {date}</title>
<link rel="icon" href="favicon.png">
<style>{CSS}</style>
</head>
<body>
<main>
<p class="brand">{_e(BRAND)}</p>
<h1>Static snapshot of {date}</h1>
<p>{len(self.pages)} charts of the Footprint dashboard, each on its own page with its source, the data behind it
(CSV) and a citation. Data version {_e(self.version)}{commit}; built {_e(self.built.isoformat(timespec="seconds"))}
(<a href="snapshot.json">snapshot.json</a>).</p>
{"".join(parts)}
</main>
</body>
</html>
"""
        (self.root / "index.html").write_text(doc, encoding="utf-8")


def groups() -> list[str]:
    """The index's headings, one per view with snapshot pages (prep/registry.py), in the navigation's order."""
    return list(registry.snapshot_groups())


def _countries_option(annual: pd.DataFrame, countries) -> list[str]:
    allowed = views.countries_with_troops(annual)
    if countries is None:
        return allowed
    if isinstance(countries, int):
        return allowed[:max(0, countries)]
    chosen = [str(c).strip().upper() for c in countries if str(c).strip()]
    unknown = [c for c in chosen if c not in allowed]
    if unknown:
        raise ExportError(f"no troop figure for {', '.join(unknown)} (countries are ISO codes as in troops_annual.csv, "
                          "e.g. DEU,JPN,PER)")
    return [c for c in allowed if c in chosen]  # in the index's order (by name)


def write_pages(root: Path, countries=None, base_url: str | None = None, built: _dt.datetime | None = None,
                folder: Path | None = None) -> dict:
    """Write every page into the (new, empty) folder ``root``; returns snapshot.json's content."""
    folder = Path(folder or data_dir())
    built = built or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    tables = load_tables(folder)
    known = load_sources(folder)
    version = data_version(folder)
    commit = git_commit()
    annual = tables["troops_annual"]
    codes = _countries_option(annual, countries)
    b = Builder(root, known, version, commit, built, base_url)

    shutil.copyfile(loaders.PROJECT_DIR / "static" / "favicon.png", root / "favicon.png")  # no 404 for the icon
    (root / TOPO_DIR).mkdir()
    for name in TOPO_FILES:
        shutil.copyfile(loaders.PROJECT_DIR / "static" / name, root / TOPO_DIR / name)

    group = {v.path: v.snapshot_group for v in registry.VIEWS}  # each page's heading in the index
    methods = views.methods(annual)
    # --- the world map, every year on a slider
    years, _ = views.years_and_measures(annual)
    shown, shown_sources = views.all_years(annual, "active_duty")
    b.page("world-map.html", views.troop_animation(annual, "active_duty"), f"US troops abroad, {years[0]}-{years[-1]}",
           group["where"], shown, shown_sources + ["natural_earth_topojson"], geo=True,
           note=f"Shown: {MEASURE_LABELS['active_duty']}. No colour = no figure reported, never zero. Press Play or "
                f"drag the slider for another year. Annual method: {methods}. Abroad only: US states and territories "
                "are not shown")
    # --- troops over time
    for view, rel in (("total", "troops-total.html"), ("region", "troops-by-region.html")):
        tv = views.troops_over_time(annual, view)
        b.page(rel, tv.fig, tv.fig.layout.title.text, group["when"], tv.series_df, list(tv.sources),
               note=f"Annual method: {tv.methods}. {views.WARS_NOTE}")
    # --- budgets
    omb = views.omb_prepared(tables["budget_omb"]).omb
    for label, rel in (("Current dollars", "outlays-current.html"), ("Constant FY2017 dollars", "outlays-constant.html"),
                       ("Percent of GDP", "outlays-percent-gdp.html")):
        ov = views.omb_view(omb, views.OMB_UNITS[label], ("national_defense",), label)
        if not ov.shown.empty:
            b.page(rel, ov.fig, f"Outlays, {label}", group["cost"], ov.shown, list(ov.sources), note=views.omb_note(ov))
    gv = views.gb_view(tables["budget_greenbook"], "title", "current", "Current dollars")
    if not gv.sel.empty:
        b.page("budget-authority.html", gv.fig, "DoD budget authority, Current dollars", group["cost"], gv.sel,
               list(gv.sources), note=views.gb_note(gv))
    syear = views.sipri_latest_year(tables["sipri"])
    sv = views.sipri_view(views.our_names(tables["sipri"]), syear, "current_usd_m", "Current dollars")
    if sv.fig is not None:
        b.page(f"sipri-{syear}.html", sv.fig, f"SIPRI {syear}: Current dollars", group["cost"], sv.sel,
               list(sv.sel["source_id"].unique()), note=views.sipri_note(sv.sel))
    fy = views.fy2024(omb, tables["reported_figures"])
    if fy is not None:
        b.page("fy2024.html", fy.fig, "FY2024: official vs reported", group["cost"], fy.frame,
               list(fy.frame["source_id"].unique()),
               note="The reported figure is a broader estimate cited in an opinion article, not an official figure, "
                    "and not comparable line by line with OMB outlays")
    # --- each place's troop history
    for code in codes:
        hv = views.country_history(annual, code)
        if not hv.has:
            continue
        name = views.entity(code)[0]
        latest, peak = hv.latest, hv.peak
        b.page(f"country/{code}.html", hv.fig, f"Active-duty US troops in {name}, by year", group["country"], hv.hist,
               list(hv.hist["source_id"].unique()),
               note=f"Latest: {int(latest['active_duty']):,} ({latest['report']}); peak: {int(peak['active_duty']):,} "
                    f"({int(peak['year'])}). Annual method: {hv.methods}")
    b.index(groups())
    # --- the data API's resources at the paths the live app serves them (export/api.py)
    from . import api

    api_files = api.snapshot_files(codes if countries is not None else None, folder)
    for rel, body in api_files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    meta = {"title": "Footprint static snapshot", "built": built.isoformat(), "build_date": built.date().isoformat(),
            "data_version": version, "git_commit": commit, "plotly_py": plotly.__version__,
            "plotly_js": get_plotlyjs_version(), "plotly_js_files": sorted({p.js for p in b.pages}),
            "base_url": base_url or None, "pages": [asdict(p) for p in b.pages], "api_files": len(api_files)}
    (root / "snapshot.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    return meta


def check_target(out: Path) -> Path:
    """The parent folder the snapshot will be built in; ExportError when OUT cannot take a snapshot."""
    out = Path(out)
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise ExportError(f"{out} exists and is not a folder; choose a new folder")
        if any(out.iterdir()):
            raise ExportError(f"{out} exists and is not empty; choose a new folder or empty it first")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {out}: its parent folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {out}: its parent folder {parent} is not writable")
    return parent


def build(out: Path, countries=None, base_url: str | None = None, built: _dt.datetime | None = None,
          folder: Path | None = None) -> dict:
    """Write the snapshot into ``out`` (see the module docstring). Raises ExportError (OUT left as it was) for
    an OUT that exists and is not empty, or cannot be written, or an unknown country."""
    out = Path(out)
    parent = check_target(out)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc} in {parent}") from None
    try:
        t0 = time.perf_counter()
        meta = write_pages(tmp, countries, base_url, built, folder)
        meta["build_seconds"] = round(time.perf_counter() - t0, 2)
        check_target(out)  # still empty or absent: nothing appeared while we built
        os.chmod(tmp, 0o755)
        os.replace(tmp, out) if not out.exists() else (out.rmdir(), os.replace(tmp, out))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return meta


def sizes(out: Path) -> dict:
    """What the snapshot costs: bytes on disk, and per page the bytes a first visit loads (the page, plotly.min.js,
    and for the map its outline), raw and gzipped (as a static host would send them)."""
    import gzip

    out = Path(out)
    meta = json.loads((out / "snapshot.json").read_text(encoding="utf-8"))
    gz = {}

    def gzsize(rel: str) -> int:
        if rel not in gz:
            gz[rel] = len(gzip.compress((out / rel).read_bytes(), 6))
        return gz[rel]

    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    pages = {}
    for p in meta["pages"]:
        deps = [p["path"], p.get("js", FULL_JS)] + ([f"{TOPO_DIR}/world_110m.json"] if p["geo"] else [])
        pages[p["path"]] = {"raw": sum((out / d).stat().st_size for d in deps), "gzip": sum(gzsize(d) for d in deps),
                            "html": p["bytes_html"], "csv": p["bytes_csv"]}
    return {"files": sum(1 for p in out.rglob("*") if p.is_file()), "bytes_on_disk": total, "pages": pages,
            "js": {name: (out / name).stat().st_size for name in meta.get("plotly_js_files", [FULL_JS])}}
