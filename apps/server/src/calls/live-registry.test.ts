import { describe, expect, it } from 'vitest';
import { LiveCallRegistry } from './live-registry.ts';

describe('the live-call registry', () => {
  it("waits for a local call's pending record writes, scoped to its organization", async () => {
    const registry = new LiveCallRegistry();
    let release: () => void = () => {};
    const pending = new Promise<void>((resolve) => {
      release = resolve;
    });
    const remove = registry.add('c1', {
      organizationId: 'o1',
      hangup: async () => {},
      flushed: () => pending,
    });
    let done = false;
    const waiting = registry.flushed('o1', 'c1').then(() => {
      done = true;
    });
    await registry.flushed('o2', 'c1'); // another organization's id: nothing to wait for
    await registry.flushed('o1', 'c2');
    expect(done).toBe(false);
    release();
    await waiting;
    expect(done).toBe(true);
    remove();
    expect(registry.size).toBe(0);
  });

  it('keeps the newest handle of a call: an earlier registration no longer removes it', () => {
    const registry = new LiveCallRegistry();
    const first = registry.add('c1', { organizationId: 'o1', hangup: async () => {} });
    registry.add('c1', { organizationId: 'o1', hangup: async () => {} });
    first();
    expect(registry.ids()).toEqual(['c1']);
  });
});
