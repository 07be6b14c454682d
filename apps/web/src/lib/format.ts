import { formatPhoneInternational } from '@switchboard/shared';

/** Display formatters. Pure functions (locale fixed to en-US unless given) so they are easy to test. */

const LOCALE = 'en-US';

/** Seconds → `0:42`, `12:05` or `1:02:09`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Milliseconds since call start → `m:ss` (transcript timestamps). */
export function formatOffset(ms: number): string {
  return formatDuration(Math.max(0, Math.floor(ms / 1000)));
}

/** Latency in milliseconds → `640 ms` or `1.25 s`. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** 0..1 → `73%`. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return '—';
  return `${Math.round(ratio * 100)}%`;
}

/** US dollars; sub-cent amounts keep four decimals so per-call costs stay readable. */
export function formatUsd(amount: number | null | undefined): string {
  if (amount == null || !Number.isFinite(amount)) return '—';
  const digits = amount !== 0 && Math.abs(amount) < 0.1 ? 4 : 2;
  return new Intl.NumberFormat(LOCALE, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);
}

export function formatNumber(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(LOCALE).format(n);
}

/** ISO date-time → `Mar 4, 2:05 PM` (adds the year when it is not the current one). */
export function formatDateTime(iso: string | null | undefined, timeZone?: string, now = new Date()): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const sameYear = d.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(LOCALE, {
    month: 'short',
    day: 'numeric',
    year: sameYear ? undefined : 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  }).format(d);
}

export function formatTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALE, { hour: 'numeric', minute: '2-digit', timeZone }).format(
    new Date(iso),
  );
}

/** `2024-03-04` → `Mon 4`; used for chart and calendar labels. */
export function formatDayLabel(date: Date, withWeekday = true): string {
  return new Intl.DateTimeFormat(LOCALE, {
    weekday: withWeekday ? 'short' : undefined,
    month: withWeekday ? undefined : 'short',
    day: 'numeric',
  }).format(date);
}

/** `3 min ago`, `in 2 h`, `just now`. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '—';
  const diffS = Math.round((t - now) / 1000);
  const abs = Math.abs(diffS);
  if (abs < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto', style: 'short' });
  if (abs < 3600) return rtf.format(Math.round(diffS / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(diffS / 3600), 'hour');
  return rtf.format(Math.round(diffS / 86_400), 'day');
}

/**
 * E.164 → `+1 (415) 555-0100` for North American numbers, the international format for the
 * others (`+44 20 7183 8750`). Display only: numbers are stored and sent as E.164.
 */
export function formatPhone(e164: string | null | undefined): string {
  if (!e164) return '—';
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `+1 (${nanp[1]}) ${nanp[2]}-${nanp[3]}` : formatPhoneInternational(e164);
}

/** `meeting_scheduled` / `no-answer` → `Meeting scheduled` / `No answer`. */
export function humanize(value: string | null | undefined): string {
  if (!value) return '—';
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Local calendar helpers (weeks start on Monday). */
export function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}
export function addDays(d: Date, days: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days, d.getHours(), d.getMinutes());
}
export function startOfWeek(d: Date): Date {
  const day = startOfDay(d);
  const mondayOffset = (day.getDay() + 6) % 7;
  return addDays(day, -mondayOffset);
}
/** Local date as `YYYY-MM-DD`. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
/** `YYYY-MM-DD` → local midnight Date (`new Date('2024-03-04')` would be UTC midnight). */
export function parseIsoDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** A tuning value with its unit from TUNING_FIELDS: `0.50`, `500 ms`, `45 s`, `30 min`. */
export function formatTuning(value: number, unit: string): string {
  switch (unit) {
    case 'ratio':
      return value.toFixed(2);
    case 'ms':
      return `${value} ms`;
    case 's': {
      if (value < 120) return `${value} s`;
      const h = Math.floor(value / 3600);
      const m = Math.floor((value % 3600) / 60);
      const s = value % 60;
      return [h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean).join(' ');
    }
    default:
      return `${value} ${unit}`;
  }
}
