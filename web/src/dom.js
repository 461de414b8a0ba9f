// Tiny DOM builder. Every value goes in as text or attribute, never as HTML: ship names, summaries
// and evidence lines come from radio traffic and must not be able to inject markup.

export function el(tag, props, ...children) {
  const e = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'style') e.style.cssText = v; // CSSOM, allowed under a CSP without 'unsafe-inline'
      else if (k === 'testid') e.setAttribute('data-testid', v);
      else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(e, children);
  return e;
}

function append(e, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(e, c);
    else e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// "2026-11-25T12:00:00.123Z" -> "2026-11-25 12:00:00Z" (UTC, as the server sends it).
export function fmtTime(iso) {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return String(iso);
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function fmtDuration(startIso, endIso) {
  const a = Date.parse(startIso), b = Date.parse(endIso);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a) return null;
  let s = Math.round((b - a) / 1000);
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}

export function fmtLatLon(lat, lon) {
  if (lat == null || lon == null) return '—';
  const f = (v, p, n) => `${Math.abs(v).toFixed(4)}° ${v >= 0 ? p : n}`;
  return `${f(lat, 'N', 'S')} ${f(lon, 'E', 'W')}`;
}

export const num = (v, digits = 1, unit = '') => (v == null || !Number.isFinite(Number(v)) ? '—' : `${Number(v).toFixed(digits)}${unit}`);

// For the few Leaflet APIs that take HTML strings (layer control names, attribution).
export const escapeHtml = v => String(v ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
