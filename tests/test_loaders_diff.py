"""`python -m loaders diff OLD NEW`: rows added, removed and changed (with the changed cells) on each table's key,
deployment records on their id, source blocks on theirs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from loaders.diff import diff_trees, report

ROOT = Path(__file__).resolve().parent.parent

HEADER = (ROOT / "data" / "country_regions.csv").read_text(encoding="utf-8").splitlines()[0]


def _tree(base: Path, regions: list[str], records: dict[str, str], sources: str) -> Path:
    (base / "deployments").mkdir(parents=True)
    (base / "country_regions.csv").write_text("\n".join([HEADER, *regions]) + "\n", encoding="utf-8")
    for stem, text in records.items():
        (base / "deployments" / f"{stem}.yaml").write_text(text, encoding="utf-8")
    (base / "sources.yaml").write_text(sources, encoding="utf-8")
    return base


@pytest.fixture
def trees(tmp_path):
    cols = HEADER.split(",")
    assert cols[0] == "iso3"

    def row(iso3, fill):
        return ",".join([iso3] + [fill] * (len(cols) - 1))

    old = _tree(tmp_path / "old", [row("PER", "a"), row("CHL", "b"), row("JPN", "c")],
                {"ex-1": "id: ex-1\nstart: 2024-01-01\nsummary: old text\n", "gone": "id: gone\n"},
                "src_a:\n  title: A\n")
    new = _tree(tmp_path / "new", [row("PER", "a"), row("JPN", "z"), row("PAN", "d")],
                {"ex-1": "id: ex-1\nstart: 2024-01-02\nsummary: old text\n", "fresh": "id: fresh\n"},
                "src_a:\n  title: A2\nsrc_b:\n  title: B\n")
    return old, new, cols


def test_diff_finds_added_removed_and_changed_cells(trees):
    old, new, cols = trees
    by_name = {d.name: d for d in diff_trees(old, new)}
    regions = by_name["country_regions"]
    assert regions.added == ["PAN"] and regions.removed == ["CHL"]
    assert [k for k, _ in regions.changed] == ["JPN"]
    assert regions.changed[0][1] == [(c, "c", "z") for c in cols[1:]]
    deployments = by_name["deployments"]
    assert deployments.added == ["fresh"] and deployments.removed == ["gone"]
    assert deployments.changed == [("ex-1", [("start", "2024-01-01", "2024-01-02")])]
    sources = by_name["sources"]
    assert sources.added == ["src_b"] and sources.changed == [("src_a", [("title", "A", "A2")])]
    assert by_name["troops"].empty  # a table missing from both trees is no change


def test_cli_prints_a_readable_report_and_exits_0(trees):
    old, new, cols = trees
    run = subprocess.run([sys.executable, "-m", "loaders", "diff", str(old), str(new)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "  country_regions: 1 added, 1 removed, 1 changed" in out
    assert "  + PAN" in out and "  - CHL" in out and "  ~ JPN" in out
    assert f"      {cols[1]}: c -> z" in out
    assert "  deployments: 1 added, 1 removed, 1 changed" in out
    assert "      start: 2024-01-01 -> 2024-01-02" in out


def test_same_tree_has_no_differences(trees):
    old, _, _ = trees
    assert report(diff_trees(old, old)) == ["no differences: every table, deployment record and source is the same"]


def test_missing_folder_is_a_message_not_a_traceback(tmp_path):
    run = subprocess.run([sys.executable, "-m", "loaders", "diff", str(tmp_path / "nope"), str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "not a folder" in run.stderr and "Traceback" not in run.stderr


def test_change_log_is_valid_and_outside_data():
    import yaml

    from loaders import changes

    assert changes.CHANGES_FILE.relative_to(ROOT).parts[0] != "data"
    entries = yaml.safe_load(changes.CHANGES_FILE.read_text(encoding="utf-8"))
    assert changes.problems(entries) == []
    latest = changes.latest()
    assert latest["compared_with"]["commit"] == "a9783ac"
    assert latest["counts"]["troops"] == {"added": 0, "removed": 0, "changed": 280}
    assert entries[1]["counts"]["deployments"] == {"added": 10, "removed": 0, "changed": 52}
    assert len(changes.summary(latest, "es")) == len(changes.summary(latest, "en")) >= 1


def test_change_log_rules_name_the_entry_and_field():
    from loaders import changes

    bad = [{"version": "x", "date": "soon", "compared_with": {}, "summary": ["a"], "summary_es": [], "counts": {}}]
    found = changes.problems(bad, "f.yaml")
    assert "f.yaml entry 1 date: must be a date YYYY-MM-DD" in found
    assert "f.yaml entry 1 summary_es: must have one line per line of summary" in found
