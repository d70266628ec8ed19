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

Speed (docs/performance.md, "The static snapshot"): each page loads the smallest plotly.js bundle that has its
trace types (about a quarter of the full one to parse); the figure is inline JSON read by JSON.parse; the world
map's outline is fetched while plotly.js loads, and its 76 animation frames (two thirds of the page) are parsed and
added after the first year is drawn. The map opens at the year named in its address (``world-map.html#2023``).

Where what lives: this module chooses the pages (write_pages) and builds OUT safely; snapshot_html.py renders
each page and the index from export/templates/ (Jinja2, autoescaped, the words in TEXTS by language);
snapshot_assets.py ships plotly.js, the outlines and the inline style and scripts of export/static/.

The snapshot is built in a temporary folder beside OUT and renamed to OUT at the end: OUT must not exist or be
empty, and on any failure it is left as it was.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import plotly
from plotly.offline import get_plotlyjs_version

from charts.common import MEASURE_LABELS
from prep import registry, views

from .common import (
    ExportError,
    data_dir,
    data_version,
    git_commit,
    load_deployment_frame,
    load_sources,
    load_tables,
)
from .snapshot_assets import BUNDLES, FULL_JS, TOPO_DIR, TOPO_FILES, VENDOR, copy_shared
from .snapshot_assets import vendored_version as _vendored_version
from .snapshot_html import BRAND, PLOTLY_CONFIG, TEXTS, Builder, Page

__all__ = [
    "BRAND",
    "BUNDLES",
    "FULL_JS",
    "PLOTLY_CONFIG",
    "TEXTS",
    "TOPO_DIR",
    "TOPO_FILES",
    "VENDOR",
    "Builder",
    "Page",
    "_vendored_version",
    "build",
    "check_target",
    "groups",
    "sizes",
    "write_pages",
]


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

    copy_shared(root)

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
    # --- the Atom feed of records, in every language (export/feed.py)
    from . import feed

    for rel, body in feed.snapshot_files(load_deployment_frame(folder), load_sources(folder),
                                         (base_url or "").rstrip("/"), version).items():
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
