#!/usr/bin/env node
// Stand-in for `varde serve` until the real server exists: serves web/dist at / and the HTTP API the
// page uses, with fixture data, and checks the bearer token the same way the real server must.
// Plain node, no dependencies.
//
//   node tests/browser/mock-server.mjs [--port 8080] [--token demo-token] [--host 127.0.0.1] [--verbose]
//                                      [--zones FILE] [--land FILE] [--infrastructure FILE]
//
// Prints one line `VARDE_URL=http://HOST:PORT/?token=TOKEN` once listening (port 0 = any free port).
// Fixtures: two zone polygons and a few more around Norway (hand-drawn, approximate, NOT legal
// boundaries), schematic infrastructure, land from Natural Earth (fixtures/land.geojson), three
// vessels that move every second on the SSE stream, two alerts with evidence, and a third alert that
// arrives over the stream a few seconds after a client connects.

import http from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, normalize, sep } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = normalize(join(here, '..', '..', 'web', 'dist'));

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const PORT = Number(opt('port', process.env.PORT || 8080));
const HOST = opt('host', '127.0.0.1');
const TOKEN = opt('token', process.env.VARDE_TOKEN || 'demo-token');
const VERBOSE = args.includes('--verbose');

// Content-Security-Policy the real server should send too: the page needs nothing else.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// ------------------------------------------------------------------------------------------ fixtures

const T0 = Date.now();
const iso = ms => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

const poly = (coords) => ({ type: 'Polygon', coordinates: [[...coords, coords[0]]] });
const zones = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'eez-mainland', name: "Norway's exclusive economic zone (mainland, fixture)", kind: 'eez' },
      geometry: poly([[4.0, 57.9], [2.5, 58.5], [1.8, 61.0], [-0.5, 63.5], [3.0, 66.0], [8.0, 69.5], [14.0, 72.5], [25.0, 73.5], [32.5, 73.5], [31.5, 70.5], [30.5, 69.8], [25.0, 71.0], [18.0, 70.0], [12.5, 67.5], [9.5, 63.8], [4.8, 61.0], [4.6, 59.0], [7.0, 57.8]]) },
    { type: 'Feature', properties: { id: 'svalbard-fpz', name: 'Fisheries protection zone around Svalbard (fixture)', kind: 'svalbard_fpz' },
      geometry: poly([[3.0, 75.0], [20.0, 72.5], [35.0, 73.5], [36.5, 78.0], [35.0, 81.5], [10.0, 82.0], [1.0, 80.0]]) },
    { type: 'Feature', properties: { id: 'ts-west', name: "Norway's territorial sea (mainland, fixture)", kind: 'territorial_sea' },
      geometry: poly([[4.7, 58.9], [4.4, 60.2], [4.5, 61.2], [4.7, 62.0], [5.8, 62.9], [8.0, 63.7], [10.5, 65.3], [12.0, 66.9], [13.5, 68.0], [15.5, 69.2], [17.5, 70.1], [18.8, 70.35], [19.4, 70.0], [16.0, 68.7], [13.9, 67.3], [12.6, 66.2], [10.7, 64.6], [8.3, 63.3], [6.0, 62.4], [5.0, 61.3], [5.0, 60.0], [5.4, 59.0]]) },
    { type: 'Feature', properties: { id: 'iw-vestfjorden', name: 'Internal waters: Vestfjorden (fixture)', kind: 'internal_waters' },
      geometry: poly([[13.0, 67.85], [15.3, 68.35], [15.9, 68.1], [14.9, 67.5], [14.2, 67.2]]) },
  ],
};
const infrastructure = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'Langeled (schematic)', kind: 'pipeline' },
      geometry: { type: 'LineString', coordinates: [[6.94, 62.84], [5.2, 62.0], [3.6, 60.8], [2.5, 58.4], [1.9, 56.5]] } },
    { type: 'Feature', properties: { name: 'Europipe II (schematic)', kind: 'pipeline' },
      geometry: { type: 'LineString', coordinates: [[5.63, 59.33], [4.6, 58.7], [4.8, 57.2], [6.2, 55.5]] } },
    { type: 'Feature', properties: { name: 'Svalbard fibre cable (schematic)', kind: 'cable' },
      geometry: { type: 'LineString', coordinates: [[16.1, 69.3], [15.5, 71.0], [14.5, 74.5], [15.4, 78.2]] } },
    { type: 'Feature', properties: { name: 'NorNed (schematic)', kind: 'power_cable' },
      geometry: { type: 'LineString', coordinates: [[6.6, 58.2], [6.5, 57.3], [6.0, 55.5]] } },
    { type: 'Feature', properties: { name: 'Troll A (schematic)', kind: 'platform' },
      geometry: { type: 'Point', coordinates: [3.72, 60.64] } },
    { type: 'Feature', properties: { name: 'Goliat FPSO (schematic)', kind: 'platform' },
      geometry: { type: 'Point', coordinates: [22.25, 71.3] } },
  ],
};
const land = readFileSync(join(here, 'fixtures', 'land.geojson'));
// --zones FILE, --land FILE, --infrastructure FILE serve a real GeoJSON file instead of the fixture
// (e.g. --infrastructure data/geo/demo_infrastructure_schematic.geojson), to look at real layers.
const override = name => (opt(name, null) ? readFileSync(opt(name, null)) : null);
const layerFiles = { zones: override('zones'), land: override('land'), infrastructure: override('infrastructure') };

