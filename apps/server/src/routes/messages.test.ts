import { messages, prospects } from '@switchboard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('GET /api/messages on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t?.close());

  it("lists an organization's messages by prospect, never another organization's", async () => {
    const a = await t.seedOrg();
    const b = await t.seedOrg();
    const [prospect] = await t.ctx.db
      .insert(prospects)
      .values({ organizationId: a.id, phone: '+14155550111', contact: 'Ada' })
      .returning();
    await t.ctx.db.insert(messages).values([
      {
        organizationId: a.id,
        prospectId: prospect!.id,
        from: '+15005550006',
        to: '+14155550111',
        body: 'See you Monday',
      },
      { organizationId: a.id, from: '+15005550006', to: '+14155550199', body: 'Other prospect' },
      { organizationId: b.id, from: '+15005550007', to: '+14155550111', body: 'Not yours' },
    ]);
    const res = await t.as(a.tokens.viewer).get(`/api/messages?prospectId=${prospect!.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      total: 1,
      items: [{ body: 'See you Monday', direction: 'outbound' }],
    });
    expect((await t.as(a.tokens.viewer).get('/api/messages')).json().total).toBe(2);
    expect(
      (await t.as(b.tokens.viewer).get('/api/messages')).json().items.map((m: { body: string }) => m.body),
    ).toEqual(['Not yours']);
    expect((await t.as(a.tokens.viewer).get('/api/messages?prospectId=nope')).statusCode).toBe(400);
    expect((await t.as(undefined).get('/api/messages')).statusCode).toBe(401);
  });
});
