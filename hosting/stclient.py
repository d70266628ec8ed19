"""A minimal Streamlit client speaking the browser's own protocol (for the load driver and the health check).

Protocol (read from streamlit 1.67's `web/server/starlette/starlette_websocket.py` and `runtime/app_session.py`):

- One websocket per browser tab on `<base>/_stcore/stream`. The frontend passes `Sec-WebSocket-Protocol:
  streamlit, <xsrf token>, <session id to resume>`; the server selects the first entry. The XSRF token is only
  checked to read auth cookies, so a client without login sends just `streamlit`.
- The client sends binary `BackMsg` protobufs. A script run is `BackMsg.rerun_script` = `ClientState` with
  `query_string` (URL query without "?"), `page_name` (the url path of an `st.navigation` page, "" = default) or
  `page_script_hash`, and `widget_states`. `is_history_navigation=True` makes URL-bound widgets
  (`bind="query-params"`) take their value from `query_string` on a rerun, as on the browser's back/forward.
- The server answers with binary `ForwardMsg`s: `new_session` (first run), `navigation` (the pages of
  `st.navigation`), `delta`s (elements; an uncaught exception is a `new_element.exception`), and finally
  `script_finished` (status FINISHED_SUCCESSFULLY, FINISHED_WITH_COMPILE_ERROR, FINISHED_EARLY_FOR_RERUN).
  `page_not_found` is sent when `page_name` matches no page.

The websocket client is `websockets` (a dependency of streamlit 1.67, which no longer ships tornado).
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

import compat

compat.streamlit_protocol_matches()  # the protocol below is Streamlit's internal one: warn on another version

FINISHED = ForwardMsg.ScriptFinishedStatus
ALERT_ERROR = Alert.Format.ERROR


@dataclass
class RunResult:
    page: str
    query: str
    seconds: float = 0.0
    bytes_received: int = 0
    messages: int = 0
    finished: bool = False
    status: str = ""
    elements: dict[str, int] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False
    error: str = ""
    chart_specs: list[str] = field(default_factory=list)  # plotly figure JSON, only with keep_specs=True
    error_alerts: list[str] = field(default_factory=list)  # st.error boxes (the app's own error messages)
    downloads: list[tuple[str, str]] = field(default_factory=list)  # download buttons: (label, deferred file id)
    first_in_session: bool = False  # set by the load driver
    first_chart_seconds: float | None = None  # from sending the BackMsg to the first plotly_chart element
    started: float = 0.0  # time.perf_counter() when the BackMsg was sent

    @property
    def ok(self) -> bool:
        return (
            self.finished
            and self.status == "FINISHED_SUCCESSFULLY"
            and not self.exceptions
            and not self.page_not_found
            and not self.error
        )

    def problem(self) -> str:
        if self.error:
            return self.error
        if self.exceptions:
            return "exception element: " + " | ".join(self.exceptions)
        if self.page_not_found:
            return f"page not found: {self.page!r}"
        if not self.finished:
            return "no script_finished"
        if self.status != "FINISHED_SUCCESSFULLY":
            return f"script finished with {self.status}"
        return ""


@dataclass
class Page:
    url_pathname: str
    page_name: str
    page_script_hash: str
    is_default: bool
    is_hidden: bool = False


class Session:
    """One browser tab's websocket session."""

    def __init__(
        self, ws_url: str, origin: str | None = None, open_timeout: float = 20.0, headers: dict | None = None,
        resume: str = "",
    ):
        """`resume`: a session id to resume, sent as the browser does after a reconnect (the server resumes it
        if it still holds it, else starts a new session with a new id)."""
        self.ws_url = ws_url
        self.resume = resume
        self.headers = headers or {}
        self.origin = origin or ws_url.replace("ws://", "http://").split("/_stcore/")[0]
        self.open_timeout = open_timeout
        self.ws = None
        self.pages: list[Page] = []
        self.session_id = ""
        self.bytes_received = 0
        self._keep_specs = False

    async def __aenter__(self) -> "Session":
        await self.open()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def open(self) -> None:
        self.ws = await connect(
            self.ws_url,
            # the frontend sends "streamlit", an XSRF token (or a placeholder) and the session id to resume
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN", self.resume] if self.resume else ["streamlit"],
            origin=self.origin,
            open_timeout=self.open_timeout,
            max_size=None,
            compression=None,  # the browser's frames are what we count; the server does not compress them
            ping_interval=None,
            additional_headers=self.headers,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(
        self,
        page: str = "",
        query: str = "",
        *,
        history_navigation: bool = False,
        timeout: float = 60.0,
        keep_specs: bool = False,
    ) -> RunResult:
        """Run the script for `page` (url path of an st.navigation page; "" = default) with `query` and wait
        for script_finished."""
        result = RunResult(page=page, query=query)
        self._keep_specs = keep_specs
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        msg.rerun_script.is_history_navigation = history_navigation
        msg.rerun_script.widget_states.SetInParent()
        t0 = time.perf_counter()
        self._t0 = result.started = t0
        try:
            await self.ws.send(msg.SerializeToString())
            await asyncio.wait_for(self._read_until_finished(result), timeout)
        except asyncio.TimeoutError:
            result.error = f"timeout after {timeout:.0f} s waiting for script_finished"
        except Exception as exc:  # connection closed, protocol errors: reported, never raised
            result.error = f"{type(exc).__name__}: {exc}"
        result.seconds = time.perf_counter() - t0
        return result

    async def _read_until_finished(self, result: RunResult) -> None:
        while True:
            raw = await self.ws.recv()
            if isinstance(raw, str):
                raw = raw.encode()
            result.bytes_received += len(raw)
            self.bytes_received += len(raw)
            result.messages += 1
            fmsg = ForwardMsg()
            fmsg.ParseFromString(raw)
            kind = fmsg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fmsg.new_session.initialize.session_id or self.session_id
                if fmsg.new_session.app_pages:
                    self._set_pages(fmsg.new_session.app_pages)
            elif kind == "navigation":
                self._set_pages(fmsg.navigation.app_pages)
            elif kind == "delta":
                if fmsg.delta.WhichOneof("type") == "new_element":
                    self._record_element(result, fmsg.delta.new_element)
            elif kind == "page_not_found":
                result.page_not_found = True
            elif kind == "session_event":
                ev = fmsg.session_event
                if ev.WhichOneof("type") == "script_compilation_exception":
                    exc = ev.script_compilation_exception
                    result.exceptions.append(f"{exc.type}: {exc.message}"[:300])
            elif kind == "script_finished":
                status = FINISHED.Name(fmsg.script_finished)
                if fmsg.script_finished == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # a newer run follows
                result.finished = True
                result.status = status
                return

    def _record_element(self, result: RunResult, element) -> None:
        """Count one new element; keep what the run's result reports (first chart's time, chart specs when asked,
        downloads, error boxes, exceptions)."""
        el_type = element.WhichOneof("type") or "?"
        result.elements[el_type] = result.elements.get(el_type, 0) + 1
        if el_type == "plotly_chart" and result.first_chart_seconds is None:
            result.first_chart_seconds = time.perf_counter() - self._t0
        if el_type == "plotly_chart" and self._keep_specs:
            result.chart_specs.append(element.plotly_chart.spec)
        if el_type == "download_button":
            result.downloads.append((element.download_button.label, element.download_button.deferred_file_id))
        if el_type == "alert" and element.alert.format == ALERT_ERROR:
            result.error_alerts.append(element.alert.body[:300])
        if el_type == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])

    async def request_file(self, file_id: str, timeout: float = 30.0) -> str:
        """Ask for a download button's deferred file, as the browser does on a click (a backend operation
        request carrying this session's id); returns the URL path to fetch over HTTP. Raises RuntimeError with
        the server's message when it refuses (e.g. "Invalid session ID", a file id it does not know)."""
        import uuid

        req = BackMsg()
        req.backend_operation_request.request_id = uuid.uuid4().hex
        req.backend_operation_request.session_id = self.session_id
        req.backend_operation_request.deferred_file.file_id = file_id
        await self.ws.send(req.SerializeToString())

        async def answer() -> str:
            while True:
                raw = await self.ws.recv()
                fmsg = ForwardMsg()
                fmsg.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
                if fmsg.WhichOneof("type") != "backend_operation_response":
                    continue
                r = fmsg.backend_operation_response
                if r.request_id != req.backend_operation_request.request_id:
                    continue
                if r.error_msg or r.WhichOneof("payload") != "deferred_file" or not r.deferred_file.url:
                    raise RuntimeError(f"download refused: {r.error_msg or r}"[:300])
                return r.deferred_file.url

        return await asyncio.wait_for(answer(), timeout)

    def _set_pages(self, app_pages) -> None:
        self.pages = [
            Page(p.url_pathname, p.page_name, p.page_script_hash, p.is_default, p.is_hidden)
            for p in app_pages
        ]


async def probe(ws_url: str, page: str = "", query: str = "", timeout: float = 60.0) -> tuple[RunResult, list[Page]]:
    """Open a session, run one page, close. Returns the run and the app's pages (st.navigation)."""
    async with Session(ws_url) as s:
        r = await s.run(page, query, timeout=timeout)
        return r, list(s.pages)
