"""The structure of a deployment record (``data/deployments/*.yaml``) as pydantic models: which fields each
mapping has, in which order, which are required, and their types (:mod:`.fields`). Unknown fields are refused.
:mod:`.errors` turns pydantic's errors into ``(path, rule)`` pairs; the rules across fields are in :mod:`.rules`
and :mod:`.quotes`.
"""
from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

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


# Each model lists its fields in the order the file format documents them (and problems are listed in): the
# count or text first, then source_id and attributed_to (every claim carries both), then the source's words.

class SourceRef(_Model):
    MAPPING: ClassVar[str] = "source_id, attributed_to, detail"
    source_id: Text
    attributed_to: Text
    attributed_to_es: OptText = None
    detail: OptText = None
    detail_es: OptText = None


class _ReportedCount(_Model):
    """One count a source reports, as a record's personnel_max and a decision's us_personnel_authorised carry it.
    Each declares ``value`` again, with its own name in the rule; it keeps its place, first."""
    MAPPING: ClassVar[str] = "value, source_id, attributed_to, detail"
    value: int
    source_id: Text
    attributed_to: Text
    attributed_to_es: OptText = None
    detail: OptText = None
    detail_es: OptText = None
    quote: QuoteList = None
    unverified: Reason = None
    derived: Derived | None = None


class PersonnelMax(_ReportedCount):
    value: Annotated[int, BeforeValidator(reported_count("personnel_max"))] = reported("personnel_max")


class Figure(_Model):
    value: Annotated[int, BeforeValidator(reported_count("the figure"))] = reported("the figure")
    source_id: Text
    attributed_to: Text
    attributed_to_es: OptText = None
    detail: OptText = None
    detail_es: OptText = None
    date: Date = None
    quote: QuoteList = None
    unverified: Reason = None
    derived: Derived | None = None


class AttributedText(_Model):
    MAPPING: ClassVar[str] = "text, text_es, source_id, attributed_to"
    text: Text
    text_es: OptText = None
    source_id: Text
    attributed_to: Text
    attributed_to_es: OptText = None
    quote: QuoteList = None
    unverified: Reason = None


class Claim(_Model):
    about: Text
    text: Text
    text_es: OptText = None
    date: Date = None
    source_id: Text
    attributed_to: Text
    attributed_to_es: OptText = None
    quote: QuoteList = None
    unverified: Reason = None


class Detachment(_Model):
    name: Text
    name_es: OptText = None
    personnel: Count = None
    aircraft: Count = None
    ships: Count = None
    description: OptText = None
    description_es: OptText = None
    source_id: Text
    attributed_to: Text
    attributed_to_es: OptText = None
    quote: QuoteList = None
    unverified: Reason = None
    derived: Derived | None = None


class Place(_Model):
    name: Text
    name_es: OptText = None
    query: OptText = None


class Vote(_Model):
    MAPPING: ClassVar[str] = "in_favour, against, abstentions, source_id, attributed_to"
    in_favour: Annotated[int, BeforeValidator(reported_count("vote"))] = reported("vote")
    against: Count = None
    abstentions: Count = None
    source_id: Text
    attributed_to: Text
    attributed_to_es: OptText = None
    quote: QuoteList = None
    unverified: Reason = None


class Period(_Model):
    MAPPING: ClassVar[str] = "start, end"
    start: RequiredDate
    end: RequiredDate


class Authorised(_ReportedCount):
    value: Annotated[int, BeforeValidator(reported_count("us_personnel_authorised"))] = reported(
        "us_personnel_authorised")


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
