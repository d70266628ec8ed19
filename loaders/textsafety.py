"""What no text in data/ may carry, whatever the display layers do with it.

Every view, snapshot page and CSV escapes data text, but a data file is also read by people and programs we do
not control (the data package, the API, a spreadsheet). So `python -m loaders check` refuses, in every text
field of every table, source and record:
- a link that is not http(s) (`javascript:`, `data:`, `file:`...): a URL field must be `https://` or `http://`;
- control characters (other than tab and line breaks) and the bidirectional overrides and isolates that make
  text display in another order than it is stored (used to hide what a name says);
- a start that a spreadsheet runs as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return, CWE-1236);
  a sign followed by a digit (`-25`, `+3`) is a number, not a formula, and passes;
- active markup (`<script`, `<iframe`, `<img`, ..., an event handler such as `onerror=` in a tag,
  `javascript:` anywhere in the text); inert markup such as `<b>` passes and is shown as text;
- more than MAX_TEXT characters in one field (150 KB strings made pages and CSVs large for nothing).
"""
from __future__ import annotations

import re

MAX_TEXT = 5_000  # the longest legitimate text (a source's caveats) is under 1,000 characters
MAX_URL = 2_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_FORMULA_START = re.compile(r"^(?:[=@\t\r]|[+-](?![\d.]))")
_MARKUP = re.compile(r"<\s*/?\s*(?:script|iframe|frame|object|embed|svg|math|img|video|audio|style|link|meta|base|form)\b"
                     r"|<[^>]*\son\w+\s*=|javascript\s*:|vbscript\s*:", re.I)
_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.I)


def text_rule(value: str, max_length: int = MAX_TEXT) -> str | None:
    """The rule a text value breaks, or None."""
    if len(value) > max_length:
        return f"too long: {len(value):,} characters (at most {max_length:,})"
    if _CONTROL.search(value):
        return f"control character U+{ord(_CONTROL.search(value).group()):04X} is not allowed"
    if _BIDI.search(value):
        return (f"bidirectional control character U+{ord(_BIDI.search(value).group()):04X} is not allowed "
                "(it makes text display in another order than it is stored)")
    if _FORMULA_START.match(value):
        return f"starts with {value[:1]!r}, which a spreadsheet runs as a formula"
    if _MARKUP.search(value):
        return f"markup or a script link is not allowed: {_MARKUP.search(value).group()!r}"
    return None


def url_rule(value: str) -> str | None:
    """The rule a URL field breaks, or None: http(s) only, no spaces or quotes, of sane length."""
    if len(value) > MAX_URL:
        return f"URL too long: {len(value):,} characters (at most {MAX_URL:,})"
    if not _URL.fullmatch(value):
        scheme = value.split(":", 1)[0][:20] if ":" in value else ""
        return (f"must be an http(s) URL, got scheme {scheme!r}" if scheme and not scheme.lower().startswith("http")
                else f"must be an http(s) URL without spaces or quotes, got {value[:60]!r}")
    return text_rule(value, MAX_URL)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def markdown_escape(text: str) -> str:
    """Data text made inert for Markdown (the data package's README, Streamlit's st.markdown): no Markdown, links,
    HTML or LaTeX, on one line.

    Backslash escapes do not stop GitHub-flavoured Markdown's auto-links (remark-gfm and GitHub find
    ``http://``, ``https://``, ``www.`` and e-mail addresses in the text after escapes are resolved), so a word
    joiner (U+2060, invisible, no line break) goes between ``:`` and ``//``, after ``www`` and after ``@``: the
    text reads the same and never becomes a link."""
    s = text.replace("\r", " ").replace("\n", " ")
    s = re.sub(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", "\u2060", s)
    return _MD_SPECIAL.sub(r"\\\1", s)
