"""Twenty readers click "Download image" at once: is every image delivered, and how much memory does it take?

Each image render holds a Chromium (kaleido) for a few seconds; without a limit, 20 clicks at once started ~32
Chromium processes and 1.3 GB, past a 1 GiB pod's limit. The server renders at most FOOTPRINT_IMAGE_RENDERS at
once (charts.common.image_render_slots: by default from the container's memory, 1 for a 1 GiB pod). This opens
N sessions on the map view, asks each session's PNG (1200x675) at the same moment, as a click does (the deferred
download request, then the file over HTTP), and prints: images delivered (HTTP 200, a PNG), the slowest, and
the peak memory of the server with its children (the Chromium processes), sampled every 0.2 s: proportional set
size (PSS: each shared page divided among the processes that map it, close to what a container's memory limit
charges) and, for reference, the sum of resident sizes (RSS, which counts Chromium's shared pages once per
process and so overstates it about twice).

    python -m bench.image_burst                      # 20 readers, renders as a 1 GiB pod allows (1 at a time)
    python -m bench.image_burst --renders 4          # as on a larger machine
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import ROOT, rss_kb, save_json, start_streamlit  # noqa: E402


def _tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return seen


def pss_kb(pid: int) -> int:
    """Proportional set size (kB) of the process and every descendant."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total
from hosting.stclient import Session  # noqa: E402

WIDE_PNG = "1200"  # the download button's label names its size: "PNG, 1200 × 675"


async def one(ws_url: str, http_base: str, started: float, out: list[dict]) -> None:
    async with Session(ws_url) as s:
        run = await s.run("", "year=2025")
        file_id = next((fid for label, fid in run.downloads if label.startswith("PNG") and WIDE_PNG in label), "")
        if not file_id:
            out.append({"ok": False, "problem": f"no PNG button among {[lb for lb, _ in run.downloads]}"})
            return
        await asyncio.sleep(max(0.0, started - time.monotonic()))  # every reader clicks at the same moment
        t0 = time.monotonic()
        try:
            url = await s.request_file(file_id, timeout=300)
            data = await asyncio.to_thread(lambda: urllib.request.urlopen(http_base + url.lstrip("/"), timeout=60).read())
            out.append({"ok": data[:8] == b"\x89PNG\r\n\x1a\n", "seconds": round(time.monotonic() - t0, 2),
                        "bytes": len(data)})
        except Exception as exc:
            out.append({"ok": False, "problem": f"{type(exc).__name__}: {exc}"[:200]})


async def burst(ws_url: str, http_base: str, pid: int, readers: int) -> dict:
    out: list[dict] = []
    peak = [0, 0]
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], pss_kb(pid))
            peak[1] = max(peak[1], rss_kb([pid]))
            await asyncio.sleep(0.2)

    before = pss_kb(pid)
    sampler = asyncio.create_task(sample())
    started = time.monotonic() + 15  # time for every session to load its view first
    await asyncio.gather(*(one(ws_url, http_base, started, out) for _ in range(readers)))
    done.set()
    await sampler
    ok = [r for r in out if r["ok"]]
    return {"readers": readers, "delivered": len(ok), "failed": [r for r in out if not r["ok"]][:5],
            "slowest_s": max((r["seconds"] for r in ok), default=None),
            "pss_mb": {"before": round(before / 1024), "peak": round(peak[0] / 1024)},
            "rss_sum_mb_peak": round(peak[1] / 1024),
            "loadavg": open("/proc/loadavg").read().split()[:3]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--readers", type=int, default=20)
    ap.add_argument("--renders", type=int, default=1, help="FOOTPRINT_IMAGE_RENDERS for the server (1 = 1 GiB pod)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    env = {"FOOTPRINT_IMAGE_RENDERS": str(args.renders), "FOOTPRINT_WARM": "tables"}
    with start_streamlit(ROOT / "app.py", env=env, log_path=Path("/tmp/footprint-image-burst.log")) as server:
        out = asyncio.run(burst(server.ws_url, server.url, server.pid, args.readers))
    out["renders"] = args.renders
    print(f"{out['delivered']}/{out['readers']} images delivered with {args.renders} render(s) at once; slowest "
          f"{out['slowest_s']} s; server + Chromium memory (PSS) {out['pss_mb']['before']} MB before, peak "
          f"{out['pss_mb']['peak']} MB (a pod's limit: 1,024 MiB; summed RSS peak {out['rss_sum_mb_peak']} MB)")
    save_json(args.json, out)
    return 0 if out["delivered"] == out["readers"] else 1


if __name__ == "__main__":
    sys.exit(main())
