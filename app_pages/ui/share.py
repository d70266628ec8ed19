"""'Share this view': the link that reopens the view with the reader's choices, the embed codes (the whole view,
the chart alone, its snapshot page) and the citation (text and BibTeX) with the data version."""
from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path
from typing import Iterable
from urllib.parse import urlencode

import streamlit as st

import i18n
from loaders import version as loaders_version
from prep import registry

from .. import data
from . import assets
from .chrome import page_script
from .context import chart_only, lang, t
from .links import sync_url
from .snapshot import SNAPSHOT_RESIZE, also_codes, snapshot_code

COPY_SCRIPT = assets.script("copy.js")  # the copy buttons under the codes and citations

# The chart alone (?show=chart): 640 px cut the map's source line off at an article's 736 px column (seen in
# scripts/article.py's screenshots)
CHART_ONLY_HEIGHT = 720


def bibtex(page_path: str, page_title: str, url: str, today: _dt.date, version: str, lang: str) -> str:
    """The view's BibTeX entry; its note in the page's language (the ISO date reads the same in every one)."""
    _ = i18n.gettext_for(lang)
    note = _("Accessed {date}; data version {version}").format(date=today.isoformat(), version=version)
    return ("@misc{footprint_" + page_path + "_" + today.strftime("%Y%m%d") + ",\n"
            f"  title = {{{page_title}}},\n  author = {{{{Footprint}}}},\n  year = {{{today.year}}},\n"
            f"  howpublished = {{\\url{{{url}}}}},\n  note = {{{note}}}\n}}")


@data.shared(max_entries=4)
def _data_version(folder: str, stamp: tuple) -> str:
    return loaders_version.data_version(Path(folder))


def data_version() -> str:
    """The data version a citation names (loaders/version.py: the same hash as the data package and the
    snapshot), computed once per state of the data folder (its files' stamps, looked at at most once a second)."""
    return _data_version(str(data.data_dir()), data.tree_stamp())


def _embed_height(page_path: str) -> int:
    """The whole view's iframe height in the embed code (the registry's; 900 px for a path it does not know)."""
    try:
        return registry.get(page_path).embed_height
    except KeyError:
        return 900


def share(page_path: str, values: dict[str, object], defaults: dict[str, object], sync: Iterable[str] = (),
          page_title: str = "", snapshot_also: tuple[str, ...] = ()) -> str:
    """'Share this view': the link that reopens this page with the reader's current choices and language. Also
    writes the choices of the widgets in ``sync`` (not bound by Streamlit) into the browser's address bar, so the
    address is always the view's link. ``snapshot_also``: charts shown beside the view's main one that have a
    snapshot page of their own (ui.snapshot.ALSO_PAGES), offered in the embed box too. Returns the link."""
    sync_url(values, defaults, sync)
    query: list[tuple[str, str]] = []
    for key, value in values.items():
        if value == defaults.get(key):
            continue
        if isinstance(value, (list, tuple)):
            query.extend((key, str(v)) for v in value)
            if not value:
                query.append((key, ""))
        elif isinstance(value, bool):
            query.append((key, "true" if value else "false"))
        else:
            query.append((key, str(value)))
    query.append(("lang", lang()))  # the reader's language travels with the link, whatever the recipient's browser
    base = ""
    try:
        base = st.context.url or ""
    except Exception:
        base = ""
    base = base.split("?")[0].split("#")[0].rstrip("/")
    last = base.rsplit("/", 1)[-1] if base.count("/") > 2 else ""
    if last in registry.paths():
        base = base.rsplit("/", 1)[0]
    # the default page (Where) is served at the app's root; Streamlit does not answer its url_path
    base = f"{base}/" if page_path == registry.default().path else f"{base}/{page_path}"
    url = base + ("?" + urlencode(query) if query else "")
    _ = t()
    back, share_label = _("Footprint: open the full view"), _("Share this view:")
    # In an embed (Streamlit marks the app .streamlit-embedded; the server cannot see ?embed=true), PAGE_CSS shows
    # only this small link back to the full view and hides the share box; elsewhere the reverse.
    st.html(f'<p class="fp-embed-link"><a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener">'
            f'{html.escape(back)}</a></p>')
    if chart_only():
        return url
    box = st.container(key="sharebox")
    page_script("copy", COPY_SCRIPT)
    # A plain link, not st.code: the code block's syntax highlighter adds ~1.6 MB of script to a first visit.
    box.html(f'<p class="fp-share"><b>{html.escape(share_label)}</b> '
             f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a></p>')
    with box.expander(_("Embed this view or cite it")):
        sep = "&" if "?" in url else "?"
        full, only = f"{url}{sep}embed=true", f"{url}{sep}embed=true&show=chart"
        title = html.escape(_("Footprint: the US military abroad"), quote=True)
        # both forms report their height (assets/chart-height.js) and the script after the frame sizes it to that
        # (the whole view is ~6,000 px high on a phone, ~3,700 at 1400 px); with scripts stripped the height
        # attribute applies
        code = (f'<iframe src="{full}" title="{title}" width="100%" height="{_embed_height(page_path)}" '
                f'style="border:0" loading="lazy" data-footprint-embed></iframe>' + SNAPSHOT_RESIZE)
        code_chart = (f'<iframe src="{only}" title="{title}" width="100%" height="{CHART_ONLY_HEIGHT}" style="border:0" '
                      f'loading="lazy" data-footprint-embed></iframe>' + SNAPSHOT_RESIZE)
        version = data_version()
        today = _dt.date.today()
        cite = _("Footprint (2026). \"{title}\". {url} (accessed {date}; data version {version}).").format(
            title=page_title, url=url, date=i18n.date_text(today, "day", lang()), version=version)
        bib = bibtex(page_path, page_title, url, today, version, lang())
        kind, snap = snapshot_code(page_path, values)
        snap_label = _("The static snapshot of this chart (plain files: loads fast and never sleeps; figures as of "
                       "the snapshot's date):")
        copy, copied = _("Copy"), _("Copied")

        def block(label: str, text: str, cls: str = "fp-code") -> str:
            # a copy button after each block (assets/copy.js; a phone makes selecting a long block fiddly)
            return (f'<p class="fp-caption"><b>{html.escape(label)}</b></p><pre class="{cls}">{html.escape(text)}</pre>'
                    f'<p class="fp-copy-row"><button type="button" class="fp-copy" '
                    f'aria-label="{html.escape(copy + ": " + label.rstrip(":"), quote=True)}" '
                    f'data-copied="{html.escape(copied, quote=True)}">{html.escape(copy)}</button>'
                    f'<span class="fp-copied" role="status"></span></p>')

        also = also_codes(page_path, values, snapshot_also) if kind == "code" else []
        if also:  # two charts, two pages: each says which chart it is
            snap_label = _("The static snapshot of the troop history chart (plain files: loads fast and never sleeps; "
                           "figures as of the snapshot's date):")
        snap_html = (block(snap_label, snap, "fp-code fp-snapshot") if kind == "code" else
                     f'<p class="fp-caption fp-snapshot-note">{html.escape(snap)}</p>')
        snap_html += "".join(block(label, code_, "fp-code fp-snapshot-also") for label, code_ in also)
        st.html(block(_("The whole view, for an iframe in an article:"), code)
                + block(_("The chart alone, with its source line:"), code_chart)
                + snap_html + block(_("Cite this view:"), cite) + block("BibTeX", bib))
    return url
