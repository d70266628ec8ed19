"""Look at the dashboard as readers do: screenshots of every view and tab at phone and desktop width.

    python scripts/look.py OUT_DIR [--widths 390,1400] [--only where,cost] [--url http://127.0.0.1:8501/]

Starts the app on a free loopback port (unless --url names a running one), opens each link below in Debian's
Chromium and writes OUT_DIR/<name>-<width>.png. A developer's tool, not a test: open the pictures and read them.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pageutil import wait_rendered  # noqa: E402
from bench.server import ROOT, start_streamlit  # noqa: E402

# name -> (path and query, needs a chart)
LINKS = {
    "where": ("", True),
    "where-army-1968": ("?year=1968&measure=Army", True),
    "where-layers-2023": ("?year=2023&layers=Bases&layers=Deployments&layers=Exercises", True),
    "where-play": ("?play=true", True),
    "when-troops": ("when", True),
    "when-timeline": ("when?section=Deployments+and+exercises", True),
    "cost-outlays": ("cost", True),
    "cost-ba": ("cost?section=Budget+authority", True),
    "cost-sipri": ("cost?section=Other+countries", True),
    "cost-fy2024": ("cost?section=FY2024", True),
    "country-troops": ("country", True),
    "country-map": ("country?section=Bases+and+places", True),
    "country-timeline": ("country?section=Deployments+and+events", True),
    "sources": ("sources", False),
}


def _split(shot: Path, step: int) -> None:
    from PIL import Image

    img = Image.open(shot)
    for i, top in enumerate(range(0, img.height, step)):
        part = img.crop((0, top, img.width, min(img.height, top + step)))
        lo_hi = part.convert("L").getextrema()
        if lo_hi[0] != lo_hi[1]:  # skip blank parts
            part.save(shot.with_name(f"{shot.stem}-part{i + 1}.png"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--widths", default="390,1400")
    ap.add_argument("--only", default="")
    ap.add_argument("--url", default="")
    ap.add_argument("--height", type=int, default=2400)
    ap.add_argument("--extra", default="", help="appended to every link's query, e.g. lang=es")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    only = [x for x in args.only.split(",") if x]
    srv = None
    base = args.url
    if not base:
        srv = start_streamlit(ROOT / "dashboard.py", log_path=args.out / "server.log", timeout=90)
        base = srv.url
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium",
                                  args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                        "--disable-component-update"])
            for width in (int(w) for w in args.widths.split(",")):
                ctx = b.new_context(viewport={"width": width, "height": args.height})
                for name, (link, chart) in LINKS.items():
                    if only and not any(name.startswith(o) for o in only):
                        continue
                    if args.extra:
                        link += ("&" if "?" in link else "?") + args.extra
                    page = ctx.new_page()
                    page.goto(base + link)
                    try:
                        wait_rendered(page, need_chart=chart)
                    except Exception as exc:  # still take the picture: it shows what went wrong
                        print(f"{name}: {exc}", file=sys.stderr)
                    page.wait_for_timeout(500)
                    shot = args.out / f"{name}-{width}.png"
                    page.screenshot(path=str(shot))
                    print(shot)
                    if width < 800:  # phone pictures in parts of 900 px, each readable at full size
                        _split(shot, 900)
                    page.close()
                ctx.close()
            b.close()
    finally:
        if srv is not None:
            srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
