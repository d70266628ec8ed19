"""Shared Streamlit helpers for the views: tables with visible errors, source captions, safe CSV downloads,
URL parameter notices and the "Share this view" link. Text that comes from data is escaped before Markdown."""
from __future__ import annotations

import datetime as _dt
import html
from functools import lru_cache
from pathlib import Path
import numbers
import re
import threading
import weakref
from typing import Iterable, Sequence
from urllib.parse import quote, urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import i18n
from charts.common import IMAGE_SIZES, fit_title, image_figure, to_image
from export.csvfile import to_csv_bytes
from loaders.schema import DataError

from . import data
from .params import Notice, Param, check, raw_query

PAGE_PATHS = ("where", "when", "cost", "country", "sources")
DEFAULT_PAGE = "where"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """Escape text for st.markdown / st.caption: no Markdown, links, HTML or LaTeX from data.

    Backslash escapes do not stop GitHub-flavoured Markdown's auto-links (the frontend's remark-gfm finds
    ``http://``, ``https://``, ``www.`` and e-mail addresses in the text after escapes are resolved), so a word
    joiner (U+2060, invisible, no line break) goes between ``:`` and ``//``, after ``www`` and after ``@``: the
    text reads the same and never becomes a link."""
    s = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    s = s.replace("\r", " ").replace("\n", " ")
    s = re.sub(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", "\u2060", s)
    return _MD_SPECIAL.sub(r"\\\1", s)


def lang() -> str:
    """The reader's language for this run: the switch in dashboard.py (``?lang=``, else the browser's language);
    in an embed, where no switch is shown, the link's ``lang`` or the browser's language."""
    if st.session_state.get("lang"):
        return i18n.norm(st.session_state["lang"])
    raw = st.query_params.get("lang")
    return i18n.norm(raw) if raw in i18n.LANGS else browser_lang()


# ------------------------------------------------------------------------------------------------- embedding --
SHOW = ("chart",)  # ?show=chart: the chart-only form of an embed


def chart_only() -> bool:
    """True for the chart-only form of an embed (``?show=chart``, with ``embed=true`` in the iframe code): the
    view's first chart, its title, its source line and the link back, nothing else."""
    return st.query_params.get("show") == "chart"


# In the chart-only form inside an article's iframe: report the height of what is shown (chart, source line, link
# back) to the article, with the message a snapshot page sends (export/snapshot.py HEIGHT_SCRIPT), so the embed
# code's SNAPSHOT_RESIZE sizes the frame to it. The fixed 720 px left a blank band of about 160 px under the chart
# on a phone. Only in a frame; once per page (the script element is drawn again on every run).
CHART_HEIGHT_SCRIPT = """<script>(function () {
  if (window.self === window.top || !window.parent || window.__footprintHeight) { return; }
  window.__footprintHeight = true;
  var last = 0, seen = null;
  function block() { return document.querySelector('[data-testid="stMainBlockContainer"]'); }
  function tell() {
    var el = block(); if (!el) { return; }
    var h = Math.ceil(el.getBoundingClientRect().height);
    if (h > 0 && h !== last) { last = h; window.parent.postMessage({footprint: "height", height: h}, "*"); }
  }
  var watch = window.ResizeObserver ? new ResizeObserver(tell) : null;
  setInterval(function () { var el = block(); if (el && el !== seen && watch) { seen = el; watch.observe(el); } tell(); }, 500);
})();</script>"""


def embed_start() -> None:
    """Called by dashboard.py before the page runs: resets the per-run chart count of the chart-only form and,
    for an embed, a bad ``show`` value gets the usual notice; the chart-only form reports its height to the
    article that frames it (CHART_HEIGHT_SCRIPT)."""
    if chart_only():
        page_script("height", CHART_HEIGHT_SCRIPT)
    st.session_state["_fp_charts"] = 0
    st.session_state["_fp_captioned"] = False
    raw = st.query_params.get_all("show")
    if raw and raw[-1] not in SHOW:
        st.warning(tr("The link's parameter `show={value}` is not one of the options (chart); showing the whole view.")
                   .format(value=raw[-1].replace("`", "'")[:20]), icon=":material/link_off:")


# chart-only: every element but the chart, its source line and the link back is hidden (the tabs' bar too)
CHART_ONLY_CSS = """
.stMain [data-testid="stElementContainer"]:not(:has([data-testid="stPlotlyChart"], .fp-caption, .fp-embed-link, .fp-brand, style)) {display: none !important;}
.stMain [data-testid="stTabs"] [role="tablist"], .stMain [data-testid="stHeading"] {display: none !important;}
[data-testid="stMainBlockContainer"] {padding: 0.5rem 0.75rem !important;}
.stMain [data-testid="stColumn"]:not(:has([data-testid="stPlotlyChart"], .fp-caption, .fp-embed-link, .fp-brand)) {display: none !important;}
.stMain [data-testid="stColumn"]:has([data-testid="stPlotlyChart"]) {width: 100% !important; flex: 1 1 100% !important; min-width: 100% !important;}
"""


def t():
    """``gettext`` of the reader's language, for ``_ = ui.t()`` at the top of a page or function."""
    return i18n.gettext_for(lang())


def tr(text: str) -> str:
    """``text`` in the reader's language (marked for extraction: babel.cfg's keyword ``tr``)."""
    return t()(text)


def num(value: object, digits: int = 0) -> str:
    """A number in the reader's language."""
    return i18n.num(value, lang(), digits)


def es_text(spanish: object, english: object, lang_: str | None = None, mark: bool = True) -> str:
    """Data text in the reader's language (i18n.es_text), in this session's language unless ``lang_`` is given."""
    return i18n.es_text(spanish, english, lang_ or lang(), mark)


def column(frame: pd.DataFrame, name: str) -> list:
    """A column's values, or a missing value per row when the file has no such column (an older data file)."""
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def source_list(ids: Sequence[str], known: dict | None = None) -> None:
    """The full citations of ``ids`` as a list, each with its link (the sources' own URLs are meant to be links)."""
    known = known_sources() if known is None else known
    items = []
    for sid in ids:
        src = known.get(sid)
        if src is None:
            items.append(f"<li>{html.escape(str(sid))}</li>")
        else:
            items.append(f"<li>{html.escape(src.citation)} " + _source_link(src.url, src.url) + "</li>")
    st.html('<ul class="fp-sources">' + "".join(items) + "</ul>" if items else
            f"<p>{html.escape(tr('No sources recorded.'))}</p>")


def browser_lang() -> str:
    try:
        return i18n.norm(st.context.locale)
    except Exception:
        return i18n.DEFAULT


def language_switch() -> str:
    """The language switch shown on every page (dashboard.py), in the link as ``?lang=en|es``: a link without it
    opens in the browser's language (``st.context.locale``), else English. Each language is named in its own
    words. Not bound by Streamlit: a bound widget writes its displayed name ("Español") into the link, and the
    link's value must be the code; the switch writes it itself."""
    default = browser_lang()
    raw = st.query_params.get_all("lang")
    if raw and raw[-1] not in i18n.LANGS:  # say so, and use the browser's language
        _ = i18n.gettext_for(default)
        st.warning(_("The link's language `lang={value}` is not one of the options (en, es); showing {name}.")
                   .format(value=raw[-1].replace("`", "'")[:20], name=i18n.NAMES[default]), icon=":material/link_off:")
    seed("lang", i18n.LANGS, default)
    with st.container(horizontal=True, horizontal_alignment="right", key="langswitch"):
        value = st.segmented_control("Language / Idioma", list(i18n.LANGS), format_func=i18n.NAMES.get, key="lang",
                                     required=True, label_visibility="collapsed")
    value = i18n.norm(value)
    sync_url({"lang": value}, {"lang": default}, ("lang",))
    return value


def page_language(lang: str) -> None:
    """Say the page's language in its ``<html lang>`` (Streamlit's page says "en" whatever the script writes):
    screen readers read a Spanish page with a Spanish voice, and browsers offer translation, hyphenate and pick
    quotation marks by it. ``lang`` is one of ``i18n.LANGS`` (norm'd), never a reader's text. The one-line script
    sits in a container that takes no room (page_script)."""
    page_script("pagelang", f'<script>document.documentElement.lang = "{i18n.norm(lang)}";</script>')


def page_script(key: str, script: str) -> None:
    """Run the app's own ``<script>`` (never text from data or a link) in the page, in a container keyed
    ``fp_script_<key>`` that takes no room (PAGE_CSS hides it and its layout wrapper: a 16 px gap otherwise)."""
    with st.container(key=f"fp_script_{key}"):
        st.html(script, unsafe_allow_javascript=True)


def multiselect(*args, **kwargs):
    """``st.multiselect`` with its placeholder in the reader's language (Streamlit's own says "Choose options")."""
    kwargs.setdefault("placeholder", tr("Choose options"))
    return st.multiselect(*args, **kwargs)


def seed(key: str, allowed: Sequence[object], default: object, multi: bool = False,
         max_items: int | None = None, kind: str = "choice") -> None:
    """Give the widget keyed ``key`` its value from the link before it is created, on the session's first run of
    this page (afterwards the widget keeps its own state). Link values are language-neutral (the English option
    names, as links have always carried), so a link opens the same view in any language; the widget shows them
    translated (``format_func``). A value the widget cannot take falls back to ``default`` (param_notices has
    said so)."""
    if key in st.session_state:
        return
    raw = list(st.query_params.get_all(key))
    if kind == "int":
        try:
            n = int(raw[-1].strip()) if raw else None
        except ValueError:
            n = None
        lo, hi = allowed[0], allowed[-1]
        st.session_state[key] = n if n is not None and lo <= n <= hi else default
    elif multi:
        ok = [v for v in raw if v in allowed]
        st.session_state[key] = (ok[:max_items] if max_items else ok) if raw else list(default)
    else:
        st.session_state[key] = raw[-1] if raw and raw[-1] in allowed else default


def sync_url(values: dict[str, object], defaults: dict[str, object], keys: Iterable[str]) -> None:
    """Write the reader's choices for ``keys`` (widgets not bound by Streamlit) into the link, language-neutral; a
    default value leaves its parameter out."""
    for key in keys:
        value = values.get(key)
        try:
            if value is None or value == defaults.get(key) or value == "":
                if key in st.query_params:
                    del st.query_params[key]
            elif isinstance(value, (list, tuple)):
                st.query_params[key] = [str(v) for v in value] if value else ""
            else:
                st.query_params[key] = str(value)
        except Exception:  # a bound key (Streamlit manages it) is never ours to write
            pass


def html_table(frame: pd.DataFrame, numeric: Sequence[str] = (), cards: bool | None = None) -> str:
    """A small frame as an HTML table, every header and cell HTML-escaped (columns in ``numeric``
    right-aligned with thousands separators; a missing value shows as "not reported").

    ``cards`` (default: more than four columns): on a phone the table is shown as one card per row, each cell
    under its column's name (PAGE_CSS, ``.fp-cards``), so a wide table reads without sideways scrolling.

    Used for the short ranked tables beside a chart, shown with :func:`show_table`. An HTML table costs the
    browser almost nothing to draw: ``st.dataframe`` pulls ~1.3 MB of grid and Arrow code into a first visit, and
    a Markdown table is parsed by the Markdown renderer on the main thread, which was about half of that
    renderer's time on the map view (docs/performance.md)."""
    _ = t()
    missing = _("not reported")

    def cell(col: str, v: object) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return missing
        if col in numeric and isinstance(v, numbers.Real) and not isinstance(v, bool):
            return num(v) if float(v).is_integer() else num(v, 2)
        return html.escape(str(v))

    cols = list(frame.columns)
    attrs = [' class="num"' if c in numeric else "" for c in cols]
    head = "".join(f"<th{a}>{html.escape(str(c))}</th>" for c, a in zip(cols, attrs))
    labels = [f' data-label="{html.escape(str(c), quote=True)}"' for c in cols]
    rows = "".join("<tr>" + "".join(f"<td{a}{lab}>{cell(c, v)}</td>" for c, a, lab, v in zip(cols, attrs, labels, row))
                   + "</tr>" for row in frame.itertuples(index=False))
    kind = "fp-table fp-cards" if (len(cols) > 4 if cards is None else cards) else "fp-table"
    return f'<table class="{kind}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def show_table(frame: pd.DataFrame, numeric: Sequence[str] = (), cards: bool | None = None) -> None:
    """Show a small frame as an escaped HTML table (:func:`html_table`; styled by PAGE_CSS)."""
    st.html(html_table(frame, numeric, cards))


# Written by the app itself, no data in it; dashboard.py adds it to every page.
# - Tables scroll sideways inside their column instead of being cut off; a wide one (``.fp-cards``) becomes one
#   card per row on a phone, each cell under its column's name (``data-label``), so it reads with no sideways
#   scrolling.
# - On a narrow screen the world map's element (in the container keyed "worldmap", app_pages/where.py) is lower:
#   the world is width-bound there (flex-basis is what Streamlit sizes the element with); the page's side padding
#   is smaller, so the map and charts get the width. Under 1000 px (a tablet, a window beside another, an article's
#   iframe) the map's column and its side column (latest records, top hosts) stack: side by side, the world was
#   drawn a third of the frame high between blank bands and the side tables were squeezed to a word a line.
# - Plotly's toolbar is hidden on a phone, where it drew over chart titles (a touch screen has no hover to reveal
#   it only when wanted); Streamlit's own full-screen button stays.
# - Captions and muted text are darker than Streamlit's default grey (about 3.5:1 on white) to meet WCAG AA 4.5:1.
PAGE_CSS = """
[data-testid="stMainBlockContainer"] {padding-top: 4rem;}
.fp-brand {font-size: 0.8rem; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; color: #8c1c13;
           margin: 0;}
.fp-intro {font-size: 1.02rem; line-height: 1.5; max-width: 52rem; margin: 0;}
[data-testid="stCaptionContainer"], .fp-caption {color: #4f535b !important; opacity: 1 !important;}
.fp-caption {font-size: 0.875rem; line-height: 1.45; margin: 0 0 0.25rem 0;}
.fp-code {white-space: pre-wrap; word-break: break-all; font-size: 0.8rem; background: #f4f4f4; color: #1a1a1a;
          padding: 0.5rem; border-radius: 0.3rem; margin: 0 0 0.75rem 0;}
.fp-embed-link {font-size: 0.85rem; margin: 0.25rem 0 0 0; display: none;}
.streamlit-embedded .fp-embed-link {display: block;}
[class*="st-key-fp_script_"], [data-testid="stLayoutWrapper"]:has(> [class*="st-key-fp_script_"]) {display: none !important;}
.streamlit-embedded header, .streamlit-embedded [data-testid="stSidebar"],
.streamlit-embedded [data-testid="stSidebarCollapsedControl"], .streamlit-embedded [data-testid="stExpandSidebarButton"],
.streamlit-embedded .st-key-langswitch, .streamlit-embedded .st-key-sharebox {display: none !important;}
.streamlit-embedded [data-testid="stMainBlockContainer"] {padding-top: 0.75rem !important;}
.fp-caption a, [data-testid="stCaptionContainer"] a {color: #1f4e9c;}
.fp-caption, .fp-sources, .fp-share {overflow-wrap: anywhere;}
.fp-caption details summary {cursor: pointer; color: #1f4e9c;}
.fp-caption details ul {margin: 0.25rem 0 0.25rem 1.1rem; padding: 0;}
.fp-table {display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin: 0 0 1rem 0;
           font-size: 0.95rem; line-height: 1.4;}
.fp-table th, .fp-table td {border: 1px solid rgba(128, 128, 128, 0.3); padding: 0.4rem 0.75rem;
                            text-align: left; vertical-align: top;}
.fp-table th {font-weight: 600;}
.fp-table .num {text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;}
@media (max-width: 1000px) {
  [data-testid="stHorizontalBlock"]:has(.st-key-worldmap, .st-key-worldmap_layers, .st-key-worldanim) {flex-wrap: wrap;}
  [data-testid="stHorizontalBlock"]:has(.st-key-worldmap, .st-key-worldmap_layers, .st-key-worldanim)
    > [data-testid="stColumn"] {flex: 1 1 100% !important; width: 100% !important; min-width: 100% !important;}
}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding-top: 3.75rem; padding-left: 0.75rem; padding-right: 0.75rem;}
  h1 {font-size: 1.9rem !important; line-height: 1.2 !important;}
  h2 {font-size: 1.45rem !important;}
  .modebar-container {display: none !important;}
  .st-key-worldmap [data-testid="stElementContainer"], .st-key-worldmap [data-testid="stFullScreenFrame"],
  .st-key-worldmap [data-testid="stPlotlyChart"] {height: 270px !important; flex-basis: 270px !important;}
  .st-key-worldmap_layers [data-testid="stElementContainer"], .st-key-worldmap_layers [data-testid="stFullScreenFrame"],
  .st-key-worldmap_layers [data-testid="stPlotlyChart"] {height: 320px !important; flex-basis: 320px !important;}
  .st-key-worldanim [data-testid="stElementContainer"], .st-key-worldanim [data-testid="stFullScreenFrame"],
  .st-key-worldanim [data-testid="stPlotlyChart"] {height: 440px !important; flex-basis: 440px !important;}
  .fp-cards, .fp-cards tbody, .fp-cards tr, .fp-cards td {display: block; width: 100%; box-sizing: border-box;}
  .fp-cards {overflow-x: visible;}
  .fp-cards thead {display: none;}
  .fp-cards tr {border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 0.4rem; margin: 0 0 0.6rem 0;
                padding: 0.35rem 0.6rem;}
  .fp-cards td {border: 0; padding: 0.15rem 0; text-align: left !important; white-space: normal !important;
                overflow-wrap: anywhere;}
  .fp-cards td::before {content: attr(data-label); display: block; font-size: 0.8rem; font-weight: 600;
                        color: #4f535b;}
}
"""


def show_error(exc: DataError, what: str) -> None:
    _ = t()
    files = sorted({p.file for p in exc.problems})
    lines = [_("**Cannot show {what}**: a data file is missing or broken ({files}).").format(
        what=md(what), files=md(", ".join(files)))]
    for p in exc.problems[:8]:
        lines.append(f"- {md(str(p))}")
    if len(exc.problems) > 8:
        lines.append("- " + _("… and {n} more problems").format(n=len(exc.problems) - 8))
    st.error("\n".join(lines))


def table(name: str, what: str) -> pd.DataFrame | None:
    """The table ``name``, or None after showing an error that names the file and its problems."""
    try:
        return data.load(name)
    except DataError as exc:
        show_error(exc, what)
        return None


def deployments(what: str = "named deployments") -> pd.DataFrame | None:
    """Valid deployment files as a frame; problems in other files are shown as a warning naming each file."""
    try:
        frame, problems = data.deployments()
    except DataError as exc:
        show_error(exc, what)
        return None
    except Exception as exc:  # a broken YAML loader must not take the view down
        st.error(tr("**Cannot show {what}**: data/deployments could not be read ({error}).").format(
            what=md(what), error=md(type(exc).__name__)))
        return None
    if problems:
        files = sorted({p.file for p in problems})
        st.warning(tr("Some deployment files were left out because they are not valid ({files}): ").format(
            files=md(", ".join(files))) + "; ".join(md(str(p)) for p in problems[:5]))
    return frame


def source_line(source_ids: Iterable[str]) -> str:
    """Caption text for the given source ids (unknown ids are named, never dropped)."""
    known = known_sources()
    parts = []
    for sid in dict.fromkeys(s for s in source_ids if isinstance(s, str) and s):
        src = known.get(sid)
        parts.append(f"{source_caption(src)} ({src.url})" if src else
                     tr("{id} (source block missing from sources.yaml)").format(id=sid))
    return "; ".join(parts)


def source_caption(src) -> str:
    """A source's short caption in the reader's language (its Spanish short form where the file gives one)."""
    if lang() == "es" and getattr(src, "short_es", ""):
        return src.short_es
    return src.caption


def known_sources() -> dict:
    try:
        return data.sources()
    except DataError:
        return {}


def caption(source_ids: Iterable[str], note: str = "", more: str = "") -> None:
    """The source line under a chart or table, from sources.yaml: ``Source: <first source>`` and ``note``; when
    there are more sources (or ``more``, a longer method note), they fold under "and N more" (an HTML
    ``<details>``), so a long list does not run to a dozen lines on a phone. Every text is escaped; only the
    sources' own URLs become links (real links: a researcher can follow and copy them)."""
    if chart_only() and (st.session_state.pop("_fp_skip_caption", False) or not st.session_state.get("_fp_charts")
                         or st.session_state.get("_fp_captioned")):
        return  # the chart-only embed: only the drawn chart's own source line
    known = known_sources()
    items = []
    for sid in dict.fromkeys(s for s in source_ids if isinstance(s, str) and s):
        src = known.get(sid)
        items.append((source_caption(src), src.url) if src else
                     (tr("{id} (source block missing from sources.yaml)").format(id=sid), ""))
    st.html(caption_html(items, note, more))
    if chart_only():
        st.session_state["_fp_captioned"] = True
        return
    last = st.session_state.pop("_fp_last_chart", None)
    if last is not None:
        image_downloads(last[0], last[1], "; ".join(f"{c} ({u})" if u else c for c, u in items))


STATIC_DIR = str(Path(__file__).resolve().parent.parent / "static")


def view_url() -> str:
    """This view's link as the reader sees it (the address, with its language), for the credit in an image."""
    base = ""
    try:
        base = (st.context.url or "").split("?")[0].rstrip("/")
    except Exception:
        pass
    query = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    if "lang" not in st.query_params:
        query.append(("lang", lang()))
    return base + "/?" + urlencode(query) if base else "?" + urlencode(query)


@st.cache_resource(show_spinner=False)
def image_export_available() -> bool:
    """kaleido renders with a Chromium found on PATH (or $BROWSER_PATH); scripts/test.sh and CI install Debian's."""
    import os
    import shutil

    return bool(os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
                or shutil.which("google-chrome"))


def image_downloads(fig, key: str, source: str) -> None:
    """'Download image' for the chart just drawn: PNG 1200x675 (articles), PNG 1080x1080 (social media) and SVG,
    each with the title, the source line and "Footprint" plus the view's link drawn inside the image. Made with
    plotly's exporter (kaleido on Debian's Chromium) only when the reader clicks (deferred download), about 3 s."""
    if not image_export_available():  # e.g. a host without Chromium: no button that could only fail
        return
    _ = t()
    credit = _("Footprint · {url}").format(url=view_url())
    src = _("Source: {first}").format(first=source)
    labels = {"png_wide": _("PNG, 1200 × 675"), "png_square": _("PNG, 1080 × 1080 (social media)"),
              "svg": _("SVG (vector)")}
    with st.popover(_("Download image"), icon=":material/image:"):
        for choice, (fmt, width, height) in IMAGE_SIZES.items():
            st.download_button(labels[choice], data=_image_maker(fig, fmt, width, height, src, credit),
                               file_name=f"footprint_{key}_{width}x{height}.{fmt}",
                               mime="image/svg+xml" if fmt == "svg" else "image/png",
                               key=f"img_{key}_{choice}", on_click="ignore")


def _image_maker(fig, fmt: str, width: int, height: int, source: str, credit: str):
    def make() -> bytes:
        return to_image(image_figure(fig, source, credit, width, height), fmt, width, height, STATIC_DIR)
    return make


def _source_link(text: str, url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{html.escape(text)}</a>'
    return html.escape(text)


def caption_html(items: Sequence[tuple[str, str]], note: str = "", more: str = "") -> str:
    """The source caption (see :func:`caption`): ``items`` are (caption, url) pairs."""
    _ = t()
    first = _source_link(*items[0]) if items else html.escape(_("not recorded"))
    if len(items) == 2 and not more:  # two sources: both on the line, no fold
        first += "; " + _source_link(*items[1])
        items = items[:1]
    rest = len(items) - 1
    head = _("Source: {first}").format(first=first) + (_(" and {n} more").format(n=rest) if rest > 0 else "") + "."
    if note:
        head += " " + html.escape(note.rstrip(".")) + "."
    body = ""
    if rest > 0 or more:
        label = (_("All {n} sources and method").format(n=len(items)) if more and rest > 0 else
                 _("All {n} sources").format(n=len(items)) if rest > 0 else _("How this is counted"))
        lis = "".join(f"<li>{_source_link(c, u)}" + (f" ({html.escape(u)})" if u else "") + "</li>" for c, u in items)
        body = (f"<details><summary>{html.escape(label)}</summary>" + (f"<ul>{lis}</ul>" if rest > 0 else "")
                + (f"<p>{html.escape(more)}</p>" if more else "") + "</details>")
    return f'<div class="fp-caption">{head}{body}</div>'


BRAND = i18n.N_("Footprint · the US military abroad, every figure with its source")


def page_head(title: str, intro: str) -> None:
    """A view's first screen: the product's name, the title, and one plain sentence on what the page shows, in
    what unit and from which source (text written by the app; escaped all the same)."""
    st.html(f'<p class="fp-brand">{html.escape(t()(BRAND))}</p>')
    st.title(title)
    st.html(f'<p class="fp-intro">{html.escape(intro)}</p>')


PLOTLY_CONFIG = {"displaylogo": False,
                 # the toolbar keeps what readers use: the image download, zoom and reset (no lasso/select/pan)
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                                            "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian",
                                            "hoverClosestGeo", "pan", "select", "lasso"]}
MAP_CONFIG = {**PLOTLY_CONFIG, "topojsonURL": "app/static/"}


class SerialisedFigure(go.Figure):
    """A figure whose ``to_dict()`` returns a dict made once: ``st.plotly_chart`` calls ``to_dict()`` on every run,
    a deep copy of the whole figure (for the world map 5-10 ms, for the animation with every year 20-35 ms), before
    serialising it. The dict is shared and read-only. ``data`` and ``layout`` (optional) are what plotly's own API
    sees (a title for :func:`charts.common.fit_title`, a first frame for the image export); the dict is what is
    shown."""

    def __init__(self, spec: dict, data=None, layout=None):
        super().__init__(data=data, layout=layout)
        self._fp_spec = _frames_as_json(spec)

    def to_dict(self) -> dict:
        return self._fp_spec


def _frames_as_json(spec: dict) -> dict:
    """An animation's frames (over 90% of its 1-1.4 MB) as JSON made once: plotly's orjson encoder writes an
    ``orjson.Fragment`` as it is, so a run no longer encodes the frames again. The text is exactly what plotly's
    encoder makes of them (``to_json_plotly``, its escapes included), and escaping it again changes nothing. The
    layout stays a dict (Streamlit reads its height). Without orjson the frames stay as they are."""
    if not spec.get("frames"):
        return spec
    try:
        import orjson
        import plotly.io as pio
        from plotly.io.json import to_json_plotly

        if pio.json.config.default_engine not in ("orjson", "auto") or not hasattr(orjson, "Fragment"):
            return spec
        return {**spec, "frames": orjson.Fragment(to_json_plotly(spec["frames"], engine="orjson"))}
    except ImportError:
        return spec


_SHOWN: dict[int, tuple[weakref.ref, SerialisedFigure]] = {}
# re-entrant: a garbage collection inside the lock may run a dropped figure's callback in the same thread
_SHOWN_LOCK = threading.RLock()


def _forget(key: int):
    def drop(ref) -> None:
        with _SHOWN_LOCK:
            hit = _SHOWN.get(key)
            if hit is not None and hit[0] is ref:  # not a newer figure that got the same id
                del _SHOWN[key]
    return drop


def shown_figure(fig: go.Figure) -> go.Figure:
    """What ``st.plotly_chart`` is handed for ``fig``: the title fitted (:func:`fit_title`, which copies a figure
    with a long title) and the figure turned into its dict once per figure object. The views' figures are cached
    and shared (``data.memo``), so a new session's first run and every rerun reuse that work instead of repeating
    it (the Spanish animation's title copy alone cost 120-200 ms a run). Kept while ``fig`` lives (a weak
    reference: a figure dropped from its cache takes its dict with it)."""
    if isinstance(fig, SerialisedFigure):
        return fig
    key = id(fig)
    with _SHOWN_LOCK:
        hit = _SHOWN.get(key)
    if hit is not None and hit[0]() is fig:
        return hit[1]
    out = SerialisedFigure(fit_title(fig).to_dict())
    try:
        ref = weakref.ref(fig, _forget(key))
    except TypeError:
        return out
    with _SHOWN_LOCK:
        _SHOWN[key] = (ref, out)
    return out


def chart(fig, key: str, geo: bool = False, **kwargs) -> None:
    """``st.plotly_chart`` with the dashboard's one chart configuration (the local map outlines for geo figures;
    the reader's language for month names on date axes). In the chart-only embed only the view's first chart is
    drawn (and only its source line follows it). ``fig`` is shown through :func:`shown_figure` (made into its
    dict once per figure object: never modify a figure after showing it)."""
    if chart_only():
        n = st.session_state.get("_fp_charts", 0)
        st.session_state["_fp_charts"] = n + 1
        if n:
            st.session_state["_fp_skip_caption"] = True
            return
    config = _chart_config(geo, lang())
    st.plotly_chart(shown_figure(fig), key=key, config=config, **kwargs)
    st.session_state["_fp_last_chart"] = (fig, key)  # its source line (ui.caption) adds the image downloads


@lru_cache(maxsize=8)
def _chart_config_cached(geo: bool, lang_: str) -> dict:
    return {**(MAP_CONFIG if geo else PLOTLY_CONFIG), **i18n.plotly_locale(lang_)}


def _chart_config(geo: bool, lang_: str) -> dict:
    return dict(_chart_config_cached(geo, lang_))  # a copy: Streamlit only reads it, but it is the caller's dict


def download(frame: pd.DataFrame, file_name: str, key: str, label: str | None = None) -> None:
    """A CSV download of exactly ``frame`` (formulas neutralised). The CSV is made only when the reader clicks
    (Streamlit's deferred download: ``data`` is a callable run on the click), not on every script run; the
    callable keeps a reference to ``frame``, which is never modified (pandas copy-on-write)."""
    if chart_only():
        return  # the chart-only embed: chart, source line and the link back only
    label = label or tr("Download the data behind this chart (CSV)")
    st.download_button(label, data=_csv_maker(frame), file_name=file_name, mime="text/csv", key=key,
                       on_click="ignore", icon=":material/download:")


def _csv_maker(frame: pd.DataFrame):
    def make() -> bytes:
        return to_csv_bytes(frame)
    return make


# How often the reconnect marker's (empty) fragment reruns in an open tab: only its existence matters (below).
RECONNECT_MARKER_EVERY = "1h"


@st.fragment(run_every=RECONNECT_MARKER_EVERY)
def _reconnect_marker() -> None:
    """Empty on purpose: see ``rerun_on_reconnect``."""


def rerun_on_reconnect() -> None:
    """Make the browser rerun the page whenever its websocket reconnects (call once per script run).

    A download button's file (``data=`` a callable) lives in the session that drew the button and is asked for
    with that session's id. After a server restart or a failover to another replica the frontend reconnects to a
    new session but keeps the old page and the old id, and by default it does not rerun: every download then
    fails ("session ID mismatch"). Streamlit's frontend does rerun the whole script on a reconnect when the page
    has a fragment with ``run_every`` (such a fragment must be registered again "if a new app session got
    created"); that rerun brings the new session's id and registers the files again. This empty fragment is that
    signal. Cost: one rerun of the view per reconnect, and an empty fragment run per tab per hour."""
    _reconnect_marker()


def param_notices(params: Sequence[Param]) -> list[Notice]:
    """Show warnings for the bad URL parameters (before the widgets are created): at most
    ``params.MAX_NOTICES``, each bad parameter named once (``params.fold``). Returns every bad value's notice."""
    from .params import fold  # here, not at the top: keeps this change inside the function (parallel edits)

    notices = check(raw_query(st.query_params.get_all, [p.key for p in params]), params, lang())
    for n in fold(notices, lang=lang()):
        st.warning(n.message, icon=":material/link_off:")
    return notices


def section_tabs(sections: Sequence[str], keys_by_section: dict[str, Sequence[str]] | None = None):
    """A view's lazy tabs, in the link as ``?section=`` (the English name, whatever the language): only the open
    tab's code runs (``tab.open``). Returns the tab containers and the open section's name (for the link).

    A link that names no section opens the first one whose own parameters it carries (``keys_by_section``; e.g.
    ``?item=...`` belongs to a later tab, or a link made before the page had tabs), else the first section; a
    valid ``?section=`` always wins. The tabs' state is kept per language (their labels are the translated
    names), so switching language reopens the tab named in the link."""
    _ = t()
    raw = st.query_params.get_all("section")
    default = (raw[-1] if raw and raw[-1] in sections else
               next((name for name in sections
                     if any(k in st.query_params for k in (keys_by_section or {}).get(name, ()))), sections[0]))
    labels = [_(name) for name in sections]
    key = f"section_{lang()}"
    if key not in st.session_state:  # the open tab comes from the link once; then the tabs keep their own state
        st.session_state[key] = _(default)  # (a changing default= would make Streamlit reset the tabs)
    tabs = st.tabs(labels, key=key, on_change="rerun")
    return tabs, next((name for name, tab in zip(sections, tabs) if tab.open), sections[0])


EMBED_HEIGHTS = {"where": 1250, "when": 1000, "cost": 1000, "country": 1100, "sources": 1200}
# The chart alone (?show=chart): 640 px cut the map's source line off at an article's 736 px column (seen in
# scripts/article.py's screenshots)
CHART_ONLY_HEIGHT = 720
# Where the static snapshot (python -m export snapshot, docs/hosting.md) is published, for the embed box's snapshot
# code; unset: the box says there is none.
SNAPSHOT_ENV = "FOOTPRINT_SNAPSHOT_URL"
# iframe heights that show a snapshot page in an article (chart, source line, CSV and page links; the page hides its
# citation block in an iframe) without a scrollbar from 320 to 1400 px wide (measured: scripts/article.py)
SNAPSHOT_HEIGHTS = {"map": 880, "troops": 850, "budget": 710, "sipri": 910, "country": 720}
SNAPSHOT_OUTLAYS = {"Current dollars": "outlays-current.html", "Constant FY2017 dollars": "outlays-constant.html",
                    "Percent of GDP": "outlays-percent-gdp.html"}


def _secrets_file() -> bool:
    """Whether a secrets file exists where Streamlit looks (reading st.secrets without one logs an error)."""
    try:
        from streamlit import config

        return any(Path(f).expanduser().is_file() for f in config.get_option("secrets.files"))
    except Exception:
        return False


def snapshot_base() -> tuple[str, str]:
    """The snapshot's address from FOOTPRINT_SNAPSHOT_URL: ("ok", url without a trailing slash), ("unset", ""),
    or ("bad", the value) when it is not an http(s) address with a host (never turned into a link)."""
    import os
    from urllib.parse import urlsplit

    raw = (os.environ.get(SNAPSHOT_ENV) or "").strip()
    if not raw:
        try:  # Community Cloud: a root-level secret of that name (.streamlit/secrets.toml)
            raw = str(st.secrets.get(SNAPSHOT_ENV) or "").strip() if _secrets_file() else ""
        except Exception:
            raw = ""
    if not raw:
        return "unset", ""
    try:
        parts = urlsplit(raw)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"[\s<>\"'\\]", raw)
    except ValueError:
        ok = False
    return ("ok", raw.rstrip("/")) if ok else ("bad", raw)


