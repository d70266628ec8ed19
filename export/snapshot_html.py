"""The snapshot's HTML: each chart's page and the index, rendered from export/templates/ (Jinja2, autoescaped:
data text is escaped by the template, never by hand). The page's words come from TEXTS by language (a code of
``i18n.LANGS``): the default language's pages are at OUT's top, every other language's under ``OUT/<lang>/`` with
the same relative paths, and each page links to its twins in the other languages."""
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

import i18n
from charts import maps
from prep.downloads import versioned, versioned_name

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
        "twin": "In English",
        "see_also": "Also on this snapshot:",
        "own_page": "This chart on its own page (to embed)",
        # the pages' own titles and notes where the app's catalogue has no such sentence
        "groups": {"World map": "World map", "Troops over time": "Troops over time", "What it costs": "What it costs",
                   "Country profiles": "Country profiles"},
        "map_note": "Shown: {measure}. No colour = no figure reported, never zero. Each year has its own colour "
                    "scale. Press Play or drag the slider for another year. Annual method: {method}. Abroad only: US "
                    "states and territories are not shown",
        "country_title": "Active-duty US troops in {country}, by year",
        "country_note": "Latest: {latest} ({report}); peak: {peak} ({year}). Annual method: {method}",
        "auth_title": "{country}: authorised entries and stationed troops, {first}-{last}",
        "history_link": "Active-duty US troops in {country}, by year",
        "fy2024_note": "The reported figure is a broader estimate cited in an opinion article, not an official figure, "
                       "and not comparable line by line with OMB outlays",
    },
    "es": {
        "brand": "Footprint · las fuerzas armadas de EE. UU. en el exterior, cada cifra con su fuente",
        "source": "Fuente:",
        "source_missing": "{id} (falta el bloque de la fuente en sources.yaml)",
        "not_recorded": "no registrada",
        "download_csv": "Descargar los datos de este gráfico (CSV)",
        "open_page": "Footprint: la página de este gráfico, con su cita y las direcciones de las fuentes",
        "cite_heading": "Citar este gráfico",
        "accessed": "consultado el",
        "snapshot_of": "Copia estática del {date}; versión de los datos {version}",
        "commit_in_cite": ", commit {commit}",
        "all_charts": "Todos los gráficos de esta copia",
        "built_on": "generada el {date} · versión de los datos {version}",
        "index_title": "Footprint: copia estática del {date}",
        "index_heading": "Copia estática del {date}",
        "index_intro": "{count} gráficos del tablero Footprint, cada uno en su propia página con su fuente, los "
                       "datos que lo respaldan (CSV) y una cita.",
        "index_version": "Versión de los datos {version}",
        "commit_in_index": "; commit {commit}",
        "index_built": "generada el {built}",
        "twin": "En español",
        "see_also": "También en esta copia:",
        "own_page": "Este gráfico en su propia página (para insertarlo)",
        "groups": {"World map": "Mapa mundial", "Troops over time": "Tropas a lo largo del tiempo",
                   "What it costs": "Cuánto cuesta", "Country profiles": "Perfiles de país"},
        "map_note": "Se muestra: {measure}. Sin color = sin cifra reportada, nunca cero. Cada año tiene su propia "
                    "escala de color. Pulse Reproducir o mueva el deslizador para ver otro año. Método anual: {method}. "
                    "Solo en el exterior: no se muestran los estados ni los territorios de EE. UU.",
        "country_title": "Tropas de EE. UU. en servicio activo en {country}, por año",
        "country_note": "Más reciente: {latest} ({report}); máximo: {peak} ({year}). Método anual: {method}",
        "auth_title": "{country}: ingresos autorizados y tropas estacionadas, {first}-{last}",
        "history_link": "Tropas de EE. UU. en servicio activo en {country}, por año",
        "fy2024_note": "La cifra reportada es una estimación más amplia citada en un artículo de opinión, no una cifra "
                       "oficial, y no se puede comparar línea por línea con los desembolsos de la OMB",
    },
}
# the twin link names the language it leads to, in that language: TEXTS[other]["twin"]
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
    lang: str = i18n.DEFAULT  # the page's language; its twins are at the same path in the other languages' folders


