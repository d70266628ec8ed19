"""Every workaround that depends on a library's internals, in one place.

Each names the library version it was written for; ``tests/test_compat.py`` fails when the pinned version (or
the internal it relies on) changes, so whoever upgrades the library looks at the workaround again instead of
finding out in production. This module imports no library at import time (the health probe and the launcher
import it); ``compat.figures`` holds the one that needs plotly (``SerialisedFigure``).
"""
from __future__ import annotations

import logging

log = logging.getLogger("footprint.compat")

# --- Streamlit's clear_cache request -------------------------------------------------------------------------
# Any websocket client may send Streamlit's `clear_cache` back-message; AppSession then clears st.cache_data and
# st.cache_resource for the whole process, every reader's tables and figures. Two such messages a second made
# other readers' runs 13x slower. Streamlit has no setting to refuse it, so a production server replaces the
# handler with one that ignores the request (the reader's own session state is still cleared, as the menu's
# "Clear cache" would do for that reader alone).
CLEAR_CACHE_WRITTEN_FOR = "1.67.0"


def ignore_clear_cache_requests() -> bool:
    """Make every session of this process ignore `clear_cache` back-messages. True if the handler was replaced
    (False when it was already)."""
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession._handle_clear_cache_request, "_footprint_ignored", False):
        return False

    def _handle_clear_cache_request(self) -> None:
        log.info("ignored a clear_cache request from a client (session %s)", getattr(self, "id", "?"))
        self._session_state.clear()

    _handle_clear_cache_request._footprint_ignored = True
    AppSession._handle_clear_cache_request = _handle_clear_cache_request
    return True


# --- uvicorn's limit on a request head -------------------------------------------------------------------------
# Streamlit serves HTTP with uvicorn's h11 protocol and does not set h11's limit on a request head that has not
# fully arrived (16 KB). A shared link of 70 KB (the link carries the view's state) whose request reaches the
# server in more than one read, as it does through nginx on a busy machine, is refused with a bare "400 Bad
# Request" under that limit (tests/test_deploy.py sends such a request in two parts). uvicorn reads the limit from
# its module global each time it opens a connection (H11Protocol.__init__, when its config gives none), so the
# launcher (hosting/serve.py) raises it there before Streamlit starts.
REQUEST_HEAD_WRITTEN_FOR = "0.55.0"  # uvicorn


def raise_request_head_limit(limit: int) -> None:
    """Let uvicorn's h11 connections accept request heads up to ``limit`` bytes arriving in several reads."""
    from uvicorn.protocols.http import h11_impl

    h11_impl.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE = limit


# --- Streamlit's browser protocol -------------------------------------------------------------------------------
# hosting/stclient.py (the load driver's and the health probe's client) speaks the protocol of Streamlit's own
# frontend (BackMsg/ForwardMsg protobufs on /_stcore/stream), which is internal to Streamlit and changes without
# notice. It was read from this version; the client warns once when it runs against another, and the test fails.
STREAMLIT_PROTOCOL_WRITTEN_FOR = "1.67.0"
# the protobuf fields the client reads and writes, by message
STREAMLIT_PROTOCOL_FIELDS = {
    "BackMsg": ("rerun_script", "clear_cache"),
    "ClientState": ("query_string", "page_name", "page_script_hash", "widget_states", "is_history_navigation"),
    "ForwardMsg": ("new_session", "navigation", "delta", "script_finished", "page_not_found"),
}


def streamlit_protocol_matches() -> bool:
    """True when the installed Streamlit is the one the client's protocol was read from; else warns (once)."""
    from importlib.metadata import version

    installed = version("streamlit")
    if installed == STREAMLIT_PROTOCOL_WRITTEN_FOR:
        return True
    import warnings

    warnings.warn(f"hosting/stclient.py speaks Streamlit {STREAMLIT_PROTOCOL_WRITTEN_FOR}'s browser protocol; "
                  f"Streamlit {installed} is installed (see compat/__init__.py)", RuntimeWarning, stacklevel=2)
    return False
