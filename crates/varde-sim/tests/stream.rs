//! The output stream: decodable, deterministic, in time order, reporting at
//! ITU-R M.1371 rates, inside Norwegian waters.

mod common;

use common::run;
use varde_ais::nmea::{encode_sentences, EncodeOptions};
use varde_sim::encode::{frame_into, static_voyage, Framing};
use varde_sim::geo::LatLon;
use varde_sim::identity::{random_identity, VesselKind};
use varde_sim::Scenario;

#[test]
fn every_line_decodes_without_rejects() {
    let r = run(300, 0.5, 3, Some(Scenario::all_builtin()));
    assert!(r.lines.len() > 10_000, "{}", r.lines.len());
    assert_eq!(r.rejects, 0);
    let decoded: usize = r.positions.values().map(Vec::len).sum::<usize>()
        + r.no_fix.values().map(Vec::len).sum::<usize>()
        + r.statics.values().map(Vec::len).sum::<usize>();
    let two_part = r.lines.iter().filter(|l| l.starts_with("\\g:1-2")).count();
    assert_eq!(
        decoded + two_part,
        r.lines.len(),
        "every line is part of a decoded message"
    );
}

#[test]
fn lines_are_in_time_order_with_kystverket_style_tag_blocks() {
    let r = run(200, 0.3, 4, None);
    let times: Vec<i64> = r
        .lines
        .iter()
        .map(|l| l.split("c:").nth(1).unwrap()[..10].parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    assert!(r
        .lines
        .iter()
        .all(|l| l.contains("s:257") && l.contains("!BSVDM,")));
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = run(150, 0.3, 9, Some(Scenario::all_builtin())).lines;
    let b = run(150, 0.3, 9, Some(Scenario::all_builtin())).lines;
    let c = run(150, 0.3, 10, Some(Scenario::all_builtin())).lines;
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn fast_framing_matches_the_codec_encoder() {
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
    let id = random_identity(VesselKind::Cargo, "NO", "NORDSTJERNE".into(), &mut rng);
    let payload = static_voyage(&id, "BERGEN").encode();
    let mut mine = String::new();
    frame_into(
        &mut mine,
        &payload,
        &Framing {
            station: "2573345",
            time_s: 1_721_088_000,
            channel: b'B',
            seq_id: 3,
            group_id: 42,
        },
    );
    let opts = EncodeOptions {
        talker: *b"BS",
        channel: b'B',
        seq_id: 3,
        tag_time_s: Some(1_721_088_000),
        station: Some("2573345".into()),
        group_id: 42,
        ..EncodeOptions::default()
    };
    let theirs: String = encode_sentences(&payload, &opts)
        .into_iter()
        .map(|l| l + "\n")
        .collect();
    assert_eq!(mine, theirs);
}

#[test]
fn reporting_intervals_follow_the_vessel_class() {
    let r = run(300, 1.0, 5, None);
    let (mut a_checked, mut b_checked) = (0, 0);
    for (mmsi, p) in &r.positions {
        for w in p.windows(2) {
            let gap = w[1].t_s - w[0].t_s;
            let (s, st) = (w[0].sog, w[0].status);
            let want = if w[0].class_b {
                b_checked += 1;
                if s > 2.05 {
                    30
                } else if s < 1.95 {
                    180
                } else {
                    continue;
                }
            } else {
                a_checked += 1;
                match (st, s) {
                    (1 | 5, s) if s < 3.0 => 180,
                    (_, s) if s > 23.05 => 2,
                    (_, s) if s > 14.05 && s < 22.95 => 6,
                    (_, s) if s < 13.95 => 10,
                    _ => continue,
                }
            };
            assert!(
                (gap - want).abs() <= 1,
                "{mmsi}: gap {gap} s, expected {want} s (sog {s}, status {st})"
            );
        }
    }
    assert!(
        a_checked > 1000 && b_checked > 50,
        "{a_checked} {b_checked}"
    );
    for (mmsi, t) in &r.statics {
        let parts = if r.positions[mmsi][0].class_b { 2 } else { 1 };
        let firsts: Vec<i64> = t.iter().step_by(parts).copied().collect();
        assert!(
            firsts.windows(2).all(|w| (w[1] - w[0] - 360).abs() <= 10),
            "{mmsi}: {firsts:?}"
        );
    }
}

#[test]
fn vessels_stay_in_norwegian_waters_and_off_the_inland_test_points() {
    const INLAND: [(f64, f64); 5] = [
        (61.636, 8.312),
        (60.1, 7.5),
        (69.3, 24.0),
        (61.1, 10.5),
        (68.5, 18.5),
    ];
    let r = run(400, 2.0, 6, None);
    for (mmsi, p) in &r.positions {
        for f in p {
            assert!(
                (55.0..81.0).contains(&f.at.lat) && (0.0..33.0).contains(&f.at.lon),
                "{mmsi} at {:?}",
                f.at
            );
            for (la, lo) in INLAND {
                assert!(
                    f.at.distance_m(LatLon::new(la, lo)) > 20_000.0,
                    "{mmsi} inland at {:?}",
                    f.at
                );
            }
        }
    }
}
