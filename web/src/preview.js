// "View as partner": an operator picks a partner in the top bar and the map then shows exactly
// what that partner receives (the server answers every request of the page, the stream included,
// as the partner — see `varde_view_as` in serve/api/auth.rs). It is not a release, and a banner
// says so. The picker is hidden when no partners are configured or the account may not preview.

import { el } from './dom.js';
import { previewCookie, cookieValue, PREVIEW_COOKIE } from './preview-model.js';
import { previewText } from './labels-banner.js';

// The partner being previewed (from the cookie), or null.
export function previewing() {
  return cookieValue(document.cookie, PREVIEW_COOKIE);
}

function choose(id) {
  document.cookie = previewCookie(id);
  window.location.reload();
}

// Fills `slot` with the picker (from `api/me`) and, while previewing, adds the preview banner
// over `map`.
export async function previewPicker({ api, slot, map }) {
  let me = null;
  try { me = await api.get('api/me'); } catch { /* no picker */ }
  const asked = previewing();
  // A partner since removed (or an account that may not preview): back to the own view.
  if (asked && me && me.previewing !== asked) { choose(null); return; }
  const partners = Array.isArray(me?.partners) ? me.partners : [];
  if (!partners.length) { slot.replaceChildren(); return; }
  const select = el('select', { testid: 'preview-picker', 'aria-label': 'View as partner', title: 'See what a partner receives (not a release)', onchange: e => choose(e.target.value || null) },
    el('option', { value: '', text: 'Own view' }),
    partners.map(id => el('option', { value: id, text: `View as ${String(id).toUpperCase()}`, selected: id === me.previewing })));
  slot.replaceChildren(el('div', { class: 'preview-pick' }, select));
  if (me.previewing) {
    document.body.dataset.preview = me.previewing;
    map.getContainer().append(el('div', { class: 'preview-banner', testid: 'preview-banner' },
      el('span', { text: previewText(me.previewing) }),
      el('button', { type: 'button', testid: 'preview-exit', onclick: () => choose(null), text: 'Exit preview' })));
  }
}
