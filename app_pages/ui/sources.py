"""Source lines: the caption under each chart or table (its first source, the rest folded), a full list of
citations, and the sources known to sources.yaml."""
from __future__ import annotations

import html
from typing import Iterable, Sequence

import streamlit as st

import i18n
from charts.common import short_source_line
from loaders.schema import DataError

from .. import data
from .context import chart_only, lang, t, tr
from .figures import image_downloads
from .text import source_link


def source_list(ids: Sequence[str], known: dict | None = None) -> None:
    """The full citations of ``ids`` as a list, each with its link (the sources' own URLs are meant to be links).
    Without ``known`` (sources.yaml's), the list's HTML is made once per list, language and sources.yaml."""
    if known is None:
        st.html(data.memo(_source_list_html, tuple(ids), lang(), tables=("sources",)))
    else:
        st.html(source_list_html(ids, known))


def _source_list_html(ids: tuple[str, ...], lang_: str) -> str:
    return source_list_html(ids, known_sources())


def source_list_html(ids: Sequence[str], known: dict) -> str:
    items = []
    for sid in ids:
        src = known.get(sid)
        if src is None:
            items.append(f"<li>{html.escape(str(sid))}</li>")
        else:
            items.append(f"<li>{html.escape(citation(src))} " + source_link(src.url, src.url) + "</li>")
    none = tr("No sources recorded.")
    return '<ul class="fp-sources">' + "".join(items) + "</ul>" if items else f"<p>{html.escape(none)}</p>"


def citation(src) -> str:
    """A source's citation for the reader: its ``citation_<lang>`` where the file gives one (the citation has
    English words besides names and titles), its dates in the reader's language."""
    return i18n.dates_in_text(i18n.localized(src, "citation", lang(), mark=False), lang())


def source_caption(src) -> str:
    """A source's short caption in the reader's language: the file's translation of its short form
    (``short_<lang>``) where it gives one, else the caption (language-neutral: names and titles)."""
    return i18n.translation_of(src, "short", lang()) or src.caption


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
    cited = [s for s in source_ids if isinstance(s, str) and s]
    items = []
    for sid in dict.fromkeys(cited):
        src = known.get(sid)
        items.append((source_caption(src), src.url) if src else
                     (tr("{id} (source block missing from sources.yaml)").format(id=sid), ""))
    st.html(caption_html(items, note, more))
    if chart_only():
        st.session_state["_fp_captioned"] = True
        return
    last = st.session_state.pop("_fp_last_chart", None)
    if last is not None:
        # the image names the publishers only (the links stay on the page, under the chart, and in the CSV)
        image_downloads(last[0], last[1], short_source_line([known[s] for s in cited if s in known], lang()))


def caption_html(items: Sequence[tuple[str, str]], note: str = "", more: str = "") -> str:
    """The source caption (see :func:`caption`): ``items`` are (caption, url) pairs."""
    _ = t()
    first = source_link(*items[0]) if items else html.escape(_("not recorded"))
    if len(items) == 2 and not more:  # two sources: both on the line, no fold
        first += "; " + source_link(*items[1])
        items = items[:1]
    rest = len(items) - 1
    head = _("Source: {first}").format(first=first) + (_(" and {n} more").format(n=rest) if rest > 0 else "") + "."
    if note:
        head += " " + html.escape(note.rstrip(".")) + "."
    body = ""
    if rest > 0 or more:
        label = (_("All {n} sources and method").format(n=len(items)) if more and rest > 0 else
                 _("All {n} sources").format(n=len(items)) if rest > 0 else _("How this is counted"))
        lis = "".join(f"<li>{source_link(c, u)}" + (f" ({html.escape(u)})" if u else "") + "</li>" for c, u in items)
        body = (f"<details><summary>{html.escape(label)}</summary>" + (f"<ul>{lis}</ul>" if rest > 0 else "")
                + (f"<p>{html.escape(more)}</p>" if more else "") + "</details>")
    return f'<div class="fp-caption">{head}{body}</div>'
