//! One partner's CoT stream, over any byte stream (the server's TLS connection or a push
//! client's): the picture now, then every releasable position and alert as it happens.
//!
//! The subscription is the partner streams' own ([`PartnerSub`]): each item is filtered for the
//! partner and redacted before it is serialised, told to the audit hook (feed `cot`), and a slow
//! reader falls behind in the live hub's bounded buffers, where what it loses is counted
//! (`varde_share_dropped_total{partner}`) — the engine never waits for it. A connection that
//! accepts nothing for [`WRITE_TIMEOUT`] is closed. The stream ends when the partner is revoked
//! (removed or changed by a configuration reload).
//!
//! What the peer sends is read and discarded; a TAK ping (`t-x-c-t`) is answered with a pong
//! (`t-x-c-t-r`).

use crate::serve::api::AppState;
use crate::serve::share::stream::{Out, PartnerSub};
use crate::serve::share::{labels, Caller};
use anyhow::Result;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use varde_share::config::PartnerEntry;
use varde_share::item::{AlertItem, AlertState, VesselItem};
use varde_share::{cot, Label, Policies};

/// How long a write may wait for the peer before the connection is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// Seconds after which a vessel or open alert event goes stale in clients.
pub const STALE_S: u32 = 600;

/// Why a stream ended.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    /// The partner was revoked or changed.
    Revoked,
    /// The peer closed the connection or a write failed.
    Closed,
    /// The peer read nothing for [`WRITE_TIMEOUT`].
    Stalled,
}

/// Streams the partner's CoT events into `io` until it is revoked or the peer goes away.
pub async fn run<S>(state: &AppState, entry: Arc<PartnerEntry>, io: S) -> End
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut rd, mut wr) = tokio::io::split(io);
    let (ping_tx, mut pings) = mpsc::channel::<()>(4);
    let reader = tokio::spawn(async move { discard(&mut rd, &ping_tx).await });
    let policies = state.share.labels_config().policies.clone();
    // Subscribe before taking the picture: nothing between the two is missed.
    let Some(mut sub) = PartnerSub::new(state, Caller::Partner(entry.clone()), "cot") else {
        return End::Closed;
    };
    let end = 'stream: {
        for ev in picture(state, &entry, &policies) {
            if let Err(e) = write(&mut wr, &ev).await {
                break 'stream e;
            }
        }
        loop {
            let ev = tokio::select! {
                out = sub.next() => match out {
                    None => break 'stream End::Revoked,
                    Some(out) => match event(&out, &entry, &policies) {
                        Some(ev) => ev,
                        None => continue,
                    },
                },
                p = pings.recv() => match p {
                    Some(()) => pong(crate::serve::source::now_ms()),
                    None => break 'stream End::Closed,
                },
            };
            if let Err(e) = write(&mut wr, &ev).await {
                break 'stream e;
            }
        }
    };
    reader.abort();
    let _ = tokio::time::timeout(Duration::from_secs(1), wr.shutdown()).await;
    end
}

async fn write<W: AsyncWrite + Unpin>(wr: &mut W, ev: &str) -> Result<(), End> {
    match tokio::time::timeout(WRITE_TIMEOUT, async {
        wr.write_all(ev.as_bytes()).await?;
        wr.flush().await
    })
    .await
    {
        Err(_) => Err(End::Stalled),
        Ok(Err(_)) => Err(End::Closed),
        Ok(Ok(())) => Ok(()),
    }
}

/// Reads and discards the peer's bytes; signals each ping (`type="t-x-c-t"`).
async fn discard<R: AsyncRead + Unpin>(rd: &mut R, pings: &mpsc::Sender<()>) {
    const PING: &[u8] = b"\"t-x-c-t\"";
    let mut buf = vec![0u8; 8192];
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let n = match rd.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        tail.extend_from_slice(&buf[..n]);
        let mut from = 0;
        while let Some(i) = memchr::memmem::find(&tail[from..], PING) {
            let _ = pings.try_send(());
            from += i + PING.len();
        }
        // Keep only what could begin a ping split across reads.
        let keep = tail.len().min(PING.len() - 1);
        tail.drain(..tail.len() - keep);
    }
}

/// The partner's releasable vessels now, as CoT events.
fn picture(state: &AppState, entry: &Arc<PartnerEntry>, policies: &Policies) -> Vec<String> {
    let q = crate::serve::view::Query {
        limit: 1_000_000,
        ..Default::default()
    };
    let caller = Caller::Partner(entry.clone());
    let (body, _, _) =
        crate::serve::share::api::vessel_page(&state.view, &state.share, &caller, &q, "cot");
    let now = crate::serve::source::now_ms();
    serde_json::from_slice::<Vec<Value>>(&body)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| {
            let time = v["last_seen"].as_str().and_then(time_ms)?;
            cot::vessel_event(&vessel(v, time, entry, policies)?, now, STALE_S)
        })
        .collect()
}

/// The CoT event of one released item (already filtered and redacted for the partner).
fn event(out: &Out, entry: &PartnerEntry, policies: &Policies) -> Option<String> {
    let now = crate::serve::source::now_ms();
    match out {
        Out::Lagged { .. } => None,
        Out::Position { item, .. } => {
            let time = item["time"].as_str().and_then(time_ms)?;
            cot::vessel_event(&vessel(item, time, entry, policies)?, now, STALE_S)
        }
        Out::Alert { item, .. } => Some(cot::alert_event(
            &alert(item, now, entry, policies)?,
            now,
            STALE_S,
        )),
    }
}

