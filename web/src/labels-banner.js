// Classification banners of the API's labels (STANAG 4774 shape: `{banner, classification:
// {policy: name}, releasable_to: [..] | null, caveats: [..], level}`). DOM-free; tests in
// web/test/labels-banner.test.mjs.
//
// A label's banner reads "BEGRENSET · REL NOR, SWE · CABLE OPS" and is coloured by `level`, the
// highest rank of its classifications in their policies (0 unclassified … 4 top secret). The page
// banner shows the highest classification of what is on screen.

export const LEVELS = ['unclassified', 'restricted', 'confidential', 'secret', 'top-secret'];

// The label's level (0…4): `level` when the server gave it, else restricted for any classification.
export function levelOf(label) {
  if (!label || typeof label !== 'object') return 0;
  if (Number.isInteger(label.level) && label.level >= 0) return Math.min(label.level, LEVELS.length - 1);
  return Object.keys(label.classification || {}).length ? 1 : 0;
}

// The classification part: the names under each policy ("NATO RESTRICTED + BEGRENSET"), or
// UNCLASSIFIED.
export function classificationText(label) {
  const names = Object.values(label?.classification || {}).map(n => String(n).toUpperCase());
  return names.length ? [...new Set(names)].join(' + ') : 'UNCLASSIFIED';
}

// The releasability part: "REL NOR, SWE"; none when releasable to all; "REL none" when the join of
// disjoint sets releases it to nobody.
export function releaseText(label) {
  const to = label?.releasable_to;
  if (!Array.isArray(to)) return null;
  return to.length ? `REL ${to.join(', ')}` : 'REL none';
}

// { text, level, cls, title } of an item's label; null without a label.
export function banner(label) {
  if (!label || typeof label !== 'object') return null;
  const level = levelOf(label);
  const caveats = Array.isArray(label.caveats) ? label.caveats.map(String) : [];
  const text = [classificationText(label), releaseText(label), ...caveats].filter(Boolean).join(' · ');
  return { text, level, cls: `label-${LEVELS[level]}`, title: label.banner || text };
}

// The page banner of several labels: the highest level's classification (every name at that
// level), e.g. "BEGRENSET"; null when there are none.
export function pageBanner(labels) {
  let top = -1;
  const names = new Set();
  for (const l of labels) {
    if (!l || typeof l !== 'object') continue;
    const level = levelOf(l);
    if (level > top) { top = level; names.clear(); }
    if (level !== top) continue;
    const own = Object.values(l.classification || {}).map(n => String(n).toUpperCase());
    for (const n of own.length ? own : ['UNCLASSIFIED']) names.add(n);
  }
  if (top < 0) return null;
  return { text: [...names].sort().join(' + '), level: top, cls: `label-${LEVELS[top]}` };
}

// The preview's notice: "Preview as SWE — not a release".
export function previewText(partner) {
  return `Preview as ${String(partner).toUpperCase()} — not a release`;
}
