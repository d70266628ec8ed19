"""Text from data never becomes a link: Streamlit's Markdown renderer (remark-gfm) auto-links
``http(s)://...``, ``www....`` and e-mail addresses found in the text *after* backslash escapes are resolved, so
``ui.md`` breaks those patterns with an invisible word joiner (U+2060); the text reads the same."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from app_pages.ui import md
from tests.apputil import open_link

DATA = Path(__file__).resolve().parent.parent / "data"

# The auto-link rules of mdast-util-gfm-autolink-literal as bundled in streamlit 1.67's frontend
# (static/js/StreamlitMarkdown.*.js: `[/(https?:\/\/|www(?=\.))([-.\w]+)([^ \t\r\n]*)/gi, ...]` and the e-mail rule),
# applied, as there, to the text once Markdown escapes are resolved.
_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE | re.ASCII)
_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)


def as_text(markdown: str) -> str:
    """What remark leaves in a text node: backslash escapes of ASCII punctuation resolved."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def autolinks(markdown: str) -> list[str]:
    text = as_text(markdown)
    return [m.group(0) for m in _URL.finditer(text)] + [m.group(0) for m in _EMAIL.finditer(text)]


NAME = "Operation https://evil.example/x and www.evil.example (ask ops@evil.example)"


def test_the_model_finds_what_the_old_escaping_let_through():
    # backslash escapes alone (ui.md before the fix) leave every pattern in the text node
    old = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", NAME)
    assert autolinks(old) == ["https://evil.example", "www.evil.example", "ops@evil.example"]


def test_md_output_never_auto_links_and_reads_the_same():
    for text in (NAME, "HTTP://EVIL.EXAMPLE", "WWW.Evil.example", "see:https://a.b", "x@y.zz", "ftp://a.b/c"):
        out = md(text)
        assert autolinks(out) == [], (text, out)
        assert as_text(out).replace("\u2060", "") == text  # only invisible characters were added
    assert md("Resolute Sentinel 23 (RS23)") == r"Resolute Sentinel 23 \(RS23\)"  # ordinary text unchanged


def test_a_deployment_name_with_urls_is_shown_without_a_link(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns(".build-*"))
    path = copy / "deployments" / "resolute-sentinel-23.yaml"
    src = path.read_text(encoding="utf-8")
    bad = src.replace("name: Resolute Sentinel 23 (RS23)", "name: '" + NAME + "'")
    assert bad != src and yaml.safe_load(bad)["name"] == NAME
    path.write_text(bad, encoding="utf-8")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(copy))
    at = open_link("app_pages/country.py", timeout=60, section="Deployments and events")
    shown = [m.value for m in at.markdown if "evil" in m.value] + [e.label for e in at.expander if "evil" in e.label]
    assert shown, "the deployment name is shown"
    for text in shown:
        assert autolinks(text) == [], text
        assert "<a" not in text
        assert NAME in as_text(text).replace("\u2060", "")  # the reader sees the name as written
