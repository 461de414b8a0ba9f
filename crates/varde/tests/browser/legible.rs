//! The map's legibility and time (issue 12): the neighbouring land is painted (Sweden, Finland, the
//! UK, Iceland), a scale in km and nm, distinct line styles for pipelines, cables and zone limits,
//! vessel names at close zoom, the distance tool, and the clock with the picture's time and the
//! run's mode. Screenshots `map-legible-region.png`, `map-legible-labels.png`,
//! `map-legible-measure.png`.

use super::{text, Check, Page};
use serde_json::{json, Value};
use std::time::Duration;

/// Every check of this module, in order; stops at the first failure.
pub(super) async fn run(p: &mut Page) -> Result<(), String> {
    let r = scale_and_styles(p).await;
    p.record(
        "scale in km and nm; pipelines, cables and zones drawn apart",
        r,
    )
    .await?;
    let r = clock(p).await;
    p.record("the clock shows the picture's time and the simulation", r)
        .await?;
    let r = labels(p).await;
    p.record("vessel names at close zoom", r).await?;
    let r = measure(p).await;
    p.record("the distance tool measures great-circle nm and km", r)
        .await?;
    let r = region_land(p).await;
    p.record("neighbouring land is painted", r).await?;
    Ok(())
}

/// Whether the land canvas is painted with the land fill at these places: the region's neighbours
/// in the home view, then Svalbard close up.
async fn region_land(p: &mut Page) -> Check {
    // Inland Sweden, Finland and Russia (beyond the 30 km of Norway's detailed land), Lapland and
    // the Kola Peninsula (Murmansk region; both were lost to an antimeridian fault in the layer's
    // build until 2026-12-07), northern England, Iceland, Denmark.
    let region = json!([
        ["Sweden", 62.5, 15.5],
        ["Finland", 64.5, 26.5],
        ["Lapland (Finland)", 67.5, 26.0],
        ["Russia", 60.0, 35.0],
        ["the Kola Peninsula (Russia)", 68.5, 35.0],
        ["England", 54.0, -1.8],
        ["Iceland", 64.8, -18.5],
        ["Denmark", 56.0, 9.2]
    ]);
    let home = painted(
        p,
        [[50.0, -25.0], [78.0, 45.0]],
        region,
        Some("-legible-region"),
    )
    .await?;
    // Svalbard is Norway's detailed land, whose coastline strokes leave no plain fill there at the
    // home view's zoom: sampled close up, inland Nordenskiöld Land.
    let svalbard = painted(
        p,
        [[77.6, 14.0], [78.4, 18.0]],
        json!([["Svalbard (Spitsbergen)", 78.0, 16.0]]),
        None,
    )
    .await?;
    Ok(format!("{home}; {svalbard}"))
}

/// Fits the map to `bounds` and waits until every one of `places` (`[name, lat, lon]`) is painted
/// with the land fill; then writes the screenshot `shot`, if given.
async fn painted(p: &mut Page, bounds: [[f64; 2]; 2], places: Value, shot: Option<&str>) -> Check {
    p.eval(
        "b => { window.varde.map.fitBounds(b, { animate: false }); }",
        json!(bounds),
    )
    .await?;
    let r = match p
        .until(
            r#"places => {
                const layer = window.varde.state.layers.region_land;
                if (!layer?.features) return false;
                const canvas = document.querySelector('.leaflet-land-pane canvas');
                if (!canvas) return false;
                const r = canvas.getBoundingClientRect(), m = window.varde.map.getContainer().getBoundingClientRect();
                const ctx = canvas.getContext('2d');
                const painted = [];
                for (const [name, lat, lon] of places) {
                  const q = window.varde.map.latLngToContainerPoint([lat, lon]);
                  const x = Math.round((q.x + m.left - r.left) * canvas.width / r.width);
                  const y = Math.round((q.y + m.top - r.top) * canvas.height / r.height);
                  const [R, G, B, A] = ctx.getImageData(x, y, 1, 1).data;
                  // The land fill (#f2efe9), opaque.
                  if (A < 250 || Math.abs(R - 242) > 6 || Math.abs(G - 239) > 6 || Math.abs(B - 233) > 6) {
                    window.__landMiss = `${name} (${lat}, ${lon}) is rgba(${R}, ${G}, ${B}, ${A})`;
                    return false;
                  }
                  painted.push(name);
                }
                return `${layer.features} coarse land polygons; land fill under ${painted.join(', ')}`;
            }"#,
            places,
            "the neighbouring land was not painted at every test place",
        )
        .await
    {
        Ok(r) => r,
        Err(e) => {
            let miss = p
                .eval("() => window.__landMiss || null", Value::Null)
                .await
                .unwrap_or(Value::Null);
            return Err(format!("{e}: {}", text(&miss)));
        }
    };
    let Some(shot) = shot else {
        return Ok(text(&r));
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let shot = p.screenshot(shot).await?;
    Ok(format!("{}; {}", text(&r), shot.display()))
}

