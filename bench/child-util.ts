/** Helpers shared by the benchmark's child processes. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EventLoopStats } from './protocol.ts';

/** Event-loop delay of this process (how late timers and socket callbacks run). */
export function loopMonitor(): { reset(): void; stats(): EventLoopStats } {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return {
    reset: () => h.reset(),
    stats: () => ({
      p50Ms: h.count ? h.percentile(50) / 1e6 : 0,
      p99Ms: h.count ? h.percentile(99) / 1e6 : 0,
      maxMs: h.count ? h.max / 1e6 : 0,
    }),
  };
}

/** Exit if still running after `maxMs` (a bounded lifetime, whatever happens to the parent). */
export function lifetimeLimit(maxMs: number, name: string): void {
  setTimeout(() => {
    process.stderr.write(`${name}: lifetime limit reached, exiting\n`);
    process.exit(2);
  }, maxMs).unref();
}

/** A growable array indexed by sequence number (fills gaps with `empty`). */
export class SeqArray<T extends Int32Array | Uint8Array> {
  #data: T;
  #make: (n: number) => T;
  #empty: number;
  size = 0;

  constructor(make: (n: number) => T, empty: number) {
    this.#make = make;
    this.#empty = empty;
    this.#data = make(4096);
    this.#data.fill(empty);
  }

  set(index: number, value: number): void {
    if (index >= this.#data.length) {
      const grown = this.#make(Math.max(index + 1, this.#data.length * 2));
      grown.fill(this.#empty);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[index] = value;
    if (index >= this.size) this.size = index + 1;
  }

  /** A copy of `[from, to)`, gaps filled with `empty`. */
  slice(from: number, to: number): T {
    const out = this.#make(Math.max(0, to - from));
    out.fill(this.#empty);
    const end = Math.min(to, this.#data.length);
    if (end > from) out.set(this.#data.subarray(from, end));
    return out;
  }
}
