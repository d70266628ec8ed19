"""One data version: the citation in "Embed this view or cite it", the data package, the static snapshot's pages
and its snapshot.json all name the same hash of the data folder (loaders/version.py), so a citation can be
matched to a download; a changed data file changes it everywhere."""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

from export import datapackage as dp
from export import snapshot
from loaders.version import data_version
from tests.apputil import open_link

DATA = Path(__file__).resolve().parent.parent / "data"


def _cited_version(at) -> str:
    embed = next(h.proto.body for h in at.get("html") if 'class="fp-code"' in h.proto.body)
    versions = set(re.findall(r"data version ([0-9a-f]{12})", embed))
    assert len(versions) == 1, versions  # the citation and its BibTeX agree
    return versions.pop()


def test_citation_data_package_snapshot_and_snapshot_json_name_one_version(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns(".*"))
    # a changed file: the version is this copy's, not one computed anywhere for the project's own data/
    src = copy / "sources.yaml"
    src.write_text(src.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    monkeypatch.setenv("FOOTPRINT_DATA_DIR", str(copy))
    version = data_version(copy)
    assert re.fullmatch(r"[0-9a-f]{12}", version) and version != data_version(DATA)

    cited = _cited_version(open_link("app_pages/cost.py", timeout=60))

    package = zipfile.ZipFile(io.BytesIO(dp.build_from_folder(copy)))
    descriptor = json.loads(package.read(f"{dp.TOP}/datapackage.json"))
    readme = package.read(f"{dp.TOP}/README.md").decode("utf-8")
    assert f"data version {version}" in readme

    out = tmp_path / "snap"
    meta = snapshot.build(out, countries=0, folder=copy)
    recorded = json.loads((out / "snapshot.json").read_text(encoding="utf-8"))
    page = (out / "fy2024.html").read_text(encoding="utf-8")
    on_page = set(re.findall(r"data version ([0-9a-f]{12})", page))

    assert cited == descriptor["version"] == descriptor["footprint"]["data_version"] == recorded["data_version"] \
        == meta["data_version"] == version
    assert on_page == {version}
