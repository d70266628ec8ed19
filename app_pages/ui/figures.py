"""Charts and downloads: the one chart configuration, the figure handed to Streamlit (made into its dict once),
image downloads (PNG, SVG) with the source drawn in, and CSV downloads made on the click."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import i18n
from charts.common import IMAGE_SIZES, fit_title, image_figure, to_image
from compat.figures import SerialisedFigure
from export.csvfile import to_csv_bytes
from prep.downloads import localized_csv, versioned, versioned_name

from .context import chart_only, lang, t, tr
from .perobject import PerObject
from .share import data_version

STATIC_DIR = str(Path(__file__).resolve().parent.parent.parent / "static")


def view_url() -> str:
    """This view's link as the reader sees it (the address, with its language), for the credit in an image."""
    base = ""
    try:
        base = (st.context.url or "").split("?")[0].rstrip("/")
    except Exception:
        pass
    query = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    if "lang" not in st.query_params:
        query.append(("lang", lang()))
    return base + "/?" + urlencode(query) if base else "?" + urlencode(query)


@lru_cache(maxsize=1)
def image_export_available() -> bool:
    """kaleido renders with a Chromium found on PATH (or $BROWSER_PATH): Debian's headless shell by preference
    (compat.kaleido.browser_path); scripts/test.sh and CI install it."""
    import shutil

    from compat.kaleido import browser_path

    return bool(browser_path() or shutil.which("chromium") or shutil.which("chromium-browser")
                or shutil.which("google-chrome"))


def image_downloads(fig, key: str, source: str) -> None:
    """'Download image' for the chart just drawn: PNG 1200x675 (articles), PNG 1080x1080 (social media) and SVG,
    each with the title, the short source line ``source`` (charts.common.short_source_line: the publishers) and
    "Footprint" plus the view's link drawn inside the image. Made with
    plotly's exporter (kaleido on Debian's Chromium) only when the reader clicks (deferred download), about 3 s."""
    if not image_export_available():  # e.g. a host without Chromium: no button that could only fail
        return
    _ = t()
    credit = _("Footprint · {url}").format(url=view_url())
    src = source
    labels = {"png_wide": _("PNG, 1200 × 675"), "png_square": _("PNG, 1080 × 1080 (social media)"),
              "svg": _("SVG (vector)")}
    version = data_version()  # in the file name, as for the CSVs: an image says which data it was drawn from
    with st.popover(_("Download image"), icon=":material/image:"):
        for choice, (fmt, width, height) in IMAGE_SIZES.items():
            st.download_button(labels[choice], data=_image_maker(fig, fmt, width, height, src, credit),
                               file_name=versioned_name(f"{key}_{width}x{height}.{fmt}", version),
                               mime="image/svg+xml" if fmt == "svg" else "image/png",
                               key=f"img_{key}_{choice}", on_click="ignore")
        # An image is made on the click, and renders wait their turn (charts.common.image_render_slots): say so,
        # so that a spinning button under load reads as "being prepared", not as broken.
        st.caption(_("Each image is prepared when you click: a few seconds, longer when other readers are "
                     "downloading images at the same moment. The button spins until the download starts."))


def _image_maker(fig, fmt: str, width: int, height: int, source: str, credit: str):
    def make() -> bytes:
        return to_image(image_figure(fig, source, credit, width, height), fmt, width, height, STATIC_DIR)
    return make


PLOTLY_CONFIG = {"displaylogo": False,
                 # the toolbar keeps what readers use: the image download, zoom and reset (no lasso/select/pan)
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                                            "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian",
                                            "hoverClosestGeo", "pan", "select", "lasso"]}
MAP_CONFIG = {**PLOTLY_CONFIG, "topojsonURL": "app/static/"}


_SHOWN = PerObject()


def shown_figure(fig: go.Figure) -> go.Figure:
    """What ``st.plotly_chart`` is handed for ``fig``: the title fitted (:func:`fit_title`, which copies a figure
    with a long title) and the figure turned into its dict once per figure object. The views' figures are cached
    and shared (``data.memo``), so a new session's first run and every rerun reuse that work instead of repeating
    it (the Spanish animation's title copy alone cost 120-200 ms a run). Kept while ``fig`` lives (a weak
    reference: a figure dropped from its cache takes its dict with it)."""
    if isinstance(fig, SerialisedFigure):
        return fig
    return _SHOWN.get(fig, (), lambda: SerialisedFigure(fit_title(fig).to_dict()))


