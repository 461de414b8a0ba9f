"""Derive Varde's built-in Norway zone and land layers from registry packages.

Called by scripts/geo/build-norway-layers. See data/geo/README.md for the method and its accuracy.
All distances are computed in a Lambert azimuthal equal-area projection centred at 70N 15E (metres).
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import pyproj
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

NM = 1852.0
LAEA = pyproj.CRS.from_proj4("+proj=laea +lat_0=70 +lon_0=15 +datum=WGS84 +units=m +no_defs")
FWD = pyproj.Transformer.from_crs("EPSG:4326", LAEA, always_xy=True)
INV = pyproj.Transformer.from_crs(LAEA, "EPSG:4326", always_xy=True)

# Regions of Norway's OSM territory, by the bounding box of each part (lon0, lat0, lon1, lat1).
REGIONS = {
    "mainland": (3.0, 57.0, 32.5, 72.0),
    "svalbard": (8.0, 73.5, 36.0, 81.5),
    "jan_mayen": (-10.0, 70.5, -7.0, 71.5),
}
# Norway-Russia boundary, WGS 84, public treaty text (degrees, minutes, seconds -> lat, lon):
# 2007 Varangerfjord agreement, art. 2 (points 1-6), then the 2010 Barents Sea treaty, art. 1 (points 2-8;
# its point 1 is the Varangerfjord point 6). Straight geodesic lines between the points.
def _dms(d, m, s):
    return d + m / 60 + s / 3600


NO_RU_LINE = [
    (_dms(69, 47, 41.42), _dms(30, 49, 3.55)),
    (_dms(69, 58, 45.49), _dms(31, 6, 15.58)),
    (_dms(70, 5, 58.84), _dms(31, 26, 41.28)),
    (_dms(70, 7, 15.20), _dms(31, 30, 19.43)),
    (_dms(70, 11, 51.68), _dms(31, 46, 33.57)),
    (_dms(70, 16, 28.95), _dms(32, 4, 23.00)),
    (_dms(73, 41, 10.85), _dms(37, 0, 0.00)),
    (_dms(75, 11, 41.00), _dms(37, 0, 0.00)),
    (_dms(75, 48, 0.74), _dms(38, 0, 0.00)),
    (_dms(78, 37, 29.50), _dms(38, 0, 0.00)),
    (_dms(79, 17, 4.77), _dms(34, 59, 56.00)),
    (_dms(83, 21, 7.00), _dms(35, 0, 0.29)),
    (_dms(84, 41, 40.67), _dms(32, 3, 51.36)),
]
NEIGHBOUR_BOX = (-45.0, 45.0, 70.0, 89.9)  # countries considered for the equidistance partition
LAND_BOX = (-15.0, 56.0, 40.0, 82.5)
ZONE_TOLERANCE_M = 150.0
LAND_TOLERANCE_M = 60.0
LAND_MIN_HOLE_KM2 = 2.0  # lakes smaller than this are filled (counted as land)
LAND_MARGIN_M = 30_000.0  # land kept within this distance of any built-in zone


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, file=sys.stderr, flush=True)


def to_laea(g):
    return shapely.transform(g, lambda xy: np.column_stack(FWD.transform(xy[:, 0], xy[:, 1])))


def to_lonlat(g):
    return shapely.transform(g, lambda xy: np.column_stack(INV.transform(xy[:, 0], xy[:, 1])))


def polys(g):
    """The polygons of any geometry, as a list."""
    if g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    if isinstance(g, MultiPolygon):
        return list(g.geoms)
    return [p for part in getattr(g, "geoms", []) for p in polys(part)]


def bbox_of(coords):
    a = np.asarray(coords[0], dtype=float)
    return a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()


def ring_km2(ring):
    """Approximate area of a lon/lat ring in km2 (shoelace, scaled at the ring's mean latitude)."""
    a = np.asarray(ring, dtype=float)
    x, y = a[:, 0], a[:, 1]
    deg2 = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    return deg2 * 111.32 * 111.32 * np.cos(np.radians(y.mean()))


def parts_in_box(geometry, bx, min_hole_km2=0.0):
    """Polygon parts of a GeoJSON geometry whose exterior bbox intersects bx, clipped to bx.
    Holes (lakes) smaller than min_hole_km2 are filled."""
    rings = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for coords in rings:
        x0, y0, x1, y1 = bbox_of(coords)
        if x1 < bx[0] or x0 > bx[2] or y1 < bx[1] or y0 > bx[3]:
            continue
        p = Polygon(coords[0], [h for h in coords[1:] if ring_km2(h) >= min_hole_km2])
        if not (x0 >= bx[0] and y0 >= bx[1] and x1 <= bx[2] and y1 <= bx[3]):
            p = shapely.clip_by_rect(p, *bx)
        if not p.is_valid:
            p = shapely.make_valid(p, method="structure", keep_collapsed=False)
        out.extend(polys(p))
    return out


def in_box(p, bx):
    x0, y0, x1, y1 = p.bounds
    return x0 >= bx[0] and y0 >= bx[1] and x1 <= bx[2] and y1 <= bx[3]


def load_maritime(path):
    """Norway's territory by region, and every neighbour's territory (LAEA)."""
    fc = json.load(open(path))
    norway = {r: [] for r in REGIONS}
    others = {}
    for f in fc["features"]:
        a3 = f["properties"].get("A3")
        parts = parts_in_box(f["geometry"], NEIGHBOUR_BOX)
        if not parts:
            continue
        if a3 == "SJM":
            continue  # "Svalbard and Jan Mayen": the same polygons as NOR's Svalbard and Jan Mayen parts
        if a3 == "NOR":
            for p in parts:
                region = next((r for r, bx in REGIONS.items() if in_box(p, bx)), None)
                if region is None:
                    log("NOR part outside all regions ignored:", p.bounds)
                    continue
                norway[region].append(p)
        else:
            others[a3] = parts
    norway = {r: valid(to_laea(unary_union(ps))) for r, ps in norway.items()}
    others = {a3: valid(to_laea(unary_union(ps))) for a3, ps in others.items()}
    return norway, others


def valid(g):
    return g if g.is_valid else shapely.make_valid(g, method="structure", keep_collapsed=False)


def load_land(path):
    """OSM land in LAND_BOX, projected; cached as WKB next to the source (the slow step)."""
    cache = f"{path}.v2_{'_'.join(str(v) for v in (*LAND_BOX, LAND_MIN_HOLE_KM2))}.wkb"
    if os.path.exists(cache):
        return shapely.from_wkb(open(cache, "rb").read())
    fc = json.load(open(path))
    geoms = fc["geometries"] if "geometries" in fc else [f["geometry"] for f in fc["features"]]
    parts = [p for g in geoms for p in parts_in_box(g, LAND_BOX, LAND_MIN_HOLE_KM2)]
    log(f"land: {len(parts)} parts in box")
    # Islands in lakes that were filled above now lie inside land: drop them (no overlaps allowed).
    tree = shapely.STRtree(parts)
    inner = set()
    for i, p in enumerate(parts):
        pt = p.representative_point()
        if any(j != i and parts[j].area > p.area and parts[j].contains(pt) for j in tree.query(pt)):
            inner.add(i)
    parts = [p for i, p in enumerate(parts) if i not in inner]
    log(f"land: dropped {len(inner)} islands inside filled lakes")
    # The parts come from one MultiPolygon and do not overlap, so no (slow) union is needed.
    g = valid(to_laea(MultiPolygon(parts)))
    log("land: valid")
    with open(cache, "wb") as f:
        f.write(shapely.to_wkb(g))
    return g


def russian_side():
    """The area east of the Norway-Russia boundary (LAEA), closed far to the east over Russian land."""
    geod = pyproj.Geod(ellps="WGS84")
    pts = []
    for (la0, lo0), (la1, lo1) in zip(NO_RU_LINE, NO_RU_LINE[1:]):
        pts.append((lo0, la0))
        pts.extend(geod.npts(lo0, la0, lo1, la1, 50))
    last = NO_RU_LINE[-1]
    pts += [(last[1], last[0]), (last[1], 89.9), (70.0, 89.9), (70.0, 65.0), (NO_RU_LINE[0][1], 65.0)]
    return to_laea(Polygon(pts))


def fill_holes(g):
    return unary_union([Polygon(p.exterior) for p in polys(g)])


def drop_small(g, min_area_m2):
    return unary_union([p for p in polys(g) if p.area >= min_area_m2])


def sample_boundary(g, spacing):
    pts = []
    for p in polys(g):
        for ring in [p.exterior, *p.interiors]:
            n = max(int(ring.length // spacing), 4)
            pts.extend(ring.interpolate(np.linspace(0, ring.length, n, endpoint=False)))
    return pts


def equidistance_cells(owners, spacing=3000.0):
    """Voronoi partition of the plane between owners (name -> territory); returns name -> cell union."""
    names, points = [], []
    for name, g in owners.items():
        pts = sample_boundary(g.simplify(500.0), spacing)
        names.extend([name] * len(pts))
        points.extend(pts)
    # Owners share land borders: drop coincident points (within 10 m), keeping the first owner.
    xy = np.round(shapely.get_coordinates(points) / 10.0)
    _, keep = np.unique(xy, axis=0, return_index=True)
    keep.sort()
    names = [names[i] for i in keep]
    points = [points[i] for i in keep]
    log(f"voronoi over {len(points)} points")
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), ordered=True)
    by_owner = {}
    for name, cell in zip(names, cells.geoms):
        by_owner.setdefault(name, []).append(cell)
    # Voronoi cells form an exact coverage: a coverage union is fast and avoids noding failures.
    return {n: shapely.make_valid(shapely.coverage_union_all(c)) for n, c in by_owner.items()}


def clean(g, tol):
    g = shapely.make_valid(g.simplify(tol, preserve_topology=True))
    return drop_small(g, 0.5e6)


def zone_feature(zid, name, kind, region, geom, limit_nm, method):
    ll = to_lonlat(geom)
    ll = shapely.set_precision(ll, 1e-5)
    ps = [orient(p, 1.0) for p in polys(shapely.make_valid(ll))]
    ll = ps[0] if len(ps) == 1 else MultiPolygon(ps)
    return {
        "type": "Feature",
        "properties": {
            "id": zid,
            "name": name,
            "kind": kind,
            "region": region,
            "approximate": True,
            "nominal_limit_nm": limit_nm,
            "area_km2": round(geom.area / 1e6),
            "method": method,
        },
        "geometry": mapping(ll),
    }


def build_zones(norway, others, land):
    land_filled = fill_holes(land)
    territory_all = unary_union(list(norway.values()))
    foreign = unary_union(list(others.values()))
    feats = []

    sea = {r: drop_small(g.difference(land_filled), 1e6) for r, g in norway.items()}

    # Internal waters (mainland): the OSM territory reaches 12 nm beyond the baselines, so eroding
    # (territory + nearby land) by 12 nm approximates the area landward of the baselines.
    near = land_filled.intersection(norway["mainland"].buffer(60_000))
    eroded = unary_union([norway["mainland"], near]).simplify(100).buffer(-12 * NM, quad_segs=16)
    internal = clean(sea["mainland"].intersection(eroded), ZONE_TOLERANCE_M)
    ts_main = clean(sea["mainland"].difference(internal), ZONE_TOLERANCE_M)
    log(f"mainland internal waters {internal.area / 1e6:.0f} km2, territorial sea {ts_main.area / 1e6:.0f} km2")
    feats.append(zone_feature(
        "no_mainland_internal_waters", "Norway internal waters (mainland)", "internal_waters", "mainland",
        internal, 0, "OSM sea inside the OSM 12 nm territory eroded by 12 nm (approximates the straight baselines)"))
    feats.append(zone_feature(
        "no_mainland_territorial_sea", "Norway territorial sea (mainland)", "territorial_sea", "mainland",
        ts_main, 12, "OSM 12 nm territory minus land minus approximate internal waters"))
    for region, label in [("svalbard", "Svalbard"), ("jan_mayen", "Jan Mayen")]:
        feats.append(zone_feature(
            f"no_{region}_territorial_sea", f"{label} territorial sea (incl. internal waters)", "territorial_sea",
            region, clean(sea[region], ZONE_TOLERANCE_M), 12, "OSM 12 nm territory minus land"))

    owners = dict(norway)
    owners.update(others)
    cells = equidistance_cells(owners)
    blocked = unary_union([territory_all, foreign, russian_side()])

    cz = norway["mainland"].buffer(12 * NM, quad_segs=16).difference(blocked).intersection(cells["mainland"])
    feats.append(zone_feature(
        "no_mainland_contiguous_zone", "Norway contiguous zone (mainland, approx.)", "contiguous_zone",
        "mainland", clean(cz, ZONE_TOLERANCE_M), 24,
        "12 nm buffer of the OSM 12 nm territory, minus territories, cut at equidistance lines and the NO-RU treaty line"))

    iceland_200 = others["ISL"].buffer(188 * NM, quad_segs=16) if "ISL" in others else Polygon()
    specs = [
        ("mainland", "eez", "no_mainland_eez", "Norway exclusive economic zone (mainland, approx.)"),
        ("svalbard", "svalbard_fpz", "no_svalbard_fpz", "Fisheries protection zone around Svalbard (approx.)"),
        ("jan_mayen", "jan_mayen_zone", "no_jan_mayen_zone", "Fishery zone around Jan Mayen (approx.)"),
    ]
    for region, kind, zid, name in specs:
        g = norway[region].buffer(188 * NM, quad_segs=16).difference(blocked).intersection(cells[region])
        method = ("188 nm buffer of the OSM 12 nm territory (= 200 nm), minus territories, cut at equidistance "
                  "lines and the 2007/2010 Norway-Russia treaty line")
        if region == "jan_mayen":
            g = g.difference(iceland_200)
            method += ", minus Iceland's full 200 nm"
        g = clean(g, ZONE_TOLERANCE_M)
        log(f"{zid}: {g.area / 1e6:.0f} km2")
        feats.append(zone_feature(zid, name, kind, region, g, 200, method))
    return feats


def build_land(land, zone_feats, territories):
    areas = [valid(to_laea(shape(f["geometry"]))) for f in zone_feats] + territories
    aoi = unary_union([a.simplify(1000).buffer(LAND_MARGIN_M, quad_segs=4) for a in areas]).simplify(2000)
    kept = []
    for p in polys(land.intersection(aoi)):
        holes = [h for h in p.interiors if Polygon(h).area >= LAND_MIN_HOLE_KM2 * 1e6]
        kept.append(Polygon(p.exterior, holes))
    g = shapely.make_valid(unary_union(kept).simplify(LAND_TOLERANCE_M, preserve_topology=True))
    ll = shapely.set_precision(to_lonlat(g), 1e-5)
    out = [orient(p, 1.0) for p in polys(shapely.make_valid(ll)) if p.area > 0]
    out.sort(key=lambda p: -p.area)
    log(f"land: {len(out)} polygons, {sum(len(p.exterior.coords) + sum(len(i.coords) for i in p.interiors) for p in out)} vertices")
    return [{"type": "Feature", "properties": {}, "geometry": mapping(p)} for p in out]


def write_fc(path, feats, meta):
    with open(path, "w") as f:
        f.write('{"type":"FeatureCollection",')
        f.write('"metadata":' + json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + ',"features":[\n')
        f.write(",\n".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in feats))
        f.write("\n]}\n")
    log(f"wrote {path} ({os.path.getsize(path)} bytes)")


