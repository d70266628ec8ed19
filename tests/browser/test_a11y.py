"""Accessibility (WCAG 2.2 AA) in Chromium: axe-core (vendored, tests/browser/vendor/axe-core) runs on every view
and every tab of the registry, in every language, at 1400 and 390 px, with no rule disabled and no element
excluded; a serious or critical violation (and a skipped heading level) fails, except one listed in UPSTREAM (inside Streamlit's own components,
which the app cannot change), counted apart. The keyboard: tabbing through one view reaches its main controls and a
chart's "show as table" in order, with a visible focus outline.

Each page is opened once and axe runs at 1400 px, then again after a resize to 390 px (the same session re-laid
out, as a phone would show it). FOOTPRINT_A11Y_REPORT=path writes the summary (docs/accessibility/axe-report.md is
made that way: scripts/a11y_report.sh)."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from i18n import LANGS
from prep import registry
from tests.browser.pwutil import IDLE, resize, wait_rendered

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (1400, 390)
FAILING = ("serious", "critical")

# Findings inside Streamlit's own components that the app cannot fix: (axe rule id, a CSS selector the node's target
# matches) -> the upstream issue. A node is counted apart only when it matches one of these; anything else fails.
UPSTREAM: dict[tuple[str, str], str] = {}


def links() -> dict[str, str]:
    """Every view and each of its tabs (prep/registry.py) -> its link relative to the app's root."""
    out = {}
    for v in registry.VIEWS:
        for i, tab in enumerate(v.tabs or (None,)):
            name = v.path if i == 0 else f"{v.path}-{tab.lower().replace(' ', '-')}"
            out[name] = v.url if i == 0 else f"{v.url}?section={tab.replace(' ', '+')}"
    return out


RESULTS: dict[tuple[str, str, int], dict] = {}


def _settled(page) -> None:
    """The script run is over and no element is faded as stale (Streamlit dims the previous run's elements while a
    rerun is under way: axe would measure their contrast at that opacity)."""
    page.wait_for_selector(IDLE, state="attached", timeout=45_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=20_000)
    # the fade back to full opacity is a CSS transition: wait until none is running
    page.wait_for_function("() => !document.getAnimations().some(a => a instanceof CSSTransition"
                           " && a.playState === 'running')", timeout=20_000)


