#!/usr/bin/env node
// Real-browser test of the Varde web map: Debian's chromium driven by playwright-core.
//
//   VARDE_URL='http://127.0.0.1:8080/?token=abc' node tests/browser/map.test.mjs
//
// Optional: VARDE_SCREENSHOT (default <repo>/target/browser/map.png), CHROMIUM (default
// /usr/bin/chromium), VARDE_TIMEOUT_MS per step (default 20000).
// Exits 0 when every check passed, 1 with a `FAIL <check>: <reason>` line otherwise, 2 on bad usage.

import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const URL_ = process.env.VARDE_URL;
const SHOT = resolve(process.env.VARDE_SCREENSHOT || join(repo, 'target', 'browser', 'map.png'));
const EXE = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_MS = Number(process.env.VARDE_TIMEOUT_MS || 20000);

if (!URL_) {
  console.error('map.test: set VARDE_URL to the page URL with its token, e.g. VARDE_URL="http://127.0.0.1:8080/?token=abc"');
  process.exit(2);
}
if (!existsSync(EXE)) {
  console.error(`map.test: no browser at ${EXE} (apt-get install -y chromium, or run tests/browser/run.sh)`);
  process.exit(2);
}
const origin = new URL(URL_).origin;

let passed = 0, failed = 0;
const log = (...a) => console.log('map.test:', ...a);

const profile = mkdtempSync(join(tmpdir(), 'varde-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: EXE,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 },
  deviceScaleFactor: 1,
});
const page = context.pages()[0] || await context.newPage();

const external = [], pageErrors = [], consoleErrors = [], failedRequests = [];
page.on('request', r => {
  const u = r.url();
  if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) external.push(u);
});
page.on('pageerror', e => pageErrors.push(String(e?.stack || e)));
page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('requestfailed', r => {
  // An EventSource torn down when the page closes is not a failure.
  if (!r.url().includes('/api/stream')) failedRequests.push(`${r.url().replace(/([?&](access_)?token=)[^&]*/, '$1…')} ${r.failure()?.errorText}`);
});

async function finish(code) {
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  console.log(`map.test: ${passed} passed, ${failed} failed`);
  process.exit(code);
}

async function fail(name, reason) {
  failed++;
  console.error(`FAIL ${name}: ${reason}`);
  if (pageErrors.length) console.error(`  page errors:\n    ${pageErrors.join('\n    ')}`);
  if (consoleErrors.length) console.error(`  console errors:\n    ${consoleErrors.join('\n    ')}`);
  if (failedRequests.length) console.error(`  failed requests:\n    ${failedRequests.join('\n    ')}`);
  try {
    const p = SHOT.replace(/\.png$/, '') + '-failure.png';
    mkdirSync(dirname(p), { recursive: true });
    await page.screenshot({ path: p });
    console.error(`  screenshot of the failure: ${p}`);
  } catch { /* page gone */ }
  await finish(1);
}

async function check(name, fn) {
  try {
    const detail = await fn();
    passed++;
    log(`ok   ${name}${detail ? ` (${detail})` : ''}`);
  } catch (e) {
    await fail(name, e?.message?.split('\n')[0] || String(e));
  }
}

// Polls fn() in the page until it returns a truthy value; returns that value.
async function until(fn, arg, what) {
  try {
    const h = await page.waitForFunction(fn, arg, { timeout: STEP_MS, polling: 200 });
    return await h.jsonValue();
  } catch (e) {
    throw new Error(`${what} (waited ${STEP_MS} ms)`);
  }
}

// ------------------------------------------------------------------------------------------ checks

await check('page loads', async () => {
  const r = await page.goto(URL_, { waitUntil: 'load', timeout: STEP_MS });
  if (!r || !r.ok()) throw new Error(`GET page: HTTP ${r?.status()}`);
  await until(() => !!window.varde && !!document.querySelector('.leaflet-container'), null, 'the map never started (no window.varde)');
  if (new URL(page.url()).searchParams.has('token')) throw new Error('the token is still in the address bar');
  return page.url();
});

