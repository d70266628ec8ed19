"""loaders.textsafety: `loaders check` refuses what no data text may carry (script links, control and
bidirectional characters, formula starts, markup, oversize strings), naming file, line or row, and field."""
from __future__ import annotations

import shutil

import pytest

from loaders import registry
from loaders.textsafety import text_rule, url_rule

DATA = registry.DATA_DIR


@pytest.mark.parametrize("value, fragment", [
    ("=HYPERLINK(\"http://x\")", "formula"), ("@SUM(A1)", "formula"), ("+cmd", "formula"), ("- a list item", "formula"),
    ("Base\u202eevil", "bidirectional"), ("Name\u2066x\u2069", "bidirectional"), ("bell\x07", "control"),
    ("<script>alert(1)</script>", "markup"), ("see javascript:alert(1)", "markup"), ("x" * 150_000, "too long"),
])
def test_text_refused(value, fragment):
    assert fragment in (text_rule(value) or ""), value[:40]


@pytest.mark.parametrize("value", ["Peru's Congress", "-25 personnel", "+3.5%", "línea\nnueva", "Camp Lemonnier (Djibouti)",
                                   "a < b", "Fuerza Aérea del Perú"])
def test_text_allowed(value):
    assert text_rule(value) is None


@pytest.mark.parametrize("value, ok", [
    ("https://example.org/a?b=1&c=2", True), ("http://example.org", True), ("javascript:alert(1)", False),
    ("data:text/html,<script>", False), ("file:///etc/passwd", False), ("https://exa mple.org", False),
    ("https://example.org/\"onmouseover=", False), ("https://example.org/" + "a" * 3000, False),
])
def test_urls(value, ok):
    assert (url_rule(value) is None) == ok, url_rule(value)


@pytest.fixture()
def data_copy(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def _problems(copy) -> list[str]:
    return [str(p) for p in registry.check_all(copy)]


def test_check_refuses_a_script_link_in_sources(data_copy):
    path = data_copy / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    first_url = next(line for line in text.splitlines() if line.startswith("  url: "))
    path.write_text(text.replace(first_url, "  url: javascript:alert(document.cookie)", 1), encoding="utf-8")
    found = [p for p in _problems(data_copy) if "sources.yaml" in p and " url: " in p]
    assert found and "must be an http(s) URL, got scheme 'javascript'" in found[0], found


def test_check_refuses_markup_and_formulas_in_a_table(data_copy):
    path = data_copy / "bases.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    col = header.index("name") if "name" in header else 1
    cells = lines[1].rstrip("\n").split(",")
    cells[col] = "=HYPERLINK(1)"
    lines[1] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    found = [p for p in _problems(data_copy) if p.startswith("bases.csv:2 ")]
    assert found and "formula" in found[0], found


def test_check_refuses_a_bidi_override_in_a_record(data_copy):
    path = data_copy / "deployments" / "resolute-sentinel-24.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nname: ", "\nname: \u202e", 1), encoding="utf-8")
    found = [p for p in _problems(data_copy) if "resolute-sentinel-24.yaml" in p]
    assert any(" name: " in p and "bidirectional" in p for p in found), found
    assert not [p for p in _problems(data_copy) if "resolute-sentinel-23.yaml" in p]  # the rest still checks out
