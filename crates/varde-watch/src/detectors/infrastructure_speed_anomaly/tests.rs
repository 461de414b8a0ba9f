use crate::alert::Kind;
use crate::detectors::testkit::*;

/// Sails north along lon 10.0 across the cable at lat 58.0, reporting every 30 s; `speed(t_s)` in knots.
fn sail(k: &mut Kit, mmsi: u32, lon: f64, cog: impl Fn(i64) -> f32, speed: impl Fn(i64) -> f32) {
    let mut lat = 57.6;
    for i in 0..480 {
        let t = i * 30;
        let v = speed(t);
        k.pos(mmsi, t, lat, lon, v, cog(t));
        lat += f64::from(v) * 30.0 / 3600.0 / 60.0;
    }
}

#[test]
fn dip_over_cable_fires_and_constant_speed_does_not() {
    let mut k = Kit::new(cfg(), cables());
    // 11 kn reaches the cable (24 nm north) at ~2 h 11 min; dip to 9.5 kn from 2 h 05 min for 10 min.
    sail(
        &mut k,
        477_000_001,
        10.0,
        |_| 0.0,
        |t| if (7500..8100).contains(&t) { 9.5 } else { 11.0 },
    );
    sail(&mut k, 477_000_002, 10.1, |_| 0.0, |_| 11.0);
    let a = k.alerts_of(Kind::InfrastructureSpeedAnomaly);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 477_000_001);
    assert!(a[0].end.is_some(), "closed when speed recovered");
    assert!(a[0].summary.contains("anchor-drag"), "{}", a[0].summary);
}

#[test]
fn slowing_while_turning_is_explained() {
    let mut k = Kit::new(cfg(), cables());
    let dip = |t: i64| (7500..8100).contains(&t);
    sail(
        &mut k,
        477_000_001,
        10.0,
        move |t| if dip(t) { 45.0 } else { 0.0 },
        move |t| if dip(t) { 9.5 } else { 11.0 },
    );
    assert!(k.alerts_of(Kind::InfrastructureSpeedAnomaly).is_empty());
}

#[test]
fn slowing_on_the_approach_to_a_lone_platform_is_not_an_anchor_drag() {
    // A platform at lat 58.0 lon 10.0 and no cable or pipeline: a supply vessel slows from 11 to 6 kn
    // within 1 nm of it (outside its 500 m safety zone) on the way in. The control dips over the cable.
    let geo = crate::geo::testing::TestGeo::new()
        .with_point_asset("plat", "Platform P", "platform", 58.0, 10.0)
        .with_line_asset("cable-b", "Cable B", "cable", &[(58.0, 11.0), (58.0, 12.0)]);
    let mut k = Kit::new(cfg(), geo);
    let dip = |t: i64| if (7500..8100).contains(&t) { 6.0 } else { 11.0 };
    sail(&mut k, 259_000_001, 10.015, |_| 0.0, dip);
    sail(&mut k, 259_000_002, 11.5, |_| 0.0, dip);
    let a = k.alerts_of(Kind::InfrastructureSpeedAnomaly);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 259_000_002);
}

/// Sails north along `lon` every 30 s for `steps`, from 11 kn to `drag` kn after the first hour, timed
/// so that the cable at lat 58.0 is reached 2.5 h into the slow-down (~16 nm after it began).
fn long_drag(k: &mut Kit, mmsi: u32, lon: f64, drag: f32) {
    let mut lat = 58.0 - (11.0 + f64::from(drag) * 2.5) / 60.0;
    for i in 0..600 {
        let t = i * 30;
        let v = if t < 3600 { 11.0 } else { drag };
        k.pos(mmsi, t, lat, lon, v, 0.0);
        lat += f64::from(v) * 30.0 / 3600.0 / 60.0;
    }
}

#[test]
fn drag_that_began_hours_before_the_cable_still_fires() {
    let mut k = Kit::new(cfg(), cables());
    long_drag(&mut k, 518_000_001, 10.0, 6.5);
    // Control: a ship whose usual speed is 6.5 kn crosses the same cable at that speed.
    let mut lat = 57.5;
    for i in 0..600 {
        k.pos(518_000_002, i * 30, lat, 10.2, 6.5, 0.0);
        lat += 6.5 * 30.0 / 3600.0 / 60.0;
    }
    let a = k.alerts_of(Kind::InfrastructureSpeedAnomaly);
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].mmsi, 518_000_001);
    assert_eq!(a[0].severity, crate::alert::Severity::High, "sustained");
    assert!(
        a[0].summary.contains("from its usual 11.0 kn"),
        "{}",
        a[0].summary
    );
    assert!(a[0].summary.contains("2 h 2"), "{}", a[0].summary);
    // The alert starts over the cable (within 1 nm of it), not where the drop began.
    let at_cable = T0 + 3_600_000 + 150 * 60_000 - (3600.0 / 6.5 * 1000.0) as i64;
    assert!(
        a[0].start >= at_cable - 60_000,
        "{} vs {at_cable}",
        a[0].start
    );
}

#[test]
fn a_trawler_that_slowed_to_fish_hours_ago_is_not_dragging() {
    let mut k = Kit::new(cfg(), cables());
    k.stat(257_000_030, 0, "TRAWLER", 30);
    long_drag(&mut k, 257_000_030, 10.0, 3.5);
    assert!(k.alerts_of(Kind::InfrastructureSpeedAnomaly).is_empty());
}

#[test]
fn a_small_change_of_pace_hours_ago_is_the_new_usual_speed() {
    // 11 kn, then 9.6 kn (-13 %, 1.4 kn) for 2.5 h before the cable: weather or economy, not a drag.
    let mut k = Kit::new(cfg(), cables());
    long_drag(&mut k, 518_000_003, 10.0, 9.6);
    assert!(k.alerts_of(Kind::InfrastructureSpeedAnomaly).is_empty());
}

#[test]
fn stopping_just_outside_a_platform_safety_zone_is_arrival_not_a_drag() {
    // A supply vessel stops 600 m from a platform over the pipeline that feeds it; the control stops
    // over the same pipeline 5 km from the platform.
    let geo = crate::geo::testing::TestGeo::new()
        .with_point_asset("plat", "Platform P", "platform", 58.0, 10.0)
        .with_line_asset("pipe", "Pipe", "pipeline", &[(58.0, 9.0), (58.0, 10.0)]);
    let mut k = Kit::new(cfg(), geo);
    for (mmsi, stop_lon) in [(259_000_021, 9.99), (259_000_022, 9.915)] {
        let mut lat: f64 = 57.6;
        for i in 0..300 {
            let v: f32 = if lat < 58.0 { 12.0 } else { 0.5 };
            k.pos(mmsi, i * 30, lat.min(58.0), stop_lon, v, 0.0);
            lat += f64::from(v) * 30.0 / 3600.0 / 60.0;
        }
    }
    let a = k.alerts_of(Kind::InfrastructureSpeedAnomaly);
    assert!(a.iter().all(|a| a.mmsi != 259_000_021), "{a:#?}");
    assert!(
        a.iter().any(|a| a.mmsi == 259_000_022),
        "control fires: {a:#?}"
    );
}
