"""The animated world map's cache (app_pages/anim.py): every measure x scale x language is built once and kept,
so a reader cycling through all of them builds nothing the second time; and what st.plotly_chart is handed."""
from __future__ import annotations

import json
import threading

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import prep
from app_pages import anim, data, ui
from charts import maps
from charts.common import fit_title

LANGS = ("en", "es")


def _table() -> pd.DataFrame:
    rows = []
    for year in (1968, 1969, 1970):
        for iso, name, map_iso in (("DEU", "West Germany", "DEU"), ("JPN", "Japan", "JPN"), ("PAN", "Panama", "PAN"),
                                   ("PCZ", "Panama Canal Zone", "PAN")):
            row = {"iso3": iso, "name": name, "map_iso3": map_iso, "year": year, "scope": "abroad",
                   "report": "September 1968", "provenance": "dmdc", "source_id": "s", "method": "m", "region": "r"}
            row.update({m: float(1000 + year + len(iso) * 7 + i) for i, m in enumerate(prep.MEASURES)})
            rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture
def small(monkeypatch):
    table = _table()
    monkeypatch.setattr(data, "table_with_map_codes", lambda name: table)
    monkeypatch.setattr(data, "version", lambda *names: ("test", id(table)))
    anim.clear()
    yield table
    anim.clear()


def _every():
    return [(m, log, lang) for lang in LANGS for log in (False, True) for m in prep.MEASURES]


def test_every_animation_fits_in_the_cache():
    # the map view's measures are prep.MEASURES (those with figures): 9 x log on/off x 2 languages
    assert len(_every()) == 36 <= anim.MAX_KEPT


def test_cycling_every_animation_twice_builds_each_once(small):
    start = anim.BUILDS["count"]
    first = {k: anim.figure(*k, title="US troops abroad, 1968-1970") for k in _every()}
    assert anim.BUILDS["count"] - start == 36
    for k in _every():  # the second cycle: every one is kept
        assert anim.figure(*k, title="US troops abroad, 1968-1970") is first[k]
    assert anim.BUILDS["count"] - start == 36


def test_builds_take_turns(small, monkeypatch):
    """Several readers asking for new animations at once: one build runs at a time."""
    running, most = [0], [0]
    real = maps.troop_animation_spec
    guard = threading.Lock()

    def counting(*a, **k):
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            import time
            time.sleep(0.02)
            return real(*a, **k)
        finally:
            with guard:
                running[0] -= 1

    monkeypatch.setattr(maps, "troop_animation_spec", counting)
    threads = [threading.Thread(target=anim.figure, args=(m, False, "en", "T")) for m in list(prep.MEASURES)[:6]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


def test_what_is_sent_is_the_validated_animation(small):
    """The dict st.plotly_chart serialises equals the figure plotly builds and validates (maps.troop_animation),
    with the title fitted as ui.chart fits every chart's; its own figure is the first year (image downloads)."""
    abroad = small[small["scope"] == "abroad"]
    title = "Tropas de EE. UU. en el exterior, 1968-1970"  # over 40 characters: broken onto two lines
    shown = anim.figure("army", True, "es", title)
    sent = json.loads(pio.to_json(shown.to_dict(), validate=False))
    expected = json.loads(pio.to_json(fit_title(maps.troop_animation(abroad, "army", True, title=title, lang="es")),
                                      validate=False))
    assert sent == expected
    assert "<br>" in sent["layout"]["title"]["text"] and len(sent["frames"]) == 3
    assert ui.shown_figure(shown) is shown and fit_title(shown) is shown
    assert len(go.Figure(shown).frames) == 0 and len(go.Figure(shown).data) == 1


def test_spec_is_what_validation_gives():
    two = pd.concat([_table()])
    for log in (False, True):
        for lang in LANGS:
            spec = maps.troop_animation_spec(two, "navy", log, title="T", lang=lang)
            assert go.Figure(spec).to_dict() == spec


def test_shown_figure_is_made_once_per_figure():
    fig = go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"title": {"text": "A title much longer than forty characters, to wrap"}})
    a = ui.shown_figure(fig)
    assert ui.shown_figure(fig) is a
    # what st.plotly_chart writes of it: the fitted figure's JSON (its pieces made into JSON once, compat.figures)
    sent = json.loads(pio.to_json(a.to_dict(), validate=False))
    assert sent == json.loads(pio.to_json(fit_title(fig), validate=False)) and "<br>" in sent["layout"]["title"]["text"]
    other = go.Figure(fig)
    assert ui.shown_figure(other) is not a


def test_two_animation_runs_asking_for_one_new_animation_both_finish(small, monkeypatch):
    """Runs of the animation go alone through the gate and step out of it to build: a second run asking for the
    same animation meanwhile waits for the build (not holding the gate), and both get the one figure."""
    from app_pages import gate

    real = maps.troop_animation_spec

    def slow(*a, **k):
        import time
        time.sleep(0.1)
        return real(*a, **k)

    monkeypatch.setattr(maps, "troop_animation_spec", slow)
    got = []

    def run() -> None:
        with gate.turn(heavy=True):
            got.append(anim.figure("army", False, "en", "T"))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert len(got) == 3 and got[0] is got[1] is got[2]
    if gate.GATE is not None:
        assert gate.GATE.waiting() == 0 and gate.GATE._free == gate.PLACES


def test_prebuild_builds_every_animation_once_and_readers_then_build_nothing(small):
    """A new process builds all 36 ahead of readers (app_pages/warm.py); a reader's request is then a hit."""
    start = anim.BUILDS["count"]
    assert anim.prebuild(quiet=0) == 36
    assert anim.BUILDS["count"] - start == 36
    assert anim.prebuild(quiet=0) == 0  # nothing left to build
    for measure, log, lang in _every():
        anim.figure(measure, log, lang, anim.title(lang, 1968, 1970))
    assert anim.BUILDS["count"] - start == 36
    assert anim.title("es", 1968, 1970) == "Tropas de EE. UU. en el exterior, 1968-1970"


def test_prebuild_waits_while_a_reader_runs_and_stops_when_asked(small, monkeypatch):
    """No build starts while a run holds the gate, nor until the process has been quiet ``quiet`` seconds."""
    import time

    from app_pages import gate

    g = gate.Gate(2)
    monkeypatch.setattr(gate, "GATE", g)
    asked: list[float] = []  # what the prebuild was told each time it asked how long the process has been quiet
    real_quiet_for = g.quiet_for
    monkeypatch.setattr(g, "quiet_for", lambda: asked.append(real_quiet_for()) or asked[-1])
    stop = threading.Event()
    g.acquire()  # a reader's run is under way
    start = anim.BUILDS["count"]
    out = []
    t = threading.Thread(target=lambda: out.append(anim.prebuild(quiet=0.3, stop=stop)))
    t.start()
    deadline = time.monotonic() + 10
    while len(asked) < 3:  # the prebuild has asked the gate three times (its poll is 50 ms) while the run holds it
        assert time.monotonic() < deadline, "the prebuild never asked the gate"
        time.sleep(0.01)
    assert set(asked) == {0.0}, "the gate counted a running reader's time as quiet"
    assert anim.BUILDS["count"] == start, "built while a reader's run was under way"
    g.release()
    released = time.monotonic()
    while anim.BUILDS["count"] == start and time.monotonic() - released < 10:
        time.sleep(0.01)
    assert time.monotonic() - released >= 0.3  # not before the quiet time
    stop.set()
    t.join(10)
    assert not t.is_alive() and 1 <= out[0] < 36
