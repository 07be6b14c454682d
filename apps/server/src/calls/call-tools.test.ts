/**
 * In-call tool error paths through the real server and the test kit: a transfer the human does
 * not take (busy) brings the caller back to the AI; DTMF keys reach the model or run a mapped
 * tool; bad arguments go back to the model as a structured error; a hang-up during a slow tool
 * cancels it and books nothing.
 */
import { appointments } from '@switchboard/db';
import {
  findTwiml,
  MediaStreamClient,
  mulawTone,
  parseTwiml,
  type ScriptTurn,
  type MediaStreamClient as Stream,
} from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoogleCalendarFake, startGoogleCalendarFake } from '../testing/google-calendar-fake.ts';
import { amd, answer, callback, createdCall, nextWeekdayAt } from '../testing/outbound-call.ts';
import { testDbKinds } from '../testing/test-app.ts';
import {
  eventually,
  PUBLIC_URL,
  startVoiceHarness,
  TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN,
  type VoiceHarness,
} from '../testing/voice-harness.ts';

const kinds = await testDbKinds();
const GREETING: ScriptTurn = {
  on: 'greeting',
  say: { text: 'Maple Street Dental, Riley speaking.', durationMs: 400 },
};

interface TimelineEvent {
  type: string;
  atMs: number;
  data: Record<string, unknown>;
}

