//! Event time for recorded lines that carry none of their own.
//!
//! A message's time comes from its tag block `c:`, a receiver trailer or a
//! Gatehouse `$PGHP` line. For lines without one, `varde replay`:
//! - by default gives a message the latest time seen before it (a mixed file:
//!   an untimed line belongs to the stretch of the recording it sits in), and
//!   skips, counts and reports the messages that come before any time at all
//!   (a file with no times is never replayed silently as nothing);
//! - with `--assume-rate N`, places every untimed line on a clock running at
//!   N lines a second (every line of the file counts, comments and `$PGHP`
//!   lines too), from `--start` (default [`DEFAULT_START`]) or, with
//!   `--time-from-file`, so that the file's last line falls on its
//!   modification time. A timed line re-anchors that clock: untimed lines
//!   after it run on from its time at the same rate. Files follow one another
//!   on one clock, except with `--time-from-file`, where each has its own.

use anyhow::{bail, Context, Result};

/// The start of the assumed clock without `--start`: 2000-01-01T00:00:00Z, a
/// fixed date (replays stay deterministic) that no real capture is mistaken
/// for.
pub const DEFAULT_START: &str = "2000-01-01T00:00:00Z";

/// Options of `varde replay` for input without timestamps.
#[derive(Debug, Clone, clap::Args)]
pub struct TimeArgs {
    /// Place lines without a timestamp (no tag block `c:`, trailer time or
    /// `$PGHP`) at this many lines per second; every line of a file counts.
    #[arg(long, value_name = "LINES_PER_S")]
    pub assume_rate: Option<f64>,
    /// Time of the first line for `--assume-rate` (RFC 3339, or unix
    /// seconds); default 2000-01-01T00:00:00Z.
    #[arg(long, value_name = "RFC3339", requires = "assume_rate")]
    pub start: Option<String>,
    /// With `--assume-rate`: each file's last line is at the file's
    /// modification time (the recorder's last write).
    #[arg(long, requires = "assume_rate", conflicts_with = "start")]
    pub time_from_file: bool,
}

/// Event time of every message of a replay, and what was done without one.
#[derive(Debug, Default)]
pub struct Clock {
    /// Lines per millisecond of the assumed clock, if any.
    rate_per_ms: Option<f64>,
    /// The assumed clock's anchor: (time, line number) of the last timed
    /// line, or of the start of the input.
    anchor: Option<(i64, u64)>,
    /// Lines read so far, all files.
    line: u64,
    /// Latest event time so far.
    latest: Option<i64>,
    /// Messages with a time of their own.
    pub timed: u64,
    /// Untimed messages given the latest time seen before them.
    pub carried: u64,
    /// Untimed messages placed on the assumed clock.
    pub assumed: u64,
    /// Untimed messages skipped: no time seen before them and no
    /// `--assume-rate`.
    pub skipped: u64,
    /// Lines of the skipped messages.
    pub skipped_lines: u64,
    /// Messages whose own time was far ahead of the recording's clock, skipped (one bad timestamp
    /// must not move the picture's clock; see [`crate::clock_guard`]).
    pub ahead: u64,
    guard: crate::clock_guard::ClockGuard,
}

impl Clock {
    /// A clock for `args`.
    pub fn new(args: &TimeArgs) -> Result<Self> {
        let rate_per_ms = match args.assume_rate {
            None => None,
            Some(r) if r.is_finite() && r > 0.0 => Some(r / 1000.0),
            Some(r) => {
                bail!("--assume-rate must be a positive number of lines per second, not {r}")
            }
        };
        let mut clock = Self {
            rate_per_ms,
            ..Self::default()
        };
        if rate_per_ms.is_some() && !args.time_from_file {
            let start = args.start.as_deref().unwrap_or(DEFAULT_START);
            clock.anchor = Some((parse_time_ms(start)?, 0));
        }
        Ok(clock)
    }

    /// Starts a file: with `--time-from-file`, anchors the assumed clock so
    /// that the file's last line falls on its modification time.
    pub fn start_file(&mut self, args: &TimeArgs, path: &str) -> Result<()> {
        let Some(rate) = self.rate_per_ms.filter(|_| args.time_from_file) else {
            return Ok(());
        };
        let end = crate::input::modified_ms(path)?;
        let lines = crate::input::count_lines(path)?;
        let span = (lines.saturating_sub(1) as f64 / rate).round() as i64;
        self.anchor = Some((end - span, self.line));
        Ok(())
    }

    /// Counts one line read (call for every line, before its message).
    pub fn tick(&mut self) {
        self.line += 1;
    }

