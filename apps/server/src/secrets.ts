/**
 * Encryption of stored credentials (integration secrets, webhook secrets): AES-256-GCM with a
 * key derived from APP_SECRET by HKDF-SHA256, so the raw APP_SECRET never keys two things.
 * Ciphertext format: `v1.<base64url(iv 12 bytes | tag 16 bytes | ciphertext)>`.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface Secrets {
  encrypt(plaintext: string): string;
  /** Throws when the ciphertext was tampered with or made under another APP_SECRET. */
  decrypt(ciphertext: string): string;
}

/** A 32-byte subkey of APP_SECRET for one purpose (`info` names the purpose). */
export function deriveKey(appSecret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'switchboard', info, 32));
}

const VERSION = 'v1';

export function createSecrets(appSecret: string): Secrets {
  const key = deriveKey(appSecret, 'stored-credentials/aes-256-gcm');
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    decrypt(ciphertext) {
      const [version, payload] = ciphertext.split('.');
      if (version !== VERSION || !payload) throw new Error('unknown ciphertext format');
      const raw = Buffer.from(payload, 'base64url');
      if (raw.length < 28) throw new Error('ciphertext too short');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
