// Which live alert events notify, and the tab title with the unseen count (web/src/notify.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notifies, titleText, notificationText } from '../src/notify.js';

const alert = (severity, extra = {}) => ({ id: `a-${severity}`, kind: 'ais_gap', severity, mmsi: 257000001, ...extra });

test('only new high and critical alerts notify', () => {
  assert.equal(notifies({ event: 'opened', alert: alert('high') }).id, 'a-high');
  assert.equal(notifies({ event: 'opened', alert: alert('critical') }).id, 'a-critical');
  assert.equal(notifies(alert('critical')).id, 'a-critical', 'a bare alert not seen before');
  for (const s of ['medium', 'low', 'info', undefined]) {
    assert.equal(notifies({ event: 'opened', alert: alert(s) }), null, String(s));
  }
  for (const ev of ['updated', 'closed', 'retracted']) {
    assert.equal(notifies({ event: ev, alert: alert('critical') }), null, ev);
  }
  assert.equal(notifies({ event: 'opened', alert: alert('high') }, id => id === 'a-high'), null, 'already known');
  assert.equal(notifies(alert('high', { end: '2026-12-07T06:00:00Z' })), null, 'already closed');
  assert.equal(notifies(null), null);
  assert.equal(notifies('x'), null);
  assert.equal(notifies({ event: 'opened' }), null);
});

test('the title carries the unseen count', () => {
  assert.equal(titleText('Varde — maritime watch', 0), 'Varde — maritime watch');
  assert.equal(titleText('Varde — maritime watch', 3), '(3) Varde — maritime watch');
  assert.equal(titleText('(3) Varde', 4), '(4) Varde', 'an old count is replaced, not stacked');
  assert.equal(titleText('(3) Varde', 0), 'Varde');
  assert.equal(titleText('Varde', 250), '(99+) Varde');
});

test('the notification names severity, kind and vessel', () => {
  const n = notificationText(alert('critical', { vessel: { name: 'NORNE' }, summary: 'dark 2 h' }), k => k.toUpperCase());
  assert.deepEqual(n, { title: 'CRITICAL · AIS_GAP', body: 'NORNE — dark 2 h' });
  assert.equal(notificationText(alert('high')).body, 'MMSI 257000001');
});