const layerList = [
  { id: 'zones', name: "Norway's maritime zones", kind: 'zones' },
  { id: 'land', name: 'Land', kind: 'land' },
  { id: 'infrastructure', name: 'Critical infrastructure', kind: 'infrastructure' },
  // Markup canary: names reach the page from data, and the page must show them as text only.
  { id: 'ports', name: 'Ports <img src="canary-layer-name.png">', kind: 'ports' },
];
const ports = { type: 'FeatureCollection', features: [
  { type: 'Feature', properties: { name: 'Bergen <img src="canary-feature-name.png">', kind: 'port' }, geometry: { type: 'Point', coordinates: [5.32, 60.4] } },
] };

// Three vessels on closed loops (ellipses), one lap per `period` seconds of wall time: a time lapse,
// so that they move measurably between two reads a second apart.
const vessels = [
  { mmsi: 257123000, name: 'NORNE', callsign: 'LABC', imo: 9123456, flag: 'NO', ship_type: 70, ship_type_text: 'Cargo',
    length_m: 118, beam_m: 18, draught_m: 6.4, destination: 'BERGEN', c: [61.0, 3.9], r: [0.35, 0.8], period: 3600 },
  { mmsi: 273123000, name: 'KAPITAN PETROV', callsign: 'UBXY7', imo: 9234567, flag: 'RU', ship_type: 30, ship_type_text: 'Fishing',
    length_m: 64, beam_m: 13, draught_m: 5.1, destination: 'MURMANSK', c: [70.45, 18.6], r: [0.25, 1.0], period: 2700 },
  { mmsi: 232004321, name: 'NORTH SEA TRADER', callsign: 'MABC4', imo: 9345678, flag: 'GB', ship_type: 80, ship_type_text: 'Tanker',
    length_m: 183, beam_m: 32, draught_m: 11.2, destination: 'MONGSTAD', c: [60.2, 3.1], r: [0.3, 0.7], period: 3000 },
];
function positionAt(v, ms) {
  const a = 2 * Math.PI * ((ms - T0) / 1000) / v.period;
  const lat = v.c[0] + v.r[0] * Math.sin(a);
  const lon = v.c[1] + v.r[1] * Math.cos(a);
  // Velocity direction, corrected for the shrinking length of a degree of longitude.
  const dLat = v.r[0] * Math.cos(a), dLon = -v.r[1] * Math.sin(a) * Math.cos(lat * Math.PI / 180);
  const cog = ((Math.atan2(dLon, dLat) * 180 / Math.PI) + 360) % 360;
  const speedDegPerS = 2 * Math.PI / v.period * Math.hypot(dLat, dLon);
  const sog = Math.min(102.2, speedDegPerS * 60 * 3600 / 12); // knots (1° of latitude = 60 nm), time lapse slowed to look plausible
  return { lat: +lat.toFixed(6), lon: +lon.toFixed(6), cog: +cog.toFixed(1), sog: +sog.toFixed(1), heading: Math.round(cog) % 360 };
}
function vesselRecord(v, ms = Date.now(), full = false) {
  const p = positionAt(v, ms);
  const r = { mmsi: v.mmsi, name: v.name, callsign: v.callsign, imo: v.imo, flag: v.flag, ship_type: v.ship_type,
    ship_type_text: v.ship_type_text, lat: p.lat, lon: p.lon, sog: p.sog, cog: p.cog, heading: p.heading,
    nav_status: v.ship_type === 30 ? 7 : 0, last_seen: iso(ms) };
  if (full) Object.assign(r, { length_m: v.length_m, beam_m: v.beam_m, draught_m: v.draught_m, destination: v.destination });
  return r;
}

