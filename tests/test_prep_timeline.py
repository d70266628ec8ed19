"""The timelines' preparation without Streamlit (prep/timeline.py): When's items, filters, labels and drawn rows,
and a country profile's timeline, on small frames with known answers and on the committed data."""
from __future__ import annotations

import pandas as pd
import pytest

from prep import timeline

T = pd.Timestamp


def deps_frame(*rows: dict) -> pd.DataFrame:
    base = {"name_es": None, "end": pd.NaT, "kind": "deployment", "status": "completed", "personnel_max": pd.NA,
            "sources": [], "places": [], "iso3": "PER"}
    return pd.DataFrame([{**base, **r} for r in rows])


def ex_frame(*rows: dict) -> pd.DataFrame:
    base = {"series": None, "end": pd.NaT, "host_iso3": "KOR", "location": "South Korea", "n_participants": 2,
            "source_id": "mme"}
    return pd.DataFrame([{**base, **r} for r in rows])


DEPS = deps_frame(
    {"id": "a", "name": "Exercise A", "name_es": "Ejercicio A", "start": T("2023-06-01"), "end": T("2023-07-15"),
     "personnel_max": 1200, "sources": [{"source_id": "s1"}, {"source_id": "s2"}]},
    {"id": "b", "name": "Decision B", "start": T("2018-03-01"), "kind": "decision", "iso3": "",
     "sources": [{"source_id": "s3"}]},
    {"id": "c", "name": "Undated C", "start": pd.NaT})
EX = ex_frame(
    {"exercise_id": "mme1", "name": "Cobra Gold", "series": "Cobra Gold", "start": T("2005-05-01"),
     "end": T("2005-05-20"), "year": 2005, "host_iso3": "THA", "location": "Thailand", "n_participants": 4},
    {"exercise_id": "mme2", "name": "Cobra Gold", "series": "Cobra Gold", "start": T("2005-09-01"), "year": 2005,
     "host_iso3": "THA", "location": "Thailand"},
    {"exercise_id": "mme3", "name": None, "start": T("1999-01-01"), "end": T("1999-01-10"), "year": 1999,
     "location": "Oman", "host_iso3": "OMN"})


def test_deployment_items_skip_undated_records_and_say_place_period_and_personnel():
    items = timeline.deployment_items(DEPS, "en")
    assert [i.id for i in items] == ["dep:a", "dep:b"]
    a, b = items
    assert (a.row, a.region, a.series, a.year0, a.year1) == (
        "Exercise A", "Latin America & Caribbean", timeline.NAMED_SERIES, 2023, 2023)
    assert a.hover == "Exercise A | Peru | Jun 2023 to Jul 2023 | 1,200 personnel (reported)"
    assert (b.iso3, b.region, b.year1, b.hover) == ("", "", 2018, "Decision B |  | Mar 2018")
    es = timeline.deployment_items(DEPS, "es")
    assert es[0].row == "Ejercicio A" and es[0].name_en == "Exercise A"  # the link's value stays English
    assert es[0].hover.startswith("Ejercicio A | Perú | ")
    assert es[1].row == "Decision B (en inglés)"


def test_exercise_items_name_the_unnamed_by_place_and_group_rows_by_series():
    items = timeline.exercise_items(EX, "en")
    assert [(i.id, i.row, i.series, i.year0, i.year1) for i in items] == [
        ("mme:mme1", "Cobra Gold (MME)", "Cobra Gold", 2005, 2005),
        ("mme:mme2", "Cobra Gold (MME)", "Cobra Gold", 2005, 2005),
        ("mme:mme3", "Unnamed exercise, Oman (MME)", "Unnamed exercise, Oman", 1999, 1999)]
    assert items[0].hover == "Cobra Gold | Thailand | May 2005 | 4 countries"
    assert items[0].region == "East Asia & Pacific" and items[0].kind == timeline.MME


def test_choices_give_unique_link_labels_and_the_filters():
    c = timeline.timeline_choices(DEPS, EX, "en")
    assert len(c.items) == 5 and list(c.items.columns) == timeline.ITEM_COLUMNS
    # two "Cobra Gold" exercises in 2005: the second label carries its record id, so every label is unique
    assert c.item_labels["mme:mme1"] == "Cobra Gold, 2005"
    assert c.item_labels["mme:mme2"] == "Cobra Gold, 2005 (mme2)"
    assert c.item_by_label["Cobra Gold, 2005 (mme2)"] == "mme:mme2"
    assert c.shown_labels["Exercise A, 2023"] == "Exercise A, 2023"
    assert c.countries == ["Oman", "Peru", "Thailand"] and c.country_by_label["Peru"] == "PER"
    assert c.regions == ["East Asia & Pacific", "Latin America & Caribbean", "Middle East & North Africa"]
    assert c.series == ["Cobra Gold", timeline.NAMED_SERIES, "Unnamed exercise, Oman"]
    assert (c.y_lo, c.y_hi) == (1950, 2023)  # the range reaches back to the troop data's first year
    assert c.dep_sources == ["s1", "s2", "s3"] and c.ex_sources == ["mme"]