await check('token accepted', async () => {
  await page.waitForTimeout(300);
  const msg = await page.$eval('[data-testid=auth-error]', e => (e.hidden ? '' : e.textContent));
  if (msg) throw new Error(`page shows: ${msg}`);
});

await check('land, zones and infrastructure render', async () => {
  return until(() => {
    const drawn = sel => [...document.querySelectorAll(sel)].filter(p => {
      const b = p.getBoundingClientRect();
      return (p.getAttribute('d') || '').length > 8 && b.width > 0 && b.height > 0;
    }).length;
    const zones = drawn('path.varde-zone'), infra = drawn('path.varde-infra');
    const land = Object.values(window.varde.state.layers).filter(l => l.kind === 'land').reduce((n, l) => n + (l.features || 0), 0);
    return zones > 0 && infra > 0 && land > 0 && `${zones} zone paths, ${infra} infrastructure paths, ${land} land features`;
  }, null, 'zones (path.varde-zone), infrastructure (path.varde-infra) or land never rendered');
});

let mover = null;
await check('vessels appear', async () => {
  return until(() => {
    const ids = window.varde.drawnIds();
    const n = Number(document.querySelector('[data-testid=vessel-count]')?.dataset.count || 0);
    if (!ids.length || !n) return false;
    // The vessel drawn must really be on the canvas: the pixel under its centre is painted.
    // And where Leaflet itself would put that position (the layer projects by hand).
    const p = window.varde.drawnPoint(ids[0]);
    const q = window.varde.map.latLngToContainerPoint([p.lat, p.lon]);
    if (Math.hypot(p.x - q.x, p.y - q.y) > 1.5) return `MISPLACED: drawn at ${p.x},${p.y}, Leaflet says ${q.x},${q.y}`;
    return window.varde.alphaAt(p.x, p.y) > 0 && `${n} vessels, ${ids.length} drawn in view`;
  }, null, 'no vessel was drawn').then(r => {
    if (String(r).startsWith('MISPLACED')) throw new Error(r);
    return r;
  }, async e => {
    const n = await page.evaluate(() => window.varde.store.size).catch(() => '?');
    throw new Error(`${e.message}: ${n} vessel(s) known to the page, none painted in the initial view `
      + '(no positions from api/vessels or the stream, or all of them outside the view)');
  });
});

await check('vessels move', async () => {
  const first = await page.evaluate(() => Object.fromEntries(window.varde.drawnIds().map(id => [id, window.varde.drawnPoint(id)])));
  const moved = await until(before => {
    for (const id of window.varde.drawnIds()) {
      const a = before[id], b = window.varde.drawnPoint(id);
      if (a && b && (a.lat !== b.lat || a.lon !== b.lon) && (a.x !== b.x || a.y !== b.y)) {
        return { id, from: a, to: b };
      }
    }
    return false;
  }, first, 'no drawn vessel marker changed position (is the SSE stream sending position events?)');
  mover = moved.id;
  const d = Math.hypot(moved.to.x - moved.from.x, moved.to.y - moved.from.y);
  return `MMSI ${moved.id} moved ${d.toFixed(2)} px, ${moved.from.lat.toFixed(5)},${moved.from.lon.toFixed(5)} → ${moved.to.lat.toFixed(5)},${moved.to.lon.toFixed(5)}`;
});

await check('stream and sources status', async () => {
  return until(() => {
    const s = document.querySelector('[data-testid=stream-status]');
    const src = document.querySelector('[data-testid=source-status]');
    return s?.dataset.state === 'live' && src && /sources: \S/.test(src.textContent) && !/unavailable/.test(src.textContent)
      && `${s.textContent}; ${src.textContent}`;
  }, null, 'stream-status never became live or source-status never showed a source');
});

await check('alert rows listed', async () => {
  const n = await until(() => document.querySelectorAll('[data-testid=alert-row]').length, null, 'no [data-testid=alert-row] appeared');
  return `${n} rows`;
});

