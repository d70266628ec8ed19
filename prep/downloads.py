"""A view's CSV download in the reader's language: the column names the tables use (``year``, ``active_duty``)
and the category values Footprint wrote (a record's kind and status, a layer, a region, the OMB and Green Book
labels) in the reader's words, so a spreadsheet opened from a Spanish page reads in Spanish. Codes (ISO, source
ids), numbers, dates and text from the sources stay as they are. The data files themselves (the Sources page's
downloads and the data package) keep their documented English schema.

Every download carries the data version (loaders/version.py) it was computed from, so a figure in a saved file
can be matched to a citation and to the data package: in its file name (``footprint-troops_PER-<version>.csv``)
and, for a view's table, in a last column ``data_version``, the same value on every row, so the file stays a
plain table a spreadsheet opens. (The API's CSV is the bare table with the version in its ``X-Data-Version``
header: a program keeps the header, a saved file does not.) A data file gets the version in its name only, so
it keeps the columns datapackage.json declares. No Streamlit here."""
from __future__ import annotations

import pandas as pd

import i18n
from i18n import N_

# the tables' column names as a Spanish spreadsheet shows them (snake_case like the English, so formulas and
# scripts can name them); a column not listed keeps its name
HEADERS = {
    "name": N_("name"), "region": N_("region"), "year": N_("year"), "date": N_("date"), "report": N_("report"),
    "provenance": N_("provenance"), "active_duty": N_("active_duty"), "source_id": N_("source_id"),
    "method": N_("method"), "value": N_("value"), "hosts": N_("hosts"), "fiscal_year": N_("fiscal_year"),
    "omb_table": N_("omb_table"), "series": N_("series"), "label": N_("label"), "unit": N_("unit"),
    "is_estimate": N_("is_estimate"), "decisions": N_("decisions"), "personnel_authorised": N_("personnel_authorised"),
    "with_figure": N_("with_figure"), "instruments": N_("instruments"), "scope": N_("scope"), "quarter": N_("quarter"),
    "army": N_("army"), "navy": N_("navy"), "marine_corps": N_("marine_corps"), "air_force": N_("air_force"),
    "space_force": N_("space_force"), "coast_guard": N_("coast_guard"), "reserve": N_("reserve"),
    "civilian": N_("civilian"), "note": N_("note"), "measure": N_("measure"), "breakdown": N_("breakdown"),
    "category": N_("category"), "dollars": N_("dollars"), "value_usd_m": N_("value_usd_m"), "status": N_("status"),
    "country": N_("country"), "metric": N_("metric"), "place": N_("place"), "when": N_("when"),
    "personnel": N_("personnel"), "sources": N_("sources"), "deployment": N_("deployment"), "layer": N_("layer"),
    "kind": N_("kind"), "type": N_("type"), "start": N_("start"), "end": N_("end"), "row": N_("row"),
    "participants": N_("participants"), "location": N_("location"), "site_id": N_("site_id"),
    "located": N_("located"), "period": N_("period"), "source_ids": N_("source_ids"),
    "data_version": N_("data_version"),
}
# columns whose values are words Footprint wrote (kinds, statuses, layers, regions, budget labels): translated
# through the catalogue where it has them
CATEGORY_COLUMNS = ("kind", "status", "layer", "region", "label", "category", "series", "method", "type")
LAYERS = (N_("base site"), N_("deployment place"), N_("context"))


def localized_csv(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``frame`` with its column names and category values in ``lang`` (the frame itself in English)."""
    if i18n.norm(lang) == i18n.DEFAULT:
        return frame
    _ = i18n.gettext_for(lang)
    out = frame.copy()
    for col in CATEGORY_COLUMNS:
        if col in out.columns and (pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object):
            out[col] = out[col].map(lambda v: _(v) if isinstance(v, str) and v else v)
    return out.rename(columns={c: _(HEADERS[c]) for c in out.columns if isinstance(c, str) and c in HEADERS})


def versioned(frame: pd.DataFrame, version: str) -> pd.DataFrame:
    """``frame`` with a last column ``data_version`` holding ``version`` on every row (a new frame)."""
    return frame.assign(data_version=pd.Series(version, index=frame.index, dtype="str"))


def versioned_name(file_name: str, version: str) -> str:
    """The download's file name with the project and the data version: ``troops_PER.csv`` ->
    ``footprint-troops_PER-<version>.csv``."""
    stem, dot, ext = file_name.rpartition(".")
    if not dot:
        stem, ext = file_name, "csv"
    return f"footprint-{stem}-{version}.{ext}"
