// Unit tests for the distance maths, the clock's texts and the label placement: `node --test web/test/`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { greatCircleM, pathLengthM, formatDistance, roundDown, initialBearing, greatCirclePoints, NM_M } from '../src/distance.js';
import { modeText, lagText, clockText } from '../src/clock.js';
import { placeLabels } from '../src/labels.js';

const near = (a, b, tol, msg) => assert.ok(Math.abs(a - b) <= tol, `${msg ?? ''} ${a} vs ${b} (±${tol})`);

test('one minute of latitude is one nautical mile (to within the sphere\'s error)', () => {
  near(greatCircleM([60, 5], [60 + 1 / 60, 5]), NM_M, 3);
  near(greatCircleM([0, 0], [0, 1]), 111195, 2); // a degree on the equator of the mean sphere
  assert.equal(greatCircleM([70, 20], [70, 20]), 0);
});

test('known city pairs come out within 0.5 % of their geodesic distance', () => {
  // Bergen–Oslo 305 km, Tromsø–Longyearbyen 955 km (WGS 84 geodesics).
  near(greatCircleM([60.3913, 5.3221], [59.9139, 10.7522]) / 1000, 305.0, 305 * 0.005);
  near(greatCircleM([69.6492, 18.9553], [78.2232, 15.6267]) / 1000, 958.5, 958.5 * 0.005);
});

test('a path sums its legs; antipodes and the dateline are handled', () => {
  const a = [60, 5], b = [60, 6], c = [61, 6];
  near(pathLengthM([a, b, c]), greatCircleM(a, b) + greatCircleM(b, c), 1e-6);
  assert.equal(pathLengthM([a]), 0);
  assert.equal(pathLengthM([]), 0);
  near(greatCircleM([0, 0], [0, 180]), Math.PI * 6371008.8, 1);
  near(greatCircleM([0, 179.5], [0, -179.5]), greatCircleM([0, 0], [0, 1]), 1e-6);
});

test('bearings and great-circle points', () => {
  near(initialBearing([60, 5], [61, 5]), 0, 1e-9);
  near(initialBearing([60, 5], [60, 6]), 89.57, 0.01); // a great circle starts north of east
  const pts = greatCirclePoints([60, 0], [60, 40], 100000);
  assert.deepEqual(pts[0].map(v => +v.toFixed(9)), [60, 0]);
  assert.deepEqual(pts.at(-1).map(v => +v.toFixed(9)), [60, 40]);
  assert.ok(Math.max(...pts.map(p => p[0])) > 61.4, 'bulges poleward (vertex near 61.5° N)');
  near(pathLengthM(pts), greatCircleM([60, 0], [60, 40]), 1);
});

test('distances read in nm and km', () => {
  assert.equal(formatDistance(1852), '1.00 nm · 1.85 km');
  assert.equal(formatDistance(100000), '54.0 nm · 100 km');
  assert.equal(formatDistance(1852 * 250), '250 nm · 463 km');
  assert.equal(formatDistance(NaN), '—');
});

test('scale bar lengths round down to 1, 2, 3 or 5 × 10^n', () => {
  assert.equal(roundDown(7.3), 5);
  assert.equal(roundDown(2.9), 2);
  assert.equal(roundDown(0.42), 0.3);
  assert.equal(roundDown(1000), 1000);
  assert.equal(roundDown(0), 0);
});

test('the mode says simulation with its speed, replay with its files, or live', () => {
  assert.equal(modeText({ mode: 'simulation', speed: 20 }), 'simulation ×20');
  assert.equal(modeText({ mode: 'simulation', speed: 1 }), 'simulation ×1 (real time)');
  assert.equal(modeText({ mode: 'replay', speed: 60, files: ['ais.nmea.gz'] }), 'replay of ais.nmea.gz ×60');
  assert.equal(modeText({ mode: 'replay', speed: 0, files: ['a', 'b'] }), 'replay of a, b (as fast as possible)');
  assert.equal(modeText({ mode: 'replay', speed: 2.5, files: [] }), 'replay ×2.5');
  assert.equal(modeText({ mode: 'live', speed: null }), 'live');
  assert.equal(modeText(null), '…');
});

test('the clock shows the picture time, the wall time and how far apart they are', () => {
  const wall = Date.parse('2026-12-07T10:00:00Z');
  const t = clockText(Date.parse('2026-12-07T09:58:30Z'), wall, { mode: 'live' });
  assert.deepEqual(t, { picture: '09:58:30Z', wall: '10:00:00Z', lag: '1 min behind', mode: 'live' });
  const sim = clockText(Date.parse('2026-12-07T13:10:00Z'), wall, { mode: 'simulation', speed: 20 });
  assert.equal(sim.lag, '3 h 10 min ahead');
  assert.equal(sim.mode, 'simulation ×20');
  const old = clockText(Date.parse('2025-11-24T16:00:00Z'), wall, { mode: 'replay', speed: 1, files: ['x.nmea'] });
  assert.equal(old.picture, '2025-11-24 16:00:00Z');
  assert.equal(old.lag, '377 d behind');
  assert.equal(clockText(0, wall, null).picture, 'no reports yet');
  assert.equal(lagText(wall - 59_000, wall), '');
});

test('labels never overlap, keep priority, and stop at the cap', () => {
  const c = (x, y, text, prio = 1) => ({ x, y, w: text.length * 6.6, h: 13, text, prio });
  const kept = placeLabels([c(100, 100, 'ALPHA'), c(102, 104, 'BRAVO', 3), c(100, 200, 'CHARLIE'), c(50, 50, '')]);
  assert.deepEqual(kept.map(k => k.text), ['BRAVO', 'CHARLIE']);
  const many = Array.from({ length: 500 }, (_, i) => c((i % 20) * 80, Math.floor(i / 20) * 20, `V${i}`));
  const placed = placeLabels(many, { max: 150 });
  assert.equal(placed.length, 150);
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i], b = placed[j];
      const overlap = a.bx < b.bx + b.w && b.bx < a.bx + a.w && a.by < b.by + b.h && b.by < a.by + a.h;
      assert.ok(!overlap, `${a.text} overlaps ${b.text}`);
    }
  }
  assert.equal(placeLabels([c(-500, 10, 'OFF')], { width: 800, height: 600 }).length, 0);
});
