"""The container image starts and serves: its build context laid out and its command run as the image would.

No Docker engine runs on the project's machines and the base image cannot be pulled here, so the image itself is
never built. What can go wrong between the repository and a running container is checked instead: the files the
Dockerfile's `COPY . .` would copy (tracked files minus the `.dockerignore` patterns, matched with docker-py's own
implementation of Docker's rules) are laid out in a temporary folder, and the Dockerfile's `CMD` is started there
with its `ENV` and `WORKDIR` (and its `USER` where this machine's Python can be run by that user); the page must then pass the Dockerfile's `HEALTHCHECK` command, which renders
every view. Only the port is changed (a free loopback port instead of 0.0.0.0:8501), so tests can run side by side.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from docker.utils.build import exclude_paths

from bench.server import ROOT, free_port, wait_http


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def image_spec(dockerfile: Path) -> dict:
    spec: dict = {"env": {}, "workdir": "/", "user": None, "cmd": None, "healthcheck": None, "copies": []}
    for word, args in dockerfile_instructions(dockerfile.read_text()):
        if word == "ENV":
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                spec["env"][key] = value
        elif word == "WORKDIR":
            spec["workdir"] = args
        elif word == "USER":
            spec["user"] = args
        elif word == "CMD":
            spec["cmd"] = json.loads(args)
        elif word == "HEALTHCHECK":
            spec["healthcheck"] = json.loads(args[args.index("CMD") + 3:].strip())
        elif word == "COPY":
            spec["copies"].append(args)
    return spec


def build_context_files(root: Path) -> list[str]:
    """Tracked files that `docker build` would send: what `.dockerignore` does not exclude."""
    patterns = [line.strip() for line in (root / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.strip().startswith("#")]
    sent = exclude_paths(str(root), patterns)
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    return sorted(n for n in tracked.decode().split("\0") if n and n in sent and (root / n).is_file())


def test_dockerignore_matching_follows_docker_rules(tmp_path):
    for name in ("tests/test_x.py", "a/b/__pycache__/m.pyc", "bench/load.py", "hosting/serve.py", "app_pages/tests_x.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    sent = exclude_paths(str(tmp_path), ["tests", "**/__pycache__", "bench"])
    assert "hosting/serve.py" in sent and "app_pages/tests_x.py" in sent
    assert not {"tests/test_x.py", "a/b/__pycache__/m.pyc", "bench/load.py"} & sent


def test_the_image_copies_everything_its_command_and_probe_need():
    spec = image_spec(ROOT / "Dockerfile")
    files = set(build_context_files(ROOT))
    assert spec["copies"][-1] == ". ."  # the whole context, after requirements.txt
    assert "requirements.txt" in files and "app.py" in files and "dashboard.py" in files
    # the launcher and the probe are modules of a package that is in the context, not in bench/ or deploy/
    assert spec["cmd"][:3] == ["python", "-m", "hosting.serve"] and "hosting/serve.py" in files
    assert spec["healthcheck"][:3] == ["python", "-m", "hosting.healthcheck"] and "hosting/healthcheck.py" in files
    assert not any(f.startswith(("tests/", "bench/", "docs/")) for f in files)


@pytest.fixture(scope="module")
def image_context():
    folder = Path(tempfile.mkdtemp(prefix="footprint-image-"))
    os.chmod(folder, 0o755)  # the image's user (not root) must read it, as in the image
    spec = image_spec(ROOT / "Dockerfile")
    app = folder / spec["workdir"].lstrip("/")
    for name in build_context_files(ROOT):
        target = app / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    for dirpath, dirnames, _ in os.walk(folder):
        for d in dirnames:
            os.chmod(Path(dirpath) / d, 0o755)
    yield spec, app
    shutil.rmtree(folder, ignore_errors=True)


def _others_can_run(path: Path) -> bool:
    path = path.resolve()
    return all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents])


def _as_image_user(spec: dict) -> dict:
    """Run as the image's user where this machine allows it: root can switch users, but an interpreter installed
    under root's home (pyenv) cannot be run by another user, and then the command runs as the current user."""
    if os.geteuid() != 0 or not spec["user"] or not _others_can_run(Path(sys.executable)):
        return {}
    uid = int(spec["user"])
    return {"user": uid, "group": uid, "extra_groups": []}


def test_the_image_command_starts_and_renders_every_view(image_context, tmp_path):
    spec, app = image_context
    port = free_port()
    cmd = [sys.executable if c == "python" else c for c in spec["cmd"]]
    cmd = [f"--server.port={port}" if c.startswith("--server.port=") else c for c in cmd]
    cmd = ["--server.address=127.0.0.1" if c.startswith("--server.address=") else c for c in cmd]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **spec["env"],
           "STREAMLIT_SERVER_COOKIE_SECRET": "test-only-secret"}
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(cmd, cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT, **_as_image_user(spec))
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=90, proc=proc)
        probe = [sys.executable if c == "python" else c for c in spec["healthcheck"]]
        probe = [c.replace("127.0.0.1:8501", f"127.0.0.1:{port}") for c in probe]
        out = subprocess.run(probe, cwd=app, env=env, capture_output=True, text=True, timeout=240,
                             **_as_image_user(spec))
        assert out.returncode == 0, out.stdout + out.stderr + (tmp_path / "server.log").read_text()
        assert "ok" in out.stdout.lower()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    text = (tmp_path / "server.log").read_text()
    assert "Traceback" not in text and "can't open file" not in text, text
