"""Health check that proves the pages render, not just that the server answers.

`/_stcore/health` says "ok" as soon as the server is up, even when every script run fails. This check opens a
real session over the app's websocket protocol, runs the script for each page (all `st.navigation` pages by
default), and fails when a run shows an exception element, reports a compile error or page-not-found, does not
reach `script_finished` in time, or lacks an element the caller expects; with --strict also when a page shows
an error box (`st.error`, which the dashboard uses for a missing or invalid table).

    python -m hosting.healthcheck http://127.0.0.1:8501/                 # every page
    python -m hosting.healthcheck http://127.0.0.1:8501/ --page where --expect plotly_chart
    python -m hosting.healthcheck http://127.0.0.1:8501/ --query "year=1990"
    python -m hosting.healthcheck http://127.0.0.1:8501/ --strict          # error boxes fail too

Exit code 0 = every page rendered; 1 = a page failed; 2 = the server did not answer at all.
Usable as a Docker/Kubernetes probe (it needs only the Python that runs the app).
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hosting.stclient import RunResult, Session  # noqa: E402


@dataclass
class PageCheck:
    page: str
    ok: bool
    problem: str
    seconds: float
    elements: dict[str, int] = field(default_factory=dict)


@dataclass
class HealthReport:
    url: str
    http_ok: bool
    pages: list[PageCheck] = field(default_factory=list)
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.http_ok and not self.problem and bool(self.pages) and all(p.ok for p in self.pages)

    def lines(self) -> list[str]:
        out = [f"{self.url}: {'OK' if self.ok else 'FAIL'}"]
        if self.problem:
            out.append(f"  {self.problem}")
        for p in self.pages:
            els = ", ".join(f"{k} {v}" for k, v in sorted(p.elements.items()))
            out.append(
                f"  page {p.page or '(default)'!s}: {'ok' if p.ok else 'FAIL: ' + p.problem} "
                f"({p.seconds * 1000:.0f} ms; {els})"
            )
        return out


def _check_run(r: RunResult, expect: list[str], strict: bool = False) -> PageCheck:
    problem = r.problem()
    if not problem and strict and r.error_alerts:
        problem = "error message shown: " + " | ".join(r.error_alerts)
    if not problem:
        missing = [e for e in expect if not r.elements.get(e)]
        if missing:
            problem = "missing element(s): " + ", ".join(missing)
    return PageCheck(page=r.page, ok=not problem, problem=problem, seconds=r.seconds, elements=dict(r.elements))


async def check(
    url: str,
    pages: list[str] | None = None,
    query: str = "",
    expect: list[str] | None = None,
    timeout: float = 60.0,
    strict: bool = False,
) -> HealthReport:
    base = url.rstrip("/") + "/"
    report = HealthReport(url=base, http_ok=False)
    try:
        with urllib.request.urlopen(base + "_stcore/health", timeout=10) as resp:
            report.http_ok = resp.status == 200
    except (urllib.error.URLError, OSError) as exc:
        report.problem = f"/_stcore/health did not answer: {exc}"
        return report
    ws_url = base.replace("http://", "ws://").replace("https://", "wss://") + "_stcore/stream"
    expect = expect or []
    try:
        async with Session(ws_url) as s:
            first = await s.run(pages[0] if pages else "", query, timeout=timeout)
            report.pages.append(_check_run(first, expect, strict))
            if pages is None:  # every st.navigation page
                todo = [p.url_pathname for p in s.pages if p.url_pathname and not p.is_default]
                todo = [p for p in todo if not p.startswith("http")]
            else:
                todo = pages[1:]
            for page in todo:
                if page == first.page:
                    continue
                r = await s.run(page, query, timeout=timeout)
                report.pages.append(_check_run(r, expect, strict))
    except Exception as exc:
        report.problem = f"websocket session failed: {type(exc).__name__}: {exc}"
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", help="base URL of the app, e.g. http://127.0.0.1:8501/")
    ap.add_argument("--page", action="append", help="url path of a page to check (repeatable; default: all)")
    ap.add_argument("--query", default="", help="query string for every run, e.g. year=1990")
    ap.add_argument("--expect", action="append", default=[], help="element type every page must show")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--strict", action="store_true", help="also fail on st.error boxes (e.g. a missing table)")
    args = ap.parse_args(argv)
    rep = asyncio.run(check(args.url, args.page, args.query, args.expect, args.timeout, args.strict))
    print("\n".join(rep.lines()))
    if not rep.http_ok:
        return 2
    return 0 if rep.ok else 1


if __name__ == "__main__":
    sys.exit(main())