def _snapshot_country_code(label: object) -> str | None:
    """The country profile's ?country= value (a name, or "Name (ISO)" where two places share one) as the ISO code
    of a snapshot country page: only places with an active-duty figure have one."""
    from prep import views

    try:
        annual = data.load("troops_annual")
    except Exception:
        return None
    with_page = views.countries_with_troops(annual)
    text = str(label or "")
    m = re.search(r"\(([A-Z0-9]{3})\)$", text)
    if m and m.group(1) in with_page:
        return m.group(1)
    found = [c for c in with_page if data.entity(c)[0] == text]
    return found[0] if len(found) == 1 else None


def snapshot_page(page_path: str, values: dict[str, object]) -> tuple[str, int] | None:
    """The snapshot page that shows this view (path relative to the snapshot, iframe height), or None: the map
    view -> world-map.html#YEAR (the page opens at that year); When's troops (total, by region) -> the troop
    charts; each cost section -> its budget page; a country profile -> that place's page."""
    section = str(values.get("section") or "")
    if page_path == "where":
        year = values.get("year")
        return (f"world-map.html#{int(year)}" if isinstance(year, numbers.Integral) else "world-map.html",
                SNAPSHOT_HEIGHTS["map"])
    if page_path == "when" and section in ("", "Troops abroad"):
        rel = {"Total": "troops-total.html", "By region": "troops-by-region.html"}.get(str(values.get("view") or "Total"))
        return (rel, SNAPSHOT_HEIGHTS["troops"]) if rel else None
    if page_path == "cost":
        if section in ("", "Outlays"):
            rel = SNAPSHOT_OUTLAYS.get(str(values.get("unit") or "Current dollars"))
            return (rel, SNAPSHOT_HEIGHTS["budget"]) if rel else None
        if section == "Budget authority":
            return "budget-authority.html", SNAPSHOT_HEIGHTS["budget"]
        if section == "Other countries":
            from prep import views

            try:
                return f"sipri-{views.sipri_latest_year(data.load('sipri'))}.html", SNAPSHOT_HEIGHTS["sipri"]
            except Exception:
                return None
        if section == "FY2024":
            return "fy2024.html", SNAPSHOT_HEIGHTS["budget"]
        return None
    if page_path == "country":
        code = _snapshot_country_code(values.get("country"))
        return (f"country/{code}.html", SNAPSHOT_HEIGHTS["country"]) if code else None
    return None


