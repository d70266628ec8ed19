"""Figures reported by others ("about 800 bases", "173,000 troops in 159 countries") next to what Footprint's own
tables count: ``data/reported_figures.csv`` (curated, every row attributed).

``compare_with`` names one of :data:`MEASURES`, a figure computed from our own tables by :func:`our_figures`, so a
page can show "reported vs counted" side by side.  A reported figure is never overwritten by ours, and where the
two measure different things the ``note`` says so.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from .schema import Col, DataError, Problem, TableSpec, read_table

FILE = "reported_figures.csv"
CURATED = (FILE,)
UNITS = ("bases", "sites", "countries", "troops", "usd_m_current")
OWNERS = {"bases": "bases", "troops_annual": "troops", "budget_omb": "budget"}  # table -> module that owns it


def _read(data_dir: Path, table: str) -> pd.DataFrame | None:
    """One of our tables, or None when it is missing or invalid (the comparison then shows no value)."""
    import importlib

    try:
        module = importlib.import_module(f"loaders.{OWNERS[table]}")
    except ImportError:
        return None
    spec = next((s for s in getattr(module, "TABLES", []) if s.name == table), None)
    if spec is None:
        return None
    frame, problems = read_table(Path(data_dir) / spec.file, spec)
    return None if problems else frame


def _bases(fn: Callable[[pd.DataFrame], int]) -> Callable[[Path], float | None]:
    def measure(data_dir: Path) -> float | None:
        frame = _read(data_dir, "bases")
        return None if frame is None else float(fn(frame))
    return measure


def _troops_2020(fn: Callable[[pd.DataFrame], int]) -> Callable[[Path], float | None]:
    def measure(data_dir: Path) -> float | None:
        frame = _read(data_dir, "troops_annual")
        if frame is None or not {"year", "scope", "active_duty"} <= set(frame.columns):
            return None
        rows = frame[(frame["year"] == 2020) & (frame["scope"] == "abroad")]
        return None if rows.empty else float(fn(rows))
    return measure


def _omb_national_defense(year: int) -> Callable[[Path], float | None]:
    def measure(data_dir: Path) -> float | None:
        frame = _read(data_dir, "budget_omb")
        if frame is None:
            return None
        rows = frame[(frame["fiscal_year"] == year) & (frame["series"] == "national_defense")
                     & (frame["unit"] == "usd_m_current")]
        return None if len(rows) != 1 else float(rows["value"].iloc[0])
    return measure


# compare_with -> (what our figure counts, unit, function of data_dir)
MEASURES: dict[str, tuple[str, str, Callable[[Path], float | None]]] = {
    "bases.sites": ("sites in Footprint's base list (Vine via troopdata, Cold War-2018, after removing duplicate rows)",
                    "sites", _bases(len)),
    "bases.countries": ("countries and territories with at least one site in Footprint's base list", "countries",
                        _bases(lambda f: f["iso3"].nunique())),
    "bases.major_bases": ("sites flagged as major bases in Footprint's base list", "sites",
                          _bases(lambda f: int(f["is_major_base"].sum()))),
    "bases.lily_pads": ("sites flagged as lily pads in Footprint's base list", "sites",
                        _bases(lambda f: int(f["is_lily_pad"].sum()))),
    "bases.funded_sites": ("sites flagged as US-funded host-nation sites in Footprint's base list", "sites",
                           _bases(lambda f: int(f["is_funded_site"].sum()))),
    "troops.abroad_active_duty_2020": ("active-duty personnel outside the US and its territories, 2020 (DMDC, "
                                       "annual method of troops_annual)", "troops",
                                       _troops_2020(lambda f: int(f["active_duty"].fillna(0).sum()))),
    "troops.hosts_2020": ("countries and places abroad with at least one active-duty person, 2020 (DMDC)", "countries",
                          _troops_2020(lambda f: int((f["active_duty"].fillna(0) > 0).sum()))),
    "budget_omb.national_defense_2024": ("national defense outlays (function 050), FY2024, OMB", "usd_m_current",
                                         _omb_national_defense(2024)),
}


def _known_measure(value: str) -> str | None:
    return None if value in MEASURES else f"unknown measure {value!r}; known: {', '.join(MEASURES)}"


def _unit_matches(frame: pd.DataFrame, label: str) -> list[Problem]:
    problems = []
    for line, unit, measure in zip(frame.index, frame["unit"], frame["compare_with"]):
        if pd.isna(measure):
            continue
        ours = MEASURES[measure][1]
        if {unit, ours} != {ours} and {unit, ours} != {"bases", "sites"}:
            problems.append(Problem(label, int(line), "compare_with", f"compares {unit} with {ours}"))
    return problems


REPORTED_SPEC = TableSpec(
    name="reported_figures",
    file=FILE,
    columns=(
        Col("figure_id", pattern=r"[a-z0-9_]+"),
        Col("label"),
        Col("label_es", required=False, doc="the label in Spanish (Footprint's own translation)"),
        Col("value", "float", min=0, doc="the figure as reported (a bound or approximation: see claim and note)"),
        Col("unit", allowed=frozenset(UNITS)),
        Col("year", "int", min=1900, max=2100, doc="the year the figure is for (or was published, if it gives none)"),
        Col("claim", doc="the claim in the source's own terms, e.g. 'about 800'"),
        Col("claim_es", required=False, doc="Footprint's Spanish translation of the claim (not the source's words)"),
        Col("attributed_to", doc="who the source attributes the figure to ('article' = the source itself)"),
        Col("attributed_to_es", required=False,
            doc="the same in Spanish where it has words to translate (Footprint's own translation; names unchanged)"),
        Col("source_id"),
        Col("compare_with", required=False, check=_known_measure, doc="the measure of our own data to show beside it"),
        Col("note", required=False),
        Col("note_es", required=False, doc="the note in Spanish (Footprint's own translation)"),
    ),
    key=("figure_id",),
    doc="Figures reported by others, each attributed, with the measure of our own data to compare with.",
    table_checks=(_unit_matches,),
)
TABLES = [REPORTED_SPEC]


def load(data_dir: Path) -> pd.DataFrame:
    frame, problems = read_table(Path(data_dir) / FILE, REPORTED_SPEC)
    if problems:
        raise DataError(problems)
    assert frame is not None
    return frame


def spanish_gaps(data_dir: Path) -> list[Problem]:
    """Labels, claims, notes and attributions without their Spanish text (warnings of ``python -m loaders check``)."""
    from .deployments import table_spanish_gaps

    frame, _ = read_table(Path(data_dir) / FILE, REPORTED_SPEC)
    return [] if frame is None else table_spanish_gaps(frame, FILE, ("label", "claim", "note", "attributed_to"))


def our_figures(data_dir: Path) -> pd.DataFrame:
    """Every measure computed from our own tables: measure, description, unit, value (NA when unavailable)."""
    rows = [{"measure": k, "description": d, "unit": u, "value": fn(Path(data_dir))} for k, (d, u, fn) in MEASURES.items()]
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype("Float64")
    return frame


def comparison(data_dir: Path) -> pd.DataFrame:
    """The reported figures with our own figure beside each: adds ``our_value``, ``our_description``."""
    reported = load(data_dir).reset_index(drop=True)
    ours = our_figures(data_dir).rename(columns={"measure": "compare_with", "value": "our_value",
                                                 "description": "our_description", "unit": "our_unit"})
    return reported.merge(ours, on="compare_with", how="left")
