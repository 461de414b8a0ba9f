// Alert list filters and the keyed update plan (web/src/alerts_filter.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyFilter, matches, select, facets, plan, fingerprint } from '../src/alerts_filter.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const iso = hoursAgo => new Date(NOW - hoursAgo * 3600e3).toISOString();
const alerts = [
  { id: 'a', kind: 'zone_entry', severity: 'high', zone: { id: 'ts', name: 'Territorial sea' }, start: iso(0.5), end: null },
  { id: 'b', kind: 'ais_gap', severity: 'medium', zone: 'EEZ', start: iso(5), end: iso(4) },
  { id: 'c', kind: 'cable_loiter', severity: 'high', asset: { name: 'Skagerrak 4', kind: 'power_cable' }, start: iso(30), end: iso(20) },
  { id: 'd', kind: 'ais_gap', severity: 'low', start: iso(50), end: null, workflow: { state: 'acknowledged' } },
  { id: 'e', kind: 'ais_gap', severity: 'low', start: iso(1), end: null, _retracted: true },
];
const ids = f => select(alerts, { ...emptyFilter(), ...f }, NOW).rows.map(a => a.id);

test('each filter keeps only its alerts, newest first, never a retracted one', () => {
  assert.deepEqual(ids({}), ['a', 'b', 'c', 'd']);
  assert.deepEqual(ids({ kind: 'ais_gap' }), ['b', 'd']);
  assert.deepEqual(ids({ severity: 'high' }), ['a', 'c']);
  assert.deepEqual(ids({ zone: 'Territorial sea' }), ['a']);
  assert.deepEqual(ids({ zone: 'EEZ' }), ['b']);
  assert.deepEqual(ids({ asset: 'Skagerrak 4' }), ['c']);
  assert.deepEqual(ids({ state: 'open' }), ['a', 'd']);
  assert.deepEqual(ids({ state: 'closed' }), ['b', 'c']);
  assert.deepEqual(ids({ kind: 'ais_gap', state: 'open' }), ['d']);
});

test('time keeps alerts active within the window: open ones always, closed ones ended after the cut-off', () => {
  assert.deepEqual(ids({ since: '1h' }), ['a', 'd']);
  assert.deepEqual(ids({ since: '6h' }), ['a', 'b', 'd']);
  assert.deepEqual(ids({ since: '24h' }), ['a', 'b', 'c', 'd']);
  assert.deepEqual(ids({ since: 'all' }), ['a', 'b', 'c', 'd']);
});

test('the workflow hook filters on the alert workflow state, new when it has none', () => {
  assert.deepEqual(ids({ workflow: 'acknowledged' }), ['d']);
  assert.deepEqual(ids({ workflow: 'new' }), ['a', 'b', 'c']);
  assert.equal(matches(null, emptyFilter(), NOW), false);
});

test('select caps the rows and counts them all', () => {
  const r = select(alerts, emptyFilter(), NOW, 2);
  assert.deepEqual(r.rows.map(a => a.id), ['a', 'b']);
  assert.equal(r.total, 4);
});

test('facets list the values present for the menus', () => {
  const f = facets(alerts);
  assert.deepEqual(f.kind, ['ais_gap', 'cable_loiter', 'zone_entry']);
  assert.deepEqual(f.severity, ['high', 'medium', 'low']);
  assert.deepEqual(f.zone, ['EEZ', 'Territorial sea']);
  assert.deepEqual(f.asset, ['Skagerrak 4']);
});

test('the keyed plan removes, adds and moves only what it must', () => {
  assert.deepEqual(plan(['a', 'b', 'c'], ['a', 'b', 'c']), { remove: [], add: [], move: [], order: ['a', 'b', 'c'] });
  // A new alert on top: nothing already shown moves.
  assert.deepEqual(plan(['a', 'b', 'c'], ['n', 'a', 'b', 'c']).move, []);
  assert.deepEqual(plan(['a', 'b', 'c'], ['n', 'a', 'b', 'c']).add, ['n']);
  // One gone, one new.
  const p = plan(['a', 'b', 'c'], ['a', 'c', 'd']);
  assert.deepEqual([p.remove, p.add, p.move], [['b'], ['d'], []]);
  // A row that jumped to the top is the only one moved.
  assert.deepEqual(plan(['a', 'b', 'c', 'd'], ['d', 'a', 'b', 'c']).move, ['d']);
  assert.deepEqual(plan([], []), { remove: [], add: [], move: [], order: [] });
});

test('the fingerprint changes with what a row shows, not with the object', () => {
  const a = alerts[0];
  assert.equal(fingerprint(a), fingerprint({ ...a }));
  assert.notEqual(fingerprint(a), fingerprint({ ...a, end: iso(0) }));
  assert.notEqual(fingerprint(a), fingerprint({ ...a, revision: 2 }));
});
