import { describe, expect, it } from 'vitest';
import { addressAllowed, dialledNumber } from './route-invite.ts';

describe('SIP inbound routing helpers', () => {
  it('matches addresses and CIDR blocks, IPv4 and IPv6', () => {
    const allowed = ['54.172.60.0/30', '192.0.2.9', '2001:db8::/32'];
    expect(addressAllowed(allowed, '54.172.60.3')).toBe(true);
    expect(addressAllowed(allowed, '54.172.60.4')).toBe(false);
    expect(addressAllowed(allowed, '192.0.2.9')).toBe(true);
    expect(addressAllowed(allowed, '192.0.2.10')).toBe(false);
    expect(addressAllowed(allowed, '2001:db8::1')).toBe(true);
    expect(addressAllowed(allowed, 'not-an-ip')).toBe(false);
    expect(addressAllowed([], '127.0.0.1')).toBe(false);
  });

  it('reads dialled numbers the way carriers write them', () => {
    expect(dialledNumber('+14155550100')).toBe('+14155550100');
    expect(dialledNumber('14155550100')).toBe('+14155550100');
    expect(dialledNumber('00442079460123')).toBe('+442079460123');
    expect(dialledNumber('4155550100')).toBe('+14155550100');
    expect(dialledNumber('reception')).toBeNull();
    expect(dialledNumber('')).toBeNull();
  });
});
