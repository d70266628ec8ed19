"""Footprint: US troops, bases, deployments and military budgets abroad, every figure with its source.

Run with `streamlit run dashboard.py`. This file only sets the page up (language, navigation) and declares the
views; each view lives in app_pages/, the figures in charts/, the data in data/ (read through loaders/).
"""
from pathlib import Path

import streamlit as st

import i18n
from app_pages import gate, ui
from app_pages.ui import PAGE_CSS
from app_pages.ui.search import SEARCH_CSS, search_box
from prep import registry

# At most FOOTPRINT_MAX_RUNS (2) runs execute at once; the others wait their turn in order (app_pages/gate.py):
# under a burst of new readers the first pages arrive at once instead of all of them late together. A run of the
# animation with every year (?play=true, 1-1.4 MB) goes alone, after the readers waiting.
with gate.turn(heavy=st.query_params.get("play") == "true"):
    # The language of this run: the switch's state, else the link's ?lang=, else the browser's language.
    _lang = i18n.norm(st.session_state.get("lang") or st.query_params.get("lang") or ui.browser_lang())
    _ = i18n.gettext_for(_lang)

    st.set_page_config(
        page_title=_("Footprint: the US military abroad"),
        # a local image: a :material/...: favicon is fetched from fonts.gstatic.com (seen in the browser tests)
        page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
        layout="wide",
        menu_items={"About": _("Footprint: US troops, bases, deployments and military budgets abroad, 1950 to today. "
                               "Every figure is shown with its source; see the Sources & data page.")},
    )

    # The page style (app_pages/ui/assets/page.css: tables, the world map's height on a phone): the app's own, no data in it.
    # In an embed (?embed=true) the page style hides the navigation, the switch and the share box (page.css); the
    # chart-only form (?show=chart) also hides everything but the first chart, its source line and the link back.
    st.html("<style>" + PAGE_CSS + SEARCH_CSS + (ui.CHART_ONLY_CSS if ui.chart_only() else "") + "</style>")
    _lang = ui.language_switch()  # on every page, in the link as ?lang=
    _ = i18n.gettext_for(_lang)
    ui.page_language(_lang)  # <html lang="es"> on a Spanish page (screen readers, translation)
    ui.embed_start()
    ui.rerun_on_reconnect()  # downloads keep working after a server restart or a failover (see ui)

    # One page per view of the registry (prep/registry.py); the default view lives at "/", and a hidden twin
    # makes a typed or shared link to its own path ("/where") open it too.
    PAGES = [st.Page(v.module, title=_(v.title), icon=v.icon, url_path=v.name, default=v.default)
             for v in registry.VIEWS]
    home = registry.default()
    PAGES.append(st.Page(home.module, title=_(home.title), url_path=home.path, visibility="hidden"))

    nav = st.navigation(PAGES, position="top")
    ui.phone_nav(PAGES[:-1])  # the views as links on a phone, where the top navigation folds into the sidebar
    # one search box above every view (?q=): its results link to the view that shows each (app_pages/ui/search.py)
    search_box({v.path: page for v, page in zip(registry.VIEWS, PAGES)}, nav)
    nav.run()
