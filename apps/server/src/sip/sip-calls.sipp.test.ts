/**
 * SIP trunk calls through the real server, with SIPp as the carrier and the test kit's fake
 * OpenAI Realtime as the model: inbound (greeting heard in the caller's RTP, caller speech heard
 * by the model, DTMF, hung up by end_call), REFER transfer, refusals (unknown source, unknown
 * number, no common codec), outbound through a trunk that challenges with 401, and busy.
 * Skipped when `sipp` is not installed (CI installs the Debian package `sip-tester`).
 */

import { mulawDecode } from '@switchboard/audio';
import { goertzelDb } from '@switchboard/audio/testing';
import { agents, callEvents, calls, prospects } from '@switchboard/db';
import {
  AGENT_HZ,
  CALLER_HZ,
  callerAudio,
  dtmfPcap,
  levelDb,
  rtpSink,
  runSipp,
  sippAvailable,
  startSipp,
} from '@switchboard/sip/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, OUR_NUMBER, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';
import { buildToolRegistry } from '../tools/index.ts';
import { SipService } from './sip-service.ts';

const kinds = await testDbKinds();
const TRANSFER_TO = '+14155550999';
/** The tool the model calls on the caller's first turn. */
let firstTurnTool = 'end_call';
/** The caller keys a digit before speaking (inbound scenario uac-call.xml). */
let scriptedDtmf = false;

