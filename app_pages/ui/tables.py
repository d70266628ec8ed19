"""Tables on a page: the data layer's tables with visible errors (a broken file is named, never a traceback) and
small frames as escaped HTML tables."""
from __future__ import annotations

import html
import numbers
from typing import Sequence

import pandas as pd
import streamlit as st

import i18n
from loaders.schema import DataError

from .. import data
from .context import lang, t, tr
from .perobject import PerObject
from .text import md

# The HTML of a shown table, per frame object and (numeric, cards, language): the views' frames are cached and
# shared (data.memo), so every new tab showed the same table and built the same string again (a few ms a table:
# a quarter of the map view's run). Kept while the frame lives (ui.perobject), as ui.figures does for figures.
_HTML = PerObject()


def html_table(frame: pd.DataFrame, numeric: Sequence[str] = (), cards: bool | None = None,
               lang_: str | None = None) -> str:
    """A small frame as an HTML table, every header and cell HTML-escaped (columns in ``numeric``
    right-aligned with thousands separators; a missing value shows as "not reported").

    ``cards`` (default: more than four columns): on a phone the table is shown as one card per row, each cell
    under its column's name (PAGE_CSS, ``.fp-cards``), so a wide table reads without sideways scrolling.

    Used for the short ranked tables beside a chart, shown with :func:`show_table`. An HTML table costs the
    browser almost nothing to draw: ``st.dataframe`` pulls ~1.3 MB of grid and Arrow code into a first visit, and
    a Markdown table is parsed by the Markdown renderer on the main thread, which was about half of that
    renderer's time on the map view (docs/performance.md). ``lang_``: the language (default: the reader's)."""
    lang_ = lang_ or lang()
    missing = i18n.gettext_for(lang_)("not reported")

    def cell(col: str, v: object) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return missing
        if col in numeric and isinstance(v, numbers.Real) and not isinstance(v, bool):
            return i18n.num(v, lang_) if float(v).is_integer() else i18n.num(v, lang_, 2)
        return html.escape(str(v))

    cols = list(frame.columns)
    attrs = [' class="num"' if c in numeric else "" for c in cols]
    head = "".join(f"<th{a}>{html.escape(str(c))}</th>" for c, a in zip(cols, attrs))
    labels = [f' data-label="{html.escape(str(c), quote=True)}"' for c in cols]
    rows = "".join("<tr>" + "".join(f"<td{a}{lab}>{cell(c, v)}</td>" for c, a, lab, v in zip(cols, attrs, labels, row))
                   + "</tr>" for row in frame.itertuples(index=False))
    kind = "fp-table fp-cards" if (len(cols) > 4 if cards is None else cards) else "fp-table"
    return f'<table class="{kind}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def shown_table(frame: pd.DataFrame, numeric: Sequence[str] = (), cards: bool | None = None,
                lang_: str | None = None) -> str:
    """:func:`html_table` made once per frame object, options and language (default: the reader's): never modify
    a frame after showing it (the views' frames are read-only anyway, data.memo)."""
    lang_ = lang_ or lang()
    return _HTML.get(frame, (tuple(numeric), cards, lang_), lambda: html_table(frame, numeric, cards, lang_))


def show_table(frame: pd.DataFrame, numeric: Sequence[str] = (), cards: bool | None = None) -> None:
    """Show a small frame as an escaped HTML table (:func:`html_table`, made once per frame object:
    :func:`shown_table`; styled by PAGE_CSS)."""
    st.html(shown_table(frame, numeric, cards))


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
