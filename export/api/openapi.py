"""The OpenAPI 3.1 description (``/api/v1/openapi.json``), generated from RESOURCES: their paths, filters and
summaries, so it cannot list a path the API does not answer or miss one it does."""
from __future__ import annotations

from .resources import PREFIX, RESOURCES
from .state import State

API_VERSION = "1"

_ERROR_SCHEMA = {"type": "object", "required": ["error", "parameter", "status"],
                 "properties": {"error": {"type": "string"}, "parameter": {"type": ["string", "null"]},
                                "status": {"type": "integer"}}}
_TABLE_SCHEMA = {"type": "object", "required": ["resource", "data_version", "licence", "citation", "columns", "rows",
                                                "sources"],
                 "properties": {"resource": {"type": "string"}, "title": {"type": "string"},
                                "data_version": {"type": "string"}, "licence": {"type": "object"},
                                "citation": {"type": "string"}, "filters": {"type": "object"},
                                "notes": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
                                "row_count": {"type": "integer"}, "rows": {"type": "array", "items": {"type": "object"}},
                                "sources": {"type": "array", "items": {"type": "object"}},
                                "withheld": {"type": "integer"}}}


def openapi(st: State | None = None) -> dict:
    """The OpenAPI 3.1 description, generated from RESOURCES (their paths, filters and summaries)."""
    version = st.version if st is not None else ""
    err = {"description": "error naming the parameter",
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    paths = {}
    for res in RESOURCES:
        pp = res.path_param
        for ext in ("json", "csv"):
            params = ([{"name": pp, "in": "path", "required": True, "schema": {"type": "string"},
                        "description": "ISO 3166 alpha-3 code (upper case)" if pp == "iso3" else "a year, e.g. 2020"}]
                      if pp else [])
            params += [{"name": p.name, "in": "query", "required": False, "description": p.doc, "schema": p.schema()}
                       for p in res.params]
            ok = ({"application/json": {"schema": {"$ref": "#/components/schemas/Table"}}} if ext == "json"
                  else {"text/csv": {"schema": {"type": "string"}}})
            paths[f"{PREFIX}{res.path}.{ext}"] = {"get": {
                "summary": res.summary, "operationId": (res.path.strip("/").replace("/", "_").replace("{", "")
                                                        .replace("}", "") + "_" + ext),
                "parameters": params,
                "responses": {"200": {"description": "the rows (ETag, Cache-Control, X-Data-Version)", "content": ok},
                              "304": {"description": "not modified (If-None-Match)"}, "400": err, "404": err,
                              "429": {**err, "description": "too many requests from this address (Retry-After)"}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "Footprint data API", "version": API_VERSION,
                     "description": "US military deployments: troops by host and year, named records with their "
                                    "sources' words, host-country authorisations and budgets, the figures the "
                                    f"dashboard shows. Data version {version}. Read-only; the same paths exist in "
                                    "the static snapshot without query parameters."},
            "paths": paths, "components": {"schemas": {"Error": _ERROR_SCHEMA, "Table": _TABLE_SCHEMA}}}
