"""Named deployments, exercises and missions reported in open sources: one YAML file each in
``data/deployments/`` (the format is documented in ``data/deployments/README.md``), plus the curated
political-context timeline ``data/context_events.csv``.

The YAML files are read with the safe loader only (libyaml's when PyYAML has it, ``sources.SAFE_LOADER``) (line numbers for problems come from ``yaml.compose``,
which builds no Python objects) and only from inside ``data/deployments``.  They are loaded into a table in
memory, never written out as CSV.  :func:`extra_checks` reports every problem as
``deployments/<file>.yaml:<line> <field>: <rule>``.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
import stat
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .geocode import CACHE_FILE, CachedGeocoder
from .records import quotes as q
from .schema import MAX_ABS_NUMBER, Col, DataError, Problem, TableSpec, read_table
from .sources import (
    RECORD_FIELDS,
    SAFE_LOADER,
    Source,
    field_rule,
    read_sources,
    yaml_refusal,
)

FOLDER = "deployments"
CONTEXT_FILE = "context_events.csv"
CURATED = (CONTEXT_FILE,)

KINDS = ("deployment", "exercise", "mission", "proposed", "decision", "operation")
STATUSES = ("reported", "proposed", "historical", "authorised", "under-way", "completed", "rejected", "cancelled")
DECISION_TYPES = ("authorisation", "agreement", "vote", "referendum", "rejection")
LANGUAGES = ("es", "en")  # our_translation: which language's text is Footprint's own translation
DATE_MIN, DATE_MAX = _dt.date(1900, 1, 1), _dt.date(2030, 12, 31)  # any date outside is a typo
PRECISIONS = ("day", "month", "year")
SERVICES = ("Army", "Navy", "Air Force", "Marine Corps", "Space Force", "Coast Guard")
MAX_BYTES = 200_000  # a deployment file is a page of text; anything larger is refused unread

REQUIRED = ("id", "name", "kind", "status", "iso3", "start", "date_precision", "summary", "sources")
OPTIONAL = ("end", "end_precision", "organiser", "services", "personnel_max", "purpose", "places",
            "detachments", "claims", "name_es", "summary_es", "our_translation", "related", "decision", "personnel")
# Files written before the bilingual format could lack summary_es; all of them now have Spanish text (issue 11), so
# the list is empty and every record must have a Spanish summary. Kept so a record can be let in temporarily.
LEGACY_IDS: frozenset[str] = frozenset()
ATTRIBUTION = ("source_id", "attributed_to")  # every claim carries both


def _is_date_text(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _context_dates(frame: pd.DataFrame, label: str) -> list[Problem]:
    problems = []
    for line, start, end in zip(frame.index, frame["start"], frame["end"]):
        if not pd.isna(end) and end < start:
            problems.append(Problem(label, int(line), "end", "is before start"))
    return problems


def _known_country(value: str) -> str | None:
    from .countries import is_known

    return None if is_known(value) else f"unknown country code {value!r}"


CONTEXT_SPEC = TableSpec(
    name="context_events",
    file=CONTEXT_FILE,
    columns=(
        Col("iso3", check=_known_country, doc="the country the event happened in"),
        Col("start", "date", doc="first day of the event (of its month or year, per date_precision)"),
        Col("end", "date", required=False, doc="last day, if the event spans a period"),
        Col("date_precision", allowed=frozenset(PRECISIONS)),
        Col("title"),
        Col("title_es", required=False, doc="the title in Spanish (Footprint's own translation)"),
        Col("description"),
        Col("description_es", required=False, doc="the description in Spanish (Footprint's own translation)"),
        Col("attributed_to", doc="who the source attributes the fact to ('article' = the source itself)"),
        Col("source_id"),
    ),
    key=("iso3", "start", "title"),
    doc="Political context for a country's timeline, each event attributed as its source reports it.",
    table_checks=(_context_dates,),
    filters={"country": "iso3"},
)

TABLES = [CONTEXT_SPEC]

COLUMNS = ["id", "file", "name", "kind", "status", "iso3", "start", "end", "date_precision", "end_precision",
           "personnel_max", "personnel_attributed_to", "personnel_source_id", "personnel_detail", "organiser",
           "services", "purpose", "purpose_attributed_to", "summary", "sources", "places", "detachments",
           "claims", "name_es", "summary_es", "purpose_es", "our_translation", "related", "decision", "personnel",
           "attestations"]
TEXT_COLUMNS = ("id", "file", "name", "kind", "status", "iso3", "date_precision", "end_precision",
                "personnel_attributed_to", "personnel_source_id", "personnel_detail", "organiser", "services",
                "purpose", "purpose_attributed_to", "summary", "name_es", "summary_es", "purpose_es", "our_translation")


# --------------------------------------------------------------------------------------------- reading ---

def _line_map(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map every path (tuple of keys / list indexes) in the YAML document to its 1-based line number."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            out[path + (key,)] = key_node.start_mark.line + 1
            _line_map(value_node, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, path + (i,), out)
    return out


def _field_name(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _FileChecker:
    """Collects problems for one file, each with the line of the offending field."""

    def __init__(self, label: str, lines: dict[tuple, int]):
        self.label = label
        self.lines = lines
        self.problems: list[Problem] = []
        self.cited: set[str] = set()  # sources whose completeness was already checked for this file
        self.attested: list[q.Attestation] = []  # every figure and attributed text, with its quote (or why not)

    def line(self, path: tuple) -> int | None:
        """The field's line; for a missing field, its parent's line (for a missing top-level field, the line
        where the document's mapping starts)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def add(self, path: tuple, rule: str) -> None:
        self.problems.append(Problem(self.label, self.line(path), _field_name(path), rule))


def _resolve_inside(path: Path, data_dir: Path) -> Path:
    folder = (Path(data_dir) / FOLDER).resolve()
    real = Path(path).resolve()
    if folder not in real.parents or real.suffix != ".yaml":
        label = f"{FOLDER}/{path.name}" if path.parent.resolve() == folder else str(path)
        raise DataError([Problem(label, None, "", f"refusing to read a file outside {FOLDER}/ or not .yaml")])
    return real


def _read_yaml(path: Path, label: str) -> tuple[Any, dict[tuple, int], list[Problem]]:
    # Size first (stat), so a huge file is refused without reading it; then read at most MAX_BYTES + 1 bytes,
    # in case the file grew in between.
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, {}, [Problem(label, None, "", "not a regular file")]
        if info.st_size > MAX_BYTES:
            return None, {}, [Problem(label, None, "", f"file is larger than {MAX_BYTES} bytes")]
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, {}, [Problem(label, None, "", f"cannot be read ({exc.strerror or exc})")]
    if len(raw) > MAX_BYTES:
        return None, {}, [Problem(label, None, "", f"file is larger than {MAX_BYTES} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, {}, [Problem(label, raw[: exc.start].count(b"\n") + 1, "", "not valid UTF-8 text")]
    try:
        refused = yaml_refusal(text)  # too deeply nested, or aliases ("billion laughs")
        if refused:
            return None, {}, [Problem(label, refused[0], "", refused[1])]
        node = yaml.compose(text, Loader=SAFE_LOADER)  # nodes only: no Python objects are built
        lines = _line_map(node) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, {}, [Problem(label, None if mark is None else mark.line + 1, "",
                                  f"not valid YAML ({getattr(exc, 'problem', None) or exc})")]
    except RecursionError:
        return None, {}, [Problem(label, None, "", "not valid YAML (nested too deeply)")]
    try:
        doc = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (the safe constructor)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, lines, [Problem(label, None if mark is None else mark.line + 1, "",
                                     f"not valid YAML ({getattr(exc, 'problem', None) or exc})")]
    except RecursionError:
        return None, lines, [Problem(label, None, "", "not valid YAML (nested too deeply)")]
    except ValueError:
        # An unquoted date that looks like a date but is not one (2023-13-01) makes safe_load fail while
        # building the value; find it in the node tree to name its field and line.
        problems = [Problem(label, line, _field_name(p), f"not a real date: {_node_at(node, p).value!r}")
                    for p, line in sorted(lines.items(), key=lambda kv: kv[1])
                    if _bad_date_scalar(node, p)]
        return None, lines, problems or [Problem(label, None, "", "a value could not be read (bad date?)")]
    return doc, lines, []


def _node_at(node: yaml.Node, path: tuple) -> yaml.Node | None:
    for part in path:
        if isinstance(node, yaml.MappingNode) and not isinstance(part, int):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node


def _bad_date_scalar(root: yaml.Node, path: tuple) -> bool:
    node = _node_at(root, path)
    if not isinstance(node, yaml.ScalarNode) or node.style:  # quoted scalars stay text (plain: None, or '' from libyaml)
        return False
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", node.value)
    if not m:
        return False
    try:
        _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return True
    return False


# -------------------------------------------------------------------------------------------- checking ---

def _text(fc: _FileChecker, value: Any, path: tuple, required: bool = True) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            fc.add(path, "required")
        return None
    if not isinstance(value, str):
        fc.add(path, f"must be text, got {type(value).__name__}")
        return None
    return value.strip()


def _date(fc: _FileChecker, value: Any, path: tuple) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        fc.add(path, "must be a date YYYY-MM-DD without a time")
        return None
    date = None
    if isinstance(value, _dt.date):
        date = value
    elif isinstance(value, str) and _is_date_text(value.strip()):
        try:
            date = _dt.date.fromisoformat(value.strip())
        except ValueError:
            fc.add(path, f"not a real date: {value.strip()!r}")
            return None
    else:
        fc.add(path, f"must be a date YYYY-MM-DD, got {str(value)[:40]!r}")
        return None
    if not DATE_MIN <= date <= DATE_MAX:
        fc.add(path, f"date {date.isoformat()} is outside {DATE_MIN.isoformat()}..{DATE_MAX.isoformat()}")
        return None
    return date


def _count(fc: _FileChecker, value: Any, path: tuple) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        fc.add(path, f"must be a whole number as reported (no text, no 0 for 'not reported'), got {str(value)[:40]!r}")
        return None
    if value < 0:
        fc.add(path, f"must not be negative, got {value}")
        return None
    if value > MAX_ABS_NUMBER:
        fc.add(path, f"implausibly large number {str(value)[:40]}")
        return None
    return value


def _precision_fits(fc: _FileChecker, date: _dt.date | None, precision: str | None, path: tuple, end: bool) -> None:
    """With month/year precision a start is the first day of its month/year and an end the last day."""
    if date is None or precision not in ("month", "year"):
        return
    if end:
        last = calendar.monthrange(date.year, date.month)[1]
        ok = date.day == last and (precision == "month" or date.month == 12)
        want = "the last day of the " + precision
    else:
        ok = date.day == 1 and (precision == "month" or date.month == 1)
        want = "the first day of the " + precision
    if not ok:
        fc.add(path, f"with {precision} precision, write {want} (got {date.isoformat()})")


def _attribution(fc: _FileChecker, item: dict, path: tuple, sources: dict[str, Source]) -> dict:
    out = {}
    for key in ATTRIBUTION:
        out[key] = _text(fc, item.get(key), path + (key,))
    sid = out["source_id"]
    if sid is not None and sources and sid not in sources:
        fc.add(path + ("source_id",), f"unknown source {sid!r} (not in sources.yaml)")
    elif sid is not None and sid in sources and sid not in fc.cited:
        fc.cited.add(sid)  # each cited source's block is checked once per file, at its first citation
        block = sources[sid]
        missing = [f for f in RECORD_FIELDS if not getattr(block, f)]
        if missing:
            fc.add(path + ("source_id",), f"source {sid!r} lacks {', '.join(missing)} in sources.yaml "
                                          "(required for a source a deployment record cites)")
        for f in RECORD_FIELDS:
            value = getattr(block, f)
            rule = (None if not value else
                    (None if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else f"must be an ISO date, got {value[:40]!r}")
                    if f == "accessed" else field_rule(f, value))
            if rule:
                fc.add(path + ("source_id",), f"source {sid!r} in sources.yaml, {f}: {rule}")
    return out


def _mapping_list(fc: _FileChecker, value: Any, path: tuple, required: bool = False) -> list[tuple[int, dict]]:
    if value is None:
        if required:
            fc.add(path, "required")
        return []
    if not isinstance(value, list):
        fc.add(path, "must be a list")
        return []
    if required and not value:
        fc.add(path, "must list at least one entry")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            fc.add(path + (i,), "must be a mapping")
        else:
            out.append((i, item))
    return out


def _unknown_keys(fc: _FileChecker, item: dict, allowed: tuple[str, ...], path: tuple) -> None:
    for key in item:
        if key not in allowed:
            fc.add(path + (str(key),), f"unknown field (allowed: {', '.join(allowed)})")


def check_document(doc: Any, label: str, stem: str, lines: dict[tuple, int], sources: dict[str, Source],
                   geocoder: CachedGeocoder | None) -> tuple[dict | None, list[Problem]]:
    """Validate one parsed deployment file; return (row for the table, or None when it has problems; problems)."""
    row, problems = read_record(doc, label, stem, lines, sources, geocoder)
    return (None if problems else row), problems


def read_record(doc: Any, label: str, stem: str, lines: dict[tuple, int], sources: dict[str, Source],
                geocoder: CachedGeocoder | None) -> tuple[dict | None, list[Problem]]:
    """Validate one parsed deployment file; return (what could be read of it, problems)."""
    from .countries import is_known

    fc = _FileChecker(label, lines)
    if not isinstance(doc, dict):
        fc.problems.append(Problem(label, lines.get(()), "", "the file must be a YAML mapping of field: value"))
        return None, fc.problems
    _unknown_keys(fc, doc, REQUIRED + OPTIONAL, ())

    row: dict[str, Any] = {c: None for c in COLUMNS}
    row["file"] = f"{FOLDER}/{stem}.yaml"
    ident = _text(fc, doc.get("id"), ("id",))
    if ident is not None:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ident):
            fc.add(("id",), "must be lower-case letters, digits and hyphens")
        elif ident != stem:
            fc.add(("id",), f"must equal the file name ({stem!r})")
    row["id"] = ident
    row["name"] = _text(fc, doc.get("name"), ("name",))
    row["summary"] = _text(fc, doc.get("summary"), ("summary",))
    row["organiser"] = _text(fc, doc.get("organiser"), ("organiser",), required=False)
    row["name_es"] = _text(fc, doc.get("name_es"), ("name_es",), required=False)
    row["summary_es"] = _text(fc, doc.get("summary_es"), ("summary_es",),
                              required=ident is None or ident not in LEGACY_IDS)
    row["our_translation"] = _text(fc, doc.get("our_translation"), ("our_translation",),
                                   required=doc.get("summary_es") is not None)
    if row["our_translation"] is not None and row["our_translation"] not in LANGUAGES:
        fc.add(("our_translation",), f"must be one of {', '.join(LANGUAGES)} (the language Footprint translated "
                                     f"into); got {row['our_translation'][:40]!r}")

    for key, allowed in (("kind", KINDS), ("status", STATUSES), ("date_precision", PRECISIONS)):
        value = _text(fc, doc.get(key), (key,), required=key in REQUIRED)
        if value is not None and value not in allowed:
            fc.add((key,), f"must be one of {', '.join(allowed)}; got {value[:40]!r}")
            value = None
        row[key] = value
    end_precision = _text(fc, doc.get("end_precision"), ("end_precision",), required=False)
    if end_precision is not None and end_precision not in PRECISIONS:
        fc.add(("end_precision",), f"must be one of {', '.join(PRECISIONS)}; got {end_precision[:40]!r}")
        end_precision = None
    row["end_precision"] = end_precision or row["date_precision"]
    if (row["kind"] == "proposed") != (row["status"] == "proposed") and row["kind"] and row["status"]:
        fc.add(("status",), "kind 'proposed' and status 'proposed' go together")

    iso3 = _text(fc, doc.get("iso3"), ("iso3",))
    if iso3 is not None and not is_known(iso3):
        fc.add(("iso3",), f"unknown country code {iso3!r}")
        iso3 = None
    row["iso3"] = iso3

    if doc.get("start") is None:
        fc.add(("start",), "required")
    start = _date(fc, doc.get("start"), ("start",)) if doc.get("start") is not None else None
    end = _date(fc, doc.get("end"), ("end",)) if doc.get("end") is not None else None
    _precision_fits(fc, start, row["date_precision"], ("start",), end=False)
    _precision_fits(fc, end, row["end_precision"], ("end",), end=True)
    if start is not None and end is not None and end < start:
        fc.add(("end",), f"is before start ({end.isoformat()} < {start.isoformat()})")
    row["start"], row["end"] = start, end

    services = doc.get("services")
    if services is not None:
        if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
            fc.add(("services",), "must be a list of service names")
            services = None
        else:
            for i, s in enumerate(services):
                if s not in SERVICES:
                    fc.add(("services", i), f"must be one of {', '.join(SERVICES)}; got {s[:40]!r}")
    row["services"] = "; ".join(services) if services else None

    # Every claim below carries source_id + attributed_to.
    srcs = []
    for i, item in _mapping_list(fc, doc.get("sources"), ("sources",), required=True):
        _unknown_keys(fc, item, ATTRIBUTION + ("detail",), ("sources", i))
        a = _attribution(fc, item, ("sources", i), sources)
        srcs.append({**a, "detail": _text(fc, item.get("detail"), ("sources", i, "detail"), required=False)})
    row["sources"] = srcs

    pm = doc.get("personnel_max")
    if pm is not None:
        if not isinstance(pm, dict):
            fc.add(("personnel_max",), "must be a mapping: value, source_id, attributed_to, detail")
        else:
            _unknown_keys(fc, pm, ("value",) + ATTRIBUTION + ("detail",) + q.QUOTE_KEYS, ("personnel_max",))
            if pm.get("value") is None:
                fc.add(("personnel_max", "value"), "required (leave personnel_max out when not reported)")
            row["personnel_max"] = _count(fc, pm.get("value"), ("personnel_max", "value"))
            a = _attribution(fc, pm, ("personnel_max",), sources)
            row["personnel_source_id"], row["personnel_attributed_to"] = a["source_id"], a["attributed_to"]
            row["personnel_detail"] = _text(fc, pm.get("detail"), ("personnel_max", "detail"), required=False)
            _attest(fc, pm, ("personnel_max",), "figure", {"value": row["personnel_max"]},
                                               a["source_id"], sources)

    figures = []  # several attributed figures where sources disagree
    for i, item in _mapping_list(fc, doc.get("personnel"), ("personnel",)):
        path = ("personnel", i)
        _unknown_keys(fc, item, ("value",) + ATTRIBUTION + ("detail", "date") + q.QUOTE_KEYS, path)
        if item.get("value") is None:
            fc.add(path + ("value",), "required (leave the figure out when not reported)")
        date = _date(fc, item["date"], path + ("date",)) if item.get("date") is not None else None
        fig = {"value": _count(fc, item.get("value"), path + ("value",)),
               **_attribution(fc, item, path, sources),
               "detail": _text(fc, item.get("detail"), path + ("detail",), required=False),
               "date": date.isoformat() if date else None}
        _attest(fc, item, path, "figure", {"value": fig["value"]}, fig["source_id"], sources)
        figures.append(fig)
    row["personnel"] = figures
    reported = [f for f in figures if f["value"] is not None]
    if pm is None and reported:  # the map and timeline read personnel_max: the largest reported figure
        top = max(reported, key=lambda f: f["value"])
        row["personnel_max"] = top["value"]
        row["personnel_source_id"], row["personnel_attributed_to"] = top["source_id"], top["attributed_to"]
        row["personnel_detail"] = top["detail"]

    purpose = doc.get("purpose")
    if purpose is not None:
        if not isinstance(purpose, dict):
            fc.add(("purpose",), "must be a mapping: text, text_es, source_id, attributed_to")
        else:
            _unknown_keys(fc, purpose, ("text", "text_es") + ATTRIBUTION + q.QUOTE_KEYS, ("purpose",))
            row["purpose"] = _text(fc, purpose.get("text"), ("purpose", "text"))
            row["purpose_es"] = _text(fc, purpose.get("text_es"), ("purpose", "text_es"), required=False)
            a = _attribution(fc, purpose, ("purpose",), sources)
            row["purpose_attributed_to"] = a["attributed_to"]
            _attest(fc, purpose, ("purpose",), "text", {}, a["source_id"], sources)

    claims = []
    for i, item in _mapping_list(fc, doc.get("claims"), ("claims",)):
        _unknown_keys(fc, item, ("about", "text", "text_es", "date") + ATTRIBUTION + q.QUOTE_KEYS, ("claims", i))
        date = _date(fc, item["date"], ("claims", i, "date")) if item.get("date") is not None else None
        claim = {"about": _text(fc, item.get("about"), ("claims", i, "about")),
                 "text": _text(fc, item.get("text"), ("claims", i, "text")),
                 "text_es": _text(fc, item.get("text_es"), ("claims", i, "text_es"), required=False),
                 "date": date.isoformat() if date else None,
                 **_attribution(fc, item, ("claims", i), sources)}
        _attest(fc, item, ("claims", i), "text", {}, claim["source_id"], sources)
        claims.append(claim)
    row["claims"] = claims

    dets = []
    for i, item in _mapping_list(fc, doc.get("detachments"), ("detachments",)):
        path = ("detachments", i)
        _unknown_keys(fc, item, ("name",) + DETACHMENT_COUNTS + ("description", "description_es") + ATTRIBUTION
                      + q.QUOTE_KEYS, path)
        det = {"name": _text(fc, item.get("name"), path + ("name",)),
               **{k: _count(fc, item.get(k), path + (k,)) for k in DETACHMENT_COUNTS},
               "description": _text(fc, item.get("description"), path + ("description",), required=False),
               "description_es": _text(fc, item.get("description_es"), path + ("description_es",), required=False),
               **_attribution(fc, item, path, sources)}
        if det["personnel"] is None and det["description"] is None and item.get("personnel") is None:
            fc.add(path, "give personnel or a description")
        counts = {k: det[k] for k in DETACHMENT_COUNTS}
        _attest(fc, item, path, "figure" if any(v is not None for v in counts.values()) else "text", counts,
                det["source_id"], sources)
        dets.append(det)
    total = sum(d["personnel"] for d in dets if d["personnel"] is not None)
    if row["personnel_max"] is not None and total > row["personnel_max"]:
        fc.add(("detachments",), f"detachments add up to {total}, more than personnel_max {row['personnel_max']}")
    row["detachments"] = dets

    places = []
    for i, item in _mapping_list(fc, doc.get("places"), ("places",)):
        path = ("places", i)
        _unknown_keys(fc, item, ("name", "query"), path)
        name = _text(fc, item.get("name"), path + ("name",))
        query = _text(fc, item.get("query"), path + ("query",), required=False)
        lat = lon = None
        if query is not None and geocoder is not None:
            hit = geocoder.lookup(query)
            if hit is None:
                fc.add(path + ("query",), f"{query!r} has no reviewed, located entry in {CACHE_FILE}")
            else:
                lat, lon = hit.lat, hit.lon
        places.append({"name": name, "query": query, "lat": lat, "lon": lon})
    row["places"] = places

    related = doc.get("related")
    row["related"] = []
    if related is not None:
        if not isinstance(related, list):
            fc.add(("related",), "must be a list of record ids")
        for i, rid in enumerate(related if isinstance(related, list) else []):
            if not isinstance(rid, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rid):
                fc.add(("related", i), f"must be a record id (a file name without .yaml), got {str(rid)[:40]!r}")
            elif rid == ident:
                fc.add(("related", i), "a record cannot be related to itself")
            else:
                row["related"].append(rid)  # that each exists is checked across files by load_deployments
    if doc.get("decision") is not None and row["kind"] != "decision":
        fc.add(("decision",), f"decision fields go only with kind decision (this record's kind is {row['kind']!r})")
    elif row["kind"] == "decision":
        row["decision"] = _decision(fc, doc.get("decision"), sources)
    for path, rule in q.record_issues(fc.attested, _texts(doc, OWN_TEXT_KEYS), _texts(doc, None)):
        fc.add(path, rule)
    row["attestations"] = [{"field": _field_name(a.path), "path": list(a.path), "line": fc.line(a.path), "kind": a.kind,
                            "numbers": a.numbers,
                            "source_id": a.source_id, **a.as_dict()} for a in fc.attested]
    return row, fc.problems


DETACHMENT_COUNTS = ("personnel", "aircraft", "ships")
OWN_TEXT_KEYS = ("summary", "summary_es", "text", "text_es", "detail", "description", "description_es")


def _texts(doc: Any, keys: tuple[str, ...] | None, path: tuple = ()) -> list[tuple[tuple, str]]:
    """(path, text) of every text of ours in the record: the fields named ``keys``, or with ``keys`` None every
    Spanish field (``*_es``). Quotes are the source's words and are skipped."""
    out: list[tuple[tuple, str]] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key == "quote":
                continue
            if isinstance(value, str) and isinstance(key, str) and (
                    key.endswith("_es") if keys is None else key in keys):
                out.append((path + (key,), value))
            else:
                out.extend(_texts(value, keys, path + (key,)))
    elif isinstance(doc, list):
        for i, item in enumerate(doc):
            out.extend(_texts(item, keys, path + (i,)))
    return out


def _attest(fc: _FileChecker, item: dict, path: tuple, kind: str, numbers: dict[str, int | None],
            source_id: str | None, sources: dict[str, Source]) -> None:
    """Read and check the quote (or unverified reason, or derivation) of one mapping; keep it for the record's
    ``attestations`` column (looked up by field name, e.g. ``decision.vote``) and the whole-record rules."""
    att, issues = q.read_attestation(item, path, kind, numbers, source_id)
    source = sources.get(source_id) if source_id else None
    issues += q.mapping_issues(att, item, getattr(source, "language", None) or None)
    for where, rule in issues:
        fc.add(where, rule)
    fc.attested.append(att)


def _attributed_text(fc: _FileChecker, value: Any, path: tuple, sources: dict[str, Source]) -> dict | None:
    """{text, text_es, source_id, attributed_to}: a reported statement in the source's words (paraphrased)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        fc.add(path, "must be a mapping: text, text_es, source_id, attributed_to")
        return None
    _unknown_keys(fc, value, ("text", "text_es") + ATTRIBUTION + q.QUOTE_KEYS, path)
    out = {"text": _text(fc, value.get("text"), path + ("text",)),
           "text_es": _text(fc, value.get("text_es"), path + ("text_es",), required=False),
           **_attribution(fc, value, path, sources)}
    _attest(fc, value, path, "text", {}, out["source_id"], sources)
    return out


DECISION_FIELDS = ("type", "body", "body_es", "instrument", "decided", "vote", "period", "us_personnel_authorised",
                   "regions", "weapons", "result")


def _decision(fc: _FileChecker, value: Any, sources: dict[str, Source]) -> dict | None:
    """The ``decision`` mapping of a record of kind decision (a host country's authorisation, agreement, vote,
    referendum or rejection)."""
    path = ("decision",)
    if value is None:
        fc.add(path, "required with kind decision (at least type and body)")
        return None
    if not isinstance(value, dict):
        fc.add(path, "must be a mapping: " + ", ".join(DECISION_FIELDS))
        return None
    _unknown_keys(fc, value, DECISION_FIELDS, path)
    out: dict[str, Any] = {}
    kind = _text(fc, value.get("type"), path + ("type",))
    if kind is not None and kind not in DECISION_TYPES:
        fc.add(path + ("type",), f"must be one of {', '.join(DECISION_TYPES)}; got {kind[:40]!r}")
    out["type"] = kind
    out["body"] = _text(fc, value.get("body"), path + ("body",))
    out["body_es"] = _text(fc, value.get("body_es"), path + ("body_es",), required=False)
    out["instrument"] = _text(fc, value.get("instrument"), path + ("instrument",), required=False)
    decided = _date(fc, value["decided"], path + ("decided",)) if value.get("decided") is not None else None
    out["decided"] = decided.isoformat() if decided else None

    vote = value.get("vote")
    out["vote"] = None
    if vote is not None:
        vpath = path + ("vote",)
        if not isinstance(vote, dict):
            fc.add(vpath, "must be a mapping: in_favour, against, abstentions, source_id, attributed_to")
        else:
            _unknown_keys(fc, vote, ("in_favour", "against", "abstentions") + ATTRIBUTION + q.QUOTE_KEYS, vpath)
            counts = {k: _count(fc, vote.get(k), vpath + (k,)) for k in ("in_favour", "against", "abstentions")}
            if vote.get("in_favour") is None:
                fc.add(vpath + ("in_favour",), "required (leave vote out when not reported)")
            out["vote"] = {**counts, **_attribution(fc, vote, vpath, sources)}
            _attest(fc, vote, vpath, "figure", counts, out["vote"]["source_id"], sources)

    period = value.get("period")
    out["period"] = None
    if period is not None:
        ppath = path + ("period",)
        if not isinstance(period, dict):
            fc.add(ppath, "must be a mapping: start, end")
        else:
            _unknown_keys(fc, period, ("start", "end"), ppath)
            bounds = {}
            for k in ("start", "end"):
                if period.get(k) is None:
                    fc.add(ppath + (k,), "required")
                    bounds[k] = None
                else:
                    bounds[k] = _date(fc, period[k], ppath + (k,))
            if bounds["start"] and bounds["end"] and bounds["end"] < bounds["start"]:
                fc.add(ppath + ("end",), f"is before start ({bounds['end']} < {bounds['start']})")
            out["period"] = {k: (v.isoformat() if v else None) for k, v in bounds.items()}

    auth = value.get("us_personnel_authorised")
    out["us_personnel_authorised"] = None
    if auth is not None:
        apath = path + ("us_personnel_authorised",)
        if not isinstance(auth, dict):
            fc.add(apath, "must be a mapping: value, source_id, attributed_to, detail")
        else:
            _unknown_keys(fc, auth, ("value",) + ATTRIBUTION + ("detail",) + q.QUOTE_KEYS, apath)
            if auth.get("value") is None:
                fc.add(apath + ("value",), "required (leave us_personnel_authorised out when not reported)")
            fig = {"value": _count(fc, auth.get("value"), apath + ("value",)), **_attribution(fc, auth, apath, sources),
                   "detail": _text(fc, auth.get("detail"), apath + ("detail",), required=False)}
            _attest(fc, auth, apath, "figure", {"value": fig["value"]}, fig["source_id"], sources)
            out["us_personnel_authorised"] = fig

    regions = value.get("regions")
    out["regions"] = []
    if regions is not None:
        if not isinstance(regions, list) or not all(isinstance(r, str) and r.strip() for r in regions):
            fc.add(path + ("regions",), "must be a list of region names")
        else:
            out["regions"] = [r.strip() for r in regions]
    out["weapons"] = _attributed_text(fc, value.get("weapons"), path + ("weapons",), sources)
    out["result"] = _attributed_text(fc, value.get("result"), path + ("result",), sources)
    return out


def _deployment_files(data_dir: Path) -> list[Path]:
    folder = Path(data_dir) / FOLDER
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) if folder.is_dir() else []


def load_file(path: Path | str, data_dir: Path, sources: dict[str, Source],
              geocoder: CachedGeocoder | None = None) -> tuple[dict | None, list[Problem]]:
    """Read and check one deployment file (which must be inside ``data_dir/deployments``)."""
    real = _resolve_inside(Path(path), data_dir)
    label = f"{FOLDER}/{real.name}"
    doc, lines, problems = _read_yaml(real, label)
    if problems:
        return None, problems
    return check_document(doc, label, real.stem, lines, sources, geocoder)


def _geocoder(data_dir: Path) -> tuple[CachedGeocoder | None, list[Problem]]:
    try:
        return CachedGeocoder(Path(data_dir) / CACHE_FILE), []
    except DataError as exc:
        return None, exc.problems


def load_deployments(data_dir: Path, sources: dict[str, Source] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Every valid deployment file as one row, and the problems of the files that are not valid."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    if sources is None:
        sources, _ = read_sources(data_dir / "sources.yaml")
    geocoder, geo_problems = _geocoder(data_dir)
    problems.extend(geo_problems)
    rows = []
    seen: dict[str, str] = {}
    files = _deployment_files(data_dir)
    existing = {p.stem for p in files}
    for path in files:
        try:
            row, file_problems = load_file(path, data_dir, sources, geocoder)
        except DataError as exc:  # e.g. a symlink pointing outside the folder
            problems.extend(exc.problems)
            continue
        problems.extend(file_problems)
        if row is None:
            continue
        unknown = [(i, rid) for i, rid in enumerate(row["related"]) if rid not in existing]
        if unknown:  # every related id must name a file in the folder
            label = row["file"]
            _, lines, _ = _read_yaml(_resolve_inside(path, data_dir), label)
            problems.extend(Problem(label, lines.get(("related", i)), f"related[{i}]",
                                    f"unknown record id {rid!r} (no deployments/{rid}.yaml)") for i, rid in unknown)
            continue
        if row["id"] in seen:
            problems.append(Problem(row["file"], None, "id", f"duplicate id, also in {seen[row['id']]}"))
            continue
        seen[row["id"]] = row["file"]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col].astype(object), errors="raise").astype("datetime64[s]")
    frame["personnel_max"] = frame["personnel_max"].astype("Int64")
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].astype("str").where(frame[col].notna(), None) if len(frame) else frame[col].astype("str")
    return frame.reset_index(drop=True), problems


def detachments_frame(deployments: pd.DataFrame) -> pd.DataFrame:
    """One row per detachment, for charts: deployment id and name, detachment name, personnel, aircraft,
    description, attributed_to, source_id."""
    rows = [{"deployment_id": dep["id"], "deployment": dep["name"], "iso3": dep["iso3"], **det}
            for _, dep in deployments.iterrows() for det in (dep["detachments"] or [])]
    cols = ["deployment_id", "deployment", "iso3", "name", "personnel", "aircraft", "description",
            "attributed_to", "source_id"]
    frame = pd.DataFrame(rows, columns=cols)
    for col in ("personnel", "aircraft"):
        frame[col] = frame[col].astype("Int64")
    return frame


def places_frame(deployments: pd.DataFrame) -> pd.DataFrame:
    """One row per located or unlocated place of every deployment, for maps."""
    rows = [{"deployment_id": dep["id"], "deployment": dep["name"], "kind": dep["kind"], "status": dep["status"],
             "iso3": dep["iso3"], **pl}
            for _, dep in deployments.iterrows() for pl in (dep["places"] or [])]
    cols = ["deployment_id", "deployment", "kind", "status", "iso3", "name", "query", "lat", "lon"]
    frame = pd.DataFrame(rows, columns=cols)
    for col in ("lat", "lon"):
        frame[col] = frame[col].astype("Float64")
    return frame


def load_context(data_dir: Path) -> pd.DataFrame:
    frame, problems = read_table(Path(data_dir) / CONTEXT_FILE, CONTEXT_SPEC)
    if problems:
        raise DataError(problems)
    assert frame is not None
    return frame


def _figure_text(value, attributed_to, detail) -> str:
    return f"{int(value):,}" + (f" ({detail})" if detail else "") + f", attributed to {attributed_to}"


def show_frame(data_dir: Path, country: str | None = None, year: int | None = None) -> pd.DataFrame:
    """The records of a country and year for ``python -m loaders show deployments``: dates, every personnel figure
    as reported with its attribution, a decision's vote and period, and the URL of every source. A record matches a
    year when its start-end span (or, for a decision, the period it authorises) covers any day of that year."""
    data_dir = Path(data_dir)
    sources, _ = read_sources(data_dir / "sources.yaml")
    frame, _ = load_deployments(data_dir, sources)  # valid records only; `check` reports the others
    rows = []
    for d in frame.itertuples(index=False):
        if country and str(d.iso3).upper() != country.upper():
            continue
        dec = d.decision or {}
        spans = [(d.start.year, (d.end if pd.notna(d.end) else d.start).year)]
        if dec.get("period"):
            spans.append((int(dec["period"]["start"][:4]), int(dec["period"]["end"][:4])))
        if year is not None and not any(a <= year <= b for a, b in spans):
            continue
        figures = [_figure_text(f["value"], f["attributed_to"], f["detail"]) for f in d.personnel or []
                   if f["value"] is not None]
        listed = {(f["value"], f["source_id"]) for f in d.personnel or []}
        if pd.notna(d.personnel_max) and (int(d.personnel_max), d.personnel_source_id) not in listed:
            figures.insert(0, _figure_text(d.personnel_max, d.personnel_attributed_to, d.personnel_detail))
        for det in d.detachments or []:
            if det["personnel"] is not None:
                figures.append(_figure_text(det["personnel"], det["attributed_to"], f"detachment: {det['name']}"))
        auth = dec.get("us_personnel_authorised")
        if auth and auth.get("value") is not None:
            figures.append(_figure_text(auth["value"], auth["attributed_to"], "US personnel authorised"))
        vote = dec.get("vote") or {}
        ids = list(dict.fromkeys(s["source_id"] for s in d.sources or []))
        rows.append({
            "id": d.id, "name": d.name, "kind": d.kind, "status": d.status, "iso3": d.iso3,
            "start": d.start, "end": d.end, "date_precision": d.date_precision,
            "personnel_as_reported": " | ".join(figures),
            "decision": "; ".join(x for x in (dec.get("instrument"), dec.get("decided") and f"decided {dec['decided']}",
                                               dec.get("period") and f"period {dec['period']['start']} to {dec['period']['end']}",
                                               vote and "vote " + "-".join(str(vote.get(k)) for k in ("in_favour", "against", "abstentions")
                                                                           if vote.get(k) is not None)) if x),
            "related": "; ".join(d.related or []),
            "source_ids": "; ".join(ids),
            "source_urls": " ".join(sources[i].url for i in ids if i in sources),
        })
    cols = ["id", "name", "kind", "status", "iso3", "start", "end", "date_precision", "personnel_as_reported",
            "decision", "related", "source_ids", "source_urls"]
    return pd.DataFrame(rows, columns=cols).sort_values(["start", "id"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------------- Spanish text ---

MISSING_ES = "no Spanish text for {en} (the app shows the English, marked '(en inglés)')"


def _blank(value: Any) -> bool:
    return value is None or not isinstance(value, str) or not value.strip()


def _spanish_pairs(doc: dict) -> list[tuple[tuple, tuple]]:
    """(path of an English text, path of its Spanish counterpart) for every translatable text a record has:
    summary, purpose, claims, detachment descriptions and a decision's weapons and result."""
    pairs: list[tuple[tuple, tuple]] = [(("summary",), ("summary_es",))]
    if isinstance(doc.get("purpose"), dict):
        pairs.append((("purpose", "text"), ("purpose", "text_es")))
    for key, en, es in (("claims", "text", "text_es"), ("detachments", "description", "description_es")):
        items = doc.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                pairs.append(((key, i, en), (key, i, es)))
    decision = doc.get("decision")
    if isinstance(decision, dict):
        for key in ("weapons", "result"):
            if isinstance(decision.get(key), dict):
                pairs.append((("decision", key, "text"), ("decision", key, "text_es")))
    return pairs


def _get(doc: Any, path: tuple) -> Any:
    for part in path:
        if isinstance(part, int):
            doc = doc[part] if isinstance(doc, list) and part < len(doc) else None
        else:
            doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


def record_spanish_gaps(doc: Any, label: str, lines: dict[tuple, int]) -> list[Problem]:
    """One problem per English text of a parsed record without its Spanish counterpart, at the English text's line."""
    if not isinstance(doc, dict):
        return []
    fc = _FileChecker(label, lines)
    for en, es in _spanish_pairs(doc):
        if not _blank(_get(doc, en)) and _blank(_get(doc, es)):
            fc.problems.append(Problem(label, fc.line(en), _field_name(es), MISSING_ES.format(en=_field_name(en))))
    return fc.problems


def table_spanish_gaps(frame: pd.DataFrame, label: str, fields: tuple[str, ...]) -> list[Problem]:
    """One problem per filled-in cell of ``fields`` whose ``<field>_es`` cell is empty (frame indexed by line)."""
    problems = []
    for line, row in frame.iterrows():
        for en in fields:
            if not _blank(row[en]) and _blank(row[f"{en}_es"]):
                problems.append(Problem(label, int(line), f"{en}_es", MISSING_ES.format(en=en)))
    return problems


def spanish_gaps(data_dir: Path) -> list[Problem]:
    """Every deployment-record text and context event without its Spanish text (files that do not read are left
    to ``extra_checks``). Listed by ``python -m loaders check`` as warnings, not problems."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    for path in _deployment_files(data_dir):
        try:
            real = _resolve_inside(path, data_dir)
        except DataError:
            continue
        label = f"{FOLDER}/{real.name}"
        doc, lines, read_problems = _read_yaml(real, label)
        if not read_problems:
            problems.extend(record_spanish_gaps(doc, label, lines))
    frame, _ = read_table(data_dir / CONTEXT_FILE, CONTEXT_SPEC)
    if frame is not None:
        problems.extend(table_spanish_gaps(frame, CONTEXT_FILE, ("title", "description")))
    return problems


def missing_spanish(frame: pd.DataFrame) -> list[str]:
    """Files of loaded records without a Spanish summary."""
    return sorted(frame.loc[frame["summary_es"].isna(), "file"].tolist())


def notes(data_dir: Path) -> list[str]:
    """Warnings that do not fail ``python -m loaders check``: deployment-record texts and context events that lack
    their Spanish text (``loaders.registry.notes`` adds reported figures and source caveats)."""
    return [f"warning: {p}" for p in spanish_gaps(Path(data_dir))]


def quote_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How the figures and attributed texts of the loaded records are backed: quoted, derived, unverified, missing."""
    out = {"quoted": 0, "derived": 0, "unverified": 0, "missing": 0}
    for atts in frame["attestations"]:
        for a in atts or []:
            out[a["status"]] += 1
    return out


def unverified_share_problems(frame: pd.DataFrame) -> list[Problem]:
    """At most one figure or text in ten may be unverified (MAX_UNVERIFIED_SHARE)."""
    counts = quote_counts(frame)
    total = sum(counts.values())
    if total and counts["unverified"] > q.MAX_UNVERIFIED_SHARE * total:
        return [Problem(FOLDER, None, "unverified", f"{counts['unverified']} of {total} figures and texts are "
                        f"unverified, more than {q.MAX_UNVERIFIED_SHARE:.0%}: quote the source's words")]
    return []


def quote_report(data_dir: Path) -> list[str]:
    """Lines for ``python -m loaders check``: a warning per figure or text without quote, unverified or derived
    (while :data:`quotes.MISSING_IS_PROBLEM` is off), then the counts."""
    frame, _ = load_deployments(Path(data_dir))
    lines = [f"warning: {Problem(row.file, a['line'], a['field'], q.NO_QUOTE)}"
             for row in frame.itertuples(index=False) for a in row.attestations or [] if a["status"] == "missing"]
    c = quote_counts(frame)
    lines.append(f"figures and texts: {sum(c.values())} in {len(frame)} records; quoted {c['quoted']}, derived "
                 f"{c['derived']}, unverified {c['unverified']}, missing {c['missing']}")
    return lines


def extra_checks(data_dir: Path, sources: dict[str, Source]) -> list[Problem]:
    """Every problem in the deployment files (called by ``python -m loaders check``)."""
    frame, problems = load_deployments(Path(data_dir), sources)
    return problems + unverified_share_problems(frame)
