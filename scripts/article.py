"""A plain HTML "article" that embeds Footprint the way a newsroom would, with the iframe code the dashboard's
"Embed this view or cite it" box offers: the live view (?embed=true), the live chart alone (&show=chart) and the
view's page in the static snapshot. Screenshots at a phone's and a desktop's width, to look at before publishing.

    python scripts/article.py [--out docs/screenshots] [--view "?year=2023"] [--widths 390,1400]

Builds a snapshot (one country page) into a temporary folder and serves it with a static server, starts the app
with FOOTPRINT_SNAPSHOT_URL pointing there, opens the view in Chromium, copies the three iframe codes from the box,
writes article.html into another temporary folder served on its own port (another origin, as an article is),
and saves article-WIDTH.png in --out. It also prints each snapshot page kind's height at each width (what the
embed box's heights must cover, snapshot_heights in prep/registry.py). Everything runs on loopback; nothing is
fetched from outside."""
from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.snapshot import serve  # noqa: E402  (a quiet static server on a free loopback port)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]




def article_html(codes: dict[str, str], lang: str = "en") -> str:
    """The article: a headline, some text, and the three iframe codes exactly as the embed box gives them."""
    return f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Where US troops are: an example article</title>
<style>
body {{margin: 0; font-family: Georgia, "Times New Roman", serif; color: #222; background: #fff;}}
article {{max-width: 46rem; margin: 0 auto; padding: 1rem;}}
h1 {{font-size: 2rem; line-height: 1.15;}}
p {{font-size: 1.1rem; line-height: 1.55;}}
figure {{margin: 1.5rem 0;}}
figcaption {{font: 0.85rem/1.4 Helvetica, Arial, sans-serif; color: #555; border-top: 1px solid #ddd; padding-top: 0.3rem;}}
</style>
</head>
<body>
<article>
<h1>Where US troops are stationed abroad</h1>
<p>An example article: the three ways the Footprint dashboard offers to embed one of its views, with the iframe
code copied from its "Embed this view or cite it" box.</p>
<figure id="fig-live">{codes["view"]}
<figcaption>The live view (runs on the dashboard's server).</figcaption></figure>
<p>A paragraph between the figures, as in any article.</p>
<figure id="fig-chart">{codes["chart"]}
<figcaption>The live chart alone, with its source line.</figcaption></figure>
<p>Another paragraph.</p>
<figure id="fig-snapshot">{codes["snapshot"]}
<figcaption>The static snapshot's page (plain files on a static host).</figcaption></figure>
<p>The end of the article.</p>
</article>
</body>
</html>
"""


def embed_codes(page, view_url: str) -> dict[str, str]:
    """The iframe codes of the embed box on the view at ``view_url``, as a reader copies them."""
    page.goto(view_url)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached", timeout=90_000)
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(state="attached", timeout=90_000)
    page.locator('[data-testid="stExpander"] summary', has_text="Embed this view or cite it").click()
    page.locator("pre.fp-code").first.wait_for(timeout=30_000)
    codes = page.locator("pre.fp-code").all_inner_texts()
    snap = page.locator("pre.fp-snapshot")
    return {"view": codes[0], "chart": codes[1], "snapshot": snap.inner_text() if snap.count() else ""}


def page_heights(browser, snap_base: str, art_dir: Path, art_base: str, pages: list[str], widths: list[int]) -> dict:
    """The height each snapshot page needs in an article's iframe (it hides its citation block there), per width:
    the page in a tall iframe, its document's height once the chart is drawn."""
    out: dict = {}
    for rel in pages:
        (art_dir / "frame.html").write_text(
            '<!DOCTYPE html><meta name="viewport" content="width=device-width"><body style="margin:0">'
            f'<iframe id="f" src="{html.escape(snap_base + rel)}" width="100%" height="3000" style="border:0">'
            "</iframe>", encoding="utf-8")
        for w in widths:
            ctx = browser.new_context(viewport={"width": w, "height": 900})
            pg = ctx.new_page()
            pg.goto(art_base + "frame.html")
            pg.frame_locator("#f").locator(".main-svg g.trace, path.choroplethlocation").first.wait_for(
                state="attached", timeout=60_000)
            pg.wait_for_timeout(500)
            frame = next(f for f in pg.frames if f.url.startswith(snap_base))
            out.setdefault(rel, {})[w] = frame.evaluate(
                "Math.ceil(document.querySelector('main').getBoundingClientRect().bottom + scrollY) + 12")
            ctx.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--view", default="?year=2023", help="the view's path and query on the app, e.g. 'country?country=Peru'")
    ap.add_argument("--widths", default="390,1400")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders (printed)")
    args = ap.parse_args(argv)
    widths = [int(w) for w in args.widths.split(",")]

    from playwright.sync_api import sync_playwright

    from bench.server import start_streamlit
    from export import snapshot

    tmp = Path(tempfile.mkdtemp(prefix="footprint-article-"))
    snap_dir, art_dir = tmp / "snapshot", tmp / "article"
    art_dir.mkdir()
    snapshot.build(snap_dir, countries=["PER"])
    snap_srv, snap_base = serve(snap_dir)
    art_srv, art_base = serve(art_dir)
    app = start_streamlit(ROOT / "dashboard.py", env={"FOOTPRINT_SNAPSHOT_URL": snap_base},
                          log_path=ROOT / "test-artifacts" / "article-app.log")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            ctx = b.new_context(viewport={"width": 1400, "height": 2000})
            codes = embed_codes(ctx.new_page(), app.url + args.view.lstrip("/"))
            ctx.close()
            print(json.dumps(codes, indent=1))
            (art_dir / "article.html").write_text(article_html(codes), encoding="utf-8")
            for w in widths:
                ctx = b.new_context(viewport={"width": w, "height": 1000})
                pg = ctx.new_page()
                pg.goto(art_base + "article.html")
                for fid in ("fig-live", "fig-chart", "fig-snapshot"):
                    pg.locator(f"#{fid} iframe").scroll_into_view_if_needed()
                    pg.frame_locator(f"#{fid} iframe").locator(".main-svg g.trace, path.choroplethlocation").first.wait_for(
                        state="attached", timeout=90_000)
                pg.wait_for_timeout(2500)
                # a viewport as tall as the article: a full-page capture leaves cross-origin iframes below the
                # first screen blank
                pg.set_viewport_size({"width": w, "height": pg.evaluate("document.documentElement.scrollHeight")})
                pg.wait_for_timeout(2500)
                path = out / f"article-{w}.png"
                pg.screenshot(path=str(path))
                print(f"{path}  (sideways scroll: {pg.evaluate('document.documentElement.scrollWidth - innerWidth')} px)")
                ctx.close()
            kinds = ["world-map.html", "troops-total.html", "troops-by-region.html", "budget-authority.html",
                     "outlays-current.html", "fy2024.html", "country/PER.html"]
            kinds += [p.name for p in snap_dir.glob("sipri-*.html")]
            heights = page_heights(b, snap_base, art_dir, art_base, kinds, sorted({320, 390, 760, *widths}))
            print(json.dumps({"snapshot_iframe_heights_px": heights}))
            b.close()
    finally:
        app.stop()
        snap_srv.shutdown()
        art_srv.shutdown()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
