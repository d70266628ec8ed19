"""The origin blocks in ``data/sources.yaml``: one per source, pointed to by every table row's ``source_id``."""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .schema import Problem
from .textsafety import text_rule, url_rule

REQUIRED_FIELDS = ("title", "producer", "url", "accessed", "licence", "citation", "caveats")
OPTIONAL_FIELDS = ("short", "used_for", "republish", "notes", "publisher", "published", "language", "kind",
                   "caveats_es", "short_es", "citation_es", "licence_es", "republish_es", "accessed_es", "used_for_es")
# Footprint's own translations, checked for type; the Spanish a reader-facing field needs (spanish_gaps)
SPANISH_FIELDS = ("caveats_es", "short_es", "citation_es", "licence_es", "republish_es", "accessed_es", "used_for_es")
FILE = "sources.yaml"
# A source cited by a deployment record must carry these too (checked by loaders.deployments).
RECORD_FIELDS = ("publisher", "published", "language", "kind", "accessed")
SOURCE_KINDS = ("official-us", "official-host", "wire-press", "specialist-press", "advocacy-opinion")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LANGUAGE = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    producer: str
    url: str
    accessed: str
    licence: str
    citation: str
    caveats: str
    short: str = ""  # short caption text, e.g. "DMDC via troopdata (Allen, Flynn & Martinez Machain 2022)"
    used_for: str = ""
    republish: str = ""  # what a newsroom may republish under the licence
    notes: str = ""
    publisher: str = ""  # e.g. "Agencia Andina"; required for a source a deployment record cites
    published: str = ""  # ISO date of publication, as text
    language: str = ""  # ISO 639-1 code of the source's language: es, en, pt ...
    kind: str = ""  # one of SOURCE_KINDS
    caveats_es: str = ""  # the caveats in Spanish (Footprint's own translation; titles stay in their language)
    short_es: str = ""  # the caption in Spanish, only where ``short`` has English words to translate
    citation_es: str = ""  # the citation in Spanish, only where it has English words besides names, titles, dates
    licence_es: str = ""  # the licence and republishing terms in Spanish, for a source with ``republish``
    republish_es: str = ""
    accessed_es: str = ""  # a data set's access note and use in Spanish, where they are more than a date, files
    used_for_es: str = ""

    @property
    def caption(self) -> str:
        return self.short or f"{self.producer}: {self.title}"

    @property
    def caption_es(self) -> str:
        """The caption for Spanish readers: ``short_es`` where given, else the (language-neutral) ``short``."""
        return self.short_es or self.caption


# libyaml's parser (PyYAML's C binding, in its wheels) with the safe constructor: the same documents and marks as
# yaml.SafeLoader, about ten times faster. The pure-Python loader costs about 2 s of a fresh process's first page
# (every deployment file and sources.yaml is read three times: alias check, line numbers, values), which every
# reader reconnecting after a restart would wait behind (docs/performance.md).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_YAML_DEPTH = 100  # flow collections ([ or {) nested deeper than this are refused unread


def yaml_refusal(text: str) -> tuple[int | None, str] | None:
    """(line, rule) when a YAML text must not be read at all, else None. Refused: flow collections nested deeper
    than MAX_YAML_DEPTH (PyYAML's scanner slows down steeply with depth and its composer recurses) and aliases
    (nested ones, "billion laughs", expand to billions of values in any walk over the document). The event
    parser used here builds no values. May raise yaml.YAMLError for a text that is not YAML."""
    depth, line = 0, 1
    for ch in text:
        if ch == "[" or ch == "{":
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return line, f"not valid YAML (nested more than {MAX_YAML_DEPTH} levels deep)"
        elif ch == "]" or ch == "}":
            depth = max(0, depth - 1)
        elif ch == "\n":
            line += 1
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, "YAML aliases (*name) are not allowed; write the value out"
    return None


def is_iso_date(value: str) -> bool:
    """True for a real date written YYYY-MM-DD."""
    if not ISO_DATE.fullmatch(value or ""):
        return False
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def field_rule(field: str, value: str) -> str | None:
    """The rule a filled-in publisher/published/language/kind/accessed value breaks, or None."""
    if field == "kind" and value not in SOURCE_KINDS:
        return f"unknown source kind {value[:40]!r} (one of {', '.join(SOURCE_KINDS)})"
    if field == "language" and not LANGUAGE.fullmatch(value):
        return f"must be a lower-case ISO 639 code such as es, en or pt; got {value[:40]!r}"
    if field == "published" and not is_iso_date(value):
        return f"must be an ISO date YYYY-MM-DD written as quoted text; got {value[:40]!r}"
    return None


