"""The Where map's layers for one year, in the reader's language: the named deployments' places and the MME
exercises. Each is a frame the map draws and the reader downloads. No Streamlit here."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import i18n

from .records import record_name
from .timeline import period_text

DEPLOYMENT_COLUMNS = ["name", "place", "lat", "lon", "when", "personnel", "sources"]


@dataclass(frozen=True)
class Layer:
    """One map layer: its points (``frame``) and the ids of the sources behind them, in order."""
    frame: pd.DataFrame
    sources: list[str]


def active_in(start, end, year: int) -> bool:
    """A record with this period is on the map of ``year`` (no end: its start year only; no start: never)."""
    if pd.isna(start):
        return False
    return start.year <= year <= (end.year if pd.notna(end) else start.year)


def personnel_label(personnel, lang: str = "en") -> str:
    _ = i18n.gettext_for(lang)
    return _("{n} (reported)").format(n=i18n.num(personnel, lang)) if pd.notna(personnel) else _("not reported")


def deployment_layer(deps: pd.DataFrame, year: int, lang: str = "en") -> Layer:
    """One point per place of every record active in ``year`` (``active_in``), with its name, period and
    reported personnel; ``sources`` repeats each point's source ids."""
    rows = []
    for d in deps.itertuples(index=False):
        if not active_in(d.start, d.end, year):
            continue
        common = {"name": record_name(d, lang), "when": period_text(d.start, d.end, lang),
                  "personnel": personnel_label(d.personnel_max, lang),
                  "sources": "; ".join(s.get("source_id", "") for s in d.sources or [])}
        rows += [{**common, "place": i18n.localized(pl, "name", lang), "lat": pl.get("lat"), "lon": pl.get("lon")}
                 for pl in d.places or []]
    frame = pd.DataFrame(rows, columns=DEPLOYMENT_COLUMNS)
    return Layer(frame, [x for s in frame["sources"] for x in s.split("; ")])


def exercise_layer(ex: pd.DataFrame, year: int, lang: str = "en") -> pd.DataFrame:
    """MME's exercises of ``year``, with their month in ``lang``, participant count and a name for the unnamed."""
    _ = i18n.gettext_for(lang)
    e = ex[ex["year"] == year]
    return e.assign(when=[i18n.month_year(x, lang) for x in e["start"]], participants=e["n_participants"],
                    name=[n if isinstance(n, str) and n else _("Unnamed exercise") for n in e["name"]])


@dataclass(frozen=True)
class CountryPlaces:
    """A country profile's map: its base sites (``bases``), its records' places, both as one download, and the
    figure (None when there is nothing to draw and no shape)."""
    bases: pd.DataFrame
    places: pd.DataFrame
    fig: object = None
    both: pd.DataFrame | None = None


def record_places(deps: pd.DataFrame | None, lang: str = "en") -> pd.DataFrame:
    """One row per place of each record: the record's name, the place's name and position, its source ids."""
    records = deps.itertuples(index=False) if deps is not None else []
    rows = [{"deployment": record_name(d, lang), "name": i18n.localized(p, "name", lang), "lat": p.get("lat"),
             "lon": p.get("lon"),
             "source_id": "; ".join(s.get("source_id", "") for s in d.sources or [])}
            for d in records for p in (d.places or [])]
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=["deployment", "name", "lat", "lon"])


def country_places(iso3: str, map_iso3: str, bases: pd.DataFrame | None, deps: pd.DataFrame | None,
                   lang: str = "en") -> CountryPlaces:
    """``iso3``'s base sites and its records' places (a table that is None is left out) on its map."""
    from charts import maps

    _ = i18n.gettext_for(lang)
    b = bases[bases["iso3"] == iso3] if bases is not None else pd.DataFrame(
        columns=["lat", "lon", "type", "name", "period"])
    places = record_places(deps[deps["iso3"] == iso3] if deps is not None else None, lang)
    if not (len(b) or len(places) or map_iso3):
        return CountryPlaces(b, places)
    fig = maps.country_map(map_iso3, b, places, title=_("Base sites and deployment places"), lang=lang)
    return CountryPlaces(b, places, fig=fig,
                         both=pd.concat([b.assign(layer="base site"), places.assign(layer="deployment place")],
                                        ignore_index=True))
