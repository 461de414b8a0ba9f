// Varde live map: layers, vessels from the SSE stream, alerts and detail panels.
//
// API consumed (same origin, relative paths):
//   GET api/layers, api/layers/{id}                 layer list and GeoJSON per layer
//   GET api/vessels?bbox=minlon,minlat,maxlon,maxlat vessel records in view (on load and after moves),
//                                                    every page (Link rel=next)
//   GET api/vessels/{mmsi}, api/vessels/{mmsi}/track static data and track of the selected vessel
//   GET api/alerts?state=all                         all alerts (on load and after each stream reconnect)
//   GET api/sources                                  source health (every 10 s)
//   GET api/status                                   picture and wall clocks, live/simulation/replay (clock.js, every 5 s)
//   EventSource api/stream?access_token=…            `position`, `alert` and `lagged` events (lagged: resync)

import * as L from 'leaflet';
import { initToken, client, ApiError } from './api.js';
import { el, fmtTime, fmtDuration, fmtLatLon, num, escapeHtml } from './dom.js';
import { VesselStore } from './store.js';
import { Resync } from './resync.js';
import { VesselLayer } from './vessels.js';
import { Workflow } from './workflow.js';
import { Notifier } from './notify.js';
import { IncidentView } from './incident.js';
import { loadMarks } from './loadmark.js';
import { AlertList } from './alerts_list.js';
import { matches as alertMatches } from './alerts_filter.js';
import { searchBox } from './search.js';
import { arrivalsPanel } from './arrivals.js';
import {
  LAND, REGION_LAND, ZONE, ZONE_FALLBACK, INFRA, INFRA_FALLBACK, SHIP, SEVERITY, NAV_STATUS,
  severityColor, kindLabel, cssToken, shipCategory, lineSwatchCss,
} from './style.js';
import { nauticalScale, measureTool } from './measure.js';
import { startClock } from './clock.js';
import { labelBanner, pageMarking } from './labels-view.js';
import { previewPicker, previewing } from './preview.js';

const MAX_VESSELS = 20000;
const MAX_ALERTS = 5000;
const MAX_ALERT_ROWS = 500;
const ATTRIBUTION = '© OpenStreetMap contributors, © Kartverket, Sodir (NLOD), Kystverket AIS (NLOD), Natural Earth · Leaflet';
const HOME = [[57.8, 1.0], [71.3, 31.0]]; // mainland Norway and its near waters

const $ = id => document.getElementById(id);
const token = initToken();
const api = client(token);
const workflow = new Workflow(token, {
  // The row's fingerprint reads the alert's own `workflow`: keep it current so the row redraws.
  onChange: id => {
    const a = state.alerts.get(id), wf = workflow.summaries.get(id);
    if (a && wf) a.workflow = { ...a.workflow, ...wf };
    alertsChanged();
  },
});
const notifier = new Notifier({ kindLabel, onOpen: id => openAlert(id, { pan: true }) });

const state = {
  layers: {},            // id -> { name, kind, features, leaflet }
  alerts: new Map(),     // id -> Alert
  alertFilter: 'all',
  selected: null,        // { type: 'vessel', mmsi } | { type: 'alert', id }
  stream: 'connecting',
  events: { position: 0, alert: 0, lagged: 0 },
  authFailed: false,
};

// ---------------------------------------------------------------- map and panes

const map = L.map('map', {
  attributionControl: false,
  zoomSnap: 0.25,
  minZoom: 2,
  maxZoom: 15,
  worldCopyJump: false,
  preferCanvas: false,
});
map.fitBounds(HOME);
for (const [name, z] of [['land', 250], ['zones', 300], ['infra', 350], ['track', 420], ['alerts', 430], ['vessels', 440]]) {
  map.createPane(name).style.zIndex = String(z);
}
map.getPane('track').style.pointerEvents = 'none';
map.getPane('vessels').style.pointerEvents = 'none';

const renderers = {
  land: L.canvas({ pane: 'land', padding: 0.3 }),
  zones: L.svg({ pane: 'zones', padding: 0.3 }),
  infra: L.svg({ pane: 'infra', padding: 0.3 }),
  infraPoints: L.canvas({ pane: 'infra', padding: 0.3 }),
  track: L.svg({ pane: 'track', padding: 0.3 }),
  alerts: L.svg({ pane: 'alerts', padding: 0.3 }),
};

const attribution = L.control.attribution({ prefix: false, position: 'bottomright' }).addTo(map);
attribution.addAttribution(ATTRIBUTION);
attribution.getContainer().setAttribute('data-testid', 'attribution');
nauticalScale().addTo(map);
const measure = measureTool().addTo(map);
const layerControl = L.control.layers(null, null, { collapsed: true, position: 'topright' }).addTo(map);