def chart(fig, key: str, geo: bool = False, alt: str | None = None, table: pd.DataFrame | None = None,
          numeric: tuple[str, ...] = (), cards: bool | None = None, **kwargs) -> None:
    """``st.plotly_chart`` with the dashboard's one chart configuration (the local map outlines for geo figures;
    the reader's language for month names on date axes). In the chart-only embed only the view's first chart is
    drawn (and only its source line follows it). ``fig`` is shown through :func:`shown_figure` (made into its
    dict once per figure object: never modify a figure after showing it)."""
    if chart_only():
        n = st.session_state.get("_fp_charts", 0)
        st.session_state["_fp_charts"] = n + 1
        if n:
            st.session_state["_fp_skip_caption"] = True
            return
    config = _chart_config(geo, lang())
    st.plotly_chart(shown_figure(fig), key=key, config=config, **kwargs)
    alternative(alt, table, key, numeric, cards)
    st.session_state["_fp_last_chart"] = (fig, key)  # its source line (ui.caption) adds the image downloads


def alternative(alt: str | None, table: pd.DataFrame | None, key: str, numeric: tuple[str, ...] = (),
                cards: bool | None = None) -> None:
    """The chart's text alternative (prep.alt) as a visible caption right under it, and its rows behind a
    "Show as table" expander (a native <details>: reachable and opened with the keyboard). A caption, not an
    aria-label on the chart: every screen reader reads visible text in the page's order (an aria-label on a
    plotly <div> without a role is ignored by several), and sighted readers get the same summary. The table is an
    HTML table (read cell by cell), not st.dataframe (a canvas that screen readers cannot read). ``cards``: as
    ui.html_table (one card per row on a phone; default for more than four columns)."""
    from .tables import show_table

    if alt:
        with st.container(key=f"alt_{key}"):
            st.caption(alt)
    if table is not None and len(table) and not chart_only():
        _ = t()
        with st.expander(_("Show as table"), icon=":material/table:"):
            show_table(table, numeric=numeric, cards=cards)


@lru_cache(maxsize=8)
def _chart_config_cached(geo: bool, lang_: str) -> dict:
    return {**(MAP_CONFIG if geo else PLOTLY_CONFIG), **i18n.plotly_locale(lang_)}


def _chart_config(geo: bool, lang_: str) -> dict:
    return dict(_chart_config_cached(geo, lang_))  # a copy: Streamlit only reads it, but it is the caller's dict


def download(frame: pd.DataFrame, file_name: str, key: str, label: str | None = None,
             data_file: bool = False) -> None:
    """A CSV download of ``frame`` (formulas neutralised), its column names and category values in the reader's
    language (prep.downloads); ``data_file``: one of the data files, kept in its documented English schema. The
    data version is in the file name (``footprint-<name>-<version>.csv``) and, but for a data file, in a last
    column ``data_version`` (prep.downloads). The CSV is made only when the reader clicks (Streamlit's deferred
    download: ``data`` is a callable run on the click), not on every script run; the callable keeps a reference
    to ``frame``, which is never modified (pandas copy-on-write)."""
    if chart_only():
        return  # the chart-only embed: chart, source line and the link back only
    label = label or tr("Download the data behind this chart (CSV)")
    version = data_version()  # the version of the tables this run read: the one the file says it came from
    maker = _csv_maker(frame, "en") if data_file else _csv_maker(frame, lang(), version)
    st.download_button(label, data=maker, file_name=versioned_name(file_name, version), mime="text/csv", key=key,
                       on_click="ignore", icon=":material/download:")


def _csv_maker(frame: pd.DataFrame, language: str = "en", version: str | None = None):
    def make() -> bytes:
        return to_csv_bytes(localized_csv(versioned(frame, version) if version else frame, language))
    return make
