import { describe, expect, it } from 'vitest';
import { createSecrets } from './secrets.ts';

describe('stored-credential encryption', () => {
  const secrets = createSecrets('a'.repeat(64));

  it('round-trips and never repeats a ciphertext', () => {
    const a = secrets.encrypt('twilio-auth-token');
    const b = secrets.encrypt('twilio-auth-token');
    expect(a).not.toBe(b);
    expect(a).not.toContain('twilio');
    expect(secrets.decrypt(a)).toBe('twilio-auth-token');
  });

  it('rejects tampering and a different APP_SECRET', () => {
    const ciphertext = secrets.encrypt('secret');
    const raw = Buffer.from(ciphertext.slice(3), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => secrets.decrypt(`v1.${raw.toString('base64url')}`)).toThrow();
    expect(() => createSecrets('b'.repeat(64)).decrypt(ciphertext)).toThrow();
    expect(() => secrets.decrypt('garbage')).toThrow();
  });
});