def _run_axe(page) -> list[dict]:
    _settled(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    # the whole document, every rule axe has (no runOnly, no rules off, no exclude); only results that fail
    res = page.evaluate("""async () => { const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, tags: v.tags,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact, html: n.html.slice(0, 200),
                                      summary: (n.failureSummary || '').slice(0, 300)}))})); }""")
    return res


def _upstream(page, rule: str, target: str) -> str:
    for (rid, sel), issue in UPSTREAM.items():
        if rid == rule and page.evaluate("([t, s]) => { const e = document.querySelector(t); return !!(e && e.closest(s)); }",
                                         [target, sel]):
            return issue
    return ""


def _classify(page, violations: list[dict]) -> dict:
    app, upstream, minor = [], [], []
    for v in violations:
        for n in v["nodes"]:
            impact = n["impact"] or v["impact"]
            row = {"rule": v["id"], "impact": impact, "help": v["help"], "target": n["target"], "html": n["html"],
                   "summary": n["summary"]}
            if impact not in FAILING:
                minor.append(row)
            elif issue := _upstream(page, v["id"], n["target"]):
                upstream.append({**row, "upstream": issue})
            else:
                app.append(row)
    return {"app": app, "upstream": upstream, "minor": minor}


@pytest.mark.parametrize("lang", list(LANGS))
@pytest.mark.parametrize("name", list(links()))
def test_axe_finds_no_serious_violation(app_server, new_page, screenshot_dir, name, lang):
    link = links()[name]
    page, _ = new_page(1400, 2000)
    page.goto(app_server.url + link + ("&" if "?" in link else "?") + f"lang={lang}")
    wait_rendered(page, need_chart=registry.get(name.split("-")[0]).charts > 0)
    bad = {}
    for width in WIDTHS:
        if width != 1400:
            resize(page, width, 2000)
        found = _classify(page, _run_axe(page))
        RESULTS[(name, lang, width)] = found
        # a skipped heading level is "moderate" for axe, yet it is how a screen reader's reader moves through a
        # page (WCAG 1.3.1): it fails here too
        failing = found["app"] + [r for r in found["minor"] if r["rule"] == "heading-order"]
        if failing:
            bad[width] = [(r["rule"], r["impact"], r["target"], r["summary"][:160]) for r in failing]
    assert bad == {}, f"{name} ({lang}): serious or critical axe violations (or a skipped heading level): {json.dumps(bad, indent=1)[:3000]}"


@pytest.fixture(scope="module", autouse=True)
def _write_report():
    """After this module's runs, writes the summary when FOOTPRINT_A11Y_REPORT names a file (a fixture, not a
    test: CI runs every test and none may skip)."""
    yield
    out = os.environ.get("FOOTPRINT_A11Y_REPORT")
    if out and RESULTS:
        Path(out).write_text(_markdown(RESULTS), encoding="utf-8")


def _markdown(results: dict) -> str:
    version = AXE.read_text(encoding="utf-8")[:40].split("axe v")[1].split()[0]
    lines = [f"# axe-core {version}: every view and tab, every language, {' and '.join(map(str, WIDTHS))} px", "",
             "Made by `tests/browser/test_a11y.py` (see docs/accessibility.md). All rules, no element excluded.",
             "Serious/critical = the count that fails the test; upstream = serious/critical inside Streamlit's own",
             "components (listed below, counted apart); moderate/minor = reported, not failing.", "",
             "| view / tab | lang | width | serious/critical | upstream | moderate/minor |", "|---|---|---|---|---|---|"]
    for (name, lang, width), r in sorted(results.items(), key=lambda kv: (list(links()).index(kv[0][0]), kv[0][1], -kv[0][2])):
        minor = Counter(x["rule"] for x in r["minor"])
        lines.append(f"| {name} | {lang} | {width} | {len(r['app'])} | {len(r['upstream'])} | "
                     + (", ".join(f"{k} ({n})" for k, n in sorted(minor.items())) or "0") + " |")
    ups = {(x["rule"], x["upstream"]) for r in results.values() for x in r["upstream"]}
    lines += ["", "## Counted apart (inside Streamlit's components)", ""]
    lines += [f"- `{rule}`: {issue}" for rule, issue in sorted(ups)] or ["None."]
    app = [x for r in results.values() for x in r["app"]]
    if app:
        lines += ["", "## Failing", ""] + sorted({f"- `{x['rule']}` ({x['impact']}): `{x['target']}`" for x in app})
    return "\n".join(lines) + "\n"


FOCUSED_JS = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
    const cs = getComputedStyle(e); const box = e.closest('[data-testid="stExpander"]');
    const key = [...(e.closest('[class*="st-key-"]') || {classList: []}).classList].find(c => c.startsWith('st-key-')) || '';
    return {tag: e.tagName, text: (e.getAttribute('aria-label') || e.innerText || '').trim().slice(0, 60),
            testid: (e.closest('[data-testid]') || {dataset: {}}).dataset.testid || '', key,
            expander: box ? box.innerText.split('\\n')[0].trim() : '',
            outline: cs.outlineStyle !== 'none' ? parseFloat(cs.outlineWidth) : 0, colour: cs.outlineColor}; }"""


def test_keyboard_reaches_the_controls_then_show_as_table_with_a_visible_focus(app_server, new_page, screenshot_dir):
    page, _ = new_page(1400, 2000)
    page.goto(app_server.url + "when")
    wait_rendered(page)
    _settled(page)
    # Tab from the top of the page, as a reader arriving by keyboard
    page.evaluate("""() => { const b = document.body; b.setAttribute('tabindex', '-1'); b.focus();
                             b.removeAttribute('tabindex'); }""")
    seen = []
    for _i in range(60):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUSED_JS)
        if f:
            seen.append(f)
        if f and "Show as table" in f["text"]:
            break
    order = [f"{f['testid']}:{' '.join(f['text'].split())[:30]}" for f in seen]

    def first(test) -> int:
        hits = [i for i, f in enumerate(seen) if test(f)]
        assert hits, f"not reached by Tab: {order}"
        return hits[0]

    # a sensible order: the skip link, the views, the language, the tabs, the view's control, then its chart's table
    skip = first(lambda f: f["testid"] == "stSkipToContent")
    nav = first(lambda f: f["testid"] == "stTopNavLink")
    language = first(lambda f: "Español" in f["text"])
    tab = first(lambda f: "Troops abroad" in f["text"])
    control = first(lambda f: "Total" in f["text"])
    table = first(lambda f: "Show as table" in f["text"])
    assert skip == 0 and skip < nav < language < tab < control < table, order
    # the focus is visible: an outline of at least 2 px on the focused control (WCAG 2.4.7 and 2.4.11)
    assert seen[table]["outline"] >= 2 and seen[control]["outline"] >= 2, (seen[control], seen[table])
    page.screenshot(path=str(screenshot_dir / "a11y-focus-show-as-table.png"))
    page.keyboard.press("Enter")  # it opens with the keyboard
    page.wait_for_selector('[data-testid="stExpander"] details[open] table.fp-table', timeout=10_000)
