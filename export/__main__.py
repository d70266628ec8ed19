"""``python -m export datapackage OUT.zip`` and ``python -m export snapshot OUT/ [--countries ...] [--base-url URL]``.
Exit code 0 on success, 2 for bad input (the message names the file or folder; nothing is left half written),
1 when the data itself is broken (every problem listed)."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from loaders.schema import DataError

from .common import ExportError


def _countries(value: str | None):
    if value is None or value.strip().lower() == "all":
        return None
    if value.strip().isdigit():
        return int(value)
    return [c for c in value.split(",") if c.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m export", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    dp = sub.add_parser("datapackage", help="write every table, datapackage.json and a README into one zip")
    dp.add_argument("out", type=Path, help="the zip to write (must not exist)")
    sn = sub.add_parser("snapshot", help="write the static snapshot (HTML pages, plotly.js, map outlines, CSVs)")
    sn.add_argument("out", type=Path, help="a new or empty folder")
    sn.add_argument("--countries", default=None,
                    help="which country pages: 'all' (default), a number (the first N by name) or ISO codes, e.g. DEU,JPN,PER")
    sn.add_argument("--base-url", default=None,
                    help="where the snapshot will be hosted (e.g. https://example.org/footprint); written into each "
                         "page's citation (by default a page shows its own address when opened from a web server)")
    sub.add_parser("added", help="write export/added.json: the day each record file was first committed "
                                 "(git), for the feed's 'date added'; run after adding records")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        if args.cmd == "added":
            from .feed import ADDED_FILE, write_added

            print(f"wrote {ADDED_FILE}: the date added of {len(write_added())} records")
        elif args.cmd == "datapackage":
            from .datapackage import write_package

            out = write_package(args.out)
            print(f"wrote {out} ({out.stat().st_size:,} bytes) in {time.perf_counter() - t0:.1f} s")
        else:
            from .snapshot import build, sizes

            meta = build(args.out, countries=_countries(args.countries), base_url=args.base_url)
            s = sizes(args.out)
            print(f"wrote {len(meta['pages'])} pages into {args.out} in {meta['build_seconds']:.1f} s: "
                  f"{s['files']} files, {s['bytes_on_disk'] / 1e6:.1f} MB; data version {meta['data_version']}")
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"error: the data is broken:\n{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