def verify(out_dir):
    """Compare derived internal waters with the Kartverket-baseline split in ../shared (read-only)."""
    ref_path = os.path.join(out_dir, "..", "..", "..", "shared", "data", "geo", "zones", "osm_norway_territorial_waters.geojson")
    if not os.path.exists(ref_path):
        log("verify skipped: no", ref_path)
        return
    ref = [f for f in json.load(open(ref_path))["features"] if f["properties"]["zone_type"] == "internal_waters"]
    ours = [f for f in json.load(open(os.path.join(out_dir, "norway_zones.geojson")))["features"]
            if f["properties"]["kind"] == "internal_waters"]
    a, b = to_laea(shape(ref[0]["geometry"])), to_laea(shape(ours[0]["geometry"]))
    inter = a.intersection(b).area
    log(f"internal waters: reference {a.area / 1e6:.0f} km2, ours {b.area / 1e6:.0f} km2, "
        f"overlap {inter / 1e6:.0f} km2, IoU {inter / a.union(b).area:.3f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--maritime", required=True)
    ap.add_argument("--land", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--verify", action="store_true")
    args = ap.parse_args()
    log("loading maritime polygons")
    norway, others = load_maritime(args.maritime)
    log("loading land polygons")
    land = load_land(args.land)
    log("deriving zones")
    zone_feats = build_zones(norway, others, land)
    meta = {
        "source": "npm @geo-maps/countries-maritime-10m@0.6.0 and @geo-maps/earth-lands-10m@0.6.0 (OSM, about 2018)",
        "license": "ODbL 1.0, (c) OpenStreetMap contributors",
        "generator": "scripts/geo/build-norway-layers",
        "warning": "approximations, not official boundaries; see data/geo/README.md",
    }
    write_fc(os.path.join(args.out, "norway_zones.geojson"), zone_feats, meta)
    log("building land layer")
    land_feats = build_land(land, zone_feats, list(norway.values()))
    write_fc(os.path.join(args.out, "norway_land.geojson"), land_feats, dict(meta, extent=(
        f"land within {LAND_MARGIN_M / 1000:.0f} km of Norway's territory and zones; lakes under {LAND_MIN_HOLE_KM2} km2 filled")))
    if args.verify:
        verify(args.out)


if __name__ == "__main__":
    main()