    /// The event time of a message ending on the current line, whose frame
    /// carried `own` (None: skip the message, it cannot be placed in time).
    pub fn time(&mut self, own: Option<i64>, lines: u8) -> Option<i64> {
        // The current line is line number `self.line - 1`, counted from 0.
        let at = self.line.saturating_sub(1);
        let t = match (own, self.rate_per_ms, self.anchor) {
            (Some(t), _, _) if !self.guard.offer(t) => {
                self.ahead += 1;
                return None;
            }
            (Some(t), rate, _) => {
                self.timed += 1;
                if rate.is_some() {
                    self.anchor = Some((t, at));
                }
                t
            }
            (None, Some(rate), Some((t0, l0))) => {
                self.assumed += 1;
                t0 + ((at - l0) as f64 / rate).round() as i64
            }
            (None, _, _) => match self.latest {
                Some(t) => {
                    self.carried += 1;
                    t
                }
                None => {
                    self.skipped += 1;
                    self.skipped_lines += u64::from(lines);
                    return None;
                }
            },
        };
        self.latest = Some(self.latest.map_or(t, |l| l.max(t)));
        Some(t)
    }

    /// The latest event time seen.
    pub fn latest(&self) -> Option<i64> {
        self.latest
    }

    /// Whether untimed messages were skipped and nothing at all could be
    /// placed in time: the input was effectively not replayed.
    pub fn nothing_placed(&self) -> bool {
        self.skipped > 0 && self.timed + self.carried + self.assumed == 0
    }

    /// The warning for stderr when messages were skipped.
    pub fn warning(&self) -> Option<String> {
        (self.skipped > 0).then(|| {
            format!(
                "replay: {} messages ({} lines) had no timestamp (no tag block c:, trailer time or $PGHP \
                 before them) and were skipped: use --assume-rate LINES_PER_S [--start RFC3339] \
                 or --assume-rate LINES_PER_S --time-from-file\n",
                self.skipped, self.skipped_lines
            )
        })
    }
}

/// Parses RFC 3339 (`2024-07-16T00:00:00Z`, fractional seconds and `±hh:mm`
/// offsets allowed) or unix seconds, to unix milliseconds.
pub fn parse_time_ms(s: &str) -> Result<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i64 = s.parse().context("unix seconds out of range")?;
        return Ok(secs * 1000);
    }
    rfc3339_ms(s).with_context(|| {
        format!("cannot read time {s:?}: expected RFC 3339 (2024-07-16T00:00:00Z) or unix seconds")
    })
}

fn rfc3339_ms(s: &str) -> Option<i64> {
    let (date, rest) = s.split_once(['T', 't', ' '])?;
    let mut d = date.splitn(3, '-');
    let (y, mo, day): (i64, u32, u32) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, offset_s) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else {
        let i = rest.rfind(['+', '-'])?;
        let (c, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off[1..].split_once(':')?;
        let (oh, om): (i64, i64) = (oh.parse().ok()?, om.parse().ok()?);
        (c, sign * (oh * 3600 + om * 60))
    };
    let mut t = clock.splitn(3, ':');
    let (h, mi): (i64, i64) = (t.next()?.parse().ok()?, t.next()?.parse().ok()?);
    let sec: f64 = t.next()?.parse().ok()?;
    if h > 23 || mi > 59 || !(0.0..61.0).contains(&sec) {
        return None;
    }
    let days = varde_ais::time::days_from_civil(y, mo, day);
    let whole = days * 86_400 + h * 3600 + mi * 60 - offset_s;
    Some(whole * 1000 + (sec * 1000.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(rate: Option<f64>, start: Option<&str>) -> TimeArgs {
        TimeArgs {
            assume_rate: rate,
            start: start.map(str::to_owned),
            time_from_file: false,
        }
    }

    #[test]
    fn times_parse() {
        assert_eq!(
            parse_time_ms("2000-01-01T00:00:00Z").unwrap(),
            946_684_800_000
        );
        assert_eq!(parse_time_ms("946684800").unwrap(), 946_684_800_000);
        assert_eq!(
            parse_time_ms("2000-01-01T01:00:00.5+01:00").unwrap(),
            946_684_800_500
        );
        assert!(parse_time_ms("yesterday").is_err());
        assert!(parse_time_ms("2000-13-01T00:00:00Z").is_err());
    }

    #[test]
    fn untimed_lines_are_skipped_carried_or_assumed() {
        let mut c = Clock::new(&args(None, None)).unwrap();
        c.tick();
        assert_eq!(c.time(None, 1), None, "nothing seen yet");
        c.tick();
        assert_eq!(c.time(Some(5_000), 1), Some(5_000));
        c.tick();
        assert_eq!(c.time(None, 1), Some(5_000), "takes the last time");
        assert_eq!((c.skipped, c.timed, c.carried), (1, 1, 1));
        assert!(!c.nothing_placed() && c.warning().is_some());

        let mut c = Clock::new(&args(Some(2.0), Some("1000"))).unwrap();
        let got: Vec<_> = (0..3)
            .map(|_| {
                c.tick();
                c.time(None, 1)
            })
            .collect();
        assert_eq!(got, [Some(1_000_000), Some(1_000_500), Some(1_001_000)]);
        c.tick();
        assert_eq!(c.time(Some(9_000_000), 1), Some(9_000_000));
        c.tick();
        assert_eq!(c.time(None, 1), Some(9_000_500), "re-anchored");
        assert!(c.warning().is_none());
    }

    #[test]
    fn bad_rate_is_refused() {
        assert!(Clock::new(&args(Some(0.0), None)).is_err());
        assert!(Clock::new(&args(Some(f64::NAN), None)).is_err());
    }
}
