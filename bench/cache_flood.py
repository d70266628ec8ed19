"""A stranger floods the server with Streamlit's `clear_cache` request: do the other readers notice?

Any websocket client may send `clear_cache`; Streamlit then clears st.cache_data and st.cache_resource for the
whole process. app.py ignores it (compat.ignore_clear_cache_requests). This runs the ordinary readers of
bench.load twice, alone and then beside one client sending `clear_cache` RATE times a second, and prints both
p95s and their ratio. Target (docs/performance.md): ratio <= 1.5 with app.py.

    python -m bench.cache_flood                       # app.py, 10 readers x 30 s, 2 messages a second
    python -m bench.cache_flood --app dashboard.py    # the same without the guard, to see what it prevents
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402

from bench.load import run_load  # noqa: E402
from bench.server import ROOT, save_json, start_streamlit  # noqa: E402
from hosting.stclient import Session  # noqa: E402


async def flood(ws_url: str, rate: float, stop_at: float) -> int:
    """Send clear_cache `rate` times a second until `stop_at`; returns how many were sent."""
    msg = BackMsg()
    msg.clear_cache = True
    payload = msg.SerializeToString()
    sent = 0
    async with Session(ws_url) as s:
        await s.run()  # a session as any tab has one
        while time.monotonic() < stop_at:
            await s.ws.send(payload)
            sent += 1
            await asyncio.sleep(1.0 / rate)
    return sent


async def measure(ws_url: str, pids: list[int], sessions: int, duration: float, rate: float) -> dict:
    quiet = lambda *a, **k: None  # noqa: E731
    alone = (await run_load(ws_url, pids, sessions=sessions, duration=duration, log=quiet)).summary()
    stop_at = time.monotonic() + duration + 5
    flooder = asyncio.create_task(flood(ws_url, rate, stop_at))
    beside = (await run_load(ws_url, pids, sessions=sessions, duration=duration, log=quiet)).summary()
    sent = await flooder
    return {"sessions": sessions, "duration_s": duration, "rate_per_s": rate, "messages_sent": sent,
            "alone": alone, "flooded": beside,
            "ratio_p95": round(beside["p95_ms"] / alone["p95_ms"], 2) if alone["p95_ms"] else None,
            "loadavg": open("/proc/loadavg").read().split()[:3]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", default="app.py")
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--rate", type=float, default=2.0, help="clear_cache messages a second")
    ap.add_argument("--json", type=Path, help="also write the result here")
    args = ap.parse_args(argv)
    with start_streamlit(ROOT / args.app, log_path=Path("/tmp/footprint-cache-flood.log")) as server:
        server.wait_warm()
        out = asyncio.run(measure(server.ws_url, [server.pid], args.sessions, args.duration, args.rate))
    out["app"] = args.app
    print(f"{args.app}: readers' p95 alone {out['alone']['p95_ms']} ms, beside {out['messages_sent']} clear_cache "
          f"messages {out['flooded']['p95_ms']} ms: ratio {out['ratio_p95']} (target <= 1.5); errors "
          f"{out['alone']['errors']} / {out['flooded']['errors']}")
    save_json(args.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
