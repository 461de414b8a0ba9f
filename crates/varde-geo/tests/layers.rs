//! Integration tests: the built-in Norway layers at known points, and the real layers in
//! `../shared/data/geo` (skipped, visibly, when that folder is absent).

use std::path::PathBuf;

use varde_geo::{AssetKind, GeoConfig, GeoError, Geography, KindRule, LayerSpec, Region, ZoneKind};

/// The shared real layers; `None` (the test is skipped, visibly) when absent, except under `CI=true`,
/// where their absence fails the test.
fn shared_geo() -> Option<PathBuf> {
    varde_testdata::shared("geo", "varde-geo layers")
}

/// (label, lat, lon, expected innermost kind, expected region).
type Known = (&'static str, f64, f64, Option<ZoneKind>, Option<Region>);

/// Known points from research/geodata.md §8.
const KNOWN: [Known; 7] = [
    (
        "Troll A",
        60.6433,
        3.7214,
        Some(ZoneKind::Eez),
        Some(Region::Mainland),
    ),
    (
        "Ekofisk",
        56.54,
        3.21,
        Some(ZoneKind::Eez),
        Some(Region::Mainland),
    ),
    (
        "Byfjorden, Bergen",
        60.415,
        5.27,
        Some(ZoneKind::InternalWaters),
        Some(Region::Mainland),
    ),
    (
        "Longyearbyen harbour",
        78.235,
        15.60,
        Some(ZoneKind::TerritorialSea),
        Some(Region::Svalbard),
    ),
    (
        "Varangerfjord mouth",
        70.2,
        31.5,
        Some(ZoneKind::TerritorialSea),
        Some(Region::Mainland),
    ),
    (
        "20 nm off Jan Mayen",
        71.4,
        -8.0,
        Some(ZoneKind::JanMayenZone),
        Some(Region::JanMayen),
    ),
    ("0E 66N", 66.0, 0.0, None, None),
];

#[test]
fn builtin_zones_at_known_points() {
    let geo = Geography::norway();
    for (label, lat, lon, kind, region) in KNOWN {
        let z = geo.innermost_zone(lat, lon);
        assert_eq!(z.map(|z| z.kind), kind, "{label}: {z:?}");
        assert_eq!(z.map(|z| z.region), region, "{label}");
        assert!(
            z.is_none_or(|z| z.approximate),
            "{label}: built-in zones are approximations"
        );
    }
}

#[test]
fn builtin_zones_do_not_overlap_within_a_kind_rank() {
    let geo = Geography::norway();
    for (lat, lon) in [(60.6433, 3.7214), (70.2, 31.5), (75.0, 20.0), (62.0, 4.0)] {
        let zones = geo.zones_at(lat, lon);
        let mut ranks: Vec<u8> = zones.iter().map(|z| z.kind.rank()).collect();
        ranks.dedup();
        assert_eq!(ranks.len(), zones.len(), "({lat},{lon}): {zones:?}");
    }
}

#[test]
fn builtin_land_depth() {
    let geo = Geography::norway();
    for (label, lat, lon) in [
        ("Jotunheimen", 61.5, 8.5),
        ("Finnmarksvidda", 69.5, 24.0),
        ("Oslo, Blindern", 59.94, 10.72),
    ] {
        let depth = geo.land_depth_m(lat, lon);
        assert!(depth.is_some_and(|d| d > 500.0), "{label}: {depth:?}");
        assert!(geo.on_land(lat, lon, 500.0), "{label}");
        assert_eq!(geo.distance_to_land_m(lat, lon), Some(0.0));
    }
    for (label, lat, lon) in [
        ("Norwegian Sea", 66.0, 0.0),
        ("off Stad", 62.3, 4.5),
        ("Byfjorden", 60.415, 5.27),
        ("Isfjorden", 78.2, 14.5),
    ] {
        assert!(!geo.on_land(lat, lon, 500.0), "{label}");
        assert_eq!(geo.land_depth_m(lat, lon), None, "{label}");
    }
    let d = geo.distance_to_land_m(60.6433, 3.7214).unwrap();
    assert!(
        (50_000.0..100_000.0).contains(&d),
        "Troll A is ~70 km off Fedje: {d}"
    );
}

#[test]
fn builtin_ports_and_demo_assets() {
    let geo = Geography::norway();
    assert_eq!(
        geo.port_near(78.235, 15.60).map(|p| p.name.as_str()),
        Some("Longyearbyen")
    );
    assert_eq!(
        geo.port_near(60.40, 5.32).map(|p| p.name.as_str()),
        Some("Bergen")
    );
    assert!(geo.port_near(66.0, 0.0).is_none());
    let (troll, d) = geo
        .nearest_asset(60.6433, 3.7214, 1_000.0)
        .expect("Troll A");
    assert_eq!(
        (troll.name.as_str(), troll.kind),
        ("Troll A", AssetKind::Platform)
    );
    assert!(d < 1.0 && troll.schematic);
    assert!(geo.assets().iter().all(|a| a.schematic));
    assert!(geo.nearest_asset(66.0, 0.0, 10_000.0).is_none());
}

#[test]
fn bad_positions_match_nothing() {
    let geo = Geography::norway();
    for (lat, lon) in [
        (f64::NAN, 5.0),
        (60.0, f64::INFINITY),
        (95.0, 5.0),
        (60.0, -200.0),
    ] {
        assert!(geo.zones_at(lat, lon).is_empty());
        assert!(geo.innermost_zone(lat, lon).is_none());
        assert!(!geo.on_land(lat, lon, 0.0));
        assert!(geo.distance_to_land_m(lat, lon).is_none());
        assert!(geo.port_near(lat, lon).is_none());
        assert!(geo.assets_within(lat, lon, 1e6).is_empty());
        assert!(geo.nearest_asset(lat, lon, 1e9).is_none());
    }
    assert!(geo.assets_within(60.6433, 3.7214, f64::NAN).is_empty());
}

#[test]
fn config_reports_every_bad_file() {
    let config = GeoConfig {
        zones: Some("/nonexistent/zones.geojson".into()),
        infrastructure: vec![
            "/nonexistent/a.geojson".into(),
            "/nonexistent/b.geojson".into(),
        ],
        ..GeoConfig::default()
    };
    match Geography::from_config(&config) {
        Err(GeoError::Multiple(errors)) => assert_eq!(errors.len(), 3),
        other => panic!("expected three errors, got {other:?}"),
    }
    let geo = Geography::from_config(&GeoConfig {
        demo_infrastructure: false,
        ..GeoConfig::default()
    })
    .unwrap();
    assert!(geo.assets().is_empty());
}

#[test]
fn sodir_pipelines_langeled_buffer() {
    let Some(dir) = shared_geo() else { return };
    let path = dir.join("infrastructure/npd_transport_pipelines.geojson");
    let mut geo = Geography::norway();
    geo.clear_infrastructure();
    let n = geo.add_infrastructure_layer(&path).unwrap();
    assert_eq!(n, 73);
    assert!(geo
        .assets()
        .iter()
        .all(|a| a.kind == AssetKind::Pipeline && a.buffer_m == 1_852.0));

    // A vertex of Langeled, read from the file itself.
    let text = std::fs::read_to_string(&path).unwrap();
    let fc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let langeled = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["map_label"] == "Langeled")
        .unwrap();
    let coords = &langeled["geometry"]["coordinates"];
    let line = if langeled["geometry"]["type"] == "LineString" {
        coords
    } else {
        &coords[0]
    };
    let mid = &line[line.as_array().unwrap().len() / 2];
    let (lon, lat) = (mid[0].as_f64().unwrap(), mid[1].as_f64().unwrap());

    let is_langeled = |a: &varde_geo::Asset| a.label.as_deref() == Some("Langeled");
    let (nearest, d) = geo.nearest_asset(lat, lon, 10_000.0).unwrap();
    assert!(d < 1.0, "{nearest:?} at {d} m");
    assert!(geo
        .assets_in_buffer(lat, lon)
        .iter()
        .any(|(a, _)| is_langeled(a)));

    let lon_50km = lon + 50_000.0 / (111_195.0 * lat.to_radians().cos());
    assert!(!geo
        .assets_in_buffer(lat, lon_50km)
        .iter()
        .any(|(a, _)| is_langeled(a)));
    let near: Vec<_> = geo.assets_within(lat, lon_50km, 60_000.0);
    let to_langeled = near
        .iter()
        .find(|(a, _)| is_langeled(a))
        .map(|(_, d)| *d)
        .unwrap();
    assert!(
        (30_000.0..=50_500.0).contains(&to_langeled),
        "{to_langeled}"
    );
}

