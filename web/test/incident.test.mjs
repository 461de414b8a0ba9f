// The incident of an alert, without the map: `node --test web/test/`.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  incidentWindow, partnerOf, evidenceFixes, matchesRef, assetFitPoints, nearestPoint, boundsOf,
} from '../src/incident-model.js';

test('the window runs from before the start to after the end, or to now while open', () => {
  const a = { start: '2026-11-25T12:00:00Z', end: '2026-11-25T13:00:00Z' };
  const w = incidentWindow(a, { beforeMs: 60000, afterMs: 1000 });
  assert.deepEqual(w, { from: Date.parse(a.start) - 60000, to: Date.parse(a.end) + 1000 });
  const now = Date.parse('2026-11-25T15:00:00Z');
  assert.equal(incidentWindow({ start: a.start, end: null }, { afterMs: 0, now }).to, now);
  assert.equal(incidentWindow({ start: 'x' }), null);
});

test('the partner is the related vessel that is not the alert\'s own', () => {
  assert.equal(partnerOf({ mmsi: 1, related_mmsi: [1, 2] }), 2);
  assert.equal(partnerOf({ mmsi: 1, related_mmsi: [] }), null);
  assert.equal(partnerOf({ mmsi: 1 }), null);
});

test('evidence fixes are numbered; a jump has a fix before and a fix after', () => {
  const rows = [{ lat: 60, lon: 5, time: 't0' }, { lat: null, lon: null, name: 'X' }, { lat: 61, lon: 6, time: 't1' }];
  const f = evidenceFixes(rows, 'position_jump');
  assert.deepEqual(f.map(x => [x.n, x.row, x.role]), [[1, 0, 'before'], [2, 2, 'after']]);
  assert.deepEqual(evidenceFixes(rows, 'loitering').map(x => x.role), [null, null]);
  assert.deepEqual(evidenceFixes(undefined, 'x'), []);
});

test('a layer feature matches the alert\'s asset by id, else by name and kind', () => {
  const f = { type: 'Feature', id: 'c1', properties: { name: 'Cable A', kind: 'cable' } };
  assert.ok(matchesRef(f, { id: 'c1' }));
  assert.ok(matchesRef({ properties: { id: 'c1' } }, { id: 'c1' }));
  assert.ok(matchesRef(f, { id: 'other', name: 'Cable A', kind: 'cable' }));
  assert.ok(!matchesRef(f, { id: 'other', name: 'Cable A', kind: 'pipeline' }));
  assert.ok(!matchesRef(f, null));
});

test('a small asset is fitted whole, a long one by its part nearest the incident', () => {
  const small = { type: 'LineString', coordinates: [[5, 60], [5.1, 60.05]] };
  assert.deepEqual(assetFitPoints(small, [60, 5]), [[60, 5], [60.05, 5.1]]);
  const long = { type: 'LineString', coordinates: [[0, 60], [10, 60]] };
  const p = assetFitPoints(long, [60.1, 4]);
  assert.equal(p.length, 1);
  assert.ok(Math.abs(p[0][0] - 60) < 1e-9 && Math.abs(p[0][1] - 4) < 1e-6, JSON.stringify(p));
  assert.deepEqual(nearestPoint({ type: 'Point', coordinates: [5, 60] }, [61, 6]), [60, 5]);
  assert.deepEqual(boundsOf([[60, 5], [61, 4]]), [[60, 4], [61, 5]]);
  assert.equal(boundsOf([]), null);
});
