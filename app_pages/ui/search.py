"""The search box on every view (dashboard.py puts it under the language switch, above the view): a text input
in the link as ``?q=`` and, once the reader presses Enter, a short list of links to what it found (prep/search.py).
The index is built once per data version and kept for the process; a run with an empty box builds and reads
nothing."""
from __future__ import annotations

from typing import Mapping

import streamlit as st

from loaders.schema import DataError
from prep import search as search_prep

from . import assets
from .context import lang, t
from .share import data_version
from .text import md

SEARCH_CSS = assets.css("search.css")
ICONS = {"country": ":material/flag:", "record": ":material/event:", "place": ":material/place:",
         "source": ":material/menu_book:"}


def _tables() -> dict[str, object]:
    """The tables the views read (app_pages/data.py), each None when it cannot be read (the views say why)."""
    from app_pages import data

    def read(fn, *args):
        try:
            return fn(*args)
        except (DataError, OSError):
            return None

    deps = read(data.deployments)
    return {"annual": read(data.load, "troops_annual"), "bases": read(data.load, "bases"),
            "deps": deps[0] if deps is not None else None, "ex": read(data.load, "exercises"),
            "ctx": read(data.load, "context_events"), "sources": read(data.sources)}


def index() -> search_prep.SearchIndex:
    """The search index of the current data version (built by the first query after a data change)."""
    version = data_version()
    return search_prep.cached_index(version, lambda: search_prep.build_index(**_tables(), version=version))


def _where() -> tuple:
    """The page and link the reader is on (the search box's own ``q`` left out)."""
    return (st.session_state.get("_fp_search_page"),
            tuple(sorted((k, tuple(st.query_params.get_all(k))) for k in st.query_params if k != "q")))


def _typed() -> None:
    st.session_state["_fp_search_at"] = _where()


def search_box(pages: Mapping[str, object], current: object) -> None:
    """The box and its results. ``pages`` maps each view's path (prep/registry.py) to its navigation page: a
    result is a link to the view that shows it, with its parameters and the reader's language. ``current`` is
    the page this run shows. The results belong to the page and link they were asked on: once the reader follows
    one (or changes the view), the box is emptied, so the view they open is not pushed down by a stale list."""
    _ = t()
    st.session_state["_fp_search_page"] = getattr(current, "url_path", None)
    if st.session_state.get("q") or st.query_params.get("q"):
        if "_fp_search_at" not in st.session_state:  # a link that carries ?q= shows its results
            st.session_state["_fp_search_at"] = _where()
        elif st.session_state["_fp_search_at"] != _where():
            st.session_state["q"] = ""
    with st.container(key="fp_search"):
        query = st.text_input(_("Search"), key="q", bind="query-params", type="search", on_change=_typed,
                              placeholder=_("Search countries, places, records, sources"),
                              label_visibility="collapsed")
        if not (query or "").strip():
            return
        hits = search_prep.search(index(), query, lang())
        if not hits:
            st.caption(_("Nothing found for “{query}”.").format(query=md(query.strip()[:search_prep.MAX_QUERY])))
            return
        with st.container(key="fp_search_results", gap="small"):
            for hit in hits:
                page = pages.get(hit.view)
                if page is None:
                    continue
                st.page_link(page, label=f"{md(hit.label)} · {md(hit.detail)}", icon=ICONS[hit.entry.kind],
                             query_params=hit.params)
