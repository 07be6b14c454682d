/** Codec and resampler micro-benchmarks (`benchmarkCodecs` from @switchboard/audio), best of N runs. */
import { benchmarkCodecs } from '@switchboard/audio';

export interface CodecFigure {
  name: string;
  /** Best (lowest) of the runs: the figure least disturbed by other work on the machine. */
  nsPerSample: number;
  realtimeFactor: number;
  /** Median of the runs. */
  medianNsPerSample: number;
  /** The target: ≥ 1000× real time per core for µ-law and every resampler path. */
  target: number | null;
}

export const CODEC_TARGET = 1000;

export function runCodecBenchmarks(runs = 3): CodecFigure[] {
  const all = Array.from({ length: runs }, () => benchmarkCodecs());
  const first = all[0] ?? [];
  return first.map((c, i) => {
    const ns = all.map((r) => r[i]?.nsPerSample ?? Number.NaN).sort((a, b) => a - b);
    const best = ns[0] ?? Number.NaN;
    const median = ns[Math.floor(ns.length / 2)] ?? Number.NaN;
    const rate = c.realtimeFactor * c.nsPerSample; // = 1e9 / input rate
    return {
      name: c.name,
      nsPerSample: best,
      realtimeFactor: rate / best,
      medianNsPerSample: median,
      target: c.name.startsWith('alaw') ? null : CODEC_TARGET,
    };
  });
}

/**
 * CPU share of one core that the Gemini path's audio conversion costs per call: µ-law decode +
 * 8k→16k in, 24k→8k + µ-law encode out, each at real time.
 */
export function geminiConversionCoreShare(figures: CodecFigure[]): number {
  const rt = (name: string) => figures.find((f) => f.name === name)?.realtimeFactor ?? Number.NaN;
  return (
    1 / rt('mulaw decode') + 1 / rt('resample 8k→16k') + 1 / rt('resample 24k→8k') + 1 / rt('mulaw encode')
  );
}
