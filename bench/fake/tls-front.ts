/**
 * A TLS front for the fake model (`node bench/call-memory.ts --tls`): terminates TLS on
 * 127.0.0.1 and pipes each connection to the plain fake, so the server's model sockets are TLS
 * client sockets as against the real services, and their memory shows in the server's figures.
 * The certificate is made for the run by `makeLoopbackCertificate` (the `openssl` command line);
 * the server trusts it through `NODE_EXTRA_CA_CERTS`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

export interface LoopbackCertificate {
  certPath: string;
  keyPath: string;
}

/** A self-signed certificate for 127.0.0.1, valid for a day, written into `dir`. */
export function makeLoopbackCertificate(dir: string): LoopbackCertificate {
  const certPath = join(dir, 'fake-model.crt');
  const keyPath = join(dir, 'fake-model.key');
  // ECDSA P-256, as the model services' own certificates commonly are.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { certPath, keyPath };
}

/** Listens on an ephemeral port; returns the URL with the plain one's scheme made secure. */
export async function startTlsFront(
  plainUrl: string,
  cert: LoopbackCertificate,
): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(plainUrl);
  const sockets = new Set<Socket | TLSSocket>();
  const server = createServer(
    { cert: readFileSync(cert.certPath), key: readFileSync(cert.keyPath) },
    (client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const secure = target.protocol === 'ws:' ? 'wss:' : 'https:';
  return {
    url: `${secure}//${target.hostname}:${port}${plainUrl.slice(target.origin.length)}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
