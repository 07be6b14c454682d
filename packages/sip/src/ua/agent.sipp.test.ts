/**
 * The SIP stack against a real SIP peer: SIPp plays the carrier on loopback (UDP and TCP).
 * Inbound: answer with RTP both ways, DTMF, caller and agent hang-ups, REFER, codec refusal.
 * Outbound: digest challenge, busy, refusals, ring timeout, a trunk that never answers.
 * Skipped when `sipp` is not installed (CI installs the Debian package `sip-tester`).
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTelephoneEvent } from '../rtp/dtmf.ts';
import {
  AGENT_HZ,
  agentAudio,
  CALLER_HZ,
  callerAudio,
  dtmfPcap,
  levelDb,
  rtpSink,
  runSipp,
  type SippOptions,
  sippAvailable,
  startSipp,
  startTestAgent,
  until,
} from '../testing/index.ts';
import type { SipCall } from './call.ts';
import type { IncomingInvite } from './incoming.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A user agent that answers every call, sends the agent tone and records what it got. */
async function answeringAgent(onCall: (call: SipCall) => void = () => {}) {
  const calls: SipCall[] = [];
  const received = new Map<SipCall, Buffer[]>();
  const digits: string[] = [];
  const invites: IncomingInvite[] = [];
  const { ua, logs } = await startTestAgent({
    onInvite: (invite) => {
      invites.push(invite);
      invite.accept().then(
        (call) => {
          calls.push(call);
          received.set(call, []);
          call.on('audio', (payload) => received.get(call)!.push(Buffer.from(payload)));
          call.on('dtmf', (digit) => digits.push(digit));
          call.sendAudio(agentAudio(1500));
          onCall(call);
        },
        () => {},
      );
    },
  });
  cleanups.push(() => ua.close());
  return {
    ua,
    logs,
    calls,
    digits,
    invites,
    heard: (call: SipCall) => Buffer.concat(received.get(call) ?? []),
  };
}

async function sink() {
  const s = await rtpSink();
  cleanups.push(() => s.close());
  return s;
}

function carrier(options: Omit<SippOptions, 'files'> & { vars?: SippOptions['vars'] }) {
  return runSipp({
    files: { 'caller.ulaw': callerAudio(2000), 'dtmf.pcap': dtmfPcap('1') },
    ...options,
    vars: { caller: '+15551234567', ...options.vars },
  });
}

