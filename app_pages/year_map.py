"""The map view's work for one year (app_pages/where.py), in a module that is not a page, so that a new process
can make it ahead of its readers (``prebuild``, from the start-up warm-up app_pages/warm.py).

Each function is memoised by its caller (``data.memo``, keyed by the function, its arguments and the tables'
stamps), so where.py and the warm-up share the same entries. A link to another year (``?year=1968``) is a new
first load for every year not made yet: 30-50 ms of server time each, and in a burst of readers following links
to different years that was most of what a map load cost. Made ahead, every year's plain map (all services,
linear scale, no layers) in every language is one look-up: 76 years x 2 languages, about 4.5 s of CPU in the
background while no reader's run is under way, and about 35 MB (docs/performance.md)."""
from __future__ import annotations

import threading

import pandas as pd

import i18n
from app_pages import data, gate, ui
from app_pages.ui.tables import shown_table
from prep import alt, views
from prep.layers import Layer, deployment_layer, exercise_layer

TROOPS = ("troops_annual",)
MAP_TABLES = ("troops_annual", "bases", "exercises", "deployments")
DEFAULT_MEASURE = "active_duty"


def abroad() -> pd.DataFrame:
    return views.abroad(data.table_with_map_codes("troops_annual"))


def meta() -> tuple[list[int], list[str], str]:
    annual = data.table_with_map_codes("troops_annual")
    return (*views.years_and_measures(annual), views.methods(annual))


def year_figures(year: int, measure: str, lang: str = "en") -> dict:
    return views.troops_abroad_year(data.memo(abroad, tables=TROOPS), year, measure, lang)


def dep_layer(year: int, lang: str = "en") -> Layer:
    return deployment_layer(data.deployments()[0], year, lang)


def ex_layer(year: int, lang: str = "en") -> pd.DataFrame:
    return exercise_layer(data.load("exercises"), year, lang)


def map_alt(year: int, measure: str, lang: str = "en") -> tuple[str, pd.DataFrame]:
    return alt.map_alt(data.memo(year_figures, year, measure, lang, tables=TROOPS).this_year, measure, year, lang)


def map_figure(year: int, measure: str, log: bool, with_bases: bool, with_deps: bool, with_ex: bool, lang: str = "en"):
    this_year = data.memo(year_figures, year, measure, lang, tables=TROOPS).this_year
    deps = data.memo(dep_layer, year, lang, tables=("deployments",)).frame if with_deps else None
    return views.year_map(this_year, year, measure, log, lang, bases=data.load("bases") if with_bases else None,
                          deployments=deps if deps is not None and len(deps) else None,
                          exercises=data.memo(ex_layer, year, lang, tables=("exercises",)) if with_ex else None)


def prebuild(quiet: float = 1.0, stop: threading.Event | None = None) -> int:
    """Make every year's plain map (figure, its dict for the page, the year's figures and text alternative) in
    every language, newest year first, each only once no reader's run has been under way or waiting for
    ``quiet`` seconds (``gate.wait_quiet``: readers never share the interpreter with this). Returns how many
    maps were made (those already kept are left as they are); stops early when ``stop`` is set."""
    years = data.memo(meta, tables=TROOPS)[0]
    made = 0
    for lang in i18n.LANGS:
        for year in reversed(years):
            args = (year, DEFAULT_MEASURE, False, False, False, False, lang)
            if data.is_memoised(map_figure, *args, tables=MAP_TABLES):
                continue
            if not gate.wait_quiet(quiet, stop):
                return made
            fig = data.memo(map_figure, *args, tables=MAP_TABLES)
            ui.shown_figure(fig)
            # the two tables' HTML as the view shows them (ui.show_table: the alternative's rows, the top hosts)
            troops = (i18n.gettext_for(lang)("Troops"),)
            shown_table(data.memo(map_alt, year, DEFAULT_MEASURE, lang, tables=TROOPS)[1], troops, None, lang)
            shown_table(data.memo(year_figures, year, DEFAULT_MEASURE, lang, tables=TROOPS).top, troops, None, lang)
            made += 1
    return made
