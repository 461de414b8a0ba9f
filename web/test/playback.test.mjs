// Track playback interpolation: `node --test web/test/`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Timeline, fixesOf, bearing, step, rateFor } from '../src/playback.js';

const track = (coords, times, sog) => ({
  type: 'Feature',
  geometry: { type: 'LineString', coordinates: coords },
  properties: { times, sog: sog || coords.map(() => 10) },
});
const T = '2026-11-25T12:00:00Z';
const at = s => Date.parse(T) + s * 1000;
const iso = s => new Date(at(s)).toISOString();

test('fixes are read from the track feature, sorted by time, bad ones skipped', () => {
  const f = fixesOf(track([[5, 60], [5.1, 60.1], [5.2, 60.2], [null, 1]], [iso(20), iso(0), 'garbage', iso(30)]));
  assert.deepEqual(f.map(x => [x.t, x.lon, x.lat]), [[at(0), 5.1, 60.1], [at(20), 5, 60]]);
  assert.deepEqual(fixesOf({ geometry: { type: 'Point', coordinates: [5, 60] }, properties: { times: [iso(0)] } }).length, 1);
  assert.deepEqual(fixesOf(null), []);
});

test('a position between two fixes is interpolated in time', () => {
  const tl = Timeline.fromTrack(track([[5, 60], [6, 61], [6, 62]], [iso(0), iso(100), iso(300)]));
  assert.equal(tl.start, at(0));
  assert.equal(tl.end, at(300));
  const p = tl.at(at(25));
  assert.ok(Math.abs(p.lat - 60.25) < 1e-9 && Math.abs(p.lon - 5.25) < 1e-9, JSON.stringify(p));
  assert.equal(p.index, 0);
  assert.equal(p.exact, false);
  const q = tl.at(at(200));
  assert.ok(Math.abs(q.lat - 61.5) < 1e-9 && q.lon === 6, JSON.stringify(q));
  assert.equal(q.index, 1);
  assert.ok(Math.abs(q.course - 0) < 1e-9, 'due north');
  const r = tl.at(at(100));
  assert.deepEqual([r.lat, r.lon, r.exact, r.index], [61, 6, true, 1]);
});

test('before the first fix and after the last, the marker stays on them', () => {
  const tl = Timeline.fromTrack(track([[5, 60], [6, 61]], [iso(0), iso(100)]));
  assert.deepEqual([tl.at(at(-50)).lat, tl.at(at(-50)).t], [60, at(0)]);
  assert.deepEqual([tl.at(at(500)).lat, tl.at(at(500)).lon, tl.at(at(500)).t], [61, 6, at(100)]);
  assert.equal(new Timeline([]).at(at(0)), null);
  assert.equal(tl.at(NaN), null);
});

test('a leg across the antimeridian goes the short way', () => {
  const tl = Timeline.fromTrack(track([[179, 0], [-179, 0]], [iso(0), iso(10)]));
  const p = tl.at(at(5));
  assert.ok(Math.abs(Math.abs(p.lon) - 180) < 1e-9, `lon ${p.lon}`);
  const q = tl.at(at(7.5));
  assert.ok(Math.abs(q.lon - -179.5) < 1e-9, `lon ${q.lon}`);
});

test('slider fraction and time map onto each other; since() keeps the last hours', () => {
  const tl = Timeline.fromTrack(track([[5, 60], [6, 61], [7, 62]], [iso(0), iso(3600), iso(7200)]));
  assert.equal(tl.timeAt(0.5), at(3600));
  assert.equal(tl.timeAt(2), at(7200));
  assert.equal(tl.fractionAt(at(1800)), 0.25);
  assert.equal(tl.indexAt(at(-1)), -1);
  assert.equal(tl.indexAt(at(3600)), 1);
  const last = tl.since(at(3600));
  assert.equal(last.length, 2);
  assert.equal(last.start, at(3600));
});

test('bearing, step and rate', () => {
  assert.ok(Math.abs(bearing({ lat: 60, lon: 5 }, { lat: 60, lon: 6 }) - 89.57) < 0.05);
  assert.equal(bearing({ lat: 60, lon: 5 }, { lat: 60, lon: 5 }), null);
  assert.deepEqual(step(0, 100, 60, 10000), { t: 6000, done: false });
  assert.deepEqual(step(9000, 100, 60, 10000), { t: 10000, done: true });
  assert.equal(rateFor(3 * 3600 * 1000, 30000), 600);
  assert.equal(rateFor(0), 1);
});
