"""The timelines: When's timeline of named deployments and MME exercises (its items, the filters offered, and the
items one filter set draws) and a country profile's timeline (its deployments, exercises and context events).
No Streamlit here: the pages call these through their per-process cache and show the result."""
from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

import i18n
from i18n import N_

from . import timeline_title
from .places import entity
from .records import record_name

NAMED_SERIES = N_("Named deployments (project files)")
MME = "mme_exercise"
FIRST_YEAR = 1950  # the When timeline's year range reaches back at least to the troop data's first year
LAST_YEAR = 2025  # and, with no item at all, ends here


@dataclass(frozen=True)
class TimelineItem:
    """One bar of When's timeline. ``row`` is the bar's line (one named deployment, or one exercise series),
    ``series`` and ``name_en`` the English names (language-neutral filter values), ``hover`` in the reader's
    language."""
    id: str
    row: str
    start: pd.Timestamp
    end: pd.Timestamp
    kind: str
    iso3: str
    region: str
    series: str
    name_en: str
    year0: int
    year1: int
    hover: str


ITEM_COLUMNS = [f.name for f in fields(TimelineItem)]


@dataclass(frozen=True)
class TimelineChoices:
    """Every item of When's timeline (``items``: one row per :class:`TimelineItem`) and the filters derived from
    them. Filter values (countries, regions, series, item labels) are English, so a link is the same in every
    language; ``country_shown`` and ``shown_labels`` give what the reader sees."""
    items: pd.DataFrame
    country_by_label: dict[str, str]
    country_shown: dict[str, str]
    countries: list[str]
    regions: list[str]
    series: list[str]
    item_labels: dict[str, str]  # item id -> its label in the link (?item=...)
    shown_labels: dict[str, str]  # that label -> the label the reader sees
    item_by_label: dict[str, str]
    y_lo: int
    y_hi: int
    dep_sources: list[str]
    ex_sources: list[str]


@dataclass(frozen=True)
class TimelineView:
    """What one filter set draws: ``items`` (the matching items), the selectable item labels in date order and,
    when anything matches, the figure (``too_many``: only the largest rows are drawn), its counts, sources and
    download."""
    items: pd.DataFrame
    n_rows: int
    options: list[str]
    too_many: bool = False
    fig: object = None
    sources: tuple[str, ...] = ()
    n_items: int = 0
    n_shown: int = 0
    n_rows_shown: int = 0
    download: pd.DataFrame | None = None
    shown: pd.DataFrame | None = None  # the items drawn (all of ``items`` unless ``too_many``)


def place_name(code: str, lang: str) -> str:
    """A place code's name in ``lang`` ("" for no code)."""
    return i18n.country(code, entity(code)[0], lang) if code else ""


def period_text(start, end, lang: str) -> str:
    """"June 2023" or "June 2023 to May 2024", in ``lang``."""
    when = i18n.month_year(start, lang)
    if pd.notna(end):
        _ = i18n.gettext_for(lang)
        when = _("{start} to {end}").format(start=when, end=i18n.month_year(end, lang))
    return when


def _personnel_suffix(personnel, lang: str) -> str:
    if pd.isna(personnel):
        return ""
    _ = i18n.gettext_for(lang)
    return " | " + _("{n} personnel (reported)").format(n=i18n.num(personnel, lang))


def deployment_items(deps: pd.DataFrame, lang: str = "en") -> list[TimelineItem]:
    """One item per named deployment, operation or decision with a start date."""
    items = []
    for d in deps.itertuples(index=False):
        if pd.isna(d.start):
            continue
        name = record_name(d, lang)
        hover = f"{name} | {place_name(d.iso3, lang)} | {period_text(d.start, d.end, lang)}"
        items.append(TimelineItem(
            id=f"dep:{d.id}", row=name, start=d.start, end=d.end, kind=d.kind, iso3=d.iso3 or "",
            region=entity(d.iso3)[2] if d.iso3 else "", series=NAMED_SERIES, name_en=d.name, year0=d.start.year,
            year1=d.end.year if pd.notna(d.end) else d.start.year,
            hover=hover + _personnel_suffix(d.personnel_max, lang)))
    return items


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def exercise_items(ex: pd.DataFrame, lang: str = "en") -> list[TimelineItem]:
    """One item per MME exercise with a start date; an unnamed one is named by its place, its row is its series
    (or its own name when it has none)."""
    _ = i18n.gettext_for(lang)
    items = []
    for e in ex.itertuples(index=False):
        if pd.isna(e.start):
            continue
        host = _text(e.host_iso3)
        name_en = _text(e.name) or f"Unnamed exercise, {e.location}"
        shown = _text(e.name) or _("Unnamed exercise, {place}").format(place=e.location)
        series = _text(e.series) or name_en
        hover = (f"{shown} | {e.location} | {i18n.month_year(e.start, lang)} | "
                 + _("{n} countries").format(n=e.n_participants))
        items.append(TimelineItem(
            id=f"mme:{e.exercise_id}", row=f"{series} (MME)", start=e.start, end=e.end, kind=MME, iso3=host,
            region=entity(host)[2] if host else "", series=series, name_en=f"{series} (MME)", year0=int(e.year),
            year1=int(e.end.year) if pd.notna(e.end) else int(e.year), hover=hover))
    return items


