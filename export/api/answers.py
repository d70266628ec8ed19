"""The API's one entry point: ``answer(path, query)`` matches the path to a resource (resources.py), checks the
query (params.py), and gives the rendered answer (formats.py) or the JSON error. Answers are kept per data
version, path and filters (at most MAX_CACHED, least recently used first out), so a repeated request costs a
dictionary look-up; the server's event loop answers those itself (``cached_only``, routes.py)."""
from __future__ import annotations

from pathlib import Path

from loaders.schema import DataError

from .errors import ApiError, dumps
from .formats import CACHE_CONTROL, Answer, etag, render
from .openapi import openapi
from .resources import PREFIX, match
from .state import Reader, State, state

MAX_CACHED = 2048  # answers kept per data version (most are a few KB; the largest, the SIPRI and Green Book tables, ~0.5 MB)


def _current(folder: Path | None, reader: Reader | None, peek: bool = False) -> State | None:
    try:
        return state(folder, reader, peek)
    except (DataError, OSError):
        # the views name the file and its problems; a script gets a plain "try later" and no file paths
        raise ApiError(503, None, "the data cannot be read right now; try again later") from None


def answer(path: str, query_items: list[tuple[str, str]], folder: Path | None = None,
           reader: Reader | None = None, cached_only: bool = False) -> Answer | None:
    """The answer to GET ``path`` (under PREFIX) with the query's (name, value) pairs: the body, its media type
    and headers, or an ApiError's JSON. Answers are kept per data version, path and filters (bounded).
    ``cached_only``: None where the answer would have to be computed or the data looked at (the server's event
    loop answers what is kept and hands the rest to a worker thread)."""
    try:
        if cached_only:
            st = _current(folder, reader, peek=True)
            if st is None:
                return None
        if path.rstrip("/") in (PREFIX + "/openapi.json", PREFIX + "/openapi"):
            if query_items:
                raise ApiError(400, query_items[0][0], f"unknown parameter {query_items[0][0]!r}; openapi.json takes none")
            if not cached_only:
                st = _current(folder, reader)
            body = dumps(openapi(st))
            return Answer(200, body, "application/json",
                          {"X-Data-Version": st.version, "Cache-Control": CACHE_CONTROL,
                           "Access-Control-Allow-Origin": "*",
                           "ETag": etag(body)})
        resource, instance, ext = match(path)
        if not cached_only:
            st = _current(folder, reader)
        query = resource.parse(st, query_items)
        fmt = ext or query.get("format", "json")
        if ext and "format" in query and query["format"] != ext:
            raise ApiError(400, "format", f"format={query['format']} disagrees with the path's .{ext}")
        path = (path[: -len(ext) - 1] if ext else path) + "." + fmt  # one canonical name: /troops/PER?format=csv is .csv
        key = (path, tuple(sorted(query.items())), fmt)
        with st.lock:
            hit = st.cache.get(key)
            if hit is not None:
                st.cache.move_to_end(key)
                return hit
        if cached_only:
            return None
        ans = render(resource, path, instance, query, fmt, st)
        with st.lock:
            st.cache[key] = ans
            while len(st.cache) > MAX_CACHED:
                st.cache.popitem(last=False)
        return ans
    except ApiError as exc:
        return Answer(exc.status, exc.body(), "application/json",
                      {"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"})