const store = new VesselStore(MAX_VESSELS);
const vesselLayer = new VesselLayer(store, { pane: 'vessels' }).addTo(map);
layerControl.addOverlay(vesselLayer, 'Vessels');
const alertGroup = L.layerGroup().addTo(map);
layerControl.addOverlay(alertGroup, 'Alerts');
const trackGroup = L.layerGroup().addTo(map);
const incident = new IncidentView({ map, api, renderer: renderers.track, layers: state.layers, store, openVessel: (m, o) => openVessel(m, o), reportError });
const loadMark = loadMarks(vesselLayer, store);

// ---------------------------------------------------------------- auth and errors

function authError(msg) {
  state.authFailed = true;
  const b = $('auth-error');
  b.textContent = msg;
  b.hidden = false;
}

function reportError(what, err) {
  if (err instanceof ApiError && err.status === 403 && previewing()) return; // not the partner's
  if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
    authError('Not authorised: open the URL printed by `varde serve` / the demo (it ends in ?token=…).');
  } else {
    console.warn(`varde: ${what} failed:`, err);
  }
}

// ---------------------------------------------------------------- static layers

function zoneStyle(f) {
  const z = ZONE[f.properties?.kind] || ZONE_FALLBACK;
  return {
    renderer: renderers.zones, color: z.color, weight: z.weight, dashArray: z.dashArray || null,
    fillColor: z.color, fillOpacity: z.fillOpacity, opacity: 0.9, interactive: false,
    className: `varde-zone varde-zone-${cssToken(f.properties?.kind)}`,
  };
}

function infraStyle(f) {
  const s = INFRA[f.properties?.kind] || INFRA_FALLBACK;
  return {
    renderer: renderers.infra, color: s.color, weight: s.weight || 2, dashArray: s.dashArray || null,
    opacity: 0.95, fill: !!s.fillOpacity, fillColor: s.color, fillOpacity: s.fillOpacity || 0,
    className: `varde-infra varde-infra-${cssToken(f.properties?.kind)}`,
  };
}

// Points go to a canvas when a layer has many (Sodir lists thousands of subsea structures).
const infraPoint = renderer => (f, latlng) => {
  const s = INFRA[f.properties?.kind] || INFRA_FALLBACK;
  return L.circleMarker(latlng, {
    renderer, radius: 4, color: '#ffffff', weight: 1.5, fillColor: s.color, fillOpacity: 1,
    className: `varde-infra varde-infra-${cssToken(f.properties?.kind)}`,
  });
};

function featureLabel(f) {
  const p = f.properties || {};
  const kind = INFRA[p.kind]?.label || ZONE[p.kind]?.label || kindLabel(p.kind);
  return `${p.name || kind}${p.name && p.kind ? ` (${kind})` : ''}`;
}

const featuresOf = gj => (Array.isArray(gj?.features) ? gj.features.slice() : gj?.type === 'Feature' ? [gj] : []);

function makeLayer(meta, geojson) {
  const features = featuresOf(geojson);
  if (meta.kind === 'region_land') {
    return L.geoJSON({ type: 'FeatureCollection', features }, { style: () => ({ ...REGION_LAND, renderer: renderers.land, className: 'varde-region-land' }) });
  }
  if (meta.kind === 'land') {
    return L.geoJSON({ type: 'FeatureCollection', features }, { style: () => ({ ...LAND, renderer: renderers.land }) });
  }
  if (meta.kind === 'zones') {
    const rank = f => (ZONE[f.properties?.kind] || ZONE_FALLBACK).rank;
    features.sort((a, b) => rank(a) - rank(b));
    return L.geoJSON({ type: 'FeatureCollection', features }, { style: zoneStyle });
  }
  // infrastructure and any other kind of layer (ports, user overlays …)
  const points = features.filter(f => f.geometry?.type === 'Point').length;
  return L.geoJSON({ type: 'FeatureCollection', features }, {
    style: infraStyle,
    pointToLayer: infraPoint(points > 1000 ? renderers.infraPoints : renderers.infra),
    // Leaflet would parse a string as HTML: hand it a text-only element.
    onEachFeature: (f, layer) => layer.bindTooltip(() => el('span', { text: featureLabel(f) }), { sticky: true, direction: 'top' }),
  });
}

async function loadLayers() {
  let list;
  try { list = await api.get('api/layers'); } catch (e) { reportError('layer list', e); return; }
  if (!Array.isArray(list)) return;
  // Land first, then zones, then everything else, whatever order the server lists them in.
  const order = { region_land: -1, land: 0, zones: 1 };
  list.sort((a, b) => (order[a.kind] ?? 2) - (order[b.kind] ?? 2));
  for (const meta of list) state.layers[meta.id] = { name: meta.name, kind: meta.kind, features: null };
  const loaded = await Promise.all(list.map(meta => api.get(`api/layers/${encodeURIComponent(meta.id)}`)
    .then(gj => ({ meta, gj }), e => { reportError(`layer ${meta.id}`, e); return null; })));
  for (const item of loaded) {
    if (!item) continue;
    const { meta, gj } = item;
    const layer = makeLayer(meta, gj).addTo(map);
    state.layers[meta.id] = { name: meta.name, kind: meta.kind, features: featuresOf(gj).length, leaflet: layer };
    layerControl.addOverlay(layer, escapeHtml(meta.name || meta.id));
    if (meta.attribution) attribution.addAttribution(escapeHtml(meta.attribution));
  }
  buildLegend();
  document.body.dataset.layers = 'loaded';
}

