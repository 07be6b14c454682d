import { agents, phoneNumbers } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgent } from '../calls/call-context.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { findNumberOwner } from './start-inbound-call.ts';

const kinds = await testDbKinds();

// On the embedded database these reads are kept per process (@switchboard/db read-cache.ts):
// each must still see every change, including one a foreign key makes.
describe.each(kinds)('the number owner and the agent a call reads, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('follow the number, its agent and the agent row through every change', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const [agent] = await t.ctx.db
      .insert(agents)
      .values({ organizationId: org.id, name: 'Ada', model: 'gpt-realtime', voice: 'alloy' })
      .returning();
    const e164 = '+14155550142';
    await t.ctx.db.insert(phoneNumbers).values({ organizationId: org.id, e164, agentId: agent!.id });
    expect(await findNumberOwner(t.ctx, e164)).toEqual({ organizationId: org.id, agentId: agent!.id });
    const call = { organizationId: org.id, agentId: agent!.id };
    expect((await loadAgent(t.ctx.db, call))?.name).toBe('Ada');
    await expect(findNumberOwner(t.ctx, e164)).resolves.toEqual({
      organizationId: org.id,
      agentId: agent!.id,
    });

    await t.ctx.db.update(agents).set({ name: 'Grace' }).where(eq(agents.id, agent!.id));
    expect((await loadAgent(t.ctx.db, call))?.name).toBe('Grace');
    // Deleting the agent clears the number's agent (ON DELETE SET NULL), unnamed in the statement.
    await t.ctx.db.delete(agents).where(eq(agents.id, agent!.id));
    expect(await loadAgent(t.ctx.db, call)).toBeNull();
    expect(await findNumberOwner(t.ctx, e164)).toEqual({ organizationId: org.id, agentId: null });

    await t.ctx.db.update(phoneNumbers).set({ organizationId: other.id }).where(eq(phoneNumbers.e164, e164));
    expect(await findNumberOwner(t.ctx, e164)).toEqual({ organizationId: other.id, agentId: null });
    await t.ctx.db.delete(phoneNumbers).where(eq(phoneNumbers.e164, e164));
    expect(await findNumberOwner(t.ctx, e164)).toBeNull();
  });

  it('hands out values a reader cannot change', async () => {
    const org = await t.seedOrg();
    const [agent] = await t.ctx.db
      .insert(agents)
      .values({ organizationId: org.id, name: 'Lin', model: 'gpt-realtime', voice: 'alloy' })
      .returning();
    const read = await loadAgent(t.ctx.db, { organizationId: org.id, agentId: agent!.id });
    if (kind === 'pglite') {
      expect(() => Object.assign(read!, { name: 'changed' })).toThrow(TypeError);
      expect(() => (read!.tools as string[]).push('transfer_call')).toThrow(TypeError);
    }
    expect((await loadAgent(t.ctx.db, { organizationId: org.id, agentId: agent!.id }))?.name).toBe('Lin');
  });
});
