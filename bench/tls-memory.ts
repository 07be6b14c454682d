/**
 * `node bench/tls-memory.ts [--connections N]`: what one TLS client connection costs a Node
 * process (issue 19: the server's model sockets are `wss://` in production, `ws://` in the bench).
 * A child process serves TLS 1.3 on 127.0.0.1 with a certificate made for the run
 * (bench/fake/tls-front.ts). For each variant a fresh process (trusting the certificate through
 * `NODE_EXTRA_CA_CERTS`, as the server would trust a model service through the system store)
 * opens N client connections, each sending one frame: a secure context per connection (what `ws`
 * does: `tls.connect` without one) or one shared context. Reports RSS per connection (after a
 * forced GC) and CPU per connect; two rounds of each, alternating.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createSecureContext, createServer, type SecureContext, type TLSSocket } from 'node:tls';
import { parseArgs } from 'node:util';
import { makeLoopbackCertificate } from './fake/tls-front.ts';
import { processRssBytes } from './proc.ts';

const SELF = process.argv[1] as string;
const [role, ...rest] = process.argv.slice(2);
if (role === '--serve') serve(rest[0] as string, rest[1] as string);
else if (role === '--client') await client(Number(rest[0]), rest[1] === 'shared', Number(rest[2]));
else await main();

function serve(cert: string, key: string): void {
  const server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (socket) => {
    socket.on('data', () => {});
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as { port: number }).port));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { connections: { type: 'string', default: '300' } } });
  const n = Number(values.connections);
  if (!Number.isInteger(n) || n < 10) throw new Error('--connections takes an integer ≥ 10');
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-memory-'));
  const cert = makeLoopbackCertificate(dir);
  const server = fork(SELF, ['--serve', cert.certPath, cert.keyPath]);
  try {
    const port = await new Promise<number>((resolve) => server.once('message', (p) => resolve(Number(p))));
    for (const variant of ['per', 'shared', 'per', 'shared']) {
      const child = fork(SELF, ['--client', String(port), variant, String(n)], {
        execArgv: ['--expose-gc'],
        env: { ...process.env, NODE_EXTRA_CA_CERTS: cert.certPath },
      });
      await new Promise((resolve) => child.once('exit', resolve));
    }
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function client(port: number, shared: boolean, n: number): Promise<void> {
  const context: SecureContext | undefined = shared ? createSecureContext() : undefined;
  const open = () =>
    new Promise<TLSSocket>((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port, ...(context ? { secureContext: context } : {}) },
        () => resolve(socket),
      );
      socket.once('error', reject);
    });
  const sockets: TLSSocket[] = [];
  for (let i = 0; i < 10; i++) sockets.push(await open()); // warm-up: code paths, the root store
  const before = await settledRss();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const socket = await open();
    socket.write('x'.repeat(300));
    sockets.push(socket);
  }
  const cpu = process.cpuUsage(cpu0);
  const after = await settledRss();
  console.log(
    `${shared ? 'one shared context  ' : 'a context per socket'}  ${((after - before) / n / 1024).toFixed(1)} KiB RSS per connection, ` +
      `${((cpu.user + cpu.system) / n / 1000).toFixed(2)} ms CPU per connect (${n} connections)`,
  );
  for (const s of sockets) s.destroy();
  process.exit(0);
}

async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((r) => setTimeout(r, 500));
  gc?.();
  return processRssBytes(process.pid);
}
