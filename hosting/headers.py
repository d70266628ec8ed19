"""Security headers and closed operator endpoints for the app served on its own (`streamlit run app.py`, which is
also how Streamlit Community Cloud runs it). Behind nginx (deploy/nginx.conf.template) nginx sets the same headers.

- Content-Security-Policy: what Streamlit's frontend needs (inline styles and scripts, eval for plotly, data: and
  blob: images, fonts and workers) and nothing from elsewhere; `connect-src 'self'` covers the page's own
  websocket (CSP level 3 matches ws:/wss: of the page's host), so the policy never repeats the request's Host
  header. FOOTPRINT_PUBLIC_ORIGIN (e.g. https://footprint.example) is added when set. `frame-ancestors *` keeps
  `?embed=true` embeddable in any article (FOOTPRINT_FRAME_ANCESTORS narrows it).
- X-Content-Type-Options: nosniff; Referrer-Policy: strict-origin-when-cross-origin.
- `/_stcore/metrics` (sessions, cache sizes) answers 404 unless FOOTPRINT_METRICS=1: it is for the operator.
"""
from __future__ import annotations

import os
import re

_METRICS = re.compile(r"^/+(?:[^/]+/+)*_stcore/+metrics")


def content_security_policy(environ: dict | None = None) -> str:
    env = os.environ if environ is None else environ
    origin = env.get("FOOTPRINT_PUBLIC_ORIGIN", "").strip().rstrip("/")
    connect = "'self'"
    if re.fullmatch(r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?", origin):
        host = origin.split("://", 1)[1]
        connect += f" {origin} {'wss' if origin.startswith('https') else 'ws'}://{host}"
    ancestors = env.get("FOOTPRINT_FRAME_ANCESTORS", "").strip() or "*"
    if not re.fullmatch(r"[A-Za-z0-9.:/*' -]+", ancestors):
        ancestors = "*"
    return ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:; font-src 'self' data:; connect-src {connect}; worker-src 'self' blob:; "
            "frame-src 'self' blob: data:; media-src 'self' data: blob:; object-src 'none'; base-uri 'self'; "
            f"form-action 'self'; frame-ancestors {ancestors}")


class SecurityHeaders:
    """Pure ASGI middleware (`st.App(middleware=[Middleware(SecurityHeaders)])`): adds the headers to every HTTP
    response and closes the metrics endpoint. Websocket traffic passes untouched."""

    def __init__(self, app, environ: dict | None = None):
        self.app = app
        env = os.environ if environ is None else environ
        self.metrics_open = env.get("FOOTPRINT_METRICS", "") in ("1", "true", "yes")
        self.headers = [
            (b"content-security-policy", content_security_policy(env).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
        ]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if not self.metrics_open and _METRICS.match(scope.get("path", "")):
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"), *self.headers]})
            await send({"type": "http.response.body", "body": b"Not found"})
            return

        names = {name for name, _ in self.headers}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