#[test]
fn sodir_facilities_and_fields_kinds() {
    let Some(dir) = shared_geo() else { return };
    let mut geo = Geography::empty();
    geo.add_infrastructure_layer(dir.join("infrastructure/npd_facilities.geojson"))
        .unwrap();
    geo.add_infrastructure_layer(dir.join("infrastructure/npd_fields.geojson"))
        .unwrap();
    let (a, d) = geo.nearest_asset(60.6433, 3.7214, 2_000.0).unwrap();
    assert!(d < 2_000.0, "{a:?}");
    assert!(geo
        .assets()
        .iter()
        .any(|a| a.kind == AssetKind::SubseaStructure));
    assert!(geo.assets().iter().any(|a| a.kind == AssetKind::Field));
    // Inside the Troll field outline the field is at distance 0.
    assert!(geo
        .assets_within(60.75, 3.55, 0.0)
        .iter()
        .any(|(a, d)| a.kind == AssetKind::Field && *d == 0.0));
}

#[test]
fn shared_zones_agree_with_builtin() {
    let Some(dir) = shared_geo() else { return };
    let builtin = Geography::norway();
    let mut shared = Geography::empty();
    shared
        .replace_zones(dir.join("zones/osm_norway_territorial_waters.geojson"))
        .unwrap();
    shared
        .add_zones(dir.join("zones/derived_maritime_zones_approx.geojson"))
        .unwrap();
    for (label, lat, lon, kind, _) in KNOWN {
        assert_eq!(
            shared.innermost_zone(lat, lon).map(|z| z.kind),
            kind,
            "shared layer, {label}"
        );
    }
    // Same innermost kind on a lattice over Norwegian waters, except near boundaries.
    let (mut same, mut total) = (0, 0);
    for i in 0..120 {
        for j in 0..120 {
            let (lat, lon) = (56.0 + i as f64 * 0.2, -10.0 + j as f64 * 0.4);
            let a = builtin.innermost_zone(lat, lon).map(|z| z.kind);
            let b = shared.innermost_zone(lat, lon).map(|z| z.kind);
            if a.is_some() || b.is_some() {
                total += 1;
                same += usize::from(a == b);
            }
        }
    }
    let agreement = same as f64 / total as f64;
    println!("built-in vs shared zone agreement: {same}/{total} = {agreement:.3}");
    assert!(agreement > 0.95, "{agreement}");
}

