// Alert list filters and the keyed update plan of the list. DOM-free (unit tests in
// web/test/alerts_filter.test.mjs); the DOM side is alerts_list.js.
//
// A filter is { kind, severity, zone, asset, since, state, workflow }: each '' (or missing) means
// any. `since` is '1h', '6h', '24h' or 'all' and keeps alerts active at some time within that long
// before `now` (open, or ended after the cut-off). `state` is 'open', 'closed' or 'all'.
// `workflow` is the hook for the operator workflow state (acknowledged, dismissed…): when set, it
// must equal the alert's `workflow.state` (or `workflow_state`); alerts without one count as 'new'.

export const SINCE = { '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3, all: Infinity };

export const emptyFilter = () => ({ kind: '', severity: '', zone: '', asset: '', since: 'all', state: 'all', workflow: '' });

export const isOpen = a => !a._retracted && (a.state ? a.state === 'open' : a.end == null);

// `zone` and `asset` may be a plain name or the engine's object ({id, name, kind…}).
export const placeName = p => (p == null || p === '' ? '' : typeof p === 'object' ? String(p.name || p.id || '') : String(p));

export const workflowState = a => a.workflow?.state || a.workflow_state || 'new';

const t = iso => { const v = Date.parse(iso); return Number.isFinite(v) ? v : NaN; };

// Whether alert `a` passes filter `f` at time `now` (ms).
export function matches(a, f, now) {
  if (!a || a._retracted) return false;
  if (f.kind && a.kind !== f.kind) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.zone && placeName(a.zone) !== f.zone) return false;
  if (f.asset && placeName(a.asset) !== f.asset) return false;
  const open = isOpen(a);
  if (f.state === 'open' && !open) return false;
  if (f.state === 'closed' && open) return false;
  if (f.workflow && workflowState(a) !== f.workflow) return false;
  const span = SINCE[f.since] ?? Infinity;
  if (span !== Infinity) {
    const cut = now - span;
    const end = open ? Infinity : t(a.end);
    const start = t(a.start);
    // Active at some time in [cut, now]: not ended before the cut-off.
    if (!(end >= cut) && !(start >= cut)) return false;
  }
  return true;
}

export const byStartDesc = (a, b) => (t(b.start) || 0) - (t(a.start) || 0) || String(a.id).localeCompare(String(b.id));

// The alerts passing `f`, newest first, at most `max`; with how many passed in all.
export function select(alerts, f, now, max = Infinity) {
  const shown = [];
  for (const a of alerts) if (matches(a, f, now)) shown.push(a);
  shown.sort(byStartDesc);
  return { rows: shown.slice(0, max), total: shown.length };
}

// The values present for the filter menus: kinds, severities, zones and assets, sorted.
export function facets(alerts) {
  const sets = { kind: new Set(), severity: new Set(), zone: new Set(), asset: new Set() };
  for (const a of alerts) {
    if (a._retracted) continue;
    if (a.kind) sets.kind.add(a.kind);
    if (a.severity) sets.severity.add(a.severity);
    const z = placeName(a.zone), s = placeName(a.asset);
    if (z) sets.zone.add(z);
    if (s) sets.asset.add(s);
  }
  const order = ['high', 'medium', 'low', 'info'];
  const sev = [...sets.severity].sort((x, y) => (order.indexOf(x) + 99) % 99 - (order.indexOf(y) + 99) % 99 || x.localeCompare(y));
  return { kind: [...sets.kind].sort(), severity: sev, zone: [...sets.zone].sort(), asset: [...sets.asset].sort() };
}

// A row's content key: the row is redrawn only when this changes.
export const fingerprint = a => JSON.stringify([a.revision, a.state, a.end, a.severity, a.kind, a.summary, a.vessel?.name, a.mmsi, workflowState(a)]);

// The keyed plan from the list as shown (`prev`, ids in order) to the list wanted (`next`):
// `remove` ids to drop, `add` ids to create, `moves` how many rows must be re-placed (rows already
// in their relative order stay where they are: a longest increasing subsequence is kept).
export function plan(prev, next) {
  const want = new Set(next);
  const had = new Set(prev);
  const remove = prev.filter(id => !want.has(id));
  const add = next.filter(id => !had.has(id));
  const kept = prev.filter(id => want.has(id));
  const pos = new Map(next.map((id, i) => [id, i]));
  const stay = new Set(lis(kept.map(id => pos.get(id))).map(i => kept[i]));
  const move = kept.filter(id => !stay.has(id));
  return { remove, add, move, order: next };
}

// Indices of a longest strictly increasing subsequence of `xs`.
function lis(xs) {
  const tails = [], prevIdx = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0, hi = tails.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[tails[mid]] < xs[i]) lo = mid + 1; else hi = mid; }
    prevIdx[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
  }
  const out = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prevIdx[i]) out.push(i);
  return out.reverse();
}
