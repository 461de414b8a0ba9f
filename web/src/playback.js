// Track playback: where a vessel was at a moment between its reported fixes. DOM-free (node tests in
// web/test/playback.test.mjs); the slider and marker are in playback-ui.js.
//
// A timeline holds the fixes of one track (GeoJSON LineString or Point with `properties.times`,
// as `api/vessels/{mmsi}/track` answers) sorted by time. Between two fixes the position is
// interpolated linearly in latitude and in longitude (taking the short way across ±180°); before the
// first fix it is the first, after the last the last: playback never invents a position outside
// what was reported.

// Fixes of a track feature: [{ t (unix ms), lat, lon, sog }], by time, without unparseable ones.
export function fixesOf(feature) {
  const g = feature?.geometry;
  const coords = g?.type === 'LineString' ? g.coordinates : g?.type === 'Point' ? [g.coordinates] : [];
  const times = feature?.properties?.times || [];
  const sog = feature?.properties?.sog || [];
  const out = [];
  for (let i = 0; i < (coords?.length || 0); i++) {
    const c = coords[i], t = Date.parse(times[i]);
    if (!Array.isArray(c) || !Number.isFinite(t) || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) continue;
    out.push({ t, lon: c[0], lat: c[1], sog: Number.isFinite(sog[i]) ? sog[i] : null });
  }
  // Stable: fixes at the same time keep the server's order.
  return out.map((f, i) => [f, i]).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map(([f]) => f);
}

// Longitude `b` moved by whole turns to within 180° of `a`.
function unwrap(a, b) {
  let d = b - a;
  while (d > 180) d -= 360;
  while (d < -180) d += 360;
  return a + d;
}

const wrap = lon => ((((lon + 180) % 360) + 360) % 360) - 180;

// Initial bearing from fix a to fix b, degrees true 0–360 (null when they coincide).
export function bearing(a, b) {
  const rad = Math.PI / 180;
  const f1 = a.lat * rad, f2 = b.lat * rad, dl = (unwrap(a.lon, b.lon) - a.lon) * rad;
  const y = Math.sin(dl) * Math.cos(f2);
  const x = Math.cos(f1) * Math.sin(f2) - Math.sin(f1) * Math.cos(f2) * Math.cos(dl);
  if (Math.abs(x) < 1e-15 && Math.abs(y) < 1e-15) return null;
  return ((Math.atan2(y, x) / rad) + 360) % 360;
}

export class Timeline {
  constructor(fixes) {
    this.fixes = fixes;
  }

  static fromTrack(feature) { return new Timeline(fixesOf(feature)); }

  get length() { return this.fixes.length; }
  get start() { return this.fixes.length ? this.fixes[0].t : null; }
  get end() { return this.fixes.length ? this.fixes[this.fixes.length - 1].t : null; }

  // Only the fixes from `sinceMs` on (the last hours of a long track).
  since(sinceMs) {
    return new Timeline(this.fixes.filter(f => f.t >= sinceMs));
  }

  // Index of the last fix at or before `t` (-1 before the first).
  indexAt(t) {
    let lo = 0, hi = this.fixes.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.fixes[mid].t <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  // The position at time `t`: { t, lat, lon, course, index, exact } (null without fixes). `index` is
  // the fix at or before t; `exact` whether t is a fix's own time; `course` the bearing of the leg.
  at(t) {
    const n = this.fixes.length;
    if (!n || !Number.isFinite(t)) return null;
    if (t <= this.fixes[0].t) return this.point(0, 0, this.fixes[0].t);
    if (t >= this.fixes[n - 1].t) return this.point(n - 1, 0, this.fixes[n - 1].t);
    const i = this.indexAt(t);
    const a = this.fixes[i], b = this.fixes[i + 1];
    const f = b.t === a.t ? 0 : (t - a.t) / (b.t - a.t);
    return this.point(i, f, t);
  }

  point(i, f, t) {
    const a = this.fixes[i], b = this.fixes[Math.min(i + 1, this.fixes.length - 1)];
    const lon = f === 0 ? a.lon : wrap(a.lon + (unwrap(a.lon, b.lon) - a.lon) * f);
    const prev = i > 0 ? this.fixes[i - 1] : null;
    const course = b !== a ? bearing(a, b) : prev ? bearing(prev, a) : null;
    return { t, lat: a.lat + (b.lat - a.lat) * f, lon, course, index: i, exact: f === 0 };
  }

  // Slider position 0..1 → time, and back.
  timeAt(fraction) {
    if (this.start == null) return null;
    const f = Math.min(1, Math.max(0, Number(fraction) || 0));
    return this.start + (this.end - this.start) * f;
  }

  fractionAt(t) {
    if (this.start == null || this.end === this.start) return 0;
    return Math.min(1, Math.max(0, (t - this.start) / (this.end - this.start)));
  }
}

// One playback step: `t` advanced by `elapsedMs` of wall time at `rate` (track ms per wall ms),
// stopped at `end`. Returns { t, done }.
export function step(t, elapsedMs, rate, end) {
  const next = t + Math.max(0, elapsedMs) * rate;
  return next >= end ? { t: end, done: true } : { t: next, done: false };
}

// A playback rate that shows `durationMs` of track in about `wallMs`, rounded to a readable ×N.
export function rateFor(durationMs, wallMs = 30000) {
  if (!(durationMs > 0)) return 1;
  const raw = durationMs / wallMs;
  const nice = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];
  return nice.find(r => r >= raw) || nice[nice.length - 1];
}
