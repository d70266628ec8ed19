"""Reported figures beside what this data counts: each figure in reported_figures.csv whose ``compare_with`` names
one of our counts (bases in Vine's list, troops abroad in a year) gets a row with both, in the reader's language.
No Streamlit here."""
from __future__ import annotations

import pandas as pd

import i18n

from . import report_mix

Count = tuple[object, str]  # (our figure, what it counts)


def base_counts(bases: pd.DataFrame, lang: str = "en") -> dict[str, Count]:
    """Our counts from Vine's list of base sites."""
    _ = i18n.gettext_for(lang)
    flag = lambda col: int(bases[col].fillna(False).sum())  # noqa: E731
    return {"bases.sites": (len(bases), _("sites in Vine's list as mapped here (Cold War-2018)")),
            "bases.countries": (bases["iso3"].nunique(), _("countries and territories in that list")),
            "bases.major_bases": (flag("is_major_base"), _("major bases in that list")),
            "bases.lily_pads": (flag("is_lily_pad"), _("lily pads in that list")),
            "bases.funded_sites": (flag("is_funded_site"), _("funded sites in that list"))}


def troop_counts(abroad: pd.DataFrame, years, lang: str = "en") -> dict[str, Count]:
    """Our active-duty total abroad and number of host places for each of ``years`` the data has."""
    _ = i18n.gettext_for(lang)
    counts: dict[str, Count] = {}
    for ry in years:
        ya = abroad[abroad["year"] == ry]
        if not len(ya):
            continue
        counts[f"troops.abroad_active_duty_{ry}"] = (
            int(ya["active_duty"].sum(skipna=True)),
            _("active duty abroad, {year}: {mix}").format(year=ry, mix=report_mix(ya, ry, lang)))
        counts[f"troops.hosts_{ry}"] = (int((ya["active_duty"].fillna(0) > 0).sum()),
                                        _("places abroad with active-duty troops, {year}").format(year=ry))
    return counts


def _figure(value, lang: str) -> str:
    return i18n.num(value, lang) if float(value).is_integer() else str(value)


def comparison(reported: pd.DataFrame, abroad: pd.DataFrame, bases: pd.DataFrame | None,
               lang: str = "en") -> pd.DataFrame | None:
    """One row per reported figure we can compare (headers in ``lang``, plus ``source_id``); None when none."""
    _ = i18n.gettext_for(lang)
    counts = base_counts(bases, lang) if bases is not None else {}
    counts |= troop_counts(abroad, sorted(set(reported["year"].dropna().astype(int))), lang)
    rows = []
    for r in reported.itertuples(index=False):
        ours = counts.get(str(r.compare_with))
        if ours is None:
            continue
        rows.append({_("Reported"): f"{i18n.localized(r, 'label', lang)}: {_figure(r.value, lang)}",
                     _("Our count"): ours[0], _("What we count"): ours[1],
                     _("Attributed to"): i18n.localized(r, "attributed_to", lang, mark=False), _("Year"): int(r.year),
                     _("Claim"): i18n.localized(r, "claim", lang), _("Note"): i18n.localized(r, "note", lang),
                     "source_id": r.source_id})
    return pd.DataFrame(rows) if rows else None
