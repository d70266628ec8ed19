"""Validation of URL query parameters, before the widgets bound to them are created. Pure Python, no Streamlit.

Each view declares its parameters; :func:`check` compares the raw URL values with the allowed ones and returns a
notice for each bad one (naming the parameter, the bad value and the default used instead). Streamlit's
``bind="query-params"`` drops a value a widget cannot take and shows the default; these notices make that
visible to the reader instead of silent.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

import i18n


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

    def describe_default(self, lang: str = "en") -> str:
        _ = i18n.gettext_for(lang)
        if self.kind == "multi":
            return ", ".join(_(str(d)) for d in self.default) or _("none")  # type: ignore[union-attr]
        if self.kind == "bool":
            return _("on") if self.default else _("off")
        return _(str(self.default)) if self.default != "" else _("none")


@dataclass(frozen=True)
class Notice:
    key: str
    value: str
    message: str


def _short(value: str) -> str:
    # shown inside a Markdown code span: no backticks or line breaks can escape it
    value = value.replace("`", "'").replace("\n", " ").replace("\r", " ")
    return value if len(value) <= 40 else value[:37] + "…"


def _bad_value(p: Param, value: str, lang: str = "en") -> str | None:
    """Why ``value`` is not acceptable for ``p`` (None when it is fine)."""
    _ = i18n.gettext_for(lang)
    if p.kind == "int":
        try:
            n = int(value.strip())
        except ValueError:
            return _("is not a whole number")
        if p.min is not None and n < p.min or p.max is not None and n > p.max:
            return _("is outside {lo}–{hi}").format(lo=p.min, hi=p.max)
        return None
    if p.kind == "bool":
        return None if value.strip().lower() in ("true", "false") else _("must be true or false")
    if p.kind in ("choice", "multi"):
        return None if value in p.allowed else _("is not one of the options")
    raise ValueError(f"unknown parameter kind {p.kind!r}")


def check(query: Mapping[str, Sequence[str]], params: Iterable[Param], lang: str = "en") -> list[Notice]:
    """Notices for every bad value in ``query`` (a mapping of key -> list of raw values from the URL), in the
    reader's language."""
    _ = i18n.gettext_for(lang)
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
                name = _(p.label or p.key)
                notices.append(Notice(p.key, kept[p.max_items], _(
                    "The link's {name} parameter `{key}=…` lists {n}; at most {most} can be shown, so only the first "
                    "{most} are used.").format(name=name, key=p.key, n=len(kept), most=p.max_items)))
        for value in values:
            if p.kind == "multi" and value == "":
                continue
            why = _bad_value(p, value, lang)
            if why:
                name = _(p.label or p.key)
                msg = (_("The link's {name} parameter `{key}={value}` {why}").format(
                    name=name, key=p.key, value=_short(value), why=why)
                       + (_("; it was ignored.") if p.kind == "multi" else
                          _("; showing the default ({default}).").format(default=p.describe_default(lang))))
                notices.append(Notice(p.key, value, msg))
    return notices


MAX_NOTICES = 3  # a link with hundreds of bad values still shows at most this many notices


def fold(notices: Sequence[Notice], limit: int = MAX_NOTICES, lang: str = "en") -> list[Notice]:
    """At most ``limit`` notices for the reader, naming every bad parameter once.

    Several bad values of one parameter (``?layers=a&layers=b&...``) become one notice: the first value's message
    plus "… and N more values of `key`". When more parameters than ``limit`` are bad, the first ``limit - 1`` keep
    their notice and one last notice lists the others (each with its first bad value, "and N more" for the rest).
    Every notice still starts with "The link's" and its first code span is ``key=value`` of a bad value."""
    _ = i18n.gettext_for(lang)
    groups: dict[str, list[Notice]] = {}
    for n in notices:
        groups.setdefault(n.key, []).append(n)

    def one(group: list[Notice]) -> Notice:
        first = group[0]
        if len(group) == 1:
            return first
        more = len(group) - 1
        return Notice(first.key, first.value, first.message + " " + (
            _("… and {n} more bad values of `{key}`, all ignored.") if more > 1 else
            _("… and 1 more bad value of `{key}`, also ignored.")).format(n=f"{more:,}", key=first.key))

    folded = [one(g) for g in groups.values()]
    if len(folded) <= limit:
        return folded
    rest = list(groups.values())[limit - 1:]
    parts = []
    for group in rest:
        extra = _(" and {n} more").format(n=f"{len(group) - 1:,}") if len(group) > 1 else ""
        parts.append(f"`{group[0].key}={_short(group[0].value)}`{extra}")
    total = sum(len(g) for g in rest)
    message = (_("The link's other bad values ({total} in {n} parameters): ").format(total=f"{total:,}", n=len(rest))
               + ", ".join(parts) + _("; each was ignored or replaced by its default."))
    return folded[:limit - 1] + [Notice(rest[0][0].key, rest[0][0].value, message)]


def raw_query(get_all: Callable[[str], list[str]], keys: Iterable[str]) -> dict[str, list[str]]:
    """Collect raw values for ``keys`` with a ``get_all`` function (``st.query_params.get_all``)."""
    return {k: list(get_all(k)) for k in keys}
