"""The structure and types of a deployment record (``data/deployments/*.yaml``) as pydantic models.

Each field's type is a small validator that fails with the rule a reader sees (``required``, ``must be text, got
int``, ``must be one of ...``); :func:`validate` turns pydantic's errors into ``(path, rule)`` pairs, unknown
fields first at each level, then the fields in the order the models list them. Rules that look at several fields
(dates in order, sums, sources, quotes) are in :mod:`.rules` and :mod:`.quotes`.
"""
from __future__ import annotations

import datetime as _dt
import re
import typing
from collections.abc import Callable
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from ..schema import MAX_ABS_NUMBER

KINDS = ("deployment", "exercise", "mission", "proposed", "decision", "operation")
STATUSES = ("reported", "proposed", "historical", "authorised", "under-way", "completed", "rejected", "cancelled")
DECISION_TYPES = ("authorisation", "agreement", "vote", "referendum", "rejection")
LANGUAGES = ("es", "en")  # our_translation: which language's text is Footprint's own translation
DATE_MIN, DATE_MAX = _dt.date(1900, 1, 1), _dt.date(2030, 12, 31)  # any date outside is a typo
PRECISIONS = ("day", "month", "year")
SERVICES = ("Army", "Navy", "Air Force", "Marine Corps", "Space Force", "Coast Guard")
DERIVED_OPS = ("sum",)
RECORD_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

Issue = tuple[tuple, str]  # (path inside the record, rule)


def fail(rule: str) -> typing.NoReturn:
    raise PydanticCustomError("rule", "{rule}", {"rule": rule})


# ------------------------------------------------------------------------------------------ field types ---

def _text(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        fail("required")
    if not isinstance(value, str):
        fail(f"must be text, got {type(value).__name__}")
    return value.strip()


def _optional_text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, str) and not value.strip()) else _text(value)


def _one_of(allowed: tuple[str, ...], note: str = "") -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _text(value)
        if text not in allowed:
            fail(f"must be one of {', '.join(allowed)}{note}; got {text[:40]!r}")
        return text
    return check


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        fail(f"must be a whole number as reported (no text, no 0 for 'not reported'), got {str(value)[:40]!r}")
    if value < 0:
        fail(f"must not be negative, got {value}")
    if value > MAX_ABS_NUMBER:
        fail(f"implausibly large number {str(value)[:40]}")
    return value


def _reported_count(what: str) -> Callable[[Any], int]:
    """A count that must be there when its mapping is: ``required (leave <what> out when not reported)``."""
    def check(value: Any) -> int:
        if value is None:
            fail(f"required (leave {what} out when not reported)")
        return _count(value)
    return check


def _date(value: Any) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        fail("must be a date YYYY-MM-DD without a time")
    if isinstance(value, _dt.date):
        date = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            date = _dt.date.fromisoformat(value.strip())
        except ValueError:
            fail(f"not a real date: {value.strip()!r}")
    else:
        fail(f"must be a date YYYY-MM-DD, got {str(value)[:40]!r}")
    if not DATE_MIN <= date <= DATE_MAX:
        fail(f"date {date.isoformat()} is outside {DATE_MIN.isoformat()}..{DATE_MAX.isoformat()}")
    return date


def _required_date(value: Any) -> _dt.date:
    if value is None:
        fail("required")
    return _date(value)


def _country(value: Any) -> str:
    from ..countries import is_known

    code = _text(value)
    if not is_known(code):
        fail(f"unknown country code {code!r}")
    return code


def _list_of(what: str, item: Callable[[Any], bool]) -> Callable[[Any], list]:
    def check(value: Any) -> list:
        if value is None:
            return []
        if not isinstance(value, list) or not all(item(v) for v in value):
            fail(f"must be a list of {what}")
        return value
    return check


def _record_id(value: Any) -> str:
    if not isinstance(value, str) or not RECORD_ID.fullmatch(value):
        fail(f"must be a record id (a file name without .yaml), got {str(value)[:40]!r}")
    return value


def _parts(value: Any) -> list[int]:
    if (not isinstance(value, list) or len(value) < 2
            or not all(isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= MAX_ABS_NUMBER for p in value)):
        fail("must be a list of at least two whole numbers")
    return value


def _quotes(value: Any) -> Any:
    """One ``{text, lang}`` mapping or a list of them: always a list inside (paths are mapped back by
    :func:`validate`)."""
    if value is None or isinstance(value, list):
        return value or None
    if isinstance(value, dict):
        return [value]
    fail("must be a mapping {text, lang} or a list of them")


