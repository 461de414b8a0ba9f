// What "the incident" of an alert is on the map, without the map: its time window, the evidence
// fixes, the layer feature of its asset or zone and which part of it to fit. DOM-free (node tests
// in web/test/incident.test.mjs); incident.js draws it.

const MIN = 60000;

// The window of track to show for an alert: from `beforeMs` before its start to `afterMs` after its
// end (an open alert: up to now). Unix ms.
export function incidentWindow(alert, { beforeMs = 30 * MIN, afterMs = 10 * MIN, now = Date.now() } = {}) {
  const start = Date.parse(alert?.start);
  const end = alert?.end ? Date.parse(alert.end) : NaN;
  if (!Number.isFinite(start)) return null;
  return { from: start - beforeMs, to: Number.isFinite(end) ? end + afterMs : Math.max(now, start) + afterMs };
}

// The other vessel of a rendezvous (or any alert naming related vessels): the first related MMSI
// that is not the alert's own.
export function partnerOf(alert) {
  const own = Number(alert?.mmsi);
  const rel = Array.isArray(alert?.related_mmsi) ? alert.related_mmsi.map(Number) : [];
  return rel.find(m => Number.isFinite(m) && m !== own) ?? null;
}

// Decoded evidence rows with a position, numbered from 1 in evidence order, each with a role: for a
// position jump the first is the fix before and the last the fix after; otherwise none.
export function evidenceFixes(decoded, kind) {
  const rows = Array.isArray(decoded) ? decoded : [];
  const fixes = [];
  rows.forEach((r, i) => {
    if (Number.isFinite(r?.lat) && Number.isFinite(r?.lon)) fixes.push({ n: fixes.length + 1, row: i, lat: r.lat, lon: r.lon, time: r.time ?? null, role: null });
  });
  if (kind === 'position_jump' && fixes.length >= 2) {
    fixes[0].role = 'before';
    fixes[fixes.length - 1].role = 'after';
  }
  return fixes;
}

// Whether a layer feature is the asset or zone an alert names ({id, name, kind}): by id (the feature's
// GeoJSON id or `properties.id`), else by name and kind.
export function matchesRef(feature, ref) {
  if (!feature || !ref) return false;
  const p = feature.properties || {};
  const id = ref.id != null ? String(ref.id) : null;
  if (id && (String(feature.id ?? '') === id || String(p.id ?? '') === id)) return true;
  return !!ref.name && p.name === ref.name && (!ref.kind || !p.kind || p.kind === ref.kind);
}

// Every [lon, lat] position of a GeoJSON geometry.
export function positionsOf(g) {
  if (!g) return [];
  switch (g.type) {
    case 'Point': return [g.coordinates];
    case 'MultiPoint': case 'LineString': return g.coordinates;
    case 'MultiLineString': case 'Polygon': return g.coordinates.flat();
    case 'MultiPolygon': return g.coordinates.flat(2);
    case 'GeometryCollection': return g.geometries.flatMap(positionsOf);
    default: return [];
  }
}

// [[south, west], [north, east]] of some [lat, lon] points (null for none).
export function boundsOf(latlngs) {
  let s = Infinity, w = Infinity, n = -Infinity, e = -Infinity;
  for (const [lat, lon] of latlngs) {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    s = Math.min(s, lat); n = Math.max(n, lat); w = Math.min(w, lon); e = Math.max(e, lon);
  }
  return Number.isFinite(s) ? [[s, w], [n, e]] : null;
}

// Approximate distance in km between two [lat, lon] (equirectangular: fine at these scales).
export function distanceKm(a, b) {
  const rad = Math.PI / 180;
  const x = (b[1] - a[1]) * Math.cos(((a[0] + b[0]) / 2) * rad), y = b[0] - a[0];
  return Math.hypot(x, y) * 111.195;
}

// The point of segment p–q (each [lat, lon]) closest to c, on a local flat projection.
function closestOnSegment(c, p, q) {
  const k = Math.cos(c[0] * Math.PI / 180);
  const px = (p[1] - c[1]) * k, py = p[0] - c[0], qx = (q[1] - c[1]) * k, qy = q[0] - c[0];
  const dx = qx - px, dy = qy - py, len = dx * dx + dy * dy;
  const f = len ? Math.min(1, Math.max(0, -(px * dx + py * dy) / len)) : 0;
  return [p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f];
}

// The point of a geometry closest to [lat, lon] (vertices and line/ring segments).
export function nearestPoint(g, latlng) {
  const parts = [];
  const walk = x => {
    if (!x) return;
    if (x.type === 'Point') parts.push([x.coordinates]);
    else if (x.type === 'MultiPoint') x.coordinates.forEach(c => parts.push([c]));
    else if (x.type === 'LineString') parts.push(x.coordinates);
    else if (x.type === 'MultiLineString' || x.type === 'Polygon') x.coordinates.forEach(l => parts.push(l));
    else if (x.type === 'MultiPolygon') x.coordinates.flat().forEach(l => parts.push(l));
    else if (x.type === 'GeometryCollection') x.geometries.forEach(walk);
  };
  walk(g);
  let best = null, bestD = Infinity;
  for (const line of parts) {
    const ll = line.map(([lon, lat]) => [lat, lon]);
    for (let i = 0; i < ll.length; i++) {
      const p = ll.length === 1 ? ll[0] : i + 1 < ll.length ? closestOnSegment(latlng, ll[i], ll[i + 1]) : ll[i];
      const d = distanceKm(latlng, p);
      if (d < bestD) { bestD = d; best = p; }
    }
  }
  return best;
}

// What of an asset to fit beside the incident: all of it when it spans under `maxKm`, else the part
// nearest the alert's position (a 1,000 km cable would zoom the incident out of sight). [lat, lon] list.
export function assetFitPoints(g, near, maxKm = 60) {
  const all = positionsOf(g).map(([lon, lat]) => [lat, lon]);
  const b = boundsOf(all);
  if (!b) return [];
  if (distanceKm(b[0], b[1]) <= maxKm || !near) return [b[0], b[1]];
  const p = nearestPoint(g, near);
  return p ? [p] : [];
}

// The rows of the evidence table: the decoded messages (each with its raw sentences, a multi-part
// message's joined by newlines), then any raw line of `raw` that no decoded row holds (a part whose
// message never completed), raw only. Every raw sentence is in exactly one row.
export function evidenceRows(raw, decoded) {
  const rows = Array.isArray(decoded) ? decoded.filter(r => r && typeof r === 'object') : [];
  const held = new Map();
  for (const r of rows) {
    for (const l of String(r.raw ?? '').split('\n')) if (l) held.set(l, (held.get(l) || 0) + 1);
  }
  const rest = [];
  for (const l of (Array.isArray(raw) ? raw : []).map(x => String(x).replace(/[\r\n]+$/, ''))) {
    if (!l) continue;
    const n = held.get(l) || 0;
    if (n > 0) held.set(l, n - 1); else rest.push({ raw: l, error: 'incomplete message', msg_type: null });
  }
  return [...rows, ...rest];
}

// What of an alert the evidence panel depends on: when it changes (a new revision, more evidence),
// the decoded evidence is fetched again.
export function evidenceKey(alert) {
  return JSON.stringify([alert?.revision ?? null, Array.isArray(alert?.evidence) ? alert.evidence : []]);
}
