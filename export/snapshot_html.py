"""The snapshot's HTML: each chart's page and the index, rendered from export/templates/ (Jinja2, autoescaped:
data text is escaped by the template, never by hand). The page's words come from TEXTS by language, so another
language's snapshot is another TEXTS entry and ``lang``."""
from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from charts import maps

from .csvfile import to_csv_bytes
from .snapshot_assets import FULL_JS, TOPO_DIR, bundle_for, scripts, static_text

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                                            "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian",
                                            "hoverClosestGeo", "pan", "select", "lasso"]}
# The words of the pages, by language; values with {names} are filled in by the templates
TEXTS = {
    "en": {
        "brand": "Footprint · the US military abroad, every figure with its source",
        "source": "Source:",
        "source_missing": "{id} (source block missing from sources.yaml)",
        "not_recorded": "not recorded",
        "download_csv": "Download the data behind this chart (CSV)",
        "open_page": "Footprint: this chart's page, with its citation and the sources' addresses",
        "cite_heading": "Cite this chart",
        "accessed": "accessed",
        "snapshot_of": "Static snapshot of {date}; data version {version}",
        "commit_in_cite": ", commit {commit}",
        "all_charts": "All charts in this snapshot",
        "built_on": "built {date} · data version {version}",
        "index_title": "Footprint: static snapshot of {date}",
        "index_heading": "Static snapshot of {date}",
        "index_intro": "{count} charts of the Footprint dashboard, each on its own page with its source, the data "
                       "behind it (CSV) and a citation.",
        "index_version": "Data version {version}",
        "commit_in_index": "; commit {commit}",
        "index_built": "built {built}",
    },
}
BRAND = TEXTS["en"]["brand"]
ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                         autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                         trim_blocks=True, lstrip_blocks=True)


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


def json_html(obj) -> Markup:
    """JSON for a <script type="application/json"> block: no "<" can close the block or open a comment."""
    return Markup(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c"))


def source_items(ids, known) -> list[dict]:
    """The source line's parts: each source's caption and URL (linked when it is a web address), unknown ids
    named; the template escapes them."""
    out = []
    for sid in dict.fromkeys(s for s in ids if isinstance(s, str) and s):
        src = known.get(sid)
        if src is None:
            out.append({"known": False, "id": sid})
        else:
            out.append({"known": True, "caption": src.caption, "url": src.url,
                        "linked": src.url.startswith(("https://", "http://"))})
    return out


def figure_spec(fig, geo: bool) -> tuple[dict, list[dict]]:
    """The figure as the page draws it, and its animation frames (drawn after the first year)."""
    if geo:
        # Outside Streamlit the figure keeps plotly's default template, whose geo has showlakes=True; the shipped
        # outlines have no lakes, rivers or subunits layers (static/README.md), and plotly.js then fails to draw
        # the map at all ("Cannot read properties of undefined (reading 'type')").
        fig = go.Figure(fig).update_geos(showlakes=False, showrivers=False, showsubunits=False)
    spec = json.loads(pio.to_json(fig, validate=False))
    # the page's h1 is the chart's title: plotly's own copy would draw it twice (and clip it on a phone)
    layout = spec.setdefault("layout", {})
    if isinstance(layout.get("title"), dict) and layout["title"].get("text"):
        layout["title"]["text"] = ""
        if isinstance(layout.get("margin"), dict) and layout["margin"].get("t", 0) >= 60:
            layout["margin"]["t"] -= 28  # the title's band
    frames = spec.pop("frames", None) or []
    if frames:
        # The frames' traces carry another colour bar (at the foot, where the Play buttons and the slider are,
        # which overlap on a phone) than the figure's, set after the frames were built (charts/maps.py): one
        # colour bar for every year, the figure's.
        for f in frames:
            for d, base in zip(f.get("data", []), spec["data"]):
                if "colorbar" in base:
                    d.pop("colorbar", None)
        # Open on the latest year, as the app's map does (plotly's own page would play every year from the
        # first on load): the last frame's traces drawn first, its slider step active.
        last = frames[-1]
        n = len(last.get("data", []))
        spec["data"] = [{**d, **f} for d, f in zip(spec["data"], last.get("data", []))] + spec["data"][n:]
        for s in layout.get("sliders", [])[:1]:
            s["active"] = next((i for i, st in enumerate(s.get("steps", [])) if st.get("label") == last.get("name")),
                               s.get("active", 0))
    return spec, frames


class Builder:
    def __init__(self, root: Path, known, version: str, commit: str | None, built: _dt.datetime,
                 base_url: str | None, lang: str = "en"):
        self.root, self.known, self.version, self.commit = root, known, version, commit
        self.built, self.base_url = built, (base_url.rstrip("/") if base_url else None)
        self.lang, self.texts = lang, TEXTS[lang]
        self.pages: list[Page] = []

    def _common(self, up: str) -> dict:
        return {"lang": self.lang, "t": self.texts, "up": up, "css": Markup(static_text("snapshot.css")),
                "date": self.built.date().isoformat(), "version": self.version,
                "commit": self.commit[:12] if self.commit else None}

    def page(self, rel: str, fig, title: str, group: str, frame: pd.DataFrame, sources, note: str = "",
             geo: bool = False) -> Page:
        up = "../" * rel.count("/")
        csv_rel = rel[:-5] + ".csv"
        csv_bytes = to_csv_bytes(frame)
        (self.root / csv_rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / csv_rel).write_bytes(csv_bytes)
        config = dict(PLOTLY_CONFIG)
        if geo:
            config["topojsonURL"] = f"{up}{TOPO_DIR}/"
        height = fig.layout.height or (maps.ANIMATION_HEIGHT if geo else 460)
        spec, frames = figure_spec(fig, geo)
        js = self.bundle_for(spec.get("data", []) + [d for f in frames for d in f.get("data", [])])
        topo = None
        if geo:
            geo_layout = spec.get("layout", {}).get("geo", {})
            name = f"{geo_layout.get('scope', 'world')}_{geo_layout.get('resolution', 110)}m"
            topo = {"url": f"{up}{TOPO_DIR}/{name}.json", "name": name}
        doc = ENV.get_template("page.html.j2").render(
            **self._common(up), title=title, height=int(height), plotly_js=js, topo=topo,
            js={k: Markup(v) for k, v in scripts().items()},
            figure=json_html(spec), config=json_html(config), frames=json_html(frames) if frames else None,
            sources=source_items(sources, self.known), note=note.rstrip(".") if note else "",
            csv_name=csv_rel.rsplit("/", 1)[-1], page_name=rel.rsplit("/", 1)[-1],
            url=f"{self.base_url}/{rel}" if self.base_url else rel, fixed_url=bool(self.base_url))
        data = doc.encode("utf-8")
        (self.root / rel).write_bytes(data)
        p = Page(rel, title, group, csv_rel, [s for s in dict.fromkeys(x for x in sources if isinstance(x, str))],
                 len(data), len(csv_bytes), geo, js)
        self.pages.append(p)
        return p

    def bundle_for(self, traces: list[dict]) -> str:
        return bundle_for(self.root, traces)

    def index(self, groups: list[str]) -> None:
        listed = [{"heading": g, "pages": [p for p in self.pages if p.group == g]} for g in groups]
        doc = ENV.get_template("index.html.j2").render(
            **self._common(""), count=len(self.pages), built=self.built.isoformat(timespec="seconds"),
            groups=[g for g in listed if g["pages"]])
        (self.root / "index.html").write_text(doc, encoding="utf-8")