// Evidence lines are real, checksummed AIVDM type 1 position reports (with NMEA 4.0 tag blocks) that
// decode to the alert's vessel and position, so a decoder can be pointed at them too.
function aisType1(mmsi, lat, lon, sog, cog, heading, second) {
  const fields = [[1, 6], [0, 2], [mmsi, 30], [0, 4], [-128, 8], [Math.round(sog * 10), 10], [1, 1],
    [Math.round(lon * 600000), 28], [Math.round(lat * 600000), 27], [Math.round(cog * 10), 12], [heading, 9],
    [second, 6], [0, 2], [0, 3], [0, 1], [0, 19]];
  let bits = '';
  for (const [v, n] of fields) bits += (BigInt.asUintN(n, BigInt(v))).toString(2).padStart(n, '0');
  let payload = '';
  for (let i = 0; i < bits.length; i += 6) {
    const v = parseInt(bits.slice(i, i + 6), 2);
    payload += String.fromCharCode(v < 40 ? v + 48 : v + 56);
  }
  return payload;
}
const xor = s => [...s].reduce((a, c) => a ^ c.charCodeAt(0), 0).toString(16).toUpperCase().padStart(2, '0');
function evidenceLine(station, unixSeconds, channel, payload) {
  const tag = `s:${station},c:${unixSeconds}`;
  const body = `AIVDM,1,1,,${channel},${payload},0`;
  return `\\${tag}*${xor(tag)}\\!${body}*${xor(body)}`;
}
const ev = (station, ms, channel, mmsi, lat, lon, sog, cog) =>
  evidenceLine(station, Math.floor(ms / 1000), channel, aisType1(mmsi, lat, lon, sog, cog, Math.round(cog) % 360, Math.floor(ms / 1000) % 60));

const alerts = [
  { id: '3f2a9c1e0d4b4e8a', kind: 'zone_entry', severity: 'high', mmsi: 273123000, related_mmsi: [],
    vessel: { name: 'KAPITAN PETROV', imo: 9234567, callsign: 'UBXY7', flag: 'RU', ship_type: 30 },
    start: iso(T0 - 25 * 60e3), end: null, lat: 70.05, lon: 18.6,
    zone: "Norway's territorial sea (mainland)", asset: null, // the plain-string form the page also accepts
    summary: 'Russian-flagged fishing vessel KAPITAN PETROV entered Norway\'s territorial sea off Tromsø at 9.8 kn without reporting.',
    evidence: [
      ev(2573345, T0 - 25 * 60e3 - 60e3, 'A', 273123000, 70.08, 18.52, 9.8, 128.4),
      ev(2573345, T0 - 25 * 60e3, 'B', 273123000, 70.05, 18.6, 9.8, 128.9),
      ev(2573345, T0 - 25 * 60e3 + 60e3, 'A', 273123000, 70.02, 18.68, 9.7, 129.3),
    ],
    releasability: ['NOR'] },
  { id: '8b7c6d5e4f3a4b2c', kind: 'infrastructure_loiter', severity: 'medium', mmsi: 232004321, related_mmsi: [],
    vessel: { name: 'NORTH SEA TRADER', imo: 9345678, callsign: 'MABC4', flag: 'GB', ship_type: 80 },
    start: iso(T0 - 3 * 3600e3), end: iso(T0 - 2 * 3600e3 - 12 * 60e3), lat: 60.62, lon: 3.78, zone: null,
    asset: { id: 'troll-a', name: 'Troll A (schematic)', kind: 'platform', distance_m: 2840 }, // varde-watch's object form
    summary: 'Tanker NORTH SEA TRADER loitered below 2 kn within 3 km of Troll A for 48 minutes.',
    evidence: [
      ev(2573105, T0 - 3 * 3600e3, 'B', 232004321, 60.621, 3.779, 1.4, 210.0),
      ev(2573105, T0 - 2 * 3600e3 - 12 * 60e3, 'A', 232004321, 60.624, 3.781, 0.8, 35.5),
    ],
    releasability: ['NOR', 'NATO'] },
];
// Arrives over the stream 4 s after a client connects (a new alert the page has not fetched, as a
// bare Alert), and is closed 8 s after (as varde-watch's AlertEvent wrapper {event, alert}).
const streamT0 = Date.now();
const streamedAlert = () => ({
  id: 'c0ffee0011114222', kind: 'ais_gap', severity: 'low', mmsi: 257123000, related_mmsi: [],
  vessel: { name: 'NORNE', imo: 9123456, callsign: 'LABC', flag: 'NO', ship_type: 70 },
  start: iso(streamT0), end: null, lat: 61.2, lon: 5.2,
  zone: { id: 'ts-west', name: "Norway's territorial sea (mainland)", kind: 'territorial_sea' }, asset: null,
  summary: 'NORNE stopped reporting AIS for 14 minutes inside the territorial sea.',
  evidence: [ev(2573200, Date.now() - 14 * 60e3, 'A', 257123000, 61.2, 5.2, 11.9, 15.0)],
  releasability: ['NOR'],
});

const reportsAtStart = 1234;
function sources() {
  return [{ name: 'demo', kind: 'sim', state: 'up', reports: reportsAtStart + Math.floor((Date.now() - T0) / 1000) * vessels.length,
    rejects: 0, last_report: iso(Date.now()) }];
}

