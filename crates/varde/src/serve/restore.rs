//! Restart: the picture, open alerts and detector state as they were when the service stopped.
//!
//! 1. The newest engine snapshot in the store is loaded (taken every `snapshot_every_s` and at a clean
//!    stop). A snapshot that cannot be used (none yet, another format, taken under other settings) is
//!    skipped with a log line saying why.
//! 2. The journal after the line the snapshot covers is replayed in arrival order (`raw.seq`: the order
//!    lines were accepted, late lines where they arrived), page by page, so memory does not grow with
//!    the journal. Without a usable snapshot the replay starts `restore_hours` before the newest line.
//! 3. Alert revisions continue from the stored ones (never lower, so no later update is dropped).
//! 4. Alerts the store still holds open that the restored engine does not (raised before the replayed
//!    window, when no snapshot could be used) are closed on purpose, at the engine's clock, with a new
//!    revision: nothing is left open with nothing to close it.

use super::pipeline::Pipeline;
use anyhow::{Context, Result};
use std::collections::HashSet;
use varde_store::{AlertFilter, AlertState, Batch, SqliteStore, Store};

/// Journal lines read per page.
const PAGE: usize = 20_000;

/// What a restart did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Restored {
    /// The journal line the loaded snapshot covered, if one was loaded.
    pub snapshot_seq: Option<i64>,
    /// Journal lines replayed after it.
    pub lines: u64,
    /// Stored open alerts closed because the restored engine does not hold them open.
    pub closed: usize,
}

/// Restores `pipe` from `store` (the writer's connection, before the writer starts).
pub fn restore(pipe: &mut Pipeline, store: &mut SqliteStore, hours: u32) -> Result<Restored> {
    let started = std::time::Instant::now();
    let mut out = Restored::default();
    let Some((end_seq, end_ms)) = store.journal_end().context("reading the journal")? else {
        return Ok(out);
    };
    for snap in store.snapshots().context("reading snapshots")? {
        match pipe.load_snapshot(&snap.state) {
            Ok(()) => {
                out.snapshot_seq = Some(snap.seq);
                break;
            }
            Err(e) => tracing::warn!(seq = snap.seq, error = %e, "snapshot not used"),
        }
    }
    let mut after = match out.snapshot_seq {
        Some(seq) => seq,
        None => {
            let since = end_ms.saturating_sub(i64::from(hours) * 3_600_000);
            store
                .journal_seq_before_time(since)
                .context("reading the journal")?
        }
    };
    if after < end_seq {
        tracing::info!(
            from_seq = after + 1,
            to_seq = end_seq,
            snapshot = out.snapshot_seq.is_some(),
            "replaying the journal"
        );
    }
    while after < end_seq {
        let page = store
            .journal_after(after, PAGE)
            .context("reading the journal")?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        out.lines += page.len() as u64;
        pipe.restore(page.iter().map(|j| &j.record));
    }
    continue_revisions(pipe, store)?;
    out.closed = close_orphans(pipe, store)?;
    tracing::info!(
        snapshot_seq = out.snapshot_seq,
        lines = out.lines,
        closed = out.closed,
        vessels = pipe.engine.picture().len(),
        ms = started.elapsed().as_millis() as u64,
        "picture restored"
    );
    Ok(out)
}

/// Alert revisions never go below the stored ones.
fn continue_revisions(pipe: &mut Pipeline, store: &SqliteStore) -> Result<()> {
    for id in pipe.revisions_mut().ids() {
        if let Some(stored) = store.alert(&id).context("reading alerts")? {
            pipe.revisions_mut().raise_to(&id, stored.revision);
        }
    }
    Ok(())
}

/// Closes stored open alerts the engine does not hold open; returns how many.
fn close_orphans(pipe: &mut Pipeline, store: &mut SqliteStore) -> Result<usize> {
    let open_now: HashSet<&str> = pipe
        .engine
        .alerts()
        .iter()
        .filter(|a| a.end.is_none())
        .map(|a| a.id.as_str())
        .collect();
    let filter = AlertFilter {
        state: AlertState::Open,
        ..AlertFilter::default()
    };
    let stored = store.alerts(&filter).context("reading open alerts")?;
    let clock = pipe.engine.latest_ms();
    let mut batch = Batch::new();
    for mut a in stored
        .into_iter()
        .filter(|a| !open_now.contains(a.id.as_str()))
    {
        let end = clock.unwrap_or(a.start_ms).max(a.start_ms);
        a.open = false;
        a.end_ms = Some(end);
        a.revision += 1;
        if let Ok(mut json) = serde_json::from_str::<serde_json::Value>(&a.json) {
            json["end"] = varde_ais::time::rfc3339_ms(end).into();
            json["closed_by"] = "restart: not in the restored picture".into();
            a.json = json.to_string();
        }
        batch.alerts.push(a);
    }
    drop(open_now);
    let n = batch.alerts.len();
    if n > 0 {
        store
            .write_batch(&batch)
            .context("closing alerts left open")?;
    }
    Ok(n)
}