def test_choices_in_spanish_show_spanish_but_keep_english_values():
    c = timeline.timeline_choices(DEPS, EX, "es")
    assert c.countries == ["Oman", "Peru", "Thailand"]  # English values (the link's), ordered by Spanish names
    assert [c.country_shown[n] for n in c.countries] == ["Omán", "Perú", "Tailandia"]
    assert c.shown_labels["Exercise A, 2023"] == "Ejercicio A, 2023"


def test_choices_without_tables_are_empty_with_the_default_range():
    c = timeline.timeline_choices(None, None, "en")
    assert c.items.empty and c.countries == [] and (c.y_lo, c.y_hi) == (1950, 2025)
    assert c.dep_sources == [] and c.ex_sources == []


def test_view_filters_by_country_region_series_and_overlapping_years():
    c = timeline.timeline_choices(DEPS, EX, "en")
    assert timeline.timeline_view(c, countries=("THA",), y_from=1950, y_to=2025).n_items == 2
    v = timeline.timeline_view(c, regions=("Latin America & Caribbean",), y_from=1950, y_to=2025)
    assert v.options == ["Exercise A, 2023"] and v.sources == ("s1", "s2", "s3")
    v = timeline.timeline_view(c, y_from=2000, y_to=2010)
    assert v.options == ["Cobra Gold, 2005", "Cobra Gold, 2005 (mme2)"] and v.sources == ("mme",)
    assert v.fig.layout.title.text == "2 items, 2000-2010"
    assert "hover" not in v.download.columns and "name_en" not in v.download.columns
    empty = timeline.timeline_view(c, series=("Cobra Gold",), y_from=2010, y_to=2020)
    assert empty.items.empty and empty.fig is None and empty.options == [] and empty.download is None


def test_too_many_rows_keep_every_named_deployment_and_the_largest_series():
    rows = [{"id": "n1", "row": "named", "kind": "deployment"}] + [
        {"id": f"x{i}", "row": f"series {i}", "kind": timeline.MME} for i in range(12)] + [
        {"id": "x0b", "row": "series 0", "kind": timeline.MME}]
    f = pd.DataFrame(rows)
    kept = timeline.rows_to_draw(f, max_rows=5)
    # 14 items on 13 rows: the named row, then series 0 (2 exercises) and at least 10 series in all
    assert "named" in set(kept["row"]) and "series 0" in set(kept["row"])
    assert kept["row"].nunique() == 11
    assert timeline.rows_to_draw(f, max_rows=13) is f


def test_committed_timeline_lists_every_dated_record_once_with_unique_labels():
    from export.common import load_deployment_frame, load_tables

    deps, ex = load_deployment_frame(), load_tables()["exercises"]
    c = timeline.timeline_choices(deps, ex, "en")
    assert len(c.items) == deps["start"].notna().sum() + ex["start"].notna().sum()
    assert c.items["id"].is_unique and len(set(c.item_labels.values())) == len(c.items)
    v = timeline.timeline_view(c, y_from=c.y_lo, y_to=c.y_hi)
    assert v.n_items == len(c.items) and v.too_many and v.n_rows_shown <= max(45, v.n_rows_shown)
    assert v.fig.layout.title.text == f"{v.n_shown:,} of {v.n_items:,} items, {c.y_lo}-{c.y_hi}"


@pytest.mark.parametrize("recent", [False, True])
def test_country_timeline_puts_records_exercises_and_events_on_one_chart(recent):
    ctx = pd.DataFrame([{"iso3": "PER", "title": "Event", "description": "What happened", "attributed_to": "X",
                         "start": "1995-01-01", "end": None, "source_id": "ctx"}])
    ex = EX.assign(host_iso3="PER")
    tv = timeline.country_timeline("PER", DEPS, ex, ctx, recent=recent, lang="en", recent_years=15)
    # the undated record is left out, and so is the record of another place
    assert list(tv.items["kind"]) == ["deployment", timeline.MME, timeline.MME, timeline.MME, "context"]
    assert tv.items["hover"].iloc[0] == "Exercise A (completed) | 1,200 personnel (reported)"
    assert tv.items["hover"].iloc[-1] == "Event: What happened (attributed to X)"
    if recent:  # 2009-2023: only the 2023 record is that recent
        assert tv.n_older == 4 and list(tv.shown["row"]) == ["Exercise A"]
        assert tv.fig.layout.title.text == "Deployments, exercises, events, 2009-2023"
    else:
        assert tv.n_older == 0 and len(tv.shown) == 5
        assert tv.fig.layout.title.text == "Deployments, exercises, events, 1995-2023"
    assert timeline.country_timeline("FRA", DEPS, ex, ctx) is None