function track(v) {
  const now = Date.now(), coords = [], times = [];
  for (let ms = now - 20 * 60e3; ms <= now; ms += 30e3) {
    const p = positionAt(v, ms);
    coords.push([p.lon, p.lat]);
    times.push(iso(ms));
  }
  return { type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: { mmsi: v.mmsi, times } };
}

// ------------------------------------------------------------------------------------------ HTTP

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json' };

function send(res, status, body, type = 'application/json') {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length, 'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer' });
  res.end(buf);
}

function authorised(req, url) {
  const h = req.headers.authorization || '';
  if (h === `Bearer ${TOKEN}`) return true;
  // EventSource cannot set headers: the stream alone accepts ?access_token=.
  return url.pathname === '/api/stream' && url.searchParams.get('access_token') === TOKEN;
}

function serveStatic(res, pathname) {
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
  const file = normalize(join(dist, rel));
  if (!file.startsWith(dist + sep)) return send(res, 404, { error: 'not found' });
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    return send(res, 404, { error: 'not found' });
  }
  const ext = file.slice(file.lastIndexOf('.'));
  return send(res, 200, readFileSync(file), TYPES[ext] || 'application/octet-stream');
}

const clients = new Set();

function stream(req, res) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive',
    'X-Accel-Buffering': 'no' });
  res.write('retry: 2000\n\n');
  const c = { res, alertTimer: null };
  clients.add(c);
  const sendEvent = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const tick = () => {
    const now = Date.now();
    for (const v of vessels) {
      const p = positionAt(v, now);
      sendEvent('position', { mmsi: v.mmsi, lat: p.lat, lon: p.lon, sog: p.sog, cog: p.cog, heading: p.heading, name: v.name, time: iso(now) });
    }
  };
  tick();
  const timer = setInterval(tick, 1000);
  const ping = setInterval(() => res.write(': ping\n\n'), 15000);
  c.alertTimer = setTimeout(() => sendEvent('alert', streamedAlert()), 4000);
  c.closeTimer = setTimeout(() => sendEvent('alert', { event: 'closed', alert: { ...streamedAlert(), end: iso(Date.now()) } }), 8000);
  req.on('close', () => { clearInterval(timer); clearInterval(ping); clearTimeout(c.alertTimer); clearTimeout(c.closeTimer); clients.delete(c); });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname;
  if (VERBOSE) console.error(`${req.method} ${path}${url.search ? url.search.replace(/(access_token|token)=[^&]*/g, '$1=…') : ''}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
  if (path === '/healthz') return send(res, 200, 'ok\n', 'text/plain; charset=utf-8');
  if (!path.startsWith('/api/')) return serveStatic(res, path); // the static shell carries no data
  if (!authorised(req, url)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="varde"');
    return send(res, 401, { error: 'unauthorized' });
  }
  if (path === '/api/layers') return send(res, 200, layerList);
  if (path === '/api/layers/zones') return send(res, 200, layerFiles.zones || zones, 'application/geo+json');
  if (path === '/api/layers/land') return send(res, 200, layerFiles.land || land, 'application/geo+json');
  if (path === '/api/layers/ports') return send(res, 200, ports, 'application/geo+json');
  if (path === '/api/layers/infrastructure') return send(res, 200, layerFiles.infrastructure || infrastructure, 'application/geo+json');
  if (path === '/api/vessels') {
    const bbox = (url.searchParams.get('bbox') || '').split(',').map(Number);
    if (bbox.length !== 4 || bbox.some(n => !Number.isFinite(n))) return send(res, 400, { error: 'bbox=minlon,minlat,maxlon,maxlat required' });
    const [w, s, e, n] = bbox;
    return send(res, 200, vessels.map(v => vesselRecord(v)).filter(r => r.lon >= w && r.lon <= e && r.lat >= s && r.lat <= n));
  }
  let m;
  if ((m = path.match(/^\/api\/vessels\/(\d+)(\/track)?$/))) {
    const v = vessels.find(x => x.mmsi === Number(m[1]));
    if (!v) return send(res, 404, { error: 'unknown vessel' });
    return m[2] ? send(res, 200, track(v), 'application/geo+json') : send(res, 200, vesselRecord(v, Date.now(), true));
  }
  if (path === '/api/alerts') {
    const st = url.searchParams.get('state') || 'open', kind = url.searchParams.get('kind');
    return send(res, 200, alerts.filter(a => (st === 'all' || (st === 'open') === (a.end == null)) && (!kind || a.kind === kind)));
  }
  if (path === '/api/sources') return send(res, 200, sources());
  if (path === '/api/stream') return stream(req, res);
  return send(res, 404, { error: 'not found' });
});

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  console.log(`VARDE_URL=http://${HOST}:${port}/?token=${encodeURIComponent(TOKEN)}`);
});
const stop = () => { for (const c of clients) c.res.end(); server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 500).unref(); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
