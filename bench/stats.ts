/** Small numeric helpers for the benchmark: growable typed lists and latency summaries. */

/** Append-only list of doubles in one Float64Array (no per-sample objects on long runs). */
export class F64List {
  #data: Float64Array;
  #size = 0;

  constructor(capacity = 256) {
    this.#data = new Float64Array(Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.#size === this.#data.length) {
      const grown = new Float64Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#size++] = value;
  }

  get length(): number {
    return this.#size;
  }

  /** A copy of the values (safe to send over IPC). */
  toArray(): Float64Array {
    return this.#data.slice(0, this.#size);
  }
}

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of ascending `sorted` (p in 0…100); NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * n);
  return sorted[Math.min(n - 1, Math.max(0, rank - 1))] as number;
}

/** p50/p95/p99/max/mean of `values` (NaNs are skipped). */
export function summarize(values: ArrayLike<number>): Summary {
  const clean = Float64Array.from(values).filter((v) => !Number.isNaN(v));
  clean.sort();
  let sum = 0;
  for (const v of clean) sum += v;
  return {
    count: clean.length,
    p50: percentile(clean, 50),
    p95: percentile(clean, 95),
    p99: percentile(clean, 99),
    max: clean.length ? (clean[clean.length - 1] as number) : Number.NaN,
    mean: clean.length ? sum / clean.length : Number.NaN,
  };
}

/** Round for display/JSON (NaN → null so JSON stays valid). */
export function round(value: number, digits = 2): number | null {
  if (!Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A summary with every figure rounded (for the JSON report). */
export function roundSummary(s: Summary, digits = 2): Record<keyof Summary, number | null> {
  return {
    count: s.count,
    p50: round(s.p50, digits),
    p95: round(s.p95, digits),
    p99: round(s.p99, digits),
    max: round(s.max, digits),
    mean: round(s.mean, digits),
  };
}

/** Latency samples with the time each measured frame was sent, to summarise all or a window. */
export class LatencySamples {
  readonly at = new F64List(4096);
  readonly value = new F64List(4096);

  push(at: number, value: number): void {
    this.at.push(at);
    this.value.push(value);
  }

  all(): Summary {
    return summarize(this.value.toArray());
  }

  /** Only frames sent within `[from, to]` (null window: none). */
  within(window: [number, number] | null): Summary {
    if (!window) return summarize([]);
    const at = this.at.toArray();
    const value = this.value.toArray();
    return summarize(
      value.filter((_, i) => (at[i] as number) >= window[0] && (at[i] as number) <= window[1]),
    );
  }
}
