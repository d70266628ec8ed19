"""The world map with every year (``?play=true`` on the map view): built once per measure, scale and language
for the process, every one kept, never more than one built at a time.

A reader can ask for 9 measures x 2 scales x 2 languages = 36 animations. With 8 kept, a reader cycling through
them missed almost every time and each miss cost about a second of the one interpreter every reader shares. Now:

- the figure is made as the plain dict plotly.js reads (``charts.maps.troop_animation_spec``: plotly validates
  the layout and one frame's trace, not all 76), about 3x cheaper than the validated figure it equals;
- every combination is kept (``MAX_KEPT``, least recently shown dropped beyond it; about 1 MB each,
  docs/performance.md), so a reader looping through them all builds each once per process: no thrashing;
- a new process builds them all ahead of readers, in the background and only while no reader's run is under
  way (``prebuild``, started by app_pages/warm.py);
- builds take turns (``_BUILD_LOCK``): readers asking for several new animations at once queue behind one build
  instead of splitting the interpreter between several; a run of the animation otherwise goes alone through the
  gate (app_pages/gate.py), but leaves it while building, so other readers are not kept waiting for a build;
- what ``st.plotly_chart`` is handed is the stored dict (``ui.SerialisedFigure``) with its title already fitted,
  so a cached animation costs a run only its JSON encoding (no deep copy, no Spanish title copy).
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import plotly.graph_objects as go

import i18n
from app_pages import data, gate, ui
from charts import maps
from charts.common import fit_title
from prep import views

MAX_KEPT = 48  # 36 combinations (9 measures x log on/off x 2 languages), and room for a data update's new stamps
_BUILD_LOCK = threading.Lock()
_KEPT: OrderedDict[tuple, ui.SerialisedFigure] = OrderedDict()  # least recently shown first
_KEPT_LOCK = threading.Lock()
BUILDS = {"count": 0}  # builds since the process started (tests, bench)


def title(lang: str, first: int, last: int) -> str:
    """The animation's title in ``lang`` (the years it covers)."""
    _ = i18n.gettext_for(lang)
    return _("US troops abroad, {first}-{last}").format(first=first, last=last)


def figure(measure: str, log: bool, lang: str, title: str) -> ui.SerialisedFigure:
    """The animated world map of ``measure`` (log colour scale or not) in ``lang``, titled ``title``: shared and
    read-only; draw it with ``ui.chart``. Built on first request: outside the gate (a run of the animation holds
    every place, app_pages/gate.py: readers would wait for the whole build) and one build at a time."""
    key = _key(measure, log, lang, title)
    hit = _kept(key)
    if hit is not None:
        return hit
    # No lock is held while waiting for the gate again (gate.step_out): a build never holds up the gate.
    with gate.step_out():
        return _build_once(key)


def _key(measure: str, log: bool, lang: str, title: str) -> tuple:
    # the table's file stamp: a rebuilt table gives new entries (the old ones age out)
    return (measure, bool(log), lang, title, data.version("troops_annual"))


def _kept(key: tuple) -> ui.SerialisedFigure | None:
    with _KEPT_LOCK:
        hit = _KEPT.get(key)
        if hit is not None:
            _KEPT.move_to_end(key)
        return hit


def _build_once(key: tuple) -> ui.SerialisedFigure:
    with _BUILD_LOCK:
        with _KEPT_LOCK:
            hit = _KEPT.get(key)  # another reader (or the warm-up) may have built it meanwhile
        if hit is None:
            hit = _build(*key[:4])
            with _KEPT_LOCK:
                _KEPT[key] = hit
                while len(_KEPT) > MAX_KEPT:
                    _KEPT.popitem(last=False)
    return hit


def prebuild(quiet: float = 1.0, stop: threading.Event | None = None) -> int:
    """Build every animation a reader can ask for (each measure with a figure, both scales, every language) that
    is not kept yet, one at a time and each only after no reader's run has been under way or waiting for
    ``quiet`` seconds (``gate.wait_quiet``): a new process does this in the background (app_pages/warm.py), so a
    reader asking for an animation finds it built and nobody shares the interpreter with a build. Returns how many
    were built; stops early when ``stop`` is set."""
    annual = data.table_with_map_codes("troops_annual")
    years, measures = views.years_and_measures(annual)
    built = 0
    for lang in i18n.LANGS:
        name = title(lang, years[0], years[-1])
        for measure in measures:
            for log in (False, True):
                key = _key(measure, log, lang, name)
                if _kept(key) is not None:
                    continue
                if not gate.wait_quiet(quiet, stop):
                    return built
                _build_once(key)
                built += 1
    return built


def clear() -> None:
    with _KEPT_LOCK:
        _KEPT.clear()


def _build(measure: str, log: bool, lang: str, title: str) -> ui.SerialisedFigure:
    BUILDS["count"] += 1
    annual = data.table_with_map_codes("troops_annual")
    spec = maps.troop_animation_spec(annual[annual["scope"] == "abroad"], measure, log, title=title, lang=lang)
    # plotly's own view of it: the layout and the first year's trace (validated already; a long title is broken
    # onto two lines here, once, instead of fit_title copying the whole animation on every run)
    light = fit_title(go.Figure(data=spec["data"], layout=spec["layout"]))
    spec["layout"] = light.to_dict()["layout"]
    return ui.SerialisedFigure(spec, data=spec["data"], layout=spec["layout"])
