import { describe, expect, it } from 'vitest';
import { runNodeChild } from './node-child.ts';

describe('runNodeChild', () => {
  it('returns what the child printed', () => {
    expect(runNodeChild(['-e', 'console.log(JSON.stringify({ ok: 1 }))'])).toBe('{"ok":1}\n');
  });

  it('returns the output of a child that printed it and then never exited', () => {
    const out = runNodeChild(['-e', 'console.log("done"); setInterval(() => {}, 1000)'], process.env, 1500);
    expect(out).toBe('done\n');
  });

  it('throws with standard error when the child fails, or hangs without output', () => {
    expect(() => runNodeChild(['-e', 'console.error("broken"); process.exit(3)'])).toThrow(/\(3\): broken/);
    expect(() => runNodeChild(['-e', 'setInterval(() => {}, 1000)'], process.env, 1000)).toThrow(/SIGKILL/);
  });
});
