/**
 * The repository stands on its own: every `docs/<file>.md#<anchor>` cited from code or docs
 * names a heading that exists, and nothing cites documents kept outside the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', '.git', 'dist', 'data', 'test-artifacts', 'migrations', 'results']);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|tsx|md)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** GitHub's heading anchors: lower case, punctuation dropped, each space a dash, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading?.[1]) continue;
    const base = heading[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

const files = sourceFiles(ROOT).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));
const docAnchors = new Map(
  files.filter((f) => /^docs\/[^/]+\.md$/.test(f.path)).map((f) => [f.path, anchors(f.text)] as const),
);

/** Every cited `docs/x.md#anchor` (from anywhere) and `](x.md#anchor)` / `](#anchor)` (inside docs/). */
function citations(file: { path: string; text: string }): Array<{ doc: string; anchor: string }> {
  const found: Array<{ doc: string; anchor: string }> = [];
  for (const m of file.text.matchAll(/docs\/([\w.-]+\.md)#([a-z0-9_-]+)/g)) {
    found.push({ doc: `docs/${m[1]}`, anchor: m[2] ?? '' });
  }
  if (file.path.startsWith('docs/')) {
    for (const m of file.text.matchAll(/\]\(([\w.-]+\.md)?#([a-z0-9_-]+)\)/g)) {
      found.push({ doc: m[1] ? `docs/${m[1]}` : file.path, anchor: m[2] ?? '' });
    }
  }
  return found;
}

describe('documentation links', () => {
  it('cites only headings that exist', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of files.filter((f) => f.path !== 'scripts/docs-links.test.ts')) {
      for (const { doc, anchor } of citations(file)) {
        checked++;
        if (!docAnchors.get(doc)?.has(anchor)) broken.push(`${file.path}: ${doc}#${anchor}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('cites no document kept outside the repository', () => {
    const outside = files
      .filter((f) => f.path !== 'scripts/docs-links.test.ts')
      .filter((f) => /protocols\.md|\.\.\/shared\/|shared\/docs\//.test(f.text))
      .map((f) => f.path);
    expect(outside).toEqual([]);
  });
});