def _reason(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        fail("must be a short English reason (text)")
    return value.strip()


def _none_is_empty(value: Any) -> Any:
    return [] if value is None else value


def _related(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        fail("must be a list of record ids")
    return value


def _reported(what: str) -> Any:
    """A count that must be there when its mapping is (a missing key is checked too, so the rule names it)."""
    return Field(default=None, validate_default=True, json_schema_extra={"reported": what})


Text = Annotated[str, BeforeValidator(_text)]
OptText = Annotated[str | None, BeforeValidator(_optional_text)]
Count = Annotated[int | None, BeforeValidator(_count)]
Date = Annotated[_dt.date | None, BeforeValidator(_date)]
RequiredDate = Annotated[_dt.date, BeforeValidator(_required_date)]


class _Model(BaseModel):
    # Unknown fields are problems, so a typo never silently drops a fact.
    model_config = ConfigDict(extra="forbid", frozen=True)
    MAPPING: ClassVar[str] = ""  # what "must be a mapping: ..." lists for this model


class Quote(_Model):
    text: Text
    lang: Text


class Derived(_Model):
    MAPPING: ClassVar[str] = "op, parts"
    op: Annotated[str, BeforeValidator(_one_of(DERIVED_OPS))]
    parts: Annotated[list[int], BeforeValidator(_parts)]


QuoteList = Annotated[list[Quote] | None, BeforeValidator(_quotes)]
Reason = Annotated[str | None, BeforeValidator(_reason)]


# Each model lists its fields in the order the file format documents them (and problems are listed in): the
# count or text first, then source_id and attributed_to (every claim carries both), then the source's words.

class SourceRef(_Model):
    MAPPING: ClassVar[str] = "source_id, attributed_to, detail"
    source_id: Text
    attributed_to: Text
    detail: OptText = None


class PersonnelMax(_Model):
    MAPPING: ClassVar[str] = "value, source_id, attributed_to, detail"
    value: Annotated[int, BeforeValidator(_reported_count("personnel_max"))] = _reported("personnel_max")
    source_id: Text
    attributed_to: Text
    detail: OptText = None
    quote: QuoteList = None
    unverified: Reason = None
    derived: Derived | None = None


class Figure(_Model):
    value: Annotated[int, BeforeValidator(_reported_count("the figure"))] = _reported("the figure")
    source_id: Text
    attributed_to: Text
    detail: OptText = None
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
    quote: QuoteList = None
    unverified: Reason = None


class Claim(_Model):
    about: Text
    text: Text
    text_es: OptText = None
    date: Date = None
    source_id: Text
    attributed_to: Text
    quote: QuoteList = None
    unverified: Reason = None


class Detachment(_Model):
    name: Text
    personnel: Count = None
    aircraft: Count = None
    ships: Count = None
    description: OptText = None
    description_es: OptText = None
    source_id: Text
    attributed_to: Text
    quote: QuoteList = None
    unverified: Reason = None
    derived: Derived | None = None


class Place(_Model):
    name: Text
    query: OptText = None


class Vote(_Model):
    MAPPING: ClassVar[str] = "in_favour, against, abstentions, source_id, attributed_to"
    in_favour: Annotated[int, BeforeValidator(_reported_count("vote"))] = _reported("vote")
    against: Count = None
    abstentions: Count = None
    source_id: Text
    attributed_to: Text
    quote: QuoteList = None
    unverified: Reason = None


class Period(_Model):
    MAPPING: ClassVar[str] = "start, end"
    start: RequiredDate
    end: RequiredDate


class Authorised(_Model):
    MAPPING: ClassVar[str] = "value, source_id, attributed_to, detail"
    value: Annotated[int, BeforeValidator(_reported_count("us_personnel_authorised"))] = _reported(
        "us_personnel_authorised")
    source_id: Text
    attributed_to: Text
    detail: OptText = None
    quote: QuoteList = None
    unverified: Reason = None
    derived: Derived | None = None


class Decision(_Model):
    MAPPING: ClassVar[str] = ("type, body, body_es, instrument, decided, vote, period, us_personnel_authorised, regions, weapons, "
               "result")
    type: Annotated[str, BeforeValidator(_one_of(DECISION_TYPES))]
    body: Text
    body_es: OptText = None
    instrument: OptText = None
    decided: Date = None
    vote: Vote | None = None
    period: Period | None = None
    us_personnel_authorised: Authorised | None = None
    regions: Annotated[list[str], BeforeValidator(_list_of("region names", lambda r: isinstance(r, str) and r.strip()))] = []
    weapons: AttributedText | None = None
    result: AttributedText | None = None


def _list(model: type) -> Any:
    return Annotated[list[model], BeforeValidator(_none_is_empty)]


class Record(_Model):
    """One deployment file. The field order is the order problems are listed in."""
    id: Text
    name: Text
    summary: Text
    organiser: OptText = None
    name_es: OptText = None
    summary_es: OptText = None
    our_translation: Annotated[str | None, BeforeValidator(
        lambda v: None if v is None else _one_of(LANGUAGES, " (the language Footprint translated into)")(v))] = None
    kind: Annotated[str, BeforeValidator(_one_of(KINDS))]
    status: Annotated[str, BeforeValidator(_one_of(STATUSES))]
    date_precision: Annotated[str, BeforeValidator(_one_of(PRECISIONS))]
    end_precision: Annotated[str | None, BeforeValidator(lambda v: None if v is None else _one_of(PRECISIONS)(v))] = None
    iso3: Annotated[str, BeforeValidator(_country)]
    start: RequiredDate
    end: Date = None
    services: Annotated[list[Annotated[str, BeforeValidator(_one_of(SERVICES))]], BeforeValidator(
        _list_of("service names", lambda s: isinstance(s, str)))] = []
    sources: Annotated[list[SourceRef], Field(min_length=1)]
    personnel_max: PersonnelMax | None = None
    personnel: _list(Figure) = []
    purpose: AttributedText | None = None
    claims: _list(Claim) = []
    detachments: _list(Detachment) = []
    places: _list(Place) = []
    related: Annotated[list[Annotated[str, BeforeValidator(_record_id)]], BeforeValidator(_related)] = []
    decision: Decision | None = None


# --------------------------------------------------------------------------------------- errors -> rules ---

def _child_model(model: type | None, key: Any) -> type | None:
    """The model a field (or, for a list, its items) holds, to follow a problem's path down the models."""
    if model is None or not isinstance(key, str) or key not in model.model_fields:
        return None
    stack = [model.model_fields[key].annotation]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
        stack.extend(typing.get_args(tp))
    return None


def _models_along(path: tuple) -> list[type | None]:
    """The model at each level of ``path`` (None where the level is a list or a plain value)."""
    models, model = [Record], Record
    for key in path:
        if not isinstance(key, int):
            model = _child_model(model, key)
        models.append(model)
    return models


def _sort_key(path: tuple) -> tuple:
    """Unknown fields first at each level, then fields in model order, list items in order."""
    key, model = [], Record
    for part in path:
        if isinstance(part, int):
            key.append(part)
            continue
        fields = list(model.model_fields) if model is not None else []
        key.append(fields.index(part) if part in fields else -1)
        model = _child_model(model, part)
    return tuple(key)


def _rule(error: dict, path: tuple, doc: Any) -> str:
    kind, models = error["type"], _models_along(path)
    parent = models[-2] if len(models) > 1 else None
    if kind == "rule":
        return error["ctx"]["rule"]
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return f"unknown field (allowed: {', '.join(parent.model_fields) if parent else ''})"
    if error.get("input", 0) is None:
        return "required"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        model = models[-1]
        if path and isinstance(path[-1], int):
            return "must be a mapping"
        return f"must be a mapping: {model.MAPPING}" if model is not None and model.MAPPING else "must be a mapping"
    if kind == "list_type":
        return "must be a list"
    if kind == "too_short" and path == ("sources",):
        return "must list at least one entry"
    return error["msg"]


def _doc_path(loc: tuple, doc: Any) -> tuple:
    """pydantic's location as a path in the file: a single quote mapping was read as a list of one."""
    out: list = []
    node = doc
    for part in loc:
        if isinstance(part, int) and out and out[-1] == "quote" and isinstance(node, dict):
            continue
        out.append(part)
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
    return tuple(out)


def validate(doc: dict) -> tuple[Record | None, list[Issue]]:
    """The record, or None and every structure and type problem as (path, rule)."""
    try:
        return Record.model_validate(doc), []
    except ValidationError as exc:
        found = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            path = _doc_path(loc, doc)
            found.append((_sort_key(loc), path, _rule(error, loc, doc)))
        found.sort(key=lambda f: f[0])
        return None, [(path, rule) for _, path, rule in found]
