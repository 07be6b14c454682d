/**
 * Outbound calls through the real server and the test kit: a prospect is called, picks up,
 * books a meeting, gets a text and is transferred to a person (warm); an answering machine gets
 * the voicemail after the beep; the REST fake sees every Twilio request, and the call's timeline,
 * the prospect and the appointment show it all.
 */
import { agents, messages } from '@switchboard/db';
import { findTwiml, mulawTone, parseTwiml, type ScriptTurn } from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amd, answer, callback, createdCall, nextWeekdayAt, status } from '../testing/outbound-call.ts';
import { testDbKinds } from '../testing/test-app.ts';
import {
  eventually,
  OUR_NUMBER,
  PUBLIC_URL,
  startVoiceHarness,
  type VoiceHarness,
} from '../testing/voice-harness.ts';

const kinds = await testDbKinds();
const TZ = 'America/New_York';
const TRANSFER_NUMBER = '+14155550999';
const START = nextWeekdayAt(14, TZ);

interface TimelineEvent {
  type: string;
  atMs: number;
  data: Record<string, unknown>;
}

describe.each(kinds)('outbound call on %s', (kind) => {
  let h: VoiceHarness;
  let script: ScriptTurn[] = [];

  beforeAll(async () => {
    h = await startVoiceHarness(kind, { openai: { scriptFor: () => script } });
    await h.t.as(h.org.tokens.admin).patch(`/api/agents/${h.org.agent.id}`, {
      tools: [
        'create_lead',
        'check_availability',
        'book_appointment',
        'send_sms',
        'transfer_call',
        'end_call',
      ],
      transferNumber: TRANSFER_NUMBER,
      transferMode: 'warm',
      // Variables are filled per call: the prospect's name, the agent's name.
      greeting: 'Hi {{prospect.contact}}, this is Riley from Maple Street Dental.',
    });
  });
  afterAll(() => h?.close());

  const api = () => h.t.as(h.org.tokens.agent);
  const newProspect = async (phone: string, contact = 'Dana Scully') =>
    (await api().post('/api/prospects', { phone, contact, company: 'FBI' })).json();
  const detail = async (id: string) => (await api().get(`/api/calls/${id}`)).json();

  it('calls the prospect, books a meeting, texts a confirmation and transfers to a person', async () => {
    script = [
      { on: 'greeting', say: { text: 'Hi, this is Riley from Maple Street Dental.', durationMs: 500 } },
      {
        on: 'user_turn',
        userTranscript: 'Hi! Can I book a cleaning on Monday at two?',
        say: { text: 'Let me book that.', durationMs: 300 },
        toolCall: {
          name: 'book_appointment',
          arguments: { start: START, name: 'Dana Scully', notes: 'Cleaning' },
        },
      },
      {
        on: 'tool_output',
        say: { text: 'You are booked, I will text you.', durationMs: 300 },
        toolCall: { name: 'send_sms', arguments: { body: 'Your cleaning is booked. – Maple Street Dental' } },
      },
      {
        on: 'tool_output',
        say: { text: 'Let me connect you with a colleague.', durationMs: 400 },
        toolCall: {
          name: 'transfer_call',
          arguments: {
            reason: 'Insurance question',
            summary: 'Dana Scully booked a cleaning and asks about insurance.',
          },
        },
      },
    ];
    const prospect = await newProspect('+14155550177');
    const placed = await api().post(`/api/prospects/${prospect.id}/call`);
    expect(placed.statusCode).toBe(202);
    const callId = placed.json().id;
    expect(placed.json()).toMatchObject({
      direction: 'outbound',
      status: 'queued',
      to: '+14155550177',
      from: OUR_NUMBER,
    });

    // What Twilio was asked to do.
    const twilioCall = createdCall(h, callId);
    expect(placed.json().providerCallSid).toBe(twilioCall.sid);
    expect(twilioCall.params).toMatchObject({
      To: '+14155550177',
      From: OUR_NUMBER,
      Url: `${PUBLIC_URL}/api/twiml/connect-stream?callId=${callId}`,
      StatusCallback: `${PUBLIC_URL}/api/twiml/status?callId=${callId}`,
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      MachineDetection: 'DetectMessageEnd',
      AsyncAmd: 'true',
      AsyncAmdStatusCallback: `${PUBLIC_URL}/api/twiml/amd?callId=${callId}`,
    });

    await status(h, twilioCall, 'initiated', 0);
    await status(h, twilioCall, 'ringing', 1);
    const sessionIndex = h.openai.sessions.length;
    const call = await answer(h, twilioCall);
    expect(call.webhook.twiml?.problems).toEqual([]);
    const stream = call.stream!;
    await status(h, twilioCall, 'in-progress', 2);
    const session = await h.openai.waitForSession(sessionIndex);
    await eventually(async () =>
      (await detail(callId)).events.some((e: TimelineEvent) => e.type === 'connected'),
    );
    expect((await amd(h, twilioCall, 'human')).status).toBe(204);

    // The person hears the greeting, then asks for a booking.
    await eventually(async () => stream.playedMs() >= 480 && stream.bufferedMs() === 0);
    expect(session.responses[0]?.instructions).toContain(
      'Hi Dana Scully, this is Riley from Maple Street Dental.',
    );
    await stream.sendAudio(mulawTone(300, 700, 0.5));
    await stream.sendSilence(700);

    // book → text → transfer: the redirect reaches Twilio once "connect you" has played.
    const update = await eventually(async () => twilioCall.updates.find((u) => u.Twiml), 20_000);
    expect(session.toolOutputs).toHaveLength(3);
    const twiml = parseTwiml(String(update.Twiml));
    const dial = findTwiml(twiml.root, 'Dial')!;
    const number = findTwiml(twiml.root, 'Number')!;
    expect(number.text).toBe(TRANSFER_NUMBER);
    expect(dial.attributes.action).toBe(`${PUBLIC_URL}/api/twiml/transfer-done?callId=${callId}`);
    expect(number.attributes.url).toBe(`${PUBLIC_URL}/api/twiml/transfer-whisper?callId=${callId}`);
    await eventually(async () => stream.closeInfo);

    // Warm transfer: the colleague hears the summary, then talks to Dana; Twilio reports both ends.
    const whisper = await callback(h, number.attributes.url!, { CallSid: twilioCall.sid });
    expect(whisper.twiml?.verbs.map((v) => v.name)).toEqual(['Say']);
    expect(whisper.twiml?.verbs[0]?.text).toContain('asks about insurance');
    const done = await callback(h, dial.attributes.action!, {
      CallSid: twilioCall.sid,
      DialCallStatus: 'completed',
      DialCallDuration: '95',
    });
    expect(done.twiml?.verbs.map((v) => v.name)).toEqual(['Hangup']);
    await status(h, twilioCall, 'completed', 5, 140);

    // Everything Twilio was asked, in order: place the call, send the text, transfer.
    const paths = h.rest.requests
      .filter(
        (r) =>
          r.method === 'POST' &&
          (r.path.includes(twilioCall.sid) ||
            r.path.endsWith('Calls.json') ||
            r.path.endsWith('Messages.json')),
      )
      .map((r) => r.path.split('/').at(-1));
    expect(paths).toEqual(expect.arrayContaining(['Calls.json', 'Messages.json', `${twilioCall.sid}.json`]));
    expect(h.rest.messages.at(-1)).toMatchObject({ to: '+14155550177', from: OUR_NUMBER });

    const final = await eventually(async () => {
      const d = await detail(callId);
      return d.status === 'completed' && d.events.some((e: TimelineEvent) => e.type === 'transfer_result')
        ? d
        : null;
    });
    expect(final).toMatchObject({
      direction: 'outbound',
      answeredBy: 'human',
      disposition: 'transferred',
      endReason: 'transferred',
      durationS: 140,
      prospectId: prospect.id,
    });
    const events: TimelineEvent[] = final.events;
    const tools = events.filter((e) => e.type === 'tool_call');
    expect(tools.map((e) => [e.data.name, e.data.ok])).toEqual([
      ['book_appointment', true],
      ['send_sms', true],
      ['transfer_call', true],
    ]);
    for (const tool of tools) {
      expect(tool.data.arguments).toBeTypeOf('object');
      expect(tool.data.result).toBeTypeOf('object');
      expect(tool.data.durationMs).toBeTypeOf('number');
    }
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['amd', 'connected', 'transfer', 'stream_ended', 'transfer_result']),
    );
    expect(events.find((e) => e.type === 'transfer_result')?.data).toMatchObject({
      status: 'completed',
      connected: true,
      durationS: 95,
    });
    const times = events.map((e) => e.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // The prospect, the appointment and the text.
    expect((await api().get(`/api/prospects/${prospect.id}`)).json().status).toBe('meeting_scheduled');
    const booked = (await api().get(`/api/appointments?prospectId=${prospect.id}`)).json();
    expect(booked.total).toBe(1);
    expect(booked.items[0]).toMatchObject({
      callId,
      start: new Date(START).toISOString(),
      title: 'Meeting with Dana Scully',
      status: 'confirmed',
    });
    const texts = await h.t.ctx.db.select().from(messages).where(eq(messages.callId, callId));
    expect(texts.map((m) => [m.to, m.status, m.prospectId])).toEqual([
      ['+14155550177', 'queued', prospect.id],
    ]);
  });

  it('leaves the voicemail after the beep, then hangs up once it has played', async () => {
    script = [{ on: 'any', say: { text: 'Hello, this is Riley returning your call.', durationMs: 800 } }];
    const [agent] = await h.t.ctx.db.select().from(agents).where(eq(agents.id, h.org.agent.id));
    const prospect = await newProspect('+14155550178', 'Walter Skinner');
    const callId = (await api().post(`/api/prospects/${prospect.id}/call`)).json().id;
    const twilioCall = createdCall(h, callId);
    const sessionIndex = h.openai.sessions.length;
    const call = await answer(h, twilioCall);
    const stream = call.stream!;
    const session = await h.openai.waitForSession(sessionIndex);
    await eventually(async () =>
      (await detail(callId)).events.some((e: TimelineEvent) => e.type === 'connected'),
    );
    let playedAtHangupMs = -1;
    h.rest.on('call_updated', (updated, form) => {
      if (updated.sid === twilioCall.sid && form.Status === 'completed') playedAtHangupMs = stream.playedMs();
    });
    await amd(h, twilioCall, 'machine_end_beep');

    await eventually(async () => twilioCall.updates.some((u) => u.Status === 'completed'), 20_000);
    const voicemail = session.responses.find((r) => r.instructions?.includes(agent!.voicemailMessage));
    expect(voicemail).toBeDefined();
    expect(playedAtHangupMs).toBeGreaterThanOrEqual(780); // the whole message played before the hang-up
    await status(h, twilioCall, 'completed', 4, 12);
    const final = await eventually(async () => {
      const d = await detail(callId);
      return d.status === 'completed' && d.events.some((e: TimelineEvent) => e.type === 'ended') ? d : null;
    });
    expect(final).toMatchObject({
      answeredBy: 'machine_end_beep',
      disposition: 'voicemail_left',
      endReason: 'agent_hangup',
    });
    expect(final.events.map((e: TimelineEvent) => e.type)).toEqual(
      expect.arrayContaining(['amd', 'voicemail', 'hangup']),
    );
  });
});
