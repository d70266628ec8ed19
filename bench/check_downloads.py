"""End-to-end check of the lazy CSV downloads: start the dashboard, open a view over the websocket protocol,
ask the server for each download button's deferred file (as the browser does on a click), fetch it over HTTP
and check it is the formula-safe CSV (header row, rows, no cell starting with = + - @ unquoted).

    python -m bench.check_downloads [--page sources] [--max 60]

Exit 0 when every button of the page gives a non-empty CSV.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
import urllib.request
import uuid

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from hosting.stclient import Session

from .server import ROOT, start_streamlit


async def check(base: str, ws_url: str, page: str, limit: int) -> list[str]:
    problems: list[str] = []
    async with Session(ws_url) as s:
        buttons: list[tuple[str, str]] = []
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.widget_states.SetInParent()
        await s.ws.send(msg.SerializeToString())
        while True:
            f = ForwardMsg()
            f.ParseFromString(await s.ws.recv())
            kind = f.WhichOneof("type")
            if kind == "new_session":
                s.session_id = f.new_session.initialize.session_id
            if kind == "delta" and f.delta.WhichOneof("type") == "new_element":
                el = f.delta.new_element
                if el.WhichOneof("type") == "download_button":
                    buttons.append((el.download_button.label, el.download_button.deferred_file_id))
            if kind == "script_finished" and f.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                break
        if not buttons:
            return [f"page {page!r}: no download button"]
        for label, file_id in buttons[:limit]:
            if not file_id:
                problems.append(f"{label}: no deferred file id (data sent eagerly?)")
                continue
            req = BackMsg()
            req.backend_operation_request.request_id = uuid.uuid4().hex
            req.backend_operation_request.session_id = s.session_id
            req.backend_operation_request.deferred_file.file_id = file_id
            await s.ws.send(req.SerializeToString())
            url = ""
            while True:
                f = ForwardMsg()
                f.ParseFromString(await asyncio.wait_for(s.ws.recv(), 30))
                if f.WhichOneof("type") == "backend_operation_response":
                    r = f.backend_operation_response
                    url = r.deferred_file.url if r.WhichOneof("payload") == "deferred_file" else ""
                    if not url:
                        problems.append(f"{label}: server answered without a URL ({r})"[:300])
                    break
            if not url:
                continue
            body = urllib.request.urlopen(base.rstrip("/") + "/" + url.lstrip("/"), timeout=30).read().decode("utf-8")
            rows = list(csv.reader(io.StringIO(body)))
            bad = [c for r in rows[1:] for c in r if c[:1] in ("=", "+", "@")]
            if len(rows) < 1 or not rows[0]:
                problems.append(f"{label}: empty CSV")
            elif bad:
                problems.append(f"{label}: {len(bad)} cells could run as formulas, e.g. {bad[0][:40]!r}")
            print(f"ok  {label[:40]:40s} {len(rows) - 1:6d} rows  {len(body) / 1000:8.1f} KB")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--page", default="sources")
    ap.add_argument("--max", type=int, default=60)
    a = ap.parse_args(argv)
    with start_streamlit(ROOT / "dashboard.py") as srv:
        problems = asyncio.run(check(srv.url, srv.ws_url, a.page, a.max))
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
