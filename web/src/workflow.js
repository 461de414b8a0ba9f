// Working an alert: the officer's actions (acknowledge, assign, comment, dismiss as false with a
// reason, escalate) in the alert panel, the alert's history, and its state on the alert row.
//
// API consumed:
//   GET  api/me                      who the map is open as ({name, role, may_act, operators})
//   GET  api/alerts/{id}             the alert with `workflow: {state, assignee, escalated, history}`
//   POST api/alerts/{id}/actions     {action, to?, text?, reason?} -> the workflow after it
// The list (GET api/alerts) carries each alert's `workflow` summary; stream events do not, so the
// summaries are kept here by alert id, not on the alert objects the stream replaces.
//
// The pure part (`actionBody`, `historyText`, `stateLabel`) has no DOM (web/test/workflow.test.mjs).

import { el, fmtTime } from './dom.js';

export const ACTIONS = ['ack', 'assign', 'comment', 'escalate', 'dismiss'];

// The POST body for an action from the panel's inputs, or an error message.
export function actionBody(action, { text = '', to = '' } = {}) {
  const t = String(text).trim();
  switch (action) {
    case 'ack': return t ? { action, text: t } : { action };
    case 'assign': return to ? { action, to } : { error: 'choose whom to assign to' };
    case 'comment': return t ? { action, text: t } : { error: 'write a comment first' };
    case 'escalate': return t ? { action, text: t } : { error: 'say why it is escalated' };
    case 'dismiss': return t ? { action, reason: t } : { error: 'a dismissal needs a reason' };
    default: return { error: `unknown action ${action}` };
  }
}

// The row and panel label of a workflow summary: "new", "acknowledged · kari", "escalated", ….
export function stateLabel(wf) {
  if (!wf) return 'new';
  const parts = [wf.escalated && wf.state !== 'dismissed' ? 'escalated' : wf.state || 'new'];
  if (wf.assignee) parts.push(`→ ${wf.assignee}`);
  return parts.join(' ');
}

const VERB = { ack: 'acknowledged', assign: 'assigned', comment: 'commented', escalate: 'escalated', dismiss: 'dismissed' };

// One history entry as text: "2026-12-07 06:40:00Z kari assigned → ola: text".
export function historyText(e) {
  const what = [VERB[e.action] || e.action, e.to ? `→ ${e.to}` : null].filter(Boolean).join(' ');
  const note = e.reason ?? e.text;
  return `${fmtTime(e.at)} ${e.by} ${what}${note ? `: ${note}` : ''}`;
}

export class Workflow {
  constructor(token, { onChange = () => {} } = {}) {
    this.token = token;
    this.onChange = onChange;
    this.summaries = new Map(); // alert id -> {state, assignee, escalated}
    this.me = null;
    this.ready = this.loadMe();
  }

  async request(path, init = {}) {
    const r = await fetch(path, {
      ...init,
      headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
      cache: 'no-store',
    });
    let body = null;
    try { body = await r.json(); } catch { /* not JSON */ }
    if (!r.ok) throw new Error(body?.error?.message || `HTTP ${r.status}`);
    return body;
  }

  async loadMe() {
    try { this.me = await this.request('api/me'); } catch { this.me = null; }
    return this.me;
  }

  // The alert list as fetched: keep each alert's summary.
  noteList(list) {
    if (!Array.isArray(list)) return;
    for (const a of list) if (a?.id && a.workflow) this.summaries.set(a.id, a.workflow);
  }

  // The state badge of an alert row.
  badge(id) {
    const wf = this.summaries.get(id);
    const state = wf?.state || 'new';
    return el('span', {
      class: `wf wf-${state}${wf?.escalated ? ' wf-escalated' : ''}`, testid: 'alert-workflow',
      dataset: { wfState: state }, text: stateLabel(wf),
    });
  }

  // The panel section of alert `id`: history (fetched) and, for those who may act, the controls.
  section(id) {
    // The panel is redrawn at every alert event: keep the section (and what is being typed).
    if (this.panel?.dataset.alertId === id) return this.panel;
    const history = el('ol', { class: 'wf-history', testid: 'alert-history' });
    const status = el('span', { class: 'wf-status', testid: 'alert-workflow-state', text: stateLabel(this.summaries.get(id)) });
    const error = el('p', { class: 'wf-error', testid: 'alert-action-error', hidden: true });
    const box = el('section', { class: 'workflow', testid: 'alert-workflow-panel', dataset: { alertId: id } },
      el('h3', {}, 'Work this alert ', status), error);
    const fill = wf => {
      if (!wf) return;
      this.summaries.set(id, { state: wf.state, assignee: wf.assignee, escalated: wf.escalated });
      status.textContent = stateLabel(wf);
      box.dataset.wfState = wf.state;
      const items = (wf.history || []).map(e => el('li', { testid: 'alert-history-entry', dataset: { action: e.action } , text: historyText(e) }));
      history.replaceChildren(...(items.length ? items : [el('li', { class: 'none', text: 'No actions yet.' })]));
    };
    const controls = el('div', { class: 'wf-controls', testid: 'alert-actions', hidden: true });
    const text = el('textarea', { rows: '2', placeholder: 'Comment, reason or note', testid: 'alert-action-text', 'aria-label': 'Comment, reason or note' });
    const to = el('select', { testid: 'alert-assign-to', 'aria-label': 'Assign to' });
    const act = async (action, button) => {
      const body = actionBody(action, { text: text.value, to: to.value });
      if (body.error) { error.textContent = body.error; error.hidden = false; return; }
      button.disabled = true;
      try {
        fill(await this.request(`api/alerts/${encodeURIComponent(id)}/actions`, { method: 'POST', body: JSON.stringify(body) }));
        text.value = '';
        error.hidden = true;
        this.onChange(id);
      } catch (e) {
        error.textContent = `${action} failed: ${e.message}`;
        error.hidden = false;
      } finally { button.disabled = false; }
    };
    const button = (action, label) => {
      const b = el('button', { type: 'button', testid: `alert-action-${action}`, text: label });
      b.addEventListener('click', () => act(action, b));
      return b;
    };
    controls.append(
      text,
      el('div', { class: 'wf-buttons' },
        button('ack', 'Acknowledge'), button('comment', 'Comment'), button('escalate', 'Escalate'),
        button('dismiss', 'Dismiss as false')),
      el('div', { class: 'wf-assign' }, to, button('assign', 'Assign')));
    box.append(controls, el('h4', { text: 'History' }), history);
    this.ready.then(me => {
      if (!me?.may_act) return; // viewers see the history only
      to.replaceChildren(...(me.operators || []).map(n => el('option', { value: n, text: n })));
      controls.hidden = false;
    });
    this.request(`api/alerts/${encodeURIComponent(id)}`).then(a => fill(a?.workflow), e => {
      error.textContent = `history unavailable: ${e.message}`;
      error.hidden = false;
    });
    this.panel = box;
    return box;
  }
}
