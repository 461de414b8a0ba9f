// Vessel picture: one record per MMSI, updated in place. No DOM and no Leaflet here, so node's test
// runner can exercise it (web/test/store.test.mjs).

const DIRECTION_UNKNOWN_HEADING = 511;
const COG_UNKNOWN = 360;

export class VesselStore {
  constructor(cap = 20000) {
    this.cap = cap;
    this.byMmsi = new Map(); // insertion order = least recently updated first (entries are re-inserted)
    this.evicted = 0;
    this.newest = 0; // latest report time seen (ms); the picture's "now", replays included
  }

  get size() { return this.byMmsi.size; }
  get(mmsi) { return this.byMmsi.get(mmsi); }
  values() { return this.byMmsi.values(); }

  _touch(mmsi) {
    let v = this.byMmsi.get(mmsi);
    if (v) {
      this.byMmsi.delete(mmsi);
    } else {
      v = { mmsi };
      while (this.byMmsi.size >= this.cap) {
        this.byMmsi.delete(this.byMmsi.keys().next().value);
        this.evicted++;
      }
    }
    this.byMmsi.set(mmsi, v);
    return v;
  }

  // `event: position` from the stream. Older reports than the one held are ignored.
  position(p) {
    const mmsi = Number(p.mmsi);
    if (!Number.isFinite(mmsi) || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) return null;
    const cur = this.byMmsi.get(mmsi);
    const t = p.time ? Date.parse(p.time) : NaN;
    if (cur && cur._t && Number.isFinite(t) && t < cur._t) return null;
    const v = this._touch(mmsi);
    v.lat = p.lat; v.lon = p.lon;
    v.sog = p.sog ?? null; v.cog = p.cog ?? null; v.heading = p.heading ?? null;
    if (p.name) v.name = p.name;
    if (p.time) { v.last_seen = p.time; v._t = t; if (t > this.newest) this.newest = t; }
    return v;
  }

  // A full record from /api/vessels or /api/vessels/{mmsi}: static fields always, positional
  // fields only when not older than what the stream already delivered.
  record(r) {
    const mmsi = Number(r.mmsi);
    if (!Number.isFinite(mmsi)) return null;
    const cur = this.byMmsi.get(mmsi);
    const t = r.last_seen ? Date.parse(r.last_seen) : NaN;
    const older = cur && cur._t && Number.isFinite(t) && t < cur._t;
    const v = cur || this._touch(mmsi);
    for (const [k, val] of Object.entries(r)) {
      if (k === 'mmsi') continue;
      if (older && (k === 'lat' || k === 'lon' || k === 'sog' || k === 'cog' || k === 'heading' || k === 'nav_status' || k === 'last_seen')) continue;
      if (val == null && (k === 'name' || k === 'callsign' || k === 'imo' || k === 'flag' || k === 'ship_type' || k === 'ship_type_text')) continue;
      v[k] = val;
    }
    if (!older && Number.isFinite(t)) { v._t = t; if (t > this.newest) this.newest = t; }
    return v;
  }
}

export function direction(v) {
  if (v.heading != null && v.heading !== DIRECTION_UNKNOWN_HEADING && v.heading >= 0 && v.heading < 360) return v.heading;
  if (v.cog != null && v.cog !== COG_UNKNOWN && v.cog >= 0 && v.cog < 360 && (v.sog ?? 0) >= 0.5) return v.cog;
  return null;
}
