// Colours, labels and lookup tables shared by the map layers, the legend and the panels.

export const SEA = '#a9cfe8';
export const LAND = { color: '#8d8a80', weight: 0.8, fillColor: '#f2efe9', fillOpacity: 1, interactive: false };
// The coarse neighbouring land (display only) under Norway's detailed land: same fill, a fainter coast.
export const REGION_LAND = { color: '#a9a59b', weight: 0.6, fillColor: '#f2efe9', fillOpacity: 1, interactive: false };

// Zones are drawn largest first (rank) so the inner, stricter zones stay on top.
export const ZONE = {
  eez:             { label: 'Exclusive economic zone', color: '#005f73', dashArray: '8 5', weight: 1.8, fillOpacity: 0.05, rank: 1 },
  svalbard_fpz:    { label: 'Fisheries protection zone (Svalbard)', color: '#8a5a44', dashArray: '8 5', weight: 1.8, fillOpacity: 0.06, rank: 1 },
  jan_mayen_zone:  { label: 'Fishery zone (Jan Mayen)', color: '#b5651d', dashArray: '8 5', weight: 1.8, fillOpacity: 0.06, rank: 1 },
  contiguous_zone: { label: 'Contiguous zone (24 nm)', color: '#3d5a80', dashArray: '3 4', weight: 1.4, fillOpacity: 0.06, rank: 2 },
  territorial_sea: { label: 'Territorial sea (12 nm)', color: '#1d6fa3', weight: 1.4, fillOpacity: 0.16, rank: 3 },
  internal_waters: { label: 'Internal waters', color: '#283d6b', weight: 1, fillOpacity: 0.22, rank: 4 },
  user:            { label: 'Watch area (user)', color: '#c9184a', weight: 2, fillOpacity: 0.12, rank: 5 },
};
export const ZONE_FALLBACK = { label: 'Other zone', color: '#555555', weight: 1, fillOpacity: 0.06, rank: 0 };

// Lines: zone limits are thin plain dashes in blues and greys (above); pipelines are thick, solid and
// brown; telecom cables magenta dash-dot; power cables orange long-dash-dot. No two line kinds share
// a pattern, so they tell apart without colour too.
export const INFRA = {
  pipeline:    { label: 'Pipeline', color: '#7f4f24', weight: 3.4, line: 'solid' },
  cable:       { label: 'Telecom cable', color: '#b5179e', weight: 2, dashArray: '8 3 2 3', line: 'dash-dot' },
  power_cable: { label: 'Power cable', color: '#e07a00', weight: 2.4, dashArray: '14 4 3 4', line: 'long-dash-dot' },
  platform:    { label: 'Platform', color: '#222222', point: true },
  subsea_structure: { label: 'Subsea structure', color: '#6b6b6b', point: true },
  wind_turbine: { label: 'Wind turbine', color: '#2a9d8f', point: true },
  landing:     { label: 'Landing / landfall', color: '#6a4c93', point: true },
  field:       { label: 'Petroleum field', color: '#8c6d31', weight: 1, fillOpacity: 0.15 },
};
export const INFRA_FALLBACK = { label: 'Other infrastructure', color: '#4a4a4a', weight: 1.6 };

// AIS ship-type categories, with the colour conventions most AIS viewers use.
export const SHIP = {
  cargo:     { label: 'Cargo', color: '#3f9b3a' },
  tanker:    { label: 'Tanker', color: '#d7301f' },
  passenger: { label: 'Passenger', color: '#2b59c3' },
  fishing:   { label: 'Fishing', color: '#f08a4b' },
  hsc:       { label: 'High-speed craft', color: '#f5d000' },
  tug:       { label: 'Tug / special', color: '#19a7a7' },
  military:  { label: 'Military / law enforcement', color: '#37474f' },
  pleasure:  { label: 'Pleasure / sailing', color: '#c04ccf' },
  other:     { label: 'Other / unknown', color: '#9e9e9e' },
};

export function shipCategory(t) {
  if (t == null || t === 0) return 'other';
  if (t === 30) return 'fishing';
  if (t === 35 || t === 55) return 'military';
  if (t === 31 || t === 32 || t === 33 || t === 50 || t === 51 || t === 52 || t === 53 || t === 54 || t === 58) return 'tug';
  if (t === 36 || t === 37) return 'pleasure';
  if (t >= 40 && t < 50) return 'hsc';
  if (t >= 60 && t < 70) return 'passenger';
  if (t >= 70 && t < 80) return 'cargo';
  if (t >= 80 && t < 90) return 'tanker';
  return 'other';
}

export const SEVERITY = {
  critical: '#7a0010',
  high: '#d00000',
  medium: '#f48c06',
  low: '#e9b500',
  info: '#4895ef',
};
export const severityColor = s => SEVERITY[s] || '#6c757d';

export const NAV_STATUS = [
  'Under way using engine', 'At anchor', 'Not under command', 'Restricted manoeuvrability',
  'Constrained by draught', 'Moored', 'Aground', 'Engaged in fishing', 'Under way sailing',
  'Reserved (HSC)', 'Reserved (WIG)', 'Towing astern', 'Pushing ahead / towing alongside',
  'Reserved', 'AIS-SART / MOB / EPIRB active', 'Not defined',
];

export function kindLabel(kind) {
  if (!kind) return 'Alert';
  const s = String(kind).replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Safe for use in a class name: server-provided kinds never reach the DOM unescaped.
export const cssToken = s => String(s ?? '').toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'unknown';

// CSS for a legend swatch of a line style: the same colour, weight and dash pattern as on the map
// (an SVG background, since a CSS border cannot draw dash-dot).
export function lineSwatchCss(s) {
  const w = Math.max(2, s.weight || 2);
  const dash = s.dashArray ? ` stroke-dasharray='${String(s.dashArray).replace(/[^0-9. ]/g, '')}'` : '';
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' width='28' height='10'><line x1='0' y1='5' x2='28' y2='5' stroke='${String(s.color).replace(/[^#0-9a-zA-Z]/g, '')}' stroke-width='${w}'${dash}/></svg>`;
  return `background: url("data:image/svg+xml,${encodeURIComponent(svg)}") left center no-repeat; width: 28px; height: 10px; border: 0`;
}
