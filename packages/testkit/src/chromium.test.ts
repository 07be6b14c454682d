import { describe, expect, it } from 'vitest';
import { findChromium, NO_CHROMIUM_MESSAGE } from './chromium.ts';

describe('findChromium', () => {
  it('uses CHROMIUM_PATH first when it is executable', async () => {
    const found = await findChromium({ CHROMIUM_PATH: process.execPath });
    expect(found).toEqual({ path: process.execPath, source: 'CHROMIUM_PATH', args: [] });
  });

  it('fails with one line saying how to get a browser when CHROMIUM_PATH is wrong', async () => {
    const err = await findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(NO_CHROMIUM_MESSAGE);
    expect((err as Error).message).not.toContain('\n');
  });
});
