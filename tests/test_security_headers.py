"""hosting/headers.py: the app served on its own (`streamlit run app.py`, Community Cloud) sends the security
headers nginx sends, never repeats the request's Host in its policy, and keeps the operator's metrics closed."""
from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

from bench.server import ROOT, start_streamlit
from hosting.headers import SecurityHeaders, content_security_policy


def _call(middleware, path: str, host: bytes = b"example.org") -> tuple[int, dict]:
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "path": path, "headers": [(b"host", host)], "method": "GET"}
    asyncio.run(middleware(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}


async def _page(scope, receive, send):
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/html"), (b"x-content-type-options", b"wrong")]})
    await send({"type": "http.response.body", "body": b"<html></html>"})


def test_every_response_carries_the_headers_once():
    status, headers = _call(SecurityHeaders(_page, environ={}), "/", host=b"evil.example")
    assert status == 200 and headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = headers["content-security-policy"]
    assert "frame-ancestors *" in csp and "connect-src 'self';" in csp and "evil" not in csp


def test_metrics_closed_unless_the_operator_opens_them():
    for path in ("/_stcore/metrics", "//_stcore/metrics/", "/base/_stcore/metrics"):
        assert _call(SecurityHeaders(_page, environ={}), path)[0] == 404, path
    assert _call(SecurityHeaders(_page, environ={"FOOTPRINT_METRICS": "1"}), "/_stcore/metrics")[0] == 200
    assert _call(SecurityHeaders(_page, environ={}), "/_stcore/health")[0] == 200


def test_the_policy_takes_the_configured_origin_never_garbage():
    csp = content_security_policy({"FOOTPRINT_PUBLIC_ORIGIN": "https://footprint.example"})
    assert "connect-src 'self' https://footprint.example wss://footprint.example;" in csp
    bad = content_security_policy({"FOOTPRINT_PUBLIC_ORIGIN": "https://x.example; script-src *",
                                   "FOOTPRINT_FRAME_ANCESTORS": "*; script-src *"})
    assert "script-src *" not in bad and "connect-src 'self';" in bad and "frame-ancestors *" in bad
    assert "frame-ancestors https://news.example" in content_security_policy(
        {"FOOTPRINT_FRAME_ANCESTORS": "https://news.example"})


def test_app_py_serves_with_them(tmp_path):
    with start_streamlit(ROOT / "app.py", env={"FOOTPRINT_WARM": "off"}, log_path=tmp_path / "log") as server:
        with urllib.request.urlopen(server.url, timeout=10) as resp:
            headers = resp.headers
        assert "frame-ancestors *" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        try:
            urllib.request.urlopen(server.url + "_stcore/metrics", timeout=10)
            raise AssertionError("metrics answered")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
