use super::*;

#[test]
fn defaults_are_valid_and_match_detection_md() {
    let c = Config::default();
    c.validate().unwrap();
    assert_eq!(c.loitering.max_speed_kn, 2.0);
    assert_eq!(c.loitering.min_duration_s, 30 * 60);
    assert_eq!(c.ais_gap.min_gap_s, 15 * 60);
    assert_eq!(c.ais_gap.interval_factor, 5.0);
    assert_eq!(c.position_jump.max_speed_kn, 50.0);
    assert_eq!(c.position_jump.min_distance_nm, 2.0);
    assert_eq!(c.position_on_land.min_inland_m, 500.0);
    assert_eq!(c.rendezvous.max_distance_m, 250.0);
    assert_eq!(c.rendezvous.min_port_distance_m, 10_000.0);
    assert_eq!(c.infrastructure_loiter.max_speed_kn, 3.0);
    assert_eq!(c.infrastructure_loiter.crossings, 3);
    assert_eq!(c.infrastructure_speed_anomaly.min_drop_fraction, 0.15);
    assert_eq!(c.infrastructure_speed_anomaly.min_duration_s, 180);
    assert_eq!(c.interest.ship_types, vec![35, 55]);
    assert_eq!(c.home_mids, vec![257, 258, 259]);
}

#[test]
fn validate_reports_all_errors_at_once() {
    let mut c = Config::default();
    c.loitering.max_speed_kn = 0.0;
    c.rendezvous.max_distance_m = 5_000.0;
    c.home_mids.push(217);
    c.zone_entry.zone_kinds.push("moon".into());
    let errs = c.validate().unwrap_err();
    assert_eq!(errs.0.len(), 4, "{errs}");
    assert!(errs.to_string().contains("loitering.max_speed_kn"));
}

#[test]
fn toml_round_trip_with_partial_sections() {
    let c: Config =
        toml::from_str("[loitering]\nmin_duration_s = 2700\n[watchlist]\nmmsi = [273345000]\n")
            .unwrap();
    assert_eq!(c.loitering.min_duration_s, 2700);
    assert_eq!(c.loitering.max_speed_kn, 2.0);
    assert!(c.watchlist.mmsi.contains(&273_345_000));
    let back: Config = toml::from_str(&toml::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
    assert!(
        toml::from_str::<Config>("[loitering]\nmax_speeed = 1\n").is_err(),
        "typos are errors"
    );
}
