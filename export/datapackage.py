"""Every table in one zip: the CSVs exactly as the dashboard reads them and offers them on the Sources page
(validated through their TableSpecs, formulas neutralised by export.csvfile.to_csv_bytes), a Frictionless Data
Package descriptor (``datapackage.json``: every resource with its path, every column's type, description and
rules from its TableSpec, the primary key, each resource's licence from REUSE.toml and its sources from
sources.yaml) and a README (README.md, README.es.md in Spanish) with the citation and what may be republished.

Layout of the zip (one top folder, so unzipping makes one folder)::

    footprint-data/datapackage.json
    footprint-data/README.md, README.es.md
    footprint-data/data/<table>.csv ...        (data/deployments.csv: one row per deployment file, lists flattened)
    footprint-data/data/sources.yaml           (every source's origin block)
    footprint-data/CHANGES.yaml                (what changed in each data version: changelog/data-changes.yaml)

No Streamlit here: the Sources page calls :func:`package_bytes` on click, the CLI ``python -m export datapackage
OUT.zip`` calls :func:`write_package`.
"""
from __future__ import annotations

import datetime as _dt
import io
import json
import os
import tempfile
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path

import pandas as pd

import i18n
from loaders import changes, registry
from loaders.schema import Col, TableSpec
from loaders.sources import Source
from loaders.textsafety import markdown_escape

from .common import (
    ExportError,
    Licence,
    data_dir,
    data_version,
    git_commit,
    licence_for,
    load_deployment_frame,
    load_sources,
    load_tables,
    reuse_licences,
)
from .csvfile import to_csv_bytes  # the one CSV writer of every download

TOP = "footprint-data"
# The project has no public address yet: the citation names the project; set FOOTPRINT_PUBLIC_URL to add its address.
PROJECT_URL = os.environ.get("FOOTPRINT_PUBLIC_URL", "")
KIND_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "date": "date"}
SPDX_URL = "https://spdx.org/licenses/{}.html"
LICENCE_TITLES = {
    "GPL-3.0-or-later": "GNU General Public License v3.0 or later",
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "ODbL-1.0": "Open Data Commons Open Database License v1.0",
    "LicenseRef-US-Government-Public-Domain": "US government work, public domain in the United States",
    "LicenseRef-SIPRI-Terms": "SIPRI terms and conditions: use with attribution; no bulk republication",
}
LICENCE_PATHS = {
    "LicenseRef-US-Government-Public-Domain": "https://www.usa.gov/government-copyright",
    "LicenseRef-SIPRI-Terms": "https://www.sipri.org/about/terms-and-conditions",
}
DEPLOYMENT_DOCS = {  # the deployment files' fields (data/deployments/README.md has the full rules)
    "id": "record id, the YAML file's name without .yaml", "file": "the YAML file in data/deployments/",
    "name": "display name", "kind": "deployment, exercise, mission, proposed, decision or operation",
    "status": "reported, historical, proposed, authorised, under-way, completed, rejected or cancelled",
    "iso3": "host country code (loaders.countries)", "start": "first day (per date_precision)",
    "end": "last day, when reported", "date_precision": "day, month or year: how precisely start is known",
    "end_precision": "how precisely end is known", "personnel_max": "the personnel figure shown, as reported",
    "personnel_attributed_to": "who the source attributes personnel_max to",
    "personnel_source_id": "source of personnel_max (sources.yaml)", "sources": "the record's sources (flattened list)",
    "places": "places named, with coordinates from the reviewed geocode cache (flattened list)",
    "summary": "two or three neutral sentences (English)", "summary_es": "the same in Spanish",
    "related": "ids of related records (flattened list)", "decision": "a host country's decision (flattened)",
    "attestations": "each figure and attributed text of the record (field, line, numbers, source) with the source's "
                    "own words (quotes with their language), or why they are not there (unverified), or the quoted "
                    "figures it is the sum of (derived); status quoted, derived, unverified or missing (flattened list)",
}


# ---------------------------------------------------------------------------------------------- descriptor ---

def _describe(col: Col) -> str:
    """A column's description: its doc in the TableSpec, else the rule the spec gives it."""
    if col.doc:
        return col.doc
    rules = []
    if col.allowed is not None:
        rules.append("one of " + ", ".join(sorted(col.allowed)))
    if col.min is not None or col.max is not None:
        rules.append("between " + " and ".join(f"{v:g}" for v in (col.min, col.max) if v is not None)
                     if col.min is not None and col.max is not None
                     else (f"at least {col.min:g}" if col.min is not None else f"at most {col.max:g}"))
    if col.pattern is not None:
        rules.append(f"matches {col.pattern}")
    what = {"str": "text", "int": "whole number", "float": "number", "bool": "true or false",
            "date": "date YYYY-MM-DD"}[col.kind]
    return f"{col.name.replace('_', ' ')}: {what}" + (f" ({'; '.join(rules)})" if rules else "") + (
        "" if col.required else "; may be empty")


