"""The data package: one zip with every table as the dashboard reads it, a datapackage.json that Frictionless
validates with zero errors (offline: the test-wide network guard is on), licences and sources per resource, and a
README with the citation and the SIPRI rule."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from export import datapackage as dp
from export.common import data_dir, data_version, load_tables
from export.csvfile import to_csv_bytes
from loaders import registry
from loaders.textsafety import markdown_escape

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def package() -> bytes:
    return dp.build_from_folder()


@pytest.fixture(scope="module")
def unpacked(package, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dp")
    zipfile.ZipFile(io.BytesIO(package)).extractall(out)
    return out / dp.TOP


@pytest.fixture(scope="module")
def descriptor(unpacked) -> dict:
    return json.loads((unpacked / "datapackage.json").read_text(encoding="utf-8"))


def test_zip_holds_every_table_as_the_dashboard_reads_it(package):
    zf = zipfile.ZipFile(io.BytesIO(package))
    names = set(zf.namelist())
    tables = load_tables()
    assert set(tables) == set(registry.specs())
    for name, spec in registry.specs().items():
        entry = f"{dp.TOP}/data/{spec.file}"
        assert entry in names
        # byte for byte the Sources page's CSV download of the same table
        assert zf.read(entry) == to_csv_bytes(tables[name])
    assert {f"{dp.TOP}/datapackage.json", f"{dp.TOP}/README.md", f"{dp.TOP}/data/deployments.csv",
            f"{dp.TOP}/data/sources.yaml"} <= names
    troops = pd.read_csv(io.BytesIO(zf.read(f"{dp.TOP}/data/troops_annual.csv")), keep_default_na=False, na_values=[""])
    assert len(troops) == len(tables["troops_annual"]) and troops["active_duty"].max() > 200_000
    assert zf.read(f"{dp.TOP}/data/sources.yaml") == (data_dir() / "sources.yaml").read_bytes()


def test_frictionless_validates_the_package_with_zero_errors(unpacked):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(unpacked / "datapackage.json"))
    errors = report.flatten(["type", "note", "rowNumber", "fieldName"])
    assert errors == [] and report.valid
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert rows["troops_annual"] == len(load_tables()["troops_annual"])
    assert len(report.tasks) == len(registry.specs()) + 1  # every table and deployments.csv


def test_descriptor_types_descriptions_licences_and_sources(descriptor):
    res = {r["name"]: r for r in descriptor["resources"]}
    assert descriptor["version"] == data_version()
    spec = registry.specs()["troops_annual"]
    fields = {f["name"]: f for f in res["troops_annual"]["schema"]["fields"]}
    assert [f["name"] for f in res["troops_annual"]["schema"]["fields"]] == spec.column_names
    assert fields["year"]["type"] == "integer" and fields["date"]["type"] == "date"
    assert fields["iso3"]["description"] == next(c.doc for c in spec.columns if c.name == "iso3")
    assert all(f["description"] for r in res.values() for f in r["schema"]["fields"])
    assert res["troops_annual"]["schema"]["primaryKey"] == ["iso3", "year"]
    assert res["bases"]["schema"]["fields"][4] == {**res["bases"]["schema"]["fields"][4], "type": "number"}  # lat
    # licences from REUSE.toml, per resource
    assert [x["name"] for x in res["sipri"]["licenses"]] == ["LicenseRef-SIPRI-Terms"]
    assert [x["name"] for x in res["budget_omb"]["licenses"]] == ["LicenseRef-US-Government-Public-Domain"]
    assert [x["name"] for x in res["troops"]["licenses"]] == ["GPL-3.0-or-later"]
    assert [x["name"] for x in res["deployments"]["licenses"]] == ["CC-BY-4.0"]
    assert [x["name"] for x in res["geocode_cache"]["licenses"]] == ["ODbL-1.0"]
    # sources from sources.yaml, by the rows' source_id
    assert any("Defense Manpower Data Center" in s["title"] for s in res["troops_annual"]["sources"])
    assert any(s.get("path") == "https://doi.org/10.55163/CQGC9685" or "sipri" in s.get("path", "").lower()
               for s in res["sipri"]["sources"])
    assert len(res["deployments"]["sources"]) > 10


def test_every_resource_has_a_licence_and_a_source(descriptor):
    res = {r["name"]: r for r in descriptor["resources"]}
    unlicensed = [name for name, r in res.items() if not r.get("licenses")]
    unsourced = [name for name, r in res.items() if not r.get("sources")]
    assert unlicensed == [] and unsourced == []
    assert [x["name"] for x in res["country_regions"]["licenses"]] == ["GPL-3.0-or-later"]  # from troopdata
    assert any("GeoNames" in s["title"] for s in res["geocode_cache"]["sources"])
    assert any("ISO 3166" in s["title"] for s in res["country_overrides"]["sources"])
    assert not any("missing from sources.yaml" in s["title"] for r in res.values() for s in r["sources"])


def test_package_holds_the_change_log_in_both_readmes(package, unpacked):
    from loaders import changes

    zf = zipfile.ZipFile(io.BytesIO(package))
    assert zf.read(f"{dp.TOP}/CHANGES.yaml") == changes.CHANGES_FILE.read_bytes()
    latest = changes.latest()
    for name, lang, head in (("README.md", "en", "## What changed"), ("README.es.md", "es", "## Qué cambió")):
        text = (unpacked / name).read_text(encoding="utf-8")
        assert head in text and f"`{latest['version']}`" in text
        assert f"- {markdown_escape(changes.summary(latest, lang)[0])}" in text  # data text, escaped


def test_readme_has_the_citation_and_the_sipri_rule(unpacked):
    text = (unpacked / "README.md").read_text(encoding="utf-8")
    assert f"data version {data_version()}" in text
    assert "## Cite" in text and "## What may be republished" in text
    assert "only the extract shipped here (`data/sipri_extract.csv`" in text and "bulk republication" in text
    assert "| `data/troops_annual.csv` |" in text and "GPL-3.0-or-later" in text


def test_package_is_cached_per_data_version(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    first = dp.package_bytes(copy)
    assert dp.package_bytes(copy) is first  # same version: the cached bytes
    with open(copy / "reported_figures.csv", "a", encoding="utf-8") as fh:
        fh.write("")  # no change in content: same version
    assert dp.package_bytes(copy) is first
    (copy / "extra.txt").write_text("a new data file", encoding="utf-8")  # any file in data/ changes the version
    second = dp.package_bytes(copy)
    assert second is not first
    assert json.loads(zipfile.ZipFile(io.BytesIO(second)).read(f"{dp.TOP}/datapackage.json"))["version"] == data_version(copy)
    assert data_version(copy) != data_version(data_dir())


@pytest.fixture()
def data_copy(tmp_path):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    return copy


def test_simultaneous_clicks_share_one_build(data_copy, monkeypatch):
    """Thirty readers clicking at once get the same bytes from one build (each built its own zip before)."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    copy = data_copy
    builds, clicks, guard = [], [0], threading.Lock()

    def slow_build(folder):
        builds.append(folder)
        deadline = time.monotonic() + 10
        while clicks[0] < 30 and time.monotonic() < deadline:  # the build lasts until every click has come
            time.sleep(0.005)
        return b"zip-" + str(len(builds)).encode()

    def click(_):
        with guard:
            clicks[0] += 1
        return dp.package_bytes(copy)

    monkeypatch.setattr(dp, "build_from_folder", slow_build)
    with ThreadPoolExecutor(30) as pool:
        results = list(pool.map(click, range(30)))
    assert len(builds) == 1 and set(results) == {b"zip-1"}