async fn scale_and_styles(p: &mut Page) -> Check {
    p.eval(
        "() => { window.varde.map.fitBounds([[56, 0], [72, 32]], { animate: false }); }",
        Value::Null,
    )
    .await?;
    let r = p
        .until(
            r#"() => {
                const lines = [...document.querySelectorAll('[data-testid=scale] .leaflet-control-scale-line')].map(e => e.textContent);
                const km = lines.find(t => / (k?m)$/.test(t)), nm = lines.find(t => / nm$/.test(t));
                if (!km || !nm) return false;
                const style = sel => { const e = document.querySelector(sel); if (!e) return null;
                  const s = getComputedStyle(e); return `${s.stroke}|${s.strokeDasharray}|${s.strokeWidth}`; };
                const pipe = style('path.varde-infra-pipeline'), cable = style('path.varde-infra-cable'),
                  zone = style('path.varde-zone-eez') || style('path.varde-zone-territorial_sea');
                if (!pipe || !cable || !zone) return false;
                if (new Set([pipe, cable, zone]).size !== 3) return `SAME: pipeline ${pipe}, cable ${cable}, zone ${zone}`;
                // Pattern alone tells them apart too: solid, dash-dot (4 numbers), plain dashes (2).
                const dashes = s => s.split('|')[1] === 'none' ? 0 : s.split('|')[1].split(/[ ,]+/).filter(Boolean).length;
                if (dashes(pipe) !== 0 || dashes(cable) !== 4 || dashes(zone) !== 2) return `PATTERN: pipeline ${pipe}, cable ${cable}, zone ${zone}`;
                return `scale ${km} / ${nm}; pipeline ${pipe}; cable ${cable}; zone ${zone}`;
            }"#,
            Value::Null,
            "no scale with km and nm lines, or no pipeline, cable and zone paths",
        )
        .await?;
    let t = text(&r);
    if t.starts_with("SAME") || t.starts_with("PATTERN") {
        return Err(t);
    }
    Ok(t)
}

async fn clock(p: &mut Page) -> Check {
    let r = p
        .until(
            r#"() => {
                const c = document.querySelector('[data-testid=clock]');
                const mode = c?.querySelector('[data-testid=clock-mode]')?.textContent || '';
                const pic = c?.querySelector('[data-testid=clock-picture]')?.textContent || '';
                const wall = c?.querySelector('[data-testid=clock-wall]')?.textContent || '';
                const ms = Number(c?.dataset.pictureMs || 0);
                if (c?.dataset.mode !== 'simulation' || !ms) return false;
                const hms = new Date(ms).toISOString().slice(11, 19);
                // The picture's clock is the newest report's time: never behind what the page holds.
                if (ms < window.varde.store.newest - 60000) return false;
                return `${mode} | ${pic} | ${wall} | ${hms}`;
            }"#,
            Value::Null,
            "the clock never showed a simulation with a picture time",
        )
        .await?;
    let t = text(&r);
    let parts: Vec<&str> = t.split(" | ").collect();
    let [mode, pic, wall, hms] = parts[..] else {
        return Err(format!("clock text {t:?}"));
    };
    if mode != "simulation ×20" {
        return Err(format!(
            "mode {mode:?}, want \"simulation ×20\" (the demo's speed)"
        ));
    }
    if !pic.starts_with("picture ") || !pic.contains(&format!("{hms}Z")) {
        return Err(format!("picture clock {pic:?} does not show {hms}Z"));
    }
    if !wall.starts_with("wall ") || !wall.ends_with('Z') {
        return Err(format!("wall clock {wall:?}"));
    }
    Ok(t)
}

