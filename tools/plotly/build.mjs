// Builds ../../generator/render/assets/plotly-dyad.min.js: plotly.js core (which brings the scatter trace and the
// layout components: legend, hover, shapes, annotations, range slider and selector, mode bar) plus only the other
// trace types Dyad's charts emit (generator/render/charts.py). The full bundle the `plotly` Python package ships
// is 4.8 MB and takes about 1.5 s to parse and run at the 10,000-event timeline; this one is a third of that.
// Same esbuild settings as plotly.js's own esbuild-config.js; same banner and UMD wrapper as its dist bundles.
// Run with `make plotly` (npm ci here, then this script); the output is committed so `make site` needs no npm.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

// Every trace type charts.py can emit besides scatter (in core), and the module that registers it.
// tests/render/test_charts.py checks the banner against the figures, tests/browser/test_charts.py checks Plotly's own
// schema in the built file. scattergl is plotly.js's "strict" variant, as in its plotly-strict bundle: regl, which
// draws WebGL traces, otherwise compiles its drawing code with `new Function`, which the site's
// Content-Security-Policy (no 'unsafe-eval') refuses, and the chart shows "WebGL is not supported" instead.
const TRACES = {
  bar: 'plotly.js/lib/bar',
  scattergl: 'plotly.js/src/traces/scattergl/strict',
};

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../generator/render/assets/plotly-dyad.min.js');
const version = require('plotly.js/package.json').version;
const entry = [
  "'use strict';",
  "var Plotly = require('plotly.js/lib/core');",
  `Plotly.register([${Object.values(TRACES).map((m) => `require('${m}')`).join(', ')}]);`,
  'module.exports = Plotly;',
].join('\n');

const result = await build({
  stdin: { contents: entry, resolveDir: here, sourcefile: 'dyad-plotly-entry.js' },
  format: 'iife',
  globalName: 'Plotly',
  bundle: true,
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
  alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false' },
  target: 'es2016',
  write: false,
  logLevel: 'warning',
});

const traces = ['scatter', ...Object.keys(TRACES)].sort().join(', ');
const banner = `/**
* plotly.js (dyad: ${traces} - minified) v${version}
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
* Partial bundle for Dyad (scattergl in its strict, CSP-safe form), built by tools/plotly/build.mjs from the
* plotly.js npm package.
*/
(
 function(root, factory) {
  if (typeof module === "object" && module.exports) {
   module.exports = factory();
  } else {
   root.moduleName = factory();
  }
} (typeof self !== "undefined" ? self : this, () => {
`;
const footer = `
window.Plotly = Plotly;
return Plotly;
}));
`;
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, banner + result.outputFiles[0].text + footer);
console.log(`${path.relative(process.cwd(), out)}: ${readFileSync(out).length} bytes, plotly.js v${version}, traces ${traces}`);