// ---------------------------------------------------------------- legend

const legend = L.control({ position: 'topleft' });
legend.onAdd = () => {
  const c = el('div', { class: 'legend leaflet-control', testid: 'legend' });
  L.DomEvent.disableClickPropagation(c);
  L.DomEvent.disableScrollPropagation(c);
  return c;
};
legend.addTo(map);

// Open by default only where it leaves enough of the map free.
let legendOpen = map.getSize().y >= 700 && map.getSize().x >= 900;
function buildLegend() {
  const present = new Set();
  for (const l of Object.values(state.layers)) {
    l.leaflet?.eachLayer(x => present.add(`${l.kind}:${x.feature?.properties?.kind}`));
  }
  const zoneKinds = Object.keys(ZONE).filter(k => present.has(`zones:${k}`));
  const infraKinds = Object.keys(INFRA).filter(k => [...present].some(p => p.endsWith(`:${k}`) && !p.startsWith('zones:')));
  const swatch = (s, line) => el('span', {
    class: line ? 'sw line' : 'sw',
    style: line
      ? lineSwatchCss(s)
      : `background: ${s.color}; opacity: ${s.point ? 1 : 0.75}${s.point ? '; border-radius: 50%; width: 10px; margin: 0 2px' : ''}`,
  });
  const c = legend.getContainer();
  c.replaceChildren(el('details', { open: legendOpen, ontoggle: e => { legendOpen = e.target.open; } },
    el('summary', { text: 'Legend' }),
    zoneKinds.length ? el('div', { class: 'lg-group' }, el('h3', { text: 'Zones' }),
      zoneKinds.map(k => el('div', { class: 'lg-row' }, swatch(ZONE[k]), ZONE[k].label))) : null,
    infraKinds.length ? el('div', { class: 'lg-group' }, el('h3', { text: 'Infrastructure' }),
      infraKinds.map(k => el('div', { class: 'lg-row' }, swatch(INFRA[k], !INFRA[k].point && !INFRA[k].fillOpacity), INFRA[k].label))) : null,
    el('div', { class: 'lg-group' }, el('h3', { text: 'Vessels' }),
      Object.values(SHIP).map(s => el('div', { class: 'lg-row' }, el('span', { class: 'sw arrow', style: `color: ${s.color}`, text: '▲' }), s.label)),
      el('div', { class: 'lg-row' }, el('span', { class: 'sw arrow', style: 'color: #9e9e9e; opacity: 0.4', text: '▲' }), 'faded: silent > 30 min'),
      el('div', { class: 'lg-row' }, el('span', { class: 'sw arrow', style: 'color: #9e9e9e', text: '●' }), 'dot: no heading / course')),
    el('div', { class: 'lg-group' }, el('h3', { text: 'Alerts' }),
      el('div', { class: 'lg-row' }, Object.keys(SEVERITY).map(k => el('span', { class: 'sev-chip', style: `background: ${SEVERITY[k]}`, text: k }))))));
}
buildLegend();

// ---------------------------------------------------------------- vessels

function updateVesselCount() {
  const n = store.size;
  $('vessel-count').textContent = `${n.toLocaleString('en')} vessel${n === 1 ? '' : 's'} · ${vesselLayer.drawnCount().toLocaleString('en')} in view`;
  $('vessel-count').dataset.count = String(n);
}
vesselLayer.on('drawn', updateVesselCount);

let fetchedBox = null;
async function loadVesselsInView() {
  const b = map.getBounds().pad(0.2);
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const box = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
    .map(v => Math.round(v * 1e4) / 1e4);
  if (fetchedBox && box[0] >= fetchedBox[0] && box[1] >= fetchedBox[1] && box[2] <= fetchedBox[2] && box[3] <= fetchedBox[3]) return;
  try {
    // The list pages: follow every page (up to what the store keeps), drawing as they arrive.
    await api.getPages(`api/vessels?bbox=${box.join(',')}`, (page) => {
      for (const v of page) store.record(v);
      vesselLayer.dataChanged();
      loadMark.firstPage();
    }, store.cap);
    fetchedBox = box;
    loadMark.allPages();
  } catch (e) { reportError('vessels', e); }
}
let moveTimer = 0;
map.on('moveend', () => { clearTimeout(moveTimer); moveTimer = setTimeout(loadVesselsInView, 400); });

function dl(rows) {
  return el('dl', { class: 'kv' }, rows.filter(Boolean).map(([k, v, testid]) => [el('dt', { text: k }), el('dd', { text: v ?? '—', testid })]));
}

