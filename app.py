"""Footprint as the server runs it: the dashboard (``dashboard.py``) with a start-up hook and security headers.

    python -m streamlit run app.py

Streamlit runs ``dashboard.py`` for every reader, as ``streamlit run dashboard.py`` would; the hook
(``app_pages/warm.py``) reads every table and builds every animation in the background as soon as the process
starts, so the first readers of a new process (after a restart, or on a new replica) do not pay for it. Every
HTTP response carries the security headers and the operator's metrics stay closed (``hosting/headers.py``), and
no client can flush the process's caches (``compat.ignore_clear_cache_requests``). The read-only data API
(``export/api/``, docs/api.md) answers under ``/api/v1/`` from the same process, and the Atom feed of
records (``export/feed.py``) at ``/feed.atom``.
"""
import streamlit as st
from starlette.middleware import Middleware

import compat
from app_pages import data, warm
from export import api, feed
from hosting.headers import SecurityHeaders

compat.ignore_clear_cache_requests()

# the API reads the dashboard's own per-process tables (app_pages/data.py): no second copy, warmed up at start
API_TABLES = api.Reader(table=data.load, deployments=lambda: data.deployments()[0], sources=data.sources)

app = st.App("dashboard.py", lifespan=warm.lifespan, routes=api.routes(reader=API_TABLES)
             + feed.routes(API_TABLES.deployments, API_TABLES.sources),
             middleware=[Middleware(SecurityHeaders)])
