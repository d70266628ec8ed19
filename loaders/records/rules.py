"""The rules of a deployment record that look at more than one field, each a small function returning
``(path, rule)`` pairs. They run on a record whose structure and types are valid (:mod:`.model`); the quote rules
are in :mod:`.quotes`."""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Iterator
from typing import Any

from ..sources import RECORD_FIELDS, Source, field_rule
from ..textsafety import text_rule
from . import quotes as q
from .fields import LANGUAGES, RECORD_ID, Issue
from .model import Record

# Record ids let in without a Spanish summary (summary_es): none, so every record must have one. Kept so a record
# can be let in temporarily while its translation is written.
LEGACY_IDS: frozenset[str] = frozenset()


def rule_id_is_file_name(rec: Record, stem: str) -> list[Issue]:
    if not RECORD_ID.fullmatch(rec.id):
        return [(("id",), "must be lower-case letters, digits and hyphens")]
    if rec.id != stem:
        return [(("id",), f"must equal the file name ({stem!r})")]
    return []


def rule_spanish_summary(rec: Record) -> list[Issue]:
    """Every record has a Spanish summary (unless listed in LEGACY_IDS) and says which language is our translation."""
    if rec.summary_es is None and rec.id not in LEGACY_IDS:
        return [(("summary_es",), "required")]
    if rec.summary_es is not None and rec.our_translation is None:
        return [(("our_translation",), "required")]
    assert rec.our_translation in LANGUAGES + (None,)
    return []


def rule_proposed_together(rec: Record) -> list[Issue]:
    if (rec.kind == "proposed") != (rec.status == "proposed"):
        return [(("status",), "kind 'proposed' and status 'proposed' go together")]
    return []


def _fits(date: _dt.date, precision: str, end: bool) -> str | None:
    """With month/year precision a start is the first day of its month/year and an end the last day."""
    if precision not in ("month", "year"):
        return None
    if end:
        last = calendar.monthrange(date.year, date.month)[1]
        ok = date.day == last and (precision == "month" or date.month == 12)
        want = "the last day of the " + precision
    else:
        ok = date.day == 1 and (precision == "month" or date.month == 1)
        want = "the first day of the " + precision
    return None if ok else f"with {precision} precision, write {want} (got {date.isoformat()})"


def rule_dates(rec: Record) -> list[Issue]:
    """Dates fit their precision, and every end is on or after its start."""
    out = []
    start_rule = _fits(rec.start, rec.date_precision, end=False)
    if start_rule:
        out.append((("start",), start_rule))
    if rec.end is not None:
        end_rule = _fits(rec.end, rec.end_precision or rec.date_precision, end=True)
        if end_rule:
            out.append((("end",), end_rule))
        if rec.end < rec.start:
            out.append((("end",), f"is before start ({rec.end.isoformat()} < {rec.start.isoformat()})"))
    period = rec.decision.period if rec.decision else None
    if period is not None and period.end < period.start:
        out.append((("decision", "period", "end"), f"is before start ({period.end} < {period.start})"))
    return out


def attributed(rec: Record) -> Iterator[tuple[tuple, Any]]:
    """(path, mapping) of every mapping that carries source_id and attributed_to, in the file format's order."""
    for i, s in enumerate(rec.sources):
        yield ("sources", i), s
    if rec.personnel_max is not None:
        yield ("personnel_max",), rec.personnel_max
    yield from ((("personnel", i), f) for i, f in enumerate(rec.personnel))
    if rec.purpose is not None:
        yield ("purpose",), rec.purpose
    yield from ((("claims", i), c) for i, c in enumerate(rec.claims))
    yield from ((("detachments", i), d) for i, d in enumerate(rec.detachments))
    if rec.decision is not None and rec.kind == "decision":
        for key in ("vote", "us_personnel_authorised", "weapons", "result"):
            if getattr(rec.decision, key) is not None:
                yield ("decision", key), getattr(rec.decision, key)


def _source_block_rules(sid: str, block: Source) -> list[str]:
    out = []
    missing = [f for f in RECORD_FIELDS if not getattr(block, f)]
    if missing:
        out.append(f"source {sid!r} lacks {', '.join(missing)} in sources.yaml "
                   "(required for a source a deployment record cites)")
    for f in RECORD_FIELDS:
        value = getattr(block, f)
        if not value:
            continue
        rule = ((None if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else f"must be an ISO date, got {value[:40]!r}")
                if f == "accessed" else field_rule(f, value))
        if rule:
            out.append(f"source {sid!r} in sources.yaml, {f}: {rule}")
    return out


def rule_sources_known_and_complete(rec: Record, sources: dict[str, Source]) -> list[Issue]:
    """Every source_id is a key of sources.yaml, and each cited block has the fields a record's source needs
    (checked once per file, at its first citation)."""
    out, seen = [], set()
    for path, item in attributed(rec):
        sid = item.source_id
        if sources and sid not in sources:
            out.append((path + ("source_id",), f"unknown source {sid!r} (not in sources.yaml)"))
        elif sid in sources and sid not in seen:
            seen.add(sid)
            out.extend((path + ("source_id",), rule) for rule in _source_block_rules(sid, sources[sid]))
    return out


