//! `varde audit`: the log of every item released to a partner (see `varde_store::sqlite::audit`).
//!
//! - `varde audit verify`: walks the whole hash chain; exit 0 and one summary line (entries, head
//!   hash) when it is intact, exit [`BROKEN`] naming the first bad entry when it is not.
//! - `varde audit export`: the entries as JSON Lines, one object per entry (hashes in hex), on
//!   stdout or into a file; filters by partner and time.
//!
//! Both open the store read-only, so they can run while `varde serve` writes to it (WAL): each
//! reads one consistent snapshot.

use crate::config::Config;
use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use varde_store::sqlite::audit::{from_hex, to_hex};
use varde_store::{AuditEntry, AuditFilter, AuditHash, AuditVerdict, SqliteStore};

/// Exit status of `verify` when the chain is broken (1 is any other failure).
pub const BROKEN: i32 = 3;

/// Options of `varde audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AuditCommand {
    /// Check the whole chain; exit 3 naming the first bad entry if it is broken.
    Verify(VerifyArgs),
    /// Write the entries as JSON Lines (one object per entry).
    Export(ExportArgs),
}

/// Which store to read.
#[derive(Debug, clap::Args)]
struct StoreArgs {
    /// Store directory (overrides the configuration).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Configuration file whose `[serve] data_dir` names the store.
    #[arg(long)]
    config: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// A head printed by an earlier verify, `SEQ:HASH` (kept elsewhere): also check that the log
    /// still extends it (exit 3 if entry SEQ is gone or has another hash).
    #[arg(long, value_name = "SEQ:HASH", value_parser = parse_head)]
    head: Option<(i64, AuditHash)>,
}

fn parse_head(s: &str) -> std::result::Result<(i64, AuditHash), String> {
    let bad = || format!("{s:?} is not SEQ:HASH (an entry number, a colon, 64 hex digits)");
    let (seq, hash) = s.split_once(':').ok_or_else(bad)?;
    let seq = seq.parse::<i64>().ok().filter(|&n| n > 0).ok_or_else(bad)?;
    Ok((seq, from_hex(hash).ok_or_else(bad)?))
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Only releases to this partner.
    #[arg(long)]
    partner: Option<String>,
    /// Only releases at or after this time (RFC 3339 or unix seconds).
    #[arg(long)]
    since: Option<String>,
    /// Only releases before this time (RFC 3339 or unix seconds).
    #[arg(long)]
    until: Option<String>,
    /// Write into this file (replaced once the export is complete) instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Runs `varde audit …`.
pub fn run(args: &AuditArgs) -> Result<()> {
    match &args.command {
        AuditCommand::Verify(verify_args) => verify(verify_args),
        AuditCommand::Export(export_args) => export(export_args),
    }
}

fn open(args: &StoreArgs) -> Result<SqliteStore> {
    let data_dir = match &args.data_dir {
        Some(d) => d.clone(),
        None => match Config::load(args.config.as_deref())?.serve.data_dir {
            Some(d) => d,
            None => bail!("no store to read: give --data-dir, or --config with [serve] data_dir"),
        },
    };
    let file = data_dir.join(varde_store::sqlite::DEFAULT_FILE_NAME);
    if !file.is_file() {
        bail!("no store at {}", file.display());
    }
    SqliteStore::open_reader(&data_dir)
        .with_context(|| format!("opening the store {}", file.display()))
}

fn verify(args: &VerifyArgs) -> Result<()> {
    let store = open(&args.store)?;
    let (entries, head) = match store.audit_verify().context("reading the audit log")? {
        AuditVerdict::Intact { entries, head } => (entries, head),
        AuditVerdict::Broken(b) => broken(&format!("audit log broken: {b}")),
    };
    let mut summary = match head {
        Some(h) => format!(
            "audit log intact: {entries} entries, head entry {entries} hash {}",
            to_hex(&h)
        ),
        None => "audit log intact: no entries".to_owned(),
    };
    if let Some((seq, kept)) = args.head {
        match store.audit_entry(seq).context("reading the audit log")? {
            Some(e) if e.hash == kept => summary.push_str(&format!("; extends head entry {seq}")),
            Some(e) => broken(&format!(
                "audit entry {seq} (partner {}, feed {}, item {}): hash {} differs from the kept head \
                 {}: the log was rewritten from this entry on or before it",
                e.release.partner,
                e.release.feed,
                e.release.item_id,
                to_hex(&e.hash),
                to_hex(&kept)
            )),
            None => broken(&format!(
                "audit entry {seq}: missing: the log has {entries} entries, fewer than the kept head"
            )),
        }
    }
    println!("{summary}");
    Ok(())
}

/// Says why the log fails the check and exits with [`BROKEN`].
fn broken(why: &str) -> ! {
    eprintln!("varde audit verify: {why}");
    std::process::exit(BROKEN);
}

/// One exported line.
#[derive(Serialize)]
struct Line<'a> {
    seq: i64,
    time: String,
    time_ms: i64,
    partner: &'a str,
    feed: &'a str,
    item_id: &'a str,
    label: &'a str,
    prev_hash: String,
    hash: String,
}

impl<'a> From<&'a AuditEntry> for Line<'a> {
    fn from(e: &'a AuditEntry) -> Self {
        let r = &e.release;
        Line {
            seq: e.seq,
            time: varde_ais::time::rfc3339_ms(r.time_ms),
            time_ms: r.time_ms,
            partner: &r.partner,
            feed: &r.feed,
            item_id: &r.item_id,
            label: &r.label,
            prev_hash: to_hex(&e.prev_hash),
            hash: to_hex(&e.hash),
        }
    }
}

fn export(args: &ExportArgs) -> Result<()> {
    let time = |t: &Option<String>| {
        t.as_deref()
            .map(super::replay::time::parse_time_ms)
            .transpose()
    };
    let filter = AuditFilter {
        partner: args.partner.clone(),
        since_ms: time(&args.since)?,
        until_ms: time(&args.until)?,
    };
    let store = open(&args.store)?;
    match &args.out {
        Some(path) => {
            // Written beside it under another name and renamed when complete: `path` never holds
            // a partial export.
            let mut partial = path.clone().into_os_string();
            partial.push(".partial");
            let partial = PathBuf::from(partial);
            let file = std::fs::File::create(&partial)
                .with_context(|| format!("cannot create {}", partial.display()))?;
            let mut out = BufWriter::new(file);
            let written = write_lines(&store, &filter, &mut out)
                .and_then(|n| {
                    out.into_inner()
                        .map_err(io::IntoInnerError::into_error)?
                        .sync_all()?;
                    Ok(n)
                })
                .and_then(|n| {
                    std::fs::rename(&partial, path)?;
                    Ok(n)
                });
            let n = match written {
                Ok(n) => n,
                Err(e) => {
                    let _ = std::fs::remove_file(&partial);
                    return Err(e.context(format!("writing {}", path.display())));
                }
            };
            eprintln!("exported {n} audit entries to {}", path.display());
            Ok(())
        }
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            match write_lines(&store, &filter, &mut out).and_then(|_| Ok(out.flush()?)) {
                Err(e) if is_broken_pipe(&e) => Ok(()),
                r => r,
            }
        }
    }
}

/// Writes the entries `filter` lets through, one JSON object a line; returns how many.
fn write_lines(store: &SqliteStore, filter: &AuditFilter, out: &mut impl Write) -> Result<u64> {
    let mut n = 0u64;
    store.audit_for_each(filter, |e| -> Result<()> {
        serde_json::to_writer(&mut *out, &Line::from(e))?;
        out.write_all(b"\n")?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(io::ErrorKind::BrokenPipe)
    })
}
