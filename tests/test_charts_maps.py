"""Map figure builders: aggregation per shape, hover text with report and provenance, layers, escaping."""
from __future__ import annotations

import math

import pandas as pd

from charts import maps


def _year():
    return pd.DataFrame({
        "iso3": ["XSV", "THA", "PAN", "PCZ", "XXS"], "name": ["South Vietnam", "Thailand", "Panama", "Panama Canal Zone", "At <sea>"],
        "map_iso3": ["VNM", "THA", "PAN", "PAN", ""], "year": [1968] * 5,
        "report": ["September 1968"] * 5, "provenance": ["dmdc", "dmdc", "imputed", "dmdc", "dmdc"],
        "active_duty": pd.array([537377, 47631, None, 9000, 300], dtype="Int64"),
    })


def test_aggregate_sums_entities_on_one_shape_and_skips_missing():
    agg = maps.aggregate_for_map(_year(), "active_duty").set_index("map_iso3")
    assert set(agg.index) == {"VNM", "THA", "PAN"}  # no shape -> not drawn
    assert agg.loc["VNM", "value"] == 537377
    assert agg.loc["PAN", "value"] == 9000  # Panama itself has no figure: not counted as zero
    assert "Panama Canal Zone" in agg.loc["PAN", "hover"] and "Panama</b>" not in agg.loc["PAN", "hover"]
    assert "537,377" in agg.loc["VNM", "hover"] and "September 1968" in agg.loc["VNM", "hover"]
    assert "DMDC report" in agg.loc["VNM", "hover"]


def test_troop_map_log_scale_and_layers():
    bases = pd.DataFrame({"lat": [35.0, None], "lon": [139.0, None], "name": ["Yokota <AB>", "Unlocated"],
                          "country": ["Japan", "Japan"], "type": ["major_base", "lily_pad"], "period": ["Cold War-2018"] * 2})
    ex = pd.DataFrame({"lat": [13.7], "lon": [100.5], "name": ["Cobra Gold"], "location": ["Thailand"],
                       "when": ["May 1968"], "participants": [2]})
    fig = maps.troop_map(_year(), "active_duty", log=True, bases=bases, exercises=ex)
    choro = fig.data[0]
    z = dict(zip(choro.locations, choro.z))
    assert math.isclose(z["VNM"], math.log10(537377))
    assert list(choro.colorbar.ticktext) == ["1", "10", "100", "1k", "10k", "100k", "1M"]
    base_trace = fig.data[1]
    assert len(base_trace.lat) == 1 and "Yokota &lt;AB&gt;" in base_trace.text[0]
    # a long layer name takes two legend lines (a phone's two columns cut it at the right edge)
    assert fig.data[2].name == "Multinational exercise<br>(MME)"
    assert all(len(line) <= maps.LEGEND_WRAP for t in fig.data if t.type == "scattergeo" and t.name
               for line in t.name.split("<br>"))
    # the world view's outline: static/world_110m.json (1:50m countries, simplified more; see static/README.md)
    assert fig.layout.geo.resolution == 110


def test_animation_has_one_frame_per_year_with_fixed_range():
    two = pd.concat([_year(), _year().assign(year=1969, active_duty=pd.array([475200, 40000, None, 9000, 0], dtype="Int64"))])
    fig = maps.troop_animation(two, "active_duty")
    assert [f.name for f in fig.frames] == ["1968", "1969"]
    assert fig.frames[1].data[0].zmax == 537377
    assert len(fig.layout.sliders[0].steps) == 2


def test_country_map_fits_the_country():
    bases = pd.DataFrame({"lat": [-3.75], "lon": [-73.25], "name": ["IMF Santa Rosa"], "type": ["lily_pad"],
                          "period": ["Cold War-2018"]})
    places = pd.DataFrame({"deployment": ["Resolute Sentinel 23"], "name": ["Lima"], "lat": [-12.05], "lon": [-77.06]})
    fig = maps.country_map("PER", bases, places)
    assert fig.layout.geo.fitbounds == "locations"
    assert list(fig.data[0].locations) == ["PER"]
    assert fig.data[-1].text[0].startswith("<b>Resolute Sentinel 23</b>")


def test_deployment_places_are_one_marker_each_listing_every_record():
    layer = pd.DataFrame({"name": ["A", "B <b>", "C"], "place": ["Lima", "Lima", "Iquitos"],
                          "lat": [-12.05, -12.05, -3.74], "lon": [-77.06, -77.06, -73.26],
                          "when": ["Jun 2023", "2024", "2025"], "personnel": ["970 (reported)", "not reported", "x"]})
    grouped = maps.group_by_place(layer, [f"{n}" for n in layer["name"]])
    assert len(grouped) == 2
    lima = grouped[grouped["lat"] == -12.05].iloc[0]
    assert lima["n"] == 2 and lima["hover"] == "A<br>B <b>"
    year = pd.DataFrame({"map_iso3": ["PER"], "name": ["Peru"], "active_duty": [47.0], "report": ["x"],
                         "provenance": ["dmdc"]})
    fig = maps.troop_map(year, "active_duty", deployments=layer)
    dep = [t for t in fig.data if t.type == "scattergeo"]
    assert len(dep) == 1 and len(dep[0].lat) == 2 and "B &lt;b&gt;" in dep[0].text[0]
    # one layer trace is enough for a legend that says what the diamonds are
    assert fig.layout.showlegend is True and dep[0].name.startswith("Reported deployment")


def test_overlapping_points_are_drawn_apart_and_keep_their_hover():
    pts = [(-12.047816, -77.062203), (-12.063471, -76.999831), (-12.047816, -77.062203), (-3.74, -73.26)]
    drawn, share = maps.spread_overlaps(pts, min_sep=0.4)
    assert share == [3, 3, 3, 1] and drawn[3] == pts[3]
    for i in range(3):
        for j in range(i + 1, 3):
            assert abs(drawn[i][0] - drawn[j][0]) + abs(drawn[i][1] - drawn[j][1]) > 0.3
        assert abs(drawn[i][0] + 12.05) < 0.5 and abs(drawn[i][1] + 77.04) < 0.5  # still around Lima
    bases = pd.DataFrame({"name": ["Lima", "Cecopaz, Ancon", "Iquitos"], "lat": [-12.047816, -12.063471, -3.74],
                          "lon": [-77.062203, -76.999831, -73.26], "type": ["lily_pad", "funded_site", "lily_pad"],
                          "period": ["p", "p", "p"]})
    places = pd.DataFrame({"deployment": ["RS23", "Mission"], "name": ["Lima", "Lima"], "lat": [-12.047816] * 2,
                           "lon": [-77.062203] * 2})
    fig = maps.country_map("PER", bases, places)
    points = [(la, lo) for t in fig.data if t.type == "scattergeo" for la, lo in zip(t.lat, t.lon)]
    assert len(points) == 4 and len(set(points)) == 4  # 3 sites + 1 place marker (two records), none on another
    texts = [x for t in fig.data if t.type == "scattergeo" for x in t.text]
    assert sum("3 markers share about this spot" in x for x in texts) == 3
    assert any("RS23" in x and "Mission" in x for x in texts)
