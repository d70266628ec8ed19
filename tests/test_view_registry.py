"""The view registry (prep/registry.py) is the one list of views: a view registered there alone is in the
navigation, the share link and embed code, the snapshot's index, the browser tests' lists and the benchmarks'."""
from __future__ import annotations

import html
import re

import pytest

from prep import registry
from tests.apputil import open_link
from tests.test_embed_snapshot import embed_box

DUMMY = registry.View("dummy", "tests/fixtures/dummy_view.py", "Dummy", ":material/science:", 777, charts=0,
                      snapshot_group="Dummy pages", snapshot_heights={"dummy": 555})


@pytest.fixture
def dummy(monkeypatch):
    monkeypatch.setattr(registry, "VIEWS", registry.VIEWS)  # the registry as it was, back after the test
    registry.register(DUMMY)
    return DUMMY


def test_the_five_views_in_the_navigations_order():
    assert registry.paths() == ("where", "when", "cost", "country", "sources")
    assert registry.default().path == "where" and registry.urls()["map"] == ""
    assert registry.snapshot_heights() == {"map": 900, "troops": 860, "budget": 710, "sipri": 920, "country": 760,
                                           "authorisations": 990}


def test_a_path_or_module_is_registered_once(dummy):
    with pytest.raises(ValueError):
        registry.register(DUMMY)
    with pytest.raises(ValueError):
        registry.register(registry.View("other", "app_pages/when.py", "Other", ":material/science:", 700))


def test_a_view_not_registered_is_not_in_the_navigation():
    at = open_link()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(DUMMY.module)


def test_a_registered_view_is_in_the_navigation_and_its_embed_code(dummy):
    at = open_link(DUMMY.module)
    assert [t.value for t in at.title] == ["Dummy view"]
    box = html.unescape(embed_box(at))
    whole = re.search(r'<iframe src="([^"]+)"[^>]* height="(\d+)"', box)
    assert whole.group(1).endswith("/dummy?lang=en&embed=true") and whole.group(2) == "777"


def test_a_registered_view_is_in_the_snapshot_index_and_the_test_and_benchmark_lists(dummy):
    from bench import csp_check, profile_views, run_cost  # noqa: F401  (run_cost reads registry.urls())
    from export import snapshot
    from tests.browser import pwutil, test_views

    assert snapshot.groups()[-1] == "Dummy pages"
    assert test_views.views()["dummy"] == ("dummy", 0, None)
    assert pwutil.every_view_and_tab({})["dummy"] == "dummy"  # tests/browser/test_phone.py, test_spanish.py
    assert registry.urls()["dummy"] == "dummy"  # bench/run_cost.py, bench/profile_burst.py
    assert csp_check.views()[-1] == "dummy"
    assert profile_views.pages()["dummy"] == DUMMY.module
