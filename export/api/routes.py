"""The live API: Starlette routes that ``app.py`` mounts in the dashboard's own process
(``st.App(routes=...)``), with the rate limit (ratelimit.py), ``If-None-Match`` (304) and the split between the
event loop (kept answers) and a worker thread (answers to compute). Starlette is imported only when the routes are
made, so the snapshot and the tests of the answers need no server."""
from __future__ import annotations

import math
import os
from pathlib import Path

from .answers import answer
from .errors import ApiError
from .ratelimit import RateLimit
from .resources import PREFIX
from .state import Reader


def _env_float(name: str, default: float) -> float:
    try:
        v = float(os.environ.get(name, ""))
        return v if v > 0 else default
    except ValueError:
        return default


def client_address(scope_client, headers, trust_forwarded: bool) -> str:
    """The client's address: the connection's, or behind a proxy we run (FOOTPRINT_API_TRUST_FORWARDED=1) the last
    address in X-Forwarded-For (the one our proxy added; earlier ones are the client's own claim)."""
    if trust_forwarded:
        fwd = headers.get("x-forwarded-for", "")
        last = fwd.split(",")[-1].strip()
        if last:
            return last[:64]
    return scope_client[0] if scope_client else "unknown"


def routes(folder: Path | None = None, reader: Reader | None = None) -> list:
    """Starlette routes for ``st.App(routes=...)``: one per resource path (and a JSON 404 for any other path under
    PREFIX). The rate (requests per second per client) and burst come from FOOTPRINT_API_RATE (default 10) and
    FOOTPRINT_API_BURST (default 40)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response
    from starlette.routing import Route

    limiter = RateLimit(_env_float("FOOTPRINT_API_RATE", 10.0), _env_float("FOOTPRINT_API_BURST", 40.0))
    trust = os.environ.get("FOOTPRINT_API_TRUST_FORWARDED", "") in ("1", "true", "yes")

    async def endpoint(request):
        wait = limiter.wait(client_address(request.client, request.headers, trust))
        if wait > 0:
            err = ApiError(429, None, "too many requests from this address; retry after the seconds in Retry-After")
            return Response(err.body(), 429, media_type="application/json",
                            headers={"Retry-After": str(math.ceil(wait)), "Cache-Control": "no-store"})
        path, items = request.url.path, list(request.query_params.multi_items())
        # a kept answer costs a dictionary look-up: answered on the event loop; computing one (pandas, prep/) or
        # looking at the data files runs in a worker thread, so the dashboard's websockets never wait on it
        ans = answer(path, items, folder, reader, cached_only=True)
        if ans is None:
            ans = await run_in_threadpool(answer, path, items, folder, reader)
        etag = ans.headers.get("ETag")
        inm = request.headers.get("if-none-match", "")
        if ans.status == 200 and etag and (inm.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in inm.split(",")]):
            return Response(status_code=304, headers={k: v for k, v in ans.headers.items()
                                                      if k in ("ETag", "Cache-Control", "X-Data-Version")})
        return Response(ans.body, ans.status, media_type=ans.media_type, headers=ans.headers)

    # one route for every path under PREFIX: answer() matches RESOURCES (the route definitions the OpenAPI
    # description is generated from) and gives any other path a JSON 404
    return [Route(PREFIX + "/{rest:path}", endpoint, methods=["GET", "HEAD"]),
            Route(PREFIX, endpoint, methods=["GET", "HEAD"])]
