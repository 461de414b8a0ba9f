use super::*;
use crate::NAUTICAL_MILE_M;

fn norway() -> Geography {
    Geography::norway()
}

#[test]
fn builtin_terrestrial_near_coasts_and_stations() {
    let geo = norway();
    for (label, lat, lon) in [
        ("off Bergen, 15 nm west of Sotra", 60.35, 4.45),
        ("Skagerrak, off Lista", 58.0, 6.6),
        ("Skagerrak, mid-channel", 58.2, 9.3),
        ("Stad, 20 nm off", 62.2, 4.4),
        ("Vestfjorden", 68.0, 14.5),
        ("off Røst, 30 nm west", 67.5, 10.9),
        ("off Nordkapp, 25 nm", 71.6, 25.8),
        ("Varangerfjord", 70.0, 30.5),
        ("Isfjorden, Svalbard", 78.2, 14.5),
        ("off Bjørnøya", 74.3, 18.5),
        ("Troll A (North Sea region)", 60.64, 3.72),
        ("Ekofisk (North Sea region)", 56.54, 3.21),
        ("Gulf of Finland (Baltic region)", 59.9, 25.0),
    ] {
        assert_eq!(geo.coverage(lat, lon), Coverage::Terrestrial, "{label}");
    }
}

#[test]
fn builtin_satellite_far_offshore_and_in_the_high_arctic() {
    let geo = norway();
    for (label, lat, lon) in [
        ("Barents Sea, 76N 30E", 76.0, 30.0),
        ("Norwegian Sea, 68N 0E", 68.0, 0.0),
        ("Norwegian Sea, 66N 2E", 66.0, 2.0),
        ("Barents Sea, 73.5N 35E", 73.5, 35.0),
        ("north of Svalbard", 82.0, 20.0),
        ("off Jan Mayen (no station)", 71.0, -8.0),
        ("Greenland Sea", 75.0, -5.0),
    ] {
        assert_eq!(geo.coverage(lat, lon), Coverage::Satellite, "{label}");
    }
}

#[test]
fn range_boundary_is_within_a_few_km_of_the_range() {
    // Due west of Utsira (59.30 N 4.87 E is its west shore) along 59.3 N, the coast rule ends about
    // 40 nm out; the North Sea region covers that latitude anyway, so look further north off Stad,
    // where only the coast rule applies (Stad's outermost shore is about 62.18 N 5.08 E).
    let geo = norway();
    let (lat, shore_lon): (f64, f64) = (62.18, 5.08);
    let lon_at = |nm: f64| shore_lon - nm * NAUTICAL_MILE_M / (111_195.0 * lat.to_radians().cos());
    assert_eq!(geo.coverage(lat, lon_at(34.0)), Coverage::Terrestrial);
    assert_eq!(geo.coverage(lat, lon_at(46.0)), Coverage::Satellite);
}

#[test]
fn outside_the_domain_and_bad_positions_count_as_terrestrial() {
    let geo = norway();
    assert_eq!(geo.coverage(40.0, 0.0), Coverage::Terrestrial);
    assert_eq!(geo.coverage(70.0, 60.0), Coverage::Terrestrial);
    assert_eq!(geo.coverage(f64::NAN, 5.0), Coverage::Terrestrial);
    assert_eq!(geo.coverage(90.0, 0.0), Coverage::Satellite);
}

#[test]
fn range_setting_shrinks_and_grows_the_coast_rule() {
    let mut geo = norway();
    let off_stad = (62.2, 4.4); // about 20 nm out
    geo.set_coverage(&CoverageConfig {
        range_nm: 5.0,
        ..CoverageConfig::default()
    })
    .unwrap();
    assert_eq!(geo.coverage(off_stad.0, off_stad.1), Coverage::Satellite);
    assert_eq!(
        geo.coverage(62.2, 5.2),
        Coverage::Terrestrial,
        "near the shore"
    );
    assert_eq!(
        geo.coverage(60.64, 3.72),
        Coverage::Terrestrial,
        "regions stay"
    );
    // About 117 nm off Haltenbanken's outer skerries.
    assert_eq!(norway().coverage(65.5, 6.0), Coverage::Satellite);
    geo.set_coverage(&CoverageConfig {
        range_nm: 200.0,
        ..CoverageConfig::default()
    })
    .unwrap();
    assert_eq!(geo.coverage(65.5, 6.0), Coverage::Terrestrial);
    // The shared built-in geography is untouched.
    assert_eq!(
        norway().coverage(off_stad.0, off_stad.1),
        Coverage::Terrestrial
    );
}