await check('click a vessel opens its panel', async () => {
  // Pick a vessel the user could click, preferring the one seen moving.
  const target = await page.evaluate(preferred => {
    const map = window.varde.map, size = map.getSize(), box = map.getContainer().getBoundingClientRect();
    // Clear of the edges, and not under a control (legend, zoom, attribution): what is under the
    // point must be the map itself or one of its panes.
    const ok = p => {
      if (!p || p.x < 40 || p.y < 40 || p.x > size.x - 40 || p.y > size.y - 40) return false;
      const under = document.elementFromPoint(box.left + p.x, box.top + p.y);
      return !!under && (under === map.getContainer() || map.getPane('mapPane').contains(under));
    };
    const ids = window.varde.drawnIds();
    // Unambiguous: no other vessel drawn within 16 px, so the click can only mean this one.
    const pts = ids.map(i => [i, window.varde.drawnPoint(i)]);
    const alone = (id, p) => pts.every(([j, q]) => j === id || !q || Math.hypot(p.x - q.x, p.y - q.y) > 16);
    const id = [preferred, ...ids].find(i => {
      const p = i == null ? null : window.varde.drawnPoint(i);
      return ok(p) && alone(i, p);
    });
    if (id == null) return null;
    const v = window.varde.store.get(id);
    return { mmsi: id, name: v?.name || null };
  }, mover);
  if (!target) throw new Error('no vessel drawn clear of the map edges to click');
  // The ship moves while we aim: read its position right before the click.
  const pt = await page.evaluate(id => window.varde.drawnPoint(id), target.mmsi);
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + pt.x, box.y + pt.y);
  const panel = page.locator('[data-testid=vessel-panel]');
  await panel.waitFor({ state: 'visible', timeout: STEP_MS });
  const mmsi = (await page.locator('[data-testid=vessel-mmsi]').textContent()).trim();
  if (mmsi !== String(target.mmsi)) throw new Error(`panel shows MMSI ${mmsi}, clicked ${target.mmsi}`);
  const text = await panel.textContent();
  if (target.name && !text.includes(target.name)) throw new Error(`panel does not show the name ${target.name}`);
  const trackInfo = await until(() => {
    const t = document.querySelector('[data-testid=vessel-track-info]')?.textContent || '';
    return t && !t.startsWith('loading') && t;
  }, null, 'track info never finished loading');
  if (/points/.test(trackInfo)) {
    const drawn = await page.locator('path.varde-track').count();
    if (!drawn) throw new Error(`track has ${trackInfo} but no path.varde-track was drawn`);
  }
  await page.mouse.move(box.x + box.width - 5, box.y + 5); // no hover tooltip in the picture
  mkdirSync(dirname(SHOT), { recursive: true });
  await page.screenshot({ path: SHOT.replace(/\.png$/, '') + '-vessel.png' });
  return `MMSI ${mmsi}${target.name ? ` ${target.name}` : ''}; track: ${trackInfo}`;
});

await check('click an alert shows its evidence', async () => {
  const rows = page.locator('[data-testid=alert-row]');
  const n = Math.min(await rows.count(), 8);
  let last = '';
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const id = await row.getAttribute('data-alert-id');
    await row.click();
    const panel = page.locator(`[data-testid=alert-panel][data-alert-id="${id}"]`);
    await panel.waitFor({ state: 'visible', timeout: STEP_MS });
    const evidence = await panel.locator('[data-testid=alert-evidence]').textContent();
    const summary = (await panel.locator('[data-testid=alert-summary]').textContent()).trim();
    if (/VDM/.test(evidence)) {
      const lines = evidence.split('\n').filter(Boolean).length;
      return `alert ${id}: "${summary.slice(0, 70)}${summary.length > 70 ? '…' : ''}"; ${lines} evidence line(s)`;
    }
    last = `alert ${id} evidence: ${JSON.stringify(evidence.slice(0, 80))}`;
  }
  throw new Error(`no alert among the first ${n} showed an evidence block with !AIVDM/VDM (${last})`);
});

