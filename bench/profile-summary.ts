/**
 * `node bench/profile-summary.ts <file.cpuprofile> [--top N] [--skip S] [--callers NAME]`:
 * where a V8 CPU profile (from `npm run bench -- --cpu-prof`) spends its time. Self time per
 * function and per source area (workspace file, dependency, Node internals); `--skip` / `--until`
 * keep only samples between those seconds of the profile; `--callers` lists the stacks that lead
 * to a function; `--stalls MS` lists every busy stretch of at least MS (event-loop blocking).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Short name of where a function lives: a workspace file, a dependency, or a Node/V8 bucket. */
export function areaOf(url: string): string {
  if (!url) return '(native/V8)';
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return `dep:${dep[1]}`;
  const ws = /\/(packages|apps)\/([^/]+)\/src\/(.+)$/.exec(url);
  if (ws) return `${ws[1]}/${ws[2]}/${ws[3]}`;
  if (url.startsWith('node:')) return url;
  if (url.startsWith('wasm:')) return 'wasm';
  return url.replace(/^file:\/\//, '');
}

const NOT_BUSY = new Set(['(idle)']);

function main(): void {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const file = args[0];
  if (!file || file.startsWith('--')) {
    process.stderr.write(
      'usage: node bench/profile-summary.ts <file.cpuprofile> [--top N] [--skip S] [--until S] [--callers NAME] [--stalls MS]\n',
    );
    process.exit(2);
  }
  const top = Number(opt('--top') ?? 30);
  const skipUs = Number(opt('--skip') ?? 0) * 1e6;
  const untilUs = Number(opt('--until') ?? Number.POSITIVE_INFINITY) * 1e6;
  const callersOf = opt('--callers');
  const stallMs = opt('--stalls') === undefined ? null : Number(opt('--stalls'));
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<number, number>();
  let t = 0;
  let total = 0;
  let busy = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t < skipUs || t > untilUs) return;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
    if (!NOT_BUSY.has(byId.get(id)?.callFrame.functionName ?? '')) busy += dt;
  });

  const frame = (id: number): string => {
    const c = byId.get(id)?.callFrame;
    return c ? `${c.functionName || '(anonymous)'}  ${areaOf(c.url)}:${c.lineNumber + 1}` : '?';
  };
  const fnSelf = new Map<string, number>();
  const areaSelf = new Map<string, number>();
  const stacks = new Map<string, number>();
  for (const [id, us] of self) {
    const key = frame(id);
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
    const area = areaOf(byId.get(id)?.callFrame.url ?? '');
    if (!NOT_BUSY.has(byId.get(id)?.callFrame.functionName ?? ''))
      areaSelf.set(area, (areaSelf.get(area) ?? 0) + us);
    if (callersOf && byId.get(id)?.callFrame.functionName === callersOf) {
      const chain: string[] = [];
      for (let cur: number | undefined = id, d = 0; cur !== undefined && d < 12; cur = parent.get(cur), d++)
        chain.push(frame(cur).replace(/\s+/, '@'));
      const k = chain.join('\n      < ');
      stacks.set(k, (stacks.get(k) ?? 0) + us);
    }
  }
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
  const print = (title: string, m: Map<string, number>) => {
    out(`\n${title} (% of busy time)`);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      if (NOT_BUSY.has(k.split('  ')[0] ?? '')) continue;
      out(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
    }
  };
  out(
    `profile: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((busy / total) * 100).toFixed(0)} %)`,
  );
  print('Self time by function', fnSelf);
  print('Self time by file / dependency', areaSelf);
  if (callersOf) print(`Stacks into ${callersOf}`, stacks);
  if (stallMs !== null) printStalls(p, byId, parent, frame, stallMs, skipUs, untilUs, out);
}

/**
 * Event-loop stalls: runs of consecutive busy samples longer than `minMs`, each with the
 * functions that took its time (inclusive: every frame on the sampled stacks counts once).
 */
function printStalls(
  p: Profile,
  byId: Map<number, ProfileNode>,
  parent: Map<number, number>,
  frame: (id: number) => string,
  minMs: number,
  skipUs: number,
  untilUs: number,
  out: (s: string) => void,
): void {
  out(`\nStalls ≥ ${minMs} ms (busy without a break), with the frames on most of their samples`);
  let t = 0;
  let runStart = -1;
  let run: number[] = [];
  const flush = (end: number) => {
    const ms = (end - runStart) / 1000;
    if (runStart >= 0 && ms >= minMs) {
      const inclusive = new Map<string, number>();
      for (const id of run) {
        const seen = new Set<string>();
        for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
          const name = frame(cur);
          if (seen.has(name) || name.startsWith('(root)')) continue;
          seen.add(name);
          inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
        }
      }
      const top = [...inclusive]
        .filter(([, n]) => n >= run.length * 0.3)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([k, n]) => `${Math.round((n / run.length) * 100)}% ${k}`);
      out(`  at ${(runStart / 1e6).toFixed(2)} s: ${ms.toFixed(1)} ms\n      ${top.join('\n      ')}`);
    }
    runStart = -1;
    run = [];
  };
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i] ?? 0;
    if (t < skipUs || t > untilUs) return;
    const idle = NOT_BUSY.has(byId.get(id)?.callFrame.functionName ?? '');
    if (idle) flush(t);
    else {
      if (runStart < 0) runStart = t;
      run.push(id);
    }
  });
  flush(t);
}

main();
