"""Coarse neighbouring land for the map (display only): land in REGION_BOX, simplified.

Input: Natural Earth's 1:10 million land (npm world-atlas@2.0.2 `land-10m.json`, TopoJSON; or any GeoJSON
land such as @geo-maps/earth-lands-10m, which is far slower to read). Each part whose bounding box meets
REGION_BOX is clipped to it, projected to a Lambert azimuthal equal-area plane centred on the region,
stripped of small islands and lakes, cut by Norway's internal waters and territorial sea, simplified with
TOLERANCE_M and written back in lon/lat rounded to PRECISION_DEG. The parts come from one MultiPolygon and
do not overlap, so no union is needed.

The antimeridian: Natural Earth's Eurasia ring crosses ±180° at Chukotka (near 65.1° N and 69.0° N), its
longitude jumping from 180 to -180 and back. Read as a plane polygon those jumps are two edges across the
whole map, which made the ring cross itself and left every latitude between them (the Kola Peninsula,
Lapland) outside the polygon. Each ring is therefore unwrapped first (`unwrap`): after a jump of more than
180° the following longitudes are shifted by 360°, and the ring is moved by whole turns to where most of
it lies, so Chukotka lies beyond 180° and is clipped away with the rest of the world outside REGION_BOX."""

import argparse
import json
import os
import sys
import time

import numpy as np
import pyproj
import shapely
import shapely.geometry
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient

REGION_BOX = (-45.0, 50.0, 60.0, 85.0)  # lon min, lat min, lon max, lat max
TOLERANCE_M = 2000.0  # Douglas-Peucker tolerance
MIN_ISLAND_KM2 = 15.0  # smaller islands are dropped (invisible at the zooms this layer is for)
MIN_LAKE_KM2 = 100.0  # smaller lakes are filled
PRECISION_DEG = 0.01  # about 1.1 km of latitude (less in longitude), under the tolerance
# Norway's own sea areas (from the built-in zones): coarse land reaching into them is cut away, so
# the coarse coast never pokes out from under the detailed Norwegian land drawn on top of it.
MASK_KINDS = ("internal_waters", "territorial_sea")

LAEA = "+proj=laea +lat_0=70 +lon_0=10 +datum=WGS84 +units=m +no_defs"
FWD = pyproj.Transformer.from_crs("EPSG:4326", LAEA, always_xy=True)
INV = pyproj.Transformer.from_crs(LAEA, "EPSG:4326", always_xy=True)


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, file=sys.stderr, flush=True)


def project(g, tr):
    return shapely.transform(g, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))


def polys(g):
    if g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    return [p for part in getattr(g, "geoms", []) for p in polys(part)]


def unwrap(ring):
    """The ring with its longitudes continuous across the antimeridian (a jump of more than 180°
    between neighbours shifts the rest by 360°). A ring that goes round a pole (its shifts do not add
    up to zero, e.g. Antarctica) is left as it is."""
    a = np.asarray(ring, dtype=float)
    if len(a) < 2:
        return a
    d = np.diff(a[:, 0])
    shift = np.concatenate([[0.0], np.cumsum(np.where(d > 180.0, -360.0, np.where(d < -180.0, 360.0, 0.0)))])
    if shift[-1] != 0.0 or not shift.any():
        return a
    a = a.copy()
    a[:, 0] += shift
    # Back by whole turns to where most of the ring lies (its holes are never shifted: lakes do not
    # cross the antimeridian).
    a[:, 0] += 360.0 * np.round(-np.median(a[:, 0]) / 360.0)
    return a


def region_parts(geometry, bx):
    rings = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for coords in rings:
        coords = [unwrap(r) for r in coords]
        a = coords[0]
        x0, y0, x1, y1 = a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()
        if x1 < bx[0] or x0 > bx[2] or y1 < bx[1] or y0 > bx[3]:
            continue
        p = Polygon(coords[0], coords[1:])
        if not p.is_valid:
            p = shapely.make_valid(p, method="structure", keep_collapsed=False)
        if not (x0 >= bx[0] and y0 >= bx[1] and x1 <= bx[2] and y1 <= bx[3]):
            p = shapely.clip_by_rect(p, *bx)
        yield from polys(p)


def coarse(p):
    """The part in the plane, small lakes filled, simplified; None if it is a small island."""
    q = project(p, FWD)
    if q.area < MIN_ISLAND_KM2 * 1e6:
        return None
    q = Polygon(q.exterior, [h for h in q.interiors if Polygon(h).area >= MIN_LAKE_KM2 * 1e6])
    q = q.simplify(TOLERANCE_M, preserve_topology=True)
    return q if not q.is_empty and q.area > 0 else None


