"""The Atom feed of named records (data/deployments): ``/feed.atom`` live and ``feed.atom`` / ``es/feed.atom`` in
the static snapshot, so a newsroom's feed reader learns the day a new record (a vote, an exercise) appears.

Parameters (live only; the snapshot's files are the default feed in each language): ``lang`` (``en`` or ``es``),
``country`` (a host country code with records, e.g. ``PER``), ``order`` (``added``, the default: newest record
first by the day it was added to Footprint; ``event``: by the record's start date). Any other parameter or a bad
value is a 400 naming the parameter (plain text), never a traceback.

"Date added" is the commit date of the commit that first added the record's file, read from git by
``python -m export added`` into ``export/added.json`` (committed; outside data/, so the data version is
unaffected, and the served app needs no git). A record not in that index yet (added since it was last written)
is dated by its event. Refresh the index after adding records: ``python -m export added``.

Every entry has the record's name and summary in the feed's language (Spanish where the record has it, else the
English text marked "(in English)"), its sources (titles and addresses, also as ``related`` links) and a link to
the record's view (``/when?item=ID&lang=...``); the subtitle names the data version. A record whose text
``python -m loaders check`` would refuse (loaders/textsafety.py) is left out. Built with feedgen (pinned in requirements.txt, which says why).
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

import i18n
from loaders import PROJECT_DIR
from loaders.textsafety import text_rule, url_rule
from loaders.version import data_version  # the one data version (loaders/version.py), named in the subtitle

ADDED_FILE = Path(__file__).resolve().parent / "added.json"
PATH = "/feed.atom"
MAX_ENTRIES = 200  # every record today (63); a cap so the feed stays a feed
ORDERS = ("added", "event")
PARAMS = ("lang", "country", "order")
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


class FeedError(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


# ------------------------------------------------------------------------------------------ date added ---

def added_dates_from_git(root: Path = PROJECT_DIR) -> dict[str, str]:
    """Record id -> commit date (ISO 8601) of the commit that first added ``data/deployments/<id>.yaml``."""
    out: dict[str, str] = {}
    for path in sorted((root / "data" / "deployments").glob("*.yaml")):
        run = subprocess.run(["git", "log", "--diff-filter=A", "--follow", "--format=%cI", "--",
                              path.relative_to(root).as_posix()], cwd=root, capture_output=True, text=True,
                             check=True)
        dates = run.stdout.split()
        if dates:
            out[path.stem] = dates[-1]  # the oldest: the first time the file appeared
    return out


def write_added(path: Path = ADDED_FILE, root: Path = PROJECT_DIR) -> dict[str, str]:
    dates = added_dates_from_git(root)
    path.write_text(json.dumps(dates, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return dates


def read_added(path: Path = ADDED_FILE) -> dict[str, str]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# ------------------------------------------------------------------------------------------- the feed ---

def _when(value) -> dt.datetime | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.to_pydatetime()


def parse_params(items: list[tuple[str, str]], countries: set[str]) -> dict[str, str]:
    """The feed's parameters from a query string, checked; FeedError names the first bad one."""
    out = {"lang": i18n.DEFAULT, "country": "", "order": "added"}
    seen = set()
    for key, value in items:
        if key not in PARAMS:
            raise FeedError(key, f"unknown parameter (known: {', '.join(PARAMS)})")
        if key in seen:
            raise FeedError(key, "given more than once")
        seen.add(key)
        value = value.strip()
        if key == "lang" and value not in i18n.LANGS:
            raise FeedError(key, f"must be one of {', '.join(i18n.LANGS)}")
        if key == "order" and value not in ORDERS:
            raise FeedError(key, f"must be one of {', '.join(ORDERS)}")
        if key == "country":
            value = value.upper()
            if value not in countries:
                raise FeedError(key, "no records for this country code (a 3-letter code such as PER)")
        out[key] = value
    return out


def entries(frame: pd.DataFrame, added: dict[str, str], country: str = "", order: str = "added") -> list[dict]:
    """The records to list, newest first, each with its event date and date added."""
    rows = []
    for rec in frame.to_dict("records"):
        if country and rec.get("iso3") != country:
            continue
        event = _when(rec.get("start"))
        when_added = _when(added.get(rec["id"])) or event
        if event is None or when_added is None:
            continue
        rows.append({**rec, "_event": event, "_added": when_added})
    key = "_added" if order == "added" else "_event"
    rows.sort(key=lambda r: (r[key], r["_event"], r["id"]), reverse=True)
    return rows[:MAX_ENTRIES]


def _safe(text: str) -> bool:
    return not text or text_rule(text) is None


def record_url(base: str, record_id: str, lang: str) -> str:
    return f"{base}/when?" + urlencode({"item": record_id, "lang": lang})


