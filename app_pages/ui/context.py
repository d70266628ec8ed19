"""The reader's context for this run: their language (with the translation helpers that follow it) and whether
the page is the chart-only form of an embed."""
from __future__ import annotations

import streamlit as st

import i18n


def lang() -> str:
    """The reader's language for this run: the switch in dashboard.py (``?lang=``, else the browser's language);
    in an embed, where no switch is shown, the link's ``lang`` or the browser's language."""
    if st.session_state.get("lang"):
        return i18n.norm(st.session_state["lang"])
    raw = st.query_params.get("lang")
    return i18n.norm(raw) if raw in i18n.LANGS else browser_lang()


def browser_lang() -> str:
    """The browser's language if it is one of ours (``st.context.locale``), else the default."""
    try:
        return i18n.norm(st.context.locale)
    except Exception:
        return i18n.DEFAULT


def t():
    """``gettext`` of the reader's language, for ``_ = ui.t()`` at the top of a page or function."""
    return i18n.gettext_for(lang())


def tr(text: str) -> str:
    """``text`` in the reader's language (marked for extraction: babel.cfg's keyword ``tr``)."""
    return t()(text)


def num(value: object, digits: int = 0) -> str:
    """A number in the reader's language."""
    return i18n.num(value, lang(), digits)


SHOW = ("chart",)  # ?show=chart: the chart-only form of an embed


def chart_only() -> bool:
    """True for the chart-only form of an embed (``?show=chart``, with ``embed=true`` in the iframe code): the
    view's first chart, its title, its source line and the link back, nothing else."""
    return st.query_params.get("show") == "chart"
