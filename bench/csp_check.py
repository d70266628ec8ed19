"""Does the dashboard still work under the Content-Security-Policy of a deployment? Opens each view through a
running deployment (e.g. deploy/run_replicas.sh's nginx) in Debian's Chromium, and reports every CSP
violation the browser raises, whether a chart was drawn, the CSP header served, and any link (<a href>) that
points off the site from the page's Markdown (data text must never become a link).

    deploy/run_replicas.sh &                                  # nginx on 127.0.0.1:8080
    python -m bench.csp_check http://127.0.0.1:8080/
    python -m bench.csp_check http://127.0.0.1:8080/ --view "country?country=Peru&section=Deployments+and+events"

Exit code 0 = no violation and every chart view drew a chart; 1 otherwise. Loopback only in the tests; it
opens only the URLs given (the page itself requests nothing off its host, see tests/browser).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from prep import registry

CHROMIUM = Path("/usr/bin/chromium")
CHART = '[data-testid="stPlotlyChart"] .main-svg'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def views() -> list[str]:
    """Every view of the registry, as its address relative to the app's root."""
    return list(registry.urls().values())


def check(base: str, views: list[str], timeout_s: float = 60) -> list[dict]:
    from playwright.sync_api import sync_playwright

    no_chart = {v.url for v in registry.VIEWS if not v.charts}  # views that draw no chart (the sources page)

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        for view in views:
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            messages: list[str] = []
            page.on("console", lambda m, out=messages: out.append(m.text)
                    if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None)
            page.add_init_script("""window.__csp = [];
                document.addEventListener('securitypolicyviolation', e => window.__csp.push(
                    e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '')));""")
            started = time.monotonic()
            resp = page.goto(base.rstrip("/") + "/" + view, timeout=timeout_s * 1000)
            csp = resp.headers.get("content-security-policy", "") if resp else ""
            page.wait_for_selector(IDLE, state="attached", timeout=timeout_s * 1000)
            charts = 0
            if view.split("?")[0] not in no_chart:
                try:
                    page.wait_for_selector(CHART, state="attached", timeout=timeout_s * 1000)
                except Exception:  # noqa: BLE001 - reported as "no chart"
                    pass
                page.wait_for_timeout(1500)
                charts = page.locator(CHART).count()
            host = base.split("/")[2]
            links = page.eval_on_selector_all(
                '[data-testid="stMarkdownContainer"] a[href]',
                "els => els.map(e => e.getAttribute('href'))")
            off_site = [h for h in links if h.startswith(("http:", "https:", "mailto:")) and host not in h]
            results.append({
                "view": view or "(where)", "seconds": round(time.monotonic() - started, 1), "csp_header": bool(csp),
                "charts": charts, "violations": page.evaluate("window.__csp") + messages, "off_site_links": off_site,
            })
            page.close()
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url")
    ap.add_argument("--view", action="append", help="a view path with its query (repeatable; default: every view)")
    args = ap.parse_args(argv)
    results = check(args.url, args.view or views())
    print(json.dumps(results, indent=1))
    no_chart = {v.url for v in registry.VIEWS if not v.charts}
    bad = [r for r in results if r["violations"] or (r["view"].split("?")[0] not in no_chart and not r["charts"])]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
