/**
 * The Chromium that browser tests drive through playwright-core, found in this order:
 * 1. `CHROMIUM_PATH` (any Chromium/Chrome binary you choose);
 * 2. the system's `/usr/bin/chromium` (Debian's `chromium` package) when it is executable;
 * 3. the Chromium build that arrives with `npm install` in `@sparticuz/chromium` (a devDependency
 *    of this package), decompressed to the temp directory on first use.
 * When none can be had, `findChromium()` throws one clear line saying how to get one: browser
 * suites fail rather than skip.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import type { Browser, LaunchOptions } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumBinary {
  /** Path to the executable. */
  path: string;
  /** Where it came from. */
  source: 'CHROMIUM_PATH' | 'system' | 'npm';
  /** Flags that binary needs on top of the caller's own. */
  args: string[];
}

export const NO_CHROMIUM_MESSAGE =
  'No Chromium for the browser tests: run `npm install` (it brings @sparticuz/chromium), ' +
  'or install one (Debian: `apt-get install chromium`), or set CHROMIUM_PATH to a Chromium binary.';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let npmBuild: Promise<ChromiumBinary> | null = null;

async function fromNpm(): Promise<ChromiumBinary> {
  let mod: typeof import('@sparticuz/chromium');
  try {
    mod = await import('@sparticuz/chromium');
  } catch {
    throw new Error(NO_CHROMIUM_MESSAGE);
  }
  const chromium = mod.default;
  // No WebGL needed (the dashboard draws no 3D); plain 2D rendering only.
  chromium.setGraphicsMode = false;
  let path: string;
  try {
    path = await chromium.executablePath();
  } catch (err) {
    throw new Error(`${NO_CHROMIUM_MESSAGE} (@sparticuz/chromium failed: ${(err as Error).message})`);
  }
  if (!existsSync(path)) throw new Error(NO_CHROMIUM_MESSAGE);
  // Of its Lambda-oriented flags only the sandbox ones are needed on a normal Linux host; the
  // rest (--disable-web-security, --single-process, ...) would change what the tests observe.
  return { path, source: 'npm', args: ['--no-sandbox', '--disable-setuid-sandbox', '--no-zygote'] };
}

/** Resolves the browser binary (see the module comment); throws NO_CHROMIUM_MESSAGE when none. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumBinary> {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (!isExecutable(configured))
      throw new Error(`CHROMIUM_PATH=${configured} is not an executable file. ${NO_CHROMIUM_MESSAGE}`);
    return { path: configured, source: 'CHROMIUM_PATH', args: [] };
  }
  if (isExecutable(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: 'system', args: [] };
  npmBuild ??= fromNpm();
  try {
    return await npmBuild;
  } catch (err) {
    npmBuild = null;
    throw err;
  }
}

/** Launches headless Chromium through playwright-core with the binary from `findChromium()`. */
export async function launchChromium(args: string[] = [], options: LaunchOptions = {}): Promise<Browser> {
  const binary = await findChromium();
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    headless: true,
    ...options,
    executablePath: binary.path,
    args: [...binary.args, ...args],
  });
}
