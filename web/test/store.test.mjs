// Unit tests for the page's vessel store and lookup tables: `node --test web/test/` (no npm needed).
import test from 'node:test';
import assert from 'node:assert/strict';
import { VesselStore, direction } from '../src/store.js';
import { shipCategory, kindLabel, cssToken } from '../src/style.js';

const pos = (mmsi, time, extra = {}) => ({ mmsi, lat: 60, lon: 5, sog: 10, cog: 90, heading: 91, name: 'A', time, ...extra });

test('one record per MMSI, updated in place', () => {
  const s = new VesselStore(10);
  const a = s.position(pos(257000001, '2026-11-25T12:00:00Z'));
  const b = s.position(pos(257000001, '2026-11-25T12:00:10Z', { lat: 60.1 }));
  assert.equal(s.size, 1);
  assert.equal(a, b);
  assert.equal(b.lat, 60.1);
  assert.equal(b.last_seen, '2026-11-25T12:00:10Z');
});

test('older positions than the one held are ignored', () => {
  const s = new VesselStore(10);
  s.position(pos(1, '2026-11-25T12:00:10Z', { lat: 61 }));
  assert.equal(s.position(pos(1, '2026-11-25T12:00:00Z', { lat: 59 })), null);
  assert.equal(s.get(1).lat, 61);
});

test('a position without a name keeps the known name; nulls clear kinematics', () => {
  const s = new VesselStore(10);
  s.position(pos(1, '2026-11-25T12:00:00Z', { name: 'NORNE' }));
  const v = s.position(pos(1, '2026-11-25T12:00:01Z', { name: null, heading: null }));
  assert.equal(v.name, 'NORNE');
  assert.equal(v.heading, null);
});

test('invalid positions are dropped', () => {
  const s = new VesselStore(10);
  assert.equal(s.position({ mmsi: 'x', lat: 1, lon: 2 }), null);
  assert.equal(s.position({ mmsi: 1, lat: null, lon: 2 }), null);
  assert.equal(s.size, 0);
});

test('the cap evicts the least recently updated', () => {
  const s = new VesselStore(3);
  for (const m of [1, 2, 3]) s.position(pos(m, '2026-11-25T12:00:00Z'));
  s.position(pos(1, '2026-11-25T12:00:05Z')); // 1 is now the freshest
  s.position(pos(4, '2026-11-25T12:00:06Z'));
  assert.equal(s.size, 3);
  assert.equal(s.get(2), undefined);
  assert.deepEqual([...s.byMmsi.keys()].sort(), [1, 3, 4]);
  assert.equal(s.evicted, 1);
});

test('records fill static data but do not roll back a newer streamed position', () => {
  const s = new VesselStore(10);
  s.position(pos(1, '2026-11-25T12:00:10Z', { lat: 61 }));
  const v = s.record({ mmsi: 1, name: null, callsign: 'LABC', imo: 9123456, ship_type: 70, lat: 59, lon: 4, last_seen: '2026-11-25T12:00:00Z', destination: 'BERGEN' });
  assert.equal(v.lat, 61);
  assert.equal(v.last_seen, '2026-11-25T12:00:10Z');
  assert.equal(v.name, 'A');
  assert.equal(v.callsign, 'LABC');
  assert.equal(v.ship_type, 70);
  assert.equal(v.destination, 'BERGEN');
  const w = s.record({ mmsi: 1, lat: 62, lon: 6, last_seen: '2026-11-25T12:00:20Z' });
  assert.equal(w.lat, 62);
  assert.equal(s.newest, Date.parse('2026-11-25T12:00:20Z'));
});

test('direction: heading, else course when moving, else none', () => {
  assert.equal(direction({ heading: 45, cog: 90, sog: 10 }), 45);
  assert.equal(direction({ heading: 511, cog: 90, sog: 10 }), 90);
  assert.equal(direction({ heading: null, cog: 90, sog: 0.2 }), null);
  assert.equal(direction({ heading: 511, cog: 360, sog: 10 }), null);
});

test('ship categories, labels and class tokens', () => {
  assert.equal(shipCategory(70), 'cargo');
  assert.equal(shipCategory(84), 'tanker');
  assert.equal(shipCategory(30), 'fishing');
  assert.equal(shipCategory(35), 'military');
  assert.equal(shipCategory(55), 'military');
  assert.equal(shipCategory(60), 'passenger');
  assert.equal(shipCategory(null), 'other');
  assert.equal(kindLabel('infrastructure_speed_anomaly'), 'Infrastructure speed anomaly');
  assert.equal(cssToken('a"><img'), 'aimg');
});
