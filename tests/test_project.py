"""Project hygiene: the README's commands are the ones CI runs, nothing from the reference folder is committed."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    commands = [line.strip() for line in blocks[0].splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2, commands
    run, test = commands
    assert "streamlit run app.py" in run and "requirements.txt" in run
    ci = (ROOT / ".ci" / "run").read_text()
    assert test in ci
    assert "apt-get install -y -qq chromium" in ci


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s]*", line), f"unpinned requirement: {line}"


def test_no_upstream_reference_file_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    forbidden = re.compile(r"(\.xlsx|\.xls|\.rda)$|SIPRI-Milex|troopdata_rebuild|mme_v7|basedata", re.I)
    assert [f for f in tracked if forbidden.search(f) and not f.startswith("tests/fixtures/")] == []


def test_no_streamlit_in_loaders_or_charts():
    for folder in ("loaders", "charts"):
        for path in (ROOT / folder).glob("*.py"):
            assert "import streamlit" not in path.read_text(), path
