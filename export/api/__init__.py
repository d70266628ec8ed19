"""The read-only data API (``/api/v1/...``): the figures of the views as JSON and CSV, for scripts and newsrooms.
No Streamlit here: ``app.py`` mounts :func:`routes` in the dashboard's own process (``st.App(routes=...)``) and
``python -m export snapshot`` writes :func:`snapshot_files` under ``OUT/api/v1/``, so every resource is one path
that exists identically live and on a static host; query parameters only filter it, live.

Where to change what (docs/api.md has the paths and curl examples):

    resources.py  the one list of resources: path, summary, filters, the function that computes it
    tables.py     those functions, each calling the prep/ function its view calls (a figure in the API is the
                  figure on the page)
    params.py     the query parameters and their validation
    errors.py     ApiError and the JSON error body {"error", "parameter", "status"}
    formats.py    JSON and CSV bodies: data version, licence, citation, sources, ETag; the text check
    answers.py    answer(path, query): match, validate, render, and the cache of answers per data version
    state.py      the tables of the current data version, read again when a data file changes
    openapi.py    the OpenAPI 3.1 description, generated from resources.py
    snapshot.py   the same answers as files for the static snapshot
    ratelimit.py  the token bucket per client address (429, Retry-After)
    routes.py     the Starlette routes app.py mounts (304 on If-None-Match, worker thread for computing)
"""
from __future__ import annotations

from .answers import MAX_CACHED, answer
from .errors import ApiError
from .formats import CACHE_CONTROL, CITATION, MAX_ROWS, Answer, refusal
from .openapi import API_VERSION, openapi
from .ratelimit import RateLimit
from .resources import PREFIX, RESOURCES, Resource
from .routes import client_address, routes
from .snapshot import snapshot_files
from .state import Reader, State, state
from .tables import Table

__all__ = ["API_VERSION", "CACHE_CONTROL", "CITATION", "MAX_CACHED", "MAX_ROWS", "PREFIX", "RESOURCES", "Answer",
           "ApiError", "RateLimit", "Reader", "Resource", "State", "Table", "answer", "client_address", "openapi",
           "refusal", "routes", "snapshot_files", "state"]
