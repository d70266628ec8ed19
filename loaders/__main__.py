"""Command line: ``python -m loaders build|check|show|diff``."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import DATA_DIR, DEFAULT_RAW, RAW_ENV
from .schema import DataError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="Build, check and show Footprint's data tables.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="rebuild data/ from the upstream files")
    b.add_argument("--raw", type=Path, default=None,
                   help=f"folder with the upstream files (default: ${RAW_ENV}, else {DEFAULT_RAW})")
    sub.add_parser("check", help="validate every file in data/; exit 1 when anything is wrong")
    s = sub.add_parser("show", help="print the rows behind a figure as CSV, with each row's source")
    s.add_argument("table")
    s.add_argument("--country", help="ISO 3166 alpha-3 code (or the project's code for historic entities)")
    s.add_argument("--year", type=int)
    s.add_argument("--id", dest="record_id", help="a deployment record's id (for `show claims`)")
    d = sub.add_parser("diff", help="what changed between two data/ trees: rows added, removed and changed")
    d.add_argument("old", type=Path, help="the older data/ folder")
    d.add_argument("new", type=Path, help="the newer data/ folder")
    d.add_argument("--limit", type=int, default=25, help="rows listed per kind of change and table (default 25)")
    return parser


def _build(args: argparse.Namespace) -> int:
    from . import registry

    raw = args.raw or Path(os.environ.get(RAW_ENV) or DEFAULT_RAW)
    written = registry.build_into_data(raw)
    print(f"rebuilt {len(written)} files in {DATA_DIR}:")
    for name in written:
        print(f"  {name}")
    problems = registry.check_all()
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


def _check(args: argparse.Namespace) -> int:
    from . import registry
    from .deployments import quote_report

    problems = registry.check_all()
    for p in problems:
        print(p)
    gaps = registry.spanish_gaps(DATA_DIR)
    for note in registry.notes(DATA_DIR, gaps):  # listed, not failed: texts that lack their Spanish text
        print(note)
    print(f"reader-facing texts without their Spanish counterpart: {len(gaps)}")
    for line in quote_report(DATA_DIR):  # figures without the source's words, then the counts
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("data/ is valid: every table, deployment file and source checks out")
    return 0


def _show(args: argparse.Namespace) -> int:
    from . import registry

    if args.table == "claims":  # one record's figures and texts with the source's words, for a reviewer
        from .claims import claims_report

        if not args.record_id:
            print("show claims needs --id RECORD_ID (a file name in data/deployments without .yaml)", file=sys.stderr)
            return 2
        print("\n".join(claims_report(DATA_DIR, args.record_id)))
        return 0
    frame = registry.show(args.table, country=args.country, year=args.year)
    if frame.empty:
        print("no rows match", file=sys.stderr)
    sys.stdout.write(frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d"))
    return 0 if not frame.empty else 1


def _diff(args: argparse.Namespace) -> int:
    from .diff import diff_trees, report

    for folder in (args.old, args.new):
        if not folder.is_dir():
            print(f"{folder}: not a folder", file=sys.stderr)
            return 2
    print("\n".join(report(diff_trees(args.old, args.new), limit=args.limit)))
    return 0


COMMANDS = {"build": _build, "check": _check, "show": _show, "diff": _diff}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DataError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return 1
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
