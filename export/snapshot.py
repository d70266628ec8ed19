"""The static snapshot: ``python -m export snapshot OUT/`` writes a dated, self-contained copy of the charts
readers embed, for any static host (docs/hosting.md):

    OUT/index.html                  every page, the data version and the build date
    OUT/snapshot.json               data version, build date, git commit, plotly.js version, the pages
    OUT/plotly-basic.min.js         plotly.js for the line and bar pages, once for every page (a partial bundle,
    OUT/plotly-geo.min.js           and the one with maps: export/vendor/README.md; plotly.min.js instead if needed)
    OUT/topojson/world_110m.json    the map outlines (and world_50m.json), once; the figure config's topojsonURL
    OUT/world-map.html + .csv       the world map with every year on a slider, each year on its own colour scale
                                    (and the data behind it)
    OUT/troops-*.html, outlays-*.html, budget-authority.html, sipri-YEAR.html, fy2024.html (+ .csv each)
    OUT/country/ISO3.html + .csv    each place's troop history (every place with a troop figure), and under it,
                                    for a place with decisions since 2012, the host country's own authorisations
                                    beside the DMDC count as the app's country profile shows them
    OUT/country/ISO3-authorisations.html + .csv   that authorisations chart on a page of its own: the page an
                                    article embeds for it (an embedded country page shows only the troop history)
    OUT/es/...                      every page and the index again in Spanish (each language of i18n.LANGS but the
                                    default in its own folder), each page linking to its twin in the other language
    OUT/api/v1/...json + .csv       the data API's resources and openapi.json, byte for byte what the live app
                                    answers at the same paths without query parameters (export/api/)

Each page has the chart's title, its text alternative (prep/alt.py, the sentence the app shows under the same chart),
its source line (from sources.yaml, as the app's captions), a link to the CSV of the data behind it (written by the
app's CSV writer, formulas neutralised; as the app's downloads, a last column data_version and saved as
footprint-<page>-<version>.csv, prep/downloads.py) and a citation (title, Footprint,
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

import i18n
from charts.common import MEASURE_LABELS
from prep import alt, records, registry, views

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
from .snapshot_html import BRAND, PLOTLY_CONFIG, TEXTS, Builder, Page, prefix

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
    """Write every page into the (new, empty) folder ``root``, in every language of ``i18n.LANGS`` (the default
    language's pages at the top, the others' under ``root/<lang>/``); returns snapshot.json's content."""
    folder = Path(folder or data_dir())
    built = built or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    tables = load_tables(folder)
    tables["deployments"] = load_deployment_frame(folder)
    known = load_sources(folder)
    version = data_version(folder)
    commit = git_commit()
    codes = _countries_option(tables["troops_annual"], countries)

    copy_shared(root)
    builders = [Builder(root, known, version, commit, built, base_url, lang=lang) for lang in i18n.LANGS]
    for b in builders:
        _language_pages(b, tables, codes)
        b.index([b.texts["groups"].get(g, g) for g in groups()])
    # --- the data API's resources at the paths the live app serves them (export/api/)
    from . import api

    api_files = api.snapshot_files(codes if countries is not None else None, folder)
    for rel, body in api_files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    # --- the Atom feed of records, in every language (export/feed.py)
    from . import feed

    for rel, body in feed.snapshot_files(tables["deployments"], known, (base_url or "").rstrip("/"), version).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    pages = [p for b in builders for p in b.pages]
    meta = {"title": "Footprint static snapshot", "built": built.isoformat(), "build_date": built.date().isoformat(),
            "data_version": version, "git_commit": commit, "plotly_py": plotly.__version__,
            "plotly_js": get_plotlyjs_version(), "plotly_js_files": sorted({p.js for p in pages}),
            "base_url": base_url or None, "languages": {lang: prefix(lang) for lang in i18n.LANGS},
            "pages": [asdict(p) for p in pages], "api_files": len(api_files)}
    (root / "snapshot.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    return meta


def _language_pages(b: Builder, tables: dict[str, pd.DataFrame], codes: list[str]) -> None:
    """Every chart page in ``b``'s language: titles, notes, numbers and dates in that language (the app's
    catalogue where it has the sentence, else the Builder's TEXTS), figures from prep/ with ``lang``."""
    lang, tx = b.lang, b.texts
    _ = i18n.gettext_for(lang)
    annual = tables["troops_annual"]
    group = {v.path: tx["groups"].get(v.snapshot_group, v.snapshot_group) for v in registry.VIEWS}
    method = _(views.methods(annual))
    # --- the world map, every year on a slider, each year on its own colour scale (2025 reads as well as 1968)
    years, _measures = views.years_and_measures(annual)
    shown, shown_sources = views.all_years(annual, "active_duty")
    b.page("world-map.html", views.troop_animation(annual, "active_duty", lang=lang, per_year=True),
           _("US troops abroad, {first}-{last}").format(first=years[0], last=years[-1]), group["where"], shown,
           shown_sources + ["natural_earth_topojson"], geo=True,
           note=tx["map_note"].format(measure=_(MEASURE_LABELS["active_duty"]), method=method),
           alt=alt.animation_alt(views.abroad(annual), "active_duty", lang))
    # --- troops over time
    for view, rel in (("total", "troops-total.html"), ("region", "troops-by-region.html")):
        tv = views.troops_over_time(annual, view, lang=lang)
        b.page(rel, tv.fig, tv.fig.layout.title.text, group["when"], tv.series_df, list(tv.sources),
               note=_("Annual method: {method}").format(method=_(tv.methods)) + ". " + _(views.WARS_NOTE),
               alt=alt.troops_alt(tv.series_df, view, lang)[0])
    # --- budgets
    omb = views.omb_prepared(tables["budget_omb"]).omb
    for label, rel in (("Current dollars", "outlays-current.html"), ("Constant FY2017 dollars", "outlays-constant.html"),
                       ("Percent of GDP", "outlays-percent-gdp.html")):
        ov = views.omb_view(omb, views.OMB_UNITS[label], ("national_defense",), label, lang=lang)
        if not ov.shown.empty:
            b.page(rel, ov.fig, _("Outlays, {unit}").format(unit=i18n.mid_sentence(_(label))), group["cost"], ov.shown, list(ov.sources),
                   note=views.omb_note(ov, lang), alt=alt.omb_alt(ov.shown, views.OMB_UNITS[label], _(label), lang))
    gv = views.gb_view(tables["budget_greenbook"], "title", "current", "Current dollars", lang=lang)
    if not gv.sel.empty:
        b.page("budget-authority.html", gv.fig, _("DoD budget authority, {dollars}").format(
            dollars=i18n.mid_sentence(_("Current dollars"))),
               group["cost"], gv.sel, list(gv.sources), note=views.gb_note(gv, lang),
               alt=alt.gb_alt(gv.sel, _("Current dollars"), lang))
    syear = views.sipri_latest_year(tables["sipri"])
    sv = views.sipri_view(views.our_names(tables["sipri"], lang), syear, "current_usd_m", "Current dollars", lang=lang)
    if sv.fig is not None:
        b.page(f"sipri-{syear}.html", sv.fig, _("SIPRI {year}: {measure}").format(year=syear, measure=_("Current dollars")),
               group["cost"], sv.sel, list(sv.sel["source_id"].unique()), note=views.sipri_note(sv.sel, lang),
               alt=alt.sipri_alt(sv.sel, "current_usd_m", _("Current dollars"), syear, lang))
    fy = views.fy2024(omb, tables["reported_figures"], lang=lang)
    if fy is not None:
        b.page("fy2024.html", fy.fig, _("FY2024: official vs reported"), group["cost"], fy.frame,
               list(fy.frame["source_id"].unique()), note=tx["fy2024_note"], alt=alt.fy2024_alt(fy.items, lang)[0])
    # --- each place's troop history, and the host country's own decisions where it has some (the app's profile):
    # on the country's page under its history, and on a page of their own (the chart-only page an article embeds)
    for code in codes:
        hv = views.country_history(annual, code, lang)
        if not hv.has:
            continue
        name = i18n.country(code, views.entity(code)[0], lang)
        av = records.authorisations(tables["deployments"], annual, code, records.RECENT_FROM, lang)
        hist_rel, auth_rel = f"country/{code}.html", f"country/{code}-authorisations.html"
        latest, peak = hv.latest, hv.peak
        hist_alt = alt.series_summary(hv.hist, _("Active-duty US troops in {country}").format(country=name), lang,
                                      y="active_duty")
        auth = None
        if av is not None:
            last = av.latest_count
            count = (" " + _("({n} in {report})").format(n=i18n.num(last["active_duty"].iloc[0], lang),
                                                         report=i18n.report_text(last["report"].iloc[0], lang))
                     if len(last) else "")
            auth = {"fig": av.fig, "sources": av.sources, "csv": auth_rel[:-5].rsplit("/", 1)[-1] + ".csv",
                    "own_page": auth_rel.rsplit("/", 1)[-1],
                    "title": tx["auth_title"].format(country=name, first=int(av.auth["year"].min()),
                                                     last=int(av.auth["year"].max())),
                    "alt": alt.series_summary(av.auth, _("US personnel authorised by {body}").format(body=av.body),
                                              lang, y="personnel_authorised"),
                    "note": _("{n} authorisations since {year}, counted by year decided; no bar = no personnel figure "
                              "reported, never zero").format(n=av.n, year=records.RECENT_FROM) + ". "
                    + _("Two different things: {body} authorises temporary entries of foreign troops for exercises, "
                        "training and events (a figure where the source gives one), while DMDC counts US personnel "
                        "permanently assigned to the country on its report date{count}. They are not expected to "
                        "match.").format(body=av.body, count=count)}
        b.page(hist_rel, hv.fig, tx["country_title"].format(country=name), group["country"], hv.hist,
               list(hv.hist["source_id"].unique()),
               note=tx["country_note"].format(latest=i18n.num(latest["active_duty"], lang),
                                              report=i18n.report_text(latest["report"], lang),
                                              peak=i18n.num(peak["active_duty"], lang), year=int(peak["year"]),
                                              method=_(hv.methods)),
               alt=hist_alt, more=[auth] if auth else [])
        if auth is None:
            continue
        b.page(auth_rel, av.fig, auth["title"], group["country"], av.table, av.sources, note=auth["note"],
               alt=auth["alt"], see_also=[(hist_rel.rsplit("/", 1)[-1], tx["history_link"].format(country=name))])


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
