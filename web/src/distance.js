// Great-circle distances for the distance tool and the scale (DOM-free; tested in web/test/).
//
// Haversine on a sphere of the mean Earth radius: within 0.5 % of the ellipsoidal (WGS 84) distance
// anywhere, which is plenty for a ruler on a watch map.

export const EARTH_RADIUS_M = 6371008.8; // IUGG mean radius
export const NM_M = 1852;

const RAD = Math.PI / 180;

// Distance in metres between two [lat, lon] points (degrees).
export function greatCircleM(a, b) {
  const [lat1, lon1] = a, [lat2, lon2] = b;
  const dLat = (lat2 - lat1) * RAD, dLon = (lon2 - lon1) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

// Initial bearing from a to b, degrees clockwise from true north (0..360).
export function initialBearing(a, b) {
  const [lat1, lon1] = a.map(v => v * RAD), [lat2, lon2] = b.map(v => v * RAD);
  const y = Math.sin(lon2 - lon1) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(lon2 - lon1);
  return (Math.atan2(y, x) / RAD + 360) % 360;
}

// Length in metres of a path of [lat, lon] points (the sum of its legs).
export function pathLengthM(points) {
  let m = 0;
  for (let i = 1; i < points.length; i++) m += greatCircleM(points[i - 1], points[i]);
  return m;
}

// "12.3 nm · 22.8 km" (two significant decimals below 10, one below 100, none above).
export function formatDistance(m) {
  if (!Number.isFinite(m) || m < 0) return '—';
  const f = v => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en'));
  return `${f(m / NM_M)} nm · ${f(m / 1000)} km`;
}

// The largest "round" length (1, 2, 3 or 5 × a power of ten) not above x; for scale bars.
export function roundDown(x) {
  if (!(x > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(x));
  const d = x / p;
  return Number((p * (d >= 5 ? 5 : d >= 3 ? 3 : d >= 2 ? 2 : 1)).toPrecision(12));
}

// Points along the great circle from a to b ([lat, lon]), both ends included, about every `stepM`
// metres (at most 256 legs): what a long measured leg is drawn with on a Mercator map.
export function greatCirclePoints(a, b, stepM = 20000) {
  const d = greatCircleM(a, b) / EARTH_RADIUS_M;
  const n = Math.min(256, Math.max(1, Math.ceil((d * EARTH_RADIUS_M) / stepM)));
  if (d === 0) return [a.slice(), b.slice()];
  const [la1, lo1] = a.map(v => v * RAD), [la2, lo2] = b.map(v => v * RAD);
  const out = [];
  for (let i = 0; i <= n; i++) {
    const f = i / n;
    const A = Math.sin((1 - f) * d) / Math.sin(d), B = Math.sin(f * d) / Math.sin(d);
    const x = A * Math.cos(la1) * Math.cos(lo1) + B * Math.cos(la2) * Math.cos(lo2);
    const y = A * Math.cos(la1) * Math.sin(lo1) + B * Math.cos(la2) * Math.sin(lo2);
    const z = A * Math.sin(la1) + B * Math.sin(la2);
    out.push([Math.atan2(z, Math.hypot(x, y)) / RAD, Math.atan2(y, x) / RAD]);
  }
  return out;
}
