"""The view's state in its link: widgets seeded from the URL's parameters, the reader's choices written back,
and the notices for parameters that are not valid."""
from __future__ import annotations

from typing import Iterable, Sequence

import streamlit as st

from ..params import Notice, Param, check, fold, raw_query
from .context import lang, tr


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


def param_notices(params: Sequence[Param]) -> list[Notice]:
    """Show warnings for the bad URL parameters (before the widgets are created): at most
    ``params.MAX_NOTICES``, each bad parameter named once (``params.fold``). Returns every bad value's notice."""
    notices = check(raw_query(st.query_params.get_all, [p.key for p in params]), params, lang())
    for n in fold(notices, lang=lang()):
        st.warning(n.message, icon=":material/link_off:")
    return notices
