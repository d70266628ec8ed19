"""Start and stop a Streamlit server on a loopback port (used by the benchmarks, the health check and the tests).

Nothing here imports Streamlit; the server runs in its own process (`python -m streamlit run ...`).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until `url` answers 200 (or fail if the process dies or the time runs out)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = exc
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s (last error: {last})")


WARM_DONE = "Footprint warm-up: done"  # what app_pages/warm.py logs when it has finished


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    app: Path
    log_path: Path | None = None
    base_path: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.base_path.strip('/')}".rstrip("/") + "/"

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "_stcore/stream"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_text(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")
        return ""

    def wait_log(self, text: str, timeout: float = 180.0) -> float | None:
        """Seconds waited until ``text`` appears in the server's log (e.g. app.py's "Footprint warm-up: done"),
        or None after ``timeout`` or when the server has no log."""
        if not self.log_path:
            return None
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if text in self.log_text():
                return round(time.monotonic() - t0, 2)
            if self.proc.poll() is not None:
                return None
            time.sleep(0.2)
        return None

    def wait_warm(self, timeout: float = 240.0) -> float | None:
        """For app.py (the dashboard with its start-up warm-up, app_pages/warm.py): wait until the warm-up is done,
        so a benchmark measures the process as readers find it once started; seconds waited. None for other apps."""
        if self.app.name != "app.py":
            return None
        return self.wait_log(WARM_DONE, timeout)

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc.poll() is not None:
            return
        # The server runs in its own process group (start_new_session): end the group it leads, nothing else.
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=timeout)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def streamlit_cmd(app: Path | str, port: int, options: dict[str, object] | None = None) -> list[str]:
    opts: dict[str, object] = {
        "server.headless": "true",
        "server.address": "127.0.0.1",
        "server.port": port,
        "browser.gatherUsageStats": "false",
        "server.fileWatcherType": "none",
        "server.runOnSave": "false",
    }
    opts.update(options or {})
    cmd = [sys.executable, "-m", "streamlit", "run", str(app)]
    for key, value in opts.items():
        cmd.append(f"--{key}={value}")
    return cmd


def start_streamlit(
    app: Path | str,
    port: int | None = None,
    *,
    options: dict[str, object] | None = None,
    env: dict[str, str] | None = None,
    log_path: Path | None = None,
    timeout: float = 60.0,
) -> Server:
    """Start `streamlit run app` on 127.0.0.1:port and wait for /_stcore/health.

    `options` are Streamlit config options (e.g. {"server.disconnectedSessionTTL": 5}); `env` is added to the
    current environment (e.g. {"FOOTPRINT_DATA_DIR": ...}). The app's own folder is the working directory so
    its `.streamlit/config.toml` (static serving etc.) applies.
    """
    app = Path(app).resolve()
    port = port or free_port()
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault("PYTHONUNBUFFERED", "1")
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        out = open(log_path, "wb")
    else:
        out = subprocess.DEVNULL
    # Run from the repository root when the app lives in it, so `.streamlit/config.toml` is picked up.
    cwd = ROOT if ROOT in app.parents else app.parent
    proc = subprocess.Popen(
        streamlit_cmd(app, port, options),
        cwd=cwd,
        env=full_env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if out is not subprocess.DEVNULL:
        out.close()
    server = Server(proc=proc, port=port, app=app, log_path=log_path)
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout, proc=proc)
    except Exception:
        server.stop()
        raise
    return server


def save_json(path: Path | None, result: dict) -> None:
    """Write a benchmark's result to ``path`` (its --json option) as indented JSON; nothing when no path was given."""
    if path:
        path.write_text(json.dumps(result, indent=2))


def rss_kb(pids: list[int], include_children: bool = True) -> int:
    """Resident memory (VmRSS, kB) of the given processes, plus their descendants when asked."""
    seen: set[int] = set()
    todo = list(pids)
    total = 0
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if include_children:
            todo.extend(_children(pid))
    return total


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    try:
        tasks = list(task_dir.iterdir())
    except FileNotFoundError:
        return kids
    for task in tasks:
        try:
            kids.extend(int(x) for x in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return kids