def test_a_failed_build_lets_the_next_click_build_again(data_copy, monkeypatch):
    copy = data_copy
    calls = []

    def flaky(folder):
        calls.append(folder)
        if len(calls) == 1:
            raise OSError("disk full")
        return b"zip"

    monkeypatch.setattr(dp, "build_from_folder", flaky)
    try:
        dp.package_bytes(copy)
    except OSError:
        pass
    assert dp.package_bytes(copy) == b"zip" and len(calls) == 2


def test_cli_writes_the_zip_and_refuses_an_existing_file(tmp_path):
    out = tmp_path / "footprint.zip"
    run = subprocess.run([sys.executable, "-m", "export", "datapackage", str(out)], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert str(out) in run.stdout
    assert f"{dp.TOP}/datapackage.json" in zipfile.ZipFile(out).namelist()
    before = out.read_bytes()
    again = subprocess.run([sys.executable, "-m", "export", "datapackage", str(out)], cwd=ROOT, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 2 and str(out) in again.stderr and "already exists" in again.stderr
    assert out.read_bytes() == before
    missing = subprocess.run([sys.executable, "-m", "export", "datapackage", str(tmp_path / "no" / "x.zip")], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and str(tmp_path / "no") in missing.stderr
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_sources_page_offers_the_package_built_only_on_click(monkeypatch):
    from tests.apputil import open_link

    calls = []
    monkeypatch.setattr(dp, "package_bytes", lambda *a, **k: calls.append(a) or b"")
    at = open_link("app_pages/sources_page.py")
    buttons = [b for b in at.get("download_button") if b.proto.label == "Download all tables as a data package (zip)"]
    assert len(buttons) == 1
    # a deferred download: the zip is made when the reader clicks (Streamlit runs the callable), not on the run
    assert buttons[0].proto.deferred_file_id and not buttons[0].proto.url
    assert calls == []
    assert buttons[0].proto.ignore_rerun


def test_readme_escapes_data_text():
    """A caption or term with Markdown, HTML or a URL becomes no link, markup or emphasis in the README."""
    import datetime

    from loaders.sources import Source

    hostile = Source(id="x", title="t", producer="p", url="https://example.org", accessed="2026-12-06",
                     licence="CC-BY <b>4</b>", citation="c", caveats="c",
                     short="[click](https://evil.example) **bold** <img src=x onerror=alert(1)>",
                     republish="see www.evil.example or mail me@evil.example")
    frames = {"bases": pd.DataFrame({"source_id": ["x"]})}
    text = dp.readme([], frames, {"x": hostile}, "v1", datetime.date(2026, 12, 6), None)
    line = next(ln for ln in text.splitlines() if "click" in ln)
    import re

    body = line.split("** (", 1)[1] if "** (" in line else line  # after the list item's own bold caption
    caption = line[len("- **"):line.index("** (")]
    unescaped = re.compile(r"(?<!\\)[\[\]<>*_`]")
    assert not unescaped.search(caption) and not unescaped.search(body), line
    assert "https://evil" not in line and "www.evil" not in line and "me@evil" not in line
    assert "\\[click\\]" in line and "\\<img" in line  # the reader still sees the words
