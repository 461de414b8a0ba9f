// Builds web/dist/ (index.html, app.js, app.css) from web/src/ with esbuild.
// web/dist/ is committed so that the Rust binary can include_bytes! it without npm at build time:
// after changing web/src, run `npm ci && npm run build` in web/ and commit web/dist too.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = `${here}dist`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: { app: `${here}src/app.js` },
  outdir: dist,
  bundle: true,
  format: 'iife',
  minify: true,
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  legalComments: 'eof', // keeps Leaflet's BSD-2-Clause notice
  charset: 'utf8',
  logLevel: 'warning',
});
await build({
  entryPoints: { app: `${here}src/app.css` },
  outdir: dist,
  bundle: true,
  minify: true,
  // Leaflet's CSS refers to a few small PNGs (layers control icon, default marker); inline them so
  // the page never asks for anything but index.html, app.js, app.css and the API.
  loader: { '.png': 'dataurl', '.svg': 'dataurl' },
  logLevel: 'warning',
});
copyFileSync(`${here}src/index.html`, `${dist}/index.html`);

let total = 0;
for (const f of readdirSync(dist).sort()) {
  const n = statSync(`${dist}/${f}`).size;
  total += n;
  console.log(`${f.padEnd(12)} ${(n / 1024).toFixed(1).padStart(7)} kB`);
}
console.log(`${'total'.padEnd(12)} ${(total / 1024).toFixed(1).padStart(7)} kB`);