describe.skipIf(!sippAvailable())('SIP user agent against SIPp', () => {
  it('inbound: answers, audio and DTMF flow both ways, the caller hangs up', async () => {
    const agent = await answeringAgent((call) => call.sendDigits('42'));
    const phone = await sink();
    const result = await carrier({
      scenario: 'uac-call.xml',
      target: `127.0.0.1:${agent.ua.port}`,
      service: '+15550100',
      vars: { rtp_port: phone.port, hangup: 'caller', codec_pt: 0 },
    });
    expect(result.code, result.output + result.errors).toBe(0);
    const call = agent.calls[0]!;
    await until(() => call.ended, 'the call to end');
    expect(agent.invites[0]).toMatchObject({ from: '+15551234567', to: '+15550100' });
    // What the agent heard: SIPp's caller tone. What the caller got: the agent tone.
    expect(agent.heard(call).length).toBeGreaterThanOrEqual(1500 * 8);
    expect(levelDb(agent.heard(call), CALLER_HZ)).toBeGreaterThan(-12);
    expect(levelDb(phone.speech(), AGENT_HZ)).toBeGreaterThan(-12);
    expect(phone.speech().length).toBe(1500 * 8);
    expect(agent.digits).toEqual(['1']);
    expect(call.rtp.stats.received).toMatchObject({ lost: 0, rejected: 0 });
    // The agent keyed 4 and 2 (RFC 4733) right after answering: the caller's port got both events.
    const keyed = phone.events.map((e) => parseTelephoneEvent(e)!).filter((e) => e.end);
    expect([...new Set(keyed.map((e) => e.event))]).toEqual([4, 2]);
  });

  it('inbound over TCP, and the agent hangs up with a BYE', async () => {
    const agent = await answeringAgent((call) => {
      // The caller keys at 2 s, then talks from 3 s and waits for the BYE.
      call.on('dtmf', () => setTimeout(() => void call.hangup('agent done'), 2000));
    });
    const phone = await sink();
    const result = await carrier({
      scenario: 'uac-call.xml',
      target: `127.0.0.1:${agent.ua.port}`,
      service: '+15550100',
      transport: 't1',
      vars: { rtp_port: phone.port, hangup: 'agent', codec_pt: 0 },
    });
    expect(result.code, result.output + result.errors).toBe(0);
    expect(result.messages).toMatch(/BYE sip:[^\n]*\n[\s\S]*Reason: SIP;cause=200;text="agent done"/);
    expect(levelDb(phone.speech(), AGENT_HZ)).toBeGreaterThan(-12);
  });

  it('inbound A-law: the offer’s first codec is used both ways', async () => {
    const agent = await answeringAgent();
    const phone = await sink();
    const result = await carrier({
      scenario: 'uac-call.xml',
      target: `127.0.0.1:${agent.ua.port}`,
      service: '+15550100',
      vars: { rtp_port: phone.port, hangup: 'caller', codec_pt: 8 },
    });
    expect(result.code, result.output + result.errors).toBe(0);
    expect(agent.calls[0]?.encoding).toBe('pcma');
    expect(result.messages).toMatch(/m=audio \d+ RTP\/AVP 8 101/);
  });

  it('REFER: the carrier accepts the transfer and reports its progress', async () => {
    const progress: Array<{ status: number; final: boolean }> = [];
    let referStatus = 0;
    const agent = await answeringAgent((call) => {
      call.on('transfer', (p) => {
        progress.push({ status: p.status, final: p.final });
        if (p.final) void call.hangup('transferred');
      });
      setTimeout(() => {
        void call.refer('sip:+15559876543@pbx.example').then((status) => {
          referStatus = status;
        });
      }, 300);
    });
    const phone = await sink();
    const result = await carrier({
      scenario: 'uac-refer.xml',
      target: `127.0.0.1:${agent.ua.port}`,
      service: '+15550100',
      vars: { rtp_port: phone.port },
    });
    expect(result.code, result.output + result.errors).toBe(0);
    expect(referStatus).toBe(202);
    expect(progress).toEqual([
      { status: 100, final: false },
      { status: 200, final: true },
    ]);
    expect(result.messages).toContain('Refer-To: <sip:+15559876543@pbx.example>');
  });

  it('refuses an offer without G.711 with 488', async () => {
    const agent = await answeringAgent();
    const result = await carrier({
      scenario: 'uac-offer.xml',
      target: `127.0.0.1:${agent.ua.port}`,
      service: '+15550100',
      vars: { pts: '18' },
    });
    expect(result.code, result.output + result.errors).toBe(0);
    expect(result.messages).toContain('SIP/2.0 488 Not Acceptable Here');
    expect(agent.calls).toEqual([]);
    expect(agent.ua.ports.inUse).toBe(0);
  });

  it('survives malformed and oversized datagrams, logging each source once, and still takes calls', async () => {
    const agent = await answeringAgent();
    const socket = dgram.createSocket('udp4');
    cleanups.push(() => socket.close());
    const send = (data: Buffer) =>
      new Promise<void>((resolve) => socket.send(data, agent.ua.port, '127.0.0.1', () => resolve()));
    for (let i = 0; i < 5; i++) await send(Buffer.from(`GARBAGE ${i}\r\n\r\n`));
    await send(Buffer.alloc(30_000, 0x41));
    await send(Buffer.from('INVITE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK1\r\n\r\n'));
    await until(() => agent.logs.filter((l) => l.level === 'warn').length >= 2, 'the refusals to be logged');
    const refusals = agent.logs.filter((l) => l.msg?.includes('refused')).map((l) => l.obj.reason);
    expect(refusals.filter((r) => r === 'malformed: missing via')).toHaveLength(1); // 5 sent
    expect(refusals).toContain('datagram too large');
    const phone = await sink();
    const result = await carrier({
      scenario: 'uac-call.xml',
      target: `127.0.0.1:${agent.ua.port}`,
      service: '+15550100',
      vars: { rtp_port: phone.port, hangup: 'caller', codec_pt: 0 },
    });
    expect(result.code, result.output + result.errors).toBe(0);
  });

  it('drops RTP from an unexpected address and reports it once', async () => {
    let serverPort = 0;
    const agent = await answeringAgent((call) => {
      serverPort = call.rtp.localPort;
    });
    const phone = await sink();
    const run = carrier({
      scenario: 'uac-call.xml',
      target: `127.0.0.1:${agent.ua.port}`,
      service: '+15550100',
      vars: { rtp_port: phone.port, hangup: 'caller', codec_pt: 0 },
    });
    await until(() => serverPort !== 0, 'the answer');
    const intruder = dgram.createSocket('udp4');
    cleanups.push(() => intruder.close());
    await new Promise<void>((resolve) => intruder.bind(0, '127.0.0.2', () => resolve()));
    const packet = Buffer.alloc(172, 0x55);
    packet[0] = 0x80;
    for (let i = 0; i < 20; i++) intruder.send(packet, serverPort, '127.0.0.1');
    const result = await run;
    expect(result.code, result.output + result.errors).toBe(0);
    const call = agent.calls[0]!;
    expect(call.rtp.stats.received.rejected).toBe(20);
    expect(levelDb(agent.heard(call), CALLER_HZ)).toBeGreaterThan(-12);
    expect(agent.logs.filter((l) => l.obj.reason === 'rtp from an unexpected address')).toHaveLength(1);
  });

  it('rate-limits an INVITE flood per source with 503, logging it once', async () => {
    const { ua, logs } = await startTestAgent({
      inviteRate: { ratePerSecond: 2, burst: 5 },
      onInvite: (invite) => invite.reject(486),
    });
    cleanups.push(() => ua.close());
    const result = await carrier({
      scenario: 'uac-offer.xml',
      target: `127.0.0.1:${ua.port}`,
      service: '+15550100',
      calls: 30,
      rate: 200,
      vars: { pts: '0' },
    });
    const busy = result.messages.match(/SIP\/2\.0 486/g)?.length ?? 0;
    const limited = result.messages.match(/SIP\/2\.0 503/g)?.length ?? 0;
    expect(busy).toBeGreaterThanOrEqual(5);
    expect(busy).toBeLessThan(15);
    expect(limited).toBeGreaterThan(10);
    expect(logs.filter((l) => l.obj.reason === 'INVITE rate limit')).toHaveLength(1);
  });
});

