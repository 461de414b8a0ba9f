//! Multi-sentence reassembly through the public [`Decoder`]: expiry of an
//! incomplete group (by line count and by event time), fragments out of
//! sequence, interleaved groups, and eviction when too many groups are in
//! flight. Each test asserts what comes out line by line and the drop
//! counters of [`Decoder::assembly_stats`].

mod support;

use support::feed_lines;
use varde_ais::assemble::{AssemblyStats, Limits};
use varde_ais::{Decoder, Output};

/// Part 1 of a two-part type 5 message.
const PART1: &str = "55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53";
/// Part 2 of the same message (fill 2).
const PART2: &str = "1@0000000000000";

/// A checked `!AIVDM` line: `total` parts, part `number`, sequence id `seq`,
/// `channel`, `payload`, `fill`; with a `c:` tag block when `time_s` is set.
fn line(
    total: u8,
    number: u8,
    seq: &str,
    channel: &str,
    payload: &str,
    fill: u8,
    time_s: Option<i64>,
) -> String {
    let body = format!("AIVDM,{total},{number},{seq},{channel},{payload},{fill}");
    let cs = body.bytes().fold(0u8, |a, b| a ^ b);
    let sentence = format!("!{body}*{cs:02X}");
    match time_s {
        None => sentence,
        Some(t) => {
            let tag = format!("c:{t}");
            let tcs = tag.bytes().fold(0u8, |a, b| a ^ b);
            format!("\\{tag}*{tcs:02X}\\{sentence}")
        }
    }
}

/// Part 1 of 2 of group `seq` on `channel`; `variant` is the payload's
/// second character, so that different groups have different raw lines.
fn first(seq: &str, channel: &str, variant: char) -> String {
    let payload = format!("5{variant}{}", &PART1[2..]);
    line(2, 1, seq, channel, &payload, 0, None)
}

/// Part 2 of 2 of group `seq` on `channel`.
fn second(seq: &str, channel: &str) -> String {
    line(2, 2, seq, channel, PART2, 2, None)
}

/// A single-sentence position report (advances the line count).
const SINGLE: &str = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";