function closeDetail() {
  state.selected = null;
  $('detail').hidden = true;
  $('detail').replaceChildren();
  trackGroup.clearLayers();
  incident.clear();
  track = null;
  vesselLayer.setSelected(null);
  renderAlertMarkers();
  document.querySelectorAll('.alert-list li.sel').forEach(li => li.classList.remove('sel'));
}

function detailHeader(title, sub, testid) {
  return el('div', { class: 'detail-head' },
    el('div', {}, el('h2', { text: title, testid }), sub ? el('div', { class: 'sub', text: sub }) : null),
    el('button', { type: 'button', class: 'close', title: 'Close', 'aria-label': 'Close', onclick: closeDetail, text: '×' }));
}

let track = null; // { mmsi, line, halo, points, first, last, info }
const trackInfo = t => (t.points ? `${t.points} points, ${fmtTime(t.first)} → ${fmtTime(t.last)}` : 'no positions');

function renderVesselPanel(mmsi) {
  const v = store.get(mmsi) || { mmsi };
  const cat = SHIP[shipCategory(v.ship_type)];
  const type = v.ship_type_text || (v.ship_type != null ? `${cat.label} (${v.ship_type})` : null);
  const dims = v.length_m != null || v.beam_m != null ? `${num(v.length_m, 0, ' m')} × ${num(v.beam_m, 0, ' m')}` : null;
  const nav = v.nav_status != null ? (NAV_STATUS[v.nav_status] || String(v.nav_status)) : null;
  const alerts = [...state.alerts.values()]
    .filter(a => !a._retracted && (Number(a.mmsi) === mmsi || (Array.isArray(a.related_mmsi) && a.related_mmsi.map(Number).includes(mmsi))))
    .sort(byStartDesc);
  const panel = el('div', { class: 'vessel-panel', testid: 'vessel-panel', dataset: { mmsi: String(mmsi) } },
    detailHeader(v.name || `MMSI ${mmsi}`, type || 'Vessel', 'vessel-name'),
    labelBanner(v.label),
    dl([
      ['MMSI', String(mmsi), 'vessel-mmsi'],
      ['IMO', v.imo ? String(v.imo) : null],
      ['Call sign', v.callsign],
      ['Flag', v.flag],
      ['Type', type],
      ['Size', dims],
      ['Draught', v.draught_m != null ? num(v.draught_m, 1, ' m') : null],
      ['Destination', v.destination],
      ['Nav status', nav],
      ['Position', fmtLatLon(v.lat, v.lon), 'vessel-position'],
      ['Speed', num(v.sog, 1, ' kn')],
      ['Course', num(v.cog, 1, '°')],
      ['Heading', v.heading != null && v.heading !== 511 ? `${v.heading}°` : null],
      ['Last seen', fmtTime(v.last_seen), 'vessel-last-seen'],
      ['Track', track?.mmsi === mmsi ? track.info : 'loading…', 'vessel-track-info'],
    ]),
    alerts.length ? el('div', { class: 'related' }, el('h3', { text: `Alerts (${alerts.length})` }),
      el('ul', {}, alerts.slice(0, 20).map(a => el('li', {},
        el('a', { href: '#', onclick: e => { e.preventDefault(); openAlert(a.id); } }, `${kindLabel(a.kind)} · ${fmtTime(a.start)}`))))) : null,
    incident.vesselElement(mmsi));
  $('detail').replaceChildren(panel);
  $('detail').hidden = false;
}

async function openVessel(mmsi, { pan = false, zoom = false } = {}) {
  mmsi = Number(mmsi);
  state.selected = { type: 'vessel', mmsi };
  vesselLayer.setSelected(mmsi);
  trackGroup.clearLayers();
  incident.clear();
  track = { mmsi, line: null, points: 0, info: 'loading…' };
  renderVesselPanel(mmsi);
  const v = store.get(mmsi);
  if (pan && v?.lat != null) map.panTo([v.lat, v.lon]);
  const [details, tr] = await Promise.allSettled([
    api.get(`api/vessels/${mmsi}`),
    api.get(`api/vessels/${mmsi}/track`),
  ]);
  if (state.selected?.type !== 'vessel' || state.selected.mmsi !== mmsi) return;
  if (details.status === 'fulfilled' && details.value) store.record(details.value);
  else if (details.status === 'rejected') reportError('vessel details', details.reason);
  if (tr.status === 'fulfilled' && tr.value?.geometry?.type === 'LineString') {
    const coords = tr.value.geometry.coordinates || [];
    const times = tr.value.properties?.times || [];
    const latlngs = coords.map(([lon, lat]) => [lat, lon]);
    const line = L.polyline(latlngs, { renderer: renderers.track, color: '#e0119d', weight: 3, opacity: 0.95, className: 'varde-track', interactive: false });
    const halo = L.polyline(latlngs, { renderer: renderers.track, color: '#ffffff', weight: 6, opacity: 0.7, interactive: false });
    trackGroup.addLayer(halo).addLayer(line);
    if (latlngs.length) {
      trackGroup.addLayer(L.circleMarker(latlngs[0], { renderer: renderers.track, radius: 3.5, color: '#1b1b1b', weight: 1, fillColor: '#e0119d', fillOpacity: 1, interactive: false }));
    }
    track = { mmsi, line, halo, points: latlngs.length, first: times[0], last: times[times.length - 1] };
    track.info = trackInfo(track);
    incident.showVessel(mmsi, tr.value, { zoom });
  } else {
    if (tr.status === 'rejected' && !(tr.reason instanceof ApiError && tr.reason.status === 404)) reportError('track', tr.reason);
    track = { mmsi, line: null, points: 0, info: 'no track' };
  }
  renderVesselPanel(mmsi);
  vesselLayer.redraw();
}

