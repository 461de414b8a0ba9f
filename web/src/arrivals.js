// The Arrivals panel: vessels bound for a Norwegian port that are inside, or will enter within the
// chosen horizon, the contiguous zone (UNCLOS art. 33: customs, health, police), from
// `api/arrivals?hours=N`, with a CSV download (`api/arrivals.csv`). Refreshed every minute while
// open. A row opens the vessel.

import { el, fmtTime, num } from './dom.js';

const REFRESH_MS = 60_000;
const HOURS = [6, 12, 24, 48, 72];

export function arrivalsPanel({ api, token, onVessel, onError = () => {} }) {
  let hours = 24, timer = 0, open = false;
  const hoursSel = el('select', { 'aria-label': 'Horizon', testid: 'arrivals-hours' },
    HOURS.map(h => el('option', { value: String(h), text: `next ${h} h`, selected: h === hours })));
  const csv = el('a', { class: 'csv', testid: 'arrivals-csv', href: `api/arrivals.csv?hours=${hours}`, download: '' }, 'CSV');
  const count = el('span', { class: 'count', testid: 'arrivals-count', text: '' });
  const body = el('tbody', { testid: 'arrivals-rows' });
  const empty = el('p', { class: 'empty', text: 'No vessel bound for Norway near the contiguous zone.', hidden: true });
  const section = el('section', { class: 'arrivals', testid: 'arrivals', hidden: true },
    el('div', { class: 'alerts-head' },
      el('h2', {}, 'Arrivals ', count),
      el('div', { class: 'arr-tools' }, hoursSel, csv)),
    el('p', { class: 'arr-note', text: 'Bound for a Norwegian port, inside or entering the contiguous zone (UNCLOS art. 33). Entry estimated from course and speed, or from the declared ETA (AIS message 5).' }),
    el('div', { class: 'arr-wrap' },
      el('table', { class: 'arr-table' },
        el('thead', {}, el('tr', {}, ['Vessel', 'Flag', 'Destination', 'Last port', 'Zone', 'Speed'].map(t => el('th', { text: t })))),
        body)),
    empty);

  // The download goes through fetch with the token header (the page's cookie may be absent).
  csv.addEventListener('click', async e => {
    e.preventDefault();
    try {
      const r = await fetch(csv.getAttribute('href'), { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const url = URL.createObjectURL(await r.blob());
      const a = el('a', { href: url, download: `varde-arrivals-${hours}h.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) { onError(err); }
  });

  async function load() {
    clearTimeout(timer);
    try {
      const list = await api.get(`api/arrivals?hours=${hours}`);
      render(Array.isArray(list) ? list : []);
    } catch (e) { onError(e); }
    if (open) timer = setTimeout(load, REFRESH_MS);
  }

  function render(list) {
    count.textContent = String(list.length);
    body.replaceChildren(...list.map(a => el('tr', {
      testid: 'arrival-row', tabindex: '0', dataset: { mmsi: String(a.mmsi), status: a.status },
      onclick: () => onVessel(a),
      onkeydown: e => { if (e.key === 'Enter') onVessel(a); },
    },
    el('td', {}, el('div', { class: 'a-name', text: a.name || `MMSI ${a.mmsi}` }), el('div', { class: 'a-sub', text: [a.mmsi, a.imo ? `IMO ${a.imo}` : null, a.callsign].filter(Boolean).join(' · ') })),
    el('td', { text: a.flag || '—' }),
    el('td', {}, el('div', { text: a.port || a.destination }), a.port && a.port.toUpperCase() !== a.destination ? el('div', { class: 'a-sub', text: a.destination }) : null,
      a.eta ? el('div', { class: 'a-sub', testid: 'arrival-eta', text: `ETA ${fmtTime(a.eta)}` }) : null),
    el('td', { text: a.last_port || '—' }),
    el('td', { class: `a-status ${a.status}`, title: a.entry_estimate ? `at the zone about ${fmtTime(a.entry_estimate)} (${a.basis === 'eta' ? 'by its ETA' : a.basis})` : '', text: a.status === 'inside' ? 'inside' : `in ${num(a.hours_to_zone, 1, ' h')}${a.basis === 'eta' ? ' (ETA)' : ''}` }),
    el('td', { text: num(a.sog, 1, ' kn') }))));
    empty.hidden = list.length > 0;
    section.dataset.loaded = 'true';
  }

  hoursSel.addEventListener('change', () => {
    hours = Number(hoursSel.value);
    csv.setAttribute('href', `api/arrivals.csv?hours=${hours}`);
    load();
  });

  const toggle = el('button', { type: 'button', class: 'tab', testid: 'arrivals-tab', 'aria-pressed': 'false', text: 'Arrivals' });
  toggle.addEventListener('click', () => {
    open = !open;
    section.hidden = !open;
    toggle.setAttribute('aria-pressed', String(open));
    if (open) load(); else clearTimeout(timer);
  });
  return { section, toggle };
}
