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
NEIGHBOUR_BOX = (-45.0, 45.0, 70.0, 89.9)  # countries considered for the equidistance partition
LAND_BOX = (-15.0, 53.0, 46.0, 83.0)
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


def parts_in_box(geometry, bx):
    """Polygon parts of a GeoJSON geometry whose exterior bbox intersects bx, clipped to bx."""
    rings = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for coords in rings:
        x0, y0, x1, y1 = bbox_of(coords)
        if x1 < bx[0] or x0 > bx[2] or y1 < bx[1] or y0 > bx[3]:
            continue
        p = Polygon(coords[0], coords[1:])
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
        if a3 == "NOR":
            for p in parts:
                region = next((r for r, bx in REGIONS.items() if in_box(p, bx)), None)
                if region is None:
                    log("NOR part outside all regions ignored:", p.bounds)
                    continue
                norway[region].append(p)
        else:
            others[a3] = parts
    norway = {r: to_laea(unary_union(ps)) for r, ps in norway.items()}
    others = {a3: to_laea(unary_union(ps)) for a3, ps in others.items()}
    return norway, others


def load_land(path):
    fc = json.load(open(path))
    geoms = fc["geometries"] if "geometries" in fc else [f["geometry"] for f in fc["features"]]
    parts = [p for g in geoms for p in parts_in_box(g, LAND_BOX)]
    log(f"land: {len(parts)} parts in box")
    return to_laea(unary_union(parts))


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
    log(f"voronoi over {len(points)} points")
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), ordered=True)
    by_owner = {}
    for name, cell in zip(names, cells.geoms):
        by_owner.setdefault(name, []).append(cell)
    return {n: unary_union(c) for n, c in by_owner.items()}


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
    blocked = unary_union([territory_all, foreign])

    cz = norway["mainland"].buffer(12 * NM, quad_segs=16).difference(blocked).intersection(cells["mainland"])
    feats.append(zone_feature(
        "no_mainland_contiguous_zone", "Norway contiguous zone (mainland, approx.)", "contiguous_zone",
        "mainland", clean(cz, ZONE_TOLERANCE_M), 24,
        "12 nm buffer of the OSM 12 nm territory, minus territories, cut at equidistance lines"))

    iceland_200 = others["ISL"].buffer(188 * NM, quad_segs=16) if "ISL" in others else Polygon()
    specs = [
        ("mainland", "eez", "no_mainland_eez", "Norway exclusive economic zone (mainland, approx.)"),
        ("svalbard", "svalbard_fpz", "no_svalbard_fpz", "Fisheries protection zone around Svalbard (approx.)"),
        ("jan_mayen", "jan_mayen_zone", "no_jan_mayen_zone", "Fishery zone around Jan Mayen (approx.)"),
    ]
    for region, kind, zid, name in specs:
        g = norway[region].buffer(188 * NM, quad_segs=16).difference(blocked).intersection(cells[region])
        method = "188 nm buffer of the OSM 12 nm territory (= 200 nm), minus territories, cut at equidistance lines"
        if region == "jan_mayen":
            g = g.difference(iceland_200)
            method += ", minus Iceland's full 200 nm"
        g = clean(g, ZONE_TOLERANCE_M)
        log(f"{zid}: {g.area / 1e6:.0f} km2")
        feats.append(zone_feature(zid, name, kind, region, g, 200, method))
    return feats


def build_land(land, zone_feats):
    zones = to_laea(unary_union([shape(f["geometry"]) for f in zone_feats]))
    aoi = zones.buffer(LAND_MARGIN_M, quad_segs=4).simplify(2000)
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
    land_feats = build_land(land, zone_feats)
    write_fc(os.path.join(args.out, "norway_land.geojson"), land_feats, dict(meta, extent=(
        f"land within {LAND_MARGIN_M / 1000:.0f} km of the built-in zones; lakes under {LAND_MIN_HOLE_KM2} km2 filled")))
    if args.verify:
        verify(args.out)


if __name__ == "__main__":
    main()
