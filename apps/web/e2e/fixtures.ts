/**
 * Example data in the documented API shapes (overview statistics, a finished call with
 * transcript, tool calls and recording, a live call, appointments, integrations), used by
 * contract-preview.e2e.test.ts for pages the test server has no data for.
 */
import type { Appointment, CallDetail, Integration, StatsOverview } from '@switchboard/shared';
import { monoWav } from './harness.ts';

const now = Date.now();
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();

export function statsFixture(): StatsOverview {
  const days = Array.from({ length: 14 }, (_, i) => {
    const d = new Date(now - (13 - i) * 86_400_000);
    return {
      date: d.toISOString().slice(0, 10),
      count: [4, 7, 6, 9, 3, 1, 0, 8, 12, 10, 14, 9, 2, 11][i] ?? 0,
    };
  });
  return {
    callsToday: 11,
    callsThisWeek: 46,
    answerRate: 0.82,
    avgDurationS: 187,
    meetingsBooked: 7,
    liveCalls: 1,
    latencyP50Ms: 640,
    latencyP90Ms: 1120,
    costUsd: 18.4231,
    callsPerDay: days,
  };
}

const base = {
  providerCallSid: 'CA0123456789abcdef0123456789abcdef',
  agentId: null,
  campaignId: null,
  usage: null,
  costUsd: null,
  latency: null,
  recordingUrl: null,
  error: null,
  summary: null,
  disposition: null,
  answeredBy: null,
  endReason: null,
  analysisStatus: null,
  analysisError: null,
  extraction: null,
  cost: null,
};

export function completedCall(prospectId: string | null, agentId: string | null): CallDetail {
  return {
    ...base,
    id: '11111111-1111-4111-8111-111111111111',
    direction: 'outbound',
    channel: 'phone',
    from: '+14155550199',
    to: '+14155550100',
    status: 'completed',
    agentId,
    prospectId,
    startedAt: iso(3_600_000),
    answeredAt: iso(3_595_000),
    endedAt: iso(3_430_000),
    durationS: 165,
    endReason: 'agent_hangup',
    answeredBy: 'human',
    summary:
      'Dana asked about a cleaning for her son. The agent checked availability and booked Tuesday at 10:00; a confirmation text was sent.',
    disposition: 'meeting_booked',
    usage: { inputAudioTokens: 5210, outputAudioTokens: 8120, textTokens: 1430, twilioMinutes: 3 },
    costUsd: 0.4213,
    latency: { turns: [620, 540, 880, 710, 1310, 590], count: 6, p50Ms: 665, p90Ms: 1120, maxMs: 1310 },
    recordingUrl: '/api/calls/11111111-1111-4111-8111-111111111111/recording',
    createdAt: iso(3_600_000),
    updatedAt: iso(3_430_000),
    transcript: [
      { role: 'assistant', text: 'Hi, this is Ava from Acme Dental. Is this Dana?', atMs: 900 },
      { role: 'user', text: "Yes, speaking. I'd like to book a cleaning for my son.", atMs: 5200 },
      { role: 'assistant', text: 'Of course! Let me check what we have this week.', atMs: 9100 },
      {
        role: 'assistant',
        text: 'I have Tuesday at 10:00 or Thursday at 15:30. Which works better?',
        atMs: 14_800,
      },
      { role: 'user', text: 'Tuesday at ten, please.', atMs: 19_400 },
      {
        role: 'assistant',
        text: "You're booked for Tuesday at 10:00. I'll text you a confirmation.",
        atMs: 24_700,
      },
      { role: 'user', text: 'Great, thank you!', atMs: 30_100 },
      { role: 'assistant', text: 'Thanks Dana, see you Tuesday. Goodbye!', atMs: 32_000 },
    ],
    events: [
      {
        id: 1,
        type: 'tool_call',
        atMs: 10_200,
        data: {
          name: 'check_availability',
          arguments: { from: '2026-11-23', to: '2026-11-27', durationMinutes: 45 },
          result: { slots: ['2026-11-24T10:00:00-08:00', '2026-11-26T15:30:00-08:00'] },
          ok: true,
          durationMs: 182,
        },
        createdAt: iso(3_590_000),
      },
      { id: 2, type: 'barge_in', atMs: 18_900, data: { truncatedAtMs: 2100 }, createdAt: iso(3_580_000) },
      {
        id: 3,
        type: 'tool_call',
        atMs: 20_300,
        data: {
          name: 'book_appointment',
          arguments: {
            start: '2026-11-24T10:00:00-08:00',
            durationMinutes: 45,
            title: 'Cleaning — Dana Reyes (son)',
          },
          result: { appointmentId: 'a1', confirmed: true },
          ok: true,
          durationMs: 240,
        },
        createdAt: iso(3_579_000),
      },
      {
        id: 4,
        type: 'tool_call',
        atMs: 25_600,
        data: {
          name: 'send_sms',
          arguments: { to: '+14155550100', body: 'Acme Dental: see you Tue 24 Nov at 10:00.' },
          result: { error: 'Twilio 21610: recipient unsubscribed' },
          ok: false,
          durationMs: 311,
        },
        createdAt: iso(3_570_000),
      },
      { id: 5, type: 'dtmf', atMs: 29_000, data: { digit: '1' }, createdAt: iso(3_560_000) },
    ],
  };
}

