"""hosting/healthcheck.py tells a page that renders from one whose script fails (which /_stcore/health does not)."""
from __future__ import annotations

import asyncio
import urllib.request
from pathlib import Path

import pytest

from bench.server import start_streamlit
from hosting import healthcheck

FIX = Path(__file__).parent / "fixtures" / "bench"


@pytest.fixture(scope="module")
def good_server():
    with start_streamlit(FIX / "good_app.py") as srv:
        yield srv


@pytest.fixture(scope="module")
def failing_server():
    with start_streamlit(FIX / "failing_app.py") as srv:
        yield srv


def test_health_endpoint_says_ok_for_a_failing_app(failing_server):
    # The reason this check exists: the built-in endpoint cannot see script failures.
    with urllib.request.urlopen(failing_server.url + "_stcore/health", timeout=10) as resp:
        assert resp.status == 200
        assert resp.read().strip() == b"ok"


def test_failing_app_fails_the_check(failing_server, capsys):
    rep = asyncio.run(healthcheck.check(failing_server.url))
    assert rep.http_ok
    assert not rep.ok
    assert len(rep.pages) == 1
    page = rep.pages[0]
    # The repository's .streamlit/config.toml redacts error details (showErrorDetails = "none"); the check
    # still sees the exception element.
    assert page.problem.startswith("exception element")
    assert page.elements.get("exception") == 1
    assert page.elements.get("heading") == 1  # it drew its title before failing
    assert healthcheck.main([failing_server.url]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_good_app_passes_the_check(good_server, capsys):
    rep = asyncio.run(healthcheck.check(good_server.url, expect=["heading"]))
    assert rep.ok, rep.lines()
    assert rep.pages[0].elements.get("heading") == 1
    assert "exception" not in rep.pages[0].elements
    assert healthcheck.main([good_server.url]) == 0
    assert capsys.readouterr().out.startswith(good_server.url + ": OK")


def test_missing_expected_element_fails(good_server):
    rep = asyncio.run(healthcheck.check(good_server.url, expect=["plotly_chart"]))
    assert not rep.ok
    assert rep.pages[0].problem == "missing element(s): plotly_chart"


def test_strict_fails_on_an_error_box(good_server):
    lenient = asyncio.run(healthcheck.check(good_server.url, query="error_box=1"))
    assert lenient.ok  # an st.error box is not an exception
    strict = asyncio.run(healthcheck.check(good_server.url, query="error_box=1", strict=True))
    assert not strict.ok
    assert strict.pages[0].problem == "error message shown: Table troops is missing"
    assert asyncio.run(healthcheck.check(good_server.url, strict=True)).ok


@pytest.fixture(scope="module")
def nav_server():
    with start_streamlit(FIX / "nav_app.py") as srv:
        yield srv


def test_every_navigation_page_is_checked(nav_server):
    rep = asyncio.run(healthcheck.check(nav_server.url, expect=["heading"]))
    assert rep.ok, rep.lines()
    assert [p.page for p in rep.pages] == ["", "beta"]  # default page (alpha), then the others


def test_one_failing_page_fails_the_check(nav_server):
    rep = asyncio.run(healthcheck.check(nav_server.url, query="fail=1"))
    assert not rep.ok
    assert [(p.page, p.ok) for p in rep.pages] == [("", True), ("beta", False)]
    assert rep.pages[1].problem.startswith("exception element")


def test_unknown_page_fails(nav_server):
    rep = asyncio.run(healthcheck.check(nav_server.url, pages=["no-such-page"]))
    assert not rep.ok
    assert rep.pages[0].problem == "page not found: 'no-such-page'"


def test_no_server_exits_2():
    from bench.server import free_port

    assert healthcheck.main([f"http://127.0.0.1:{free_port()}/", "--timeout", "5"]) == 2
