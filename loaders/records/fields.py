"""The field types of a deployment record (``data/deployments/*.yaml``): each a small validator that fails with
the rule a reader sees (``required``, ``must be text, got int``, ``must be one of ...``), used by the models in
:mod:`.model`."""
from __future__ import annotations

import datetime as _dt
import re
import typing
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
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

def as_text(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        fail("required")
    if not isinstance(value, str):
        fail(f"must be text, got {type(value).__name__}")
    return value.strip()


def as_optional_text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, str) and not value.strip()) else as_text(value)


def one_of(allowed: tuple[str, ...], note: str = "") -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = as_text(value)
        if text not in allowed:
            fail(f"must be one of {', '.join(allowed)}{note}; got {text[:40]!r}")
        return text
    return check


def as_count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        fail(f"must be a whole number as reported (no text, no 0 for 'not reported'), got {str(value)[:40]!r}")
    if value < 0:
        fail(f"must not be negative, got {value}")
    if value > MAX_ABS_NUMBER:
        fail(f"implausibly large number {str(value)[:40]}")
    return value


def reported_count(what: str) -> Callable[[Any], int]:
    """A count that must be there when its mapping is: ``required (leave <what> out when not reported)``."""
    def check(value: Any) -> int:
        if value is None:
            fail(f"required (leave {what} out when not reported)")
        return as_count(value)
    return check


def as_date(value: Any) -> _dt.date | None:
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


def as_required_date(value: Any) -> _dt.date:
    if value is None:
        fail("required")
    return as_date(value)


def as_country(value: Any) -> str:
    from ..countries import is_known

    code = as_text(value)
    if not is_known(code):
        fail(f"unknown country code {code!r}")
    return code


def list_of(what: str, item: Callable[[Any], bool]) -> Callable[[Any], list]:
    def check(value: Any) -> list:
        if value is None:
            return []
        if not isinstance(value, list) or not all(item(v) for v in value):
            fail(f"must be a list of {what}")
        return value
    return check


def as_record_id(value: Any) -> str:
    if not isinstance(value, str) or not RECORD_ID.fullmatch(value):
        fail(f"must be a record id (a file name without .yaml), got {str(value)[:40]!r}")
    return value


def as_parts(value: Any) -> list[int]:
    if (not isinstance(value, list) or len(value) < 2
            or not all(isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= MAX_ABS_NUMBER for p in value)):
        fail("must be a list of at least two whole numbers")
    return value


def as_quotes(value: Any) -> Any:
    """One ``{text, lang}`` mapping or a list of them: always a list inside (paths are mapped back by
    :func:`validate`)."""
    if value is None or isinstance(value, list):
        return value or None
    if isinstance(value, dict):
        return [value]
    fail("must be a mapping {text, lang} or a list of them")


def as_reason(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        fail("must be a short English reason (text)")
    return value.strip()


def none_is_empty(value: Any) -> Any:
    return [] if value is None else value


def as_related(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        fail("must be a list of record ids")
    return value


def reported(what: str) -> Any:
    """A count that must be there when its mapping is (a missing key is checked too, so the rule names it)."""
    return Field(default=None, validate_default=True, json_schema_extra={"reported": what})


Text = Annotated[str, BeforeValidator(as_text)]
OptText = Annotated[str | None, BeforeValidator(as_optional_text)]
Count = Annotated[int | None, BeforeValidator(as_count)]
Date = Annotated[_dt.date | None, BeforeValidator(as_date)]
RequiredDate = Annotated[_dt.date, BeforeValidator(as_required_date)]
