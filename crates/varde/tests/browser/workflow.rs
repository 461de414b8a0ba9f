//! Working an alert in the map (web/src/workflow.js) and new-alert notifications
//! (web/src/notify.js): acknowledge and comment through the panel's buttons and see the history and
//! the row's state; the tab title counts new high/critical alerts from the live stream and clears
//! when the pointer is over the alert list; the mute toggle persists in localStorage.

use super::{Check, Page};
use fantoccini::Locator;
use serde_json::{json, Value};

/// Acknowledges and comments on the first listed alert through the buttons; screenshot
/// `map-workflow.png`.
pub async fn work_an_alert(p: &mut Page) -> Check {
    // The list is redrawn at every alert event: find the row again if it went stale.
    let mut id = String::new();
    for attempt in 0..5 {
        let row = p
            .client
            .find(Locator::Css("[data-testid=alert-row]"))
            .await
            .map_err(|e| format!("no alert row: {e}"))?;
        id = row
            .attr("data-alert-id")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        match row.click().await {
            Ok(()) => break,
            Err(e) if attempt == 4 => return Err(format!("clicking {id}: {e}")),
            Err(_) => {}
        }
    }
    let panel = format!("[data-testid=alert-workflow-panel][data-alert-id=\"{id}\"]");
    // The demo's token is the admin's: the controls are shown.
    p.visible(&format!("{panel} [data-testid=alert-action-ack]"))
        .await?;
    click(p, &format!("{panel} [data-testid=alert-action-ack]")).await?;
    let entry =
        |action: &str| format!("{panel} [data-testid=alert-history-entry][data-action={action}]");
    p.visible(&entry("ack")).await?;
    let comment = format!("hailed on channel 16 ({id})");
    p.client
        .find(Locator::Css(&format!(
            "{panel} [data-testid=alert-action-text]"
        )))
        .await
        .map_err(|e| format!("comment box: {e}"))?
        .send_keys(&comment)
        .await
        .map_err(|e| format!("typing the comment: {e}"))?;
    click(p, &format!("{panel} [data-testid=alert-action-comment]")).await?;
    p.visible(&entry("comment")).await?;
    let history = p
        .text_of(&format!("{panel} [data-testid=alert-history]"))
        .await?;
    if !(history.contains("operator acknowledged") && history.contains(&comment)) {
        return Err(format!("history of {id} is {history:?}"));
    }
    // The row shows the state, and the API has the same history.
    p.until(
        "id => document.querySelector(`[data-testid=alert-row][data-alert-id=\"${id}\"] \
         [data-testid=alert-workflow]`)?.dataset.wfState === 'acknowledged'",
        json!(id),
        "the alert row never showed `acknowledged`",
    )
    .await?;
    let api = p
        .eval(
            "async id => { const r = await fetch(`api/alerts/${encodeURIComponent(id)}`, \
             { headers: { Authorization: `Bearer ${sessionStorage.getItem('varde.token')}` } }); \
             return (await r.json()).workflow; }",
            json!(id),
        )
        .await?;
    let actions: Vec<&str> = api["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    if actions != ["ack", "comment"] || api["history"][1]["text"] != json!(comment) {
        return Err(format!("API workflow of {id}: {api}"));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let shot = p.screenshot("-workflow").await?;
    Ok(format!("{id}: {}; {}", history.trim(), shot.display()))
}

/// The title counts new high/critical alerts of the stream; looking at the list clears it; the
/// mute toggle persists.
pub async fn title_count(p: &mut Page) -> Check {
    // Eyes (and pointer) off the list: on the map. New alerts of the demo's stream then count;
    // the scripted incidents come every few seconds to a minute, so wait up to two steps.
    p.move_to(300.0, 300.0).await?;
    let counted = "() => /^\\(\\d+\\+?\\) /.test(document.title) && document.title";
    let title = match p.until(counted, Value::Null, "").await {
        Ok(t) => t,
        Err(_) => {
            p.until(
                counted,
                Value::Null,
                "no new high or critical alert counted in the tab title",
            )
            .await?
        }
    };
    let unseen = p
        .eval("() => window.varde.notifier.unseen", Value::Null)
        .await?;
    if !title
        .as_str()
        .unwrap_or_default()
        .starts_with(&format!("({unseen}) "))
    {
        return Err(format!("title {title} but {unseen} unseen"));
    }
    let b = p
        .eval(
            "() => { const b = document.querySelector('[data-testid=alert-list]').getBoundingClientRect(); \
             return [b.left + b.width / 2, b.top + Math.min(20, b.height / 2)]; }",
            Value::Null,
        )
        .await?;
    // From the map onto the list, as an officer's eyes (and mouse) would go.
    p.move_to(b[0].as_f64().unwrap_or(0.0), b[1].as_f64().unwrap_or(0.0))
        .await?;
    let cleared = p
        .until(
            "() => !/^\\(/.test(document.title) && document.title",
            Value::Null,
            "the title count did not clear with the pointer over the alert list",
        )
        .await?;
    click(p, "[data-testid=alert-mute]").await?;
    let muted = p
        .eval(
            "() => [localStorage.getItem('varde.muted'), window.varde.notifier.muted]",
            Value::Null,
        )
        .await?;
    click(p, "[data-testid=alert-mute]").await?;
    let unmuted = p
        .eval("() => localStorage.getItem('varde.muted')", Value::Null)
        .await?;
    if muted != json!(["1", true]) || unmuted != json!("0") {
        return Err(format!("mute toggle: muted {muted}, unmuted {unmuted}"));
    }
    Ok(format!("title {title} -> {cleared}; mute persists"))
}

async fn click(p: &Page, css: &str) -> Result<(), String> {
    p.client
        .find(Locator::Css(css))
        .await
        .map_err(|e| format!("{css}: {e}"))?
        .click()
        .await
        .map_err(|e| format!("clicking {css}: {e}"))
}