#[test]
fn shared_land_and_ports_replace_builtin() {
    let Some(dir) = shared_geo() else { return };
    let mut geo = Geography::norway();
    geo.replace_land(dir.join("land/naturalearth_land_10m_region.geojson"))
        .unwrap();
    geo.replace_ports(dir.join("ports/wpi_ports_norway_svalbard.geojson"))
        .unwrap();
    assert!(geo.on_land(61.5, 8.5, 500.0));
    assert!(!geo.on_land(66.0, 0.0, 0.0));
    assert_eq!(geo.ports().len(), 144);
    assert!(geo
        .port_near(78.23, 15.6)
        .is_some_and(|p| p.name.contains("Longyear")));
}

#[test]
fn every_shared_infrastructure_file_loads_with_inferred_kinds() {
    let Some(dir) = shared_geo() else { return };
    for (file, kind) in [
        (
            "telegeography_submarine_cables_2021.geojson",
            AssetKind::Cable,
        ),
        (
            "telegeography_landing_points_2021.geojson",
            AssetKind::Landing,
        ),
        (
            "pypsa_entsoe_gridkit_hvdc_links_schematic.geojson",
            AssetKind::PowerCable,
        ),
    ] {
        let mut geo = Geography::empty();
        let n = geo
            .add_infrastructure_layer(dir.join("infrastructure").join(file))
            .unwrap();
        assert!(n > 40, "{file}: {n}");
        assert!(geo.assets().iter().all(|a| a.kind == kind), "{file}");
        assert!(geo.assets().iter().all(|a| !a.name.is_empty()), "{file}");
    }
}