def _field(col: Col) -> dict:
    field: dict = {"name": col.name, "type": KIND_TYPES[col.kind], "description": _describe(col)}
    if col.kind == "boolean" or col.kind == "bool":
        field["trueValues"], field["falseValues"] = ["True", "true"], ["False", "false"]
    constraints: dict = {}
    if col.required:
        constraints["required"] = True
    if col.kind in ("int", "float"):
        if col.min is not None:
            constraints["minimum"] = int(col.min) if col.kind == "int" else col.min
        if col.max is not None:
            constraints["maximum"] = int(col.max) if col.kind == "int" else col.max
    if col.allowed is not None and col.kind == "str":
        constraints["enum"] = sorted(col.allowed)
    if constraints:
        field["constraints"] = constraints
    return field


def _licences(lic: Licence | None) -> list[dict]:
    if lic is None or not lic.spdx:
        return []
    out = {"name": lic.spdx, "title": LICENCE_TITLES.get(lic.spdx, lic.spdx),
           "path": LICENCE_PATHS.get(lic.spdx, SPDX_URL.format(lic.spdx))}
    return [out]


def _sources(ids, known: dict[str, Source]) -> list[dict]:
    out = []
    for sid in dict.fromkeys(s for s in ids if isinstance(s, str) and s):
        src = known.get(sid)
        if src is None:
            out.append({"title": f"{sid} (source block missing from sources.yaml)"})
            continue
        entry = {"title": f"{src.title} ({src.producer})"}
        if src.url.startswith(("http://", "https://")):
            entry["path"] = src.url
        out.append(entry)
    return out


def _frame_source_ids(frame: pd.DataFrame) -> list[str]:
    ids: list[str] = []
    if "source_id" in frame.columns:
        ids += [s for s in frame["source_id"].dropna().astype(str).unique()]
    if "sources" in frame.columns:  # deployments: a list of {source_id, ...} per row
        ids += [s.get("source_id") for srcs in frame["sources"] for s in (srcs or []) if isinstance(s, dict)]
    return ids


def resource(spec: TableSpec, frame: pd.DataFrame, known: dict[str, Source], annotations) -> dict:
    res = {"name": spec.name, "path": f"data/{spec.file}", "profile": "tabular-data-resource",
           "title": spec.file, "description": spec.doc or spec.name, "format": "csv", "mediatype": "text/csv",
           "encoding": "utf-8", "schema": {"fields": [_field(c) for c in spec.columns]}}
    if spec.key:
        res["schema"]["primaryKey"] = list(spec.key)
    res["licenses"] = _licences(licence_for(f"data/{spec.file}", annotations))
    res["sources"] = _sources(_frame_source_ids(frame) + list(spec.sources), known)
    return res


def _deployment_field(name: str, series: pd.Series) -> dict:
    if pd.api.types.is_datetime64_any_dtype(series):
        kind = "date"
    elif pd.api.types.is_integer_dtype(series):
        kind = "integer"
    else:
        kind = "string"
    return {"name": name, "type": kind, "description": DEPLOYMENT_DOCS.get(name, name.replace("_", " "))}


def deployments_resource(frame: pd.DataFrame, known: dict[str, Source], annotations) -> dict:
    return {"name": "deployments", "path": "data/deployments.csv", "profile": "tabular-data-resource",
            "title": "deployments.csv (from data/deployments/*.yaml)",
            "description": "Named deployments, exercises, operations and host-country decisions as reported, one row "
                           "per YAML file in data/deployments/ (lists and mappings flattened into text; the YAML files "
                           "and data/deployments/README.md have the full structure).",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [_deployment_field(c, frame[c]) for c in frame.columns], "primaryKey": ["id"]},
            "licenses": _licences(licence_for("data/deployments/x.yaml", annotations)),
            "sources": _sources(_frame_source_ids(frame), known)}


# ------------------------------------------------------------------------------------------------- README ---

README_FILES = {"en": "README.md", "es": "README.es.md"}  # the package's README in each language