def personnel_max(rec: Record) -> Any:
    """The figure the map and timeline show: ``personnel_max``, else the largest figure of ``personnel``."""
    if rec.personnel_max is not None:
        return rec.personnel_max
    return max(rec.personnel, key=lambda f: f.value) if rec.personnel else None


def rule_detachments(rec: Record) -> list[Issue]:
    """A detachment gives personnel or a description; together they do not exceed the record's figure."""
    out = [(("detachments", i), "give personnel or a description")
           for i, d in enumerate(rec.detachments) if d.personnel is None and d.description is None]
    top = personnel_max(rec)
    total = sum(d.personnel for d in rec.detachments if d.personnel is not None)
    if top is not None and total > top.value:
        out.append((("detachments",), f"detachments add up to {total}, more than personnel_max {top.value}"))
    return out


def rule_places_located(rec: Record, geocoder: Any) -> tuple[list[Issue], list[tuple[float | None, float | None]]]:
    """Every place's query has a reviewed, located entry in the geocode cache; returns the coordinates too."""
    from ..geocode import CACHE_FILE

    out, coords = [], []
    for i, place in enumerate(rec.places):
        hit = geocoder.lookup(place.query) if place.query is not None and geocoder is not None else None
        if place.query is not None and geocoder is not None and hit is None:
            out.append((("places", i, "query"), f"{place.query!r} has no reviewed, located entry in {CACHE_FILE}"))
        coords.append((hit.lat, hit.lon) if hit else (None, None))
    return out, coords


def rule_related_not_self(rec: Record) -> list[Issue]:
    """Related ids name other records (that each exists is checked across files by the loader)."""
    return [(("related", i), "a record cannot be related to itself") for i, rid in enumerate(rec.related) if rid == rec.id]


def rule_decision_with_kind(rec: Record, doc: dict) -> list[Issue]:
    """A decision block goes with kind decision, and kind decision needs one."""
    if doc.get("decision") is not None and rec.kind != "decision":
        return [(("decision",), f"decision fields go only with kind decision (this record's kind is {rec.kind!r})")]
    if rec.kind == "decision" and rec.decision is None:
        return [(("decision",), "required with kind decision (at least type and body)")]
    return []


# ----------------------------------------------------------------------------------- the source's words ---

def attestations(rec: Record) -> list[q.Attestation]:
    """Every figure and attributed text of the record with its quote, unverified reason or derivation."""
    out = []
    for path, item in attributed(rec):
        if path[0] == "sources":
            continue
        numbers = {k: getattr(item, k) for k in ("value", "in_favour", "against", "abstentions", "personnel",
                                                  "aircraft", "ships") if getattr(item, k, None) is not None}
        kind = "figure" if numbers or hasattr(item, "value") else "text"
        derived = getattr(item, "derived", None)
        out.append(q.Attestation(path, kind, numbers, item.source_id,
                                 [q.Quote(" ".join(x.text.split()), x.lang) for x in item.quote or []],
                                 item.unverified, derived and {"op": derived.op, "parts": list(derived.parts)}))
    return out


def rule_quotes(rec: Record, doc: dict, sources: dict[str, Source], atts: list[q.Attestation]) -> list[Issue]:
    out = []
    for att in atts:
        source = sources.get(att.source_id or "")
        item = _at(doc, att.path)
        out.extend(q.mapping_issues(att, item if isinstance(item, dict) else {},
                                    getattr(source, "language", None) or None))
    own = q.texts(doc, q.OWN_TEXT_KEYS)
    return out + q.record_issues(atts, own, q.texts(doc, None))


def rule_text_safety(doc: Any, path: tuple = ()) -> list[Issue]:
    """Every text of the file, quotes included: no control or bidirectional characters, formula starts, markup or
    oversize strings (loaders.textsafety); the model checks that URLs are http(s)."""
    if isinstance(doc, dict):
        return [i for k, v in doc.items() for i in rule_text_safety(v, (*path, k))]
    if isinstance(doc, list):
        return [i for n, v in enumerate(doc) for i in rule_text_safety(v, (*path, n))]
    if isinstance(doc, str):
        rule = text_rule(doc)
        return [(path, rule)] if rule else []
    return []


def _at(doc: Any, path: tuple) -> Any:
    for part in path:
        doc = doc.get(part) if isinstance(doc, dict) else (doc[part] if isinstance(doc, list) and isinstance(part, int)
                                                           and part < len(doc) else None)
    return doc


def check(rec: Record, doc: dict, stem: str, sources: dict[str, Source], geocoder: Any
          ) -> tuple[list[Issue], list[tuple[float | None, float | None]], list[q.Attestation]]:
    """Every cross-field rule, in the order problems are listed; also the places' coordinates and the
    attestations (for the table)."""
    places, coords = rule_places_located(rec, geocoder)
    atts = attestations(rec)
    issues = (rule_text_safety(doc) + rule_id_is_file_name(rec, stem) + rule_spanish_summary(rec) + rule_proposed_together(rec)
              + rule_dates(rec) + rule_sources_known_and_complete(rec, sources) + rule_detachments(rec) + places
              + rule_related_not_self(rec) + rule_decision_with_kind(rec, doc) + rule_quotes(rec, doc, sources, atts))
    return issues, coords, atts
