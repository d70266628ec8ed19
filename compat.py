"""Every workaround that depends on a library's internals, in one place.

Each names the library version it was written for; ``tests/test_compat.py`` fails when the pinned version (or
the internal it relies on) changes, so whoever upgrades the library looks at the workaround again instead of
finding out in production.
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
