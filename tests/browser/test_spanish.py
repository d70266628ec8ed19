"""The Spanish edition in Chromium: every view and tab with ?lang=es shows no English text of the catalogue,
Spanish month names on a date axis and "Perú" on the country page; the same link with lang=en is English; the
language survives a widget change and travels in the share link."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.browser.pwutil import every_view_and_tab, resize, titles_cut, wait_rendered, wait_url

PO = Path(__file__).resolve().parents[2] / "locales" / "es" / "LC_MESSAGES" / "footprint.po"
LINKS = every_view_and_tab({  # every view and tab (and any the registry adds)
    "where": "?year=2023&layers=Deployments", "where-play": "?play=true",
    "when-troops": "when", "when-timeline": "when?section=Deployments+and+exercises",
    "cost-outlays": "cost", "cost-ba": "cost?section=Budget+authority", "cost-sipri": "cost?section=Other+countries",
    "cost-fy2024": "cost?section=FY2024", "country-troops": "country",
    "country-map": "country?section=Bases+and+places", "country-timeline": "country?section=Deployments+and+events",
    "sources": "sources",
})


def _english_phrases() -> list[str]:
    """Catalogue texts that must not appear on a Spanish page: whole English sentences and labels (at least three
    words, no placeholder) whose Spanish differs."""
    out = []
    for m in read_po(PO.open("rb")):
        if not m.id or isinstance(m.id, tuple) or "{" in m.id or m.string == m.id or len(m.id.split()) < 3:
            continue
        out.append(m.id.replace("**", "").replace("`", "").strip())
    return out


def _page_text(page) -> str:
    return page.evaluate("""() => document.body.innerText + '\\n' +
        [...document.querySelectorAll('svg text')].map(t => t.textContent).join('\\n')""")


@pytest.mark.parametrize("name", list(LINKS))
def test_spanish_page_has_no_english_ui_text(app_server, new_page, screenshot_dir, name):
    link = LINKS[name]
    page, rec = new_page(1400, 2000)
    page.goto(app_server.url + link + ("&" if "?" in link else "?") + "lang=es")
    wait_rendered(page, need_chart=name != "sources")
    assert page.locator('[data-testid="stException"]').count() == 0
    text = _page_text(page)
    left = [p for p in _english_phrases() if p in text]
    assert left == [], f"{name}: English UI text on the Spanish page: {left[:5]}"
    assert "footprint" in text.lower()  # the brand line (upper case on screen)
    # the page says its language (screen readers read it with a Spanish voice)
    page.wait_for_function("() => document.documentElement.lang === 'es'", timeout=10_000)
    # and the one-line script that says it takes no room (its wrapper too: a flex gap of 16 px otherwise)
    assert page.evaluate("""() => getComputedStyle(document.querySelector('.st-key-fp_script_pagelang').parentElement)
        .display""") == "none"
    page.screenshot(path=str(screenshot_dir / f"es-{name}-1400.png"))
    resize(page, 390, 2000)
    page.screenshot(path=str(screenshot_dir / f"es-{name}-390.png"))
    # Spanish titles are longer: each broken onto two lines must still be wholly drawn (the animated map's was not)
    assert titles_cut(page) == [], f"{name}: a chart title is cut off at 390 px"
    assert rec.outside() == []


def test_spanish_dates_names_and_the_english_twin(app_server, new_page):
    page, _ = new_page()
    page.goto(app_server.url + "when?section=Deployments+and+exercises&from=2025&to=2025&lang=es")
    wait_rendered(page)
    ticks = " ".join(page.locator('[data-testid="stPlotlyChart"] .xtick text').all_text_contents()).lower()
    assert re.search(r"\b(ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)\b", ticks), ticks
    assert not re.search(r"\b(jan|apr|aug|dec)\b", ticks), ticks
    page.goto(app_server.url + "country?lang=es")
    wait_rendered(page)
    assert "Perú" in _page_text(page)
    assert page.evaluate("document.documentElement.lang") == "es"
    page.goto(app_server.url + "country?lang=en")
    wait_rendered(page)
    text = _page_text(page)
    assert "Country profile" in text and "Perfil de país" not in text and "Peru" in text
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10_000)


def test_language_survives_a_widget_change_and_the_share_link(app_server, new_page):
    page, _ = new_page()
    page.goto(app_server.url + "?lang=es&year=2000")
    wait_rendered(page)
    page.get_by_role("button", name=re.compile("^Bases$")).click()
    wait_url(page, r"layers=Bases")
    wait_rendered(page)
    assert "lang=es" in page.url and "year=2000" in page.url
    assert "¿Dónde están las tropas" in _page_text(page) or "Dónde" in _page_text(page)
    share = page.locator(".fp-share a").first.get_attribute("href")
    assert "lang=es" in share and "layers=Bases" in share
    fresh, _ = new_page()
    fresh.goto(share)
    wait_rendered(fresh)
    assert fresh.get_by_role("button", name=re.compile("^Bases$")).get_attribute("aria-pressed") == "true"
    assert "Fuente" in _page_text(fresh)
