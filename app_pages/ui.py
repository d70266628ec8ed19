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
    """Escape text for st.markdown / st.caption: no Markdown, links, HTML or LaTeX from data."""
    s = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    s = s.replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", s)


def html_table(frame: pd.DataFrame, numeric: Sequence[str] = ()) -> str:
    """A small frame as an HTML table, every header and cell HTML-escaped (columns in ``numeric``
    right-aligned with thousands separators; a missing value shows as "not reported").

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
    rows = "".join("<tr>" + "".join(f"<td{a}>{cell(c, v)}</td>" for c, a, v in zip(cols, attrs, row)) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<table class="fp-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def show_table(frame: pd.DataFrame, numeric: Sequence[str] = ()) -> None:
    """Show a small frame as an escaped HTML table (:func:`html_table`; styled by PAGE_CSS)."""
    st.html(html_table(frame, numeric))


# Written by the app itself, no data in it; dashboard.py adds it to every page. The tables scroll sideways inside
# their column instead of being cut off on a phone, and use the theme's text colour (light or dark). On a narrow
# screen the world map's element (in the container keyed "worldmap", app_pages/where.py) is lower: the world is
# width-bound there, and at the wide-screen height it sat between two empty bands. flex-basis is what Streamlit
# sizes the element with.
PAGE_CSS = """
.fp-table {display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin: 0 0 1rem 0;
           font-size: 0.95rem; line-height: 1.4;}
.fp-table th, .fp-table td {border: 1px solid rgba(128, 128, 128, 0.3); padding: 0.4rem 0.75rem;
                            text-align: left; vertical-align: top;}
.fp-table th {font-weight: 600;}
.fp-table .num {text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;}
@media (max-width: 640px) {
  .st-key-worldmap [data-testid="stElementContainer"], .st-key-worldmap [data-testid="stFullScreenFrame"],
  .st-key-worldmap [data-testid="stPlotlyChart"] {height: 350px !important; flex-basis: 350px !important;}
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
    try:
        known = data.sources()
    except DataError:
        known = {}
    parts = []
    for sid in dict.fromkeys(s for s in source_ids if isinstance(s, str) and s):
        src = known.get(sid)
        parts.append(f"{src.caption} ({src.url})" if src else f"{sid} (source block missing from sources.yaml)")
    return "; ".join(parts)


def caption(source_ids: Iterable[str], note: str = "") -> None:
    """The source caption under a chart, from sources.yaml."""
    line = source_line(source_ids)
    text = f"Source: {md(line)}" if line else "Source: not recorded"
    if note:
        text += f". {md(note)}"
    st.caption(text)


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
    """Show a warning for each bad URL parameter (before the widgets are created) and return them."""
    notices = check(raw_query(st.query_params.get_all, [p.key for p in params]), params)
    for n in notices:
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
