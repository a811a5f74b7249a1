#!/usr/bin/env node
/**
 * Builds the officer console (console/) into dist/console-app, which the service serves at
 * /console/: one minified ES module bundle (esbuild), the page and the stylesheet. Prints the
 * bundle's gzipped size (target ≤ 250 kB). Type-checking is `tsc -p console/tsconfig.json`, run
 * by `npm run build` before this.
 */
const { copyFileSync, mkdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');
const esbuild = require('esbuild');

const root = join(__dirname, '..');
const out = join(root, 'dist', 'console-app');
mkdirSync(out, { recursive: true });
esbuild.buildSync({
  entryPoints: [join(root, 'console', 'src', 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17'],
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(root, 'console', 'index.html'), join(out, 'index.html'));
copyFileSync(join(root, 'console', 'app.css'), join(out, 'app.css'));
const gzipped = gzipSync(readFileSync(join(out, 'app.js'))).length;
console.log(`console bundle: ${(gzipped / 1024).toFixed(1)} kB gzipped JavaScript (target ≤ 250 kB)`);
