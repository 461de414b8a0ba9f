// What the page does on `event: lagged` from api/stream: the server says this page lost
// `{positions: n, alerts: m}` events (it read too slowly, or resumed past what the server keeps;
// `null` = unknown). The page fetches again what it lost: vessels when positions were lost,
// alerts when alerts were. A page that keeps falling behind must not turn that into a fetch storm:
// at most one resync per `minGapMs`, and a request inside that gap is done when it ends (never
// dropped). No DOM here, so `node --test web/test/` can drive it.

// The counts of a `lagged` event's data; `null` = unknown. Anything unreadable counts as
// "unknown, both" (resync everything rather than trust a broken notice).
export function parseLagged(data) {
  let x;
  try { x = typeof data === 'string' ? JSON.parse(data) : data; } catch { x = null; }
  if (!x || typeof x !== 'object') return { positions: null, alerts: null, reason: null };
  const count = v => (Number.isFinite(v) && v >= 0 ? v : null);
  return { positions: count(x.positions), alerts: count(x.alerts), reason: typeof x.reason === 'string' ? x.reason : null };
}

export class Resync {
  // `vessels()` and `alerts()` refetch; `now()` in ms and `setTimer(fn, ms)` are injectable for tests.
  constructor({ vessels, alerts, minGapMs = 2000, now = () => Date.now(), setTimer = (f, ms) => setTimeout(f, ms) }) {
    Object.assign(this, { fetchVessels: vessels, fetchAlerts: alerts, minGapMs, now, setTimer });
    this.last = -Infinity;
    this.timer = false;
    this.want = { vessels: false, alerts: false };
    // What the stream told this page it lost, in total (unknown counts not included).
    this.lost = { positions: 0, alerts: 0, notices: 0 };
  }

  // Handles one `lagged` event's data.
  lagged(data) {
    const n = parseLagged(data);
    this.lost.notices++;
    this.lost.positions += n.positions ?? 0;
    this.lost.alerts += n.alerts ?? 0;
    if (n.positions !== 0) this.want.vessels = true;
    if (n.alerts !== 0) this.want.alerts = true;
    if (!this.want.vessels && !this.want.alerts) return;
    const wait = this.last + this.minGapMs - this.now();
    if (wait <= 0) this.run();
    else if (!this.timer) {
      this.timer = true;
      this.setTimer(() => { this.timer = false; this.run(); }, wait);
    }
  }

  run() {
    const { vessels, alerts } = this.want;
    this.want = { vessels: false, alerts: false };
    if (!vessels && !alerts) return;
    this.last = this.now();
    if (vessels) this.fetchVessels();
    if (alerts) this.fetchAlerts();
  }
}