def build(frame: pd.DataFrame, sources: dict, lang: str = i18n.DEFAULT, country: str = "", order: str = "added",
          base: str = "", added: dict[str, str] | None = None, self_url: str | None = None,
          version: str = "") -> bytes:
    """The feed's bytes. ``base``: the site's address without a trailing slash ('' gives relative links, as in
    the snapshot)."""
    from feedgen.feed import FeedGenerator

    _ = i18n.gettext_for(lang)
    added = read_added() if added is None else added
    rows = entries(frame, added, country, order)
    fg = FeedGenerator()
    where = f" · {country}" if country else ""
    fg.id("urn:footprint:feed:" + "-".join(x for x in (lang, country.lower(), order) if x))
    fg.title(_("Footprint: named US military deployments, exercises and host-country decisions") + where)
    fg.subtitle(_("Every record with its public sources, newest first (by the day it was added, or by the "
                  "date of the event).")
                + (" " + _("Data version {version}.").format(version=version) if version else ""))
    fg.author({"name": "Footprint"})
    fg.language(lang)
    fg.link(href=self_url or f"{base}{PATH}?" + urlencode({"lang": lang}), rel="self")
    fg.link(href=f"{base}/when?" + urlencode({"lang": lang}), rel="alternate", type="text/html")
    fg.generator("python-feedgen")
    newest = max((max(r["_added"], r["_event"]) for r in rows), default=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    fg.updated(newest)
    links: dict[str, list[dict]] = {}
    for rec in reversed(rows):  # feedgen prepends: add oldest first so the newest comes first in the file
        title = i18n.localized(rec, "name", lang, mark=False)
        summary = i18n.localized(rec, "summary", lang)
        if not (title and _safe(title) and _safe(summary)):
            continue
        srcs = []
        for s in rec.get("sources") or []:
            src = sources.get(s.get("source_id")) if isinstance(s, dict) else None
            if src is None or not _safe(src.title) or not _safe(src.producer):
                continue
            url = src.url if src.url.startswith(("http://", "https://")) and url_rule(src.url) is None else ""
            srcs.append((f"{src.title} ({src.producer})", url))
        link = record_url(base, rec["id"], lang)
        fe = fg.add_entry()
        fe.id(f"urn:footprint:record:{rec['id']}")
        fe.title(title)
        fe.summary(summary)
        lines = [summary, "", _("Sources:")] + [f"- {t}" + (f" {u}" if u else "") for t, u in srcs]
        lines += ["", _("Date of the event: {date}").format(date=rec["_event"].date().isoformat()),
                  _("Added to Footprint: {date}").format(date=rec["_added"].date().isoformat())]
        fe.content("\n".join(lines), type="text")
        wanted = [{"href": link, "rel": "alternate", "type": "text/html"}]
        wanted += [{"href": u, "rel": "related", "title": t} for t, u in srcs if u]
        fe.link(wanted)
        links[f"urn:footprint:record:{rec['id']}"] = wanted
        fe.category(term=str(rec.get("kind") or "record"))
        fe.published(rec["_added"])
        fe.updated(rec["_added"])
    return _with_link_attributes(fg.atom_str(pretty=True), links)


ATOM_NS = "{http://www.w3.org/2005/Atom}"


def _with_link_attributes(xml: bytes, links: dict[str, list[dict]]) -> bytes:
    """feedgen 1.0.0 writes an entry's links with their href only (its entry writer shadows the link it reads:
    rel, type and title are lost), which would make every source link a second "alternate" link; the
    attributes are set here from what was asked for, link by link."""
    from lxml import etree

    root = etree.fromstring(xml)
    for entry in root.iter(f"{ATOM_NS}entry"):
        wanted = links.get(entry.findtext(f"{ATOM_NS}id") or "", [])
        for el, want in zip(entry.findall(f"{ATOM_NS}link"), wanted, strict=False):
            for key, value in want.items():
                el.set(key, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def countries_of(frame: pd.DataFrame) -> set[str]:
    return set(frame["iso3"].dropna().astype(str))


def answer(items: list[tuple[str, str]], deployments: Callable[[], pd.DataFrame], sources: Callable[[], dict],
           base: str = "", self_url: str | None = None) -> tuple[int, bytes, str]:
    """(status, body, media type) for a request's query items."""
    frame = deployments()
    try:
        params = parse_params(items, countries_of(frame))
    except FeedError as exc:
        return 400, f"400 bad parameter {exc}\n".encode(), "text/plain; charset=utf-8"
    return 200, build(frame, sources(), base=base, self_url=self_url, version=data_version(), **params), MEDIA_TYPE


def routes(deployments: Callable[[], pd.DataFrame], sources: Callable[[], dict]) -> list:
    """The Starlette route of ``/feed.atom`` for ``st.App(routes=...)``."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response
    from starlette.routing import Route

    async def endpoint(request):
        base = str(request.base_url).rstrip("/")
        status, body, media = await run_in_threadpool(answer, list(request.query_params.multi_items()),
                                                      deployments, sources, base, str(request.url))
        return Response(body, status, media_type=media,
                        headers={"Cache-Control": "public, max-age=300" if status == 200 else "no-store"})

    return [Route(PATH, endpoint, methods=["GET", "HEAD"])]


def snapshot_files(frame: pd.DataFrame, sources: dict, base: str = "", version: str = "") -> dict[str, bytes]:
    """``feed.atom`` (English) and ``<lang>/feed.atom`` for every other language, for the static snapshot."""
    out = {}
    for lang in i18n.LANGS:
        rel = "feed.atom" if lang == i18n.DEFAULT else f"{lang}/feed.atom"
        out[rel] = build(frame, sources, lang=lang, base=base, self_url=f"{base}/{rel}", version=version)
    return out
