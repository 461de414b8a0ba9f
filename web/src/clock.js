// The picture's clock beside the wall clock, and what feeds the picture (GET api/status).
//
// The picture's time is the event time of the newest report (the server's, or a newer one the page
// received on the stream); a simulated or replayed run says so. Nothing here extrapolates: the
// picture's clock only moves when reports arrive. The text functions are DOM-free (web/test/).

const hms = ms => new Date(ms).toISOString().slice(11, 19);
const ymd = ms => new Date(ms).toISOString().slice(0, 10);

// "simulation ×20", "replay of a.nmea, b.nmea ×60", "replay of a.nmea (as fast as possible)", "live".
export function modeText(status) {
  const mode = status?.mode;
  const speed = Number(status?.speed);
  const x = Number.isFinite(speed) ? (speed === 0 ? ' (as fast as possible)' : speed === 1 ? ' ×1 (real time)' : ` ×${fmtSpeed(speed)}`) : '';
  if (mode === 'simulation') return `simulation${x}`;
  if (mode === 'replay') {
    const files = Array.isArray(status.files) && status.files.length ? ` of ${status.files.join(', ')}` : '';
    return `replay${files}${x}`;
  }
  if (mode === 'live') return 'live';
  return '…';
}

const fmtSpeed = s => (Number.isInteger(s) ? String(s) : s.toFixed(s < 10 ? 2 : 1).replace(/\.?0+$/, ''));

// How far the picture is from the wall clock, or '' when within a minute.
export function lagText(pictureMs, wallMs) {
  const d = Math.round((wallMs - pictureMs) / 1000);
  const a = Math.abs(d);
  if (a < 60) return '';
  const h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60);
  const span = h >= 48 ? `${Math.floor(h / 24)} d` : h ? `${h} h ${m} min` : `${m} min`;
  return d > 0 ? `${span} behind` : `${span} ahead`;
}

// The clock line's parts: { picture, wall, lag, mode }.
// Times are UTC ("12:00:05Z"); the picture's date is added when it is not the wall clock's.
export function clockText(pictureMs, wallMs, status) {
  const picture = Number.isFinite(pictureMs) && pictureMs > 0
    ? `${ymd(pictureMs) === ymd(wallMs) ? '' : `${ymd(pictureMs)} `}${hms(pictureMs)}Z`
    : 'no reports yet';
  return { picture, wall: `${hms(wallMs)}Z`, lag: Number.isFinite(pictureMs) && pictureMs > 0 ? lagText(pictureMs, wallMs) : '', mode: modeText(status) };
}

// Keeps `root` (an element) showing the clock: polls `getStatus()` every `everyMs`, reads the page's
// newest report time from `newest()` every second. Returns { stop, status() }.
export function startClock(root, { getStatus, newest, everyMs = 5000, now = () => Date.now() }) {
  let status = null, serverPicture = NaN, serverWallOffset = 0;
  const doc = root.ownerDocument;
  const part = (cls, testid) => {
    const s = doc.createElement('span');
    s.className = cls;
    s.setAttribute('data-testid', testid);
    root.append(s);
    return s;
  };
  const mode = part('clock-mode', 'clock-mode');
  const pic = part('clock-picture', 'clock-picture');
  const lag = part('clock-lag', 'clock-lag');
  const wall = part('clock-wall', 'clock-wall');
  const render = () => {
    const wallMs = now() + serverWallOffset;
    const p = Math.max(Number.isFinite(serverPicture) ? serverPicture : 0, newest() || 0);
    const t = clockText(p, wallMs, status);
    mode.textContent = t.mode;
    pic.textContent = `picture ${t.picture}`;
    lag.textContent = t.lag ? `(${t.lag})` : '';
    wall.textContent = `wall ${t.wall}`;
    root.dataset.mode = status?.mode || 'unknown';
    root.dataset.pictureMs = p ? String(p) : '';
    root.title = 'Picture: event time of the newest report. Wall: the server\'s clock (UTC).';
  };
  const poll = async () => {
    try {
      status = await getStatus();
      serverPicture = Date.parse(status?.picture_time);
      const w = Date.parse(status?.wall_time);
      if (Number.isFinite(w)) serverWallOffset = w - now();
    } catch { /* keep the last status; the source indicator reports outages */ }
    render();
  };
  render();
  poll();
  const timers = [setInterval(poll, everyMs), setInterval(render, 1000)];
  return { stop: () => timers.forEach(clearInterval), status: () => status };
}
