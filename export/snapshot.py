"""The static snapshot: ``python -m export snapshot OUT/`` writes a dated, self-contained copy of the charts
readers embed, for any static host (docs/hosting.md):

    OUT/index.html                  every page, the data version and the build date
    OUT/snapshot.json               data version, build date, git commit, plotly.js version, the pages
    OUT/plotly.min.js               plotly.js, once for every page
    OUT/topojson/world_110m.json    the map outlines (and world_50m.json), once; the figure config's topojsonURL
    OUT/world-map.html + .csv       the world map with every year on a slider (and the data behind it)
    OUT/troops-*.html, outlays-*.html, budget-authority.html, sipri-YEAR.html, fy2024.html (+ .csv each)
    OUT/country/ISO3.html + .csv    each place's troop history (every place with a troop figure)

Each page has the chart's title, its source line (from sources.yaml, as the app's captions), a link to the CSV
of the data behind it (written by the app's CSV writer, formulas neutralised) and a citation (title, Footprint,
the page's URL, date accessed, data version, git commit). No page makes a request outside OUT: plotly.js and the
outlines are files beside the pages; links to the sources are plain links.

The figures come from prep/views.py, the same functions the app's pages use.

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
from plotly.offline import get_plotlyjs

import loaders
from app_pages.export import to_csv_bytes
from charts import maps
from charts.common import MEASURE_LABELS
from prep import views

from .common import (ExportError, data_dir, data_version, git_commit, load_deployment_frame, load_sources,
                     load_tables, source_line)

TOPO_DIR = "topojson"
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
"""

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
            parts.append(f'<a href="{_e(src.url)}" rel="noopener noreferrer">{_e(src.caption)}</a> ({_e(src.url)})')
        else:
            parts.append(f"{_e(src.caption)} ({_e(src.url)})")
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
        div = pio.to_html(fig, full_html=False, include_plotlyjs=f"{up}plotly.min.js" if depth else "directory",
                          config=config, default_width="100%", default_height=f"{height}px", validate=False,
                          div_id="chart")
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
</head>
<body>
<main>
<p class="brand">{_e(BRAND)}</p>
<h1>{_e(title)}</h1>
<div class="chart">{div}</div>
<p class="caption">Source: {_source_html(sources, self.known)}.{(" " + _e(note.rstrip(".")) + ".") if note else ""}</p>
<p><a href="{_e(csv_rel.rsplit("/", 1)[-1])}" download>Download the data behind this chart (CSV)</a></p>
<section class="cite">
<h2>Cite this chart</h2>
<p>“{_e(title)}”, Footprint, <span id="fp-url" data-fixed="{1 if self.base_url else 0}">{_e(url)}</span>,
accessed <span id="fp-accessed">{date}</span>. Static snapshot of {date}; data version {_e(self.version)}{commit}.</p>
</section>
<footer><p><a href="{up}index.html">All charts in this snapshot</a> · built {date} · data version {_e(self.version)}</p></footer>
</main>
{CITE_SCRIPT}
</body>
</html>
"""
        data = doc.encode("utf-8")
        (self.root / rel).write_bytes(data)
        p = Page(rel, title, group, csv_rel, [s for s in dict.fromkeys(x for x in sources if isinstance(x, str))],
                 len(data), len(csv_bytes), geo)
        self.pages.append(p)
        return p

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


GROUPS = ("World map", "Troops over time", "What it costs", "Country profiles")


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

    (root / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    shutil.copyfile(loaders.PROJECT_DIR / "static" / "favicon.png", root / "favicon.png")  # no 404 for the icon
    (root / TOPO_DIR).mkdir()
    for name in TOPO_FILES:
        shutil.copyfile(loaders.PROJECT_DIR / "static" / name, root / TOPO_DIR / name)

    methods = views.methods(annual)
    # --- the world map, every year on a slider
    years, _ = views.years_and_measures(annual)
    shown, shown_sources = views.all_years(annual, "active_duty")
    b.page("world-map.html", views.troop_animation(annual, "active_duty"), f"US troops abroad, {years[0]}-{years[-1]}",
           GROUPS[0], shown, shown_sources + ["natural_earth_topojson"], geo=True,
           note=f"Shown: {MEASURE_LABELS['active_duty']}. No colour = no figure reported, never zero. Press Play or "
                f"drag the slider for another year. Annual method: {methods}. Abroad only: US states and territories "
                "are not shown")
    # --- troops over time
    for view, rel in (("total", "troops-total.html"), ("region", "troops-by-region.html")):
        tv = views.troops_over_time(annual, view)
        b.page(rel, tv["fig"], tv["fig"].layout.title.text, GROUPS[1], tv["series_df"], list(tv["sources"]),
               note=f"Annual method: {tv['methods']}. {views.WARS_NOTE}")
    # --- budgets
    omb = views.omb_prepared(tables["budget_omb"])["omb"]
    for label, rel in (("Current dollars", "outlays-current.html"), ("Constant FY2017 dollars", "outlays-constant.html"),
                       ("Percent of GDP", "outlays-percent-gdp.html")):
        ov = views.omb_view(omb, views.OMB_UNITS[label], ("national_defense",), label)
        if not ov["shown"].empty:
            b.page(rel, ov["fig"], f"Outlays, {label}", GROUPS[2], ov["shown"], list(ov["sources"]), note=views.omb_note(ov))
    gv = views.gb_view(tables["budget_greenbook"], "title", "current", "Current dollars")
    if not gv["sel"].empty:
        b.page("budget-authority.html", gv["fig"], "DoD budget authority, Current dollars", GROUPS[2], gv["sel"],
               list(gv["sources"]), note=views.gb_note(gv))
    syear = views.sipri_latest_year(tables["sipri"])
    sv = views.sipri_view(views.our_names(tables["sipri"]), syear, "current_usd_m", "Current dollars")
    if sv["fig"] is not None:
        b.page(f"sipri-{syear}.html", sv["fig"], f"SIPRI {syear}: Current dollars", GROUPS[2], sv["sel"],
               list(sv["sel"]["source_id"].unique()), note=views.sipri_note(sv["sel"]))
    fy = views.fy2024(omb, tables["reported_figures"])
    if fy is not None:
        b.page("fy2024.html", fy["fig"], "FY2024: official vs reported", GROUPS[2], fy["frame"],
               list(fy["frame"]["source_id"].unique()),
               note="The reported figure is a broader estimate cited in an opinion article, not an official figure, "
                    "and not comparable line by line with OMB outlays")
    # --- each place's troop history
    for code in codes:
        hv = views.country_history(annual, code)
        if not hv["has"]:
            continue
        name = views.entity(code)[0]
        latest, peak = hv["latest"], hv["peak"]
        b.page(f"country/{code}.html", hv["fig"], f"Active-duty US troops in {name}, by year", GROUPS[3], hv["hist"],
               list(hv["hist"]["source_id"].unique()),
               note=f"Latest: {int(latest['active_duty']):,} ({latest['report']}); peak: {int(peak['active_duty']):,} "
                    f"({int(peak['year'])}). Annual method: {hv['methods']}")
    b.index(list(GROUPS))
    meta = {"title": "Footprint static snapshot", "built": built.isoformat(), "build_date": built.date().isoformat(),
            "data_version": version, "git_commit": commit, "plotly_py": plotly.__version__,
            "base_url": base_url or None, "pages": [asdict(p) for p in b.pages]}
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
        deps = [p["path"], "plotly.min.js"] + ([f"{TOPO_DIR}/world_110m.json"] if p["geo"] else [])
        pages[p["path"]] = {"raw": sum((out / d).stat().st_size for d in deps), "gzip": sum(gzsize(d) for d in deps),
                            "html": p["bytes_html"], "csv": p["bytes_csv"]}
    return {"files": sum(1 for p in out.rglob("*") if p.is_file()), "bytes_on_disk": total, "pages": pages,
            "plotly_min_js": (out / "plotly.min.js").stat().st_size}
