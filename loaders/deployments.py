"""Named deployments, exercises and missions reported in open sources: one YAML file each in
``data/deployments/`` (the format is documented in ``data/deployments/README.md``), plus the curated
political-context timeline ``data/context_events.csv``.

The YAML files are read with the safe loader only (libyaml's when PyYAML has it, ``sources.SAFE_LOADER``) (line numbers for problems come from ``yaml.compose``,
which builds no Python objects) and only from inside ``data/deployments``.  They are loaded into a table in
memory, never written out as CSV.  :func:`extra_checks` reports every problem as
``deployments/<file>.yaml:<line> <field>: <rule>``.
"""
from __future__ import annotations

import datetime as _dt
import re
import stat
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .geocode import CACHE_FILE, CachedGeocoder
from .records import errors, rules
from .records import quotes as q
from .records import row as record_row
from .records.fields import PRECISIONS
from .records.row import COLUMNS
from .records.rules import LEGACY_IDS  # noqa: F401 (the exemption list, read by tests and docs here)
from .schema import Col, DataError, Problem, TableSpec, read_table
from .sources import SAFE_LOADER, Source, read_sources, yaml_refusal

FOLDER = "deployments"
CONTEXT_FILE = "context_events.csv"
CURATED = (CONTEXT_FILE,)

MAX_BYTES = 200_000  # a deployment file is a page of text; anything larger is refused unread
# The record format (data/deployments/README.md) is loaders.records.model; these name its top-level fields.
REQUIRED = ("id", "name", "kind", "status", "iso3", "start", "date_precision", "summary", "sources")
OPTIONAL = ("end", "end_precision", "organiser", "organiser_es", "services", "personnel_max", "purpose", "places",
            "detachments", "claims", "name_es", "summary_es", "our_translation", "related", "decision", "personnel")


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
        Col("attributed_to_es", required=False, doc="who it is attributed to, in Spanish (a name repeated as it is)"),
        Col("source_id"),
    ),
    key=("iso3", "start", "title"),
    doc="Political context for a country's timeline, each event attributed as its source reports it.",
    table_checks=(_context_dates,),
    filters={"country": "iso3"},
)

TABLES = [CONTEXT_SPEC]

TEXT_COLUMNS = ("id", "file", "name", "kind", "status", "iso3", "date_precision", "end_precision",
                "personnel_attributed_to", "personnel_attributed_to_es", "personnel_source_id", "personnel_detail",
                "personnel_detail_es", "organiser", "organiser_es", "services", "purpose", "purpose_attributed_to",
                "purpose_attributed_to_es", "summary", "name_es", "summary_es", "purpose_es", "our_translation")


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
        doc = yaml.load(text, Loader=SAFE_LOADER)
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

def check_document(doc: Any, label: str, stem: str, lines: dict[tuple, int], sources: dict[str, Source],
                   geocoder: CachedGeocoder | None) -> tuple[dict | None, list[Problem]]:
    """Validate one parsed deployment file; return (row for the table, or None when it has problems; problems)."""
    row, problems = read_record(doc, label, stem, lines, sources, geocoder)
    return (None if problems else row), problems


def read_record(doc: Any, label: str, stem: str, lines: dict[tuple, int], sources: dict[str, Source],
                geocoder: CachedGeocoder | None) -> tuple[dict | None, list[Problem]]:
    """Validate one parsed deployment file: its structure and types (:mod:`loaders.records.model`, problems named
    by :mod:`loaders.records.errors`), then the rules across fields (:mod:`loaders.records.rules`,
    :mod:`loaders.records.quotes`). Returns the row (None when the structure is wrong) and the problems, each at
    the line of its field."""
    fc = _FileChecker(label, lines)
    if not isinstance(doc, dict):
        fc.problems.append(Problem(label, lines.get(()), "", "the file must be a YAML mapping of field: value"))
        return None, fc.problems
    rec, issues = errors.validate(doc)
    if rec is None:
        for path, rule in issues:
            fc.add(path, rule)
        return None, fc.problems
    issues, coords, atts = rules.check(rec, doc, stem, sources, geocoder)
    for path, rule in issues:
        fc.add(path, rule)
    return record_row.build(rec, f"{FOLDER}/{stem}.yaml", coords, atts, fc.line, _field_name), fc.problems


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
    if isinstance(value, list):  # a list of names (a decision's regions)
        return not value
    return value is None or not isinstance(value, str) or not value.strip()


# The reader-facing texts of a record, by the key that holds them wherever they sit (top level, a source, a figure,
# a claim, a detachment, a place, the decision): each has its Spanish beside it as ``<key>_es``. A name of a thing
# that reads the same in Spanish (a place, a bill's title, an author) repeats it there, so a missing one is
# visible. Left out: the source's own words (``quote``: never translated), codes and dates.
TRANSLATED_KEYS = ("name", "summary", "organiser", "text", "description", "attributed_to", "detail", "body",
                   "instrument")
UNTRANSLATED_PARTS = ("quote", "derived")


def _spanish_pairs(doc: dict) -> list[tuple[tuple, tuple]]:
    """(path of an English text, path of its Spanish counterpart) for every reader-facing text a record has, in
    the file's order."""
    pairs: list[tuple[tuple, tuple]] = []

    def walk(node: Any, path: tuple) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TRANSLATED_KEYS and isinstance(value, str):
                    pairs.append((path + (key,), path + (f"{key}_es",)))
                elif key not in UNTRANSLATED_PARTS:
                    walk(value, path + (key,))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, path + (i,))

    walk(doc, ())
    decision = doc.get("decision")
    if isinstance(decision, dict) and isinstance(decision.get("regions"), list) and decision["regions"]:
        pairs.append((("decision", "regions"), ("decision", "regions_es")))  # the list, in the same order
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
        problems.extend(table_spanish_gaps(frame, CONTEXT_FILE, ("title", "description", "attributed_to")))
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
