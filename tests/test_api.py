"""export/api/, the read-only data API: every resource answers JSON and CSV with the data version, licence,
citation and sources; every bad parameter gives a JSON error naming it; the figures equal the views' (prep/ and
the country page under AppTest); ETag/304, the rate limit, the OpenAPI description; and the live app serves
byte for byte what the snapshot writes."""
from __future__ import annotations

import base64
import csv
import io
import json
import urllib.error
import urllib.request

import numpy as np
import pandas as pd
import pytest

from bench.server import ROOT, start_streamlit
from export import api
from export.common import data_version, load_deployment_frame, load_tables
from prep import records, views
from tests.apputil import open_link
from tests.asgiutil import get as asgi_get


@pytest.fixture(scope="module")
def tables():
    return load_tables()


def _get(path: str, **query) -> api.Answer:
    return api.answer(path, [(k, str(v)) for k, v in query.items()])


def _json(path: str, **query) -> dict:
    ans = _get(path, **query)
    assert ans.status == 200, ans.body
    return json.loads(ans.body)


EVERY = ["/api/v1/countries", "/api/v1/troops/PER", "/api/v1/troops/PER/reports", "/api/v1/troops/years/2020",
         "/api/v1/records/PER", "/api/v1/authorisations/PER", "/api/v1/budget/omb", "/api/v1/budget/greenbook",
         "/api/v1/budget/sipri"]


def test_every_resource_kind_is_listed_here():
    assert len(EVERY) == len(api.RESOURCES)


@pytest.mark.parametrize("path", EVERY)
def test_every_resource_answers_json_and_csv_with_version_licence_citation(path):
    doc = _json(path + ".json")
    assert doc["resource"] == path + ".json" and doc["data_version"] == data_version()
    assert doc["licence"]["spdx"] and doc["licence"]["url"].startswith("https://")
    assert data_version() in doc["citation"] and doc["row_count"] == len(doc["rows"]) > 0
    assert all(set(r) == set(doc["columns"]) for r in doc["rows"])
    used = {r.get("source_id") for r in doc["rows"]} - {None}
    assert used <= {s["id"] for s in doc["sources"]} or path.endswith(("records/PER", "authorisations/PER"))
    csv_ans = _get(path + ".csv")
    assert csv_ans.status == 200 and csv_ans.media_type.startswith("text/csv")
    assert csv_ans.headers["X-Data-Version"] == data_version() and 'rel="license"' in csv_ans.headers["Link"]
    rows = list(csv.DictReader(io.StringIO(csv_ans.body.decode("utf-8"))))
    assert len(rows) == len(doc["rows"]) and list(rows[0]) == doc["columns"]
    # ?format=csv on the bare path is the same answer as .csv
    assert api.answer(path, [("format", "csv")]).body == csv_ans.body
    assert api.answer(path, []).body == _get(path + ".json").body


def test_peru_2015_2025_are_the_country_profiles_figures(tables):
    doc = _json("/api/v1/troops/PER.json", **{"from": 2015, "to": 2025})
    hist = views.country_history(tables["troops_annual"], "PER").hist
    want = hist[hist["year"].between(2015, 2025)]
    assert [r["year"] for r in doc["rows"]] == want["year"].tolist() == list(range(2015, 2026))
    assert [r["active_duty"] for r in doc["rows"]] == [None if pd.isna(v) else int(v) for v in want["active_duty"]]
    assert doc["rows"][0]["active_duty"] == 53 and doc["rows"][0]["report"] == "September 2015"
    assert doc["filters"] == {"from": 2015, "to": 2025}


