use super::*;

fn square() -> Vec<(f64, f64)> {
    vec![(60.0, 5.0), (60.0, 6.0), (61.0, 6.0), (61.0, 5.0)]
}

#[test]
fn zones_and_land_from_polygons() {
    let g = TestGeo::new()
        .with_zone("ts", "TS", "territorial_sea", "mainland", &square())
        .with_land(&square());
    assert_eq!(&*g.zones_at(60.5, 5.5)[0].kind, "territorial_sea");
    assert!(g.zones_at(59.5, 5.5).is_empty());
    let depth = g.land_depth_m(60.5, 5.01).unwrap();
    assert!(
        (depth - 0.01 * 111_195.0 * 60.5f64.to_radians().cos()).abs() < 20.0,
        "{depth}"
    );
    assert_eq!(g.land_depth_m(59.0, 5.5), None);
}

#[test]
fn assets_and_ports_by_distance() {
    let g = TestGeo::new()
        .with_line_asset("c", "Cable", "cable", &[(60.0, 5.0), (60.0, 6.0)])
        .with_port("Bergen", 60.4, 5.3, 2_000.0);
    let near = g.assets_within(60.01, 5.5, 2_000.0);
    assert_eq!(near.len(), 1);
    assert!((near[0].distance_m - 1_112.0).abs() < 5.0);
    assert!(g.assets_within(60.05, 5.5, 2_000.0).is_empty());
    assert_eq!(g.in_port(60.4, 5.31).as_deref(), Some("Bergen"));
    assert!(g.port_within(60.5, 5.3, 10_000.0).is_some());
}
