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
    assert fig.data[2].name == "Multinational exercise (MME)"
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
