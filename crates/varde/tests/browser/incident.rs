//! "See the incident" in the browser: selecting an alert zooms the map to fit the vessel's track over
//! the alert window and the asset it concerns, shows the evidence decoded (one row per message) and
//! draws the evidence fixes as numbered markers; a rendezvous names its partner, who opens on a
//! click; "Show vessel and track" zooms to the track; the playback slider moves a marker along the
//! track and play advances it. Screenshots: `map-incident.png`, `map-playback.png`.
//!
//! These checks run on a service of their own ([`ScenarioServe`]): `varde serve` replaying, as
//! fast as it reads, two hours of `varde sim --scenario builtin:all` that ended half an hour ago,
//! with the scenario's infrastructure layer. That recording surely holds alerts over an asset (a
//! trawler loitering on the Svalbard cable, ships over the Skagerrak cables) and two rendezvous,
//! so neither the asset fit nor the partner check depends on how far the live demo has got; they
//! fail, never skip, when such an alert is missing. The page then returns to the demo.

use super::support::Demo;
use super::{text, truthy, Check, Page};
use fantoccini::Locator;
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Hours of the recorded scenario (the second rendezvous comes about 70 minutes in).
const SCENARIO_HOURS: u32 = 2;

/// `varde serve` replaying a recorded scenario, on a free loopback port; stopped on drop.
pub struct ScenarioServe {
    _serve: Demo,
    _dir: tempfile::TempDir,
    /// The page's URL with its token.
    pub url: String,
}

