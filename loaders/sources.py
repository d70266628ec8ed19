"""The origin blocks in ``data/sources.yaml``: one per source, pointed to by every table row's ``source_id``."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .schema import Problem

REQUIRED_FIELDS = ("title", "producer", "url", "accessed", "licence", "citation", "caveats")
OPTIONAL_FIELDS = ("short", "used_for", "republish", "notes")
FILE = "sources.yaml"


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

    @property
    def caption(self) -> str:
        return self.short or f"{self.producer}: {self.title}"


def read_sources(path: Path) -> tuple[dict[str, Source], list[Problem]]:
    label = FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, [Problem(label, None, "", "file is missing")]
    except UnicodeDecodeError:
        return {}, [Problem(label, None, "", "not valid UTF-8 text")]
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return {}, [Problem(label, None if line is None else line + 1, "", f"not valid YAML ({getattr(exc, 'problem', exc)})")]
    if not isinstance(doc, dict):
        return {}, [Problem(label, None, "", "must be a mapping of source id -> origin block")]
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    for sid, block in doc.items():
        where = f"{label}[{sid}]"
        if not isinstance(sid, str) or not sid.replace("_", "").replace("-", "").isalnum():
            problems.append(Problem(label, None, str(sid), "source id must be letters, digits, - or _"))
            continue
        if not isinstance(block, dict):
            problems.append(Problem(where, None, "", "origin block must be a mapping"))
            continue
        bad = False
        for f in REQUIRED_FIELDS:
            v = block.get(f)
            if v is None or (isinstance(v, str) and not v.strip()):
                problems.append(Problem(where, None, f, "required"))
                bad = True
        for f in block:
            if f not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
                problems.append(Problem(where, None, str(f), "unknown field"))
                bad = True
        if not bad:
            sources[sid] = Source(id=sid, **{k: str(block.get(k, "") or "").strip() for k in REQUIRED_FIELDS + OPTIONAL_FIELDS})
    return sources, problems


def load_sources(data_dir: Path) -> dict[str, Source]:
    from .schema import DataError

    sources, problems = read_sources(Path(data_dir) / FILE)
    if problems:
        raise DataError(problems)
    return sources
