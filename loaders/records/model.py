"""The structure of a deployment record (``data/deployments/*.yaml``) as pydantic models: which fields each
mapping has, in which order, which are required, and their types (:mod:`.fields`). Unknown fields are refused.
:mod:`.errors` turns pydantic's errors into ``(path, rule)`` pairs; the rules across fields are in :mod:`.rules`
and :mod:`.quotes`.
"""
from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from .fields import (
    DECISION_TYPES,
    DERIVED_OPS,
    KINDS,
    LANGUAGES,
    PRECISIONS,
    SERVICES,
    STATUSES,
    Count,
    Date,
    OptText,
    RequiredDate,
    Text,
    as_country,
    as_parts,
    as_quotes,
    as_reason,
    as_record_id,
    as_related,
    list_of,
    none_is_empty,
    one_of,
    reported,
    reported_count,
)


class _Model(BaseModel):
    # Unknown fields are problems, so a typo never silently drops a fact.
    model_config = ConfigDict(extra="forbid", frozen=True)
    MAPPING: ClassVar[str] = ""  # what "must be a mapping: ..." lists for this model


class Quote(_Model):
    text: Text
    lang: Text


class Derived(_Model):
    MAPPING: ClassVar[str] = "op, parts"
    op: Annotated[str, BeforeValidator(one_of(DERIVED_OPS))]
    parts: Annotated[list[int], BeforeValidator(as_parts)]


QuoteList = Annotated[list[Quote] | None, BeforeValidator(as_quotes)]
Reason = Annotated[str | None, BeforeValidator(as_reason)]


# The groups of fields that attributed mappings share, each listed once. A model is its own fields followed by the
# groups it carries, in the order the file format documents them (and problems are listed in): the count or text
# first, then source_id and attributed_to (every claim carries both), then the source's words.
ATTRIBUTION: dict[str, Any] = {"source_id": (Text, ...), "attributed_to": (Text, ...),
                               "attributed_to_es": (OptText, None)}
DETAIL: dict[str, Any] = {"detail": (OptText, None), "detail_es": (OptText, None)}
EVIDENCE: dict[str, Any] = {"quote": (QuoteList, None), "unverified": (Reason, None)}
SUM: dict[str, Any] = {"derived": (Derived | None, None)}
COUNT_MAPPING = "value, source_id, attributed_to, detail"


def _model(name: str, *groups: dict[str, Any], mapping: str = "") -> type[_Model]:
    """A model of ``name`` whose fields are ``groups`` in order; ``mapping`` is what "must be a mapping: ..."
    lists for it."""
    fields = {k: v for group in groups for k, v in group.items()}
    model = create_model(name, __base__=_Model, __module__=__name__, **fields)
    model.MAPPING = mapping
    return model


def _count(rule: str) -> dict[str, Any]:
    """A reported count's ``value``, named ``rule`` in its problems."""
    return {"value": (Annotated[int, BeforeValidator(reported_count(rule))], reported(rule))}


SourceRef = _model("SourceRef", ATTRIBUTION, DETAIL, mapping="source_id, attributed_to, detail")
# one count a source reports: a record's personnel_max, a decision's us_personnel_authorised
PersonnelMax = _model("PersonnelMax", _count("personnel_max"), ATTRIBUTION, DETAIL, EVIDENCE, SUM,
                      mapping=COUNT_MAPPING)
Authorised = _model("Authorised", _count("us_personnel_authorised"), ATTRIBUTION, DETAIL, EVIDENCE, SUM,
                    mapping=COUNT_MAPPING)
Figure = _model("Figure", _count("the figure"), ATTRIBUTION, DETAIL, {"date": (Date, None)}, EVIDENCE, SUM)
AttributedText = _model("AttributedText", {"text": (Text, ...), "text_es": (OptText, None)}, ATTRIBUTION, EVIDENCE,
                        mapping="text, text_es, source_id, attributed_to")
Claim = _model("Claim", {"about": (Text, ...), "text": (Text, ...), "text_es": (OptText, None),
                         "date": (Date, None)}, ATTRIBUTION, EVIDENCE)
Detachment = _model("Detachment", {"name": (Text, ...), "name_es": (OptText, None), "personnel": (Count, None),
                                   "aircraft": (Count, None), "ships": (Count, None),
                                   "description": (OptText, None), "description_es": (OptText, None)},
                    ATTRIBUTION, EVIDENCE, SUM)
Vote = _model("Vote", {"in_favour": _count("vote")["value"], "against": (Count, None), "abstentions": (Count, None)},
              ATTRIBUTION, EVIDENCE, mapping="in_favour, against, abstentions, source_id, attributed_to")


class Place(_Model):
    name: Text
    name_es: OptText = None
    query: OptText = None


class Period(_Model):
    MAPPING: ClassVar[str] = "start, end"
    start: RequiredDate
    end: RequiredDate


class Decision(_Model):
    MAPPING: ClassVar[str] = ("type, body, body_es, instrument, decided, vote, period, us_personnel_authorised, regions, weapons, "
               "result")
    type: Annotated[str, BeforeValidator(one_of(DECISION_TYPES))]
    body: Text
    body_es: OptText = None
    instrument: OptText = None
    instrument_es: OptText = None
    decided: Date = None
    vote: Vote | None = None
    period: Period | None = None
    us_personnel_authorised: Authorised | None = None
    regions: Annotated[list[str], BeforeValidator(list_of("region names", lambda r: isinstance(r, str) and r.strip()))] = []
    regions_es: Annotated[list[str], BeforeValidator(list_of("region names", lambda r: isinstance(r, str) and r.strip()))] = []
    weapons: AttributedText | None = None
    result: AttributedText | None = None


def _list(model: type) -> Any:
    return Annotated[list[model], BeforeValidator(none_is_empty)]


class Record(_Model):
    """One deployment file. The field order is the order problems are listed in."""
    id: Text
    name: Text
    summary: Text
    organiser: OptText = None
    organiser_es: OptText = None
    name_es: OptText = None
    summary_es: OptText = None
    our_translation: Annotated[str | None, BeforeValidator(
        lambda v: None if v is None else one_of(LANGUAGES, " (the language Footprint translated into)")(v))] = None
    kind: Annotated[str, BeforeValidator(one_of(KINDS))]
    status: Annotated[str, BeforeValidator(one_of(STATUSES))]
    date_precision: Annotated[str, BeforeValidator(one_of(PRECISIONS))]
    end_precision: Annotated[str | None, BeforeValidator(lambda v: None if v is None else one_of(PRECISIONS)(v))] = None
    iso3: Annotated[str, BeforeValidator(as_country)]
    start: RequiredDate
    end: Date = None
    services: Annotated[list[Annotated[str, BeforeValidator(one_of(SERVICES))]], BeforeValidator(
        list_of("service names", lambda s: isinstance(s, str)))] = []
    sources: Annotated[list[SourceRef], Field(min_length=1)]
    personnel_max: PersonnelMax | None = None
    personnel: _list(Figure) = []
    purpose: AttributedText | None = None
    claims: _list(Claim) = []
    detachments: _list(Detachment) = []
    places: _list(Place) = []
    related: Annotated[list[Annotated[str, BeforeValidator(as_record_id)]], BeforeValidator(as_related)] = []
    decision: Decision | None = None