// ---------------------------------------------------------------- alerts

const byStartDesc = (a, b) => (Date.parse(b.start) || 0) - (Date.parse(a.start) || 0);
const isOpen = a => !a._retracted && (a.state ? a.state === 'open' : a.end == null);
// The picture's clock (newest report or alert) for the time filter: a replay filters on its own time.
function pictureNow() {
  let now = store.newest || 0;
  for (const a of state.alerts.values()) now = Math.max(now, Date.parse(a.end || a.start) || 0);
  return now || Date.now();
}
const matchesFilter = (a, now = pictureNow()) => alertMatches(a, alertList.filter(state.alertFilter), now);

// `zone` and `asset` may be a plain name or the engine's object ({id, name, kind[, distance_m]}).
function fmtDistance(m) {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(m < 10000 ? 1 : 0)} km`;
}
function zoneText(z) {
  if (z == null || z === '') return null;
  if (typeof z !== 'object') return String(z);
  const kind = z.kind ? (ZONE[z.kind]?.label || kindLabel(z.kind)) : null;
  return [z.name || z.id, kind && kind !== z.name ? `(${kind})` : null].filter(Boolean).join(' ');
}
function assetText(a) {
  if (a == null || a === '') return null;
  if (typeof a !== 'object') return String(a);
  const kind = a.kind ? (INFRA[a.kind]?.label || kindLabel(a.kind)) : null;
  return `${a.name || a.id || 'asset'}${kind ? ` (${kind})` : ''}${Number.isFinite(a.distance_m) ? `, closest ${fmtDistance(a.distance_m)}` : ''}`;
}

// The stream may carry a bare Alert or the engine's AlertEvent {event: opened|updated|closed|retracted, alert}.
function unwrapAlert(x) {
  if (x && typeof x === 'object' && typeof x.event === 'string' && x.alert && typeof x.alert === 'object') {
    return x.event === 'retracted' ? { ...x.alert, _retracted: true } : x.alert;
  }
  return x;
}

function upsertAlert(a) {
  if (!a || !a.id) return;
  const prev = state.alerts.get(a.id);
  // Stream events carry no workflow: keep what the list or an action said.
  if (prev?.workflow && !a.workflow) a.workflow = prev.workflow;
  state.alerts.set(a.id, a);
  if (!prev && state.alerts.size > MAX_ALERTS) {
    // Drop the oldest closed alerts first, then the oldest of any state.
    const all = [...state.alerts.values()].sort(byStartDesc).reverse();
    const victim = all.find(x => !isOpen(x)) || all[0];
    state.alerts.delete(victim.id);
  }
}

let alertsFrame = 0;
function alertsChanged() {
  if (alertsFrame) return;
  alertsFrame = requestAnimationFrame(() => {
    alertsFrame = 0;
    renderAlertList();
    renderAlertMarkers();
    vesselLayer.setFlagged(new Set([...state.alerts.values()].filter(isOpen).map(a => Number(a.mmsi))));
    if (state.selected?.type === 'alert' && state.alerts.has(state.selected.id)) renderAlertPanel(state.selected.id);
    if (state.selected?.type === 'vessel') renderVesselPanel(state.selected.mmsi);
  });
}

function vesselLabel(a) {
  const name = a.vessel?.name;
  return [name || null, a.mmsi ? `MMSI ${a.mmsi}` : null, a.vessel?.flag || null].filter(Boolean).join(' · ') || 'unknown vessel';
}

function renderAlertList() {
  const all = [...state.alerts.values()].filter(a => !a._retracted);
  const open = all.filter(isOpen).length;
  $('alert-count').textContent = `${open} open / ${all.length}`;
  const selId = state.selected?.type === 'alert' ? state.selected.id : null;
  alertList.update(all, alertList.filter(state.alertFilter), pictureNow(), selId);
}

function alertRow(a) {
  return el('li', {
    testid: 'alert-row', tabindex: '0', role: 'button',
    class: isOpen(a) ? 'open' : 'closed',
    dataset: { alertId: a.id, state: isOpen(a) ? 'open' : 'closed', severity: cssToken(a.severity), kind: a.kind || '' },
    onclick: () => openAlert(a.id, { pan: true }),
    onkeydown: e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openAlert(a.id, { pan: true }); } },
  },
  el('div', { class: 'r1' },
    el('span', { class: 'sev-chip', style: `background: ${severityColor(a.severity)}`, text: a.severity || '?' }),
    el('span', { class: 'kind', text: kindLabel(a.kind) }),
    el('span', { class: `state ${isOpen(a) ? 'open' : 'closed'}`, text: isOpen(a) ? 'open' : 'closed' }),
    workflow.badge(a.id),
    el('time', { datetime: a.start, text: fmtTime(a.start) })),
  el('div', { class: 'r2', text: vesselLabel(a) }),
  a.summary ? el('div', { class: 'r3', text: a.summary }) : null);
}

const alertList = new AlertList({
  list: $('alert-list'), filters: $('alert-filters'), empty: $('alert-empty'), row: alertRow, max: MAX_ALERT_ROWS,
  label: (key, v) => (key === 'kind' ? kindLabel(v) : v), onFilter: () => alertsChanged(),
});

const alertMarkers = new Map(); // id -> circleMarker
function renderAlertMarkers() {
  const selId = state.selected?.type === 'alert' ? state.selected.id : null;
  const keep = new Set();
  const now = pictureNow();
  for (const a of state.alerts.values()) {
    if (!matchesFilter(a, now) || !Number.isFinite(a.lat) || !Number.isFinite(a.lon)) continue;
    keep.add(a.id);
    const open = isOpen(a), sel = a.id === selId;
    const style = {
      renderer: renderers.alerts, radius: sel ? 15 : 11, color: open ? severityColor(a.severity) : '#5c636a',
      weight: sel ? 4 : 2.5, dashArray: open ? null : '4 3', fill: true, fillColor: severityColor(a.severity),
      fillOpacity: open ? 0.18 : 0.04, className: `varde-alert varde-alert-${open ? 'open' : 'closed'}`,
    };
    let m = alertMarkers.get(a.id);
    if (!m) {
      m = L.circleMarker([a.lat, a.lon], style);
      m.on('click', e => {
        // A vessel drawn on top wins: the map click handler opens it.
        if (vesselLayer.hit(e.containerPoint) != null) return;
        L.DomEvent.stop(e.originalEvent);
        openAlert(a.id);
      });
      m.bindTooltip(() => el('span', { text: `${kindLabel(state.alerts.get(a.id)?.kind)} · ${vesselLabel(state.alerts.get(a.id) || a)}` }), { direction: 'top', offset: [0, -10] });
      alertMarkers.set(a.id, m);
      alertGroup.addLayer(m);
    } else {
      m.setLatLng([a.lat, a.lon]);
      m.setStyle(style);
      m.setRadius(style.radius);
    }
    if (sel) m.bringToFront();
  }
  for (const [id, m] of alertMarkers) {
    if (!keep.has(id)) { alertGroup.removeLayer(m); alertMarkers.delete(id); }
  }
}

function renderAlertPanel(id) {
  const a = state.alerts.get(id);
  if (!a) return;
  const open = isOpen(a);
  const evidence = Array.isArray(a.evidence) ? a.evidence : [];
  const panel = el('div', { class: 'alert-panel', testid: 'alert-panel', dataset: { alertId: a.id } },
    detailHeader(kindLabel(a.kind), null, 'alert-kind'),
    labelBanner(a.label),
    el('div', { class: 'chips' },
      el('span', { class: 'sev-chip', style: `background: ${severityColor(a.severity)}`, text: a.severity || '?' }),
      el('span', { class: `state ${open ? 'open' : 'closed'}`, text: a._retracted ? 'retracted' : open ? 'open' : 'closed', testid: 'alert-state' })),
    el('p', { class: 'summary', text: a.summary || '', testid: 'alert-summary' }),
    dl([
      ['Vessel', a.vessel?.name || null],
      ['MMSI', a.mmsi != null ? String(a.mmsi) : null, 'alert-mmsi'],
      a.vessel?.imo ? ['IMO', String(a.vessel.imo)] : null,
      a.vessel?.callsign ? ['Call sign', a.vessel.callsign] : null,
      ['Flag', a.vessel?.flag || null],
      a.vessel?.ship_type != null ? ['Ship type', `${SHIP[shipCategory(a.vessel.ship_type)].label} (${a.vessel.ship_type})`] : null,
      ['Start', fmtTime(a.start), 'alert-start'],
      ['End', open ? 'ongoing' : fmtTime(a.end), 'alert-end'],
      !open && fmtDuration(a.start, a.end) ? ['Duration', fmtDuration(a.start, a.end)] : null,
      zoneText(a.zone) ? ['Zone', zoneText(a.zone), 'alert-zone'] : null,
      assetText(a.asset) ? ['Asset', assetText(a.asset), 'alert-asset'] : null,
      Array.isArray(a.related_mmsi) && a.related_mmsi.length ? ['Other vessels', a.related_mmsi.join(', '), 'alert-related'] : null,
      ['Position', fmtLatLon(a.lat, a.lon)],
      Array.isArray(a.releasability) && a.releasability.length ? ['Releasable to', a.releasability.join(', '), 'alert-releasability'] : null,
    ]),
    a.mmsi != null ? el('button', { type: 'button', class: 'link', testid: 'alert-show-vessel', onclick: () => openVessel(a.mmsi, { pan: true, zoom: true }) }, 'Show vessel and track') : null,
    workflow.section(a.id),
    // The incident part holds the evidence: each raw sentence once, beside its decoded fields.
    incident.alertElement(a) || el('pre', { class: 'evidence', testid: 'alert-evidence', tabindex: '0' }, evidence.join('\n')));
  $('detail').replaceChildren(panel);
  $('detail').hidden = false;
}

function openAlert(id, { pan = false } = {}) {
  const a = state.alerts.get(id);
  if (!a) return;
  state.selected = { type: 'alert', id };
  trackGroup.clearLayers();
  track = null;
  vesselLayer.setSelected(a.mmsi != null ? Number(a.mmsi) : null);
  incident.showAlert(a).catch(e => reportError('incident', e));
  renderAlertPanel(id);
  renderAlertMarkers();
  document.querySelectorAll('.alert-list li').forEach(li => li.classList.toggle('sel', li.dataset.alertId === id));
  if (pan && Number.isFinite(a.lat) && Number.isFinite(a.lon) && !map.getBounds().pad(-0.1).contains([a.lat, a.lon])) {
    map.panTo([a.lat, a.lon]);
  }
}

async function loadAlerts() {
  try {
    const list = await api.get('api/alerts?state=all');
    workflow.noteList(list);
    if (Array.isArray(list)) for (const a of list) upsertAlert(unwrapAlert(a));
    alertsChanged();
  } catch (e) { reportError('alerts', e); }
}

for (const b of document.querySelectorAll('.filter button')) {
  b.addEventListener('click', () => {
    state.alertFilter = b.dataset.state;
    for (const x of document.querySelectorAll('.filter button')) x.classList.toggle('on', x === b);
    alertsChanged();
  });
}

// ---------------------------------------------------------------- map interaction

map.on('click', e => {
  if (measure.active()) return; // the distance tool takes the clicks
  const mmsi = vesselLayer.hit(e.containerPoint);
  if (mmsi != null) openVessel(mmsi);
});

const tip = $('tooltip');
let hoverFrame = 0, hoverPoint = null;
map.on('mousemove', e => {
  hoverPoint = e.containerPoint;
  if (hoverFrame) return;
  hoverFrame = requestAnimationFrame(() => {
    hoverFrame = 0;
    const mmsi = hoverPoint && vesselLayer.hit(hoverPoint);
    map.getContainer().classList.toggle('over-vessel', mmsi != null);
    if (mmsi == null) { tip.hidden = true; return; }
    const v = store.get(mmsi);
    tip.textContent = `${v?.name || 'unnamed'} · ${mmsi}${v?.sog != null ? ` · ${v.sog.toFixed(1)} kn` : ''}`;
    const r = map.getContainer().getBoundingClientRect();
    tip.style.left = `${r.left + hoverPoint.x + 14}px`;
    tip.style.top = `${r.top + hoverPoint.y + 10}px`;
    tip.hidden = false;
  });
});
map.on('mouseout', () => { tip.hidden = true; });
document.addEventListener('keydown', e => { if (e.key === 'Escape' && state.selected) closeDetail(); });

// ---------------------------------------------------------------- live stream

let source = null, everOpened = false, retryTimer = 0;

function setStream(s, text) {
  state.stream = s;
  const e = $('stream-status');
  e.dataset.state = s;
  e.textContent = `stream: ${text || s}`;
}

function onPosition(ev) {
  let p;
  try { p = JSON.parse(ev.data); } catch { return; }
  state.events.position++;
  const v = store.position(p);
  if (!v) return;
  vesselLayer.dataChanged();
  if (state.selected?.type === 'vessel' && state.selected.mmsi === v.mmsi) {
    if (track?.mmsi === v.mmsi && track.line) {
      track.line.addLatLng([v.lat, v.lon]);
      track.halo.addLatLng([v.lat, v.lon]);
      track.points++;
      if (p.time) track.last = p.time;
      track.info = trackInfo(track);
    }
    scheduleSelectedRefresh();
  }
}

let selFrame = 0;
function scheduleSelectedRefresh() {
  if (selFrame) return;
  selFrame = setTimeout(() => {
    selFrame = 0;
    if (state.selected?.type === 'vessel') renderVesselPanel(state.selected.mmsi);
  }, 500);
}

function onAlert(ev) {
  let a;
  try { a = JSON.parse(ev.data); } catch { return; }
  state.events.alert++;
  notifier.onStreamAlert(a, id => state.alerts.has(id));
  upsertAlert(unwrapAlert(a));
  alertsChanged();
}

// `event: lagged`: the server says this page lost events (read too slowly); fetch what was lost.
const resync = new Resync({ vessels: () => { fetchedBox = null; loadVesselsInView(); }, alerts: loadAlerts });
state.lost = resync.lost;
function onLagged(ev) {
  state.events.lagged++;
  resync.lagged(ev.data);
}

function connect() {
  clearTimeout(retryTimer);
  if (source) source.close();
  setStream('connecting', 'connecting…');
  source = new EventSource(api.streamUrl());
  source.addEventListener('position', onPosition);
  source.addEventListener('alert', onAlert);
  source.addEventListener('lagged', onLagged);
  source.addEventListener('open', () => {
    setStream('live');
    if (everOpened) { fetchedBox = null; loadVesselsInView(); loadAlerts(); } // fill the gap
    everOpened = true;
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CONNECTING) { setStream('reconnecting', 'reconnecting…'); return; }
    // CLOSED: the server refused (e.g. 401) or the connection broke for good; find out which.
    setStream('down', 'down, retrying in 5 s');
    api.get('api/sources').then(
      () => { retryTimer = setTimeout(connect, 5000); },
      e => { reportError('stream', e); if (!state.authFailed) retryTimer = setTimeout(connect, 5000); });
  });
}

let lastEvents = 0, lastTick = performance.now();
setInterval(() => {
  const now = performance.now(), n = state.events.position + state.events.alert;
  const rate = (n - lastEvents) / ((now - lastTick) / 1000);
  lastEvents = n; lastTick = now;
  if (state.stream === 'live') setStream('live', `live · ${rate < 10 ? rate.toFixed(1) : Math.round(rate)} msg/s`);
}, 2000);

// ---------------------------------------------------------------- source health

async function loadSources() {
  const e = $('source-status');
  try {
    const list = await api.get('api/sources');
    if (!Array.isArray(list) || !list.length) { e.textContent = 'sources: none'; e.dataset.state = 'none'; return; }
    const worst = list.some(s => s.state !== 'up') ? (list.every(s => s.state !== 'up') ? 'down' : 'degraded') : 'up';
    e.dataset.state = worst;
    e.replaceChildren(el('span', { class: 'dot' }), 'sources: ', ...list.map((s, i) => el('span', { class: `src src-${cssToken(s.state)}`, title: `last report ${fmtTime(s.last_report)}` },
      i ? ' · ' : '', `${s.name} (${s.kind}) ${s.state}, ${Number(s.reports ?? 0).toLocaleString('en')} reports, ${Number(s.rejects ?? 0).toLocaleString('en')} rejects, last ${fmtTime(s.last_report)}`)));
  } catch (err) {
    e.textContent = 'sources: unavailable';
    e.dataset.state = 'unknown';
    reportError('sources', err);
  }
}

// ---------------------------------------------------------------- find and arrivals

// A chosen vessel is selected (highlighted), zoomed to and its panel opened.
function focusVessel(v) {
  const mmsi = Number(v.mmsi);
  if (Number.isFinite(v.lat) && Number.isFinite(v.lon)) {
    store.record(v);
    vesselLayer.dataChanged();
    map.setView([v.lat, v.lon], Math.max(map.getZoom(), 11));
  }
  openVessel(mmsi);
}
$('search-slot').replaceWith(searchBox({ api, onPick: focusVessel, onError: e => reportError('search', e) }));
const arrivals = arrivalsPanel({ api, token, onVessel: focusVessel, onError: e => reportError('arrivals', e) });
$('arrivals-slot').replaceWith(arrivals.section);
$('arrivals-tab-slot').replaceWith(arrivals.toggle);

// ---------------------------------------------------------------- start

// Read-only hook for the browser test (crates/varde/tests/browser.rs) and for debugging; holds no token.
window.varde = {
  map, store, vesselLayer, state,
  drawnPoint: mmsi => vesselLayer.drawnPoint(Number(mmsi)),
  drawnIds: () => vesselLayer.drawnIds(),
  alphaAt: (x, y) => vesselLayer.alphaAt(L.point(x, y)),
  openVessel, openAlert, workflow, notifier, incident, alertList,
  labelCount: () => vesselLayer.labelCount(), measure,
};
notifier.watchList($('alert-list'));
document.querySelector('section.alerts .alerts-head h2').after(notifier.controls());

if (!token) {
  authError('No access token: open the URL printed by `varde serve` / the demo (it ends in ?token=…).');
  setStream('down', 'no token');
} else {
  loadLayers();
  loadVesselsInView();
  loadAlerts();
  loadSources();
  startClock($('clock'), { getStatus: () => api.get('api/status'), newest: () => store.newest });
  setInterval(loadSources, 10000);
  setInterval(loadAlerts, 60000);
  connect();
  pageMarking({ map, vessels: () => store.values(), alerts: () => state.alerts.values(),
    selected: () => (state.selected?.type === 'vessel' ? store.get(state.selected.mmsi)?.label : state.alerts.get(state.selected?.id)?.label) });
  previewPicker({ api, slot: $('preview-slot'), map });
}
