/**
 * Size of the officer console as the service sends it (dist/console-app, built by
 * scripts/build-console.js): the JavaScript bundle raw and gzipped (node:zlib at its default
 * level 6, what servers and CDNs commonly use), the stylesheet and the page. Target (issue 13):
 * ≤ 250 kB of gzipped JavaScript. Sizes, not timings: no rounds and no baseline. kB = 1,024 bytes,
 * as scripts/build-console.js prints them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BenchFigure, writeBenchReport } from './bench-report';
import { ROOT, table } from './bench-support';

const OUT = join(ROOT, 'dist', 'console-app');
const GZIP_TARGET_KB = 250;

const kilobytes = (bytes: number) => Number((bytes / 1024).toFixed(1));

function sizes(file: string): { raw: number; gzip: number } {
  const bytes = readFileSync(join(OUT, file));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

function main(): void {
  if (!existsSync(join(OUT, 'app.js'))) throw new Error(`${OUT}/app.js is missing: run npm run build (or node scripts/build-console.js)`);
  const files = { 'app.js': sizes('app.js'), 'app.css': sizes('app.css'), 'index.html': sizes('index.html') };
  const script = files['app.js'];
  const total = Object.values(files).reduce((sum, file) => sum + file.gzip, 0);
  process.stdout.write(`\nConsole bundle (dist/console-app)\n\n${table(Object.entries(files).map(([file, size]) => ({ file, 'raw kB': kilobytes(size.raw), 'gzip kB': kilobytes(size.gzip) })))}\n`);
  const met = kilobytes(script.gzip) <= GZIP_TARGET_KB;
  const figures: BenchFigure[] = [
    { name: 'console JavaScript bundle, gzipped', value: kilobytes(script.gzip), unit: 'kB', target: `<= ${GZIP_TARGET_KB} kB`, met },
    { name: 'console JavaScript bundle, raw (minified)', value: kilobytes(script.raw), unit: 'kB' },
    { name: 'console page + stylesheet + bundle, gzipped', value: kilobytes(total), unit: 'kB' },
  ];
  writeBenchReport({ bench: 'console-bundle', method: 'sizes of the built files in dist/console-app; gzip by node:zlib at its default level (6); no baseline', figures });
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
