//! Labels on the map and the partner preview (issue 11), against a second `varde serve --demo`
//! whose configuration labels every source `NOR BEGRENSET//REL NOR, SWE` and has two partners:
//! swe (cleared for it, positions coarsened to 1 km) and dk (not cleared). The selected vessel's
//! panel shows its label as a banner, the page banners the highest classification on screen;
//! picking "View as SWE" reloads the map as swe receives it (every position on swe's 1 km grid)
//! under a "Preview as SWE — not a release" banner; "Exit preview" goes back. Screenshots
//! `map-labels.png` and `map-labels-preview.png`.

use super::support::Demo;
use super::{text, Check, Page};
use serde_json::{json, Value};

const TOKEN: &str = "browser-labels-token";
const LABEL: &str = r#"{ policy = "NOR", classification = "BEGRENSET", rel = ["NOR", "SWE"] }"#;

/// Every check of this module, in order; stops at the first failure.
pub(super) async fn run(p: &mut Page) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let config = dir.path().join("varde.toml");
    let text = format!(
        "[share]\ndefault_label = {LABEL}\n\n\
         [[share.partners]]\nid = \"swe\"\nsatisfies = [\"SWE\"]\nclearance = {{ NOR = \"BEGRENSET\" }}\n\
         token = \"tok-swe\"\nredact = {{ coarsen_m = 1000 }}\n\n\
         [[share.partners]]\nid = \"dk\"\nsatisfies = [\"DNK\", \"NATO\"]\ntoken = \"tok-dk\"\n"
    );
    std::fs::write(&config, text).map_err(|e| format!("config: {e}"))?;
    let demo = Demo::start_with(
        TOKEN,
        &[
            "--config",
            config.to_str().unwrap_or_default(),
            "--data-dir",
            dir.path().join("data").to_str().unwrap_or_default(),
        ],
    );
    let r = banners(p, &demo.url).await;
    p.record(
        "labels: the selected vessel's banner and the page banners",
        r,
    )
    .await?;
    let r = preview(p).await;
    p.record("labels: view as a partner, not a release", r)
        .await?;
    drop(demo);
    Ok(())
}

/// Opens the labelled demo, selects a vessel; its panel and the page carry the label's banner.
async fn banners(p: &mut Page, url: &str) -> Check {
    p.client
        .goto(url)
        .await
        .map_err(|e| format!("opening {url}: {e}"))?;
    let mmsi = p
        .until(
            "() => { const v = [...window.varde?.store.values() ?? []].find(v => v.label && Number.isFinite(v.lat)); \
             return v ? v.mmsi : false; }",
            Value::Null,
            "labelled vessels loaded",
        )
        .await?;
    p.eval(
        "m => window.varde.openVessel(m, { pan: true })",
        mmsi.clone(),
    )
    .await?;
    let got = p
        .until(
            "() => { const b = document.querySelector('[data-testid=vessel-panel] [data-testid=label-banner]'); \
             return b && b.classList.contains('label-restricted') && getComputedStyle(b).backgroundColor !== 'rgba(0, 0, 0, 0)' ? b.textContent : false; }",
            Value::Null,
            "the vessel panel's label banner",
        )
        .await?;
    if text(&got) != "BEGRENSET · REL NOR, SWE" {
        return Err(format!("vessel panel banner {got}"));
    }
    let page = p
        .until(
            "() => { const t = document.querySelector('[data-testid=page-banner-top]'), b = document.querySelector('[data-testid=page-banner-bottom]'); \
             return t && !t.hidden && !b.hidden && t.getBoundingClientRect().height > 0 ? [t.textContent, b.textContent, t.className] : false; }",
            Value::Null,
            "the page banners",
        )
        .await?;
    if page[0] != "BEGRENSET"
        || page[1] != "BEGRENSET"
        || !text(&page[2]).contains("label-restricted")
    {
        return Err(format!("page banners {page}"));
    }
    let picker = p
        .eval(
            "() => [...document.querySelectorAll('[data-testid=preview-picker] option')].map(o => o.value)",
            Value::Null,
        )
        .await?;
    if picker != json!(["", "swe", "dk"]) {
        return Err(format!("preview picker options {picker}"));
    }
    let shot = p.screenshot("-labels").await?;
    Ok(format!("vessel {mmsi}: {got}; {}", shot.display()))
}

/// Picks "View as SWE": the map reloads as swe sees it; then back to the own view.
async fn preview(p: &mut Page) -> Check {
    // The operator's own positions are not all on swe's 1 km grid.
    const ON_GRID: &str = "() => { const vs = [...window.varde.store.values()].filter(v => Number.isFinite(v.lat)); \
        const step = 1000 / 111320; \
        return vs.length ? vs.every(v => Math.abs(v.lat / step - Math.round(v.lat / step)) < 1e-3) : null; }";
    if p.eval(ON_GRID, Value::Null).await? != json!(false) {
        return Err("the operator's own view is already coarsened".into());
    }
    p.eval(
        "() => { const s = document.querySelector('[data-testid=preview-picker]'); s.value = 'swe'; \
         s.dispatchEvent(new Event('change')); }",
        Value::Null,
    )
    .await?;
    let notice = p
        .until(
            "() => { const b = document.querySelector('[data-testid=preview-banner]'); \
             return document.body.dataset.preview === 'swe' && b && b.getBoundingClientRect().height > 0 ? b.textContent : false; }",
            Value::Null,
            "the preview banner after picking swe",
        )
        .await?;
    if !text(&notice).contains("Preview as SWE — not a release") {
        return Err(format!("preview banner {notice}"));
    }
    p.until(
        &format!("() => {{ const n = window.varde.store.size; return n > 0 && ({ON_GRID})() === true; }}"),
        Value::Null,
        "every vessel at swe's coarsened (1 km grid) position",
    )
    .await?;
    let n = p.eval("() => window.varde.store.size", Value::Null).await?;
    if !p.auth_error().await?.is_empty() {
        return Err("an error banner shows in the preview".into());
    }
    let shot = p.screenshot("-labels-preview").await?;
    p.eval(
        "() => document.querySelector('[data-testid=preview-exit]').click()",
        Value::Null,
    )
    .await?;
    p.until(
        "() => document.querySelector('[data-testid=preview-picker]')?.value === '' \
         && !document.querySelector('[data-testid=preview-banner]') && !document.body.dataset.preview \
         && !document.cookie.includes('varde_view_as=')",
        Value::Null,
        "back to the own view",
    )
    .await?;
    Ok(format!("{n} vessels on swe's grid; {}", shot.display()))
}
