/**
 * Resolves the browser once before the browser tests start, so parallel test files do not each
 * decompress the npm Chromium, and passes it on through CHROMIUM_PATH (test workers inherit the
 * environment). Without any Chromium the dashboard's unit tests still run and every browser test
 * fails with one line saying how to get one (never a silent skip).
 */
import { findChromium } from '@switchboard/testkit/chromium';

export default async function setup(): Promise<void> {
  try {
    const binary = await findChromium();
    process.env.CHROMIUM_PATH = binary.path;
  } catch (err) {
    console.error(`\n${(err as Error).message}\n`);
  }
}