async fn labels(p: &mut Page) -> Check {
    let r = p
        .until(
            r#"() => {
                const v = [...window.varde.store.values()].find(v => v.name && v.lat != null && v.sog > 1);
                if (!v) return false;
                const map = window.varde.map;
                if (map.getZoom() < 11 || !map.getBounds().pad(-0.3).contains([v.lat, v.lon])) {
                  map.setView([v.lat, v.lon], 11, { animate: false });
                  return false;
                }
                const n = Number(document.querySelector('[data-testid=vessel-canvas]')?.dataset.labels || 0);
                return n > 0 && n === window.varde.labelCount() && `${n} names drawn at zoom ${map.getZoom()} (around ${v.name})`;
            }"#,
            Value::Null,
            "no vessel name was drawn at close zoom",
        )
        .await?;
    // And none at the overview.
    p.eval(
        "() => { window.varde.map.setView([65, 12], 5, { animate: false }); }",
        Value::Null,
    )
    .await?;
    p.until(
        "() => document.querySelector('[data-testid=vessel-canvas]')?.dataset.labels === '0'",
        Value::Null,
        "names were still drawn at the overview zoom",
    )
    .await?;
    p.eval(
        r#"() => { const v = [...window.varde.store.values()].find(v => v.name && v.lat != null && v.sog > 1);
                  window.varde.map.setView([v.lat, v.lon], 11, { animate: false }); }"#,
        Value::Null,
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let shot = p.screenshot("-legible-labels").await?;
    Ok(format!("{}; none at zoom 5; {}", text(&r), shot.display()))
}

/// Great-circle distance on the mean sphere, metres: the expected answer, computed here.
fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().asin()
}

async fn measure(p: &mut Page) -> Check {
    // Inland Norway: no vessel or alert marker takes the clicks.
    let (a, b) = ((61.0, 9.0), (62.0, 10.0));
    p.eval(
        "() => { window.varde.map.fitBounds([[60.6, 8.4], [62.4, 10.6]], { animate: false }); }",
        Value::Null,
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let toggle = p
        .eval(
            "() => { const b = document.querySelector('[data-testid=measure-toggle]').getBoundingClientRect(); \
             return [b.left + b.width / 2, b.top + b.height / 2]; }",
            Value::Null,
        )
        .await?;
    p.click_at(
        toggle[0].as_f64().unwrap_or(0.0),
        toggle[1].as_f64().unwrap_or(0.0),
    )
    .await?;
    let mut clicked = Vec::new();
    for (lat, lon) in [a, b] {
        let at = p
            .eval(
                "([lat, lon]) => { const m = window.varde.map, q = m.latLngToContainerPoint([lat, lon]); \
                 const r = m.getContainer().getBoundingClientRect(); \
                 return [Math.round(q.x + r.left), Math.round(q.y + r.top)]; }",
                json!([lat, lon]),
            )
            .await?;
        let (x, y) = (at[0].as_f64().unwrap_or(0.0), at[1].as_f64().unwrap_or(0.0));
        p.click_at(x, y).await?;
        clicked.push((x, y));
    }
    let r = p
        .until(
            "() => { const e = document.querySelector('[data-testid=measure-result]'); \
             return e && !e.hidden && e.dataset.metres && [Number(e.dataset.metres), e.textContent]; }",
            Value::Null,
            "the distance tool showed no distance after two clicks",
        )
        .await?;
    let got = r[0].as_f64().unwrap_or(f64::NAN);
    let shown = text(&r[1]);
    let want = haversine_m(a, b);
    // A click lands on a whole pixel: at this zoom about 0.5 km, so allow 1 %.
    if (got - want).abs() > want * 0.01 {
        return Err(format!(
            "measured {got} m ({shown}), want {want:.0} m ± 1 % between {a:?} and {b:?}"
        ));
    }
    let (nm, km) = (want / 1852.0, want / 1000.0);
    let nums: Vec<f64> = shown
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|s| s.parse().ok())
        .collect();
    if nums.len() < 2 || (nums[0] - nm).abs() > nm * 0.01 || (nums[1] - km).abs() > km * 0.01 {
        return Err(format!(
            "shown {shown:?}, want about {nm:.1} nm and {km:.1} km"
        ));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let shot = p.screenshot("-legible-measure").await?;
    // Esc ends the tool: the next checks click the map again.
    p.eval(
        "() => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))",
        Value::Null,
    )
    .await?;
    let off = p
        .eval("() => window.varde.measure.active()", Value::Null)
        .await?;
    if off != Value::Bool(false) {
        return Err("Esc did not end the distance tool".into());
    }
    Ok(format!(
        "clicked {clicked:?}: {shown} (expected {want:.0} m); {}",
        shot.display()
    ))
}
