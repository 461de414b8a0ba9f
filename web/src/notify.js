// New-alert notifications: a new high or critical alert arriving on the live stream plays a short
// tone (WebAudio, generated here: no audio file, no request), shows a browser notification when the
// officer has allowed them, and counts in the tab title ("(3) Varde — maritime watch") until the
// officer looks at the alert list. The tone can be muted; the choice is kept in localStorage.
//
// The pure part (which events notify, the title text) has no DOM and is tested with node
// (web/test/notify.test.mjs); `Notifier` wires it to the page.

export const NOTIFY_SEVERITIES = new Set(['high', 'critical']);
export const MUTE_KEY = 'varde.muted';

// Whether a stream `alert` payload is a new high/critical alert: the engine's AlertEvent
// {event: 'opened', alert} or a bare alert not seen before (`known(id)` says whether it was).
// Updates, closes and retractions never notify, nor does an alert already known.
export function notifies(payload, known = () => false) {
  if (!payload || typeof payload !== 'object') return null;
  let alert = payload;
  if (typeof payload.event === 'string') {
    if (payload.event !== 'opened' || !payload.alert || typeof payload.alert !== 'object') return null;
    alert = payload.alert;
  }
  if (!alert.id || known(alert.id)) return null;
  if (alert.end != null || alert.state === 'closed') return null;
  return NOTIFY_SEVERITIES.has(String(alert.severity).toLowerCase()) ? alert : null;
}

// The tab title with `unseen` new alerts: "(3) Varde", or the base title alone.
export function titleText(base, unseen) {
  const clean = String(base).replace(/^\(\d+\+?\)\s*/, '');
  if (!(unseen > 0)) return clean;
  return `(${unseen > 99 ? '99+' : unseen}) ${clean}`;
}

// The notification's title and body for an alert.
export function notificationText(alert, kindLabel = k => k) {
  const sev = String(alert.severity || '').toUpperCase();
  const vessel = alert.vessel?.name || (alert.mmsi ? `MMSI ${alert.mmsi}` : 'unknown vessel');
  return { title: `${sev} · ${kindLabel(alert.kind)}`, body: `${vessel}${alert.summary ? ` — ${alert.summary}` : ''}` };
}

// Page side: title count, tone, notification, mute toggle.
export class Notifier {
  constructor({ doc = document, win = window, kindLabel = k => k, onOpen = () => {} } = {}) {
    this.doc = doc;
    this.win = win;
    this.kindLabel = kindLabel;
    this.onOpen = onOpen;
    this.base = doc.title;
    this.unseen = 0;
    this.notified = 0;
    this.ctx = null;
    try { this.muted = win.localStorage.getItem(MUTE_KEY) === '1'; } catch { this.muted = false; }
  }

  // A stream `alert` payload; `known(id)`: whether the page already held that alert.
  onStreamAlert(payload, known) {
    const a = notifies(payload, known);
    if (!a) return false;
    this.unseen += 1;
    this.notified += 1;
    this.renderTitle();
    if (!this.muted) this.tone(a.severity === 'critical' ? 2 : 1);
    this.notification(a);
    return true;
  }

  // The officer looked at the alert list.
  seen() {
    if (!this.unseen) return;
    this.unseen = 0;
    this.renderTitle();
  }

  renderTitle() { this.doc.title = titleText(this.base, this.unseen); }

  setMuted(m) {
    this.muted = !!m;
    try { this.win.localStorage.setItem(MUTE_KEY, this.muted ? '1' : '0'); } catch { /* storage disabled */ }
    if (this.button) this.renderButton();
  }

  // Two short beeps for critical, one for high; nothing when WebAudio is missing or blocked.
  tone(beeps) {
    try {
      const AC = this.win.AudioContext || this.win.webkitAudioContext;
      if (!AC) return;
      this.ctx = this.ctx || new AC();
      const ctx = this.ctx;
      if (ctx.state === 'suspended') ctx.resume().catch(() => {});
      for (let i = 0; i < beeps; i++) {
        const t = ctx.currentTime + i * 0.22;
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = 'sine';
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.18);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t);
        osc.stop(t + 0.2);
      }
    } catch { /* audio unavailable */ }
  }

  notification(a) {
    const N = this.win.Notification;
    if (!N || N.permission !== 'granted') return;
    try {
      const { title, body } = notificationText(a, this.kindLabel);
      const n = new N(title, { body, tag: `varde-${a.id}` });
      n.onclick = () => { this.win.focus(); this.onOpen(a.id); };
    } catch { /* notifications unavailable */ }
  }

  // The mute / notifications controls, for the alerts header.
  controls() {
    const d = this.doc;
    const wrap = d.createElement('span');
    wrap.className = 'notify-controls';
    const b = d.createElement('button');
    b.type = 'button';
    b.className = 'mute';
    b.setAttribute('data-testid', 'alert-mute');
    b.addEventListener('click', () => {
      this.setMuted(!this.muted);
      // A click is the user gesture browsers want before audio, and before asking to notify.
      const N = this.win.Notification;
      if (N && N.permission === 'default') N.requestPermission().catch?.(() => {});
    });
    this.button = b;
    this.renderButton();
    wrap.append(b);
    return wrap;
  }

  renderButton() {
    this.button.textContent = this.muted ? 'sound off' : 'sound on';
    this.button.title = this.muted ? 'Alert sound off (click to turn on)' : 'Alert sound on (click to mute)';
    this.button.setAttribute('aria-pressed', this.muted ? 'true' : 'false');
    this.button.dataset.muted = this.muted ? '1' : '0';
  }

  // Clears the count when the officer looks at `list`: the pointer moving over it, focus in it, a scroll, or
  // the tab coming back while the list is on screen.
  watchList(list) {
    const seen = () => this.seen();
    for (const ev of ['pointerover', 'pointermove', 'focusin', 'scroll', 'click']) list.addEventListener(ev, seen, { passive: true });
    this.doc.addEventListener('visibilitychange', () => {
      if (this.doc.visibilityState === 'visible' && list.matches(':hover')) this.seen();
    });
  }
}
