"""The load driver's CI size (5 sessions x 5 s) against the floor app: 0 errors, every rerun finished, and the
year in the URL reaches the script on each rerun."""
from __future__ import annotations

import asyncio
import json

import pytest

from bench import load
from bench.server import ROOT, start_streamlit
from hosting.stclient import Session


@pytest.fixture(scope="module")
def floor_server():
    with start_streamlit(ROOT / "bench" / "floor_app.py", options={"server.disconnectedSessionTTL": 2}) as srv:
        yield srv


def test_parse_vary():
    assert load.parse_vary(["year=1950-1952", "country=DEU,JPN"]) == {
        "year": ["1950", "1951", "1952"],
        "country": ["DEU", "JPN"],
    }
    with pytest.raises(ValueError):
        load.parse_vary(["year"])


def test_percentile():
    assert load.percentile([1, 2, 3, 4, 5], 0.5) == 3
    assert load.percentile([0, 10], 0.95) == pytest.approx(9.5)


def test_query_string_reaches_the_script(floor_server):
    async def go():
        async with Session(floor_server.ws_url) as s:
            a = await s.run("", "year=1990", keep_specs=True)
            b = await s.run("", "year=2001", history_navigation=True, keep_specs=True)
            return a, b

    a, b = asyncio.run(go())
    assert a.ok and b.ok
    assert json.loads(a.chart_specs[0])["layout"]["title"]["text"] == "Floor chart (1990)"
    assert json.loads(b.chart_specs[0])["layout"]["title"]["text"] == "Floor chart (2001)"


def test_short_load_has_no_errors(floor_server):
    rep = asyncio.run(
        load.run_load(
            floor_server.ws_url, [floor_server.pid], sessions=5, duration=5, think=(0.1, 0.3), ttl_wait=3,
            log=lambda *a: None,
        )
    )
    s = rep.summary()
    assert s["errors"] == 0, s["error_samples"]
    assert rep.reruns >= 2 * 5  # 5 sessions, several runs each (kept low: CI shares 2 busy cores)
    assert rep.finished == rep.reruns  # every rerun reached script_finished
    assert len(rep.latencies_s) == rep.reruns
    assert rep.bytes_received > 0
    assert set(rep.rss_kb) == {"cold", "warm", "peak_during", "after_close", "after_ttl"}
    assert all(v > 10_000 for v in rep.rss_kb.values())  # a Streamlit server is tens of MB


def test_cli_exit_code_and_json(tmp_path, floor_server):
    out = tmp_path / "load.json"
    code = load.main(["--url", floor_server.url, "--pid", str(floor_server.pid), "--sessions", "2",
                      "--duration", "2", "--think", "0.1-0.2", "--ttl", "0", "--json", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    assert data["errors"] == 0 and data["reruns"] == data["finished"] > 0


def test_burst_mode_times_every_first_load(floor_server):
    b = asyncio.run(load.run_burst(floor_server.ws_url, [floor_server.pid], sessions=6, window=0.5,
                                   log=lambda *a: None))
    assert b["errors"] == 0, b["error_samples"]
    assert b["n"] == 6 and b["per_view"]["(default)"]["n"] == 6
    assert 0 < b["p50_ms"] <= b["p95_ms"] <= b["max_ms"]


def test_every_animation_link():
    queries = load.animation_queries()
    assert len(queries) == len(set(queries)) == 36
    assert all(q.startswith("play=true&measure=") for q in queries)