await check('nothing outside the origin, no page errors', async () => {
  if (external.length) throw new Error(`requests outside ${origin}: ${[...new Set(external)].slice(0, 5).join(', ')}`);
  if (pageErrors.length) throw new Error(`uncaught page errors: ${pageErrors[0]}`);
  // Names come from data (AIS, layer files): none may turn into markup. The page itself creates
  // no <img>, so any there was injected.
  const injected = await page.evaluate(() => [...document.querySelectorAll('img, iframe, object, embed')].map(e => e.outerHTML));
  if (injected.length) throw new Error(`markup from data was rendered as HTML: ${injected[0]}`);
  const csp = consoleErrors.filter(e => /Content Security Policy/i.test(e));
  if (csp.length) throw new Error(`CSP violations: ${csp[0]}`);
  return consoleErrors.length ? `${consoleErrors.length} console error(s): ${consoleErrors[0]}` : '';
});

await check('screenshot', async () => {
  mkdirSync(dirname(SHOT), { recursive: true });
  await page.waitForTimeout(400); // let the panel and the last vessel redraw settle
  await page.screenshot({ path: SHOT });
  return `${SHOT} (and ${SHOT.replace(/\.png$/, '')}-vessel.png)`;
});

await check('reload keeps the session token', async () => {
  await page.reload({ waitUntil: 'load', timeout: STEP_MS });
  await until(() => !!window.varde && document.body.dataset.layers === 'loaded' && window.varde.drawnIds().length > 0,
    null, 'after a reload (token from sessionStorage) layers or vessels did not load');
  const msg = await page.$eval('[data-testid=auth-error]', e => (e.hidden ? '' : e.textContent));
  if (msg) throw new Error(`page shows: ${msg}`);
});

await check('a wrong token is refused', async () => {
  const bad = new URL(URL_);
  bad.searchParams.set('token', 'varde-browser-test-wrong-token');
  const other = await context.newPage(); // a new tab: its own sessionStorage
  try {
    await other.goto(bad.href, { waitUntil: 'load', timeout: STEP_MS });
    await other.waitForFunction(() => !document.querySelector('[data-testid=auth-error]').hidden, null, { timeout: STEP_MS });
    return (await other.textContent('[data-testid=auth-error]')).trim();
  } catch (e) {
    throw new Error('with a wrong token the page never showed [data-testid=auth-error] (does the server check the token?)');
  } finally {
    await other.close();
  }
});

await check('20,000 vessels: capped and drawn fast', async () => {
  // Runs last: floods the page's own store (no server involved) with synthetic positions in view.
  const r = await page.evaluate(() => {
    const { store, vesselLayer, map } = window.varde;
    const b = map.getBounds(), t = new Date().toISOString();
    for (let i = 0; i < 20500; i++) {
      store.position({ mmsi: 900000000 + i, lat: b.getSouth() + Math.random() * (b.getNorth() - b.getSouth()),
        lon: b.getWest() + Math.random() * (b.getEast() - b.getWest()), sog: 10, cog: Math.random() * 360,
        heading: Math.floor(Math.random() * 360), time: t });
    }
    const t0 = performance.now();
    vesselLayer._draw();
    return { size: store.size, cap: store.cap, drawn: vesselLayer.drawnCount(), ms: performance.now() - t0 };
  });
  if (r.size > r.cap) throw new Error(`store holds ${r.size} vessels, over its cap ${r.cap}`);
  if (r.drawn < 19000) throw new Error(`only ${r.drawn} of ${r.size} vessels drawn`);
  if (r.ms > 500) throw new Error(`one redraw of ${r.drawn} vessels took ${r.ms.toFixed(0)} ms`);
  await page.screenshot({ path: SHOT.replace(/\.png$/, '') + '-20k.png' });
  return `${r.size} held (cap ${r.cap}), ${r.drawn} drawn in ${r.ms.toFixed(0)} ms`;
});

await finish(failed ? 1 : 0);
