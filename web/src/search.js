// The search box: finds vessels by MMSI, IMO, name or call sign through `api/search?q=` as the
// officer types (debounced), lists the hits under the box (arrow keys, Enter, click), and hands
// the chosen hit to `onPick(hit)`, which selects, highlights and zooms to the vessel.

import { el, fmtTime } from './dom.js';

const DEBOUNCE_MS = 180;
const LIMIT = 10;

export function searchBox({ api, onPick, onError = () => {} }) {
  const input = el('input', {
    type: 'search', placeholder: 'Find vessel: name, MMSI, IMO, call sign', autocomplete: 'off', spellcheck: 'false',
    'aria-label': 'Find vessel', testid: 'search-input',
  });
  const list = el('ul', { class: 'search-hits', role: 'listbox', testid: 'search-hits', hidden: true });
  const box = el('div', { class: 'search', role: 'search' }, input, list);
  let hits = [], active = -1, timer = 0, seq = 0;

  function close() { list.hidden = true; active = -1; }
  function pick(i) {
    const h = hits[i];
    if (!h) return;
    close();
    input.value = h.name || String(h.mmsi);
    input.blur();
    onPick(h);
  }
  function mark(i) {
    active = i;
    [...list.children].forEach((li, k) => li.classList.toggle('on', k === i));
  }
  function show() {
    list.replaceChildren(...(hits.length ? hits.map((h, i) => el('li', {
      role: 'option', testid: 'search-hit', dataset: { mmsi: String(h.mmsi) },
      onmousedown: e => { e.preventDefault(); pick(i); },
      onmouseenter: () => mark(i),
    },
    el('span', { class: 'h-name', text: h.name || 'unnamed' }),
    el('span', { class: 'h-ids', text: [`MMSI ${h.mmsi}`, h.imo ? `IMO ${h.imo}` : null, h.callsign, h.flag].filter(Boolean).join(' · ') }),
    el('span', { class: `h-seen${h.live ? '' : ' silent'}`, text: h.live ? 'live' : `last ${fmtTime(h.last_seen)}` })))
      : [el('li', { class: 'none', text: 'No vessel found' })]));
    list.hidden = false;
    mark(hits.length ? 0 : -1);
  }
  async function run(q) {
    const mine = ++seq;
    try {
      const r = await api.get(`api/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`);
      if (mine !== seq) return; // a newer query is under way
      hits = Array.isArray(r) ? r : [];
      show();
    } catch (e) { if (mine === seq) { hits = []; close(); onError(e); } }
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) { seq++; hits = []; close(); return; }
    timer = setTimeout(() => run(q), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', e => {
    if (e.key === 'ArrowDown' && hits.length) { e.preventDefault(); mark((active + 1) % hits.length); }
    else if (e.key === 'ArrowUp' && hits.length) { e.preventDefault(); mark((active - 1 + hits.length) % hits.length); }
    else if (e.key === 'Enter') { e.preventDefault(); if (active >= 0) pick(active); }
    else if (e.key === 'Escape') { e.stopPropagation(); close(); }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  return box;
}