def _changes_lines(version: str, lang: str) -> list[str]:
    """The latest change-log entry (CHANGES.yaml in the package has them all), or nothing when there is none."""
    entry = changes.latest()
    if entry is None:
        return []
    _ = i18n.gettext_for(lang)
    head = _("Data version `{version}` ({date}), compared with `{old}`:").format(
        version=entry["version"], date=entry["date"].isoformat(), old=entry["compared_with"]["version"])
    lines = ["## " + _("What changed"), "", head, ""]
    lines += [f"- {markdown_escape(line)}" for line in changes.summary(entry, lang)]
    if entry["version"] != version:
        lines += ["", _("The data has changed since that entry (this package is data version `{version}`); "
                        "`CHANGES.yaml` lists every entry.").format(version=version)]
    return lines + [""]


def readme(resources: list[dict], frames: dict[str, pd.DataFrame], known: dict[str, Source], version: str,
           built: _dt.date, commit: str | None, lang: str = "en") -> str:
    """The package's README in ``lang``: its data version, how to cite it, what may be republished, every file
    with its licence and each source's terms (the source's own translation, ``<field>_<lang>``, where it has one)."""
    _ = i18n.gettext_for(lang)
    used = dict.fromkeys(s for name, f in frames.items() for s in _frame_source_ids(f) if s in known)
    built_text = (_("Data version `{version}` (a hash of the project's data/ files), built {date} from commit "
                    "`{commit}`.") if commit else
                  _("Data version `{version}` (a hash of the project's data/ files), built {date}.")).format(
        version=version, date=built.isoformat(), commit=commit)
    others = [f"[{name}]({README_FILES[code]})" for code, name in ((c, i18n.name(c)) for c in README_FILES)
              if code != i18n.norm(lang)]
    lines = [
        "# " + _("Footprint: all tables as a data package"),
        "",
        " · ".join(others),
        "",
        built_text,
        "",
        _("Every table exactly as the Footprint dashboard reads it, validated against its schema. `datapackage.json` "
          "describes each file (a Frictionless Data Package: every column's type, description and rules, each "
          "table's licence and sources). Text cells that a spreadsheet could run as a formula start with an "
          "apostrophe (`'`); numbers stay numbers; an empty cell means not reported, never zero."),
        "",
        "## " + _("Cite"),
        "",
        _("Footprint: US military deployments, data package, data version {version} ({year}).").format(
            version=version, year=built.year)
        + (f" {PROJECT_URL}." if PROJECT_URL else "") + " "
        + _("Cite the original source of each figure as well: each row's `source_id` names its block in "
            "`data/sources.yaml`, which has the citation."),
        "",
        *_changes_lines(version, lang),
        "## " + _("What may be republished"),
        "",
        _("The code is MIT-licensed; each table keeps its source's licence (below, and `licenses` in "
          "datapackage.json)."),
        "",
        "- **SIPRI**: " + _("only the extract shipped here (`data/sipri_extract.csv`, at most 20 countries) may be "
                            "republished, with the attribution \"Information from the SIPRI Military Expenditure "
                            "Database\". SIPRI's terms forbid bulk republication of its database: do not rebuild or "
                            "republish the full database from Footprint; get it from SIPRI "
                            "(https://www.sipri.org/databases/milex) and ask SIPRI before republishing in bulk."),
        "",
        "| " + " | ".join((_("file"), _("rows"), _("licence"), _("sources"))) + " |",
        "|---|---|---|---|",
    ]
    for res in resources:
        frame = frames.get(res["name"])
        lic = ", ".join(x["name"] for x in res.get("licenses", [])) or _("see sources")
        rows = i18n.num(len(frame), lang) if frame is not None else "?"
        lines.append(f"| `{res['path']}` | {rows} | {lic} | {len(res.get('sources', []))} |")
    lines += ["", _("Per source (from `data/sources.yaml`; the sources of reported deployments are news reports and "
                    "official statements, cited with attribution):"), ""]
    for sid in used:
        s = known[sid]
        if s.republish:
            # captions and terms are data text: escaped, so a name can carry no link, markup or emphasis
            caption = i18n.translation_of(s, "short", lang) or s.caption
            lines.append(f"- **{markdown_escape(caption)}** ({markdown_escape(sid)}): "
                         f"{markdown_escape(i18n.localized(s, 'republish', lang))} "
                         + _("Licence: {licence}.").format(licence=markdown_escape(i18n.localized(s, "licence", lang))))
    n_other = sum(1 for sid in used if not known[sid].republish)
    if n_other:
        lines.append("- " + _("{n} more sources (reported articles and statements): cite the source and who it "
                              "attributes each fact to; their text is not republished here, only facts with "
                              "attribution.").format(n=n_other))
    lines.append("")
    return "\n".join(lines)


# -------------------------------------------------------------------------------------------------- build ---