fn write(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("varde-geo-coverage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const BOX_68N_0E: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
  "geometry":{"type":"Polygon","coordinates":[[[-1,67.5],[1,67.5],[1,68.5],[-1,68.5],[-1,67.5]]]}}]}"#;

#[test]
fn polygon_layer_replaces_or_extends_the_model() {
    let poly = write("box.geojson", BOX_68N_0E);
    let mut geo = norway();
    geo.set_coverage(&CoverageConfig {
        terrestrial: Some(poly.clone()),
        ..CoverageConfig::default()
    })
    .unwrap();
    assert_eq!(geo.coverage(68.0, 0.0), Coverage::Terrestrial);
    assert_eq!(geo.coverage(68.6, 0.0), Coverage::Satellite);
    assert_eq!(geo.coverage(60.35, 4.45), Coverage::Satellite, "replaced");

    geo.set_coverage(&CoverageConfig {
        extra_terrestrial: vec![poly],
        ..CoverageConfig::default()
    })
    .unwrap();
    assert_eq!(geo.coverage(68.0, 0.0), Coverage::Terrestrial);
    assert_eq!(geo.coverage(60.35, 4.45), Coverage::Terrestrial, "kept");
    assert_eq!(geo.coverage(76.0, 30.0), Coverage::Satellite);
}

#[test]
fn bad_coverage_configuration_is_reported() {
    let mut geo = norway();
    for range_nm in [f64::NAN, -1.0, 5_000.0] {
        let e = geo.set_coverage(&CoverageConfig {
            range_nm,
            ..CoverageConfig::default()
        });
        assert!(matches!(e, Err(GeoError::Config(_))), "{range_nm}: {e:?}");
    }
    let points = write(
        "points.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Point","coordinates":[5,60]}}]}"#,
    );
    let e = geo.set_coverage(&CoverageConfig {
        terrestrial: Some(points),
        extra_terrestrial: vec!["/nonexistent/c.geojson".into()],
        ..CoverageConfig::default()
    });
    assert!(
        matches!(e, Err(GeoError::Multiple(ref v)) if v.len() == 2),
        "{e:?}"
    );
}

#[test]
fn config_section_parses() {
    let c: crate::GeoConfig = toml::from_str(
        "[coverage]\nrange_nm = 55.0\nextra_terrestrial = [\"/x/hinlopen.geojson\"]\n",
    )
    .unwrap();
    assert_eq!(c.coverage.range_nm, 55.0);
    assert_eq!(c.coverage.extra_terrestrial.len(), 1);
    assert!(toml::from_str::<crate::GeoConfig>("[coverage]\nrange = 5\n").is_err());
}

#[test]
fn replacing_the_land_rebuilds_the_coast_rule() {
    let island = write(
        "island.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Polygon","coordinates":[[[0,67.9],[0.2,67.9],[0.2,68.1],[0,68.1],[0,67.9]]]}}]}"#,
    );
    let mut geo = norway();
    assert_eq!(geo.coverage(68.0, -0.5), Coverage::Satellite);
    geo.replace_land(&island).unwrap();
    assert_eq!(geo.coverage(68.0, -0.5), Coverage::Terrestrial);
    assert_eq!(
        geo.coverage(62.2, 4.4),
        Coverage::Satellite,
        "no mainland now"
    );
}

#[test]
fn grid_ranges_and_discs_match_a_cell_by_cell_check() {
    let mut next = crate::test_rng::uniform(5);
    let trig = RowTrig::new();
    for _ in 0..50 {
        let p = [DOMAIN_LON[0] + 65.0 * next(), DOMAIN_LAT[0] + 36.0 * next()];
        let radius = 200_000.0 * next();
        let mut g = Grid::empty();
        g.mark_disc(&trig, p, radius);
        for r in (0..ROWS).step_by(7) {
            for c in 0..COLS {
                let centre = [DOMAIN_LON[0] + (c as f64 + 0.5) * DLON, row_centre(r)];
                let d = crate::sphere::haversine_m(p, centre);
                if (d - radius).abs() > 1.0 {
                    assert_eq!(
                        g.get(centre[1], centre[0]),
                        d < radius,
                        "{p:?} {radius} {centre:?}"
                    );
                }
            }
        }
    }
}
