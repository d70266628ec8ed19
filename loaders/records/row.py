"""A valid deployment record as one row of the deployments table (plain dicts and lists, as the app reads them)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import quotes as q
from .model import Record
from .rules import personnel_max

COLUMNS = ["id", "file", "name", "kind", "status", "iso3", "start", "end", "date_precision", "end_precision",
           "personnel_max", "personnel_attributed_to", "personnel_attributed_to_es", "personnel_source_id",
           "personnel_detail", "personnel_detail_es", "organiser", "organiser_es",
           "services", "purpose", "purpose_attributed_to", "summary", "sources", "places", "detachments",
           "claims", "name_es", "summary_es", "purpose_es", "purpose_attributed_to_es", "our_translation", "related",
           "decision", "personnel", "attestations"]


def _iso(date: Any) -> str | None:
    return date.isoformat() if date is not None else None


def _attributed(item: Any, *keys: str) -> dict | None:
    if item is None:
        return None
    return {**{k: getattr(item, k) for k in keys}, "source_id": item.source_id, "attributed_to": item.attributed_to,
            "attributed_to_es": item.attributed_to_es}


def _decision(rec: Record) -> dict | None:
    d = rec.decision
    if d is None or rec.kind != "decision":
        return None
    auth = d.us_personnel_authorised
    return {"type": d.type, "body": d.body, "body_es": d.body_es, "instrument": d.instrument,
            "instrument_es": d.instrument_es, "decided": _iso(d.decided),
            "vote": _attributed(d.vote, "in_favour", "against", "abstentions"),
            "period": {"start": _iso(d.period.start), "end": _iso(d.period.end)} if d.period else None,
            "us_personnel_authorised": None if auth is None else {"value": auth.value, "source_id": auth.source_id,
                                                                  "attributed_to": auth.attributed_to,
                                                                  "attributed_to_es": auth.attributed_to_es,
                                                                  "detail": auth.detail, "detail_es": auth.detail_es},
            "regions": [r.strip() for r in d.regions], "regions_es": [r.strip() for r in d.regions_es],
            "weapons": _attributed(d.weapons, "text", "text_es"), "result": _attributed(d.result, "text", "text_es")}


def build(rec: Record, label: str, coords: list[tuple], atts: list[q.Attestation],
          line: Callable[[tuple], int | None], field_name: Callable[[tuple], str]) -> dict[str, Any]:
    top = personnel_max(rec)
    return {
        "id": rec.id, "file": label, "name": rec.name, "kind": rec.kind, "status": rec.status, "iso3": rec.iso3,
        "start": rec.start, "end": rec.end, "date_precision": rec.date_precision,
        "end_precision": rec.end_precision or rec.date_precision,
        "personnel_max": top.value if top else None, "personnel_attributed_to": top.attributed_to if top else None,
        "personnel_attributed_to_es": top.attributed_to_es if top else None,
        "personnel_source_id": top.source_id if top else None, "personnel_detail": top.detail if top else None,
        "personnel_detail_es": top.detail_es if top else None,
        "organiser": rec.organiser, "organiser_es": rec.organiser_es, "services": "; ".join(rec.services) if rec.services else None,
        "purpose": rec.purpose.text if rec.purpose else None,
        "purpose_attributed_to": rec.purpose.attributed_to if rec.purpose else None,
        "purpose_attributed_to_es": rec.purpose.attributed_to_es if rec.purpose else None,
        "summary": rec.summary,
        "sources": [{"source_id": s.source_id, "attributed_to": s.attributed_to, "attributed_to_es": s.attributed_to_es,
                     "detail": s.detail, "detail_es": s.detail_es}
                    for s in rec.sources],
        "places": [{"name": p.name, "name_es": p.name_es, "query": p.query, "lat": lat, "lon": lon}
                   for p, (lat, lon) in zip(rec.places, coords)],
        "detachments": [{"name": d.name, "name_es": d.name_es, "personnel": d.personnel, "aircraft": d.aircraft, "ships": d.ships,
                         "description": d.description, "description_es": d.description_es,
                         "source_id": d.source_id, "attributed_to": d.attributed_to,
                         "attributed_to_es": d.attributed_to_es} for d in rec.detachments],
        "claims": [{"about": c.about, "text": c.text, "text_es": c.text_es, "date": _iso(c.date),
                    "source_id": c.source_id, "attributed_to": c.attributed_to,
                    "attributed_to_es": c.attributed_to_es} for c in rec.claims],
        "name_es": rec.name_es, "summary_es": rec.summary_es,
        "purpose_es": rec.purpose.text_es if rec.purpose else None, "our_translation": rec.our_translation,
        "related": list(rec.related), "decision": _decision(rec),
        "personnel": [{"value": f.value, "source_id": f.source_id, "attributed_to": f.attributed_to,
                       "attributed_to_es": f.attributed_to_es, "detail": f.detail, "detail_es": f.detail_es,
                       "date": _iso(f.date)} for f in rec.personnel],
        "attestations": [{"field": field_name(a.path), "line": line(a.path), "kind": a.kind,
                          "numbers": a.numbers, "source_id": a.source_id, **a.as_dict()} for a in atts],
    }
