/**
 * Prints the gzipped size of the JavaScript a first visit downloads (the entry script in
 * dist/index.html plus every chunk it preloads) and fails when it exceeds the budget.
 * Lazy route chunks are listed for information. Run after `vite build`:
 *   node apps/web/scripts/report-bundle.ts [--budget-kb 250]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = resolve(import.meta.dirname, '../dist');
const budgetArg = process.argv.indexOf('--budget-kb');
const BUDGET_KB = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 250;

const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const initial = new Set<string>();
for (const m of html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)) initial.add(m[1] as string);
for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g))
  initial.add(m[1] as string);
if (initial.size === 0) {
  console.error('report-bundle: no module script found in dist/index.html');
  process.exit(1);
}

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const assetPath = (href: string) => join(DIST, href.replace(/^\//, ''));

let initialBytes = 0;
console.log('Initial JavaScript (gzipped):');
for (const href of initial) {
  const size = gz(assetPath(href));
  initialBytes += size;
  console.log(`  ${href.padEnd(44)} ${kb(size).padStart(10)}`);
}
const cssFiles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map(
  (m) => m[1] as string,
);
const cssBytes = cssFiles.reduce((sum, href) => sum + gz(assetPath(href)), 0);

const lazy = readdirSync(join(DIST, 'assets'))
  .filter((f) => f.endsWith('.js') && !initial.has(`/assets/${f}`))
  .map((f) => ({ f, size: gz(join(DIST, 'assets', f)) }))
  .sort((a, b) => b.size - a.size);
console.log(`Lazy chunks (${lazy.length}, loaded per page):`);
for (const { f, size } of lazy) console.log(`  /assets/${f.padEnd(36)} ${kb(size).padStart(10)}`);

console.log(
  `\nInitial JS total: ${kb(initialBytes)} gzipped (budget ${BUDGET_KB} kB); CSS ${kb(cssBytes)} gzipped.`,
);
if (initialBytes > BUDGET_KB * 1024) {
  console.error(
    `report-bundle: initial JavaScript is over budget by ${kb(initialBytes - BUDGET_KB * 1024)}.`,
  );
  process.exit(1);
}
