// Label banners on the map: the selected item's label as a classification banner in its panel, and
// the page banners (top and bottom of the map) with the highest classification on screen. The
// texts and colours come from labels-banner.js (DOM-free, tested in node).

import { el } from './dom.js';
import { banner, pageBanner } from './labels-banner.js';

// The classification banner of one item's label (null without a label).
export function labelBanner(label) {
  const b = banner(label);
  if (!b) return null;
  return el('div', { class: `label-banner ${b.cls}`, testid: 'label-banner', title: b.title, dataset: { level: String(b.level) }, text: b.text });
}

// Top and bottom page banners over `map`, refreshed every second and after a pan or zoom: the
// highest classification of the vessels and alerts in view and of the selected item.
// `vessels()` and `alerts()` iterate records with `lat`, `lon` and `label`; `selected()` is the
// selected item's label (or null).
export function pageMarking({ map, vessels, alerts, selected }) {
  const parts = ['top', 'bottom'].map(where => el('div', { class: `page-banner ${where}`, testid: `page-banner-${where}`, hidden: true }));
  map.getContainer().append(...parts);
  function update() {
    const bounds = map.getBounds();
    const labels = [];
    const seen = new Set();
    const add = l => { if (l && typeof l === 'object' && !seen.has(l.banner)) { seen.add(l.banner); labels.push(l); } };
    for (const src of [vessels(), alerts()]) {
      for (const x of src) {
        if (x?.label && Number.isFinite(x.lat) && Number.isFinite(x.lon) && !x._retracted && bounds.contains([x.lat, x.lon])) add(x.label);
      }
    }
    add(selected());
    const b = pageBanner(labels);
    for (const p of parts) {
      p.hidden = !b;
      if (!b) continue;
      p.className = `page-banner ${p.classList.contains('top') ? 'top' : 'bottom'} ${b.cls}`;
      p.textContent = b.text;
      p.dataset.level = String(b.level);
    }
  }
  map.on('moveend', update);
  setInterval(update, 1000);
  update();
  return { update };
}
