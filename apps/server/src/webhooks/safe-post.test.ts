import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWebhookUrl, guardedLookup, isPrivateAddress, safePost } from './safe-post.ts';
import { signatureHeader, verifySignature } from './sign.ts';

describe('webhook address guard', () => {
  it('knows private, loopback, link-local and mapped addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });

  it('refuses http, credentials and private hosts unless private receivers are allowed', () => {
    expect(() => checkWebhookUrl('http://example.com/hook', false)).toThrow(/https/);
    expect(() => checkWebhookUrl('https://user:pw@example.com/hook', false)).toThrow(/credentials/);
    expect(() => checkWebhookUrl('https://127.0.0.1/hook', false)).toThrow(/private/);
    expect(() => checkWebhookUrl('https://[::1]/hook', false)).toThrow(/private/);
    expect(() => checkWebhookUrl('https://localhost/hook', false)).toThrow(/private/);
    expect(checkWebhookUrl('https://example.com/hook', false).hostname).toBe('example.com');
    expect(checkWebhookUrl('http://127.0.0.1:9/hook', true).port).toBe('9');
  });

  it('refuses a name that resolves to a private address when connecting', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup(false)('localhost', {}, (err) => resolve(err)),
    );
    expect(error?.code).toBe('EADDRNOTALLOWED');
    const allowed = await new Promise<unknown>((resolve) =>
      guardedLookup(true)('localhost', {}, (err, address) => resolve(err ?? address)),
    );
    expect(allowed).toMatch(/127\.0\.0\.1|::1/);
  });
});

describe('safePost', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/huge') {
        res.writeHead(200);
        res.end('x'.repeat(1_000_000));
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/' });
        res.end();
      } else if (req.url === '/hang') {
        // never answers
      } else {
        res.writeHead(204);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const opts = { allowPrivate: true, timeoutMs: 300, maxBytes: 1_024 };

  it('bounds the answer read, does not follow redirects and gives up on a receiver that hangs', async () => {
    const huge = await safePost(`${base}/huge`, '{}', {}, opts);
    expect(huge.status).toBe(200);
    expect(huge.body.length).toBe(1_024);
    expect((await safePost(`${base}/redirect`, '{}', {}, opts)).status).toBe(302);
    await expect(safePost(`${base}/hang`, '{}', {}, opts)).rejects.toThrow(/no answer within/);
    await expect(safePost(`${base}/ok`, '{}', {}, { ...opts, allowPrivate: false })).rejects.toThrow(/https/);
  });

  it('signs so that a receiver with the secret can verify, and nobody else', () => {
    const body = '{"id":"e1"}';
    const header = signatureHeader('whsec_abc', body, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('whsec_abc', body, header, 1_700_000_010)).toBe(true);
    expect(verifySignature('whsec_other', body, header, 1_700_000_010)).toBe(false);
    expect(verifySignature('whsec_abc', `${body} `, header, 1_700_000_010)).toBe(false);
    expect(verifySignature('whsec_abc', body, header, 1_700_001_000)).toBe(false);
  });
});