def item_labels(items: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """One short, unique label per item: (item id -> the label in the link, from the English name and the first
    year; a clash gets the record's id) and (that label -> what the reader sees, from the row in ``lang``)."""
    labels: dict[str, str] = {}
    shown: dict[str, str] = {}
    used: set[str] = set()
    for item_id, name_en, row, year in zip(items["id"], items["name_en"], items["row"], items["year0"]):
        label = f"{name_en.replace(' (MME)', '')}, {year}"
        label = label if label not in used else f"{label} ({item_id.split(':', 1)[1]})"
        used.add(label)
        labels[item_id] = label
        shown[label] = f"{row.replace(' (MME)', '')}, {year}"
    return labels, shown


def source_ids(deps: pd.DataFrame) -> list[str]:
    """Every source id of every record, in order (repeats kept: the caption lists each once)."""
    return [s.get("source_id") for srcs in deps["sources"] for s in (srcs or [])]


def timeline_choices(deps: pd.DataFrame | None, ex: pd.DataFrame | None, lang: str = "en") -> TimelineChoices:
    """When's timeline items from the deployments and the exercises (either may be None: that table is not
    available) and the filter options they give."""
    _ = i18n.gettext_for(lang)
    found = (deployment_items(deps, lang) if deps is not None else []) + (
        exercise_items(ex, lang) if ex is not None else [])
    items = pd.DataFrame([vars(i) for i in found], columns=ITEM_COLUMNS)
    country_by_label = {entity(c)[0]: c for c in set(items["iso3"]) - {""}}
    country_shown = {n: place_name(c, lang) for n, c in country_by_label.items()}
    labels, shown = item_labels(items)
    return TimelineChoices(
        items=items, country_by_label=country_by_label, country_shown=country_shown,
        countries=sorted(country_by_label, key=lambda n: i18n.sort_key(country_shown[n])),
        regions=sorted(set(items["region"]) - {""}, key=lambda r: i18n.sort_key(_(r))),
        series=sorted(set(items["series"])), item_labels=labels, shown_labels=shown,
        item_by_label={v: k for k, v in labels.items()},
        y_lo=int(min(items["year0"].min(), FIRST_YEAR)) if len(items) else FIRST_YEAR,
        y_hi=int(items["year1"].max()) if len(items) else LAST_YEAR,
        dep_sources=source_ids(deps) if deps is not None else [],
        ex_sources=ex["source_id"].unique().tolist() if ex is not None else [])


def filter_items(items: pd.DataFrame, countries=(), regions=(), series=(), y_from: int = FIRST_YEAR,
                 y_to: int = LAST_YEAR) -> pd.DataFrame:
    """The items in any of ``countries``, ``regions`` and ``series`` (an empty filter keeps all) that overlap
    ``y_from``..``y_to``."""
    f = items
    for column, wanted in (("iso3", countries), ("region", regions), ("series", series)):
        if wanted:
            f = f[f[column].isin(list(wanted))]
    return f[(f["year1"] >= y_from) & (f["year0"] <= y_to)]


def rows_to_draw(f: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """At most about ``max_rows`` bar lines: every named deployment, and the exercise series with the most
    exercises (at least 10 of them)."""
    if f["row"].nunique() <= max_rows:
        return f
    named = set(f.loc[f["kind"] != MME, "row"])
    by_size = f[f["kind"] == MME].groupby("row").size().sort_values(ascending=False)
    keep = named | set(by_size.head(max(max_rows - len(named), 10)).index)
    return f[f["row"].isin(keep)]


def year_range(y_from: int, y_to: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The x range that shows ``y_from``..``y_to`` whole, with a month's margin each side."""
    return (pd.Timestamp(f"{y_from}-01-01") - pd.Timedelta(days=30),
            pd.Timestamp(f"{y_to}-12-31") + pd.Timedelta(days=30))


def timeline_view(choices: TimelineChoices, countries=(), regions=(), series=(), y_from: int = FIRST_YEAR,
                  y_to: int = LAST_YEAR, lang: str = "en", max_rows: int = 45) -> TimelineView:
    """The items one filter set selects (:func:`filter_items`) and the timeline drawn for them."""
    from charts import timeline as tl

    f = filter_items(choices.items, countries, regions, series, y_from, y_to)
    by_start = f.sort_values("start")
    n_rows = len(dict.fromkeys(by_start["row"]))
    options = [choices.item_labels[i] for i in by_start["id"]]
    if not len(f):
        return TimelineView(items=f, n_rows=n_rows, options=options)
    shown = rows_to_draw(f, max_rows)
    fig = tl.gantt(shown, title=timeline_title(len(f), len(shown), y_from, y_to, lang),
                   x_range=year_range(y_from, y_to), lang=lang)
    sources = ((choices.dep_sources if (f["kind"] != MME).any() else [])
               + (choices.ex_sources if (f["kind"] == MME).any() else []))
    return TimelineView(items=f, n_rows=n_rows, options=options, too_many=len(shown) < len(f), fig=fig,
                        sources=tuple(sources), n_items=len(f), n_shown=len(shown),
                        n_rows_shown=shown["row"].nunique(), download=f.drop(columns=["hover", "name_en"]),
                        shown=shown)


# ------------------------------------------------------------------------------------------ one country ---

@dataclass(frozen=True)
class CountryTimeline:
    """A country profile's timeline: every item (``items``, the download), the ones drawn, how many older ones
    are left out (``recent``), and the figure."""
    items: pd.DataFrame
    shown: pd.DataFrame
    n_older: int
    fig: object


def _joined_sources(sources) -> str:
    return "; ".join(s.get("source_id", "") for s in sources or [])


def _country_deployments(deps: pd.DataFrame, lang: str) -> list[dict]:
    _ = i18n.gettext_for(lang)
    rows = []
    for d in deps.itertuples(index=False):
        name = record_name(d, lang)
        hover = f"{name} ({_(d.status)})"
        if pd.notna(d.personnel_max):
            hover += " | " + _("{n} personnel (reported)").format(n=i18n.num(d.personnel_max, lang))
        rows.append({"row": name, "start": d.start, "end": d.end, "kind": d.kind, "hover": hover,
                     "source_id": _joined_sources(d.sources)})
    return rows


def _country_exercises(ex: pd.DataFrame, lang: str) -> list[dict]:
    _ = i18n.gettext_for(lang)
    rows = []
    for e in ex.itertuples(index=False):
        name = _text(e.name) or _("Unnamed exercise, {place}").format(place=e.location)
        rows.append({"row": f"{name} (MME)", "start": e.start, "end": e.end, "kind": MME,
                     "hover": f"{name} | {e.location} | " + _("{n} countries").format(n=e.n_participants),
                     "source_id": e.source_id})
    return rows


def _country_events(ctx: pd.DataFrame, lang: str) -> list[dict]:
    _ = i18n.gettext_for(lang)
    rows = []
    for c in ctx.itertuples(index=False):
        title = i18n.localized(c, "title", lang)
        desc = i18n.localized(c, "description", lang)
        rows.append({"row": title, "start": c.start, "end": c.end, "kind": "context",
                     "hover": _("{title}: {description} (attributed to {who})").format(
                         title=title, description=desc, who=i18n.localized(c, "attributed_to", lang)),
                     "source_id": c.source_id})
    return rows


def country_timeline(country: str, deps: pd.DataFrame | None, ex: pd.DataFrame | None, ctx: pd.DataFrame | None,
                     recent: bool = False, lang: str = "en", recent_years: int = 15) -> CountryTimeline | None:
    """``country``'s named deployments, MME exercises it hosted and context events on one timeline (a table that
    is None is left out); None when it has none. ``recent`` draws only the last ``recent_years`` (all of them
    when nothing is that recent)."""
    from charts import timeline as tl

    _ = i18n.gettext_for(lang)
    rows = ((_country_deployments(deps[deps["iso3"] == country], lang) if deps is not None else [])
            + (_country_exercises(ex[ex["host_iso3"] == country], lang) if ex is not None else [])
            + (_country_events(ctx[ctx["iso3"] == country], lang) if ctx is not None else []))
    if not rows:
        return None
    tdf = pd.DataFrame(rows)
    tdf["start"] = pd.to_datetime(tdf["start"])
    tdf["end"] = pd.to_datetime(tdf["end"])
    tdf = tdf.dropna(subset=["start"])
    last = int(max(tdf["start"].max().year, tdf["end"].max().year if tdf["end"].notna().any() else 0))
    first = last - recent_years + 1
    older = tdf[tdf["end"].where(tdf["end"].notna(), tdf["start"]).dt.year < first]
    if recent and len(older) < len(tdf):  # else (nothing recent) every year is shown
        shown, x_range = tdf.drop(index=older.index), year_range(first, last)
    else:
        shown, x_range, older = tdf, None, tdf.iloc[0:0]
        first = int(tdf["start"].min().year)
    title = _("Deployments, exercises, events, {first}-{last}").format(first=first, last=last)
    return CountryTimeline(items=tdf, shown=shown, n_older=len(older),
                           fig=tl.gantt(shown, title=title, x_range=x_range, lang=lang))
