// An alert's evidence decoded beside the raw sentences (the server decodes them: `evidence_decoded`
// of api/alerts/{id}; the map never parses NMEA), and the evidence fixes as numbered map markers.

import * as L from 'leaflet';
import { el, fmtTime, fmtLatLon, num } from './dom.js';
import { NAV_STATUS } from './style.js';

const ROLE = { before: 'fix before', after: 'fix after' };

// The table: one row per message, with its number on the map (when it has a position).
export function evidenceTable(decoded, fixes) {
  const numberOf = new Map(fixes.map(f => [f.row, f]));
  const rows = (Array.isArray(decoded) ? decoded : []).map((r, i) => {
    const fix = numberOf.get(i);
    const status = r.status != null ? (NAV_STATUS[r.status] || String(r.status)) : null;
    return el('tr', { testid: 'evidence-row', dataset: { row: String(i), role: fix?.role || '' } },
      el('td', { class: 'n' }, fix ? el('span', { class: `ev-num${fix.role ? ` ev-${fix.role}` : ''}`, text: String(fix.n) }) : '·'),
      el('td', {},
        el('div', { class: 'ev-decoded' },
          el('span', { testid: 'evidence-time', text: r.time ? fmtTime(r.time) : 'no time' }),
          fix?.role ? el('b', { class: 'ev-role', text: ROLE[fix.role] }) : null,
          r.error ? el('span', { class: 'ev-error', text: `not decoded: ${r.error}` }) : null),
        r.error ? null : el('div', { class: 'ev-decoded' },
          el('span', { testid: 'evidence-position', text: r.lat != null ? fmtLatLon(r.lat, r.lon) : 'no position' }),
          r.sog != null ? el('span', { text: num(r.sog, 1, ' kn') }) : null,
          r.cog != null ? el('span', { text: `COG ${num(r.cog, 1, '°')}` }) : null,
          r.heading != null ? el('span', { text: `HDG ${r.heading}°` }) : null,
          status ? el('span', { text: status }) : null,
          r.name ? el('span', { text: r.name }) : null,
          el('span', { class: 'ev-type', text: r.msg_type != null ? `type ${r.msg_type}` : '' })),
        el('code', { class: 'ev-raw', text: r.raw || '' })));
  });
  return el('table', { class: 'evidence-table', testid: 'evidence-table' }, el('tbody', {}, rows));
}

// Numbered markers of the evidence fixes (and a dashed leg from the fix before a jump to the fix after).
export function evidenceLayer(fixes, renderer) {
  const g = L.layerGroup();
  const before = fixes.find(f => f.role === 'before'), after = fixes.find(f => f.role === 'after');
  if (before && after) {
    g.addLayer(L.polyline([[before.lat, before.lon], [after.lat, after.lon]], {
      renderer, color: '#b00020', weight: 2, dashArray: '6 5', interactive: false, className: 'varde-evidence-jump',
    }));
  }
  for (const f of fixes) {
    const icon = L.divIcon({
      className: `varde-evidence-marker${f.role ? ` ev-${f.role}` : ''}`,
      html: el('span', { text: String(f.n) }),
      iconSize: [20, 20],
      iconAnchor: [10, 10],
    });
    const m = L.marker([f.lat, f.lon], { icon, pane: 'alerts', keyboard: false });
    m.bindTooltip(() => el('span', { text: `${f.n}${f.role ? ` (${ROLE[f.role]})` : ''} · ${f.time ? fmtTime(f.time) : 'no time'}` }), { direction: 'top', offset: [0, -10] });
    g.addLayer(m);
  }
  return g;
}
