"""The Atom feed of records (/feed.atom and the snapshot's feed.atom, es/feed.atom): valid against the RFC 4287
schema (its RELAX NG form, tests/fixtures/atom/), in both languages, filtered by country, ordered by date added or
by event, every entry with its summary, sources and link to the record's view; a bad parameter is a 400 that names
it."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from export import feed
from export.common import data_version, load_deployment_frame, load_sources
from tests.asgiutil import get as asgi_get

ROOT = Path(__file__).resolve().parent.parent
A = "{http://www.w3.org/2005/Atom}"
SCHEMA = etree.RelaxNG(etree.parse(str(ROOT / "tests" / "fixtures" / "atom" / "atom.rng")))


@pytest.fixture(scope="module")
def frame():
    return load_deployment_frame()


@pytest.fixture(scope="module")
def sources():
    return load_sources()


def _valid(body: bytes) -> etree._Element:
    root = etree.fromstring(body)
    assert SCHEMA.validate(root), SCHEMA.error_log
    # the schema's Schematron rules, which RELAX NG does not check: an author, and an alternate link per entry
    assert root.find(f"{A}author/{A}name") is not None
    for entry in root.iter(f"{A}entry"):
        alternates = [li for li in entry.findall(f"{A}link") if li.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1
    return root


def test_schema_refuses_a_feed_without_id_or_updated():
    assert not SCHEMA.validate(etree.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_feed_is_valid_atom_with_every_record_in_each_language(frame, sources, lang):
    root = _valid(feed.build(frame, sources, lang=lang))
    entries = root.findall(f"{A}entry")
    assert len(entries) == len(frame)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    by_id = {e.findtext(f"{A}id").rsplit(":", 1)[1]: e for e in entries}
    rec = frame.set_index("id").loc["argentina-tridente-2025-decree"]
    entry = by_id["argentina-tridente-2025-decree"]
    assert entry.findtext(f"{A}title") == (rec["name_es"] if lang == "es" else rec["name"])
    assert entry.findtext(f"{A}summary") == (rec["summary_es"] if lang == "es" else rec["summary"])
    alternate = entry.find(f"{A}link[@rel='alternate']")
    assert alternate.get("href") == f"/when?item=argentina-tridente-2025-decree&lang={lang}"
    related = [li.get("href") for li in entry.findall(f"{A}link[@rel='related']")]
    src = sources[rec["sources"][0]["source_id"]]
    assert src.url in related and src.title in entry.findtext(f"{A}content")
    assert ("Fuentes:" if lang == "es" else "Sources:") in entry.findtext(f"{A}content")


def test_country_filter_and_both_orders(frame, sources):
    per = _valid(feed.build(frame, sources, country="PER", order="event"))
    ids = [e.findtext(f"{A}id").rsplit(":", 1)[1] for e in per.findall(f"{A}entry")]
    assert set(ids) == set(frame.loc[frame["iso3"] == "PER", "id"]) and ids
    starts = frame.set_index("id").loc[ids, "start"].tolist()
    assert starts == sorted(starts, reverse=True)  # by the date of the event, newest first
    added = {"peru-naval-mission-1920": "2030-01-01T00:00:00+00:00"}  # the oldest event, added last
    first = _valid(feed.build(frame, sources, country="PER", order="added", added=added)).find(f"{A}entry")
    assert first.findtext(f"{A}id").endswith(":peru-naval-mission-1920")
    assert first.findtext(f"{A}published").startswith("2030-01-01")


def test_added_index_matches_git_and_lies_outside_data():
    index = json.loads(feed.ADDED_FILE.read_text(encoding="utf-8"))
    assert feed.ADDED_FILE.parent.name == "export"
    files = sorted(p.stem for p in (ROOT / "data" / "deployments").glob("*.yaml"))
    missing = [f for f in files if f not in index]
    assert len(missing) <= 3, f"run python -m export added (records without a date added: {missing})"
    stem = "argentina-tridente-2025-decree"
    run = subprocess.run(["git", "log", "--diff-filter=A", "--format=%cI", "--", f"data/deployments/{stem}.yaml"],
                         cwd=ROOT, capture_output=True, text=True)
    if run.stdout.split():  # a shallow clone may not have the commit
        assert index[stem] == run.stdout.split()[-1]
    dt.datetime.fromisoformat(index[stem])


def test_unsafe_text_is_left_out(frame, sources):
    bad = frame.copy()
    bad.loc[bad.index[0], "summary"] = "see <script>alert(1)</script>"
    root = _valid(feed.build(bad, sources))
    assert len(root.findall(f"{A}entry")) == len(frame) - 1
    assert b"<script" not in feed.build(bad, sources).replace(b"&lt;script", b"")


def test_route_serves_the_feed_and_names_a_bad_parameter(frame, sources):
    from starlette.applications import Starlette

    app = Starlette(routes=feed.routes(lambda: frame, lambda: sources))
    status, headers, body = asgi_get(app, "/feed.atom", "lang=es&country=per&order=event")
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")
    root = _valid(body)
    assert root.find(f"{A}link[@rel='self']").get("href").startswith("http://testserver/feed.atom?")
    assert f"Versión de datos {data_version()}." in root.findtext(f"{A}subtitle")  # the data version it lists
    assert root.find(f"{A}entry/{A}link[@rel='alternate']").get("href").startswith("http://testserver/when?item=")
    for query, parameter in (("lang=fr", "lang"), ("country=XXX", "country"), ("order=newest", "order"),
                             ("bogus=1", "bogus"), ("lang=es&lang=en", "lang"), ("country=%00", "country")):
        status, headers, body = asgi_get(app, "/feed.atom", query)
        text = body.decode()
        assert status == 400 and text.startswith(f"400 bad parameter {parameter}:"), (query, text)
        assert "Traceback" not in text and headers["cache-control"] == "no-store"


def test_snapshot_files_in_both_languages(frame, sources):
    files = feed.snapshot_files(frame, sources, "https://example.org/fp", "0123456789ab")
    assert set(files) == {"feed.atom", "es/feed.atom"}
    es = _valid(files["es/feed.atom"])
    assert es.find(f"{A}link[@rel='self']").get("href") == "https://example.org/fp/es/feed.atom"
    assert es.find(f"{A}entry/{A}link[@rel='alternate']").get("href").endswith("&lang=es")
    assert "0123456789ab" in es.findtext(f"{A}subtitle")
