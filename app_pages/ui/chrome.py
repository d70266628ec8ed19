"""Page chrome: the page style and its one-line scripts, the language switch, the views' links on a phone, a view's head, its lazy tabs, the
chart-only embed's set-up and the rerun after a reconnect."""
from __future__ import annotations

import html
from typing import Sequence

import streamlit as st

import i18n

from . import assets
from .context import SHOW, browser_lang, lang, t, tr
from .links import seed, sync_url

# The app's own style and scripts (app_pages/ui/assets): dashboard.py adds PAGE_CSS to every page, CHART_ONLY_CSS
# to the chart-only embed's; an embed (the whole view or the chart alone) reports its height to the article framing
# it (chart-height.js: it does nothing outside an iframe with embed=true in its address).
PAGE_CSS = assets.css("page.css")
CHART_ONLY_CSS = assets.css("chart-only.css")
CHART_HEIGHT_SCRIPT = assets.script("chart-height.js")
TAB_SCROLL_SCRIPT = assets.script("tab-scroll.js")  # the open tab in sight on a phone


def embed_start() -> None:
    """Called by dashboard.py before the page runs: resets the per-run chart count of the chart-only form and,
    for an embed, a bad ``show`` value gets the usual notice. An embed reports its height to the article that
    frames it (CHART_HEIGHT_SCRIPT); the server cannot tell an embed (Streamlit hides ``embed`` from the script),
    so the script is on every page and decides in the browser."""
    page_script("height", CHART_HEIGHT_SCRIPT)
    st.session_state["_fp_charts"] = 0
    st.session_state["_fp_captioned"] = False
    raw = st.query_params.get_all("show")
    if raw and raw[-1] not in SHOW:
        st.warning(tr("The link's parameter `show={value}` is not one of the options (chart); showing the whole view.")
                   .format(value=raw[-1].replace("`", "'")[:20]), icon=":material/link_off:")


def language_switch() -> str:
    """The language switch shown on every page (dashboard.py), in the link as ``?lang=`` (a code of
    ``i18n.LANGS``): a link without it
    opens in the browser's language (``st.context.locale``), else English. Each language is named in its own
    words. The address bar always carries it (sync_url). Not bound by Streamlit: a bound widget writes its displayed name ("Español") into the link, and the
    link's value must be the code; the switch writes it itself."""
    default = browser_lang()
    raw = st.query_params.get_all("lang")
    if raw and raw[-1] not in i18n.LANGS:  # say so, and use the browser's language
        _ = i18n.gettext_for(default)
        st.warning(_("The link's language `lang={value}` is not one of the options ({options}); showing {name}.")
                   .format(value=raw[-1].replace("`", "'")[:20], options=", ".join(i18n.LANGS), name=i18n.name(default)),
                   icon=":material/link_off:")
    seed("lang", i18n.LANGS, default)
    with st.container(horizontal=True, horizontal_alignment="right", key="langswitch"):
        # its label (read by screen readers) in every language: "Language / Idioma"
        label = " / ".join(dict.fromkeys(i18n.gettext_for(code)("Language") for code in i18n.LANGS))
        value = st.segmented_control(label, list(i18n.LANGS), format_func=i18n.name, key="lang",
                                     required=True, label_visibility="collapsed")
    value = i18n.norm(value)
    # always in the address, even when it is the browser's language: a link copied from the address bar opens
    # in the same language for a recipient whose browser speaks another
    sync_url({"lang": value}, {}, ("lang",))
    return value


def phone_nav(pages: Sequence) -> None:
    """The views as a row of links under the language switch, shown only where Streamlit folds its top navigation
    into the sidebar (under 768 px, PAGE_CSS): on a phone the other views were reachable only through the sidebar's
    small icon. Each link keeps the reader's language (``?lang=``)."""
    with st.container(horizontal=True, key="phonenav", gap="small"):
        for page in pages:
            st.page_link(page, query_params={"lang": lang()})


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


BRAND = i18n.N_("Footprint · the US military abroad, every figure with its source")


def page_head(title: str, intro: str) -> None:
    """A view's first screen: the product's name, the title, and one plain sentence on what the page shows, in
    what unit and from which source (text written by the app; escaped all the same)."""
    st.html(f'<p class="fp-brand">{html.escape(t()(BRAND))}</p>')
    st.title(title)
    st.html(f'<p class="fp-intro">{html.escape(intro)}</p>')




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
    page_script("tabs", TAB_SCROLL_SCRIPT)
    return tabs, next((name for name, tab in zip(sections, tabs) if tab.open), sections[0])
