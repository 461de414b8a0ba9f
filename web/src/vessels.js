// Vessels drawn on a single canvas (the records live in store.js).
//
// A canvas layer (not one DOM marker per ship) keeps 20,000 vessels cheap: a redraw is one pass over
// the store, and clicks are hit-tested against the screen positions of the last draw.

import * as L from 'leaflet';
import { SHIP, shipCategory } from './style.js';
import { direction } from './store.js';
import { placeLabels, LABEL_MIN_ZOOM, MAX_LABELS } from './labels.js';

const CATS = Object.keys(SHIP);
const CAT_INDEX = Object.fromEntries(CATS.map((c, i) => [c, i]));
const BATCH = 128;
const STALE_MS = 30 * 60 * 1000; // not heard for 30 min (picture time): drawn faded
const LABEL_FONT = '600 11px system-ui, sans-serif';
const LABEL_CHAR_W = 6.6; // a generous average advance of LABEL_FONT: placement needs no measureText

export const VesselLayer = L.Layer.extend({
  options: { pane: 'vessels', pad: 0.1, hitRadius: 10 },

  initialize(store, options) {
    L.setOptions(this, options);
    this._store = store;
    this._selected = null;
    this._flagged = new Set();
    this._drawn = { n: 0, ids: new Float64Array(0), xs: new Float32Array(0), ys: new Float32Array(0), lats: new Float64Array(0), lons: new Float64Array(0), dirs: new Float32Array(0), cats: new Uint8Array(0), stale: new Uint8Array(0) };
    this._frame = 0;
    this._labels = 0;
    this._lastDataDraw = 0;
    this._dataTimer = 0;
    this.draws = 0;
  },

  onAdd(map) {
    this._canvas = L.DomUtil.create('canvas', 'varde-vessels leaflet-zoom-hide');
    this._canvas.setAttribute('data-testid', 'vessel-canvas');
    map.getPane(this.options.pane).appendChild(this._canvas);
    map.on('moveend zoomend resize viewreset', this.redraw, this);
    this.redraw();
  },

  onRemove(map) {
    map.off('moveend zoomend resize viewreset', this.redraw, this);
    L.DomUtil.remove(this._canvas);
    this._canvas = null;
    this._drawn.n = 0;
  },

  setSelected(mmsi) { this._selected = mmsi; this.redraw(); },
  setFlagged(set) { this._flagged = set; this.dataChanged(); },

  // View changes redraw on the next frame; data changes at most every 250 ms.
  redraw() {
    if (!this._map || this._frame) return;
    this._frame = L.Util.requestAnimFrame(() => { this._frame = 0; this._draw(); });
  },
  dataChanged() {
    if (this._dataTimer) return;
    const wait = Math.max(0, 250 - (performance.now() - this._lastDataDraw));
    this._dataTimer = setTimeout(() => { this._dataTimer = 0; this.redraw(); }, wait);
  },

  _draw() {
    const map = this._map;
    if (!map || !this._canvas) return;
    this._lastDataDraw = performance.now();
    const size = map.getSize();
    const padX = Math.round(size.x * this.options.pad), padY = Math.round(size.y * this.options.pad);
    const w = size.x + 2 * padX, h = size.y + 2 * padY;
    const dpr = window.devicePixelRatio || 1;
    const c = this._canvas;
    L.DomUtil.setPosition(c, map.containerPointToLayerPoint([-padX, -padY]).round());
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
      c.style.width = `${w}px`; c.style.height = `${h}px`;
    }
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);

    const b = map.getBounds().pad(this.options.pad);
    const south = b.getSouth(), north = b.getNorth(), west = b.getWest(), east = b.getEast();
    const n = this._store.size;
    let d = this._drawn;
    if (d.ids.length < n) {
      const cap = Math.max(64, n * 2);
      d = this._drawn = { n: 0, ids: new Float64Array(cap), xs: new Float32Array(cap), ys: new Float32Array(cap), lats: new Float64Array(cap), lons: new Float64Array(cap), dirs: new Float32Array(cap), cats: new Uint8Array(cap), stale: new Uint8Array(cap) };
    }
    const zoom = map.getZoom();
    const s = zoom >= 9 ? 1.6 : zoom >= 7 ? 1.35 : 1.15; // symbol scale
    // Spherical Mercator by hand (what map.latLngToContainerPoint does, without its per-call objects
    // and integer rounding, so slow ships still move smoothly).
    const world = 256 * Math.pow(2, zoom), origin = map.getPixelOrigin(), c0 = map.containerPointToLayerPoint([0, 0]);
    const ox = origin.x + c0.x, oy = origin.y + c0.y, D = Math.PI / 180, MAXLAT = 85.0511287798;
    const staleBefore = this._store.newest - STALE_MS;
    let k = 0, selIdx = -1;
    const labelling = zoom >= LABEL_MIN_ZOOM, cands = [];
    for (const v of this._store.values()) {
      const lat = v.lat, lon = v.lon;
      if (lat == null || lat < south || lat > north || lon < west || lon > east) continue;
      const la = Math.max(-MAXLAT, Math.min(MAXLAT, lat)) * D;
      d.ids[k] = v.mmsi;
      d.xs[k] = world * (lon + 180) / 360 - ox;
      d.ys[k] = world * (0.5 - Math.log(Math.tan(Math.PI / 4 + la / 2)) / (2 * Math.PI)) - oy;
      d.lats[k] = lat; d.lons[k] = lon;
      const dir = direction(v);
      d.dirs[k] = dir == null ? -1 : dir;
      d.cats[k] = CAT_INDEX[shipCategory(v.ship_type)];
      d.stale[k] = v._t && v._t < staleBefore ? 1 : 0;
      if (v.mmsi === this._selected) selIdx = k;
      if (labelling && v.name && cands.length < 4 * MAX_LABELS) {
        const text = String(v.name).trim();
        // Selected first, then flagged, then fresh before faded.
        const prio = v.mmsi === this._selected ? 3 : this._flagged.has(v.mmsi) ? 2 : d.stale[k] ? 0 : 1;
        if (text) cands.push({ x: d.xs[k], y: d.ys[k], w: text.length * LABEL_CHAR_W, h: 13, text, prio });
      }
      k++;
    }
    d.n = k;

    // Alert rings first, then one path per ship category (a handful of fills for any number of ships).
    if (this._flagged.size) {
      ctx.strokeStyle = 'rgba(208,0,0,0.9)'; ctx.lineWidth = 2;
      let m = 0;
      ctx.beginPath();
      for (let i = 0; i < k; i++) {
        if (!this._flagged.has(d.ids[i])) continue;
        const x = d.xs[i] + padX, y = d.ys[i] + padY;
        ctx.moveTo(x + 9 * s, y); ctx.arc(x, y, 9 * s, 0, Math.PI * 2);
        if (++m % BATCH === 0) { ctx.stroke(); ctx.beginPath(); }
      }
      if (m % BATCH) ctx.stroke();
    }
    // One path per ship category, flushed every BATCH shapes: a few hundred fill/stroke calls for
    // 20,000 ships. (Per-ship fills, one giant path, or drawImage sprites were all 10-30x slower in
    // Chromium's software canvas.)
    ctx.lineWidth = 1;
    ctx.strokeStyle = 'rgba(20,20,20,0.85)';
    const r = 3.6 * s;
    for (let pass = 0; pass < CATS.length * 2; pass++) {
      const c = pass % CATS.length, stale = pass < CATS.length ? 1 : 0; // faded ones underneath
      ctx.fillStyle = SHIP[CATS[c]].color;
      ctx.globalAlpha = stale ? 0.35 : 1;
      let m = 0;
      ctx.beginPath();
      for (let i = 0; i < k; i++) {
        if (d.cats[i] !== c || d.stale[i] !== stale) continue;
        const x = d.xs[i] + padX, y = d.ys[i] + padY, dir = d.dirs[i];
        if (dir < 0) {
          ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, Math.PI * 2);
        } else {
          // Arrow pointing along `dir` (clockwise from north; screen y grows downwards).
          const a = dir * D, sin = Math.sin(a) * s, cos = Math.cos(a) * s;
          ctx.moveTo(x + 8 * sin, y - 8 * cos);                         // tip (0, -8)
          ctx.lineTo(x + 4.5 * cos - 5 * sin, y + 4.5 * sin + 5 * cos); // (4.5, 5)
          ctx.lineTo(x - 2.5 * sin, y + 2.5 * cos);                     // notch (0, 2.5)
          ctx.lineTo(x - 4.5 * cos - 5 * sin, y - 4.5 * sin + 5 * cos); // (-4.5, 5)
          ctx.closePath();
        }
        if (++m % BATCH === 0) { ctx.fill(); ctx.stroke(); ctx.beginPath(); }
      }
      if (m % BATCH) { ctx.fill(); ctx.stroke(); }
    }
    ctx.globalAlpha = 1;
    this._labels = labelling ? this._drawLabels(ctx, cands, padX, padY, size) : 0;
    c.dataset.labels = String(this._labels);
    if (selIdx >= 0) {
      const x = d.xs[selIdx] + padX, y = d.ys[selIdx] + padY;
      ctx.beginPath(); ctx.arc(x, y, 13 * s, 0, Math.PI * 2);
      ctx.lineWidth = 5; ctx.strokeStyle = 'rgba(0,0,0,0.55)'; ctx.stroke();
      ctx.lineWidth = 3; ctx.strokeStyle = '#ffd60a'; ctx.stroke();
    }
    this.draws++;
    this.fire('drawn', { count: d.n });
  },

  // Names beside the symbols that fit without overlapping (labels.js); returns how many.
  _drawLabels(ctx, cands, padX, padY, size) {
    const kept = placeLabels(cands, { max: MAX_LABELS, dx: 10, width: size.x, height: size.y });
    ctx.font = LABEL_FONT;
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.fillStyle = '#1b1b1b';
    for (const l of kept) {
      const x = l.bx + padX, y = l.y + padY;
      ctx.strokeText(l.text, x, y);
      ctx.fillText(l.text, x, y);
    }
    return kept.length;
  },

  labelCount() { return this._labels; },

  // Nearest drawn vessel within hitRadius px of a container point, or null.
  hit(point) {
    const d = this._drawn, r2 = this.options.hitRadius ** 2;
    let best = null, bestD = r2;
    for (let i = 0; i < d.n; i++) {
      const dx = d.xs[i] - point.x, dy = d.ys[i] - point.y, dd = dx * dx + dy * dy;
      if (dd <= bestD) { bestD = dd; best = d.ids[i]; }
    }
    return best;
  },

  // Where a vessel was painted by the last draw (container pixels and the position used), or null.
  drawnPoint(mmsi) {
    const d = this._drawn;
    for (let i = 0; i < d.n; i++) {
      if (d.ids[i] === mmsi) return { x: d.xs[i], y: d.ys[i], lat: d.lats[i], lon: d.lons[i] };
    }
    return null;
  },

  drawnCount() { return this._drawn.n; },
  drawnIds() { return Array.from(this._drawn.ids.subarray(0, this._drawn.n)); },

  // Alpha of the canvas pixel under a container point (0 = nothing painted there).
  alphaAt(point) {
    if (!this._canvas || !this._map) return 0;
    const size = this._map.getSize(), dpr = window.devicePixelRatio || 1;
    const padX = Math.round(size.x * this.options.pad), padY = Math.round(size.y * this.options.pad);
    const px = Math.round((point.x + padX) * dpr), py = Math.round((point.y + padY) * dpr);
    return this._canvas.getContext('2d').getImageData(px, py, 1, 1).data[3];
  },
});
