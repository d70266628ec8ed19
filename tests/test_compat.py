"""compat.py: each workaround still fits the library version it was written for, and still works."""
from __future__ import annotations

import asyncio
import inspect
import textwrap

import streamlit
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.runtime.app_session import AppSession

import compat
from bench.server import ROOT, start_streamlit
from hosting.stclient import Session


def test_clear_cache_workaround_matches_the_pinned_streamlit():
    # Upgrading Streamlit fails here first: read AppSession's back-message handling again, then update the version.
    assert streamlit.__version__ == compat.CLEAR_CACHE_WRITTEN_FOR
    source = inspect.getsource(AppSession)
    assert '"clear_cache"' in source and "self._handle_clear_cache_request()" in source
    assert "caching.cache_resource.clear()" in inspect.getsource(AppSession._handle_clear_cache_request) or \
        getattr(AppSession._handle_clear_cache_request, "_footprint_ignored", False)


PAGE = """
import os
import streamlit as st

@st.cache_resource
def made_once():
    return os.urandom(8).hex()

st.error(made_once())  # an error box: the probe client records its text
"""

SERVED = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
import compat
{apply}
app = st.App("page.py")
"""


def _cache_value_after_a_stranger_clears(tmp_path, apply: bool) -> tuple[str, str]:
    (tmp_path / "page.py").write_text(textwrap.dedent(PAGE))
    (tmp_path / "served.py").write_text(SERVED.format(root=str(ROOT),
                                                      apply="compat.ignore_clear_cache_requests()" if apply else ""))

    async def scenario(ws_url: str) -> tuple[str, str]:
        async with Session(ws_url) as reader, Session(ws_url) as stranger:
            before = (await reader.run()).error_alerts
            await stranger.run()
            msg = BackMsg()
            msg.clear_cache = True
            await stranger.ws.send(msg.SerializeToString())
            await asyncio.sleep(1.0)
            after = (await reader.run()).error_alerts
        return before[0], after[0]

    with start_streamlit(tmp_path / "served.py", log_path=tmp_path / "log.txt") as server:
        return asyncio.run(scenario(server.ws_url))


def test_a_stranger_cannot_flush_the_process_caches(tmp_path):
    before, after = _cache_value_after_a_stranger_clears(tmp_path, apply=True)
    assert before == after  # the reader's cached resource survived the stranger's clear_cache


def test_without_the_workaround_the_message_does_flush_them(tmp_path):
    # the control: proves the scenario reaches Streamlit's handler (so the test above means something)
    before, after = _cache_value_after_a_stranger_clears(tmp_path, apply=False)
    assert before != after


def test_the_served_app_applies_it():
    import ast

    tree = ast.parse((ROOT / "app.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    assert any(c.func.attr == "ignore_clear_cache_requests" for c in calls)
