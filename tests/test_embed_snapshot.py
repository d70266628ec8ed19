"""'Embed this view or cite it' offers iframe code for the view's page in the static snapshot when the server knows
where the snapshot is published (FOOTPRINT_SNAPSHOT_URL), and says plainly in one line when it does not, when the
setting is not an http(s) address, or when the view has no snapshot page."""
from __future__ import annotations

import html
import re

import pytest

from tests.apputil import open_link

SNAP = "https://example.org/footprint-snapshot"


def embed_box(at) -> str:
    return next(h.proto.body for h in at.get("html") if 'class="fp-code"' in h.proto.body)


def snapshot_iframe(at) -> tuple[str, int] | None:
    box = embed_box(at)
    m = re.search(r'<pre class="fp-code fp-snapshot">(.*?)</pre>', box, re.S)
    if not m:
        return None
    code = html.unescape(m.group(1))
    src = re.search(r'src="([^"]+)"', code).group(1)
    return html.unescape(src), int(re.search(r'height="(\d+)"', code).group(1))


def note(at) -> str:
    m = re.search(r'<p class="fp-caption fp-snapshot-note">(.*?)</p>', embed_box(at), re.S)
    return html.unescape(m.group(1)) if m else ""


@pytest.mark.parametrize("page,query,expected", [
    (None, {}, "world-map.html#2025"),
    (None, {"year": "2003"}, "world-map.html#2003"),
    ("app_pages/when.py", {}, "troops-total.html"),
    ("app_pages/when.py", {"view": "By region"}, "troops-by-region.html"),
    ("app_pages/cost.py", {}, "outlays-current.html"),
    ("app_pages/cost.py", {"unit": "Percent of GDP"}, "outlays-percent-gdp.html"),
    ("app_pages/cost.py", {"section": "Budget authority"}, "budget-authority.html"),
    ("app_pages/cost.py", {"section": "FY2024"}, "fy2024.html"),
    ("app_pages/country.py", {}, "country/PER.html"),
    ("app_pages/country.py", {"country": "Germany"}, "country/DEU.html"),
])
def test_each_view_offers_its_snapshot_page(monkeypatch, page, query, expected):
    monkeypatch.setenv("FOOTPRINT_SNAPSHOT_URL", SNAP + "/")
    at = open_link(page, **query)
    src, height = snapshot_iframe(at)
    assert src == f"{SNAP}/{expected}"
    assert 680 <= height <= 900
    assert note(at) == ""


def test_sipri_section_names_the_latest_year_page(monkeypatch):
    monkeypatch.setenv("FOOTPRINT_SNAPSHOT_URL", SNAP)
    at = open_link("app_pages/cost.py", section="Other countries")
    src, _ = snapshot_iframe(at)
    assert re.fullmatch(re.escape(SNAP) + r"/sipri-\d{4}\.html", src)


@pytest.mark.parametrize("page,query", [("app_pages/when.py", {"view": "Countries"}),
                                        ("app_pages/when.py", {"section": "Deployments and exercises"}),
                                        ("app_pages/sources_page.py", {})])
def test_a_view_without_a_snapshot_page_says_so(monkeypatch, page, query):
    monkeypatch.setenv("FOOTPRINT_SNAPSHOT_URL", SNAP)
    at = open_link(page, **query)
    assert snapshot_iframe(at) is None
    assert note(at) == "This view has no page in the static snapshot; embed the live view above instead."
    assert SNAP not in embed_box(at)


def test_unset_setting_gives_one_line_and_no_address(monkeypatch):
    monkeypatch.delenv("FOOTPRINT_SNAPSHOT_URL", raising=False)
    at = open_link()
    assert snapshot_iframe(at) is None
    assert "No static snapshot address is set on this server (FOOTPRINT_SNAPSHOT_URL)" in note(at)
    assert "world-map.html" not in embed_box(at)


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://example.org/snap", "example.org/snap",
                                 'https://example.org/"><script>alert(1)</script>', "https:///nohost"])
