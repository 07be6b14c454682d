/**
 * Issue 11 item 4: an inbound caller is matched by caller ID alone, so what the model is told is
 * marked unverified and leaves out the email, notes and past summaries; texts sent during calls
 * are capped per call (atomically, under concurrent sends) and per organization per day.
 */
import { calls, prospects } from '@switchboard/db';
import { composeInstructions } from '@switchboard/voice';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCall } from '../call-record/update-call.ts';
import { saveLead } from '../services/save-lead.ts';
import { sendSms } from '../services/send-sms.ts';
import { testDbKinds } from '../testing/test-app.ts';
import { startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';
import { callerContext } from './call-context.ts';

const kinds = await testDbKinds();

describe.each(kinds)('caller trust on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, { env: { SMS_PER_ORG_PER_DAY: '4' } });
  });
  afterAll(() => h?.close());

  const newCall = async (direction: 'inbound' | 'outbound', prospectId: string | null = null) =>
    (await createCall(h.t.ctx, {
      organizationId: h.org.id,
      direction,
      status: 'in-progress',
      agentId: h.org.agent.id,
      prospectId,
    }))!;

  it('marks an inbound caller unverified and leaves out email, notes and summaries', async () => {
    const [prospect] = await h.t.ctx.db
      .insert(prospects)
      .values({
        organizationId: h.org.id,
        phone: '+14155550901',
        contact: 'Ada',
        email: 'ada@example.com',
        notes: 'Account PIN hint: blue',
      })
      .returning();
    const earlier = await newCall('outbound', prospect!.id);
    await h.t.ctx.db
      .update(calls)
      .set({ summary: 'Discussed the contract renewal' })
      .where(eq(calls.id, earlier.id));
    const inbound = await callerContext(h.t.ctx.db, await newCall('inbound', prospect!.id));
    expect(inbound).toMatchObject({ name: 'Ada', unverified: true });
    const text = JSON.stringify(inbound);
    for (const secret of ['ada@example.com', 'PIN hint', 'contract renewal'])
      expect(text).not.toContain(secret);
    const outbound = await callerContext(h.t.ctx.db, await newCall('outbound', prospect!.id));
    expect(outbound).toMatchObject({ email: 'ada@example.com', notes: 'Account PIN hint: blue' });
    expect(outbound?.unverified).toBeUndefined();
  });

  it("tells the model the notes, email and summaries only with the agent's callerContext 'full'", async () => {
    const [prospect] = await h.t.ctx.db
      .insert(prospects)
      .values({
        organizationId: h.org.id,
        phone: '+14155550904',
        contact: 'Grace',
        email: 'grace@example.com',
        notes: 'Prefers mornings',
      })
      .returning();
    const earlier = await newCall('outbound', prospect!.id);
    await h.t.ctx.db.update(calls).set({ summary: 'Asked about pricing' }).where(eq(calls.id, earlier.id));
    const inbound = await newCall('inbound', prospect!.id);
    const instructionsFor = async (mode: 'limited' | 'full') =>
      composeInstructions({
        agentInstructions: 'Be helpful.',
        direction: 'inbound',
        caller: (await callerContext(h.t.ctx.db, inbound, mode))!,
        now: new Date('2026-03-02T15:00:00Z'),
        timeZone: 'UTC',
      });
    const limited = await instructionsFor('limited');
    const full = await instructionsFor('full');
    for (const text of [limited, full]) {
      expect(text).toContain('Name: Grace');
      expect(text).toContain('NOT verified');
    }
    for (const secret of ['grace@example.com', 'Prefers mornings', 'Asked about pricing']) {
      expect(limited).not.toContain(secret);
      expect(full).toContain(secret);
    }
  });

  it('caps texts per call under concurrent sends, and per organization per day', async () => {
    const deps = { ...h.t.ctx, log: h.t.ctx.log };
    const send = (callId: string) =>
      sendSms(deps, {
        organizationId: h.org.id,
        callId,
        prospectId: null,
        to: '+14155550902',
        body: 'Hi',
      }).then(
        () => 'sent',
        (error: Error) => error.message,
      );
    const a = await newCall('inbound');
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map(() => send(a.id)));
    expect(results.filter((r) => r === 'sent')).toHaveLength(3);
    expect(results.filter((r) => /At most 3 texts/.test(r))).toHaveLength(3);

    const b = await newCall('inbound');
    expect(await send(b.id)).toBe('sent');
    expect(await send(b.id)).toMatch(/limit of 4 texts per day/);
  });

  it('never lets a tool overwrite the phone or email on file: new values go to the notes', async () => {
    const [prospect] = await h.t.ctx.db
      .insert(prospects)
      .values({ organizationId: h.org.id, phone: '+14155550903', contact: 'Lin', email: 'lin@example.com' })
      .returning();
    const { prospect: saved } = await saveLead(h.t.ctx, {
      organizationId: h.org.id,
      prospectId: prospect!.id,
      phone: '+14155550999',
      email: 'attacker@example.net',
      notes: 'Wants a call back',
      source: 'call',
    });
    expect(saved).toMatchObject({ phone: '+14155550903', email: 'lin@example.com' });
    expect(saved.notes).toContain('Wants a call back');
    expect(saved.notes).toContain('attacker@example.net (not applied; please review)');
    expect(saved.notes).toContain('+14155550999 (not applied; please review)');
  });
});
