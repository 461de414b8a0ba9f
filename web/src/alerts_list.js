// The alert list, updated in place: one <li> per alert id, kept across updates. A changed alert
// has its row's content redrawn inside the same element; new rows are inserted and gone rows
// removed one by one; rows already in order are not moved. While the pointer is over the list,
// rows are neither inserted, removed nor moved (only redrawn where they are), so a click never
// lands on a row that just moved; the held changes apply when the pointer leaves (or at once when
// the filter changes).
//
// The filters (kind, severity, zone, asset, time, plus the state buttons the page already has)
// are menus built here into `#alert-filters`; the pure logic is alerts_filter.js.

import { el } from './dom.js';
import { emptyFilter, facets, fingerprint, plan, select } from './alerts_filter.js';

const MENUS = [
  ['kind', 'Kind', 'any kind'],
  ['severity', 'Severity', 'any severity'],
  ['zone', 'Zone', 'any zone'],
  ['asset', 'Asset', 'any asset'],
];
const SINCE_OPTIONS = [['all', 'any time'], ['1h', 'last 1 h'], ['6h', 'last 6 h'], ['24h', 'last 24 h']];

export class AlertList {
  // list: the <ol>; filters: the container for the menus; empty: the "No alerts." element;
  // row(a): a fresh <li> for alert `a` (its listeners must find the alert by id, not capture it);
  // label(kind, value): menu text; onFilter(): called when a menu changes; max: most rows shown.
  constructor({ list, filters, empty, row, label = (k, v) => v, onFilter = () => {}, max = 500 }) {
    Object.assign(this, { list, empty, row, label, onFilter, max });
    this.f = emptyFilter();
    this.rows = new Map(); // id -> { li, fp }
    this.more = el('li', { class: 'more', testid: 'alert-more' });
    this.held = false;
    this.pending = null;
    this.menus = {};
    for (const [key, title, any] of MENUS) {
      const s = el('select', { 'aria-label': title, testid: `alert-filter-${key}`, dataset: { any } },
        el('option', { value: '', text: any }));
      s.addEventListener('change', () => { this.f[key] = s.value; this.onFilter(); });
      this.menus[key] = s;
    }
    const since = el('select', { 'aria-label': 'Time', testid: 'alert-filter-since' },
      SINCE_OPTIONS.map(([v, t]) => el('option', { value: v, text: t })));
    since.addEventListener('change', () => { this.f.since = since.value; this.onFilter(); });
    filters.replaceChildren(...Object.values(this.menus), since);
    list.addEventListener('pointerenter', () => { this.held = true; });
    list.addEventListener('pointerleave', () => {
      this.held = false;
      if (this.pending) { const p = this.pending; this.pending = null; this.update(...p); }
    });
  }

  // The filter with the page's state buttons' value (`open`, `closed`, `all`).
  filter(state = 'all') { return { ...this.f, state }; }

  // Redraws the list for `alerts` (any iterable) under filter `f` at time `now` (ms); `selId` is
  // marked. Returns { shown, total }.
  update(alerts, f, now, selId) {
    const all = [...alerts];
    this.refreshMenus(all);
    const { rows, total } = select(all, f, now, this.max);
    // A changed filter is the officer's own doing: it applies at once, held or not.
    const key = JSON.stringify(f);
    const refiltered = key !== this.lastFilter;
    this.lastFilter = key;
    if (this.held && !refiltered) {
      // Redraw the rows in place only; the rest waits for the pointer to leave.
      for (const a of rows) this.patch(a, selId);
      this.pending = [all, f, now, selId];
      this.list.dataset.held = 'true';
      return { shown: rows.length, total };
    }
    delete this.list.dataset.held;
    const prevIds = [...this.list.children].map(li => li.dataset.alertId).filter(Boolean);
    const p = plan(prevIds, rows.map(a => a.id));
    for (const id of p.remove) { this.rows.get(id)?.li.remove(); this.rows.delete(id); }
    for (const a of rows) this.patch(a, selId);
    // Place the rows: walk the wanted order, inserting only where an element is out of place.
    let cursor = this.list.firstElementChild;
    for (const id of p.order) {
      const li = this.rows.get(id).li;
      if (li === cursor) { cursor = cursor.nextElementSibling; continue; }
      this.list.insertBefore(li, cursor);
    }
    if (total > rows.length) {
      this.more.textContent = `${total - rows.length} older alerts not listed`;
      this.list.append(this.more);
    } else this.more.remove();
    this.empty.hidden = rows.length > 0;
    this.list.dataset.rows = String(rows.length);
    return { shown: rows.length, total };
  }

  // Creates the row of `a`, or redraws its content in the same element when it changed.
  patch(a, selId) {
    const fp = fingerprint(a);
    let r = this.rows.get(a.id);
    if (!r) {
      r = { li: this.row(a), fp };
      this.rows.set(a.id, r);
    } else if (r.fp !== fp) {
      const fresh = this.row(a);
      r.li.className = fresh.className;
      Object.assign(r.li.dataset, fresh.dataset);
      r.li.replaceChildren(...fresh.childNodes);
      r.fp = fp;
    }
    r.li.classList.toggle('sel', a.id === selId);
  }

  refreshMenus(alerts) {
    const present = facets(alerts);
    for (const [key] of MENUS) {
      const s = this.menus[key];
      const values = present[key];
      if (this.f[key] && !values.includes(this.f[key])) values.push(this.f[key]);
      const have = [...s.options].slice(1).map(o => o.value);
      if (have.length === values.length && have.every((v, i) => v === values[i])) continue;
      s.replaceChildren(s.options[0], ...values.map(v => el('option', { value: v, text: this.label(key, v) })));
      s.value = this.f[key];
    }
  }
}
