/**
 * `node bench/twilio-rest.ts [--requests N]`: what one Twilio REST request costs the server's
 * thread (issue 19: an inbound call's status-callback request runs on the thread that relays
 * audio). A child process serves TLS 1.3 on 127.0.0.1 with a certificate made for the run
 * (bench/fake/tls-front.ts) and answers every request with a Call resource. A fresh client
 * process (trusting the certificate through `NODE_EXTRA_CA_CERTS`, as the server trusts
 * api.twilio.com through the system store) sends N call updates, one after the other, through
 * the product's `twilioRestClient` (one kept client, its connections reused) and through a new
 * SDK client per request (what the server did before: a TCP and TLS handshake every time).
 * Reports the client's CPU and wall time per request; three rounds, alternating.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { twilioRestClient } from '../apps/server/src/telephony/rest-client.ts';
import { makeLoopbackCertificate } from './fake/tls-front.ts';

const SELF = process.argv[1] as string;
const ACCOUNT = 'AC00000000000000000000000000000001';
const TOKEN = 'bench-token';
const [role, ...rest] = process.argv.slice(2);
if (role === '--serve') serve(rest[0] as string, rest[1] as string);
else if (role === '--client') await client(Number(rest[0]), Number(rest[1]));
else await main();

function serve(cert: string, key: string): void {
  const body = JSON.stringify({
    sid: 'CA00000000000000000000000000000001',
    account_sid: ACCOUNT,
    status: 'in-progress',
  });
  const server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  });
  server.keepAliveTimeout = 60_000; // Twilio's API keeps a connection longer than the client's 10 s
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as { port: number }).port));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '400' } } });
  const n = Number(values.requests);
  if (!Number.isInteger(n) || n < 10) throw new Error('--requests takes an integer ≥ 10');
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-twilio-rest-'));
  const cert = makeLoopbackCertificate(dir);
  const server = fork(SELF, ['--serve', cert.certPath, cert.keyPath]);
  try {
    const port = await new Promise<number>((resolve) => server.once('message', (p) => resolve(Number(p))));
    const child = fork(SELF, ['--client', String(port), String(n)], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: cert.certPath },
    });
    await new Promise((resolve) => child.once('exit', resolve));
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function client(port: number, n: number): Promise<void> {
  const base = `https://127.0.0.1:${port}`;
  const credentials = { accountSid: ACCOUNT, authToken: TOKEN };
  // A new client per request, as the server built one before it kept them: the product's own
  // builder, reached through a token that changes every time (which replaces the kept client).
  // The local server checks no token; another account keeps it apart from the kept variant.
  let requests = 0;
  const fresh = () =>
    twilioRestClient({ accountSid: `${ACCOUNT.slice(0, -1)}2`, authToken: `${TOKEN}-${++requests}` }, base);
  const update = (c: ReturnType<typeof twilioRestClient>) =>
    c
      .calls('CA00000000000000000000000000000001')
      .update({ statusCallback: 'https://x.test/s', statusCallbackMethod: 'POST' });
  const variants = [
    ['kept client (twilioRestClient)', () => update(twilioRestClient(credentials, base))],
    ['a new client per request', () => update(fresh())],
  ] as const;
  for (let round = 1; round <= 3; round++) {
    for (const [name, send] of variants) {
      for (let i = 0; i < 20; i++) await send(); // warm-up
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      for (let i = 0; i < n; i++) await send();
      const cpu = process.cpuUsage(cpu0);
      const wallMs = (performance.now() - wall0) / n;
      console.log(
        `round ${round}  ${name.padEnd(31)} ${((cpu.user + cpu.system) / n / 1000).toFixed(2)} ms CPU, ` +
          `${wallMs.toFixed(2)} ms wall per request (${n} requests)`,
      );
    }
  }
  process.exit(0);
}
