"""The page's own CSS and JavaScript, kept as files in ``assets/`` (edited and linted as what they are, not as
Python strings) and read once per process. Nothing from data or a link goes into them."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
_COMMENT = re.compile(r"/\*.*?\*/\n?", re.S)
_LEADING_COMMENT = re.compile(r"\A\s*/\*.*?\*/\n?", re.S)


@lru_cache(maxsize=None)
def css(name: str) -> str:
    """A style sheet without its comments (they explain the rules to the next engineer; readers need not download
    them). The sheets have no string that contains ``/*``."""
    return _COMMENT.sub("", (ASSETS / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def script(name: str) -> str:
    """A script as one ``<script>`` element, without the comment at the top of its file."""
    return "<script>" + _LEADING_COMMENT.sub("", (ASSETS / name).read_text(encoding="utf-8")).strip() + "</script>"
