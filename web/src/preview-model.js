// "View as partner": the cookie the map keeps the choice in (`varde_view_as`, read by the server's
// auth for every request of the page, the event stream included). DOM-free; tests in
// web/test/labels-banner.test.mjs.

export const PREVIEW_COOKIE = 'varde_view_as';

// The Set-Cookie text choosing partner `id` (null: back to the operator's own view).
export function previewCookie(id) {
  if (id == null || id === '') return `${PREVIEW_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict`;
  return `${PREVIEW_COOKIE}=${encodeURIComponent(id)}; Path=/; SameSite=Strict`;
}

// Cookie `name` of a `document.cookie` string, decoded; null when absent or empty.
export function cookieValue(cookies, name) {
  for (const part of String(cookies || '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      const value = decodeURIComponent(v.join('='));
      return value || null;
    }
  }
  return null;
}