def snapshot_code(page_path: str, values: dict[str, object]) -> tuple[str, str]:
    """("code", the iframe code for the view's snapshot page) or ("note", one line saying why there is none)."""
    _ = t()
    state, base = snapshot_base()
    if state == "unset":
        return "note", _("No static snapshot address is set on this server ({env}), so there is no snapshot code "
                         "here.").format(env=SNAPSHOT_ENV)
    if state == "bad":
        return "note", _("The snapshot address set on this server ({env}) is not an http:// or https:// address; "
                         "no snapshot code is offered until it is fixed.").format(env=SNAPSHOT_ENV)
    found = snapshot_page(page_path, values)
    if found is None:
        return "note", _("This view has no page in the static snapshot; embed the live view above instead.")
    rel, height = found
    title = html.escape(_("Footprint: the US military abroad"), quote=True)
    return "code", (f'<iframe src="{html.escape(base + "/" + rel, quote=True)}" title="{title}" width="100%" '
                    f'height="{height}" style="border:0" loading="lazy" data-footprint-embed></iframe>'
                    + SNAPSHOT_RESIZE)


# After the snapshot iframe in the embed code: the snapshot page reports its height (export/snapshot.py
# HEIGHT_SCRIPT) and this resizes the frame that sent it, within bounds; with scripts stripped, the iframe's height
# attribute applies. Idempotent when an article carries it more than once.
SNAPSHOT_RESIZE = ('<script>window.addEventListener("message",function(e){var d=e.data;'
                   'if(!d||d.footprint!=="height")return;var h=Math.round(+d.height);if(!(h>=150&&h<=4000))return;'
                   'document.querySelectorAll("iframe[data-footprint-embed]").forEach(function(f){'
                   'if(f.contentWindow===e.source)f.style.height=h+"px";});});</script>')