#[test]
fn sodir_pipelines_are_pipelines_by_medium_whatever_the_file_name() {
    let Some(dir) = shared_geo() else { return };
    // Under a name that says nothing, the `medium` property (Gas, Oil, Condensate, Injection) decides.
    let tmp = std::env::temp_dir().join(format!("varde-layers-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let renamed = tmp.join("sodir_export_2024.geojson");
    std::fs::copy(
        dir.join("infrastructure/npd_transport_pipelines.geojson"),
        &renamed,
    )
    .unwrap();
    let mut geo = Geography::empty();
    assert_eq!(geo.add_infrastructure_layer(&renamed).unwrap(), 73);
    std::fs::remove_dir_all(&tmp).unwrap();
    assert!(geo
        .assets()
        .iter()
        .all(|a| a.kind == AssetKind::Pipeline && a.kind_rule == KindRule::Property));
    let media: std::collections::BTreeSet<_> = geo
        .assets()
        .iter()
        .filter_map(|a| a.declared_kind.as_deref())
        .collect();
    assert!(
        media.contains("Gas") && media.contains("Injection"),
        "{media:?}"
    );
    let s = geo.infrastructure_summary();
    assert_eq!(s.count(AssetKind::Pipeline), 73);
    assert!(s.unclassified.is_empty());
}

#[test]
fn every_shared_asset_is_classified() {
    let Some(dir) = shared_geo() else { return };
    let mut geo = Geography::empty();
    for f in [
        "npd_transport_pipelines",
        "npd_facilities",
        "npd_fields",
        "telegeography_submarine_cables_2021",
        "telegeography_landing_points_2021",
        "pypsa_entsoe_gridkit_hvdc_links_schematic",
    ] {
        geo.add_infrastructure_layer(dir.join(format!("infrastructure/{f}.geojson")))
            .unwrap();
    }
    let s = geo.infrastructure_summary();
    println!("shared infrastructure: {s}");
    assert!(s.unclassified.is_empty(), "{:?}", s.unclassified);
    assert_eq!(s.count(AssetKind::PowerCable), 46, "HVDC links");
    assert_eq!(s.count(AssetKind::Cable), 109, "telecom cables");
    assert_eq!(s.count(AssetKind::Field), 140);
    assert_eq!(s.count(AssetKind::WindTurbine), 11);
    assert!(s.count(AssetKind::Platform) > 150, "{s}");
    assert!(s.count(AssetKind::SubseaStructure) > 500, "{s}");
    assert!(
        s.to_string()
            .starts_with("155 cable (46 power_cable), 73 pipeline"),
        "{s}"
    );
    // The engine sees power cables as cables: linear, like pipelines.
    assert!(geo
        .assets()
        .iter()
        .filter(|a| a.kind == AssetKind::PowerCable)
        .all(|a| a.kind.watch_kind() == "cable" && a.kind.is_linear()));
}

#[test]
fn layer_kind_override_and_unclassified_listing() {
    let tmp = std::env::temp_dir().join(format!("varde-override-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let file = tmp.join("misc.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"Estlink 2","type":"Power cable"},
         "geometry":{"type":"LineString","coordinates":[[25.0,59.5],[25.5,60.0]]}},
        {"type":"Feature","properties":{"name":"A","kind":"foo"},
         "geometry":{"type":"LineString","coordinates":[[5.0,60.0],[5.1,60.0]]}},
        {"type":"Feature","properties":{"name":"B","kind":"foo"},
         "geometry":{"type":"Point","coordinates":[5.2,60.0]}},
        {"type":"Feature","properties":{"name":"C"},
         "geometry":{"type":"Point","coordinates":[5.3,60.0]}}]}"#,
    )
    .unwrap();
    let mut geo = Geography::empty();
    geo.add_infrastructure_layer(&file).unwrap();
    let s = geo.infrastructure_summary();
    assert_eq!(s.to_string(), "1 cable (1 power_cable), 3 other");
    let listed: Vec<String> = s.unclassified.iter().map(ToString::to_string).collect();
    assert_eq!(
        listed,
        [
            "2 × kind \"foo\" in layer misc",
            "1 × no kind property in layer misc"
        ]
    );

    let spec: LayerSpec = format!("{}:cable", file.display()).parse().unwrap();
    let mut geo = Geography::empty();
    geo.add_infrastructure(&spec).unwrap();
    assert!(geo
        .assets()
        .iter()
        .all(|a| a.kind == AssetKind::Cable && a.kind_rule == KindRule::Override));
    assert!(geo.infrastructure_summary().unclassified.is_empty());

    let geo = Geography::from_config(&GeoConfig {
        demo_infrastructure: false,
        infrastructure: vec![LayerSpec::with_kind(&file, AssetKind::Pipeline)],
        ..GeoConfig::default()
    })
    .unwrap();
    assert_eq!(geo.infrastructure_summary().to_string(), "4 pipeline");
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn builtin_ports_know_foreign_ports_and_keep_norways_own() {
    let geo = Geography::norway();
    // Norway's curated circles are kept (Bergen's is larger than the world list's 2 km default).
    let bergen = geo.port_near(60.398, 5.315).expect("Bergen");
    assert_eq!(bergen.country, "Norway");
    assert!(bergen.radius_m > 2_000.0, "{bergen:?}");
    assert!(geo.ports().iter().filter(|p| p.country == "Norway").count() >= 45);
    // Foreign ports from data/geo/ports_world.csv.
    for (name, lat, lon) in [
        ("Fujairah", 25.17, 56.36),
        ("Rotterdam", 51.90, 4.44),
        ("Singapore", 1.26, 103.84),
    ] {
        let p = geo.ports().iter().find(|p| p.name == name).expect(name);
        assert!(
            (p.lat - lat).abs() < 0.2 && (p.lon - lon).abs() < 0.2,
            "{p:?}"
        );
        assert_eq!(
            geo.port_near(p.lat, p.lon).map(|q| q.name.as_str()),
            Some(name)
        );
    }
    assert!(geo.ports().len() > 3_500, "{}", geo.ports().len());
    // Open sea stays open sea.
    assert!(geo.port_near(66.0, 0.0).is_none());
}
