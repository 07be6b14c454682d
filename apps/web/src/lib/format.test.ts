import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatDuration,
  formatLatency,
  formatOffset,
  formatPercent,
  formatPhone,
  formatRelative,
  formatTuning,
  formatUsd,
  humanize,
  isoDate,
  parseIsoDate,
  startOfWeek,
} from './format.ts';

describe('formatters', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(42)).toBe('0:42');
    expect(formatDuration(725)).toBe('12:05');
    expect(formatDuration(3729)).toBe('1:02:09');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-3)).toBe('—');
    expect(formatOffset(61_999)).toBe('1:01');
  });
  it('formats latency, percentages and money', () => {
    expect(formatLatency(640.4)).toBe('640 ms');
    expect(formatLatency(1250)).toBe('1.25 s');
    expect(formatLatency(null)).toBe('—');
    expect(formatPercent(0.734)).toBe('73%');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(0.0421)).toBe('$0.0421');
    expect(formatUsd(0)).toBe('$0.00');
  });
  it('formats phone numbers and enum values', () => {
    expect(formatPhone('+14155550100')).toBe('+1 (415) 555-0100');
    expect(formatPhone('+442071838750')).toBe('+44 20 7183 8750');
    expect(formatPhone('+33142685300')).toBe('+33 1 42 68 53 00');
    expect(formatPhone('not a number')).toBe('not a number');
    expect(formatPhone(null)).toBe('—');
    expect(humanize('meeting_scheduled')).toBe('Meeting scheduled');
    expect(humanize('no-answer')).toBe('No answer');
  });
  it('formats relative times', () => {
    const now = Date.parse('2025-01-10T12:00:00Z');
    expect(formatRelative('2025-01-10T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2025-01-10T11:55:00Z', now)).toBe('5 min. ago');
    expect(formatRelative('2025-01-10T15:00:00Z', now)).toBe('in 3 hr.');
  });
  it('computes local weeks starting on Monday', () => {
    const wed = new Date(2025, 0, 8, 15, 30); // Wednesday
    expect(isoDate(startOfWeek(wed))).toBe('2025-01-06');
    const sun = new Date(2025, 0, 12);
    expect(isoDate(startOfWeek(sun))).toBe('2025-01-06');
    expect(isoDate(addDays(new Date(2025, 0, 31), 1))).toBe('2025-02-01');
    expect(parseIsoDate('2025-03-04')?.getDate()).toBe(4);
    expect(parseIsoDate('nope')).toBeNull();
  });
  it('formats tuning values with their units', () => {
    expect(formatTuning(0.5, 'ratio')).toBe('0.50');
    expect(formatTuning(500, 'ms')).toBe('500 ms');
    expect(formatTuning(45, 's')).toBe('45 s');
    expect(formatTuning(1800, 's')).toBe('30 min');
    expect(formatTuning(3690, 's')).toBe('1 h 1 min 30 s');
  });
});
