"""The static snapshot's files: every page with its chart, source line, CSV and citation; plotly.js and the map
outlines once; snapshot.json; and the bad-input rules (OUT exists and is not empty, cannot be written, an unknown
country): a clear message naming the folder, exit code 2, and OUT left as it was."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app_pages.export import to_csv_bytes
from export import snapshot
from export.common import ExportError, data_version, git_commit, load_tables
from prep import views

ROOT = Path(__file__).resolve().parent.parent
BUILT = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    out = tmp_path_factory.mktemp("snap") / "out"
    meta = snapshot.build(out, countries=["PER", "DEU"], built=BUILT)
    return out, meta


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_snapshot_json_records_version_date_commit_and_pages(snap):
    out, meta = snap
    recorded = json.loads((out / "snapshot.json").read_text(encoding="utf-8"))
    assert recorded["data_version"] == data_version() and re.fullmatch(r"[0-9a-f]{12}", recorded["data_version"])
    assert recorded["build_date"] == "2026-11-30" and recorded["built"] == "2026-11-30T12:00:00+00:00"
    assert recorded["git_commit"] == git_commit()
    paths = [p["path"] for p in recorded["pages"]]
    syear = views.sipri_latest_year(load_tables()["sipri"])
    assert paths == ["world-map.html", "troops-total.html", "troops-by-region.html", "outlays-current.html",
                     "outlays-constant.html", "outlays-percent-gdp.html", "budget-authority.html",
                     f"sipri-{syear}.html", "fy2024.html", "country/DEU.html", "country/PER.html"]
    for p in recorded["pages"]:
        assert (out / p["path"]).stat().st_size == p["bytes_html"]
        assert (out / p["csv"]).stat().st_size == p["bytes_csv"] > 0
    # nothing but the snapshot in OUT: no temporary folder left beside it either
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.tmp-")]


def test_plotly_and_outlines_ship_once_and_nothing_is_requested_outside(snap):
    out, _ = snap
    files = _files(out)
    assert [f for f in files if f.endswith(".js")] == ["plotly.min.js"]
    assert files["plotly.min.js"].startswith(b"/**\n* plotly.js v")
    for name in ("world_110m.json", "world_50m.json"):
        assert files[f"topojson/{name}"] == (ROOT / "static" / name).read_bytes()
    pages = {f: b.decode("utf-8") for f, b in files.items() if f.endswith(".html")}
    for name, text in pages.items():
        # every script, stylesheet and image comes from OUT (links to the sources are plain <a> links)
        assert re.findall(r'(?:src|srcset)="(?!(?:\.\./)?plotly\.min\.js")', text) == []
        assert not re.search(r'<link[^>]+href="(?!(?:\.\./)?favicon\.png")', text)
        assert "cdn.plot.ly" not in text and "MathJax.js" not in text and "cdn.jsdelivr" not in text
    assert '<script charset="utf-8" src="plotly.min.js"></script>' in pages["world-map.html"]
    assert 'src="../plotly.min.js"' in pages["country/PER.html"]
    assert '"topojsonURL": "topojson/"' in pages["world-map.html"]
    assert '"showlakes":false' in pages["world-map.html"]  # the shipped outline has no lakes layer


def test_pages_carry_title_source_csv_and_citation(snap):
    out, meta = snap
    annual = load_tables()["troops_annual"]
    page = (out / "country" / "PER.html").read_text(encoding="utf-8")
    assert "<h1>Active-duty US troops in Peru, by year</h1>" in page
    assert re.search(r'<p class="caption">Source: <a href="https://[^"]+" rel="noopener noreferrer">DMDC personnel', page)
    assert '<a href="PER.csv" download>Download the data behind this chart (CSV)</a>' in page
    assert (out / "country" / "PER.csv").read_bytes() == to_csv_bytes(views.country_history(annual, "PER")["hist"])
    cite = re.search(r'<section class="cite">(.*?)</section>', page, re.S).group(1)
    assert "“Active-duty US troops in Peru, by year”, Footprint," in cite
    assert '<span id="fp-url" data-fixed="0">country/PER.html</span>' in cite
    assert f"data version {meta['data_version']}" in cite and "Static snapshot of 2026-11-30" in cite
    assert '<span id="fp-accessed">2026-11-30</span>' in cite
    if meta["git_commit"]:
        assert f"commit {meta['git_commit'][:12]}" in cite
    # the figure in the page is the one prep/views.py builds (the app's): Peru's yearly figures
    hist = views.country_history(annual, "PER")["hist"].dropna(subset=["active_duty"])
    assert f"\"Active-duty US troops, by year\"" in page
    assert (out / "world-map.csv").read_bytes() == to_csv_bytes(views.all_years(annual, "active_duty")[0])
    assert len(hist) > 10
    index = (out / "index.html").read_text(encoding="utf-8")
    for p in meta["pages"]:
        assert f'<a href="{p["path"]}">' in index and f'<a href="{p["csv"]}" download>CSV</a>' in index
    assert "Static snapshot of 2026-11-30" in index and meta["data_version"] in index


def test_empty_folder_is_used_and_base_url_goes_into_the_citation(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    meta = snapshot.build(out, countries=0, base_url="https://example.org/footprint/", built=BUILT)
    assert not [p for p in meta["pages"] if p["path"].startswith("country/")]
    page = (out / "troops-total.html").read_text(encoding="utf-8")
    assert '<span id="fp-url" data-fixed="1">https://example.org/footprint/troops-total.html</span>' in page
    assert json.loads((out / "snapshot.json").read_text())["base_url"] == "https://example.org/footprint/"


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "export", "snapshot", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_a_folder_that_is_not_empty_is_refused_and_left_as_it_was(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    before = _files(out)
    with pytest.raises(ExportError, match=re.escape(f"{out} exists and is not empty")):
        snapshot.build(out, countries=0)
    run = _cli(out, "--countries", "0")
    assert run.returncode == 2 and f"error: {out} exists and is not empty" in run.stderr
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_place_that_cannot_be_written_is_refused(tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    run = _cli(a_file, "--countries", "0")
    assert run.returncode == 2 and f"{a_file} exists and is not a folder" in run.stderr
    assert a_file.read_text() == "x"
    inside_file = a_file / "out"
    run = _cli(inside_file)
    assert run.returncode == 2 and str(a_file) in run.stderr and "does not exist" in run.stderr
    run = _cli(tmp_path / "new", "--countries", "XXX,PER")
    assert run.returncode == 2 and "no troop figure for XXX" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_a_failed_build_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "fy2024", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="boom"):
        snapshot.build(out, countries=0)
    assert list(tmp_path.iterdir()) == []  # no OUT, no temporary folder


def test_sizes_counts_what_a_first_visit_loads(snap):
    out, meta = snap
    s = snapshot.sizes(out)
    js = (out / "plotly.min.js").stat().st_size
    page = s["pages"]["world-map.html"]
    assert page["raw"] == js + (out / "world-map.html").stat().st_size + (out / "topojson" / "world_110m.json").stat().st_size
    assert s["pages"]["troops-total.html"]["raw"] == js + (out / "troops-total.html").stat().st_size
    assert 0 < page["gzip"] < page["raw"]
    assert s["bytes_on_disk"] == sum(len(b) for b in _files(out).values())