impl ScenarioServe {
    /// Records the scenario with `varde sim`, starts `varde serve` on it with `token` and waits
    /// until the service has stored an asset alert and a rendezvous.
    pub fn start(token: &str) -> Result<Self, String> {
        let bin = env!("CARGO_BIN_EXE_varde");
        let dir = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
        let rec = dir.path().join("scenario.nmea");
        let layer = dir.path().join("scenario-assets.geojson");
        let now_s = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        let start_s = now_s - u64::from(SCENARIO_HOURS) * 3600 - 1800;
        let out = std::fs::File::create(&rec).map_err(|e| format!("{}: {e}", rec.display()))?;
        let sim = Command::new(bin)
            .args(["sim", "--scenario", "builtin:all", "--vessels", "0"])
            .args(["--hours", &SCENARIO_HOURS.to_string()])
            .args(["--start", &start_s.to_string()])
            .arg("--layer-out")
            .arg(&layer)
            .stdout(out)
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("varde sim: {e}"))?;
        // (It warns on stderr that two hours cut most incidents short: the ones checked fire.)
        if !sim.status.success() {
            return Err(format!(
                "varde sim --scenario builtin:all exited {}: {}",
                sim.status,
                String::from_utf8_lossy(&sim.stderr)
            ));
        }
        let cfg = dir.path().join("varde.toml");
        std::fs::write(
            &cfg,
            format!(
                "[serve]\n[[serve.sources]]\nname = \"scenario\"\nkind = \"file\"\npath = \"{}\"\nspeed = 0\n",
                rec.display()
            ),
        )
        .map_err(|e| format!("{}: {e}", cfg.display()))?;
        let args: Vec<std::ffi::OsString> = vec![
            "serve".into(),
            "--config".into(),
            cfg.into(),
            "--layer".into(),
            layer.into(),
            "--data-dir".into(),
            dir.path().join("data").into(),
            "--listen".into(),
            "127.0.0.1:0".into(),
            "--token".into(),
            token.into(),
        ];
        let serve = Demo::spawn(&args)?;
        let this = Self {
            url: serve.url.clone(),
            _serve: serve,
            _dir: dir,
        };
        this.wait_for_alerts(token)?;
        Ok(this)
    }

    /// Waits (60 s at most) until the store holds an alert over an asset and a rendezvous.
    fn wait_for_alerts(&self, token: &str) -> Result<(), String> {
        let base = self.url.split("/?").next().unwrap_or(&self.url);
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = String::new();
        while Instant::now() < deadline {
            let list: Option<Value> = ureq::get(&format!("{base}/api/alerts?state=all&limit=1000"))
                .set("Authorization", &format!("Bearer {token}"))
                .call()
                .ok()
                .and_then(|r| r.into_string().ok())
                .and_then(|b| serde_json::from_str(&b).ok());
            let all = list
                .as_ref()
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let asset = all
                .iter()
                .any(|a| a["asset"].is_object() && a["mmsi"].is_u64());
            let rendezvous = all.iter().any(|a| a["kind"] == "rendezvous");
            if asset && rendezvous {
                return Ok(());
            }
            seen = format!(
                "{} alert(s), asset: {asset}, rendezvous: {rendezvous}",
                all.len()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(format!(
            "the recorded scenario gave no asset alert and rendezvous within 60 s ({seen})"
        ))
    }
}

/// The incident checks (asset fit and evidence, rendezvous partner, playback) on the recorded
/// scenario's service; then the page goes back to the demo.
pub async fn run(p: &mut Page, token: &str) -> Result<(), String> {
    // Blocking for the few seconds the recording takes (the test's runtime has one thread; the
    // browser and its driver are processes of their own).
    let serve = match ScenarioServe::start(token) {
        Ok(s) => s,
        Err(e) => {
            let r: Check = Err(e);
            return p
                .record("a service on a recorded scenario with asset alerts", r)
                .await;
        }
    };
    let (demo_url, demo_origin) = (p.url.clone(), p.origin.clone());
    p.url = serve.url.clone();
    p.origin = serve
        .url
        .split("/?")
        .next()
        .unwrap_or(&serve.url)
        .to_owned();
    let r = open_page(p).await;
    p.record("the map on a recorded scenario", r).await?;
    let r = alert_incident(p).await;
    p.record("select an alert: zoom to the incident, evidence decoded", r)
        .await?;
    let r = rendezvous_partner(p).await;
    p.record("a rendezvous names its partner", r).await?;
    let r = playback(p).await;
    p.record("show vessel and track zooms; playback", r).await?;
    p.url = demo_url;
    p.origin = demo_origin;
    let r = open_page(p).await;
    drop(serve);
    p.record("back to the demo", r).await
}

/// Opens `p.url` and waits for the map and its first alert rows.
async fn open_page(p: &mut Page) -> Check {
    p.client
        .goto(&p.url)
        .await
        .map_err(|e| format!("GET {}: {e}", p.origin))?;
    let rows = p
        .until(
            "() => !!window.varde && document.querySelectorAll('[data-testid=alert-row]').length",
            Value::Null,
            &format!("the map at {} listed no alert", p.origin),
        )
        .await?;
    Ok(format!("{}: {rows} alert row(s)", p.origin))
}

/// Whether the map's bounds hold the incident's track and asset (JS; arg: alert id). Returns what
/// was drawn once they do.
const FITTED: &str = r#"id => {
    const v = window.varde, l = v.incident.last, box = document.querySelector('[data-testid=incident]');
    if (!l || l.id !== id || box?.dataset.state !== 'ready') return false;
    const b = v.map.getBounds();
    const has = x => !x || (b.contains(x[0]) && b.contains(x[1]));
    if (!has(l.track) || !has(l.asset)) return false;
    const rows = [...document.querySelectorAll('[data-testid=evidence-row]')];
    if (!rows.length) return false;
    // How often each evidence line is written in the alert panel (once is right).
    const panel = document.querySelector(`[data-testid=alert-panel][data-alert-id="${id}"]`)?.textContent || '';
    const lines = v.state.alerts.get(id)?.evidence || [];
    const times = l => panel.split(l).length - 1;
    const wrong = lines.filter(l => l && times(l) !== lines.filter(x => x === l).length)
      .map(l => ({ line: l, times: times(l) }));
    // (Waited out: the panel catches up with a revision the stream just brought.)
    window.__rawWrong = wrong;
    if (wrong.length) return false;
    return {
      trackPoints: l.trackPoints, assetFeatures: l.assetFeatures, fixes: l.evidence,
      rows: rows.length, markers: document.querySelectorAll('.varde-evidence-marker').length,
      firstRow: rows[0]?.textContent || '', zoom: v.map.getZoom(),
      evidenceLines: lines.length,
    };
}"#;

