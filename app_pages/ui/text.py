"""Text from data made safe for the page: Markdown escaping (``md``), HTML links to a source's own address, and
a column read with a missing value per row when an older file lacks it."""
from __future__ import annotations

import html

import pandas as pd

from loaders.textsafety import markdown_escape


def md(text: object) -> str:
    """Escape text for st.markdown / st.caption (loaders.textsafety.markdown_escape); None and NaN read as
    empty."""
    s = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    return markdown_escape(s)


def source_link(text: str, url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{html.escape(text)}</a>'
    return html.escape(text)
