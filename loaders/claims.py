"""``python -m loaders show claims --id ID``: every figure and attributed text of one deployment record with the
source's words that state it (or why they are not there), the source's publisher, title and URL, for a reviewer
who checks the record against its sources."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

from .deployments import FOLDER, _geocoder, _get, _read_yaml, read_record
from .schema import DataError, Problem
from .sources import Source, read_sources

_LABELS = {"value": "", "in_favour": "in favour", "against": "against", "abstentions": "abstentions",
           "personnel": "personnel", "aircraft": "aircraft", "ships": "ships"}


def _what(att: dict, item: dict) -> str:
    """The figure or text as the record states it, e.g. ``1,172`` or ``70 in favour, 31 against`` or the text."""
    if att["numbers"]:
        figures = ", ".join(f"{v:,}" + (f" {_LABELS.get(k, k)}" if _LABELS.get(k, k) else "")
                            for k, v in att["numbers"].items())
        extra = item.get("detail") or item.get("name") or ""
        return figures + (f" ({extra})" if extra else "")
    about = f"{item['about']}: " if item.get("about") else ""
    return about + str(item.get("text") or item.get("description") or item.get("name") or "")


def _source_line(source_id: str | None, sources: dict[str, Source]) -> str:
    src = sources.get(source_id or "")
    if src is None:
        return f"source: {source_id!r} (not in sources.yaml)"
    return f"source: {src.publisher or src.producer}, \"{src.title}\" ({src.language or '?'}) {src.url}"


def _backing_lines(att: dict) -> list[str]:
    out = []
    for q in att["quotes"]:
        body = textwrap.fill(f"\u201c{q['text']}\u201d", width=110, initial_indent="    ", subsequent_indent="     ")
        out.append(f"  quotation, in {q['lang']}:\n{body}")
    if att["derived"]:
        parts = " + ".join(f"{p:,}" for p in att["derived"]["parts"])
        out.append(f"  derived by Footprint: {parts} = {sum(att['derived']['parts']):,}")
    if att["unverified"]:
        out.append(f"  unverified: {att['unverified']}")
    if att["status"] == "missing":
        out.append("  NO QUOTE: the source's words that state this are not in the record")
    return out


def _path(field: str) -> tuple:
    """``decision.vote`` -> ("decision", "vote"); ``claims[2]`` -> ("claims", 2)."""
    return tuple(int(part[1:-1]) if part.startswith("[") else part for part in re.findall(r"\[\d+\]|[^.\[\]]+", field))


def claims_report(data_dir: Path, record_id: str) -> list[str]:
    """The lines of the review listing for record ``record_id`` (problems of the record come first)."""
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", record_id or ""):
        raise DataError([Problem(FOLDER, None, "id", f"not a record id: {record_id[:60]!r}")])
    data_dir = Path(data_dir)
    path = data_dir / FOLDER / f"{record_id}.yaml"
    if not path.is_file():
        raise KeyError(f"no record {record_id!r} (no {FOLDER}/{record_id}.yaml)")
    sources, _ = read_sources(data_dir / "sources.yaml")
    label = f"{FOLDER}/{path.name}"
    doc, lines, problems = _read_yaml(path, label)
    if problems:
        raise DataError(problems)
    geocoder, _ = _geocoder(data_dir)
    row, problems = read_record(doc, label, record_id, lines, sources, geocoder)
    if row is None:
        raise DataError(problems)
    out = [f"{row['id']}: {row['name']} ({label})"]
    out += [f"problem: {p}" for p in problems]
    for att in sorted(row["attestations"], key=lambda a: a["line"] or 0):  # in the file's order
        item = _get(doc, _path(att["field"])) or {}
        out.append("")
        out.append(f"{att['field']} (line {att['line']}): {_what(att, item)}")
        out.append(f"  attributed to: {item.get('attributed_to')}")
        out.append("  " + _source_line(att["source_id"], sources))
        out.extend(_backing_lines(att))
    return out
