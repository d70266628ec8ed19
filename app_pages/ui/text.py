"""Text from data made safe for the page: Markdown escaping (``md``), HTML links to a source's own address, and
a column read with a missing value per row when an older file lacks it."""
from __future__ import annotations

import html
import re

import pandas as pd

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """Escape text for st.markdown / st.caption: no Markdown, links, HTML or LaTeX from data.

    Backslash escapes do not stop GitHub-flavoured Markdown's auto-links (the frontend's remark-gfm finds
    ``http://``, ``https://``, ``www.`` and e-mail addresses in the text after escapes are resolved), so a word
    joiner (U+2060, invisible, no line break) goes between ``:`` and ``//``, after ``www`` and after ``@``: the
    text reads the same and never becomes a link."""
    s = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    s = s.replace("\r", " ").replace("\n", " ")
    s = re.sub(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", "\u2060", s)
    return _MD_SPECIAL.sub(r"\\\1", s)


def source_link(text: str, url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{html.escape(text)}</a>'
    return html.escape(text)