def _values(v):
    """A trace's x or y as a list: plotly writes numeric arrays as {"dtype", "bdata"} (base64)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


def test_peru_equals_the_chart_the_country_page_draws():
    at = open_link("app_pages/country.py", country="Peru")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    chart = next(s for s in specs if "by year" in json.dumps(s.get("layout", {}).get("title", "")))
    drawn = {}
    for trace in chart["data"]:
        for x, y in zip(_values(trace.get("x", [])), _values(trace.get("y", []))):
            if y is not None and not (isinstance(y, float) and np.isnan(y)):
                drawn[int(str(x)[:4])] = int(y)
    doc = _json("/api/v1/troops/PER.json", **{"from": 2015, "to": 2025})
    api_fig = {r["year"]: r["active_duty"] for r in doc["rows"] if r["active_duty"] is not None}
    assert api_fig and {y: drawn[y] for y in api_fig} == api_fig


def test_authorisations_are_the_profiles_table(tables):
    deps = load_deployment_frame()
    av = records.authorisations(deps, tables["troops_annual"], "PER", 2012)  # what the profile shows
    doc = _json("/api/v1/authorisations/PER.json", **{"from": 2012})
    assert [r["year"] for r in doc["rows"]] == av.table["year"].tolist()
    assert [r["decisions"] for r in doc["rows"]] == av.table["decisions"].tolist()
    assert [r["personnel_authorised"] for r in doc["rows"]] == [
        None if pd.isna(v) else int(v) for v in av.table["personnel_authorised"]]
    full = _json("/api/v1/authorisations/PER.json")  # every year with a decision, the same figure per year
    by_year = {r["year"]: r["decisions"] for r in full["rows"]}
    assert all(by_year[r["year"]] == r["decisions"] for r in doc["rows"])
    assert _json("/api/v1/authorisations/DEU.json")["rows"] == []  # no decisions: no rows, not zeros


def test_year_resource_is_the_maps_rows(tables):
    doc = _json("/api/v1/troops/years/2020.json", measure="army")
    yv = views.troops_abroad_year(views.abroad(tables["troops_annual"]), 2020, "army")
    assert [r["iso3"] for r in doc["rows"]] == yv.shown["iso3"].tolist()
    assert sum(r["army"] for r in doc["rows"]) == int(yv.shown["army"].sum())


def test_records_carry_sources_quotes_and_filter_by_kind_and_year():
    doc = _json("/api/v1/records/PER.json")
    assert doc["rows"] and {r["iso3"] for r in doc["rows"]} == {"PER"}
    quoted = [q for r in doc["rows"] for b in r["quotes"] for q in b["quotes"]]
    assert quoted and all(q["text"] and q["lang"] for q in quoted)
    assert all(s["url"].startswith("http") and s["citation"] for s in doc["sources"])
    decisions = _json("/api/v1/records/PER.json", kind="decision")["rows"]
    assert decisions and {r["kind"] for r in decisions} == {"decision"} and len(decisions) < len(doc["rows"])
    y2015 = _json("/api/v1/records/PER.json", year=2015)["rows"]
    assert y2015 and all(r["start"].startswith("2015") for r in y2015)


def test_budgets_filter_by_fiscal_year():
    doc = _json("/api/v1/budget/omb.json", **{"from": 2020, "to": 2022})
    assert {r["fiscal_year"] for r in doc["rows"]} == {2020, 2021, 2022}
    sipri = _json("/api/v1/budget/sipri.json", **{"from": 2023, "to": 2023})
    assert {r["year"] for r in sipri["rows"]} == {2023} and "Perú" not in {r["country"] for r in sipri["rows"]}


BAD = [
    ("/api/v1/troops/PER.json", {"foo": "1"}, 400, "foo"),
    ("/api/v1/troops/PER.json", {"from": "19x"}, 400, "from"),
    ("/api/v1/troops/PER.json", {"from": "1800"}, 400, "from"),
    ("/api/v1/troops/PER.json", {"to": "99999"}, 400, "to"),
    ("/api/v1/troops/PER.json", {"from": "2020", "to": "2010"}, 400, "to"),
    ("/api/v1/troops/PER.json", {"from": "0001", "to": "9999"}, 400, "from"),  # a huge range
    ("/api/v1/troops/PER.json", {"measure": "tanks"}, 400, "measure"),
    ("/api/v1/troops/PER.json", {"format": "csv"}, 400, "format"),  # disagrees with .json
    ("/api/v1/troops/PER", {"format": "xml"}, 400, "format"),
    ("/api/v1/troops/PER.", {}, 400, "format"),
    ("/api/v1/troops/PER.xml", {}, 404, "format"),
    ("/api/v1/troops/XYZ.json", {}, 404, "country"),
    ("/api/v1/troops/per.json", {}, 404, "country"),
    ("/api/v1/records/Peru.json", {}, 404, "country"),
    ("/api/v1/records/PER.json", {"kind": "party"}, 400, "kind"),
    ("/api/v1/records/PER.json", {"year": "twenty"}, 400, "year"),
    ("/api/v1/troops/years/1800.json", {}, 404, "year"),
    ("/api/v1/budget/omb.json", {"measure": "army"}, 400, "measure"),
    ("/api/v1/nothing.json", {}, 404, "path"),
    ("/api/v1/openapi.json", {"x": "1"}, 400, "x"),
]


@pytest.mark.parametrize("path,query,status,parameter", BAD)
def test_bad_input_is_a_json_error_naming_the_parameter(path, query, status, parameter):
    ans = _get(path, **query)
    assert ans.status == status and ans.media_type == "application/json"
    body = json.loads(ans.body)
    assert body["parameter"] == parameter and body["status"] == status and body["error"]
    assert "Traceback" not in body["error"]


def test_repeated_parameter_is_refused():
    ans = api.answer("/api/v1/troops/PER.json", [("from", "2015"), ("from", "2016")])
    assert ans.status == 400 and json.loads(ans.body)["parameter"] == "from"


def test_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr("export.api.formats.MAX_ROWS", 10)  # the row limit lives with the answer formats
    ans = api.answer("/api/v1/budget/greenbook.json", [("from", "2000")])
    assert ans.status == 400 and json.loads(ans.body)["parameter"] == "from" and "10" in json.loads(ans.body)["error"]


def test_text_loaders_check_refuses_is_never_sent(monkeypatch):
    st = api.state()
    bad = st.deps.copy()
    first = bad.index[bad["iso3"] == "PER"][0]
    bad.loc[first, "summary"] = "<script>alert(1)</script>"
    bad.loc[first, "personnel_attributed_to"] = "=HYPERLINK(\"http://x\")"
    monkeypatch.setattr(st, "deps", bad)
    monkeypatch.setattr(st, "cache", type(st.cache)())
    doc = _json("/api/v1/records/PER.json")
    assert doc["withheld"] == 1 and "<script" not in json.dumps(doc) and "HYPERLINK" not in json.dumps(doc)
    assert b"<script" not in _get("/api/v1/records/PER.csv").body


def test_openapi_is_generated_from_the_resources_and_valid():
    from openapi_spec_validator import validate

    doc = _json("/api/v1/openapi.json")
    validate(doc)
    for res in api.RESOURCES:
        for ext in ("json", "csv"):
            op = doc["paths"][f"/api/v1{res.path}.{ext}"]["get"]
            assert {p["name"] for p in op["parameters"] if p["in"] == "query"} == {p.name for p in res.params}
            assert {"200", "304", "400", "404", "429"} <= set(op["responses"])


def test_rate_limit_is_a_token_bucket_per_client():
    rl = api.RateLimit(rate=2.0, burst=3.0)
    assert [rl.wait("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert rl.wait("a", now=0.0) == pytest.approx(0.5)
    assert rl.wait("b", now=0.0) == 0.0  # another address has its own bucket
    assert rl.wait("a", now=1.0) == 0.0  # refilled
    assert api.client_address(("10.0.0.1", 1), {"x-forwarded-for": "1.2.3.4"}, False) == "10.0.0.1"
    assert api.client_address(("10.0.0.1", 1), {"x-forwarded-for": "6.6.6.6, 1.2.3.4"}, True) == "1.2.3.4"


def test_routes_give_etag_304_and_429_with_retry_after(monkeypatch):
    from starlette.applications import Starlette

    monkeypatch.setenv("FOOTPRINT_API_RATE", "0.01")  # one token per 100 s: the fourth request is refused however slow the machine
    monkeypatch.setenv("FOOTPRINT_API_BURST", "3")
    app = Starlette(routes=api.routes())
    status, headers, body = asgi_get(app, "/api/v1/troops/PER.json", "from=2015&to=2025")
    assert status == 200 and headers["etag"] and headers["cache-control"].startswith("public")
    status, headers2, body2 = asgi_get(app, "/api/v1/troops/PER.json", "from=2015&to=2025",
                                    [("if-none-match", headers["etag"])])
    assert status == 304 and body2 == b"" and headers2["etag"] == headers["etag"]
    status, _h, body = asgi_get(app, "/api/v1/troops/PER.json", "bogus=1")
    assert status == 400 and json.loads(body)["parameter"] == "bogus"
    status, headers, body = asgi_get(app, "/api/v1/troops/PER.json")
    assert status == 429 and int(headers["retry-after"]) >= 1 and json.loads(body)["status"] == 429


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    log = tmp_path_factory.mktemp("api") / "log"
    with start_streamlit(ROOT / "app.py", env={"FOOTPRINT_WARM": "off", "FOOTPRINT_API_RATE": "1000",
                                               "FOOTPRINT_API_BURST": "1000"}, log_path=log) as server:
        yield server


def _http(url: str, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_live_app_serves_the_snapshot_files_byte_for_byte(live):
    files = api.snapshot_files(countries=["PER"])
    assert "api/v1/troops/PER.json" in files and "api/v1/openapi.json" in files
    for rel, body in files.items():
        status, headers, got = _http(live.url + rel)
        assert status == 200 and got == body, rel
    status, headers, body = _http(live.url + "api/v1/troops/PER.json?from=2015&to=2025")
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"  # the security headers too
    assert json.loads(body)["rows"][0]["active_duty"] == 53
    status, _h, _b = _http(live.url + "api/v1/troops/PER.json", {"If-None-Match": headers["ETag"]})
    assert status == 200  # the filtered answer's tag is not the whole resource's
    status, _h, _b = _http(live.url + "api/v1/troops/PER.json?from=2015&to=2025", {"If-None-Match": headers["ETag"]})
    assert status == 304
    status, _h, body = _http(live.url + "api/v1/troops/PER.json?from=nope")
    assert status == 400 and json.loads(body)["parameter"] == "from"


def test_a_table_that_cannot_be_read_is_a_503_without_paths(tmp_path):
    ans = api.answer("/api/v1/troops/PER.json", [], folder=tmp_path)  # an empty data folder
    body = json.loads(ans.body)
    assert ans.status == 503 and body["status"] == 503 and str(tmp_path) not in body["error"]


def test_the_event_loop_gets_only_kept_answers():
    """cached_only (what the route answers on the event loop) never computes: a kept answer or None."""
    path = "/api/v1/troops/JPN.json"
    query = [("from", "1990"), ("to", "1991")]
    fresh = api.answer(path, query)
    assert api.answer(path, query, cached_only=True) is fresh
    assert api.answer(path, [("from", "1992"), ("to", "1993")], cached_only=True) is None
    assert api.answer(path, [("bogus", "1")], cached_only=True).status == 400  # refusing costs nothing either