describe.skipIf(!sippAvailable())('outbound calls through a trunk, against SIPp', () => {
  it('answers a 401 digest challenge, then audio and DTMF flow both ways and we hang up', async () => {
    const { ua } = await startTestAgent({ onInvite: (invite) => invite.reject(403) });
    cleanups.push(() => ua.close());
    const phone = await sink();
    const sipp = startSipp({
      scenario: 'uas-answer.xml',
      files: { 'caller.ulaw': callerAudio(2000), 'dtmf.pcap': dtmfPcap('7') },
      vars: { rtp_port: phone.port, user: 'acct1', pass: 's3cret' },
    });
    await new Promise((r) => setTimeout(r, 300));
    const outgoing = ua.call({
      uri: `sip:+15557654321@127.0.0.1:${sipp.port}`,
      proxy: { protocol: 'udp', address: '127.0.0.1', port: sipp.port },
      from: '+15550100',
      credentials: { username: 'acct1', password: 's3cret' },
    });
    const progress: number[] = [];
    outgoing.on('progress', (status) => progress.push(status));
    const result = await outgoing.result;
    expect(result.outcome).toBe('answered');
    if (result.outcome !== 'answered') return;
    const call = result.call;
    const heard: Buffer[] = [];
    const digits: string[] = [];
    call.on('audio', (p) => heard.push(Buffer.from(p)));
    call.on('dtmf', (d) => {
      digits.push(d);
      void call.hangup('goodbye');
    });
    call.sendAudio(agentAudio(1500));
    const done = await sipp.done;
    expect(done.code, done.output + done.errors).toBe(0);
    expect(progress).toContain(180);
    expect(digits).toEqual(['7']);
    expect(levelDb(Buffer.concat(heard), CALLER_HZ)).toBeGreaterThan(-12);
    expect(levelDb(phone.speech(), AGENT_HZ)).toBeGreaterThan(-12);
    expect(done.messages).toMatch(/Authorization: Digest username="acct1", realm="trunk.test"/);
  });

  it('wrong credentials: the trunk refuses and the call fails', async () => {
    const { ua } = await startTestAgent({ onInvite: (invite) => invite.reject(403) });
    cleanups.push(() => ua.close());
    const phone = await sink();
    const sipp = startSipp({
      scenario: 'uas-answer.xml',
      files: { 'caller.ulaw': callerAudio(500), 'dtmf.pcap': dtmfPcap('1') },
      vars: { rtp_port: phone.port, user: 'acct1', pass: 's3cret' },
    });
    await new Promise((r) => setTimeout(r, 300));
    const result = await ua.call({
      uri: `sip:+15557654321@127.0.0.1:${sipp.port}`,
      proxy: { protocol: 'udp', address: '127.0.0.1', port: sipp.port },
      from: '+15550100',
      credentials: { username: 'acct1', password: 'wrong' },
    }).result;
    expect(result).toMatchObject({ outcome: 'failed', status: 403 });
    expect((await sipp.done).code).toBe(0);
    expect(ua.ports.inUse).toBe(0);
  });

  it.each([
    [486, 'busy'],
    [600, 'busy'],
    [408, 'no_answer'],
    [480, 'no_answer'],
    [503, 'failed'],
  ])('a %i answer is %s', async (status, outcome) => {
    const { ua } = await startTestAgent({ onInvite: (invite) => invite.reject(403) });
    cleanups.push(() => ua.close());
    const sipp = startSipp({ scenario: 'uas-status.xml', substitute: { status } });
    await new Promise((r) => setTimeout(r, 300));
    const result = await ua.call({
      uri: `sip:+15557654321@127.0.0.1:${sipp.port}`,
      proxy: { protocol: 'udp', address: '127.0.0.1', port: sipp.port },
      from: '+15550100',
    }).result;
    expect(result).toMatchObject({ outcome, status });
    const done = await sipp.done;
    expect(done.code, done.output + done.errors).toBe(0);
  });

  it('rings too long: we CANCEL and the outcome is no_answer', async () => {
    const { ua } = await startTestAgent({ onInvite: (invite) => invite.reject(403) });
    cleanups.push(() => ua.close());
    const sipp = startSipp({ scenario: 'uas-ring.xml' });
    await new Promise((r) => setTimeout(r, 300));
    const result = await ua.call({
      uri: `sip:+15557654321@127.0.0.1:${sipp.port}`,
      proxy: { protocol: 'udp', address: '127.0.0.1', port: sipp.port },
      from: '+15550100',
      ringTimeoutMs: 1500,
    }).result;
    expect(result).toMatchObject({ outcome: 'no_answer', status: 487 });
    const done = await sipp.done;
    expect(done.code, done.output + done.errors).toBe(0);
    expect(done.messages).toContain('CANCEL sip:+15557654321');
  });
});

describe('outbound calls to a trunk that never answers', () => {
  it('times out (Timer B) as failed: no response from the trunk', async () => {
    const silent = dgram.createSocket('udp4');
    cleanups.push(() => silent.close());
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()));
    let invites = 0;
    silent.on('message', () => invites++);
    const { ua } = await startTestAgent({ timers: { t1: 40 }, onInvite: (invite) => invite.reject(403) });
    cleanups.push(() => ua.close());
    const result = await ua.call({
      uri: 'sip:+15557654321@127.0.0.1',
      proxy: { protocol: 'udp', address: '127.0.0.1', port: silent.address().port },
      from: '+15550100',
    }).result;
    expect(result).toMatchObject({ outcome: 'failed', status: 408, reason: 'no response from the trunk' });
    expect(invites).toBeGreaterThan(3); // retransmitted (Timer A) before giving up
    expect(ua.ports.inUse).toBe(0);
  });
});
