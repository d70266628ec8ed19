"""Validation of URL query parameters, before the widgets bound to them are created. Pure Python, no Streamlit.

Each view declares its parameters; :func:`check` compares the raw URL values with the allowed ones and returns a
notice for each bad one (naming the parameter, the bad value and the default used instead). Streamlit's
``bind="query-params"`` drops a value a widget cannot take and shows the default; these notices make that
visible to the reader instead of silent.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence


@dataclass(frozen=True)
class Param:
    key: str
    kind: str  # "int" (min..max), "choice" (one of allowed), "multi" (subset of allowed), "bool"
    default: object
    allowed: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    label: str = ""  # what the reader knows it as, e.g. "year"
    max_items: int | None = None  # "multi": at most this many values are used

    def describe_default(self) -> str:
        if self.kind == "multi":
            return ", ".join(map(str, self.default)) or "none"  # type: ignore[arg-type]
        if self.kind == "bool":
            return "on" if self.default else "off"
        return str(self.default)


@dataclass(frozen=True)
class Notice:
    key: str
    value: str
    message: str


def _short(value: str) -> str:
    # shown inside a Markdown code span: no backticks or line breaks can escape it
    value = value.replace("`", "'").replace("\n", " ").replace("\r", " ")
    return value if len(value) <= 40 else value[:37] + "…"


def _bad_value(p: Param, value: str) -> str | None:
    """Why ``value`` is not acceptable for ``p`` (None when it is fine)."""
    if p.kind == "int":
        try:
            n = int(value.strip())
        except ValueError:
            return "is not a whole number"
        if p.min is not None and n < p.min or p.max is not None and n > p.max:
            return f"is outside {p.min}–{p.max}"
        return None
    if p.kind == "bool":
        return None if value.strip().lower() in ("true", "false") else "must be true or false"
    if p.kind in ("choice", "multi"):
        return None if value in p.allowed else "is not one of the options"
    raise ValueError(f"unknown parameter kind {p.kind!r}")


def check(query: Mapping[str, Sequence[str]], params: Iterable[Param]) -> list[Notice]:
    """Notices for every bad value in ``query`` (a mapping of key -> list of raw values from the URL)."""
    notices: list[Notice] = []
    for p in params:
        values = list(query.get(p.key, []) or [])
        if not values:
            continue
        if p.kind != "multi" and len(values) > 1:
            values = values[-1:]
        if p.kind == "multi" and p.max_items is not None:
            kept = [v for v in values if v != "" and _bad_value(p, v) is None]
            if len(kept) > p.max_items:
                name = p.label or p.key
                notices.append(Notice(p.key, kept[p.max_items], f"The link's {name} parameter `{p.key}=…` lists {len(kept)}; "
                                      f"at most {p.max_items} can be shown, so only the first {p.max_items} are used."))
        for value in values:
            if p.kind == "multi" and value == "":
                continue
            why = _bad_value(p, value)
            if why:
                name = p.label or p.key
                msg = (f"The link's {name} parameter `{p.key}={_short(value)}` {why}"
                       + ("; it was ignored." if p.kind == "multi" else f"; showing the default ({p.describe_default()})."))
                notices.append(Notice(p.key, value, msg))
    return notices


MAX_NOTICES = 3  # a link with hundreds of bad values still shows at most this many notices


def fold(notices: Sequence[Notice], limit: int = MAX_NOTICES) -> list[Notice]:
    """At most ``limit`` notices for the reader, naming every bad parameter once.

    Several bad values of one parameter (``?layers=a&layers=b&...``) become one notice: the first value's message
    plus "… and N more values of `key`". When more parameters than ``limit`` are bad, the first ``limit - 1`` keep
    their notice and one last notice lists the others (each with its first bad value, "and N more" for the rest).
    Every notice still starts with "The link's" and its first code span is ``key=value`` of a bad value."""
    groups: dict[str, list[Notice]] = {}
    for n in notices:
        groups.setdefault(n.key, []).append(n)

    def one(group: list[Notice]) -> Notice:
        first = group[0]
        if len(group) == 1:
            return first
        more = len(group) - 1
        return Notice(first.key, first.value,
                      f"{first.message} … and {more:,} more bad value{'s' if more > 1 else ''} of `{first.key}`, "
                      f"{'all' if more > 1 else 'also'} ignored.")

    folded = [one(g) for g in groups.values()]
    if len(folded) <= limit:
        return folded
    rest = list(groups.values())[limit - 1:]
    parts = []
    for group in rest:
        extra = f" and {len(group) - 1:,} more" if len(group) > 1 else ""
        parts.append(f"`{group[0].key}={_short(group[0].value)}`{extra}")
    total = sum(len(g) for g in rest)
    message = (f"The link's other bad values ({total:,} in {len(rest)} parameters): " + ", ".join(parts)
               + "; each was ignored or replaced by its default.")
    return folded[:limit - 1] + [Notice(rest[0][0].key, rest[0][0].value, message)]


def raw_query(get_all: Callable[[str], list[str]], keys: Iterable[str]) -> dict[str, list[str]]:
    """Collect raw values for ``keys`` with a ``get_all`` function (``st.query_params.get_all``)."""
    return {k: list(get_all(k)) for k in keys}
