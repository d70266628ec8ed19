"""Production settings in .streamlit/config.toml are in force, and readers never see error details."""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

from bench.server import start_streamlit
from hosting.stclient import Session

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "client.showErrorDetails": "none",
    "server.enableXsrfProtection": True,
    "server.maxUploadSize": 1,
    "server.enableStaticServing": True,
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "browser.gatherUsageStats": False,
    "client.toolbarMode": "minimal",
    "runner.postScriptGC": False,  # a full gc.collect(2) per run cost more than the run itself (performance.md)
    "runner.magicEnabled": False,
}


def test_no_script_relies_on_magic():
    """With runner.magicEnabled off, a bare expression in a page would silently show nothing: there is none."""
    import ast

    for f in [ROOT / "dashboard.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Expr) and not isinstance(node.value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)):
                is_docstring = isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                assert is_docstring, f"{f.name}:{node.lineno}: a bare expression that only magic would display"


def test_config_file_sets_production_values():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    for key, value in EXPECTED.items():
        section, name = key.split(".")
        assert cfg[section][name] == value, key


def test_streamlit_reads_them_from_the_project_folder():
    code = "import json; from streamlit import config; print(json.dumps({k: config.get_option(k) for k in %r}))" % list(EXPECTED)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    import json

    assert json.loads(out.strip().splitlines()[-1]) == EXPECTED


def _run(coro):
    # run in a thread of its own: another test module's Playwright may hold this thread's event loop
    box = {}
    t = threading.Thread(target=lambda: box.setdefault("r", asyncio.run(coro)))
    t.start()
    t.join(120)
    return box["r"]


def test_readers_get_no_error_details(tmp_path):
    app = tmp_path / "boom.py"
    app.write_text("import streamlit as st\nst.write('before')\nraise ValueError('SECRET-DETAIL-4711 in /srv/app/data')\n")
    shutil.copytree(ROOT / ".streamlit", tmp_path / ".streamlit")

    async def go():
        async with Session(srv.ws_url) as s:
            return await s.run()

    with start_streamlit(app) as srv:
        result = _run(go())
    assert result.exceptions, "the failing script should still show an error element"
    text = " ".join(result.exceptions)
    assert "SECRET-DETAIL-4711" not in text and "/srv/app" not in text
