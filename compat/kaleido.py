"""Kaleido's Chromium with no request outside the machine (kaleido 1.5.0, choreographer 1.4.0).

Kaleido renders an image in a Chromium it starts itself. Started as kaleido starts it, Debian's Chromium looked up
and contacted outside hosts for every image: MathJax from cdnjs.cloudflare.com (kaleido's default page loads it
from the CDN), Google's account, update and component hosts (Debian's wrapper gives the browser Google API keys
and turns extensions on), a search engine's start page, and Google's public DNS address (Chromium's IPv6
reachability probe). The README promises that no request leaves the server.

What this changes, through the documented ``Kaleido(**kwargs)`` options:
- ``mathjax=False`` (no chart here uses LaTeX) and ``plotlyjs`` = the plotly.js file of the installed plotly
  package (the version the figures are written for), never a CDN;
- ``enable_extensions=False`` (Debian's wrapper loads its extensions otherwise);
- ``browser_cls``: choreographer's ``Chromium`` with :data:`OFFLINE_FLAGS` added to its command line and
  :data:`START_PAGE` as the page it opens (choreographer has no option for extra switches; ``get_cli`` is where it
  builds them). The last of the flags makes every host name unresolvable inside that browser: the page it
  renders is a local file and loads only local files, so a lookup can only be one of the browser's own background
  services. The start page and the component updater's address keep two of those services (the start page of the
  search engine, the component updater's checks) from making a request at all.

The browser: Debian's ``chromium-headless-shell`` when it is installed (:func:`browser_path`), else the
``chromium`` choreographer finds. The full Chromium keeps two things no switch stops (Chromium 156, checked with
``--log-net-log`` and ``strace``): its sign-in service asks accounts.google.com for its account list when the
profile's network starts (the host-resolver rule fails that lookup inside the browser), and every host-name
lookup first runs the IPv6 reachability probe (a UDP socket "connected" to 2001:4860:4860::8888 port 443, no
datagram sent). The headless shell is the same engine without the browser's profile services (no sign-in, no
updater, no start page): under the same trace it makes no connection outside loopback at all, and it is smaller
(224 MB installed against 290 MB). scripts/test.sh and the Dockerfile install it.

tests/test_no_outside_calls.py renders images under ``strace`` and fails on any connection or DNS lookup
outside loopback; tests/test_compat.py fails when the pinned versions change.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

WRITTEN_FOR = {"kaleido": "1.5.0", "choreographer": "1.4.0"}

OFFLINE_FLAGS = (
    "--disable-background-networking",  # update checks, variations, safe-browsing lists, prefetching
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-sync",
    "--disable-search-engine-choice-screen",
    "--safebrowsing-disable-auto-update",
    "--no-pings",
    "--no-service-autorun",
    "--no-first-run",
    ("--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,"
     "AutofillServerCommunication,CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying"),
    # the component updater runs its checks despite --disable-component-update (choreographer passes it): pointed
    # at a local address that cannot exist, they fail inside the browser with no request to update.googleapis.com
    "--component-updater=url-source=file:///dev/null/",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
)
# The page Chromium opens at start (kaleido then opens its own tab): without it, Debian's Chromium loads its search
# engine's start page (a request to start.duckduckgo.com)
START_PAGE = "about:blank"


def plotly_js() -> Path:
    """The plotly.js file shipped in the installed plotly package (what its figures are written for)."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():  # kaleido would fall back to the CDN: refuse instead
        raise FileNotFoundError(f"plotly.js not found at {path}")
    return path


HEADLESS_SHELL = "chromium-headless-shell"


def browser_path() -> str | None:
    """The browser kaleido renders in: ``$BROWSER_PATH`` when set, else Debian's headless shell when installed,
    else None (choreographer then looks for a Chromium itself)."""
    return os.environ.get("BROWSER_PATH") or shutil.which(HEADLESS_SHELL)


def _offline_chromium():
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        """choreographer's Chromium started from :func:`browser_path`, with :data:`OFFLINE_FLAGS` on its command
        line and :data:`START_PAGE` as the page it opens."""

        def __init__(self, channel, path=None, **kwargs):
            super().__init__(channel, path=path or browser_path(), **kwargs)

        def get_cli(self):
            cli = list(super().get_cli())
            return cli + [f for f in OFFLINE_FLAGS if f not in cli] + [START_PAGE]

    return OfflineChromium


_BROWSER_CLS = None


def kaleido_options() -> dict:
    """The options for ``kaleido.Kaleido`` (``kopts`` of ``kaleido.calc_fig_sync``) that keep its Chromium from
    making any request outside the machine (see the module docstring). A fresh dict each call: kaleido writes
    into it."""
    global _BROWSER_CLS
    if _BROWSER_CLS is None:
        _BROWSER_CLS = _offline_chromium()
    return {"browser_cls": _BROWSER_CLS, "mathjax": False, "plotlyjs": plotly_js(), "enable_extensions": False}