def json_html(obj) -> Markup:
    """JSON for a <script type="application/json"> block: no "<" can close the block or open a comment."""
    return Markup(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c"))


def prefix(lang: str) -> str:
    """The folder of ``lang``'s pages inside OUT: "" for the default language, "es/" for Spanish."""
    return "" if lang == i18n.DEFAULT else f"{lang}/"


def source_items(ids, known, lang: str = i18n.DEFAULT) -> list[dict]:
    """The source line's parts: each source's caption in ``lang`` (as the app's captions: the source's
    ``short_<lang>`` where it has one) and URL (linked when it is a web address), unknown ids named; the template
    escapes them."""
    out = []
    for sid in dict.fromkeys(s for s in ids if isinstance(s, str) and s):
        src = known.get(sid)
        if src is None:
            out.append({"known": False, "id": sid})
        else:
            out.append({"known": True, "caption": i18n.translation_of(src, "short", lang) or src.caption, "url": src.url,
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
        self.lang, self.texts, self.prefix = lang, TEXTS[lang], prefix(lang)
        self.pages: list[Page] = []

    def _common(self, rel: str) -> dict:
        """What every template gets for the page at ``rel`` (relative to this language's folder): ``up`` leads
        to OUT (plotly.js, outlines, favicon), ``home`` to this language's index, ``twins`` to the same page in the
        other languages."""
        up = "../" * (self.prefix + rel).count("/")
        twins = [{"href": up + prefix(other) + rel, "lang": other, "label": TEXTS[other]["twin"]}
                 for other in i18n.LANGS if other != self.lang]
        date = (self.built.date().isoformat() if self.lang == i18n.DEFAULT
                else i18n.date_text(self.built.date(), "day", self.lang))
        return {"lang": self.lang, "t": self.texts, "up": up, "home": up + self.prefix, "twins": twins,
                "css": Markup(static_text("snapshot.css")), "date": date, "version": self.version,
                "commit": self.commit[:12] if self.commit else None,
                "locale": "" if self.lang == i18n.DEFAULT else i18n.locale(self.lang).replace("_", "-")}

    def page(self, rel: str, fig, title: str, group: str, frame: pd.DataFrame, sources, note: str = "",
             geo: bool = False, see_also: list[tuple[str, str]] = (), alt: str = "",
             more: list[dict] = ()) -> Page:
        """Write the chart's page at ``rel`` in this language's folder (and its CSV beside it); ``see_also``:
        (path relative to this page's folder, title) of related pages, linked under the source line; ``alt``: the
        chart's text alternative (prep/alt.py), shown under it. ``more``: further charts of the page, each a dict
        with ``fig``, ``title``, ``sources``, ``note``, ``alt``, ``csv`` (its CSV, written elsewhere, relative to
        this page's folder) and ``own_page`` (the chart's own page, the one to embed): drawn under the page's
        chart with the same plotly.js file, on the page itself only (an article's iframe shows the page's own
        chart)."""
        common = self._common(rel)
        up = common["up"]
        csv_download = versioned_name(rel[:-5].replace("/", "-"), self.version)  # the name a saved copy gets
        folder = rel.rpartition("/")[0]  # the page's folder in every language ("country")
        rel = self.prefix + rel
        csv_rel = rel[:-5] + ".csv"
        csv_bytes = to_csv_bytes(versioned(frame, self.version))  # the data version in a last column, as the app's
        (self.root / csv_rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / csv_rel).write_bytes(csv_bytes)
        config = dict(PLOTLY_CONFIG)
        if geo:
            config["topojsonURL"] = f"{up}{TOPO_DIR}/"
        height = fig.layout.height or (maps.ANIMATION_HEIGHT if geo else 460)
        spec, frames = figure_spec(fig, geo)
        extra = []
        for i, c in enumerate(more, start=2):
            c_spec, _frames = figure_spec(c["fig"], False)
            extra.append({"id": f"chart{i}", "title": c["title"], "height": int(c["fig"].layout.height or 460),
                          "spec": c_spec, "figure": json_html(c_spec), "alt": c.get("alt", ""),
                          "sources": source_items(c["sources"], self.known, self.lang),
                          "note": (c.get("note") or "").rstrip("."), "csv_name": c["csv"],
                          # the name a saved copy gets: the one its own page gives it
                          "csv_download": versioned_name(f"{folder}/{c['csv'][:-4]}".lstrip("/").replace("/", "-"),
                                                         self.version),
                          "own_page": c.get("own_page", "")})
        js = self.bundle_for(spec.get("data", []) + [d for f in frames for d in f.get("data", [])]
                             + [d for c in extra for d in c["spec"].get("data", [])])
        topo = None
        if geo:
            geo_layout = spec.get("layout", {}).get("geo", {})
            name = f"{geo_layout.get('scope', 'world')}_{geo_layout.get('resolution', 110)}m"
            topo = {"url": f"{up}{TOPO_DIR}/{name}.json", "name": name}
        doc = ENV.get_template("page.html.j2").render(
            **common, title=title, see_also=[{"href": h, "title": t} for h, t in see_also], height=int(height), plotly_js=js, topo=topo,
            js={k: Markup(v) for k, v in scripts().items()},
            figure=json_html(spec), config=json_html(config), frames=json_html(frames) if frames else None,
            sources=source_items(sources, self.known, self.lang), note=note.rstrip(".") if note else "",
            alt=alt, more=extra,
            csv_name=csv_rel.rsplit("/", 1)[-1], csv_download=csv_download, page_name=rel.rsplit("/", 1)[-1],
            url=f"{self.base_url}/{rel}" if self.base_url else rel, fixed_url=bool(self.base_url))
        data = doc.encode("utf-8")
        (self.root / rel).write_bytes(data)
        p = Page(rel, title, group, csv_rel, [s for s in dict.fromkeys(x for x in sources if isinstance(x, str))],
                 len(data), len(csv_bytes), geo, js, self.lang)
        self.pages.append(p)
        return p

    def bundle_for(self, traces: list[dict]) -> str:
        return bundle_for(self.root, traces)

    def index(self, groups: list[str]) -> None:
        """This language's index (``groups``: the headings, in order, as the pages' ``group``), its links relative
        to its own folder."""
        n = len(self.prefix)
        listed = [{"heading": g, "pages": [{"path": p.path[n:], "csv": p.csv[n:], "title": p.title,
                                            "csv_download": versioned_name(p.path[n:-5].replace("/", "-"), self.version)}
                                           for p in self.pages if p.group == g]} for g in groups]
        built = (self.built.isoformat(timespec="seconds") if self.lang == i18n.DEFAULT
                 else i18n.date_text(self.built.date(), "day", self.lang) + self.built.strftime(", %H:%M UTC"))
        doc = ENV.get_template("index.html.j2").render(
            **self._common("index.html"), count=len(self.pages), built=built,
            groups=[g for g in listed if g["pages"]])
        (self.root / self.prefix / "index.html").parent.mkdir(parents=True, exist_ok=True)
        (self.root / self.prefix / "index.html").write_text(doc, encoding="utf-8")
