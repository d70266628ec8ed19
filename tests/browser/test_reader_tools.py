"""What a reader on a phone uses to pass a view on: the copy buttons under the embed codes and citations (by
mouse and by keyboard, with a visible "copied" state in the page's language), the address bar that keeps the
language (and the reader's choices) so a link copied from it reopens the same view in the same language, and the
views' links visible at 390 px (Streamlit folds its top navigation into the sidebar there)."""
from __future__ import annotations

import pytest

from tests.browser.pwutil import open_page, wait_rendered, wait_url


@pytest.fixture()
def spanish_context(browser):
    """A Spanish (Peru) browser that lets the page read the clipboard, as a reader who pastes would."""
    ctx = browser.new_context(viewport={"width": 390, "height": 1600}, locale="es-PE",
                              permissions=["clipboard-read", "clipboard-write"])
    yield ctx
    ctx.close()


def _open(ctx, url: str):
    page, rec = open_page(ctx, url)
    wait_rendered(page)
    return page, rec.page_errors


def test_copy_buttons_copy_the_code_and_the_citation(app_server, spanish_context, screenshot_dir):
    page, errors = _open(spanish_context, app_server.url + "country?country=Peru&lang=es")
    page.locator('[data-testid="stExpander"] summary', has_text="Insertar o citar esta vista").click()
    blocks, buttons = page.locator("pre.fp-code"), page.locator("button.fp-copy")
    buttons.first.wait_for()
    assert buttons.count() == blocks.count() >= 4  # whole view, chart alone, citation, BibTeX
    assert buttons.first.inner_text() == "Copiar"
    assert buttons.first.get_attribute("aria-label").startswith("Copiar: La vista completa")
    # by keyboard: focus the first button and press Enter
    buttons.first.focus()
    assert page.evaluate("document.activeElement.classList.contains('fp-copy')")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.fp-copied').textContent === 'Copiado'")
    assert page.evaluate("navigator.clipboard.readText()") == blocks.first.inner_text()
    assert "<iframe" in page.evaluate("navigator.clipboard.readText()")
    # focus is visible on the button (its own outline, not the browser's default only on some devices)
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    # by mouse: the citation (the third block when no snapshot address is set)
    cite = blocks.nth(2).inner_text()
    assert cite.startswith("Footprint (2026)")
    buttons.nth(2).click()
    page.wait_for_function("() => document.querySelectorAll('.fp-copied')[2].textContent === 'Copiado'")
    assert page.evaluate("navigator.clipboard.readText()") == cite
    assert "fp-copy-done" in buttons.nth(2).get_attribute("class")
    buttons.nth(2).scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "copy-buttons-390-es.png"))
    assert errors == []


def test_the_address_bar_keeps_the_language_and_the_choices(app_server, spanish_context, browser):
    # a Spanish browser, a link without lang: the page is Spanish and says so in its address
    page, errors = _open(spanish_context, app_server.url + "cost")
    wait_url(page, r"[?&]lang=es")
    page.get_by_role("radio", name="Porcentaje del PIB").click()
    wait_url(page, r"[?&]unit=")
    wait_rendered(page)
    address = page.url
    assert "lang=es" in address, address
    # the address, copied and opened in an English browser: the same view, in Spanish
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="en-US")
    try:
        other = ctx.new_page()
        other.goto(address)
        wait_rendered(other)
        assert other.evaluate("document.documentElement.lang") == "es"
        assert other.get_by_role("radio", name="Porcentaje del PIB").get_attribute("aria-checked") == "true"
        assert "Cuánto cuesta" in other.locator('[data-testid="stMain"]').inner_text()
    finally:
        ctx.close()
    assert errors == []


def test_the_other_views_are_one_tap_away_on_a_phone(app_server, spanish_context, browser, screenshot_dir):
    page, errors = _open(spanish_context, app_server.url + "?lang=es")
    nav = page.locator(".st-key-phonenav")
    assert nav.is_visible()
    links = nav.locator('[data-testid="stPageLink"] a')
    assert links.count() == 5
    texts = [t.strip() for t in links.all_inner_texts()]
    assert any("Cuánto cuesta" in t for t in texts), texts
    box = nav.bounding_box()
    assert box["y"] < 400 and box["x"] >= 0 and box["x"] + box["width"] <= 390  # near the top, nothing cut
    page.screenshot(path=str(screenshot_dir / "phone-nav-390-es.png"), clip={"x": 0, "y": 0, "width": 390, "height": 700})
    links.filter(has_text="Cuánto cuesta").click()
    wait_url(page, r"/cost")
    wait_rendered(page)
    assert "lang=es" in page.url
    assert page.locator("h1").first.inner_text().startswith("Cuánto cuesta")
    # on a desktop the top navigation shows the views; the row is not drawn twice
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        wide = ctx.new_page()
        wide.goto(app_server.url + "?lang=es")
        wait_rendered(wide)
        assert not wide.locator(".st-key-phonenav").is_visible()
        assert wide.locator('[data-testid="stTopNavLink"]').first.is_visible()
    finally:
        ctx.close()
    assert errors == []
