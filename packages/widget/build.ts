/**
 * Builds the widget into one minified script (esbuild), served by the server at `/widget.js`
 * and `/widget.<hash>.js`. `node packages/widget/build.ts` writes `dist/widget.js` and fails
 * when the gzipped size is over the budget (also checked by build.test.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The size budget of /widget.js, gzipped. */
export const WIDGET_BUDGET_BYTES = 35 * 1024;

export interface BuiltWidget {
  code: string;
  /** First 12 hex digits of the SHA-256 of `code`. */
  hash: string;
  gzipBytes: number;
}

export async function buildWidget(): Promise<BuiltWidget> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'src', 'index.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022'],
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return {
    code,
    hash: createHash('sha256').update(code).digest('hex').slice(0, 12),
    gzipBytes: gzipSync(code).length,
  };
}

if (import.meta.main) {
  const built = await buildWidget();
  const dir = join(import.meta.dirname, 'dist');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'widget.js'), built.code);
  console.log(
    `widget.js: ${built.code.length} bytes, ${built.gzipBytes} gzipped (budget ${WIDGET_BUDGET_BYTES})`,
  );
  if (built.gzipBytes > WIDGET_BUDGET_BYTES) {
    console.error('widget.js is over its size budget');
    process.exit(1);
  }
}
