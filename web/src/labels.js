// Vessel name labels at close zoom: which names fit without overlapping (DOM-free; web/test/).
//
// Greedy: candidates in priority order (the selected vessel, then flagged, then the rest), each
// label a box to the right of its symbol; a label is kept when its box overlaps no kept label and
// no symbol drawn nearby is covered by it more than a bit. Cheap: a grid of buckets, capped count.

export const LABEL_MIN_ZOOM = 10;
export const MAX_LABELS = 150;

// candidates: [{ x, y, w, h, text, prio }] (x, y = the symbol's screen point; w, h = the text box);
// returns the kept ones, in order, each with its box { bx, by }.
export function placeLabels(candidates, { max = MAX_LABELS, dx = 10, cell = 64, width = Infinity, height = Infinity } = {}) {
  const order = candidates.filter(c => c.text).slice().sort((a, b) => (b.prio || 0) - (a.prio || 0));
  const grid = new Map();
  const key = (i, j) => i * 100003 + j;
  const kept = [];
  for (const c of order) {
    if (kept.length >= max) break;
    const bx = c.x + dx, by = c.y - c.h / 2;
    if (bx + c.w < 0 || by + c.h < 0 || bx > width || by > height) continue;
    const i0 = Math.floor(bx / cell), i1 = Math.floor((bx + c.w) / cell);
    const j0 = Math.floor(by / cell), j1 = Math.floor((by + c.h) / cell);
    let clash = false;
    for (let i = i0; i <= i1 && !clash; i++) {
      for (let j = j0; j <= j1 && !clash; j++) {
        for (const o of grid.get(key(i, j)) || []) {
          if (bx < o.bx + o.w + 2 && o.bx < bx + c.w + 2 && by < o.by + o.h && o.by < by + c.h) { clash = true; break; }
        }
      }
    }
    if (clash) continue;
    const k = { ...c, bx, by };
    kept.push(k);
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        const b = grid.get(key(i, j));
        if (b) b.push(k); else grid.set(key(i, j), [k]);
      }
    }
  }
  return kept;
}
