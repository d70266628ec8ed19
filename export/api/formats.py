"""An answer's body in its two formats, from a resource's computed table: JSON with the data version, the
licence of the table it comes from (REUSE.toml), the citation and every source it uses (sources.yaml); CSV as the
bare table (the one CSV writer, ``export.csvfile``) with the same facts in headers (``X-Data-Version``,
``Link: rel=license``, ``X-Citation``). Every answer has an ``ETag`` (a hash of its body) and ``Cache-Control``.
No text that ``python -m loaders check`` refuses (loaders/textsafety.py) is ever sent: a row holding one is left
out and counted in ``withheld``."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from loaders.textsafety import text_rule, url_rule

from ..common import licence_for
from ..csvfile import to_csv_bytes
from .errors import ApiError, dumps
from .resources import Resource
from .state import State
from .tables import Table

MAX_ROWS = 10_000  # no resource has more today (Green Book: ~5,800); a filter never widens an answer
CACHE_CONTROL = "public, max-age=300"
CITATION = ("Footprint: US military deployments, data version {version}. Cite the original source of each figure "
            "as well: each row's source_id names one of the sources listed with it.")
LICENCE_URLS = {"LicenseRef-US-Government-Public-Domain": "https://www.usa.gov/government-copyright",
                "LicenseRef-SIPRI-Terms": "https://www.sipri.org/about/terms-and-conditions"}
SPDX_URL = "https://spdx.org/licenses/{}.html"
TABLES_KEPT = 8  # computed tables kept per data version, so .json and .csv of one filter set compute it once


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    media_type: str
    headers: dict[str, str]


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def _plain(v):
    """A JSON value for one cell or nested value: NA, NaN and NaT are null; dates are ISO days."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float):
        return None if math.isnan(v) else (int(v) if v.is_integer() and abs(v) < 2**53 else v)
    if hasattr(v, "item"):  # numpy scalars
        return _plain(v.item())
    return v


def refusal(value) -> str | None:
    """The rule of loaders/textsafety.py that some text in ``value`` (nested) breaks, or None."""
    if isinstance(value, str):
        return url_rule(value) if value.lower().startswith(("http://", "https://")) and " " not in value else text_rule(value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for x in value:
            r = refusal(x)
            if r:
                return r
    return None


@lru_cache(maxsize=32)
def _licence(rel: str) -> dict:
    lic = licence_for(rel.rstrip("/") + ("/x.yaml" if rel.endswith("/") else ""))
    if lic is None:
        return {}
    return {"spdx": lic.spdx, "copyright": lic.copyright,
            "url": LICENCE_URLS.get(lic.spdx, SPDX_URL.format(lic.spdx))}


def _source_entries(ids, known: dict) -> list[dict]:
    out = []
    for sid in dict.fromkeys(s for s in ids if isinstance(s, str) and s):
        src = known.get(sid)
        if src is None:
            continue
        entry = {"id": sid, "title": src.title, "producer": src.producer, "publisher": src.publisher or None,
                 "published": src.published or None, "url": src.url, "licence": src.licence,
                 "citation": src.citation}
        out.append({k: (None if isinstance(v, str) and refusal(v) else v) for k, v in entry.items()})
    return out


@dataclass(frozen=True)
class Rows:
    """A computed table with its rows as JSON values and the positions of the rows that pass the text check."""
    table: Table
    rows: list[dict]
    kept: list[int]


def computed_rows(resource: Resource, instance: str | None, query: dict, st: State) -> Rows:
    """The rows of one resource and filter set, computed and checked once for both formats (the last few kept)."""
    key = (resource.path, instance, tuple(sorted((k, v) for k, v in query.items() if k != "format")))
    with st.lock:
        hit = st.tables_kept.get(key)
    if hit is not None:
        return hit
    table = resource.compute(st, instance, query)
    frame = table.frame
    if len(frame) > MAX_ROWS:
        raise ApiError(400, "from", f"the answer would have {len(frame):,} rows, more than {MAX_ROWS:,}: narrow it "
                       "with from and to")
    rows = [{c: _plain(v) for c, v in zip(frame.columns, r)} for r in frame.itertuples(index=False, name=None)]
    table = Rows(table, rows, [i for i, r in enumerate(rows) if not refusal(r)])
    with st.lock:
        st.tables_kept[key] = table
        while len(st.tables_kept) > TABLES_KEPT:
            st.tables_kept.popitem(last=False)
    return table


def render(resource: Resource, path: str, instance: str | None, query: dict, fmt: str, st: State) -> Answer:
    computed = computed_rows(resource, instance, query, st)
    table, rows, kept = computed.table, computed.rows, computed.kept
    frame = table.frame
    withheld = len(rows) - len(kept)
    lic = _licence(table.licence_file)
    citation = CITATION.format(version=st.version)
    headers = {"X-Data-Version": st.version, "X-Citation": citation, "Cache-Control": CACHE_CONTROL,
               "Access-Control-Allow-Origin": "*"}
    if lic:
        headers["Link"] = f'<{lic["url"]}>; rel="license"'
    if fmt == "csv":
        body = to_csv_bytes(frame.iloc[kept] if withheld else frame)
        media = "text/csv; charset=utf-8"
    else:
        doc = {"resource": path, "title": table.title, "data_version": st.version, "licence": lic,
               "citation": citation, "filters": {k: v for k, v in query.items() if k != "format"},
               "notes": table.notes, "columns": [str(c) for c in frame.columns], "row_count": len(kept),
               "rows": [rows[i] for i in kept], "sources": _source_entries(table.sources, st.sources)}
        if withheld:
            doc["withheld"] = withheld
        body = dumps(doc)
        media = "application/json"
    headers["ETag"] = etag(body)
    return Answer(200, body, media, headers)
