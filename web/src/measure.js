// The scale bar (kilometres and nautical miles) and the distance tool (click two or more points;
// great-circle legs; the sum in nm and km). The maths is in distance.js.

import * as L from 'leaflet';
import { greatCircleM, greatCirclePoints, pathLengthM, formatDistance, roundDown, NM_M } from './distance.js';

// Leaflet's scale with nautical miles in place of its imperial line.
const NauticalScale = L.Control.Scale.extend({
  _updateImperial(maxMeters) {
    const maxNm = maxMeters / NM_M;
    const nm = roundDown(maxNm);
    this._updateScale(this._iScale, `${nm} nm`, nm / maxNm);
  },
});

export function nauticalScale(options) {
  const c = new NauticalScale({ metric: true, imperial: true, maxWidth: 140, position: 'bottomright', ...options });
  const add = c.onAdd;
  c.onAdd = function onAdd(map) {
    const el = add.call(this, map);
    el.setAttribute('data-testid', 'scale');
    return el;
  };
  return c;
}

const LINE = { color: '#111111', weight: 2.5, dashArray: '6 4', opacity: 0.9, interactive: false };
const VERTEX = { radius: 4, color: '#111111', weight: 2, fillColor: '#ffd60a', fillOpacity: 1, interactive: false };

// The distance tool: a button; while on, each map click adds a point. Esc or the button ends it.
export const MeasureTool = L.Control.extend({
  options: { position: 'topleft' },

  onAdd(map) {
    this._points = [];
    this._layer = L.layerGroup().addTo(map);
    const c = L.DomUtil.create('div', 'leaflet-bar leaflet-control measure-control');
    c.setAttribute('data-testid', 'measure');
    const b = this._button = L.DomUtil.create('a', 'measure-toggle', c);
    b.href = '#';
    b.role = 'button';
    b.title = 'Measure a distance: click two or more points (Esc ends)';
    b.setAttribute('aria-label', 'Measure distance');
    b.setAttribute('data-testid', 'measure-toggle');
    b.textContent = '↔'; // in DejaVu Sans: no emoji font is needed
    const out = this._out = L.DomUtil.create('div', 'measure-result', c);
    out.setAttribute('data-testid', 'measure-result');
    out.hidden = true;
    L.DomEvent.disableClickPropagation(c);
    L.DomEvent.on(b, 'click', e => { L.DomEvent.preventDefault(e); this.toggle(); });
    this._onKey = e => { if (e.key === 'Escape' && this._on) this.toggle(false); };
    document.addEventListener('keydown', this._onKey);
    return c;
  },

  onRemove(map) {
    this.toggle(false);
    map.removeLayer(this._layer);
    document.removeEventListener('keydown', this._onKey);
  },

  active() { return !!this._on; },

  toggle(on = !this._on) {
    const map = this._map;
    this._on = on;
    this._button.classList.toggle('on', on);
    map.getContainer().classList.toggle('measuring', on);
    if (on) {
      this._points = [];
      this._layer.clearLayers();
      this._render();
      map.doubleClickZoom.disable();
      map.on('click', this._click, this);
    } else {
      map.off('click', this._click, this);
      map.doubleClickZoom.enable();
    }
  },

  _click(e) {
    const p = [e.latlng.lat, L.Util.wrapNum(e.latlng.lng, [-180, 180], true)];
    const prev = this._points[this._points.length - 1];
    this._points.push(p);
    if (prev) L.polyline(greatCirclePoints(prev, p), LINE).addTo(this._layer);
    L.circleMarker(p, VERTEX).addTo(this._layer);
    this._render();
  },

  // Total length in metres of the points clicked so far.
  metres() { return pathLengthM(this._points); },

  _render() {
    const out = this._out, n = this._points.length;
    out.hidden = !this._on && n < 2;
    if (n < 2) {
      out.textContent = this._on ? (n ? 'click the next point' : 'click the first point') : '';
      delete out.dataset.metres;
      return;
    }
    const total = this.metres();
    const last = greatCircleM(this._points[n - 2], this._points[n - 1]);
    out.textContent = n > 2 ? `${formatDistance(total)} (${n - 1} legs; last ${formatDistance(last)})` : formatDistance(total);
    out.dataset.metres = String(Math.round(total));
  },
});

export const measureTool = options => new MeasureTool(options);