export function liveCall(agentId: string | null): CallDetail {
  return {
    ...base,
    id: '22222222-2222-4222-8222-222222222222',
    direction: 'inbound',
    channel: 'phone',
    from: '+14155550142',
    to: '+14155550199',
    status: 'in-progress',
    agentId,
    prospectId: null,
    startedAt: iso(48_000),
    answeredAt: iso(47_000),
    endedAt: null,
    durationS: null,
    createdAt: iso(48_000),
    updatedAt: iso(2_000),
    transcript: [
      { role: 'assistant', text: 'Thanks for calling Acme Dental, this is Ava. How can I help?', atMs: 800 },
      { role: 'user', text: 'Hi, do you take new patients?', atMs: 4600 },
    ],
    events: [],
  };
}

export function appointmentsFixture(prospectId: string | null): Appointment[] {
  const monday = new Date();
  monday.setHours(0, 0, 0, 0);
  monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
  const at = (day: number, h: number, m = 0) => {
    const d = new Date(monday);
    d.setDate(d.getDate() + day);
    d.setHours(h, m);
    return d.toISOString();
  };
  const mk = (
    id: string,
    day: number,
    h: number,
    m: number,
    mins: number,
    title: string,
    status: Appointment['status'] = 'confirmed',
  ): Appointment => ({
    id,
    prospectId,
    callId: '11111111-1111-4111-8111-111111111111',
    agentId: null,
    start: at(day, h, m),
    end: new Date(new Date(at(day, h, m)).getTime() + mins * 60_000).toISOString(),
    timezone: 'America/Los_Angeles',
    title,
    status,
    notes: '',
    cancelReason: status === 'cancelled' ? 'Asked to move it' : null,
    synced: false,
    createdAt: at(0, 8),
    updatedAt: at(0, 8),
  });
  return [
    mk('a1', 1, 10, 0, 45, 'Cleaning — Dana Reyes'),
    mk('a2', 1, 14, 30, 30, 'Consultation — Bright Smiles'),
    mk('a3', 3, 9, 0, 60, 'Whitening — Chris Park'),
    mk('a4', 3, 15, 30, 30, 'Check-up — Ana Lopez', 'cancelled'),
    mk('a5', 4, 11, 15, 45, 'Crown fitting — Sunrise Clinic'),
  ];
}

export function integrationsFixture(): Integration[] {
  return [
    {
      provider: 'twilio',
      configured: true,
      config: { accountSid: 'AC0123456789abcdef0123456789abcdef', phoneNumber: '+14155550199' },
      secretsMasked: { authToken: '••••9f3a' },
      status: 'ok',
      lastTestedAt: iso(7_200_000),
      source: 'organization',
      lastError: null,
    },
    {
      provider: 'openai',
      configured: true,
      config: {},
      secretsMasked: { apiKey: '••••Xy7Q' },
      status: 'failed',
      lastTestedAt: iso(7_100_000),
      source: 'environment',
      lastError: 'OpenAI answered 401: invalid API key',
    },
    {
      provider: 'gemini',
      configured: false,
      config: {},
      secretsMasked: {},
      status: 'untested',
      lastTestedAt: null,
      source: null,
      lastError: null,
    },
    {
      provider: 'google_calendar',
      configured: false,
      config: {},
      secretsMasked: {},
      status: 'untested',
      lastTestedAt: null,
      source: null,
      lastError: null,
    },
  ];
}

/** A short WAV (0.5 s of a 440 Hz tone) for the recording player. */
export function toneWav(): Buffer {
  const rate = 8000;
  return monoWav(
    rate,
    Array.from({ length: rate / 2 }, (_, i) => Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000)),
  );
}
