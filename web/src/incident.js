// "See the incident": selecting an alert fetches the alert (with its decoded evidence), the vessel's
// track over the alert window and, for a rendezvous, the partner's; draws them with the asset or zone
// highlighted and the evidence fixes numbered; zooms the map to fit; and offers track playback.
// "Show vessel and track" zooms to the vessel's track, with playback of its last hours.
//
// API consumed: GET api/alerts/{id} (evidence_decoded), api/vessels/{mmsi}/track?from=&to=,
// api/vessels/{mmsi} (the partner's name).
//
// The panel parts it owns (`alertElement`, `vesselElement`) are built once per selection and moved
// into the detail panel each time app.js re-renders it, so the slider and table keep their state.
// The evidence section (testid `alert-evidence`) holds each raw sentence once: beside its decoded
// fields once api/alerts/{id} answered, as raw lines until then. When the selected alert is revised
// (its evidence key changes) the decoded evidence is fetched again and the table and markers
// redrawn, without refitting the map or stopping playback.

import * as L from 'leaflet';
import { el, fmtTime } from './dom.js';
import { kindLabel } from './style.js';
import { incidentWindow, partnerOf, evidenceFixes, evidenceRows, evidenceKey, matchesRef, assetFitPoints, boundsOf } from './incident-model.js';
import { evidenceTable, evidenceLayer } from './evidence.js';
import { Playback } from './playback-ui.js';

const VESSEL_HOURS = 6;
const FIT = { padding: [40, 40], maxZoom: 13 };
const iso = ms => new Date(ms).toISOString();
const latlngsOf = feature => {
  const g = feature?.geometry;
  const c = g?.type === 'LineString' ? g.coordinates : g?.type === 'Point' ? [g.coordinates] : [];
  return (c || []).filter(p => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1])).map(([lon, lat]) => [lat, lon]);
};

export class IncidentView {
  // layers: app.js's `state.layers` (id -> { kind, leaflet }); openVessel(mmsi, opts) opens a vessel.
  constructor({ map, api, renderer, layers, store, openVessel, reportError }) {
    Object.assign(this, { map, api, renderer, layers, store, openVessel, reportError });
    this.group = L.layerGroup().addTo(map);
    this.playback = new Playback(map);
    this.box = el('div', { class: 'incident', testid: 'incident' });
    this.evidence = el('div', { class: 'incident-evidence', testid: 'alert-evidence' });
    this.evidenceMarkers = null;
    this.evidenceShown = null;
    this.current = null;
    this.seq = 0;
    // For the browser test and debugging: what the last selection drew and fitted.
    this.last = null;
  }

  clear() {
    this.seq++;
    this.current = null;
    this.last = null;
    this.group.clearLayers();
    this.playback.clear();
    this.box.replaceChildren();
    this.evidence.replaceChildren();
    this.evidenceMarkers = null;
    this.evidenceShown = null;
    delete this.box.dataset.state;
  }

  // The incident part of the alert panel (null when another alert is shown). Given the alert as
  // app.js now holds it, a revised alert's evidence is fetched again.
  alertElement(a) {
    const id = typeof a === 'object' ? a?.id : a;
    if (this.current?.type !== 'alert' || this.current.id !== id) return null;
    if (typeof a === 'object') this.refreshEvidence(a);
    return this.box;
  }

  // The evidence section: heading, then one row per message with its raw sentences beside the
  // decoded fields (raw lines only while `decoded` is null).
  renderEvidence(raw, decoded, fixes) {
    const lines = (Array.isArray(raw) ? raw : []).filter(Boolean);
    if (!decoded) {
      this.evidence.replaceChildren(
        el('h3', { text: `Evidence (${lines.length} line${lines.length === 1 ? '' : 's'})` }),
        el('pre', { class: 'evidence', tabindex: '0' }, lines.join('\n')));
      return;
    }
    const rows = evidenceRows(lines, decoded);
    this.evidence.replaceChildren(
      el('h3', { text: `Evidence decoded (${rows.length} message${rows.length === 1 ? '' : 's'})` }),
      evidenceTable(rows, fixes));
  }

