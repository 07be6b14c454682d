/**
 * Campaign dialer benchmark (`node bench/campaign.ts [--prospects 1000] [--concurrent 50]
 * [--db pglite|postgres]`): one campaign against the test kit's Twilio REST fake, the dialer run
 * pass after pass on a simulated clock (1 s per pass), each call finished by its Twilio status
 * 20–40 simulated seconds after it was placed. Reports how many calls were kept up (target: the
 * `maxConcurrent`), the time of each pass's deciding transaction per prospect decided (target:
 * p99 < 20 ms), and the process CPU the dialer used per second of simulated campaign time.
 */
import { calls, campaignProspects, campaigns, organizations, prospects } from '@switchboard/db';
import { createTestDatabase, type TestDbKind } from '@switchboard/db/testing';
import { startTwilioRestFake } from '@switchboard/testkit';
import { and, eq, inArray } from 'drizzle-orm';
import { pino } from 'pino';
import { DEFAULT_AGENT } from '../apps/server/src/bootstrap-agent.ts';
import { endCall } from '../apps/server/src/call-record/end-call.ts';
import { dialCampaign } from '../apps/server/src/campaigns/dialer.ts';
import { reconcileCampaignCalls } from '../apps/server/src/campaigns/reconcile.ts';
import { parseConfig } from '../apps/server/src/config.ts';
import { createContext } from '../apps/server/src/context.ts';
import { createAgent } from '../apps/server/src/services/create-agent.ts';
import { percentile } from './stats.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const PROSPECTS = Number(arg('prospects', '1000'));
const CONCURRENT = Number(arg('concurrent', '50'));
const DB = arg('db', 'pglite') as TestDbKind;
const SID = `AC${'5'.repeat(32)}`;
const TOKEN = 'bench-token';

const twilio = await startTwilioRestFake({ accountSid: SID, authToken: TOKEN });
const database = await createTestDatabase(DB);
let now = new Date('2026-03-09T14:00:00Z');
const config = parseConfig({
  NODE_ENV: 'test',
  APP_SECRET: 'bench-app-secret-0123456789abcdef0123456789abcdef',
  SHARE_ENV_CREDENTIALS: 'true',
  PUBLIC_URL: 'https://bridge.example.com',
  TWILIO_ACCOUNT_SID: SID,
  TWILIO_AUTH_TOKEN: TOKEN,
  TWILIO_PHONE_NUMBER: '+15005550006',
  TWILIO_API_BASE_URL: twilio.url,
});
const ctx = createContext({ config, database, log: pino({ level: 'silent' }), clock: () => now });
const [org] = await ctx.db.insert(organizations).values({ name: 'Bench' }).returning();
const agent = await createAgent(
  { db: ctx.db, log: ctx.log, clock: ctx.clock },
  { organizationId: org!.id, data: DEFAULT_AGENT },
);
const zones = ['America/New_York', 'Europe/London', 'America/Chicago', 'Europe/Berlin'];
const rows = await ctx.db
  .insert(prospects)
  .values(
    Array.from({ length: PROSPECTS }, (_, i) => ({
      organizationId: org!.id,
      phone: `+1415${String(5000000 + i).padStart(7, '0')}`,
      timezone: zones[i % zones.length]!,
    })),
  )
  .returning({ id: prospects.id });
const [campaign] = await ctx.db
  .insert(campaigns)
  .values({
    organizationId: org!.id,
    agentId: agent.id,
    name: 'Bench',
    status: 'running',
    settings: {
      schedule: { days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' },
      defaultTimezone: 'UTC',
      maxConcurrent: CONCURRENT,
      callsPerMinute: 600,
      retry: { maxAttempts: 1, delayS: { no_answer: 60, busy: 60, voicemail: 60, failed: 60 } },
    },
  })
  .returning();
await ctx.db
  .insert(campaignProspects)
  .values(rows.map((r) => ({ organizationId: org!.id, campaignId: campaign!.id, prospectId: r.id })));

const perDecision: number[] = [];
const decisionMs: number[] = [];
const liveSamples: number[] = [];
const endsAt = new Map<string, number>();
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
let dialled = 0;
let passes = 0;
let dialMs = 0;
for (;;) {
  passes++;
  await reconcileCampaignCalls(ctx, now);
  const t0 = performance.now();
  const placed = await dialCampaign(ctx, campaign!.id, now, 'bench', (ms, decided) => {
    for (let i = 0; i < decided; i++) decisionMs.push(ms / decided);
  });
  const elapsed = performance.now() - t0;
  dialMs += elapsed;
  if (placed > 0) {
    // The pass's whole time (decide, claim, ledger, and place through the Twilio fake) per dial.
    for (let i = 0; i < placed; i++) perDecision.push(elapsed / placed);
    dialled += placed;
  }
  const live = await ctx.db
    .select({ id: calls.id, startedAt: calls.startedAt })
    .from(calls)
    .where(
      and(
        eq(calls.campaignId, campaign!.id),
        inArray(calls.status, ['queued', 'initiated', 'ringing', 'in-progress']),
      ),
    );
  liveSamples.push(live.length);
  for (const c of live) {
    if (!endsAt.has(c.id)) endsAt.set(c.id, now.getTime() + (20 + Math.floor(Math.random() * 20)) * 1000);
    if (endsAt.get(c.id)! <= now.getTime())
      await endCall(
        ctx,
        { id: c.id, organizationId: org!.id },
        { kind: 'twilio', status: 'completed', durationS: 30 },
      );
  }
  const [state] = await ctx.db
    .select({ status: campaigns.status })
    .from(campaigns)
    .where(eq(campaigns.id, campaign!.id));
  if (state!.status === 'completed' || passes > 10_000) break;
  now = new Date(now.getTime() + 1000);
}
const wallS = (performance.now() - wallStart) / 1000;
const cpu = process.cpuUsage(cpuStart);
const simulatedS = passes;
perDecision.sort((a, b) => a - b);
decisionMs.sort((a, b) => a - b);
const steady = liveSamples.slice(5, -45);
const result = {
  db: DB,
  prospects: PROSPECTS,
  maxConcurrent: CONCURRENT,
  dialled,
  passes,
  maxLive: Math.max(...liveSamples),
  steadyLiveMin: steady.length ? Math.min(...steady) : null,
  /** The deciding transaction (rules, ledger, claim) per prospect decided. */
  decisionMs: { p50: percentile(decisionMs, 50), p99: percentile(decisionMs, 99), max: decisionMs.at(-1) },
  /** The whole pass (deciding + placing through the Twilio fake) per call placed. */
  perDialMs: {
    p50: percentile(perDecision, 50),
    p99: percentile(perDecision, 99),
    max: perDecision.at(-1),
  },
  dialPassMsTotal: Math.round(dialMs),
  wallS: Math.round(wallS * 10) / 10,
  /** CPU of this whole process (dialer, database, Twilio fake, call endings) per simulated second. */
  cpuPercentOfSimulatedTime: Math.round(((cpu.user + cpu.system) / 1e6 / simulatedS) * 1000) / 10,
};
console.log(JSON.stringify(result, null, 2));
await twilio.close();
await ctx.jobs.stop({ timeoutMs: 1000 }).catch(() => {});
await database.close();
