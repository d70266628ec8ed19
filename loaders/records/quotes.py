"""The source's own words beside every figure and attributed text of a deployment record.

Every figure mapping (``personnel[i]``, ``personnel_max``, ``detachments[i]``, ``decision.vote``,
``decision.us_personnel_authorised``) and every attributed text mapping (``purpose``, ``claims[i]``,
``decision.weapons``, ``decision.result``) carries ``quote`` (the source's words, ``{text, lang}`` or a list of
them), ``unverified`` (why the stored copy of the source cannot show it), or ``derived`` (a figure Footprint computes
from quoted figures of the same record; it may also carry a quote). Each rule below is a small function returning
``(path, rule)`` pairs; the record checker turns them into ``file:line field: rule`` problems.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .numbers import states_number, words

QUOTE_KEYS = ("quote", "unverified", "derived")
MAX_QUOTE_WORDS = 45  # "at most about 40 words", with a little slack for a sentence that runs on
COPY_RUN = 12  # our own texts share no run of this many words with a quote
MAX_UNVERIFIED_SHARE = 0.10  # at most one figure in ten may be unverified
# Every record now quotes its sources: a mapping without quote, unverified or derived is a problem. (While the
# quotes were being added it was a warning listed with a count by ``python -m loaders check``.)
MISSING_IS_PROBLEM = True
OWN_TEXT_KEYS = ("summary", "summary_es", "text", "text_es", "detail", "detail_es", "description", "description_es")
NO_QUOTE = "no quote, unverified or derived: give the source's words that state it (see data/deployments/README.md)"

Issue = tuple[tuple, str]  # (path inside the record, rule)


@dataclass(frozen=True)
class Quote:
    text: str
    lang: str


@dataclass
class Attestation:
    """How one figure or attributed text of a record is backed by its source."""
    path: tuple
    kind: str  # "figure" or "text"
    numbers: dict[str, int]  # the mapping's counts by field name (empty for a text)
    source_id: str | None
    quotes: list[Quote] = field(default_factory=list)
    unverified: str | None = None
    derived: dict | None = None  # {"op": "sum", "parts": [int, ...]}

    @property
    def status(self) -> str:
        """quoted, derived, unverified or missing (a derived figure that a source also states counts as quoted)."""
        if self.quotes:
            return "quoted"
        if self.derived:
            return "derived"
        return "unverified" if self.unverified else "missing"

    def as_dict(self) -> dict[str, Any]:
        return {"quotes": [{"text": q.text, "lang": q.lang} for q in self.quotes], "unverified": self.unverified,
                "derived": self.derived, "status": self.status}


# -------------------------------------------------------------------------------------- rules (one mapping) ---

def rule_one_backing(att: Attestation, item: dict) -> list[Issue]:
    """unverified goes alone: a mapping with a quote or a derivation is not unverified."""
    if item.get("unverified") is not None and (item.get("quote") is not None or item.get("derived") is not None):
        return [(att.path + ("unverified",), "goes alone: a mapping with a quote or derived is not unverified")]
    return []


def rule_backed(att: Attestation) -> list[Issue]:
    """Every figure and attributed text carries quote, unverified or derived."""
    if MISSING_IS_PROBLEM and att.status == "missing":
        return [(att.path, NO_QUOTE)]
    return []


def rule_quote_length(att: Attestation) -> list[Issue]:
    out = []
    for i, q in enumerate(att.quotes):
        n = len(q.text.split())
        if n > MAX_QUOTE_WORDS:
            where = att.path + ("quote",) + ((i,) if len(att.quotes) > 1 else ())
            out.append((where, f"a quote is at most about 40 words (up to {MAX_QUOTE_WORDS}), this one has {n}"))
    return out


def rule_quote_language(att: Attestation, source_language: str | None) -> list[Issue]:
    """A quote is in its source's language (the source's ``language`` in sources.yaml): never a translation."""
    if not source_language:
        return []
    return [(att.path + ("quote",) + ((i,) if len(att.quotes) > 1 else ()) + ("lang",),
             f"is {q.lang!r} but source {att.source_id!r} is in {source_language!r} (quote the source's own words)")
            for i, q in enumerate(att.quotes) if q.lang != source_language]


def rule_figure_in_quote(att: Attestation) -> list[Issue]:
    """Every number of a quoted figure appears in its quote, in digits (any separators) or in words."""
    if not att.quotes:
        return []
    return [(att.path + (name,), f"{value:,} does not appear in its quote (in digits or in words)")
            for name, value in att.numbers.items()
            if not any(states_number(q.text, value, q.lang) for q in att.quotes)]


def rule_derived_sum(att: Attestation) -> list[Issue]:
    """A derived figure (a ``value``, or a detachment's ``personnel``) is the sum of its parts."""
    value = att.numbers.get("value", att.numbers.get("personnel"))
    if not att.derived or value is None:
        return []
    total = sum(att.derived["parts"])
    if total != value:
        parts = " + ".join(f"{p:,}" for p in att.derived["parts"])
        return [(att.path + ("derived", "parts"), f"{parts} = {total:,}, not {value:,}")]
    return []


def mapping_issues(att: Attestation, item: dict, source_language: str | None) -> list[Issue]:
    """Every rule on one mapping's backing (the record-wide rules are in :func:`record_issues`)."""
    return (rule_backed(att) + rule_one_backing(att, item) + rule_quote_length(att) + rule_quote_language(att, source_language)
            + rule_figure_in_quote(att) + rule_derived_sum(att))


# ----------------------------------------------------------------------------------- rules (whole record) ---

def rule_derived_parts_quoted(atts: list[Attestation]) -> list[Issue]:
    """Each part of a derived figure is a quoted figure of the same record."""
    quoted = {v for a in atts if a.quotes for v in a.numbers.values()}
    return [(a.path + ("derived", "parts"), f"part {p:,} is not a quoted figure of this record")
            for a in atts if a.derived for p in a.derived["parts"] if p not in quoted]


def _runs(text: str, n: int) -> set[tuple[str, ...]]:
    tokens = words(text).split()
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def rule_own_words(own: list[tuple[tuple, str]], atts: list[Attestation]) -> list[Issue]:
    """Our texts (summaries, claim texts, details, descriptions) share no run of COPY_RUN words with a quote of
    the record (compared without case, accents or punctuation)."""
    quoted: set[tuple[str, ...]] = set()
    for a in atts:
        for q in a.quotes:
            quoted |= _runs(q.text, COPY_RUN)
    if not quoted:
        return []
    return [(path, f"shares {COPY_RUN} or more words in a row with a quote of this record: write it in our own words")
            for path, text in own if _runs(text, COPY_RUN) & quoted]


_POINT_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d]|[.,]\d)")