  // Draws the evidence fixes (replacing those drawn before) and says how many.
  drawEvidence(fixes) {
    if (this.evidenceMarkers) this.group.removeLayer(this.evidenceMarkers);
    this.evidenceMarkers = evidenceLayer(fixes, this.renderer);
    this.group.addLayer(this.evidenceMarkers);
    if (this.last) this.last.evidence = fixes.length;
  }

  // When the selected alert `a` is revised after its incident was drawn: fetch its decoded
  // evidence again and redraw the table and markers (the map stays where it is).
  refreshEvidence(a) {
    const key = evidenceKey(a);
    if (this.box.dataset.state !== 'ready' || this.evidenceShown == null || key === this.evidenceShown || this.evidenceFetching === key) return;
    const seq = this.seq;
    this.evidenceFetching = key;
    this.api.get(`api/alerts/${encodeURIComponent(a.id)}`).then(full => {
      if (seq !== this.seq) return;
      const alert = full && typeof full === 'object' ? full : a;
      const decoded = Array.isArray(alert.evidence_decoded) ? alert.evidence_decoded : [];
      const fixes = evidenceFixes(decoded, alert.kind);
      this.drawEvidence(fixes);
      this.renderEvidence(alert.evidence, decoded, fixes);
      // Keyed by what the stream said, so the same revision is not fetched again.
      this.evidenceShown = key;
      this.evidence.dataset.key = key;
    }).catch(e => this.reportError('alert', e)).finally(() => {
      if (this.evidenceFetching === key) this.evidenceFetching = null;
    });
  }

  // The playback part of the vessel panel.
  vesselElement(mmsi) { return this.current?.type === 'vessel' && this.current.mmsi === Number(mmsi) ? this.box : null; }

  async showAlert(a) {
    this.clear();
    const seq = this.seq;
    this.current = { type: 'alert', id: a.id };
    this.lastAlertId = a.id;
    this.box.dataset.state = 'loading';
    this.renderEvidence(a.evidence, null, []);
    this.box.replaceChildren(el('p', { class: 'muted', text: 'Loading the incident…' }), this.evidence);
    const win = incidentWindow(a);
    const partner = partnerOf(a);
    const track = (mmsi) => (mmsi != null && win
      ? this.api.get(`api/vessels/${mmsi}/track?from=${encodeURIComponent(iso(win.from))}&to=${encodeURIComponent(iso(win.to))}`)
      : Promise.resolve(null));
    const [full, own, other, partnerInfo] = await Promise.allSettled([
      this.api.get(`api/alerts/${encodeURIComponent(a.id)}`),
      track(a.mmsi),
      track(partner),
      partner != null ? this.api.get(`api/vessels/${partner}`) : Promise.resolve(null),
    ]);
    if (seq !== this.seq) return;
    const value = r => (r.status === 'fulfilled' ? r.value : null);
    if (full.status === 'rejected') this.reportError('alert', full.reason);
    const alert = value(full) || a;
    const decoded = Array.isArray(alert.evidence_decoded) ? alert.evidence_decoded : [];
    const fixes = evidenceFixes(decoded, alert.kind);

    // Drawn from the bottom up: highlighted asset/zone, tracks, evidence.
    const ownPts = latlngsOf(value(own)), otherPts = latlngsOf(value(other));
    const ref = alert.asset && typeof alert.asset === 'object' ? alert.asset : null;
    const zone = alert.zone && typeof alert.zone === 'object' ? alert.zone : null;
    const near = Number.isFinite(alert.lat) ? [alert.lat, alert.lon] : ownPts[ownPts.length - 1];
    const assetFeatures = ref ? this.features(ref, k => k !== 'zones' && k !== 'land') : [];
    const zoneFeatures = zone ? this.features(zone, k => k === 'zones') : [];
    if (zoneFeatures.length) this.highlight(zoneFeatures, 'varde-incident-zone', '#0d47a1');
    if (assetFeatures.length) this.highlight(assetFeatures, 'varde-incident-asset', '#ffab00');
    if (otherPts.length) this.line(otherPts, '#6a1b9a', 'varde-incident-partner-track');
    if (ownPts.length) this.line(ownPts, '#e0119d', 'varde-incident-track');
    this.drawEvidence(fixes);

    const assetPts = assetFeatures.flatMap(f => assetFitPoints(f.geometry, near));
    const fitPts = [...ownPts, ...otherPts, ...fixes.map(f => [f.lat, f.lon]), ...assetPts];
    if (near) fitPts.push(near);
    const fit = boundsOf(fitPts);
    if (fit) this.map.fitBounds(fit, FIT);
    this.last = {
      id: alert.id, fit, track: boundsOf(ownPts), trackPoints: ownPts.length, partnerTrack: boundsOf(otherPts),
      asset: boundsOf(assetPts), assetFeatures: assetFeatures.length, evidence: fixes.length,
    };

    const partnerName = value(partnerInfo)?.name || this.store.get(partner)?.name;
    this.box.replaceChildren(
      partner != null ? el('p', { class: 'partner' }, 'Partner: ',
        el('a', {
          href: '#', testid: 'incident-partner', dataset: { mmsi: String(partner) },
          onclick: e => { e.preventDefault(); this.openVessel(partner, { pan: true, zoom: true }); },
        }, partnerName ? `${partnerName} (MMSI ${partner})` : `MMSI ${partner}`)) : null,
      el('h3', { text: `Track ${win ? `${fmtTime(iso(win.from))} → ${fmtTime(iso(win.to))}` : ''}` }),
      ownPts.length >= 2 ? this.playback.element : el('p', { class: 'muted', text: ownPts.length ? 'One position in the window.' : 'No positions in the window.' }),
      this.evidence);
    this.renderEvidence(full.status === 'fulfilled' ? alert.evidence : a.evidence, full.status === 'fulfilled' ? decoded : null, fixes);
    this.evidenceShown = evidenceKey(a);
    this.evidence.dataset.key = this.evidenceShown;
    this.playback.load(value(own), { label: kindLabel(alert.kind) });
    this.box.dataset.state = 'ready';
  }

