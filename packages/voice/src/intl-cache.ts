/**
 * The Intl formatters a call's instructions use, built once per time zone (or language tag) and
 * then reused. Building an ICU formatter costs far more than formatting with one (≈ 0.3–1 ms
 * each on the bench's machine, four per call start, on the thread that relays live audio);
 * formatting with a shared one is pure. Each cache holds at most 256 keys and starts over when
 * full, so zones or tags from imported data cannot grow it without bound.
 */
import { isTimezone } from '@switchboard/shared';

const MAX_KEYS = 256;

/** `make(key)`, remembered per key. */
export function memoize<V>(make: (key: string) => V): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= MAX_KEYS) cache.clear();
      value = make(key);
      cache.set(key, value);
    }
    return value;
  };
}

/** The zone when Intl knows it, else `UTC`. */
export const validTimeZone = memoize((timeZone: string): string => (isTimezone(timeZone) ? timeZone : 'UTC'));

/** "Friday, December 4, 2026 at 9:30 AM" in the zone (a zone validTimeZone returned). */
export const spokenDateTime = memoize(
  (timeZone: string) => new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'short' }),
);

/** Numeric parts with the UTC offset (`GMT+01:00`), for an ISO 8601 rendering. */
export const isoParts = memoize(
  (timeZone: string) =>
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    }),
);

/** "2026-12-04" in the zone. */
export const shortDate = memoize(
  (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }),
);

let languages: Intl.DisplayNames | undefined;

/** "French" for `fr`; the tag itself when Intl does not know it. */
export const languageName = memoize((tag: string): string => {
  try {
    languages ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return languages.of(tag) ?? tag;
  } catch {
    return tag;
  }
});
