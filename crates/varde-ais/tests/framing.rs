//! Framing behaviour on the edge-case probes in `../shared/data/ais/probes`
//! and on the real Norwegian captures. Each test's name states the chosen
//! behaviour.

mod support;

use std::path::PathBuf;

use support::{decode_lines, Outcome};
use varde_ais::{Decoder, LineError, Output};

fn shared(rel: &str) -> Option<PathBuf> {
    varde_testdata::shared(&format!("ais/{rel}"), "varde-ais framing")
}

fn run(text: &str) -> Outcome {
    decode_lines(text)
}

fn probe(name: &str) -> Option<Outcome> {
    let p = shared(&format!("probes/{name}"))?;
    Some(run(&std::fs::read_to_string(p).unwrap()))
}

#[test]
fn bad_nmea_checksum_is_rejected_and_counted() {
    let Some(o) = probe("bad_nmea_checksum.txt") else {
        return;
    };
    assert!(o.frames.is_empty());
    assert_eq!(o.errors, ["bad_checksum"]);
}

#[test]
fn empty_payload_yields_an_empty_frame_that_decoding_rejects() {
    let Some(o) = probe("empty_payload.txt") else {
        return;
    };
    assert_eq!(o.frames.len(), 1);
    assert_eq!(o.frames[0].0, 0, "no message type in an empty payload");
}

#[test]
fn fill_bits_5_frame_is_kept() {
    let Some(o) = probe("fill5.txt") else { return };
    assert_eq!(o.frames.len(), 1);
    assert_eq!(o.frames[0].0, 1);
}

#[test]
fn interleaved_groups_on_a_and_b_both_survive() {
    let Some(o) = probe("interleaved_AB.txt") else {
        return;
    };
    assert_eq!(o.frames.len(), 2, "{o:?}");
    assert!(o.frames.iter().all(|f| f.0 == 5 && f.4 == 2));
    assert_eq!(o.partial, 2);
}

#[test]
fn nmea410_1g2_group_reassembles_with_station_and_time() {
    let Some(o) = probe("tag_1G2.txt") else {
        return;
    };
    assert_eq!(o.frames.len(), 1);
    let f = &o.frames[0];
    assert_eq!(
        (f.0, f.1, f.2.as_deref(), f.3),
        (5, Some(1_733_782_037_000), Some("2573225"), true)
    );
}

#[test]
fn bad_tag_checksum_two_part_is_decoded_and_flagged() {
    let Some(o) = probe("tag_bad_checksum_2part.txt") else {
        return;
    };
    assert_eq!(o.frames.len(), 1);
    assert_eq!(o.frames[0].1, Some(1_565_218_798_000));
    assert!(!o.frames[0].3, "tag checksum flagged bad");
}

#[test]
fn g_grouped_takes_station_and_time_from_first_block() {
    let Some(o) = probe("tag_g_grouped.txt") else {
        return;
    };
    assert_eq!(o.frames.len(), 1);
    let f = &o.frames[0];
    assert_eq!(
        (f.1, f.2.as_deref(), f.3),
        (Some(1_334_337_317_000), Some("rEV02"), true)
    );
}

#[test]
fn non_hex_tag_checksum_keeps_the_sentence_and_flags_it() {
    let Some(o) = probe("tag_nonhex_checksum.txt") else {
        return;
    };
    assert_eq!(o.frames.len(), 1);
    assert_eq!(
        (o.frames[0].1, o.frames[0].3),
        (Some(1_700_000_000_000), false)
    );
}

#[test]
fn dashdash_talker_is_accepted() {
    let Some(o) = probe("talker_dashdash.txt") else {
        return;
    };
    assert_eq!(o.frames.len(), 1);
    assert_eq!(o.frames[0].0, 8);
}

#[test]
fn three_part_message_reassembles() {
    let Some(o) = probe("three_part.txt") else {
        return;
    };
    assert_eq!(o.frames.len(), 1);
    assert_eq!((o.frames[0].0, o.frames[0].4), (8, 3));
}

#[test]
fn trailer_timestamps_are_parsed_not_rejected() {
    let o = run("!AIVDM,1,1,,A,15B4FT5000JRP>PE6E68Nbkl0PS5,0*70,b003669794,1272412827\n\
                 !AIVDM,1,1,,A,403Ovl@000Htt<tSF0l4Q@100`Pq,0*28,d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1325394001\n\
                 !AIVDM,1,1,,A,15B4FT5000JRP>PE6E68Nbkl0PS5,0*70,raishub,1342569600");
    let times: Vec<_> = o.frames.iter().map(|f| f.1).collect();
    assert_eq!(
        times,
        [
            Some(1_272_412_827_000),
            Some(1_325_394_060_000),
            Some(1_342_569_600_000)
        ]
    );
}

#[test]
fn orphan_fragment_is_counted_and_good_lines_around_it_survive() {
    let o = run("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n\
                 !AIVDM,2,2,6,B,00000000000,2*21\n\
                 \u{0}\u{1}binary junk \u{ff}\n\
                 !AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A");
    assert_eq!(o.frames.len(), 2);
    assert_eq!(o.errors, ["orphan_fragment", "not_ais"]);
}

#[test]
fn gatehouse_pghp_time_applies_to_the_next_sentence() {
    let o = run("$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B\n\
                 !AIVDM,1,1,,B,402=481uaUcf;OQ55JS9ITi025Jp,0*2B\n\
                 !AIVDM,1,1,,B,402=481uaUcf;OQ55JS9ITi025Jp,0*2B");
    assert_eq!(o.frames[0].1, Some(1_276_256_771_390));
    assert_eq!(o.frames[1].1, None);
}

#[test]
fn fragment_store_is_bounded() {
    let mut d = Decoder::new();
    // Valid first fragments from 10,000 distinct sources, never completed.
    for i in 0..10_000u32 {
        let body = format!("AIVDM,2,1,{},A,55NBj>PP1gG>1PVKTDTUJOv00<0M,0", i % 10);
        let cs = body.bytes().fold(0u8, |a, b| a ^ b);
        let line = format!("!{body}*{cs:02X}");
        assert!(matches!(d.feed(i, line.as_bytes()), Ok(Output::Partial)));
    }
    assert!(d.in_flight() <= 256);
    assert!(d.assembly_stats().evicted > 9_000);
}

#[test]
fn kystverket_2019_all_frames_decode_with_tag_times() {
    let Some(p) = shared("kystverket-aisnet/Ais1000Lines.nm4") else {
        return;
    };
    let o = run(&std::fs::read_to_string(p).unwrap());
    assert_eq!(o.frames.len(), 877, "errors: {:?}", o.errors);
    assert!(o.frames.iter().all(|f| f.1.is_some()));
    assert!(o.errors.is_empty(), "{:?}", o.errors);
}

#[test]
fn kystverket_2024_raw_feed_mixes_bare_and_tagged_lines() {
    let Some(p) = shared("kystverket-gpsd-timestamp/norwegian.raw") else {
        return;
    };
    let o = run(&std::fs::read_to_string(p).unwrap());
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    let untimed = o.frames.iter().filter(|f| f.1.is_none()).count();
    assert!(untimed > 0 && untimed < o.frames.len());
}

#[test]
fn every_line_error_lets_the_stream_continue() {
    let e: LineError = varde_ais::nmea::SentenceError::TooLong.into();
    assert!(e.can_continue());
}
