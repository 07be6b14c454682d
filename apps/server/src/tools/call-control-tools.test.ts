/**
 * transfer_call, end_call and leave_voicemail against a call-control double: what they ask the
 * session to do (TwiML, playback, reasons), what they record, and how they fail.
 */
import { agents, callEvents } from '@switchboard/db';
import { findAllTwiml, findTwiml, parseTwiml } from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { errorOf, resultOf, toolHarness } from '../testing/tool-context.ts';

const SID = `AC${'2'.repeat(32)}`;
const PUBLIC_URL = 'https://bridge.example.com';
const kinds = await testDbKinds();

describe.each(kinds)('call-control tools on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind, {
      env: { PUBLIC_URL, TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'control_auth_token' },
    });
  });
  afterAll(() => t?.close());

  const withTransfer = async (org: SeededOrg, mode: 'cold' | 'warm') =>
    t.ctx.db
      .update(agents)
      .set({ transferNumber: '+14155550999', transferMode: mode })
      .where(eq(agents.id, org.agent.id));
  const eventsOf = (callId: string) =>
    t.ctx.db.select().from(callEvents).where(eq(callEvents.callId, callId));

  it('transfer_call (cold) dials the transfer number after playback and records the transfer', async () => {
    const org = await t.seedOrg();
    await withTransfer(org, 'cold');
    const h = await toolHarness(t, org);
    const result = resultOf(await h.run('transfer_call', { reason: 'Billing question' }));
    expect(result).toEqual({ transferring: true, mode: 'cold' });
    expect(h.control.map((c) => c.method)).toEqual(['transfer']);
    const [twiml, opts] = h.control[0]!.args as [string, { afterPlayback: boolean }];
    expect(opts).toEqual({ afterPlayback: true });
    const dial = findTwiml(parseTwiml(twiml).root, 'Dial');
    expect(dial?.attributes).toMatchObject({
      action: `${PUBLIC_URL}/api/twiml/transfer-done?callId=${h.call.id}`,
      timeout: '20',
    });
    const number = findTwiml(parseTwiml(twiml).root, 'Number');
    expect(number?.text).toBe('+14155550999');
    expect(number?.attributes.url).toBeUndefined();
    const events = await eventsOf(h.call.id);
    expect(events.find((e) => e.type === 'transfer')?.data).toEqual({
      mode: 'cold',
      reason: 'Billing question',
      to: '+14155550999',
    });
  });

  it('transfer_call (warm) gives the human the summary through a whisper URL', async () => {
    const org = await t.seedOrg();
    await withTransfer(org, 'warm');
    const h = await toolHarness(t, org);
    resultOf(
      await h.run('transfer_call', {
        reason: 'Wants a person',
        summary: 'Dana Scully, booked Monday, asks about prices.',
      }),
    );
    const twiml = h.control[0]!.args[0] as string;
    const [number] = findAllTwiml(parseTwiml(twiml).root, 'Number');
    expect(number?.attributes.url).toBe(`${PUBLIC_URL}/api/twiml/transfer-whisper?callId=${h.call.id}`);
    const events = await eventsOf(h.call.id);
    expect(events.find((e) => e.type === 'transfer')?.data).toMatchObject({
      mode: 'warm',
      summary: 'Dana Scully, booked Monday, asks about prices.',
    });
  });

  it('transfer_call fails clearly without a number, on a browser call, or when Twilio refuses', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    expect(errorOf(await h.run('transfer_call', { reason: 'x' })).message).toMatch(/No transfer number/);
    expect(errorOf(await h.run('transfer_call', {})).code).toBe('bad_arguments');
    await withTransfer(org, 'cold');
    const web = await toolHarness(t, org, { direction: 'web', from: '', to: '', providerCallSid: null });
    expect(errorOf(await web.run('transfer_call', { reason: 'x' })).message).toMatch(/phone line/);
    // Twilio refuses the redirect after the tool returned: the outcome lands on the timeline.
    h.failTransfer(
      new Error('Twilio refused to redirect the call: Call is not in-progress. Cannot redirect.'),
    );
    resultOf(await h.run('transfer_call', { reason: 'x' }));
    await expect
      .poll(async () => (await eventsOf(h.call.id)).find((e) => e.type === 'transfer_result')?.data)
      .toMatchObject({ status: 'failed', error: expect.stringContaining('Cannot redirect') });
  });

  it('end_call hangs up after the goodbye has played', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    expect(resultOf(await h.run('end_call', { reason: 'caller said goodbye' }))).toEqual({ ending: true });
    expect(h.control).toEqual([
      { method: 'endCall', args: [{ reason: 'caller said goodbye', afterPlayback: true }] },
    ]);
    expect(errorOf(await h.run('end_call', {})).code).toBe('bad_arguments');
  });

  it('leave_voicemail speaks through the live call, and fails when the call is not live here', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    expect(errorOf(await h.run('leave_voicemail', {})).message).toBe(
      'Voicemail is not available on this call.',
    );
    const asked: Array<{ interrupt?: boolean } | undefined> = [];
    const unregister = t.ctx.liveCalls.add(h.call.id, {
      organizationId: org.id,
      hangup: async () => {},
      leaveVoicemail: async (opts) => {
        asked.push(opts);
      },
    });
    expect(resultOf(await h.run('leave_voicemail', {}))).toEqual({ left: true });
    expect(asked).toEqual([{ interrupt: false }]);
    unregister();
  });
});