/// The evidence lines the last [`FITTED`] found not shown exactly once (`[]`: none).
async fn raw_wrong(p: &Page) -> Value {
    p.eval("() => window.__rawWrong || []", Value::Null)
        .await
        .unwrap_or(Value::Null)
}

/// Clicks the alert row of `id` (scrolled into view by the driver).
async fn click_row(p: &Page, id: &str) -> Result<(), String> {
    let row = p
        .client
        .find(Locator::Css(&format!(
            "[data-testid=alert-row][data-alert-id=\"{id}\"]"
        )))
        .await
        .map_err(|e| format!("alert row {id}: {e}"))?;
    row.click()
        .await
        .map_err(|e| format!("clicking alert row {id}: {e}"))
}

/// Selecting an alert with an asset: the map fits its track and asset; decoded evidence rows and
/// evidence markers are shown.
pub async fn alert_incident(p: &mut Page) -> Check {
    // An alert about a vessel and an asset (the recorded scenario has several), with evidence.
    let pick = p
        .until(
            r#"() => {
                const a = [...window.varde.state.alerts.values()].find(a => !a._retracted && a.mmsi != null
                  && a.asset && typeof a.asset === 'object' && (a.evidence || []).length
                  && document.querySelector(`[data-testid=alert-row][data-alert-id="${a.id}"]`));
                return a ? { id: a.id, kind: a.kind, asset: a.asset?.name || null } : null;
            }"#,
            Value::Null,
            "no listed alert about a vessel and an asset, with evidence",
        )
        .await?;
    let id = text(&pick["id"]);
    click_row(p, &id).await?;
    let got = match p
        .until(
            FITTED,
            json!(id),
            &format!(
                "after clicking alert {id} the map never fitted its track and asset with each raw \
                 sentence shown once"
            ),
        )
        .await
    {
        Ok(g) => g,
        Err(e) => {
            return Err(format!(
                "{e}; raw sentences not shown once: {}",
                raw_wrong(p).await
            ))
        }
    };
    let n = |k: &str| got[k].as_u64().unwrap_or(0);
    if n("trackPoints") == 0 {
        return Err(format!("alert {id}: no track drawn over the alert window"));
    }
    if n("assetFeatures") == 0 {
        return Err(format!(
            "alert {id} concerns asset {} but no layer feature was highlighted",
            pick["asset"]
        ));
    }
    if n("rows") == 0 || n("rows") > n("evidenceLines") {
        return Err(format!(
            "alert {id}: {} decoded evidence row(s) for {} evidence line(s)",
            n("rows"),
            n("evidenceLines")
        ));
    }
    let first = text(&got["firstRow"]);
    if !first.contains('°') || !first.contains("VDM") {
        return Err(format!(
            "alert {id}: the first evidence row shows no decoded position beside its sentence: {first:?}"
        ));
    }
    if n("fixes") == 0 || n("markers") != n("fixes") {
        return Err(format!(
            "alert {id}: {} evidence fix(es) but {} marker(s) on the map",
            n("fixes"),
            n("markers")
        ));
    }
    let highlighted = p
        .eval(
            "() => document.querySelectorAll('path.varde-incident-track').length",
            Value::Null,
        )
        .await?;
    if !truthy(&highlighted) {
        return Err(format!("alert {id}: no path.varde-incident-track drawn"));
    }
    // A new revision of the selected alert: the decoded evidence is fetched again (the panel's
    // evidence key follows the revision) and each raw sentence is still shown once.
    let revised = p
        .until(
            r#"id => {
                const v = window.varde, sec = document.querySelector('[data-testid=alert-evidence]');
                const a = v.state.alerts.get(id);
                if (!sec.dataset.revisedTo) {
                    const b = { ...a, revision: (a.revision ?? 0) + 1000 };
                    v.state.alerts.set(id, b);
                    sec.dataset.revisedTo = String(b.revision);
                    sec.dataset.before = sec.dataset.key;
                    v.incident.alertElement(b);
                    return false;
                }
                // Fetched again (for this revision, or a newer one the stream brought meanwhile).
                return sec.dataset.key !== sec.dataset.before
                  && document.querySelectorAll('[data-testid=evidence-row]').length > 0
                  && { rows: document.querySelectorAll('[data-testid=evidence-row]').length };
            }"#,
            json!(id),
            &format!("alert {id}: a new revision did not refresh the decoded evidence"),
        )
        .await?;
    if let Err(e) = p
        .until(
            FITTED,
            json!(id),
            &format!("alert {id}: after the revision the incident no longer shows"),
        )
        .await
    {
        return Err(format!(
            "{e}; raw sentences not shown once: {}",
            raw_wrong(p).await
        ));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    p.screenshot("-incident").await?;
    Ok(format!(
"{} {id}{}: zoom {}, {} track points, {} evidence rows (each raw sentence once; {} after a \
         new revision), {} markers",
        text(&pick["kind"]),
        pick["asset"]
            .as_str()
            .map(|a| format!(" (asset {a})"))
            .unwrap_or_default(),
        got["zoom"],
        n("trackPoints"),
        n("rows"),
        revised["rows"],
        n("markers")
    ))
}