/// The item's label; `None` (not sent) when it cannot be read back.
fn label(v: &Value, policies: &Policies) -> Option<Label> {
    labels::from_json(v.get("label")?, policies)
}

fn precision(entry: &PartnerEntry) -> Option<f64> {
    (entry.redact.coarsen_m > 0).then(|| f64::from(entry.redact.coarsen_m))
}

/// A vessel item from a position event or a vessel list entry (redacted JSON).
pub fn vessel(
    v: &Value,
    time_ms: i64,
    entry: &PartnerEntry,
    policies: &Policies,
) -> Option<VesselItem> {
    let s = |k: &str| v[k].as_str().map(str::to_owned);
    let u = |k: &str| v[k].as_u64();
    Some(VesselItem {
        mmsi: u32::try_from(u("mmsi")?).ok()?,
        name: s("name"),
        callsign: s("callsign"),
        imo: u("imo").and_then(|x| u32::try_from(x).ok()),
        ship_type: u("ship_type").and_then(|x| u8::try_from(x).ok()),
        flag: s("flag"),
        lat: v["lat"].as_f64(),
        lon: v["lon"].as_f64(),
        sog_kn: v["sog"].as_f64(),
        cog_deg: v["cog"].as_f64(),
        heading_deg: v["heading"].as_f64().filter(|h| *h < 360.0),
        nav_status: u("nav_status").and_then(|x| u8::try_from(x).ok()),
        time_ms,
        station: None,
        precision_m: precision(entry),
        label: label(v, policies)?,
    })
}

/// An alert item from an alert event's (redacted) JSON.
pub fn alert(
    v: &Value,
    now_ms: i64,
    entry: &PartnerEntry,
    policies: &Policies,
) -> Option<AlertItem> {
    let start_ms = v["start"].as_str().and_then(time_ms)?;
    let end_ms = v["end"].as_str().and_then(time_ms);
    Some(AlertItem {
        id: v["id"].as_str()?.to_owned(),
        kind: v["kind"].as_str().unwrap_or("alert").to_owned(),
        severity: v["severity"].as_str().unwrap_or("info").to_owned(),
        mmsi: u32::try_from(v["mmsi"].as_u64()?).ok()?,
        vessel_name: v["vessel"]["name"].as_str().map(str::to_owned),
        lat: v["lat"].as_f64()?,
        lon: v["lon"].as_f64()?,
        start_ms,
        end_ms,
        time_ms: end_ms.unwrap_or(now_ms),
        summary: v["summary"].as_str().unwrap_or("").to_owned(),
        state: if end_ms.is_some() {
            AlertState::Closed
        } else {
            AlertState::Open
        },
        station: None,
        precision_m: precision(entry),
        label: label(v, policies)?,
    })
}

/// Unix ms of the API's RFC 3339 UTC times (`YYYY-MM-DDTHH:MM:SS(.mmm)Z`).
pub fn time_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[10] != b'T' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let days = varde_ais::time::days_from_civil(
        n(0..4)?,
        u32::try_from(n(5..7)?).ok()?,
        u32::try_from(n(8..10)?).ok()?,
    );
    let ms = if b.get(19) == Some(&b'.') {
        n(20..23)?
    } else {
        0
    };
    Some(((days * 24 + n(11..13)?) * 60 + n(14..16)?) * 60_000 + n(17..19)? * 1000 + ms)
}

/// The answer to a TAK ping.
pub fn pong(now_ms: i64) -> String {
    let t = varde_ais::time::rfc3339_ms(now_ms);
    let stale = varde_ais::time::rfc3339_ms(now_ms.saturating_add(20_000));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<event version=\"2.0\" uid=\"takPong\" \
         type=\"t-x-c-t-r\" how=\"h-g-i-g-o\" time=\"{t}\" start=\"{t}\" stale=\"{stale}\">\
         <point lat=\"0.0\" lon=\"0.0\" hae=\"0.0\" ce=\"9999999.0\" le=\"9999999.0\"/>\
         <detail/></event>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_times_read_back() {
        let ms = 1_700_000_000_123;
        assert_eq!(time_ms(&varde_ais::time::rfc3339_ms(ms)), Some(ms));
        assert_eq!(time_ms("2023-11-14T22:13:20Z"), Some(1_700_000_000_000));
        assert_eq!(time_ms("yesterday"), None);
        assert_eq!(time_ms("2023-11-14T22:13:2xZ"), None);
    }

    #[tokio::test]
    async fn pings_are_found_across_reads() {
        let (mut a, mut b) = tokio::io::duplex(64);
        let (tx, mut rx) = mpsc::channel(4);
        let reader = tokio::spawn(async move { discard(&mut b, &tx).await });
        a.write_all(b"<event type=\"t-x-").await.unwrap();
        a.flush().await.unwrap();
        tokio::task::yield_now().await;
        a.write_all(b"c-t\" uid=\"x\"/><event type=\"a-f-G\"/>")
            .await
            .unwrap();
        drop(a);
        reader.await.unwrap();
        assert_eq!(rx.recv().await, Some(()));
        assert_eq!(rx.recv().await, None, "one ping only");
    }
}
