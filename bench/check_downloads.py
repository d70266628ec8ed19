"""End-to-end check of the lazy CSV downloads: start the dashboard, open a view over the websocket protocol,
ask the server for each download button's deferred file (as the browser does on a click), fetch it over HTTP
and check it is the formula-safe CSV (header row, rows, no cell starting with = + - @ unquoted) that names the
data version in its file name (and, for a view's table, in its last column); a file that is not a CSV (the
Sources page's data package) is listed, not read.

    python -m bench.check_downloads [--page sources] [--max 60]

Exit 0 when every CSV button of the page gives a non-empty, formula-safe CSV that names the data version.
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
from loaders.version import data_version

from .server import ROOT, start_streamlit


def _check_file(label: str, url: str, version: str) -> list[str]:
    """The problems of one downloaded file: a CSV must be formula-safe and name the data version in its file name
    (and, but for a data file of the Sources page, in its last column); another kind of file (the data package's
    zip) is listed and not read."""
    with urllib.request.urlopen(url, timeout=30) as resp:
        kind, disposition, raw = resp.headers.get_content_type(), resp.headers.get("Content-Disposition", ""), resp.read()
    if kind != "text/csv":
        print(f"--  {label[:40]:40s} {kind}, {len(raw) / 1000:8.1f} KB (not a CSV: not read)")
        return []
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    problems = []
    bad = [c for r in rows[1:] for c in r if c[:1] in ("=", "+", "@")]
    if len(rows) < 1 or not rows[0]:
        problems.append(f"{label}: empty CSV")
    elif bad:
        problems.append(f"{label}: {len(bad)} cells could run as formulas, e.g. {bad[0][:40]!r}")
    if f"-{version}.csv" not in disposition:
        problems.append(f"{label}: the file name does not carry the data version {version}: {disposition!r}")
    versioned = bool(rows and rows[0] and rows[0][-1] in ("data_version", "versión_datos"))
    if versioned and any(r[-1] != version for r in rows[1:]):
        problems.append(f"{label}: a data_version cell is not {version}")
    print(f"ok  {label[:40]:40s} {len(rows) - 1:6d} rows  {len(raw) / 1000:8.1f} KB  "
          f"{'version in name and column' if versioned else 'version in name'}")
    return problems


async def check(base: str, ws_url: str, page: str, limit: int) -> list[str]:
    problems: list[str] = []
    version = data_version()
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
            problems += _check_file(label, base.rstrip("/") + "/" + url.lstrip("/"), version)
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
