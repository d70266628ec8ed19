"""Footprint: US troops, bases, deployments and military budgets abroad, every figure with its source.

Run with `streamlit run dashboard.py`. This file only sets the page up and declares the views; each view lives
in app_pages/, the figures in charts/, the data in data/ (read through loaders/).
"""
from pathlib import Path

import streamlit as st

from app_pages.ui import PAGE_CSS

st.set_page_config(
    page_title="Footprint: the US military abroad",
    # a local image: a :material/...: favicon is fetched from fonts.gstatic.com (seen in the browser tests)
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
    layout="wide",
    menu_items={"About": "Footprint: US troops, bases, deployments and military budgets abroad, 1950 to today. "
                         "Every figure is shown with its source; see the Sources & data page."},
)

PAGES = [
    st.Page("app_pages/where.py", title="Where", icon=":material/public:", url_path="map", default=True),
    st.Page("app_pages/when.py", title="When", icon=":material/timeline:", url_path="when"),
    st.Page("app_pages/cost.py", title="What it costs", icon=":material/payments:", url_path="cost"),
    st.Page("app_pages/country.py", title="Country profile", icon=":material/flag:", url_path="country"),
    st.Page("app_pages/sources_page.py", title="Sources & data", icon=":material/menu_book:", url_path="sources"),
    # The default page lives at "/"; this hidden twin makes a typed or shared "/where" link open it too.
    st.Page("app_pages/where.py", title="Where", url_path="where", visibility="hidden"),
]

# The page style (app_pages/ui.PAGE_CSS: tables, the world map's height on a phone): the app's own, no data in it.
st.html("<style>" + PAGE_CSS + "</style>")

st.navigation(PAGES, position="top").run()
