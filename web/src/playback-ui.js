// The playback control: a time slider, play/pause and the time shown, moving a marker along a track
// on the map. The interpolation is playback.js (DOM-free, unit-tested).

import * as L from 'leaflet';
import { el, fmtTime } from './dom.js';
import { Timeline, step, rateFor } from './playback.js';

const STEPS = 1000;

export class Playback {
  constructor(map, { pane = 'alerts' } = {}) {
    this.map = map;
    this.timeline = new Timeline([]);
    this.t = null;
    this.playing = false;
    this.frame = 0;
    this.marker = L.circleMarker([0, 0], {
      pane, radius: 7, color: '#ffffff', weight: 2.5, fillColor: '#ff6f00', fillOpacity: 1,
      interactive: false, className: 'varde-playback-marker',
    });
    this.slider = el('input', {
      type: 'range', min: '0', max: String(STEPS), step: '1', value: String(STEPS),
      testid: 'playback-slider', 'aria-label': 'Playback time',
      oninput: () => { this.pause(); this.seek(this.timeline.timeAt(Number(this.slider.value) / STEPS)); },
    });
    this.button = el('button', { type: 'button', class: 'pb-play', testid: 'playback-play', onclick: () => this.toggle() }, 'Play');
    this.time = el('span', { class: 'pb-time', testid: 'playback-time' });
    this.rate = el('span', { class: 'pb-rate' });
    this.element = el('div', { class: 'playback', testid: 'playback', hidden: true },
      el('div', { class: 'pb-row' }, this.button, this.slider),
      el('div', { class: 'pb-row' }, this.time, this.rate));
  }

  // Plays `feature` (a track from api/vessels/{mmsi}/track); from `sinceMs` on when given.
  load(feature, { sinceMs = null, label = '' } = {}) {
    this.pause();
    let tl = Timeline.fromTrack(feature);
    if (sinceMs != null && tl.since(sinceMs).length >= 2) tl = tl.since(sinceMs);
    this.timeline = tl;
    this.label = label;
    this.element.hidden = tl.length < 2;
    this.element.dataset.points = String(tl.length);
    this.rateValue = rateFor(tl.end - tl.start);
    this.rate.textContent = tl.length >= 2 ? `×${this.rateValue}${label ? ` · ${label}` : ''}` : '';
    if (tl.length >= 2) this.seek(tl.end); else this.hideMarker();
  }

  seek(t) {
    const p = this.timeline.at(t);
    if (!p) { this.hideMarker(); return; }
    this.t = p.t;
    this.marker.setLatLng([p.lat, p.lon]);
    if (!this.map.hasLayer(this.marker)) this.marker.addTo(this.map);
    this.slider.value = String(Math.round(this.timeline.fractionAt(p.t) * STEPS));
    this.time.textContent = fmtTime(new Date(p.t).toISOString());
    this.element.dataset.t = new Date(p.t).toISOString();
  }

  toggle() { if (this.playing) this.pause(); else this.play(); }

  play() {
    if (this.timeline.length < 2) return;
    if (this.t == null || this.t >= this.timeline.end) this.seek(this.timeline.start);
    this.playing = true;
    this.button.textContent = 'Pause';
    let last = performance.now();
    const tick = now => {
      if (!this.playing) return;
      const s = step(this.t, now - last, this.rateValue, this.timeline.end);
      last = now;
      this.seek(s.t);
      if (s.done) this.pause(); else this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  pause() {
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.button.textContent = 'Play';
  }

  hideMarker() {
    if (this.map.hasLayer(this.marker)) this.marker.remove();
  }

  clear() {
    this.pause();
    this.hideMarker();
    this.timeline = new Timeline([]);
    this.t = null;
    this.element.hidden = true;
  }
}