def topojson_geometries(topo):
    """The GeoJSON geometries of every object of a (quantized) TopoJSON topology."""
    tf = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        a = np.asarray(arc, dtype=float)
        if tf:
            a = np.cumsum(a, axis=0) * tf["scale"] + tf["translate"]
        arcs.append(a)

    def ring(idx):
        pts = []
        for i in idx:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a.tolist() if not pts else a[1:].tolist())
        return pts

    out = []
    for obj in topo["objects"].values():
        for g in obj.get("geometries", [obj]):
            if g["type"] == "Polygon":
                out.append({"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]})
            elif g["type"] == "MultiPolygon":
                out.append({"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in g["arcs"]]})
    return out


def load_parts(path):
    """The land parts in REGION_BOX (lon/lat), cached as WKB next to the source (the slow step)."""
    cache = f"{path}.region_{'_'.join(str(v) for v in REGION_BOX)}_unwrapped.wkb"
    if os.path.exists(cache):
        return list(shapely.from_wkb(open(cache, "rb").read()).geoms)
    log("loading", path)
    fc = json.load(open(path))
    if fc.get("type") == "Topology":
        geoms = topojson_geometries(fc)
    else:
        geoms = fc["geometries"] if "geometries" in fc else [f["geometry"] for f in fc["features"]]
    parts = [p for g in geoms for p in region_parts(g, REGION_BOX)]
    with open(cache, "wb") as f:
        f.write(shapely.to_wkb(MultiPolygon(parts)))
    return parts


def load_mask(path):
    """Norway's internal waters and territorial sea, projected and slightly shrunk (so the cut
    never opens a gap along the detailed coast)."""
    fc = json.load(open(path))
    gs = [shapely.geometry.shape(f["geometry"]) for f in fc["features"] if f["properties"].get("kind") in MASK_KINDS]
    m = shapely.make_valid(project(shapely.union_all(gs), FWD))
    return m.buffer(-100.0)


def rounded(geometry):
    """The GeoJSON geometry with its coordinates written at PRECISION_DEG (no float noise)."""
    digits = max(0, round(-np.log10(PRECISION_DEG)))

    def walk(c):
        if isinstance(c[0], (int, float)):
            return [round(float(v), digits) for v in c]
        return [walk(x) for x in c]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--land", required=True)
    ap.add_argument("--zones", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    parts = load_parts(args.land)
    mask = load_mask(args.zones)
    shapely.prepare(mask)
    log(f"{len(parts)} parts in the box; mask ready")
    out = []
    seen = 0
    for p in parts:
        seen += 1
        q = coarse(p)
        if q is None:
            continue
        if mask.intersects(q):
            q = shapely.make_valid(q.difference(mask))
            # The cut leaves slivers along Norway's coast: keep only pieces that matter.
            q = MultiPolygon([r for r in polys(q) if r.area >= 2e6])
            if q.is_empty:
                continue
        # Rounded vertex by vertex (GEOS's set_precision can fail on the cut shapes), then repaired.
        ll = shapely.transform(project(q, INV), lambda xy: np.round(xy / PRECISION_DEG) * PRECISION_DEG)
        out.extend(orient(r, 1.0) for r in polys(shapely.make_valid(ll)) if r.area > 0)
    out.sort(key=lambda p: -p.area)
    vertices = sum(len(p.exterior.coords) + sum(len(i.coords) for i in p.interiors) for p in out)
    log(f"{seen} parts in the box, {len(out)} polygons kept, {vertices} vertices")
    meta = {
        "source": "npm world-atlas@2.0.2 land-10m.json (Natural Earth 4.1.0, 1:10m land)",
        "license": "public domain (Natural Earth); made with Natural Earth",
        "generator": "scripts/geo/build-region-land",
        "extent": list(REGION_BOX),
        "tolerance_m": TOLERANCE_M,
        "cut": "minus Norway's internal waters and territorial sea (data/geo/norway_zones.geojson)",
        "use": "display only: coarse neighbouring land for the map; not used by the detectors",
    }
    with open(args.out, "w") as f:
        f.write('{"type":"FeatureCollection",')
        f.write('"metadata":' + json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + ',"features":[\n')
        f.write(",\n".join(
            json.dumps({"type": "Feature", "properties": {}, "geometry": rounded(mapping(p))}, separators=(",", ":"))
            for p in out))
        f.write("\n]}\n")
    log(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