/// A rendezvous names its partner; a click on the name opens that vessel.
pub async fn rendezvous_partner(p: &mut Page) -> Check {
    let pick = p
        .until(
            r#"() => {
                const a = [...window.varde.state.alerts.values()].find(a => !a._retracted && a.kind === 'rendezvous'
                  && (a.related_mmsi || []).length && document.querySelector(`[data-testid=alert-row][data-alert-id="${a.id}"]`));
                return a ? { id: a.id, mmsi: a.mmsi, related: a.related_mmsi } : null;
            }"#,
            Value::Null,
            "no rendezvous alert with a partner listed (the recorded scenario has two)",
        )
        .await?;
    let id = text(&pick["id"]);
    click_row(p, &id).await?;
    p.until(FITTED, json!(id), &format!("rendezvous {id} never fitted"))
        .await?;
    let link = p
        .until(
            "() => { const a = document.querySelector('[data-testid=incident-partner]'); \
             return a && { text: a.textContent, mmsi: a.dataset.mmsi }; }",
            Value::Null,
            "the rendezvous shows no partner link",
        )
        .await?;
    let partner = text(&link["mmsi"]);
    let label = text(&link["text"]);
    if !label.contains(&partner) {
        return Err(format!(
            "partner link {label:?} does not name MMSI {partner}"
        ));
    }
    p.client
        .find(Locator::Css("[data-testid=incident-partner]"))
        .await
        .map_err(|e| format!("partner link: {e}"))?
        .click()
        .await
        .map_err(|e| format!("clicking the partner: {e}"))?;
    p.until(
        "m => document.querySelector('[data-testid=vessel-panel]')?.dataset.mmsi === m",
        json!(partner),
        &format!("clicking partner {partner} did not open its vessel panel"),
    )
    .await?;
    Ok(format!("rendezvous {id}: partner {label}"))
}

