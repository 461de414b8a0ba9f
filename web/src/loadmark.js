// Performance marks of the map's first vessel load, for the load benchmark (bench/web-load/run) and
// for anyone timing the page in the browser's devtools:
//   varde:vessels-first-page-drawn  the first page of api/vessels is on the canvas
//   varde:vessels-drawn             every page of the first load is on the canvas
// Each is set once, at the vessel layer's first 'drawn' event after the data arrived; its `detail`
// says how many vessels the layer drew and how many the store held. The last one is also written
// to <html data-vessels-drawn="N">.

export function loadMarks(vesselLayer, store) {
  const done = new Set();
  const once = (name, after) => {
    if (done.has(name)) return;
    done.add(name);
    vesselLayer.once('drawn', e => {
      performance.mark(name, { detail: { drawn: e.count, held: store.size } });
      after?.(e);
    });
  };
  return {
    firstPage: () => once('varde:vessels-first-page-drawn'),
    allPages: () => once('varde:vessels-drawn', e => { document.documentElement.dataset.vesselsDrawn = String(e.count); }),
  };
}
