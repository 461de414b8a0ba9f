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

test('each raw sentence is in exactly one evidence row', async () => {
  const { evidenceRows } = await import('../src/incident-model.js');
  const raw = ['\\c:1*00\\!AIVDM,1,1,,A,13aaa,0*11', '!AIVDM,2,1,3,A,5xx,0*22', '!AIVDM,2,2,3,A,yy,2*33', '!AIVDM,2,1,4,B,5zz,0*44'];
  const decoded = [
    { raw: raw[0], lat: 60, lon: 5, msg_type: 1 },
    { raw: `${raw[1]}\n${raw[2]}`, name: 'X', msg_type: 5 },
  ];
  const rows = evidenceRows(raw, decoded);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.slice(0, 2), decoded);
  assert.deepEqual(rows[2], { raw: raw[3], error: 'incomplete message', msg_type: null });
  const all = rows.flatMap(r => r.raw.split('\n'));
  for (const l of raw) assert.equal(all.filter(x => x === l).length, 1, l);
  // The same sentence twice in the evidence is two rows, not one dropped.
  const twice = evidenceRows([raw[0], raw[0]], [{ raw: raw[0] }]);
  assert.equal(twice.length, 2);
  assert.deepEqual(evidenceRows(undefined, undefined), []);
  assert.deepEqual(evidenceRows([raw[0]], undefined).map(r => r.raw), [raw[0]]);
});

test('the evidence key changes with a new revision or more evidence, not otherwise', async () => {
  const { evidenceKey } = await import('../src/incident-model.js');
  const a = { id: 'a', revision: 1, evidence: ['x'], summary: 's' };
  assert.equal(evidenceKey(a), evidenceKey({ ...a, summary: 'other' }));
  assert.notEqual(evidenceKey(a), evidenceKey({ ...a, revision: 2 }));
  assert.notEqual(evidenceKey(a), evidenceKey({ ...a, evidence: ['x', 'y'] }));
  assert.equal(evidenceKey(undefined), evidenceKey({}));
});