describe.skipIf(!sippAvailable()).each(kinds)('SIP trunk calls on %s', { timeout: 90_000 }, (kind) => {
  let h: VoiceHarness;
  let sip: SipService;
  const cleanups: Array<() => unknown> = [];

  beforeAll(async () => {
    const rtpBase = 30000 + 2000 * Math.floor(Math.random() * 10);
    h = await startVoiceHarness(kind, {
      openai: {
        // The model (fake OpenAI) speaks its 440 Hz tone. An inbound caller (uac-call.xml) keys a
        // digit after the greeting (a short answer), then talks: the agent ends the call with a
        // goodbye, or transfers it (see the REFER test). Outbound calls reach `user_turn` first.
        scriptFor: () => [
          { on: 'greeting', say: { text: 'Thanks for calling Acme.', durationMs: 800 } },
          ...(scriptedDtmf ? [{ on: 'any' as const, say: { text: 'Noted.', durationMs: 300 } }] : []),
          { on: 'user_turn', toolCall: { name: firstTurnTool, arguments: { reason: 'done' } } },
          { on: 'tool_output', say: { text: 'Goodbye.', durationMs: 400 } },
        ],
      },
      env: { SIP_PUBLIC_ADDRESS: '127.0.0.1', RTP_PORTS: `${rtpBase}-${rtpBase + 1999}` },
    });
    sip = await SipService.start(h.t.ctx, buildToolRegistry(h.t.ctx), { port: 0, host: '127.0.0.1' });
    h.t.ctx.sip = sip;
    await h.t.ctx.db.update(agents).set({ transferNumber: TRANSFER_TO }).where(eq(agents.id, h.org.agent.id));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await sip?.close();
    await h?.close();
  });

  const api = () => h.t.as(h.org.tokens.admin);

  async function trunk(body: Record<string, unknown>) {
    const created = await api().post('/api/sip-trunks', {
      name: 'Test carrier',
      outboundProxy: '127.0.0.1:5060',
      ...body,
    });
    expect(created.statusCode).toBe(201);
    cleanups.push(() => api().delete(`/api/sip-trunks/${created.json().id}`));
    return created.json() as { id: string };
  }

  async function sink() {
    const s = await rtpSink();
    cleanups.push(() => s.close());
    return s;
  }

  const lastCall = async () => {
    const rows = await h.t.ctx.db.select().from(calls).where(eq(calls.organizationId, h.org.id));
    return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]!;
  };
  const eventsOf = async (callId: string) =>
    (await h.t.ctx.db.select().from(callEvents).where(eq(callEvents.callId, callId))).map((e) => e);

  it('inbound: the caller hears the greeting, the model hears the caller, DTMF arrives, end_call hangs up', async () => {
    await trunk({ inboundAddresses: ['127.0.0.1'], numbers: [OUR_NUMBER] });
    scriptedDtmf = true;
    cleanups.push(() => {
      scriptedDtmf = false;
    });
    const phone = await sink();
    const sessionsBefore = h.openai.sessions.length;
    const result = await runSipp({
      scenario: 'uac-call.xml',
      target: `127.0.0.1:${sip.port}`,
      service: OUR_NUMBER,
      files: { 'caller.ulaw': callerAudio(2000), 'dtmf.pcap': dtmfPcap('5') },
      vars: { rtp_port: phone.port, hangup: 'agent', caller: '+14155550123', codec_pt: 0 },
    });
    expect(result.code, result.output + result.errors).toBe(0);
    // The agent's greeting (and goodbye) reached the caller's RTP port.
    expect(phone.speech().length).toBeGreaterThanOrEqual((800 + 300) * 8);
    expect(levelDb(phone.speech(), AGENT_HZ)).toBeGreaterThan(-15);
    // The caller's voice reached the model.
    const session = h.openai.session(sessionsBefore);
    const heard = mulawDecode(session.inputAudio());
    expect(goertzelDb(heard, 8000, CALLER_HZ)).toBeGreaterThan(-25);
    const call = await eventually(async () => {
      const row = await lastCall();
      return row.status === 'completed' ? row : null;
    }, 15_000);
    expect(call).toMatchObject({
      direction: 'inbound',
      from: '+14155550123',
      to: OUR_NUMBER,
      endReason: 'agent_hangup',
    });
    const events = await eventsOf(call.id);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['stream_started', 'connected', 'dtmf', 'tool_call', 'ended']),
    );
    expect(events.find((e) => e.type === 'dtmf')?.data).toMatchObject({ digit: '5' });
    expect(events.find((e) => e.type === 'stream_started')?.data).toMatchObject({
      transport: 'sip',
      codec: 'pcmu',
    });
  });

  it('refuses an unknown source (403), an unknown number (404) and an offer without G.711 (488)', async () => {
    await trunk({ inboundAddresses: ['192.0.2.10'], numbers: ['+14155550700'] });
    await trunk({ inboundAddresses: ['127.0.0.0/8'], numbers: ['+14155550701'] });
    const offer = (service: string, pts: string) =>
      runSipp({
        scenario: 'uac-offer.xml',
        target: `127.0.0.1:${sip.port}`,
        service,
        vars: { pts, caller: '+14155550123' },
      });
    expect((await offer('+14155550700', '0')).messages).toContain('SIP/2.0 403 Forbidden');
    expect((await offer('+14155550799', '0')).messages).toContain('SIP/2.0 404 Not Found');
    expect((await offer('+14155550701', '18')).messages).toContain('SIP/2.0 488 Not Acceptable Here');
  });

  it('transfer_call sends a REFER to the agent’s transfer number through the trunk', async () => {
    firstTurnTool = 'transfer_call';
    cleanups.push(() => {
      firstTurnTool = 'end_call';
    });
    await trunk({
      inboundAddresses: ['127.0.0.1'],
      numbers: [OUR_NUMBER],
      outboundProxy: 'pbx.example.com:5080',
    });
    const phone = await sink();
    const result = await runSipp({
      scenario: 'uac-refer.xml',
      target: `127.0.0.1:${sip.port}`,
      service: OUR_NUMBER,
      files: { 'caller.ulaw': callerAudio(2000) },
      vars: { rtp_port: phone.port, caller: '+14155550123' },
    });
    expect(result.code, result.output + result.errors).toBe(0);
    expect(result.messages).toContain(`Refer-To: <sip:${TRANSFER_TO}@pbx.example.com:5080>`);
    const call = await eventually(async () => {
      const row = await lastCall();
      return row.status === 'completed' ? row : null;
    }, 15_000);
    expect(call).toMatchObject({ disposition: 'transferred', endReason: 'transferred' });
    const types = (await eventsOf(call.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['transfer', 'transfer_result']));
  });

  it('outbound through a trunk: answers the 401 challenge, talks, and end_call hangs up', async () => {
    const phone = await sink();
    const callee = startSipp({
      scenario: 'uas-answer.xml',
      files: { 'caller.ulaw': callerAudio(2000), 'dtmf.pcap': dtmfPcap('9') },
      vars: { rtp_port: phone.port, user: 'acct1', pass: 'trunk-pass' },
    });
    await trunk({
      numbers: [OUR_NUMBER],
      outboundProxy: `127.0.0.1:${callee.port}`,
      username: 'acct1',
      password: 'trunk-pass',
    });
    const [prospect] = await h.t.ctx.db
      .insert(prospects)
      .values({ organizationId: h.org.id, phone: '+14155550188', contact: 'Pat' })
      .returning();
    await new Promise((r) => setTimeout(r, 300));
    const sessionsBefore = h.openai.sessions.length;
    const placed = await api().post(`/api/prospects/${prospect!.id}/call`, {});
    expect(placed.statusCode, placed.body).toBe(202);
    expect(placed.json()).toMatchObject({ direction: 'outbound', from: OUR_NUMBER, to: '+14155550188' });
    const done = await callee.done;
    expect(done.code, done.output + done.errors).toBe(0);
    expect(done.messages).toMatch(/Authorization: Digest username="acct1"/);
    expect(levelDb(phone.speech(), AGENT_HZ)).toBeGreaterThan(-15);
    const heard = mulawDecode(h.openai.session(sessionsBefore).inputAudio());
    expect(goertzelDb(heard, 8000, CALLER_HZ)).toBeGreaterThan(-25);
    const call = await eventually(async () => {
      const [row] = await h.t.ctx.db.select().from(calls).where(eq(calls.id, placed.json().id));
      return row?.status === 'completed' ? row : null;
    }, 15_000);
    expect(call.answeredAt).not.toBeNull();
    expect(call.providerCallSid).toBe(placed.json().providerCallSid);
    const dtmf = (await eventsOf(call.id)).find((e) => e.type === 'dtmf');
    expect(dtmf?.data).toMatchObject({ digit: '9' });
  });

  it('outbound busy (486) ends as busy', async () => {
    const callee = startSipp({ scenario: 'uas-status.xml', substitute: { status: 486 } });
    await trunk({ numbers: [OUR_NUMBER], outboundProxy: `127.0.0.1:${callee.port}` });
    const [prospect] = await h.t.ctx.db
      .insert(prospects)
      .values({ organizationId: h.org.id, phone: '+14155550189', contact: 'Sam' })
      .returning();
    await new Promise((r) => setTimeout(r, 300));
    const placed = await api().post(`/api/prospects/${prospect!.id}/call`, {});
    expect(placed.statusCode, placed.body).toBe(202);
    expect((await callee.done).code).toBe(0);
    const call = await eventually(async () => {
      const [row] = await h.t.ctx.db
        .select()
        .from(calls)
        .where(and(eq(calls.organizationId, h.org.id), eq(calls.id, placed.json().id)));
      return row?.status === 'busy' ? row : null;
    }, 15_000);
    expect(call).toMatchObject({ disposition: 'busy', endReason: 'busy' });
  });
});