@st.cache_resource(max_entries=4, show_spinner=False)
def _data_version(stamp: tuple) -> str:
    import hashlib

    digest = hashlib.sha256()
    folder = data.data_dir()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".csv", ".yaml")):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def data_version() -> str:
    """A short hash of every file in data/ (what a citation names as the data version), once per data state."""
    return _data_version(data.tree_stamp())  # the files' stamps, looked at again at most once a second


def share(page_path: str, values: dict[str, object], defaults: dict[str, object], sync: Iterable[str] = (),
          page_title: str = "") -> str:
    """'Share this view': the link that reopens this page with the reader's current choices and language. Also
    writes the choices of the widgets in ``sync`` (not bound by Streamlit) into the browser's address bar, so the
    address is always the view's link. Returns the link."""
    sync_url(values, defaults, sync)
    query: list[tuple[str, str]] = []
    for key, value in values.items():
        if value == defaults.get(key):
            continue
        if isinstance(value, (list, tuple)):
            query.extend((key, str(v)) for v in value)
            if not value:
                query.append((key, ""))
        elif isinstance(value, bool):
            query.append((key, "true" if value else "false"))
        else:
            query.append((key, str(value)))
    query.append(("lang", lang()))  # the reader's language travels with the link, whatever the recipient's browser
    base = ""
    try:
        base = st.context.url or ""
    except Exception:
        base = ""
    base = base.split("?")[0].split("#")[0].rstrip("/")
    last = base.rsplit("/", 1)[-1] if base.count("/") > 2 else ""
    if last in PAGE_PATHS:
        base = base.rsplit("/", 1)[0]
    # the default page (Where) is served at the app's root; Streamlit does not answer its url_path
    base = f"{base}/" if page_path == DEFAULT_PAGE else f"{base}/{page_path}"
    url = base + ("?" + urlencode(query) if query else "")
    _ = t()
    # In an embed (Streamlit marks the app .streamlit-embedded; the server cannot see ?embed=true), PAGE_CSS shows
    # only this small link back to the full view and hides the share box; elsewhere the reverse.
    st.html(f'<p class="fp-embed-link"><a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener">'
            f'{html.escape(_("Footprint: open the full view"))}</a></p>')
    if chart_only():
        return url
    box = st.container(key="sharebox")
    # A plain link, not st.code: the code block's syntax highlighter adds ~1.6 MB of script to a first visit.
    box.html(f'<p class="fp-share"><b>{html.escape(_("Share this view:"))}</b> '
             f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a></p>')
    with box.expander(_("Embed this view or cite it")):
        sep = "&" if "?" in url else "?"
        full, only = f"{url}{sep}embed=true", f"{url}{sep}embed=true&show=chart"
        title = html.escape(_("Footprint: the US military abroad"), quote=True)
        code = (f'<iframe src="{full}" title="{title}" width="100%" height="{EMBED_HEIGHTS.get(page_path, 900)}" '
                f'style="border:0" loading="lazy"></iframe>')
        # the chart alone reports its height (chart_height_reporter) and the script sizes the frame to it; with
        # scripts stripped the height attribute applies
        code_chart = (f'<iframe src="{only}" title="{title}" width="100%" height="{CHART_ONLY_HEIGHT}" style="border:0" '
                      f'loading="lazy" data-footprint-embed></iframe>' + SNAPSHOT_RESIZE)
        version = data_version()
        today = _dt.date.today()
        cite = _("Footprint (2026). \"{title}\". {url} (accessed {date}; data version {version}).").format(
            title=page_title, url=url, date=i18n.date_text(today, "day", lang()), version=version)
        bib = ("@misc{footprint_" + page_path + "_" + today.strftime("%Y%m%d") + ",\n"
               f"  title = {{{page_title}}},\n  author = {{{{Footprint}}}},\n  year = {{{today.year}}},\n"
               f"  howpublished = {{\\url{{{url}}}}},\n  note = {{Accessed {today.isoformat()}; data version {version}}}\n}}")
        kind, snap = snapshot_code(page_path, values)
        snap_label = _("The static snapshot of this chart (plain files: loads fast and never sleeps; figures as of "
                       "the snapshot's date):")
        snap_html = (f'<p class="fp-caption"><b>{html.escape(snap_label)}</b></p><pre class="fp-code fp-snapshot">'
                     f'{html.escape(snap)}</pre>' if kind == "code" else
                     f'<p class="fp-caption fp-snapshot-note">{html.escape(snap)}</p>')
        st.html("".join(f'<p class="fp-caption"><b>{html.escape(label)}</b></p><pre class="fp-code">{html.escape(text)}</pre>'
                        for label, text in ((_("The whole view, for an iframe in an article:"), code),
                                            (_("The chart alone, with its source line:"), code_chart)))
                + snap_html
                + "".join(f'<p class="fp-caption"><b>{html.escape(label)}</b></p><pre class="fp-code">{html.escape(text)}</pre>'
                          for label, text in ((_("Cite this view:"), cite), ("BibTeX", bib))))
    return url
