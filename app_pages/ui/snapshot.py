"""The static snapshot's page for a view (``python -m export snapshot``): which page shows it, at what iframe
height, and the embed code for it when the server knows the snapshot's address."""
from __future__ import annotations

import html
import numbers
import re
from pathlib import Path

import streamlit as st

import i18n
from i18n import N_
from prep import registry

from .. import data
from . import assets
from .context import lang, t

# Where the static snapshot (python -m export snapshot, docs/hosting.md) is published, for the embed box's snapshot
# code; unset: the box says there is none.
SNAPSHOT_ENV = "FOOTPRINT_SNAPSHOT_URL"
SNAPSHOT_OUTLAYS = {"Current dollars": "outlays-current.html", "Constant FY2017 dollars": "outlays-constant.html",
                    "Percent of GDP": "outlays-percent-gdp.html"}


def _secrets_file() -> bool:
    """Whether a secrets file exists where Streamlit looks (reading st.secrets without one logs an error)."""
    try:
        from streamlit import config

        return any(Path(f).expanduser().is_file() for f in config.get_option("secrets.files"))
    except Exception:
        return False


def snapshot_base() -> tuple[str, str]:
    """The snapshot's address from FOOTPRINT_SNAPSHOT_URL: ("ok", url without a trailing slash), ("unset", ""),
    or ("bad", the value) when it is not an http(s) address with a host (never turned into a link)."""
    import os
    from urllib.parse import urlsplit

    raw = (os.environ.get(SNAPSHOT_ENV) or "").strip()
    if not raw:
        try:  # Community Cloud: a root-level secret of that name (.streamlit/secrets.toml)
            raw = str(st.secrets.get(SNAPSHOT_ENV) or "").strip() if _secrets_file() else ""
        except Exception:
            raw = ""
    if not raw:
        return "unset", ""
    try:
        parts = urlsplit(raw)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"[\s<>\"'\\]", raw)
    except ValueError:
        ok = False
    return ("ok", raw.rstrip("/")) if ok else ("bad", raw)


def _snapshot_country_code(label: object) -> str | None:
    """The country profile's ?country= value (a name, or "Name (ISO)" where two places share one) as the ISO code
    of a snapshot country page: only places with an active-duty figure have one."""
    from prep import views

    try:
        annual = data.load("troops_annual")
    except Exception:
        return None
    with_page = views.countries_with_troops(annual)
    text = str(label or "")
    m = re.search(r"\(([A-Z0-9]{3})\)$", text)
    if m and m.group(1) in with_page:
        return m.group(1)
    found = [c for c in with_page if data.entity(c)[0] == text]
    return found[0] if len(found) == 1 else None


def _height(kind: str) -> int:
    """The iframe height of a snapshot page of this kind (the registry's views declare them)."""
    return registry.snapshot_heights()[kind]


def snapshot_page(page_path: str, values: dict[str, object], language: str = i18n.DEFAULT) -> tuple[str, int] | None:
    """The snapshot page that shows this view in ``language`` (path relative to the snapshot, iframe height), or
    None: the map view -> world-map.html#YEAR (the page opens at that year); When's troops (total, by region) ->
    the troop charts; each cost section -> its budget page; a country profile -> that place's page. A language
    other than the default has its pages in its own folder (es/world-map.html)."""
    found = _page(page_path, values)
    if found is None:
        return None
    return f"{'' if language == i18n.DEFAULT else i18n.norm(language) + '/'}{found[0]}", found[1]


def _page(page_path: str, values: dict[str, object]) -> tuple[str, int] | None:
    section = str(values.get("section") or "")
    if page_path == "where":
        year = values.get("year")
        return (f"world-map.html#{int(year)}" if isinstance(year, numbers.Integral) else "world-map.html",
                _height("map"))
    if page_path == "when" and section in ("", "Troops abroad"):
        rel = {"Total": "troops-total.html", "By region": "troops-by-region.html"}.get(str(values.get("view") or "Total"))
        return (rel, _height("troops")) if rel else None
    if page_path == "cost":
        if section in ("", "Outlays"):
            rel = SNAPSHOT_OUTLAYS.get(str(values.get("unit") or "Current dollars"))
            return (rel, _height("budget")) if rel else None
        if section == "Budget authority":
            return "budget-authority.html", _height("budget")
        if section == "Other countries":
            from prep import views

            try:
                return f"sipri-{views.sipri_latest_year(data.load('sipri'))}.html", _height("sipri")
            except Exception:
                return None
        if section == "FY2024":
            return "fy2024.html", _height("budget")
        return None
    if page_path == "country":
        code = _snapshot_country_code(values.get("country"))
        return (f"country/{code}.html", _height("country")) if code else None
    return None


def snapshot_code(page_path: str, values: dict[str, object]) -> tuple[str, str]:
    """("code", the iframe code for the view's snapshot page) or ("note", one line saying why there is none)."""
    _ = t()
    state, base = snapshot_base()
    if state == "unset":
        return "note", _("No static snapshot address is set on this server ({env}), so there is no snapshot code "
                         "here.").format(env=SNAPSHOT_ENV)
    if state == "bad":
        return "note", _("The snapshot address set on this server ({env}) is not an http:// or https:// address; "
                         "no snapshot code is offered until it is fixed.").format(env=SNAPSHOT_ENV)
    found = snapshot_page(page_path, values, lang())
    if found is None:
        return "note", _("This view has no page in the static snapshot; embed the live view above instead.")
    return "code", _iframe(base, *found)


def _iframe(base: str, rel: str, height: int) -> str:
    title = html.escape(t()("Footprint: the US military abroad"), quote=True)
    return (f'<iframe src="{html.escape(base + "/" + rel, quote=True)}" title="{title}" width="100%" '
            f'height="{height}" style="border:0" loading="lazy" data-footprint-embed></iframe>' + SNAPSHOT_RESIZE)


# The snapshot pages of charts a view shows only for some choices, beside its main page: kind -> (the label in
# the embed box, the page's path from the place's code). The view says which it shows (ui.share's
# ``snapshot_also``); export/snapshot.py builds them for the same places (a country with a troop history and
# decisions of its own: records.authorisations).
ALSO_PAGES = {("country", "authorisations"): (N_("The static snapshot of the authorisations chart:"),
                                              "country/{code}-authorisations.html")}


def also_pages(page_path: str, values: dict[str, object], kinds: tuple[str, ...],
               language: str = i18n.DEFAULT) -> list[tuple[str, str, int]]:
    """The further snapshot pages of the charts ``kinds`` this view shows: (label msgid, path relative to the
    snapshot in ``language``, iframe height) each. Only on the tab that draws them (a country's "Troops")."""
    out = []
    for kind in kinds:
        found = ALSO_PAGES.get((page_path, kind))
        if found is None or str(values.get("section") or "") not in ("", "Troops"):
            continue
        code = _snapshot_country_code(values.get("country"))
        if code:
            prefix = "" if language == i18n.DEFAULT else i18n.norm(language) + "/"
            out.append((found[0], prefix + found[1].format(code=code), _height(kind)))
    return out


def also_codes(page_path: str, values: dict[str, object], kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(label in the reader's language, iframe code) for each further snapshot page (:func:`also_pages`); none
    when the server has no valid snapshot address (:func:`snapshot_code` says why)."""
    state, base = snapshot_base()
    if state != "ok":
        return []
    _ = t()
    return [(_(label), _iframe(base, rel, height)) for label, rel, height in also_pages(page_path, values, kinds, lang())]


# After a Footprint iframe in the embed code: the framed page reports its height and this resizes the frame
SNAPSHOT_RESIZE = assets.script("snapshot-resize.js")
