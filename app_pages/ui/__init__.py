"""Shared Streamlit helpers for the views, one small module per job; the views use them as ``ui.<name>``:

- ``context``: the reader's language (``lang``, ``t``, ``tr``, ``num``) and the chart-only embed
- ``text``: Markdown escaping of text from data (``md``), links to a source's own address
- ``links``: widgets seeded from the link, choices written back, notices for bad parameters
- ``tables``: data tables with visible errors, small escaped HTML tables
- ``figures``: charts, image and CSV downloads
- ``sources``: the source line under each chart, citation lists
- ``share`` and ``snapshot``: the view's link, embed codes (live and snapshot) and citation
- ``chrome``: page style and scripts (``assets/``), language switch, the views' links on a phone, page head, tabs,
  reconnects

Text that comes from data is escaped before Markdown or HTML."""
from .chrome import (
    BRAND,
    CHART_HEIGHT_SCRIPT,
    CHART_ONLY_CSS,
    PAGE_CSS,
    RECONNECT_MARKER_EVERY,
    embed_start,
    language_switch,
    page_head,
    page_language,
    page_script,
    phone_nav,
    rerun_on_reconnect,
    section_tabs,
)
from .context import SHOW, browser_lang, chart_only, lang, num, t, tr
from .figures import (
    MAP_CONFIG,
    PLOTLY_CONFIG,
    STATIC_DIR,
    SerialisedFigure,
    alternative,
    chart,
    download,
    image_downloads,
    image_export_available,
    shown_figure,
    view_url,
)
from .links import multiselect, param_notices, seed, sync_url
from .share import CHART_ONLY_HEIGHT, data_version, share
from .snapshot import SNAPSHOT_ENV, SNAPSHOT_OUTLAYS, SNAPSHOT_RESIZE, snapshot_base, snapshot_code, snapshot_page
from .sources import caption, caption_html, known_sources, source_caption, source_list
from .tables import deployments, html_table, show_error, show_table, table
from .text import md, source_link

__all__ = ["BRAND", "CHART_HEIGHT_SCRIPT", "CHART_ONLY_CSS", "CHART_ONLY_HEIGHT", "MAP_CONFIG", "PAGE_CSS",
           "PLOTLY_CONFIG", "RECONNECT_MARKER_EVERY", "SHOW", "SNAPSHOT_ENV", "SNAPSHOT_OUTLAYS", "SNAPSHOT_RESIZE",
           "STATIC_DIR", "SerialisedFigure", "alternative", "browser_lang", "caption", "caption_html", "chart", "chart_only",
           "data_version", "deployments", "download", "embed_start", "html_table", "image_downloads",
           "image_export_available", "known_sources", "lang", "language_switch", "md", "multiselect", "num",
           "page_head", "page_language", "page_script", "phone_nav", "param_notices", "rerun_on_reconnect", "section_tabs", "seed",
           "share", "show_error", "show_table", "shown_figure", "snapshot_base", "snapshot_code", "snapshot_page",
           "source_caption", "source_link", "source_list", "sync_url", "t", "table", "tr", "view_url"]
