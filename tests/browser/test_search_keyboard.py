"""The search box in a real browser, on a phone-sized Spanish page and a desktop English one, by keyboard only:
Tab reaches the box, Enter searches, Tab reaches the first result and Enter opens it on the view that shows it,
in the same language, with the box emptied."""
from __future__ import annotations

import pytest

from tests.browser.pwutil import wait_rendered, wait_url

BOX = ".st-key-fp_search input"
RESULT = '.st-key-fp_search_results [data-testid="stPageLink"] a'


@pytest.mark.parametrize("lang, width, query, first, lands", [
    ("es", 390, "Perú", "Perú · Perfil de país", "country"),
    ("en", 1400, "Resolut Sentinell", "Resolute Sentinel 2024 (RS24) · exercise · Peru · 2024", "when"),
])
def test_search_by_keyboard_opens_the_result_in_the_same_language(app_server, new_page, screenshot_dir, lang, width,
                                                                   query, first, lands):
    page, rec = new_page(width, 1600)
    page.goto(app_server.url + f"?lang={lang}")
    wait_rendered(page)
    box = page.locator(BOX)
    assert box.is_visible()  # on a phone too, without opening the sidebar
    where = box.bounding_box()
    assert where["x"] >= 0 and where["x"] + where["width"] <= width
    page.evaluate("""() => { const b = document.body; b.setAttribute('tabindex', '-1'); b.focus();
                             b.removeAttribute('tabindex'); }""")
    for _i in range(30):  # Tab from the top of the page reaches the box
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.closest('.st-key-fp_search') !== null"):
            break
    else:
        pytest.fail("the search box is not reached by Tab")
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    page.wait_for_selector(RESULT, timeout=30_000)
    wait_url(page, r"[?&]q=")
    links = page.locator(RESULT)
    assert " ".join(links.first.inner_text().split()[1:]) == first  # after the icon's name
    assert all(f"lang={lang}" in links.nth(i).get_attribute("href") for i in range(links.count()))
    page.screenshot(path=str(screenshot_dir / f"search-{lang}-{width}.png"))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('[data-testid=\"stPageLink\"]') !== null")
    page.keyboard.press("Enter")
    wait_url(page, rf"/{lands}(?!.*[?&]q=).*lang={lang}")
    wait_rendered(page, need_chart=False)
    assert page.locator(BOX).input_value() == "" and page.locator(RESULT).count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert rec.outside() == []
