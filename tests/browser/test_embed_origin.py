"""The embed code's resize script trusts only the embed's own origin: a page the reader opens inside the frame
(a link followed in the embedded page) cannot resize the frame in the article; the embedded page itself can.
Snapshot pages open their outside links in a new tab, never inside the article's frame."""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.server import ROOT

pytestmark = pytest.mark.browser

RESIZE = (ROOT / "app_pages" / "ui" / "assets" / "snapshot-resize.js").read_text(encoding="utf-8")
POSTER = ('<!doctype html><title>{t}</title><p>{t}</p><script>'
          'window.parent.postMessage({{footprint: "height", height: {h}}}, "*");</script>')


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    root = tmp_path_factory.mktemp("origin")
    (root / "embed.html").write_text(POSTER.format(t="embedded view", h=600), encoding="utf-8")
    (root / "other.html").write_text(POSTER.format(t="another site", h=3000), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, server.server_address[1]
    server.shutdown()
    server.server_close()


def _article(root: Path, src: str) -> Path:
    path = root / "article.html"
    path.write_text(f'<!doctype html><p>An article</p><iframe src="{src}" style="height:300px;border:0" '
                    f'data-footprint-embed></iframe><script>{RESIZE}</script>', encoding="utf-8")
    return path


def _frame_height(page) -> int:
    return page.evaluate("Math.round(document.querySelector('iframe').getBoundingClientRect().height)")


def test_only_the_embeds_own_origin_resizes_the_frame(browser, pages):
    root, port = pages
    article = _article(root, f"http://127.0.0.1:{port}/embed.html")
    page = browser.new_page()
    try:
        page.goto(article.as_uri())
        page.wait_for_function("document.querySelector('iframe').getBoundingClientRect().height === 600")
        # the reader follows a link inside the frame to a page of another origin (localhost is another origin
        # than 127.0.0.1), which posts a height of its own
        # (the article notes each message after the resize script has had it: listeners run in the order added)
        page.evaluate("window.__fpFrom = []; window.addEventListener('message', e => window.__fpFrom.push(e.origin))")
        page.frames[1].goto(f"http://localhost:{port}/other.html")
        page.wait_for_function(f"window.__fpFrom.includes('http://localhost:{port}')")
        assert _frame_height(page) == 600
    finally:
        page.close()


def test_snapshot_source_links_open_outside_the_frame(tmp_path):
    from export import snapshot

    meta = snapshot.build(tmp_path / "out", countries=["PER"])
    html = (tmp_path / "out" / "country" / "PER.html").read_text(encoding="utf-8")
    import re

    links = re.findall(r'<a href="(https?://[^"]+)"([^>]*)>', html)
    assert links and all('target="_blank"' in attrs and "noopener" in attrs for _, attrs in links), links
    assert meta["pages"]
