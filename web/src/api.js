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
  return {
    get,
    streamUrl: () => `api/stream?access_token=${encodeURIComponent(token)}`,
  };
}