/// What one line gave: the frame's raw lines, `Partial`, or the error cause.
#[derive(Debug, PartialEq, Eq)]
enum Got {
    Frame(String),
    Partial,
    Error(&'static str),
}

fn feed(d: &mut Decoder, source: u32, line: &str) -> Got {
    match d.feed(source, line.as_bytes()) {
        Ok(Output::Frame(f)) => Got::Frame(String::from_utf8_lossy(f.raw.as_bytes()).into_owned()),
        Ok(Output::Partial) => Got::Partial,
        Ok(Output::Metadata) => panic!("metadata from {line}"),
        Err(e) => Got::Error(e.cause()),
    }
}

/// The frame two lines make.
fn frame(a: &str, b: &str) -> Got {
    Got::Frame(format!("{a}\n{b}"))
}

fn limits(max_in_flight: usize, max_age_lines: u64, max_age_ms: i64) -> Limits {
    Limits {
        max_in_flight,
        max_age_lines,
        max_age_ms,
    }
}

fn stats(replaced: u64, expired: u64, evicted: u64) -> AssemblyStats {
    AssemblyStats {
        replaced,
        expired,
        evicted,
    }
}

#[test]
fn the_fixture_reassembles_into_a_type_5() {
    let o = feed_lines(
        &mut Decoder::new(),
        &format!("{}\n{}", first("1", "A", '5'), second("1", "A")),
    );
    assert_eq!(o.errors, Vec::<&str>::new());
    assert_eq!(o.partial, 1);
    assert_eq!(o.frames.len(), 1);
    assert_eq!(o.frames[0].0, 5);
    assert_eq!(o.frames[0].4, 2);
}

/// A group expires once more than `max_age_lines` lines have passed since
/// its first part; the check runs when another first part arrives.
#[test]
fn incomplete_group_expires_after_max_age_lines() {
    let mut d = Decoder::with_limits(limits(256, 5, 60_000));
    let g1 = first("1", "A", '5');
    assert_eq!(feed(&mut d, 0, &g1), Got::Partial); // line 1
    for _ in 0..5 {
        assert!(matches!(feed(&mut d, 0, SINGLE), Got::Frame(_))); // lines 2..=6
    }
    // Line 7: 6 lines after group 1 started, more than 5.
    let g2 = first("2", "A", '6');
    assert_eq!(feed(&mut d, 0, &g2), Got::Partial);
    assert_eq!(d.assembly_stats(), stats(0, 1, 0));
    assert_eq!(d.in_flight(), 1);
    assert_eq!(
        feed(&mut d, 0, &second("1", "A")),
        Got::Error("orphan_fragment")
    );
    assert_eq!(
        feed(&mut d, 0, &second("2", "A")),
        frame(&g2, &second("2", "A"))
    );
    assert_eq!(d.in_flight(), 0);
    assert_eq!(d.assembly_stats(), stats(0, 1, 0));
}

/// Exactly `max_age_lines` lines later the group is still held.
#[test]
fn incomplete_group_survives_exactly_max_age_lines() {
    let mut d = Decoder::with_limits(limits(256, 5, 60_000));
    let g1 = first("1", "A", '5');
    assert_eq!(feed(&mut d, 0, &g1), Got::Partial); // line 1
    for _ in 0..4 {
        assert!(matches!(feed(&mut d, 0, SINGLE), Got::Frame(_))); // lines 2..=5
    }
    // Line 6: 5 lines after group 1 started.
    assert_eq!(feed(&mut d, 0, &first("2", "A", '6')), Got::Partial);
    assert_eq!(d.assembly_stats(), stats(0, 0, 0));
    assert_eq!(d.in_flight(), 2);
    assert_eq!(
        feed(&mut d, 0, &second("1", "A")),
        frame(&g1, &second("1", "A"))
    );
}

/// A group expires when a later first part's event time (tag block `c:`) is
/// more than `max_age_ms` after the group's; exactly `max_age_ms` is kept.
#[test]
fn incomplete_group_expires_after_max_age_ms_of_event_time() {
    let t0 = 1_700_000_000;
    let p1 = format!("5{}", &PART1[1..]);
    let mut d = Decoder::with_limits(limits(256, 2_000, 60_000));
    let g1 = line(2, 1, "1", "A", &p1, 0, Some(t0));
    let g2 = line(2, 1, "2", "A", &p1, 0, Some(t0 + 60));
    let g3 = line(2, 1, "3", "A", &p1, 0, Some(t0 + 61));
    assert_eq!(feed(&mut d, 0, &g1), Got::Partial);
    assert_eq!(feed(&mut d, 0, &g2), Got::Partial);
    assert_eq!(d.assembly_stats(), stats(0, 0, 0));
    assert_eq!(d.in_flight(), 2);
    // 61 s after group 1: it expires, group 2 (1 s old) does not.
    assert_eq!(feed(&mut d, 0, &g3), Got::Partial);
    assert_eq!(d.assembly_stats(), stats(0, 1, 0));
    assert_eq!(d.in_flight(), 2);
    assert_eq!(
        feed(&mut d, 0, &second("1", "A")),
        Got::Error("orphan_fragment")
    );
    assert_eq!(
        feed(&mut d, 0, &second("2", "A")),
        frame(&g2, &second("2", "A"))
    );
    let o = feed_lines(&mut d, &second("3", "A"));
    assert_eq!(o.frames.len(), 1);
    assert_eq!(o.frames[0].1, Some((t0 + 61) * 1000));
    assert_eq!(d.in_flight(), 0);
}

/// Part 2 before part 1 is an orphan and leaves nothing behind; the group
/// then sent in order reassembles.
#[test]
fn part_two_before_part_one_is_an_orphan_and_the_group_still_completes() {
    let mut d = Decoder::new();
    let (a, b) = (first("4", "B", '5'), second("4", "B"));
    assert_eq!(feed(&mut d, 0, &b), Got::Error("orphan_fragment"));
    assert_eq!(d.in_flight(), 0);
    assert_eq!(feed(&mut d, 0, &a), Got::Partial);
    assert_eq!(feed(&mut d, 0, &b), frame(&a, &b));
    assert_eq!(d.assembly_stats(), stats(0, 0, 0));
}

/// A repeated middle part drops the group; its last part is then an orphan.
#[test]
fn repeated_middle_part_drops_the_group() {
    let mut d = Decoder::new();
    let p1 = line(3, 1, "7", "A", &PART1[..20], 0, None);
    let p2 = line(3, 2, "7", "A", &PART1[20..40], 0, None);
    let p3 = line(3, 3, "7", "A", &PART1[40..], 0, None);
    assert_eq!(feed(&mut d, 0, &p1), Got::Partial);
    assert_eq!(feed(&mut d, 0, &p2), Got::Partial);
    assert_eq!(feed(&mut d, 0, &p2), Got::Error("fragment_out_of_sequence"));
    assert_eq!(d.in_flight(), 0);
    assert_eq!(feed(&mut d, 0, &p3), Got::Error("orphan_fragment"));
    // The same three in order make one frame.
    assert_eq!(feed(&mut d, 0, &p1), Got::Partial);
    assert_eq!(feed(&mut d, 0, &p2), Got::Partial);
    assert_eq!(
        feed(&mut d, 0, &p3),
        Got::Frame(format!("{p1}\n{p2}\n{p3}"))
    );
    assert_eq!(d.assembly_stats(), stats(0, 0, 0));
}

/// A skipped part (3 after 1) drops the group.
#[test]
fn skipped_part_drops_the_group() {
    let mut d = Decoder::new();
    let p1 = line(3, 1, "7", "A", &PART1[..20], 0, None);
    let p3 = line(3, 3, "7", "A", &PART1[40..], 0, None);
    assert_eq!(feed(&mut d, 0, &p1), Got::Partial);
    assert_eq!(feed(&mut d, 0, &p3), Got::Error("fragment_out_of_sequence"));
    assert_eq!(d.in_flight(), 0);
}

/// A part whose fragment count disagrees with its group's drops the group.
#[test]
fn part_with_another_fragment_count_drops_the_group() {
    let mut d = Decoder::new();
    assert_eq!(feed(&mut d, 0, &first("5", "A", '5')), Got::Partial);
    let wrong = line(3, 2, "5", "A", PART2, 0, None);
    assert_eq!(
        feed(&mut d, 0, &wrong),
        Got::Error("fragment_out_of_sequence")
    );
    assert_eq!(d.in_flight(), 0);
    assert_eq!(
        feed(&mut d, 0, &second("5", "A")),
        Got::Error("orphan_fragment")
    );
}

/// A repeated first part replaces the group (counted as replaced); the next
/// part completes the new one.
#[test]
fn repeated_first_part_replaces_the_group() {
    let mut d = Decoder::new();
    let old = first("2", "A", '5');
    let new = first("2", "A", '6');
    assert_eq!(feed(&mut d, 0, &old), Got::Partial);
    assert_eq!(feed(&mut d, 0, &new), Got::Partial);
    assert_eq!(d.assembly_stats(), stats(1, 0, 0));
    assert_eq!(d.in_flight(), 1);
    assert_eq!(
        feed(&mut d, 0, &second("2", "A")),
        frame(&new, &second("2", "A"))
    );
    assert_eq!(
        feed(&mut d, 0, &second("2", "A")),
        Got::Error("orphan_fragment")
    );
    assert_eq!(d.in_flight(), 0);
}

/// Two groups interleaved on the same channel with different sequence ids
/// both complete, each with its own parts, whichever finishes first.
#[test]
fn groups_interleaved_on_one_channel_with_different_sequence_ids_both_complete() {
    let mut d = Decoder::new();
    let (a1, b1) = (first("1", "A", '5'), first("2", "A", '6'));
    assert_eq!(feed(&mut d, 0, &a1), Got::Partial);
    assert_eq!(feed(&mut d, 0, &b1), Got::Partial);
    assert_eq!(d.in_flight(), 2);
    assert_eq!(
        feed(&mut d, 0, &second("2", "A")),
        frame(&b1, &second("2", "A"))
    );
    assert_eq!(
        feed(&mut d, 0, &second("1", "A")),
        frame(&a1, &second("1", "A"))
    );
    assert_eq!(d.assembly_stats(), stats(0, 0, 0));
    assert_eq!(d.in_flight(), 0);
}

/// The same sequence id on channels A and B, or from two input sources, are
/// separate groups.
#[test]
fn same_sequence_id_on_another_channel_or_source_is_another_group() {
    let mut d = Decoder::new();
    let (a1, b1) = (first("3", "A", '5'), first("3", "B", '6'));
    assert_eq!(feed(&mut d, 0, &a1), Got::Partial);
    assert_eq!(feed(&mut d, 0, &b1), Got::Partial);
    assert_eq!(feed(&mut d, 1, &a1), Got::Partial);
    assert_eq!(d.in_flight(), 3);
    assert_eq!(
        feed(&mut d, 0, &second("3", "B")),
        frame(&b1, &second("3", "B"))
    );
    assert_eq!(
        feed(&mut d, 1, &second("3", "A")),
        frame(&a1, &second("3", "A"))
    );
    assert_eq!(
        feed(&mut d, 0, &second("3", "A")),
        frame(&a1, &second("3", "A"))
    );
    assert_eq!(d.assembly_stats(), stats(0, 0, 0));
    assert_eq!(d.in_flight(), 0);
}

/// With `max_in_flight` groups held, a new first part evicts the oldest
/// (by the line it started on), counted as evicted; the others complete.
#[test]
fn too_many_groups_in_flight_evict_the_oldest() {
    let mut d = Decoder::with_limits(limits(3, 2_000, 60_000));
    let g: Vec<String> = ["1", "2", "3", "4"]
        .iter()
        .zip(['5', '6', '7', '8'])
        .map(|(s, v)| first(s, "A", v))
        .collect();
    for f in &g[..3] {
        assert_eq!(feed(&mut d, 0, f), Got::Partial);
    }
    assert_eq!(d.in_flight(), 3);
    assert_eq!(d.assembly_stats(), stats(0, 0, 0));
    // Group 1 completes and frees its place; group 4 then fits.
    assert_eq!(
        feed(&mut d, 0, &second("1", "A")),
        frame(&g[0], &second("1", "A"))
    );
    assert_eq!(feed(&mut d, 0, &g[3]), Got::Partial);
    assert_eq!(d.assembly_stats(), stats(0, 0, 0));
    // A fifth group evicts group 2, the oldest in flight.
    let g5 = first("5", "A", '9');
    assert_eq!(feed(&mut d, 0, &g5), Got::Partial);
    assert_eq!(d.assembly_stats(), stats(0, 0, 1));
    assert_eq!(d.in_flight(), 3);
    assert_eq!(
        feed(&mut d, 0, &second("2", "A")),
        Got::Error("orphan_fragment")
    );
    for (i, s) in [(2, "3"), (3, "4")] {
        assert_eq!(
            feed(&mut d, 0, &second(s, "A")),
            frame(&g[i], &second(s, "A"))
        );
    }
    assert_eq!(
        feed(&mut d, 0, &second("5", "A")),
        frame(&g5, &second("5", "A"))
    );
    assert_eq!(d.in_flight(), 0);
    assert_eq!(d.assembly_stats(), stats(0, 0, 1));
}

/// Replacing a group at the limit is not an eviction: the new first part
/// takes the replaced group's place.
#[test]
fn replacing_at_the_limit_evicts_nothing() {
    let mut d = Decoder::with_limits(limits(2, 2_000, 60_000));
    assert_eq!(feed(&mut d, 0, &first("1", "A", '5')), Got::Partial);
    let b = first("2", "A", '6');
    assert_eq!(feed(&mut d, 0, &b), Got::Partial);
    let a = first("1", "A", '7');
    assert_eq!(feed(&mut d, 0, &a), Got::Partial);
    assert_eq!(d.assembly_stats(), stats(1, 0, 0));
    assert_eq!(d.in_flight(), 2);
    assert_eq!(
        feed(&mut d, 0, &second("2", "A")),
        frame(&b, &second("2", "A"))
    );
    assert_eq!(
        feed(&mut d, 0, &second("1", "A")),
        frame(&a, &second("1", "A"))
    );
}
