// The alert actions' request bodies and the history text (web/src/workflow.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionBody, stateLabel, historyText } from '../src/workflow.js';

test('action bodies carry what each action needs, or say what is missing', () => {
  assert.deepEqual(actionBody('ack'), { action: 'ack' });
  assert.deepEqual(actionBody('comment', { text: ' hailing ' }), { action: 'comment', text: 'hailing' });
  assert.deepEqual(actionBody('dismiss', { text: 'fishing gear' }), { action: 'dismiss', reason: 'fishing gear' });
  assert.deepEqual(actionBody('assign', { to: 'kari' }), { action: 'assign', to: 'kari' });
  assert.deepEqual(actionBody('escalate', { text: 'no answer' }), { action: 'escalate', text: 'no answer' });
  for (const a of ['comment', 'dismiss', 'escalate']) assert.ok(actionBody(a, { text: '  ' }).error, a);
  assert.ok(actionBody('assign').error);
  assert.ok(actionBody('shrug').error);
});

test('state labels and history lines', () => {
  assert.equal(stateLabel(undefined), 'new');
  assert.equal(stateLabel({ state: 'acknowledged', assignee: 'kari', escalated: false }), 'acknowledged → kari');
  assert.equal(stateLabel({ state: 'acknowledged', assignee: null, escalated: true }), 'escalated');
  assert.equal(stateLabel({ state: 'dismissed', assignee: null, escalated: true }), 'dismissed');
  assert.equal(historyText({ action: 'dismiss', by: 'kari', at: '2026-12-07T06:40:00Z', reason: 'gear out' }),
    '2026-12-07 06:40:00Z kari dismissed: gear out');
  assert.equal(historyText({ action: 'assign', by: 'ola', at: '2026-12-07T06:41:00Z', to: 'kari' }),
    '2026-12-07 06:41:00Z ola assigned → kari');
});
