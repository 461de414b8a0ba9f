// Access token handling and JSON fetches against the same-origin Varde API.
//
// The token arrives once in the page URL (`?token=…`, as printed by the demo), is kept in
// sessionStorage (per tab, gone when the tab closes) and is then removed from the address bar so it
// does not linger in history, screenshots or copied links. Fetches send `Authorization: Bearer`;
// the EventSource URL carries `?access_token=` because EventSource cannot set headers.

const KEY = 'varde.token';
let memoryToken = '';

export function initToken() {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    memoryToken = fromUrl;
    try { window.sessionStorage.setItem(KEY, fromUrl); } catch { /* storage disabled: keep in memory */ }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try { memoryToken = window.sessionStorage.getItem(KEY) || ''; } catch { /* storage disabled */ }
  return memoryToken;
}

export class ApiError extends Error {
  constructor(status, path) {
    super(`${path}: HTTP ${status}`);
    this.status = status;
  }
}

// The target of a `rel="next"` link in a Link header, as a URL (only its query is used), or null.
export function nextLink(header) {
  if (!header) return null;
  // Targets may hold commas (bbox=4,59,6,61): split on the <...> targets, not on commas.
  for (const m of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    if (/;\s*rel="?next"?\s*(;|,|$)/.test(m[2])) return new URL(m[1], 'http://x/');
  }
  return null;
}

// Paths are relative (`api/…`), so the page also works behind a reverse proxy under a sub-path.
export function client(token) {
  async function get(path) {
    const r = await fetch(path, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json, application/geo+json' },
      cache: 'no-store',
    });
    if (!r.ok) throw new ApiError(r.status, path);
    return r.json();
  }
  // Every page of a paged list: follows `Link: <...>; rel="next"` (RFC 8288) until the server
  // sends none, or `max` items are in hand. Each page is handed to `onPage` as it arrives. The next
  // page keeps the path prefix of the first (relative, for reverse proxies): only its query is taken.
  async function getPages(path, onPage, max = Infinity) {
    let next = path;
    let total = 0;
    while (next) {
      const r = await fetch(next, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        cache: 'no-store',
      });
      if (!r.ok) throw new ApiError(r.status, next);
      const page = await r.json();
      if (!Array.isArray(page)) return total;
      onPage(page);
      total += page.length;
      const link = nextLink(r.headers.get('link'));
      next = link && total < max ? next.split('?')[0] + link.search : null;
    }
    return total;
  }
  return {
    get,
    getPages,
    streamUrl: () => `api/stream?access_token=${encodeURIComponent(token)}`,
  };
}