def test_a_bad_setting_gets_a_notice_not_a_link(monkeypatch, bad):
    monkeypatch.setenv("FOOTPRINT_SNAPSHOT_URL", bad)
    at = open_link()
    box = embed_box(at)
    assert snapshot_iframe(at) is None
    assert "is not an http:// or https:// address" in note(at)
    assert "alert(1)" not in box and "world-map.html" not in box


def test_spanish_reader_gets_the_note_in_spanish(monkeypatch):
    monkeypatch.delenv("FOOTPRINT_SNAPSHOT_URL", raising=False)
    at = open_link(lang="es")
    assert note(at) and "FOOTPRINT_SNAPSHOT_URL" in note(at) and "No static snapshot" not in note(at)


@pytest.mark.parametrize("page,query,expected", [
    (None, {"year": "2003"}, "es/world-map.html#2003"),
    ("app_pages/when.py", {"view": "By region"}, "es/troops-by-region.html"),
    ("app_pages/country.py", {}, "es/country/PER.html"),
])
def test_a_spanish_reader_is_offered_the_spanish_page(monkeypatch, page, query, expected):
    """The snapshot has every page in Spanish under es/ (export/snapshot.py): a Spanish reader embeds that one."""
    monkeypatch.setenv("FOOTPRINT_SNAPSHOT_URL", SNAP)
    at = open_link(page, lang="es", **query)
    src, height = snapshot_iframe(at)
    assert src == f"{SNAP}/{expected}"
    assert 680 <= height <= 900


def also_iframes(at) -> list[tuple[str, str, int]]:
    """The embed box's further snapshot pages (ui.snapshot.ALSO_PAGES): (label, src, height) each."""
    out = []
    for label, code in re.findall(r'<p class="fp-caption"><b>([^<]*)</b></p><pre class="fp-code fp-snapshot-also">(.*?)</pre>',
                                  embed_box(at), re.S):
        code = html.unescape(code)
        out.append((html.unescape(label), html.unescape(re.search(r'src="([^"]+)"', code).group(1)),
                    int(re.search(r'height="(\d+)"', code).group(1))))
    return out


@pytest.mark.parametrize("lang, prefix, label", [
    ("en", "", "The static snapshot of the authorisations chart:"),
    ("es", "es/", "La copia estática del gráfico de autorizaciones:")])
def test_a_country_with_its_authorisations_chart_offers_that_page_too(monkeypatch, lang, prefix, label):
    """Peru's profile opens on its Congress's authorisations beside the DMDC count: the snapshot has that chart's
    own page (export/snapshot.py), so the embed box offers it beside the troop history's page, each labelled."""
    monkeypatch.setenv("FOOTPRINT_SNAPSHOT_URL", SNAP)
    at = open_link("app_pages/country.py", lang=lang)
    assert snapshot_iframe(at)[0] == f"{SNAP}/{prefix}country/PER.html"
    assert also_iframes(at) == [(label, f"{SNAP}/{prefix}country/PER-authorisations.html", 990)]
    assert ("troop history chart" if lang == "en" else "evolución de las tropas") in embed_box(at)


@pytest.mark.parametrize("query", [{"country": "Germany"}, {"section": "Bases and places"},
                                   {"section": "Deployments and events"}])
def test_no_authorisations_page_without_that_chart(monkeypatch, query):
    """Germany has no host-country decisions (no such page in the snapshot); Peru's other tabs do not draw it."""
    monkeypatch.setenv("FOOTPRINT_SNAPSHOT_URL", SNAP)
    at = open_link("app_pages/country.py", **query)
    assert also_iframes(at) == [] and "authorisations.html" not in embed_box(at)
    assert "The static snapshot of this chart" in embed_box(at)


def test_no_snapshot_address_no_authorisations_page(monkeypatch):
    monkeypatch.delenv("FOOTPRINT_SNAPSHOT_URL", raising=False)
    at = open_link("app_pages/country.py")
    assert also_iframes(at) == [] and "authorisations.html" not in embed_box(at)
