"""Footprint as the server runs it: the dashboard (``dashboard.py``) with a start-up hook.

    python -m streamlit run app.py

Streamlit runs ``dashboard.py`` for every reader, as ``streamlit run dashboard.py`` would; the hook
(``app_pages/warm.py``) reads every table and builds every animation in the background as soon as the process
starts, so the first readers of a new process (after a restart, or on a new replica) do not pay for it.
"""
import streamlit as st

from app_pages import warm

app = st.App("dashboard.py", lifespan=warm.lifespan)
