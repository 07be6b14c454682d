/** Nearest-rank percentiles over recorded samples (ms). */
export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
  maxMs: number | null;
}

export class LatencyStats {
  #samples: number[] = [];

  record(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.#samples.push(ms);
  }

  summary(): LatencySummary {
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
    return { count: sorted.length, p50Ms: rank(50), p90Ms: rank(90), maxMs: sorted.at(-1) ?? null };
  }
}
