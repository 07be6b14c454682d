import { describe, expect, it } from 'vitest';
import { parseProcStat, parseVmRss } from './proc.ts';
import { F64List, percentile, round, summarize } from './stats.ts';

describe('stats', () => {
  it('uses nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes unsorted values and skips NaN', () => {
    const s = summarize([5, 1, Number.NaN, 3, 2, 4]);
    expect(s).toMatchObject({ count: 5, p50: 3, p99: 5, max: 5, mean: 3 });
    expect(summarize([]).count).toBe(0);
  });

  it('grows a typed list', () => {
    const list = new F64List(2);
    for (let i = 0; i < 1000; i++) list.push(i);
    expect(list.length).toBe(1000);
    expect(list.toArray()[999]).toBe(999);
  });

  it('rounds for JSON, NaN becoming null', () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(Number.NaN)).toBeNull();
  });
});

describe('/proc parsing', () => {
  it('reads utime and stime even when the command name has spaces and parentheses', () => {
    const line =
      '4242 (node (my server)) S 1 4242 4242 0 -1 4194560 12345 0 0 0 1500 250 0 0 20 0 11 0 100 1000000 5000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ utime: 1500, stime: 250 });
  });

  it('reads VmRSS in bytes', () => {
    expect(parseVmRss('Name:\tnode\nVmPeak:\t 900 kB\nVmRSS:\t  204800 kB\n')).toBe(204800 * 1024);
    expect(parseVmRss('Name:\tnode\n')).toBeNaN();
  });
});