describe.each(kinds)('in-call tools, end to end, on %s', (kind) => {
  let h: VoiceHarness;
  let google: GoogleCalendarFake;
  let script: ScriptTurn[] = [];

  beforeAll(async () => {
    google = await startGoogleCalendarFake();
    h = await startVoiceHarness(kind, {
      openai: { scriptFor: () => script },
      env: { GOOGLE_APPLICATION_CREDENTIALS: google.credentialsPath, GOOGLE_CALENDAR_API_URL: google.url },
    });
    await h.t.as(h.org.tokens.admin).patch(`/api/agents/${h.org.agent.id}`, {
      transferNumber: '+14155550999',
      transferMode: 'cold',
      dtmfActions: { '0': 'transfer_call' },
    });
  });
  afterAll(async () => {
    await h?.close();
    await google?.close();
  });

  const detail = async (callSid: string) => {
    const list = (await h.t.as(h.org.tokens.viewer).get('/api/calls?limit=200')).json();
    const id = list.items.find((c: { providerCallSid: string }) => c.providerCallSid === callSid)?.id;
    return id ? (await h.t.as(h.org.tokens.viewer).get(`/api/calls/${id}`)).json() : null;
  };
  /** The call's detail once its timeline has an event of this type. */
  const detailOnce = (callSid: string, type: string) =>
    eventually(async () => {
      const d = await detail(callSid);
      return d?.events.some((e: TimelineEvent) => e.type === type) ? d : null;
    });
  let n = 0;
  /** An outbound call a person answered, whose greeting has played. */
  const connected = async (turns: ScriptTurn[]) => {
    script = turns;
    const phone = `+1415555${String(600 + ++n).padStart(4, '0')}`;
    const prospect = (await h.t.as(h.org.tokens.agent).post('/api/prospects', { phone })).json();
    const placed = (await h.t.as(h.org.tokens.agent).post(`/api/prospects/${prospect.id}/call`)).json();
    const twilioCall = createdCall(h, placed.id);
    const index = h.openai.sessions.length;
    const answered = await answer(h, twilioCall);
    const stream = answered.stream!;
    const session = await h.openai.waitForSession(index);
    await eventually(async () =>
      (await detail(twilioCall.sid))?.events.some((e: TimelineEvent) => e.type === 'connected'),
    );
    await amd(h, twilioCall, 'human');
    await eventually(async () => stream.playedMs() >= 380 && stream.bufferedMs() === 0);
    return { call: { callSid: twilioCall.sid }, twilioCall, stream, session };
  };
  const speak = async (stream: Stream) => {
    await stream.sendAudio(mulawTone(300, 700, 0.5));
    await stream.sendSilence(700);
  };

  it('brings the caller back to the AI when the transfer target is busy', async () => {
    const { call, twilioCall, stream } = await connected([
      GREETING,
      {
        on: 'user_turn',
        say: { text: 'Transferring you now.', durationMs: 300 },
        toolCall: { name: 'transfer_call', arguments: { reason: 'Wants the office manager' } },
      },
    ]);
    await speak(stream);
    const redirect = await eventually(async () => twilioCall.updates.find((u) => u.Twiml), 15_000);
    const dial = findTwiml(parseTwiml(String(redirect.Twiml)).root, 'Dial')!;
    await eventually(async () => stream.closeInfo);

    const busy = await callback(h, dial.attributes.action!, {
      CallSid: call.callSid,
      DialCallStatus: 'busy',
    });
    const resume = busy.twiml?.stream;
    expect(resume?.parameters).toMatchObject({ resume: 'transfer_failed', transferStatus: 'busy' });
    expect(busy.twiml?.problems).toEqual([]);

    // Twilio runs the new <Connect><Stream>: a fresh session that apologises, without transfer_call.
    script = [{ on: 'greeting', say: { text: 'Sorry, the line was busy.', durationMs: 300 } }];
    const index = h.openai.sessions.length;
    const back = await MediaStreamClient.connect(
      resume!.url.replace(`wss://${new URL(PUBLIC_URL).host}`, h.base.replace('http', 'ws')),
      {
        callSid: call.callSid,
        accountSid: TWILIO_ACCOUNT_SID,
        customParameters: resume!.parameters,
        authToken: TWILIO_AUTH_TOKEN,
        signatureUrl: resume!.url,
      },
    );
    const session = await h.openai.waitForSession(index);
    await eventually(async () => back.playedMs() >= 280);
    expect(session.responses[0]?.instructions).toContain('the line was busy');
    const tools = (session.config.tools ?? []) as Array<{ name: string }>;
    expect(tools.map((t) => t.name)).not.toContain('transfer_call');
    await back.stop();

    const final = await detailOnce(call.callSid, 'ended');
    const events: TimelineEvent[] = final.events;
    expect(events.find((e) => e.type === 'transfer_result')?.data).toMatchObject({
      status: 'busy',
      connected: false,
      next: 'back_to_agent',
    });
    const order = ['transfer', 'stream_ended', 'transfer_result', 'stream_resumed', 'ended'];
    const at = order.map((type) => events.findIndex((e) => e.type === type));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(final.endReason).not.toBe('transferred');
    expect(final.disposition).toBeNull();
  });

  it('sends unmapped keys to the model and runs the tool mapped to a key', async () => {
    const { call, twilioCall, stream, session } = await connected([
      GREETING,
      { on: 'any', say: { text: 'Got it.', durationMs: 300 } },
    ]);
    stream.sendDtmf('5');
    await h.openai.waitFor(
      () =>
        session.clientEvents.some(
          (e) =>
            e.type === 'conversation.item.create' && JSON.stringify(e.event).includes('keypad key \\"5\\"'),
        ),
      10_000,
    );
    stream.sendDtmf('0');
    const redirect = await eventually(async () => twilioCall.updates.find((u) => u.Twiml), 15_000);
    expect(String(redirect.Twiml)).toContain('<Number>+14155550999</Number>');
    const final = await detailOnce(call.callSid, 'dtmf_action');
    const events: TimelineEvent[] = final.events;
    expect(events.filter((e) => e.type === 'dtmf').map((e) => [e.data.digit, e.data.handled])).toEqual([
      ['5', false],
      ['0', true],
    ]);
    expect(events.find((e) => e.type === 'dtmf_action')?.data).toMatchObject({
      digit: '0',
      tool: 'transfer_call',
      ok: true,
    });
  });

  it('returns bad arguments to the model as a structured error and records it', async () => {
    const { call, stream, session } = await connected([
      GREETING,
      {
        on: 'user_turn',
        toolCall: { name: 'book_appointment', arguments: { start: 'next Monday at 2', name: 'Dana' } },
      },
      { on: 'tool_output', say: { text: 'Sorry, which day exactly?', durationMs: 300 } },
    ]);
    await speak(stream);
    await h.openai.waitFor(() => session.toolOutputs.length === 1, 10_000);
    const output = JSON.parse(session.toolOutputs[0]!.output);
    expect(output.error).toMatchObject({
      code: 'bad_arguments',
      message: 'Arguments do not match the tool schema.',
    });
    expect(JSON.stringify(output.error.details)).toContain('offset');
    // The model answers the error (the next scripted turn plays).
    await h.openai.waitFor(() => session.responses.length >= 3, 10_000);
    await stream.stop();
    const final = await detailOnce(call.callSid, 'ended');
    expect(final.events.find((e: TimelineEvent) => e.type === 'tool_call')?.data).toMatchObject({
      name: 'book_appointment',
      ok: false,
      error: { code: 'bad_arguments' },
    });
  });

  it('cancels a tool when the caller hangs up while it runs, and books nothing', async () => {
    const start = nextWeekdayAt(11, 'America/New_York');
    const { call, stream } = await connected([
      GREETING,
      {
        on: 'user_turn',
        say: { text: 'One moment.', durationMs: 300 },
        toolCall: { name: 'book_appointment', arguments: { start, name: 'Dana Scully' } },
      },
    ]);
    google.delayMs = 30_000;
    const seen = google.requests.length;
    try {
      await speak(stream);
      await eventually(async () => google.requests.length > seen, 15_000);
      await stream.stop(); // the caller hangs up while the calendar is being asked
      // The cancelled tool's event may be written just after the end (its own batch).
      await detailOnce(call.callSid, 'ended');
      const final = await detailOnce(call.callSid, 'tool_call');
      expect(final.events.find((e: TimelineEvent) => e.type === 'tool_call')?.data).toMatchObject({
        name: 'book_appointment',
        ok: false,
        error: { code: 'cancelled' },
      });
      expect(final.endReason).toBe('caller_hangup');
    } finally {
      google.delayMs = 0;
    }
    const rows = await h.t.ctx.db
      .select()
      .from(appointments)
      .where(eq(appointments.organizationId, h.org.id));
    expect(rows).toEqual([]);
    expect(google.events).toEqual([]);
  });
});
