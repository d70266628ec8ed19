"""Shared Streamlit helpers for the views: tables with visible errors, source captions, safe CSV downloads,
URL parameter notices and the "Share this view" link. Text that comes from data is escaped before Markdown."""
from __future__ import annotations

import html
import numbers
import re
from typing import Iterable, Sequence
from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

from loaders.schema import DataError

from . import data
from .export import to_csv_bytes
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


def html_table(frame: pd.DataFrame, numeric: Sequence[str] = (), cards: bool | None = None) -> str:
    """A small frame as an HTML table, every header and cell HTML-escaped (columns in ``numeric``
    right-aligned with thousands separators; a missing value shows as "not reported").

    ``cards`` (default: more than four columns): on a phone the table is shown as one card per row, each cell
    under its column's name (PAGE_CSS, ``.fp-cards``), so a wide table reads without sideways scrolling.

    Used for the short ranked tables beside a chart, shown with :func:`show_table`. An HTML table costs the
    browser almost nothing to draw: ``st.dataframe`` pulls ~1.3 MB of grid and Arrow code into a first visit, and
    a Markdown table is parsed by the Markdown renderer on the main thread, which was about half of that
    renderer's time on the map view (docs/performance.md)."""
    def cell(col: str, v: object) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return "not reported"
        if col in numeric and isinstance(v, numbers.Real) and not isinstance(v, bool):
            return f"{v:,.0f}" if float(v).is_integer() else f"{v:,}"
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
#   is smaller, so the map and charts get the width.
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
.fp-caption a, [data-testid="stCaptionContainer"] a {color: #1f4e9c;}
.fp-caption details summary {cursor: pointer; color: #1f4e9c;}
.fp-caption details ul {margin: 0.25rem 0 0.25rem 1.1rem; padding: 0;}
.fp-table {display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin: 0 0 1rem 0;
           font-size: 0.95rem; line-height: 1.4;}
.fp-table th, .fp-table td {border: 1px solid rgba(128, 128, 128, 0.3); padding: 0.4rem 0.75rem;
                            text-align: left; vertical-align: top;}
.fp-table th {font-weight: 600;}
.fp-table .num {text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;}
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
    files = sorted({p.file for p in exc.problems})
    lines = [f"**Cannot show {md(what)}**: a data file is missing or broken ({md(', '.join(files))})."]
    for p in exc.problems[:8]:
        lines.append(f"- {md(str(p))}")
    if len(exc.problems) > 8:
        lines.append(f"- … and {len(exc.problems) - 8} more problems")
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
        st.error(f"**Cannot show {md(what)}**: data/deployments could not be read ({md(type(exc).__name__)}).")
        return None
    if problems:
        files = sorted({p.file for p in problems})
        st.warning(f"Some deployment files were left out because they are not valid ({md(', '.join(files))}): "
                   + "; ".join(md(str(p)) for p in problems[:5]))
    return frame


def source_line(source_ids: Iterable[str]) -> str:
    """Caption text for the given source ids (unknown ids are named, never dropped)."""
    known = known_sources()
    parts = []
    for sid in dict.fromkeys(s for s in source_ids if isinstance(s, str) and s):
        src = known.get(sid)
        parts.append(f"{src.caption} ({src.url})" if src else f"{sid} (source block missing from sources.yaml)")
    return "; ".join(parts)


def known_sources() -> dict:
    try:
        return data.sources()
    except DataError:
        return {}


def caption(source_ids: Iterable[str], note: str = "", more: str = "") -> None:
    """The source line under a chart or table, from sources.yaml: ``Source: <first source>`` and ``note``; when
    there are more sources (or ``more``, a longer method note), they fold under "and N more" (an HTML
    ``<details>``), so a long list does not run to a dozen lines on a phone. Every text is escaped; only the
    sources' own URLs become links."""
    known = known_sources()
    items = []
    for sid in dict.fromkeys(s for s in source_ids if isinstance(s, str) and s):
        src = known.get(sid)
        items.append((src.caption, src.url) if src else (f"{sid} (source block missing from sources.yaml)", ""))
    if len(items) <= 2 and not more:  # short: one caption line, as before
        line = "; ".join(f"{c} ({u})" if u else c for c, u in items)
        text = f"Source: {md(line)}" if line else "Source: not recorded"
        if note:
            text += f". {md(note)}"
        st.caption(text)
        return
    st.html(caption_html(items, note, more))


def _source_link(text: str, url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{html.escape(text)}</a>'
    return html.escape(text)


def caption_html(items: Sequence[tuple[str, str]], note: str = "", more: str = "") -> str:
    """The folded source caption (see :func:`caption`): ``items`` are (caption, url) pairs."""
    first = _source_link(*items[0]) if items else "not recorded"
    rest = len(items) - 1
    head = f"Source: {first}" + (f" and {rest} more" if rest > 0 else "") + "."
    if note:
        head += " " + html.escape(note.rstrip(".")) + "."
    body = ""
    if rest > 0 or more:
        label = (f"All {len(items)} sources" if rest > 0 else "") + (" and method" if more and rest > 0 else
                                                                      "How this is counted" if more else "")
        lis = "".join(f"<li>{_source_link(c, u)}" + (f" ({html.escape(u)})" if u else "") + "</li>" for c, u in items)
        body = (f"<details><summary>{label}</summary>" + (f"<ul>{lis}</ul>" if rest > 0 else "")
                + (f"<p>{html.escape(more)}</p>" if more else "") + "</details>")
    return f'<div class="fp-caption">{head}{body}</div>'


BRAND = "Footprint · the US military abroad, every figure with its source"


def page_head(title: str, intro: str) -> None:
    """A view's first screen: the product's name, the title, and one plain sentence on what the page shows, in
    what unit and from which source (text written by the app; escaped all the same)."""
    st.html(f'<p class="fp-brand">{html.escape(BRAND)}</p>')
    st.title(title)
    st.html(f'<p class="fp-intro">{html.escape(intro)}</p>')


PLOTLY_CONFIG = {"displaylogo": False,
                 # the toolbar keeps what readers use: the image download, zoom and reset (no lasso/select/pan)
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                                            "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian",
                                            "hoverClosestGeo", "pan", "select", "lasso"]}
MAP_CONFIG = {**PLOTLY_CONFIG, "topojsonURL": "app/static/"}


def chart(fig, key: str, geo: bool = False, **kwargs) -> None:
    """``st.plotly_chart`` with the dashboard's one chart configuration (the local map outlines for geo figures)."""
    st.plotly_chart(fig, key=key, config=MAP_CONFIG if geo else PLOTLY_CONFIG, **kwargs)


def download(frame: pd.DataFrame, file_name: str, key: str, label: str = "Download the data behind this chart (CSV)") -> None:
    """A CSV download of exactly ``frame`` (formulas neutralised). The CSV is made only when the reader clicks
    (Streamlit's deferred download: ``data`` is a callable run on the click), not on every script run; the
    callable keeps a reference to ``frame``, which is never modified (pandas copy-on-write)."""
    st.download_button(label, data=_csv_maker(frame), file_name=file_name, mime="text/csv", key=key,
                       on_click="ignore", icon=":material/download:")


def _csv_maker(frame: pd.DataFrame):
    def make() -> bytes:
        return to_csv_bytes(frame)
    return make


def param_notices(params: Sequence[Param]) -> list[Notice]:
    """Show warnings for the bad URL parameters (before the widgets are created): at most
    ``params.MAX_NOTICES``, each bad parameter named once (``params.fold``). Returns every bad value's notice."""
    from .params import fold  # here, not at the top: keeps this change inside the function (parallel edits)

    notices = check(raw_query(st.query_params.get_all, [p.key for p in params]), params)
    for n in fold(notices):
        st.warning(n.message, icon=":material/link_off:")
    return notices


def section_tabs(sections: Sequence[str], keys_by_section: dict[str, Sequence[str]] | None = None):
    """A view's lazy tabs, bound to ``?section=``: only the open tab's code runs (``tab.open``), and the open tab is
    part of the link. Returns the tab containers and the open section's name (for the share link).

    A link that names no section opens the first one whose own parameters it carries (``keys_by_section``; e.g.
    ``?item=...`` belongs to a later tab, or a link made before the page had tabs), else the first section; a
    valid ``?section=`` always wins."""
    default = next((name for name in sections
                    if any(k in st.query_params for k in (keys_by_section or {}).get(name, ()))), sections[0])
    tabs = st.tabs(list(sections), default=default, key="section", bind="query-params")
    return tabs, next((name for name, tab in zip(sections, tabs) if tab.open), sections[0])


def share(page_path: str, values: dict[str, object], defaults: dict[str, object]) -> None:
    """'Share this view': the link that reopens this page with the reader's current choices."""
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
    if st.query_params.get("embed"):
        query.append(("embed", "true"))
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
    # A plain link, not st.code: the code block's syntax highlighter adds ~1.6 MB of script to a first visit.
    # Every character that could end the Markdown link or start markup is percent-encoded.
    safe = quote(url, safe=":/?&=%#+,;@-._~")
    st.markdown(f"**Share this view:** [{md(url)}]({safe})")
