// Unit tests of the page's resync on `event: lagged`: `node --test web/test/` (no npm needed).
import test from 'node:test';
import assert from 'node:assert/strict';
import { Resync, parseLagged } from '../src/resync.js';

// A resync with a fake clock and timers; `calls` records the fetches in order.
function setup(minGapMs = 2000) {
  const calls = [], timers = [];
  let t = 0;
  const r = new Resync({
    vessels: () => calls.push('vessels'),
    alerts: () => calls.push('alerts'),
    minGapMs,
    now: () => t,
    setTimer: (f, ms) => timers.push({ f, at: t + ms }),
  });
  const advance = ms => {
    t += ms;
    for (const x of timers.splice(0).sort((a, b) => a.at - b.at)) {
      if (x.at <= t) x.f(); else timers.push(x);
    }
  };
  return { r, calls, timers, advance };
}

test('lost alerts refetch the alerts, lost positions the vessels', () => {
  const { r, calls, advance } = setup();
  r.lagged('{"positions":0,"alerts":3,"reason":"slow_client"}');
  assert.deepEqual(calls, ['alerts']);
  advance(5000);
  r.lagged('{"positions":120,"alerts":0,"reason":"slow_client"}');
  assert.deepEqual(calls, ['alerts', 'vessels']);
  assert.deepEqual(r.lost, { positions: 120, alerts: 3, notices: 2 });
});

test('unknown counts (a resume from another run) refetch both', () => {
  const { r, calls } = setup();
  r.lagged('{"positions":null,"alerts":null,"reason":"unknown_resume_point"}');
  assert.deepEqual(calls.sort(), ['alerts', 'vessels']);
});

test('an unreadable notice refetches both rather than trust it', () => {
  const { r, calls } = setup();
  r.lagged('not json');
  assert.deepEqual(calls.sort(), ['alerts', 'vessels']);
  assert.deepEqual(parseLagged('{"positions":-1,"alerts":"x"}'), { positions: null, alerts: null, reason: null });
});

test('notices inside the gap are merged into one later resync, none dropped', () => {
  const { r, calls, timers, advance } = setup(2000);
  r.lagged({ positions: 10, alerts: 0 });
  assert.deepEqual(calls, ['vessels']);
  advance(500);
  r.lagged({ positions: 10, alerts: 0 });
  r.lagged({ positions: 0, alerts: 1 });
  r.lagged({ positions: 5, alerts: 0 });
  assert.deepEqual(calls, ['vessels'], 'nothing more inside the gap');
  assert.equal(timers.length, 1, 'one timer for the lot');
  advance(1499);
  assert.deepEqual(calls, ['vessels']);
  advance(1);
  assert.deepEqual(calls, ['vessels', 'vessels', 'alerts']);
  assert.equal(r.lost.alerts, 1);
  assert.equal(r.lost.positions, 25);
});

test('a notice that lost nothing fetches nothing', () => {
  const { r, calls, timers } = setup();
  r.lagged({ positions: 0, alerts: 0 });
  assert.deepEqual(calls, []);
  assert.equal(timers.length, 0);
});