  // After app.js loaded a vessel's track: playback of its last hours; `zoom` fits the track.
  showVessel(mmsi, feature, { zoom = false } = {}) {
    mmsi = Number(mmsi);
    // The panel's live refresh of the vessel being played back must not stop the playback.
    const playing = this.current?.type === 'vessel' && this.current.mmsi === mmsi && this.playback.playing;
    if (!playing) this.clear();
    this.current = { type: 'vessel', mmsi };
    const pts = latlngsOf(feature);
    const v = this.store.get(mmsi);
    if (v?.lat != null) pts.push([v.lat, v.lon]);
    const fit = boundsOf(pts);
    if (zoom && fit) this.map.fitBounds(fit, FIT);
    this.last = { mmsi, fit, track: boundsOf(latlngsOf(feature)), trackPoints: latlngsOf(feature).length };
    if (playing) return;
    const times = feature?.properties?.times || [];
    const end = Date.parse(times[times.length - 1]);
    this.playback.load(feature, { sinceMs: Number.isFinite(end) ? end - VESSEL_HOURS * 3600e3 : null, label: `last ${VESSEL_HOURS} h at most` });
    this.box.replaceChildren(el('h3', { text: 'Playback' }), this.playback.element);
    this.box.dataset.state = 'ready';
  }

  // Features of the layers whose kind passes `kindOk` that match `ref`.
  features(ref, kindOk) {
    const out = [];
    for (const l of Object.values(this.layers)) {
      if (!l.leaflet || !kindOk(l.kind)) continue;
      l.leaflet.eachLayer(x => { if (x.feature && matchesRef(x.feature, ref)) out.push(x.feature); });
    }
    return out;
  }

  highlight(features, className, color) {
    const halo = L.geoJSON({ type: 'FeatureCollection', features }, {
      style: () => ({ renderer: this.renderer, color, weight: 8, opacity: 0.45, fill: false, interactive: false, className }),
      pointToLayer: (f, ll) => L.circleMarker(ll, { renderer: this.renderer, radius: 11, color, weight: 4, fill: false, interactive: false, className }),
    });
    this.group.addLayer(halo);
  }

  line(latlngs, color, className) {
    this.group.addLayer(L.polyline(latlngs, { renderer: this.renderer, color: '#ffffff', weight: 6, opacity: 0.7, interactive: false }));
    this.group.addLayer(L.polyline(latlngs, { renderer: this.renderer, color, weight: 3, opacity: 0.95, interactive: false, className }));
  }
}
