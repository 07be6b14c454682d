/**
 * Runs SIPp (Debian package `sip-tester`) as the carrier in tests: each run gets a temporary
 * directory holding its scenario (from `packages/sip/sipp/`) and the files the scenario plays
 * (`caller.ulaw`, `dtmf.pcap`), random SIP and media ports (retried when taken), and a global
 * timeout so a stuck run ends by itself. The result carries SIPp's exit code (0 = every call
 * succeeded) and its message and error logs for assertions and diagnosis.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SIPP_SCENARIOS = new URL('../../sipp/', import.meta.url).pathname;

let available: boolean | undefined;

/**
 * True when a `sipp` binary is on PATH. When it is not, the SIP suites skip and a warning line
 * says so; SWITCHBOARD_TEST_SIPP=required (CI) makes that an error instead.
 */
export function sippAvailable(): boolean {
  if (available !== undefined) return available;
  available = spawnSync('sipp', ['-v'], { encoding: 'utf8' }).status !== null;
  if (!available) {
    const hint = 'Install it (Debian: `apt-get install sip-tester`)';
    if (process.env.SWITCHBOARD_TEST_SIPP === 'required')
      throw new Error(`SIPp is required for tests but \`sipp\` is not on PATH. ${hint}.`);
    console.warn(
      `[switchboard tests] SIPp (\`sipp\`) not found: skipping the SIP trunk suites. ${hint} ` +
        'or set SWITCHBOARD_TEST_SIPP=required to make this an error.',
    );
  }
  return available;
}

export interface SippOptions {
  /** Scenario file name in packages/sip/sipp/. */
  scenario: string;
  /** `host:port` to call (UAC scenarios); omit for UAS scenarios (SIPp waits for calls). */
  target?: string;
  /** Request-URI user (`-s`). */
  service?: string;
  /** `-set name value` globals the scenario declares. */
  vars?: Record<string, string | number>;
  /** `{{name}}` placeholders in the scenario replaced before the run (SIPp wants literal status codes). */
  substitute?: Record<string, string | number>;
  /** Files written next to the scenario (audio, pcap). */
  files?: Record<string, Buffer>;
  /** `u1` UDP (default) or `t1` TCP. */
  transport?: 'u1' | 't1';
  /** Calls to run (default 1) and their rate per second (default 10). */
  calls?: number;
  rate?: number;
  /** Local SIP port (default random); UAS tests pass the one they dial. */
  port?: number;
  /** Overall limit, ms (default 30 000). */
  timeoutMs?: number;
  extraArgs?: string[];
}

export interface SippResult {
  code: number | null;
  output: string;
  /** Every SIP message SIPp sent and received (`-trace_msg`). */
  messages: string;
  /** Unexpected messages and errors (`-trace_err`). */
  errors: string;
}

export function randomPort(min = 20000, max = 60000): number {
  return min + 2 * Math.floor(Math.random() * ((max - min) / 2));
}

/** Starts SIPp; `done` resolves when it exits. A taken port is retried up to 5 times. */
export function startSipp(options: SippOptions): { port: number; done: Promise<SippResult>; kill(): void } {
  const port = options.port ?? randomPort();
  let child: ReturnType<typeof spawn> | undefined;
  const done = (async () => {
    for (let attempt = 0; ; attempt++) {
      const result = await runOnce(options, options.port ?? (attempt === 0 ? port : randomPort()), (c) => {
        child = c;
      });
      const portTaken = /bind|Address already in use/i.test(result.output) && result.code !== 0;
      if (!portTaken || attempt >= 4 || options.port !== undefined) return result;
    }
  })();
  return { port, done, kill: () => child?.kill('SIGKILL') };
}

export function runSipp(options: SippOptions): Promise<SippResult> {
  return startSipp(options).done;
}

async function runOnce(
  options: SippOptions,
  port: number,
  onChild: (child: ReturnType<typeof spawn>) => void,
): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  try {
    let scenario = readFileSync(join(SIPP_SCENARIOS, options.scenario), 'utf8');
    for (const [name, value] of Object.entries(options.substitute ?? {})) {
      scenario = scenario.replaceAll(`{{${name}}}`, String(value));
    }
    writeFileSync(join(dir, options.scenario), scenario);
    for (const [name, data] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), data);
    const timeoutS = Math.ceil((options.timeoutMs ?? 30_000) / 1000);
    const args = [
      '-sf',
      options.scenario,
      '-m',
      String(options.calls ?? 1),
      '-r',
      String(options.rate ?? 10),
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-mp',
      String(randomPort(6000, 19000)),
      '-t',
      options.transport ?? 'u1',
      '-nostdin',
      '-timeout',
      `${timeoutS}s`,
      '-timeout_error',
      '-trace_err',
      '-trace_msg',
    ];
    if (options.service) args.push('-s', options.service);
    for (const [name, value] of Object.entries(options.vars ?? {})) args.push('-set', name, String(value));
    args.push(...(options.extraArgs ?? []));
    if (options.target) args.push(options.target);
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    onChild(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
    });
    child.stderr?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-20_000);
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), (timeoutS + 10) * 1000);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.on('error', () => resolve(-1));
    });
    clearTimeout(killer);
    const read = (suffix: string) =>
      readdirSync(dir)
        .filter((f) => f.endsWith(suffix))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n');
    return { code, output, messages: read('_messages.log'), errors: read('_errors.log') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
