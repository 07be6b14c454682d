import { describe, expect, it } from 'vitest';
import { Waiters } from './waiters.ts';

describe('Waiters', () => {
  it('resolves on check, times out, and rejects on close', async () => {
    const waiters = new Waiters();
    let value = 0;
    const ok = waiters.wait(() => value === 2, 1000);
    value = 2;
    waiters.check();
    await expect(ok).resolves.toBeUndefined();
    await expect(waiters.wait(() => false, 10, 'never')).rejects.toThrow(/never/);
    const closing = waiters.wait(() => false, 1000);
    waiters.rejectAll('closed');
    await expect(closing).rejects.toThrow('closed');
  });
});