/// "Show vessel and track" zooms to the track; the playback slider moves the marker along it and
/// play advances the time.
pub async fn playback(p: &mut Page) -> Check {
    // Back to an alert with a track, then its vessel.
    let pick = p
        .eval("() => window.varde.incident.lastAlertId", Value::Null)
        .await?;
    if pick.is_null() {
        return Err("no incident was selected before".into());
    }
    let id = text(&pick);
    let mmsi = p
        .eval("id => window.varde.state.alerts.get(id)?.mmsi", json!(id))
        .await?;
    if !p
        .eval(
            "id => document.querySelector(`[data-testid=alert-panel][data-alert-id=\"${id}\"]`) !== null",
            json!(id),
        )
        .await?
        .as_bool()
        .unwrap_or(false)
    {
        click_row(p, &id).await?;
        p.until(FITTED, json!(id), "the alert did not reopen").await?;
    }
    let points = p
        .until(FITTED, json!(id), "the alert's incident is not shown")
        .await?;
    if points["trackPoints"].as_u64().unwrap_or(0) < 2 {
        return Err(format!(
            "alert {id}'s track has under two points to play: {points}"
        ));
    }
    // Zoom out first, so that fitting the track is a visible change.
    p.eval(
        "() => { window.varde.map.setZoom(4, { animate: false }); return true; }",
        Value::Null,
    )
    .await?;
    // Clicked in the page: the alert panel is re-rendered as the alert is revised, so a driver
    // element found a moment before may be stale.
    p.until(
        "() => { const b = document.querySelector('[data-testid=alert-show-vessel]'); if (b) b.click(); return !!b; }",
        Value::Null,
        "no \"Show vessel and track\" button",
    )
    .await?;
    let fitted = p
        .until(
            "m => { const v = window.varde, l = v.incident.last; \
             if (!l || l.mmsi !== Number(m) || !l.track) return false; \
             const b = v.map.getBounds(); \
             return b.contains(l.track[0]) && b.contains(l.track[1]) && v.map.getZoom() > 4 && \
               !document.querySelector('[data-testid=playback]')?.hidden && { zoom: v.map.getZoom(), points: l.trackPoints }; }",
            mmsi.clone(),
            "\"Show vessel and track\" did not zoom to the vessel's track with playback",
        )
        .await?;
    let slide = r#"f => {
        const s = document.querySelector('[data-testid=playback-slider]');
        s.value = String(Math.round(f * Number(s.max)));
        s.dispatchEvent(new Event('input', { bubbles: true }));
        const m = window.varde.incident.playback.marker;
        const ll = window.varde.map.hasLayer(m) ? m.getLatLng() : null;
        return { lat: ll?.lat, lon: ll?.lng, time: document.querySelector('[data-testid=playback-time]').textContent };
    }"#;
    let a = p.eval(slide, json!(0.0)).await?;
    let b = p.eval(slide, json!(1.0)).await?;
    let ends = p
        .eval(
            "() => { const t = window.varde.incident.playback.timeline; \
             const f = t.fixes[0], l = t.fixes[t.fixes.length - 1]; return { first: [f.lat, f.lon], last: [l.lat, l.lon] }; }",
            Value::Null,
        )
        .await?;
    let near = |v: &Value, e: &Value| {
        (v["lat"].as_f64().unwrap_or(f64::NAN) - e[0].as_f64().unwrap_or(f64::NAN)).abs() < 1e-9
            && (v["lon"].as_f64().unwrap_or(f64::NAN) - e[1].as_f64().unwrap_or(f64::NAN)).abs()
                < 1e-9
    };
    if !near(&a, &ends["first"]) || !near(&b, &ends["last"]) {
        return Err(format!(
            "slider at 0 put the marker at {a}, at 1 at {b}; the track runs {} → {}",
            ends["first"], ends["last"]
        ));
    }
    if a["time"] == b["time"] {
        return Err(format!("the time shown did not change: {}", a["time"]));
    }
    // Play from the start: the time advances.
    p.eval(slide, json!(0.0)).await?;
    let t0 = p.text_of("[data-testid=playback-time]").await?;
    p.client
        .find(Locator::Css("[data-testid=playback-play]"))
        .await
        .map_err(|e| format!("play button: {e}"))?
        .click()
        .await
        .map_err(|e| format!("clicking play: {e}"))?;
    let t1 = p
        .until(
            "t0 => { const t = document.querySelector('[data-testid=playback-time]').textContent; return t !== t0 && t; }",
            json!(t0),
            "play did not advance the playback time",
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    p.screenshot("-playback").await?;
    p.eval("() => window.varde.incident.playback.pause()", Value::Null)
        .await?;
    Ok(format!(
        "zoom {} over {} points; slider {} → {}; play {t0} → {}",
        fitted["zoom"],
        fitted["points"],
        text(&a["time"]),
        text(&b["time"]),
        text(&t1)
    ))
}
