"""The query parameters a resource takes (declared once here, listed per resource in resources.py and described
in the OpenAPI document) and their validation: an unknown, repeated or malformed parameter, a year outside the
resource's years or a range that ends before it starts is an ApiError naming the parameter."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from loaders.records.model import KINDS
from prep import MEASURES

from .errors import ApiError

CODE = re.compile(r"[A-Z]{3}")
YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "year" or "choice"
    doc: str
    choices: tuple[str, ...] = ()

    def schema(self) -> dict:
        if self.kind == "year":
            return {"type": "integer", "minimum": 1000, "maximum": 9999}
        return {"type": "string", "enum": list(self.choices)}


FROM = Param("from", "year", "first year to include (within the years this resource covers)")
TO = Param("to", "year", "last year to include (within the years this resource covers)")
YEAR_OF = Param("year", "year", "only records that started in this year")
MEASURE = Param("measure", "choice", "one measure of troops_annual instead of all (active_duty, army, ...)", MEASURES)
KIND = Param("kind", "choice", "only records of this kind", KINDS)
FORMAT = Param("format", "choice", "json or csv (the same as the path's .json or .csv; when both are given they "
               "must agree)", ("json", "csv"))


def _value(p: Param, raw: str, span: Callable[[], tuple[int, int]] | None):
    if p.kind == "year":
        if not YEAR.fullmatch(raw):
            raise ApiError(400, p.name, f"{p.name} must be a year of four digits, got {raw[:20]!r}")
        lo, hi = span() if span else (0, 9999)
        if not lo <= int(raw) <= hi:
            raise ApiError(400, p.name, f"{p.name}={raw} is outside the years this resource covers ({lo}-{hi})")
        return int(raw)
    if raw not in p.choices:
        raise ApiError(400, p.name, f"{p.name} must be one of {', '.join(p.choices)}; got {raw[:20]!r}")
    return raw


def parse_query(params: tuple[Param, ...], span: Callable[[], tuple[int, int]] | None,
                items: list[tuple[str, str]]) -> dict:
    """The query's (name, value) pairs as {name: value} (years as int), checked against ``params`` (and FORMAT,
    which every resource takes); ``span`` gives the years a year parameter may name (None: any)."""
    allowed = {p.name: p for p in params + (FORMAT,)}
    out: dict = {}
    for name, raw in items:
        if name not in allowed:
            raise ApiError(400, name, f"unknown parameter {name!r}; this resource takes: "
                           + ", ".join(sorted(allowed)))
        if name in out:
            raise ApiError(400, name, f"parameter {name!r} given more than once")
        out[name] = _value(allowed[name], raw, span)
    if "from" in out and "to" in out and out["from"] > out["to"]:
        raise ApiError(400, "to", f"to={out['to']} is before from={out['from']}")
    return out
