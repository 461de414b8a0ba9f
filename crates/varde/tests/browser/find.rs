//! Find and triage, arrivals: a demo vessel searched by name is selected and zoomed to; the alert
//! list filtered by one kind shows only that kind; a row's element survives a list update; the
//! Arrivals panel lists vessels. Screenshot: `map-find.png`.

use super::{Check, Page};
use serde_json::{json, Value};

/// Searches a demo vessel by part of its name, picks the hit, and checks selection and zoom.
pub async fn search_selects_and_zooms(p: &mut Page) -> Check {
    let target = p
        .until(
            "() => { for (const v of window.varde.store.values()) \
               if (v.name && v.name.length >= 4 && v.lat != null) return { mmsi: v.mmsi, name: v.name }; \
             return null; }",
            Value::Null,
            "no named vessel in the picture",
        )
        .await?;
    let name = target["name"].as_str().unwrap_or_default().to_owned();
    let mmsi = target["mmsi"].as_u64().unwrap_or_default();
    p.eval(
        "q => { const i = document.querySelector('[data-testid=search-input]'); i.focus(); \
         i.value = q; i.dispatchEvent(new Event('input', { bubbles: true })); }",
        json!(name.to_lowercase()),
    )
    .await?;
    p.until(
        "m => [...document.querySelectorAll('[data-testid=search-hit]')].some(li => li.dataset.mmsi === String(m))",
        json!(mmsi),
        &format!("no search hit for {name:?} ({mmsi})"),
    )
    .await?;
    p.eval(
        "m => { const li = [...document.querySelectorAll('[data-testid=search-hit]')] \
           .find(li => li.dataset.mmsi === String(m)); \
         li.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })); }",
        json!(mmsi),
    )
    .await?;
    let zoom = p
        .until(
            "m => { const s = window.varde.state.selected; \
               const panel = document.querySelector('[data-testid=vessel-panel]'); \
               const z = window.varde.map.getZoom(); \
               const v = window.varde.store.get(m); \
               const inView = v && window.varde.map.getBounds().contains([v.lat, v.lon]); \
               return s?.type === 'vessel' && s.mmsi === m && panel?.dataset.mmsi === String(m) \
                 && z >= 11 && inView ? z : null; }",
            json!(mmsi),
            &format!("{name} ({mmsi}) not selected, zoomed to and in view"),
        )
        .await?;
    Ok(format!("{name:?} ({mmsi}) selected at zoom {zoom}"))
}

/// Filters the alert list by the kind of its first row: only that kind is left; then an update
/// keeps the same row element.
pub async fn filter_alerts_by_kind(p: &mut Page) -> Check {
    let kind = p
        .until(
            "() => document.querySelector('[data-testid=alert-row]')?.dataset.kind || null",
            Value::Null,
            "no alert row with a kind",
        )
        .await?;
    let kind = kind.as_str().unwrap_or_default().to_owned();
    p.eval(
        "k => { const s = document.querySelector('[data-testid=alert-filter-kind]'); s.value = k; \
         s.dispatchEvent(new Event('change', { bubbles: true })); }",
        json!(kind),
    )
    .await?;
    let n = p
        .until(
            "k => { const rows = [...document.querySelectorAll('[data-testid=alert-row]')]; \
             return rows.length && rows.every(r => r.dataset.kind === k) ? rows.length : 0; }",
            json!(kind),
            &format!("rows other than {kind} still listed"),
        )
        .await?;
    // The same element before and after an update of the list (a re-render of every alert).
    let same = p
        .eval(
            "async () => { const before = document.querySelector('[data-testid=alert-row]'); \
             const id = before.dataset.alertId; \
             const st = window.varde.state; const a = st.alerts.get(id); \
             st.alerts.set(id, { ...a, revision: (a.revision || 0) + 1000 }); \
             window.varde.alertList.update([...st.alerts.values()], \
               window.varde.alertList.filter(st.alertFilter), Date.now(), null); \
             await new Promise(r => requestAnimationFrame(r)); \
             const after = [...document.querySelectorAll('[data-testid=alert-row]')] \
               .find(li => li.dataset.alertId === id); \
             return after === before && before.isConnected; }",
            Value::Null,
        )
        .await?;
    if same != json!(true) {
        return Err("the row element was replaced by the update".into());
    }
    // Back to every kind.
    p.eval(
        "() => { const s = document.querySelector('[data-testid=alert-filter-kind]'); s.value = ''; \
         s.dispatchEvent(new Event('change', { bubbles: true })); }",
        Value::Null,
    )
    .await?;
    Ok(format!(
        "{n} {kind} rows; the row element survived an update"
    ))
}

/// Opens the Arrivals tab: rows are listed with a CSV link; screenshot.
pub async fn arrivals_panel(p: &mut Page) -> Check {
    p.eval(
        "() => document.querySelector('[data-testid=arrivals-tab]').click()",
        Value::Null,
    )
    .await?;
    p.visible("[data-testid=arrivals]").await?;
    let n = p
        .until(
            "() => document.querySelectorAll('[data-testid=arrival-row]').length",
            Value::Null,
            "the Arrivals panel listed no vessel",
        )
        .await?;
    let href = p
        .eval(
            "() => document.querySelector('[data-testid=arrivals-csv]').getAttribute('href')",
            Value::Null,
        )
        .await?;
    if !href
        .as_str()
        .is_some_and(|h| h.starts_with("api/arrivals.csv"))
    {
        return Err(format!("CSV link is {href}"));
    }
    p.screenshot("-find").await?;
    Ok(format!("{n} arrivals, CSV link {href}"))
}
