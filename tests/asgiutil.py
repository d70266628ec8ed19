"""Call an ASGI app (a Starlette app, a middleware) once, in process, as a server would for one GET request."""
from __future__ import annotations

import asyncio


def get(app, path: str, query: str = "", headers=()) -> tuple[int, dict, bytes]:
    """(status, headers with lower-case names, body) of one GET request."""
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "headers": [(k.encode(), v.encode()) for k, v in headers], "client": ("127.0.0.9", 5000),
             "server": ("testserver", 80), "scheme": "http", "root_path": "", "http_version": "1.1"}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return (start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