def rule_spanish_thousands(spanish: list[tuple[tuple, str]]) -> list[Issue]:
    """Spanish data texts write thousands the es-419 way, 2,200 (quotes keep the source's own writing)."""
    out = []
    for path, text in spanish:
        m = _POINT_THOUSANDS.search(text)
        if m:
            comma = m.group().replace(".", ",")
            out.append((path, f"writes {m.group()} with a point: Spanish texts write thousands as {comma} (es-419)"))
    return out


def record_issues(atts: list[Attestation], own_texts: list[tuple[tuple, str]],
                  spanish_texts: list[tuple[tuple, str]]) -> list[Issue]:
    return rule_derived_parts_quoted(atts) + rule_own_words(own_texts, atts) + rule_spanish_thousands(spanish_texts)


def texts(doc: Any, keys: tuple[str, ...] | None, path: tuple = ()) -> list[tuple[tuple, str]]:
    """(path, text) of every text of ours in a record: the fields named ``keys``, or with ``keys`` None every
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
                out.extend(texts(value, keys, path + (key,)))
    elif isinstance(doc, list):
        for i, item in enumerate(doc):
            out.extend(texts(item, keys, path + (i,)))
    return out


def counts(atts: list[Attestation]) -> dict[str, int]:
    out = {"quoted": 0, "derived": 0, "unverified": 0, "missing": 0}
    for a in atts:
        out[a.status] += 1
    return out
