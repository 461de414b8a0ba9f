//! `varde decode`: NMEA in, gpsd-compatible AIS JSON out, one object a line.

use crate::input::{self, Line};
use crate::stats::Stats;
use anyhow::Result;
use std::io::{self, Write};
use varde_ais::gpsd::{self, Type24Merge};
use varde_ais::{AisMessage, Decoder, Frame, Output};

/// Options of `varde decode`.
#[derive(Debug, clap::Args)]
pub struct DecodeArgs {
    /// Input files (plain or .gz); `-` or nothing reads stdin.
    pub files: Vec<String>,
    /// Print raw integer fields as `gpsdecode -u -j` does (1/10 kn,
    /// 1/10000 min …) instead of scaled units.
    #[arg(long)]
    pub unscaled: bool,
    /// Print counts (lines, sentences, messages by type, rejections by
    /// cause) to stderr at the end.
    #[arg(long)]
    pub stats: bool,
}

/// Runs the command; the JSON goes to stdout.
pub fn run(args: &DecodeArgs) -> Result<()> {
    let files = if args.files.is_empty() {
        vec!["-".to_owned()]
    } else {
        args.files.clone()
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut job = Job::new(!args.unscaled);
    for path in &files {
        input::check(path)?;
    }
    let mut failed = Vec::new();
    for (source, path) in files.iter().enumerate() {
        let fault = input::for_each_line(path, |line| {
            match line {
                Line::Ok(l) => job.line(source as u32, l),
                Line::TooLong => {
                    job.stats.lines += 1;
                    job.stats.reject("line_too_long");
                }
            }
            if job.buf.len() > 1 << 16 {
                write_out(&mut out, &mut job.buf)?;
            }
            Ok(true)
        })?;
        // The lines before a fault are decoded; the next file is read.
        failed.extend(fault.map(|e| format!("{e:#}")));
    }
    write_out(&mut out, &mut job.buf)?;
    if args.stats {
        job.stats.absorb_decoder(&job.decoder);
        eprint!("{}", job.stats.render());
    }
    if !failed.is_empty() {
        anyhow::bail!(
            "{}; the lines before the fault were decoded",
            failed.join("; ")
        );
    }
    Ok(())
}

fn write_out(out: &mut impl Write, buf: &mut Vec<u8>) -> Result<()> {
    match out.write_all(buf).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) ends the run quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => r?,
    }
    buf.clear();
    Ok(())
}

/// The decoding state of one run.
struct Job {
    decoder: Decoder,
    merge: Type24Merge,
    scaled: bool,
    buf: Vec<u8>,
    stats: Stats,
}

impl Job {
    fn new(scaled: bool) -> Self {
        Self {
            decoder: Decoder::new(),
            merge: Type24Merge::default(),
            scaled,
            buf: Vec::with_capacity(1 << 17),
            stats: Stats::default(),
        }
    }

    fn line(&mut self, source: u32, line: &[u8]) {
        self.stats.lines += 1;
        match self.decoder.feed(source, line) {
            Ok(Output::Frame(frame)) => {
                let msg = AisMessage::decode(frame.payload);
                match msg {
                    Ok(msg) => emit(
                        &mut self.merge,
                        &mut self.buf,
                        &msg,
                        &frame,
                        self.scaled,
                        &mut self.stats,
                    ),
                    Err(e) => self.stats.reject(crate::stats::decode_cause(&e)),
                }
            }
            Ok(Output::Partial | Output::Metadata) => {}
            Err(e) => self.stats.reject(e.cause()),
        }
    }
}

fn emit(
    merge: &mut Type24Merge,
    buf: &mut Vec<u8>,
    msg: &AisMessage,
    frame: &Frame<'_>,
    scaled: bool,
    stats: &mut Stats,
) {
    stats.message(msg.message_type());
    let start = buf.len();
    let printable = if msg.message_type() == 24 {
        match merge.offer_on(frame.channel.unwrap_or(b'A'), msg.clone()) {
            Some(merged) => {
                gpsd::write_json(&merged, scaled, buf);
                true
            }
            None => false,
        }
    } else {
        gpsd::write_json(msg, scaled, buf);
        true
    };
    if !printable {
        return;
    }
    stats.records += 1;
    if frame.time_ms.is_some() || frame.station.is_some() {
        add_receiver_keys(buf, start, frame);
    }
    buf.push(b'\n');
}

/// Adds tag-block / trailer data under keys gpsd never uses: `rx_time`
/// (RFC 3339 UTC) and `rx_station`.
fn add_receiver_keys(buf: &mut Vec<u8>, start: usize, frame: &Frame<'_>) {
    if buf.len() <= start || buf.last() != Some(&b'}') {
        return;
    }
    buf.pop();
    if let Some(t) = frame.time_ms {
        buf.extend_from_slice(b",\"rx_time\":\"");
        varde_ais::time::write_rfc3339_ms(buf, t);
        buf.push(b'"');
    }
    if let Some(s) = frame.station {
        buf.extend_from_slice(b",\"rx_station\":");
        gpsd::writer::write_json_string(buf, s.as_str());
    }
    buf.push(b'}');
}