def build(tables: dict[str, pd.DataFrame], deployments: pd.DataFrame | None, known: dict[str, Source], version: str,
          built: _dt.date | None = None, commit: str | None = None, folder: Path | None = None) -> bytes:
    """The zip's bytes from already loaded tables (keyed by TableSpec name)."""
    built = built or _dt.date.today()
    folder = Path(folder or data_dir())
    annotations = reuse_licences()
    specs = registry.specs()
    files: "OrderedDict[str, bytes]" = OrderedDict()
    resources = []
    frames: dict[str, pd.DataFrame] = {}
    for name in sorted(tables):
        spec = specs[name]
        frame = tables[name]
        files[f"data/{spec.file}"] = to_csv_bytes(frame)
        resources.append(resource(spec, frame, known, annotations))
        frames[name] = frame
    if deployments is not None:
        files["data/deployments.csv"] = to_csv_bytes(deployments)
        resources.append(deployments_resource(deployments, known, annotations))
        frames["deployments"] = deployments
    descriptor = {
        "profile": "tabular-data-package",
        "name": "footprint-data",
        "title": "Footprint: US military deployments, bases and spending (all tables)",
        "description": "Every table of the Footprint dashboard as it reads it. See README.md for the citation and "
                       "what may be republished.",
        "version": version,
        "created": _dt.datetime.combine(built, _dt.time(), tzinfo=_dt.timezone.utc).isoformat().replace("+00:00", "Z"),
        "keywords": ["US military", "troops", "bases", "defense budget"],
        "licenses": [{"name": "MIT", "title": "Code: MIT; each resource keeps its source's licence (see each "
                      "resource's licenses)", "path": SPDX_URL.format("MIT")}],
        "resources": resources,
    }
    if PROJECT_URL:
        descriptor["homepage"] = PROJECT_URL
    if commit:
        descriptor["footprint"] = {"data_version": version, "git_commit": commit}
    sources_yaml = folder / "sources.yaml"
    buf = io.BytesIO()
    stamp = (built.year, built.month, built.day, 0, 0, 0)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        def put(rel: str, data: bytes) -> None:
            info = zipfile.ZipInfo(f"{TOP}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)

        put("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False).encode("utf-8"))
        for code, name in README_FILES.items():
            put(name, readme(resources, frames, known, version, built, commit, code).encode("utf-8"))
        for rel, data in files.items():
            put(rel, data)
        if sources_yaml.is_file():
            put("data/sources.yaml", sources_yaml.read_bytes())
        if changes.CHANGES_FILE.is_file():
            put("CHANGES.yaml", changes.CHANGES_FILE.read_bytes())
    return buf.getvalue()


def build_from_folder(folder: Path | None = None, built: _dt.date | None = None) -> bytes:
    folder = Path(folder or data_dir())
    return build(load_tables(folder), load_deployment_frame(folder), load_sources(folder), data_version(folder),
                 built=built, commit=git_commit(), folder=folder)


_CACHE: "OrderedDict[tuple[str, str], bytes]" = OrderedDict()
_LOCK = threading.Lock()
_BUILDING: dict[tuple[str, str], threading.Event] = {}


def package_bytes(folder: Path | None = None) -> bytes:
    """The zip for the data folder, built once per data version (and folder) per process; two entries kept.

    Readers who click while it is being built wait for that one build instead of starting their own: thirty
    simultaneous clicks each building the zip held hundreds of MB at once and left some downloads unanswered."""
    folder = Path(folder or data_dir())
    key = (str(folder), data_version(folder))
    while True:
        with _LOCK:
            if key in _CACHE:
                _CACHE.move_to_end(key)
                return _CACHE[key]
            running = _BUILDING.get(key)
            if running is None:
                running = _BUILDING[key] = threading.Event()
                break
        running.wait()  # another reader's build: take its result (or build ourselves if it failed)
    try:
        data = build_from_folder(folder)
        with _LOCK:
            _CACHE[key] = data
            while len(_CACHE) > 2:
                _CACHE.popitem(last=False)
        return data
    finally:
        with _LOCK:
            _BUILDING.pop(key, None)
        running.set()


def write_package(out: Path, folder: Path | None = None) -> Path:
    """Write the zip to ``out`` (a new file; written beside it and renamed, so a failed build leaves nothing).
    Raises ExportError when ``out`` exists or its folder cannot be written."""
    out = Path(out)
    if out.exists():
        raise ExportError(f"{out} already exists; choose a new file name or remove it first")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"cannot write {out}: the folder {parent} does not exist")
    data = build_from_folder(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise ExportError(f"cannot write into the folder {parent} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {out} ({exc.strerror or exc})") from None
    return out
