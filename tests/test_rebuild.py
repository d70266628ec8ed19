"""The committed data/ is exactly what the loaders make from the upstream reference files."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from loaders import DATA_DIR, registry


@pytest.fixture(scope="module")
def rebuilt(raw_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rebuilt")
    registry.build_all(raw_dir, out, DATA_DIR)
    return out


def test_rebuild_equals_committed_data(rebuilt):
    built = sorted(p.relative_to(rebuilt) for p in rebuilt.rglob("*") if p.is_file())
    assert built, "build wrote nothing"
    expected = {spec.file for spec in registry.built_specs()}
    assert expected <= {str(p) for p in built}
    different = [str(rel) for rel in built if not filecmp.cmp(rebuilt / rel, DATA_DIR / rel, shallow=False)]
    assert different == [], f"committed data/ differs from a rebuild: {different}; run python -m loaders build"


def test_committed_data_passes_check():
    problems = registry.check_all(DATA_DIR)
    assert [str(p) for p in problems] == []


def test_build_into_data_swaps_atomically_and_stays_inside(raw_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    written = registry.build_into_data(raw_dir, data)
    assert written and all(not w.startswith("..") for w in written)
    assert not list(data.glob(".build-*")), "temporary build folder left behind"
    assert registry.check_all(data) == []


def test_failed_build_leaves_data_untouched(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    empty_raw = tmp_path / "raw"
    empty_raw.mkdir()
    with pytest.raises(Exception):
        registry.build_into_data(empty_raw, data)
    after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert before == after
    assert not list(data.glob(".build-*"))
