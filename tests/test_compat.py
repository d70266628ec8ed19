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
            await stranger.run()  # the server handles a socket's messages in order: the clear_cache is done by now
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


# --- compat.figures.SerialisedFigure -------------------------------------------------------------------------

def test_serialised_figure_matches_the_pinned_streamlit_plotly_and_orjson():
    # Upgrading any of these fails here first: read how st.plotly_chart serialises a figure again.
    from importlib.metadata import version

    from compat import figures

    assert {name: version(name) for name in figures.WRITTEN_FOR} == figures.WRITTEN_FOR
    from streamlit.elements import plotly_chart

    source = inspect.getsource(plotly_chart)
    assert "plotly.tools.return_figure_from_figure_or_data(" in source
    assert "plotly.io.to_json(figure, validate=False)" in source


def test_streamlit_takes_the_serialised_dict_as_it_is_and_writes_the_same_json():
    import plotly.graph_objects as go
    import plotly.io as pio
    import plotly.tools

    from compat.figures import SerialisedFigure

    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="<b>é</b>"), frames=[go.Frame(data=[go.Scatter(y=[5, 6])])])
    spec = fig.to_dict()
    shown = SerialisedFigure(spec)
    # as st.plotly_chart does it: the figure's dict, not a copy, and no validation again
    handed = plotly.tools.return_figure_from_figure_or_data(shown, validate_figure=True)
    assert handed is shown.to_dict() and shown.to_dict() is shown.to_dict()
    # the traces and frames made into JSON once (orjson.Fragment) are written exactly as plotly writes them
    assert type(handed["frames"]).__name__ == "Fragment"
    assert {type(v).__name__ for v in handed["data"][0].values()} == {"Fragment", "str"}  # x, y and the name
    assert pio.to_json(handed, validate=False) == pio.to_json(spec, validate=False)


# --- compat.raise_request_head_limit ---------------------------------------------------------------------------

def test_request_head_limit_matches_the_installed_uvicorn(monkeypatch):
    import uvicorn
    from uvicorn.config import Config
    from uvicorn.protocols.http import h11_impl

    assert uvicorn.__version__ == compat.REQUEST_HEAD_WRITTEN_FOR
    assert "else DEFAULT_MAX_INCOMPLETE_EVENT_SIZE" in inspect.getsource(h11_impl.H11Protocol.__init__)
    monkeypatch.setattr(h11_impl, "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE", h11_impl.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE)
    compat.raise_request_head_limit(512 * 1024)

    async def connection_limit() -> int:
        from uvicorn.server import ServerState

        config = Config(app=lambda scope, receive, send: None, lifespan="off")
        return h11_impl.H11Protocol(config, ServerState(), {}).conn._max_incomplete_event_size

    assert asyncio.run(connection_limit()) == 512 * 1024  # a new connection takes the raised limit


# --- the Streamlit protocol of hosting/stclient.py ---------------------------------------------------------------

def test_streamlit_protocol_matches_the_pinned_streamlit():
    from streamlit.proto import BackMsg_pb2, ClientState_pb2, ForwardMsg_pb2

    assert streamlit.__version__ == compat.STREAMLIT_PROTOCOL_WRITTEN_FOR
    assert compat.streamlit_protocol_matches()
    messages = {"BackMsg": BackMsg_pb2.BackMsg, "ClientState": ClientState_pb2.ClientState,
                "ForwardMsg": ForwardMsg_pb2.ForwardMsg}
    missing = {name: [f for f in fields if f not in messages[name].DESCRIPTOR.fields_by_name]
               for name, fields in compat.STREAMLIT_PROTOCOL_FIELDS.items()}
    assert missing == {"BackMsg": [], "ClientState": [], "ForwardMsg": []}


def test_the_protocol_client_warns_on_another_streamlit(monkeypatch):
    import importlib.metadata
    import warnings

    monkeypatch.setattr(importlib.metadata, "version", lambda name: "9.9.9")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert compat.streamlit_protocol_matches() is False
    assert "Streamlit 9.9.9 is installed" in str(caught[0].message)


def test_kaleido_offline_options_match_the_pinned_kaleido_and_choreographer():
    # Upgrading kaleido or choreographer fails here first: check that Kaleido() still passes browser_cls and
    # enable_extensions to choreographer and that Chromium.get_cli is still where the switches are built.
    from importlib.metadata import version

    from choreographer.browsers.chromium import Chromium

    from compat.kaleido import OFFLINE_FLAGS, WRITTEN_FOR, kaleido_options

    assert {name: version(name) for name in WRITTEN_FOR} == WRITTEN_FOR
    assert "browser_cls" in inspect.signature(__import__("choreographer").Browser.__init__).parameters
    assert "enable_extensions" in inspect.getsource(Chromium.__init__) and "def get_cli" in inspect.getsource(Chromium)
    options = kaleido_options()
    assert options["mathjax"] is False and options["plotlyjs"].is_file() and options["enable_extensions"] is False
    assert issubclass(options["browser_cls"], Chromium)
    assert "--disable-background-networking" in OFFLINE_FLAGS and any(f.startswith("--host-resolver-rules=MAP * ~NOTFOUND")
                                                                      for f in OFFLINE_FLAGS)
    # the two background services that a flag does stop: the search engine's start page, the component updater's checks
    from compat.kaleido import START_PAGE

    assert START_PAGE == "about:blank" and "--component-updater=url-source=file:///dev/null/" in OFFLINE_FLAGS