def _block_lines(text: str) -> dict[tuple, int]:
    """(source id,) and (source id, field) -> 1-based line in sources.yaml (best effort; {} if unreadable)."""
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except (yaml.YAMLError, RecursionError, ValueError):
        return {}
    out: dict[tuple, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, block in node.value:
            out[(key.value,)] = key.start_mark.line + 1
            if isinstance(block, yaml.MappingNode):
                for fkey, _ in block.value:
                    out[(key.value, fkey.value)] = fkey.start_mark.line + 1
    return out


def _document(path: Path) -> tuple[object, str, list[Problem]]:
    """sources.yaml read safely: (the document, its text, the problem that stops reading it)."""
    label = FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, "", [Problem(label, None, "", "file is missing")]
    except UnicodeDecodeError:
        return None, "", [Problem(label, None, "", "not valid UTF-8 text")]
    try:
        refused = yaml_refusal(text)
        if refused:
            return None, text, [Problem(label, refused[0], "", refused[1])]
        doc = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (the safe constructor)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return None, text, [Problem(label, None if line is None else line + 1, "",
                                    f"not valid YAML ({getattr(exc, 'problem', exc)})")]
    except RecursionError:
        return None, text, [Problem(label, None, "", "not valid YAML (nested too deeply)")]
    except ValueError as exc:  # a value PyYAML cannot build, e.g. an unquoted impossible date 2023-02-30
        return None, text, [Problem(label, None, "", f"a value could not be read ({str(exc)[:80]})")]
    if not isinstance(doc, dict):
        return None, text, [Problem(label, None, "", "must be a mapping of source id -> origin block")]
    return doc, text, []


def _block_problems(sid: str, block: dict, lines: dict) -> tuple[list[Problem], bool]:
    """One origin block's problems, and whether they leave the block out (missing or unknown fields, a
    translation that is not text); a bad publisher, date, language or kind is reported but keeps the block."""
    where = f"{FILE}[{sid}]"
    missing = [Problem(where, None, f, "required") for f in REQUIRED_FIELDS
               if block.get(f) is None or (isinstance(block.get(f), str) and not block.get(f).strip())]
    unknown = [Problem(where, None, str(f), "unknown field") for f in block if f not in REQUIRED_FIELDS + OPTIONAL_FIELDS]
    reported = []
    for f in ("publisher", "published", "language", "kind"):
        v = block.get(f)
        if v is None:
            continue
        rule = (f"must be text, got {type(v).__name__} (quote a date)" if not isinstance(v, str)
                else field_rule(f, v.strip()))
        if rule:  # reported here; a record citing the source is also left out (loaders.deployments)
            reported.append(Problem(where, lines.get((sid, f)), f, rule))
    untyped = [Problem(where, lines.get((sid, f)), f, f"must be text, got {type(block.get(f)).__name__}")
               for f in SPANISH_FIELDS if block.get(f) is not None and not isinstance(block.get(f), str)]
    unsafe = _unsafe_text(where, sid, block, lines)
    return missing + unknown + reported + untyped + unsafe, bool(missing or unknown or untyped or unsafe)


def _unsafe_text(where: str, sid: str, block: dict, lines: dict) -> list[Problem]:
    """What no text may carry (loaders.textsafety): the url an http(s) address, every other field safe text."""
    found = []
    for f, v in block.items():
        if isinstance(v, str) and v.strip():
            rule = url_rule(v.strip()) if f == "url" else text_rule(v)
            if rule:
                found.append(Problem(where, lines.get((sid, f)), str(f), rule))
    return found


def read_sources(path: Path) -> tuple[dict[str, Source], list[Problem]]:
    doc, text, problems = _document(path)
    if problems:
        return {}, problems
    sources: dict[str, Source] = {}
    lines = (_block_lines(text) if any(isinstance(b, dict) and {"kind", "caveats_es", "short_es"} & set(b)
                                       for b in doc.values()) else {})
    for sid, block in doc.items():
        if not isinstance(sid, str) or not sid.replace("_", "").replace("-", "").isalnum():
            problems.append(Problem(FILE, None, str(sid), "source id must be letters, digits, - or _"))
            continue
        if not isinstance(block, dict):
            problems.append(Problem(f"{FILE}[{sid}]", None, "", "origin block must be a mapping"))
            continue
        found, bad = _block_problems(sid, block, lines)
        problems += found
        if not bad:
            sources[sid] = Source(id=sid, **{k: str(block.get(k, "") or "").strip() for k in REQUIRED_FIELDS + OPTIONAL_FIELDS})
    return sources, problems


FILES_ONLY = re.compile(r"[\w./-]+(, [\w./-]+)*")  # a list of file names reads the same in every language


def needs_spanish(src: Source) -> list[str]:
    """The fields of a block a reader sees in English unless translated: the caveats; a source's licence and
    republishing terms where it gives terms (the Sources page and the data package's README show them); a data
    set's access note and use (the Sources page's facts) unless a bare date or a list of files. Titles, names and
    citations stay as they are (citation_es only where a citation has English words)."""
    fields = ["caveats"]
    if src.republish:
        fields += ["licence", "republish"]
    if not src.kind:
        fields += [f for f in ("accessed", "used_for") if getattr(src, f) and not is_iso_date(getattr(src, f))
                   and not FILES_ONLY.fullmatch(getattr(src, f))]
    return fields


def spanish_gaps(data_dir: Path) -> list[Problem]:
    """Source fields a reader sees that lack their Spanish text (``<field>_es``), at the field's line."""
    path = Path(data_dir) / FILE
    sources, _ = read_sources(path)
    try:
        lines = _block_lines(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        lines = {}
    return [Problem(f"{FILE}[{sid}]", lines.get((sid, f), lines.get((sid,))), f"{f}_es",
                    f"no Spanish text for {f} (the app shows the English, marked '(en inglés)')")
            for sid, src in sources.items() for f in needs_spanish(src) if getattr(src, f) and not getattr(src, f"{f}_es")]


def load_sources(data_dir: Path) -> dict[str, Source]:
    from .schema import DataError

    sources, problems = read_sources(Path(data_dir) / FILE)
    if problems:
        raise DataError(problems)
    return sources
