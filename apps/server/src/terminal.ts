/** Small helpers for what the server prints to a terminal (not logs): framed blocks. */

/** A framed block, so a one-time secret stands out in a terminal. */
export function box(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  return [rule, ...lines.map((l) => `| ${l.padEnd(width)} |`), rule].join('\n');
}
