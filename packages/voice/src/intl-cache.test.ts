import { describe, expect, it } from 'vitest';
import { isoParts, languageName, memoize, shortDate, spokenDateTime, validTimeZone } from './intl-cache.ts';

describe('intl-cache', () => {
  it('builds each formatter once per zone and formats as a new one would', () => {
    const at = new Date('2026-12-04T14:30:00Z');
    expect(spokenDateTime('Europe/Paris')).toBe(spokenDateTime('Europe/Paris'));
    expect(spokenDateTime('Europe/Paris').format(at)).toBe(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'Europe/Paris',
        dateStyle: 'full',
        timeStyle: 'short',
      }).format(at),
    );
    expect(shortDate('America/New_York').format(at)).toBe('2026-12-04');
    const parts = Object.fromEntries(
      isoParts('Asia/Kolkata')
        .formatToParts(at)
        .map((p) => [p.type, p.value]),
    );
    expect(parts).toMatchObject({ year: '2026', month: '12', day: '04', hour: '20', minute: '00' });
    expect(parts.timeZoneName).toBe('GMT+05:30');
  });

  it('falls back to UTC for a zone Intl does not know, and to the tag for an unknown language', () => {
    expect(validTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(validTimeZone('Not/A_Zone')).toBe('UTC');
    expect(validTimeZone('')).toBe('UTC');
    expect(languageName('fr')).toBe('French');
    expect(languageName('not a tag!')).toBe('not a tag!');
  });

  it('starts over when a cache is full, so arbitrary keys cannot grow it', () => {
    let built = 0;
    const lookup = memoize((key: string) => ({ key, n: ++built }));
    const first = lookup('k0');
    for (let i = 1; i < 256; i++) lookup(`k${i}`);
    expect(lookup('k0')).toBe(first);
    expect(built).toBe(256);
    lookup('k256'); // the 257th key: the cache starts over with it
    expect(built).toBe(257);
    expect(lookup('k0')).not.toBe(first);
    expect(built).toBe(258);
  });
});
