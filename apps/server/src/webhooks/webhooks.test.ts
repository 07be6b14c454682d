import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { startReceiver } from '../testing/webhook-receiver.ts';
import { deliverWebhook } from './deliver-job.ts';
import { queueWebhookEvent } from './emit.ts';
import { verifySignature } from './sign.ts';

const kinds = await testDbKinds();
const WAIT = { timeout: 20_000, interval: 50 };

describe.each(kinds)('webhooks on %s', (kind) => {
  let t: TestApp;
  let strict: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await buildTestApp(kind, { jobs: true, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    strict = await buildTestApp(kind);
  });
  afterAll(async () => {
    await Promise.all([t.close(), strict.close(), receiver.close()]);
  });

  it('creates a webhook with its secret shown once, and keeps it to admins of its organization', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const created = await admin.post('/api/webhooks', {
      url: receiver.url,
      events: ['call.ended', 'lead.created'],
      description: 'CRM',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      enabled: true,
      events: ['call.ended', 'lead.created'],
      disabledReason: null,
    });
    expect(created.json().secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const list = (await admin.get('/api/webhooks')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0].secret).toBeUndefined();
    expect(JSON.stringify(list)).not.toContain(created.json().secret);

    expect((await t.as(org.tokens.viewer).get('/api/webhooks')).statusCode).toBe(403);
    const other = await t.seedOrg();
    const id = created.json().id;
    expect((await t.as(other.tokens.admin).patch(`/api/webhooks/${id}`, { enabled: false })).statusCode).toBe(
      404,
    );
    expect((await t.as(other.tokens.admin).get(`/api/webhooks/${id}/deliveries`)).statusCode).toBe(404);
    expect((await t.as(other.tokens.admin).delete(`/api/webhooks/${id}`)).statusCode).toBe(404);
    expect((await admin.post('/api/webhooks', { url: receiver.url, events: ['nope'] })).statusCode).toBe(400);
    expect((await admin.patch(`/api/webhooks/${id}`, { description: 'CRM sync' })).json().description).toBe(
      'CRM sync',
    );
    expect((await admin.delete(`/api/webhooks/${id}`)).statusCode).toBe(204);
  });

  it('refuses http and private receivers unless WEBHOOK_ALLOW_PRIVATE=true', async () => {
    const org = await strict.seedOrg();
    const admin = strict.as(org.tokens.admin);
    for (const url of [
      receiver.url,
      'https://127.0.0.1/hook',
      'https://169.254.169.254/latest',
      'https://localhost/x',
    ]) {
      const res = await admin.post('/api/webhooks', { url, events: ['call.ended'] });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details.issues[0].path).toBe('url');
    }
    expect(
      (await admin.post('/api/webhooks', { url: 'https://hooks.example.com/x', events: ['call.ended'] }))
        .statusCode,
    ).toBe(201);
  });

  it('retries a failing receiver: failed twice then succeeded shows three attempts, signed with the secret', async () => {
    const org = await t.seedOrg();
    const created = (
      await t.as(org.tokens.admin).post('/api/webhooks', { url: receiver.url, events: ['lead.created'] })
    ).json();
    receiver.received.length = 0;
    receiver.plan.push(500, 503);
    // Run the attempts here, one after another (the queue would space them 30 s, 60 s… apart).
    const [deliveryId] = await queueWebhookEvent({ ...t.ctx, jobs: idleJobs }, org.id, 'lead.created', {
      prospect: { id: 'p1', contact: 'Dana' },
    });
    const job = (attempt: number) => ({
      data: { organizationId: org.id, deliveryId: deliveryId! },
      attempt,
      lastAttempt: false,
      signal: new AbortController().signal,
    });
    await expect(deliverWebhook(t.ctx, job(1))).rejects.toThrow(/HTTP 500/);
    await expect(deliverWebhook(t.ctx, job(2))).rejects.toThrow(/HTTP 503/);
    await deliverWebhook(t.ctx, job(3));

    const deliveries = (await t.as(org.tokens.admin).get(`/api/webhooks/${created.id}/deliveries`)).json();
    expect(deliveries.items).toHaveLength(1);
    const delivery = deliveries.items[0];
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 3,
      responseStatus: 200,
      event: 'lead.created',
    });
    expect(delivery.attemptLog.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([
      500, 503, 200,
    ]);
    expect(delivery.attemptLog[0].error).toBe('HTTP 500');

    expect(receiver.received).toHaveLength(3);
    const nowS = Math.floor(Date.now() / 1000);
    for (const { headers, body } of receiver.received) {
      expect(verifySignature(created.secret, body, String(headers['x-switchboard-signature']), nowS)).toBe(
        true,
      );
      expect(verifySignature('whsec_wrong', body, String(headers['x-switchboard-signature']), nowS)).toBe(
        false,
      );
      const event = JSON.parse(body);
      expect(headers['x-switchboard-event-id']).toBe(event.id);
      expect(event).toMatchObject({
        type: 'lead.created',
        organizationId: org.id,
        data: { prospect: { contact: 'Dana' } },
      });
      expect(event.createdAt).toEqual(expect.any(String));
    }
  });

  it('disables the webhook with the reason when the last attempt fails', async () => {
    const org = await t.seedOrg();
    const created = (
      await t.as(org.tokens.admin).post('/api/webhooks', { url: receiver.url, events: ['message.sent'] })
    ).json();
    receiver.plan.push(500);
    const [deliveryId] = await queueWebhookEvent({ ...t.ctx, jobs: idleJobs }, org.id, 'message.sent', {});
    await expect(
      deliverWebhook(t.ctx, {
        data: { organizationId: org.id, deliveryId: deliveryId! },
        attempt: 31,
        lastAttempt: true,
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow();
    const [hook] = (await t.as(org.tokens.admin).get('/api/webhooks')).json().items;
    expect(hook).toMatchObject({ id: created.id, enabled: false });
    expect(hook.disabledReason).toMatch(/failed for a day.*HTTP 500/);
    // A disabled webhook gets no new events; enabling it again clears the reason.
    expect(await queueWebhookEvent({ ...t.ctx, jobs: idleJobs }, org.id, 'message.sent', {})).toEqual([]);
    const enabled = (
      await t.as(org.tokens.admin).patch(`/api/webhooks/${created.id}`, { enabled: true })
    ).json();
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('tells subscribed webhooks about a lead created in the dashboard', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const leads = (await admin.post('/api/webhooks', { url: receiver.url, events: ['lead.created'] })).json();
    const calls = (await admin.post('/api/webhooks', { url: receiver.url, events: ['call.ended'] })).json();
    const prospect = (await admin.post('/api/prospects', { phone: '+14155550123', contact: 'Ann' })).json();
    const [delivery] = await vi.waitFor(async () => {
      const items = (await admin.get(`/api/webhooks/${leads.id}/deliveries`)).json().items;
      expect(items[0]?.status).toBe('delivered');
      return items;
    }, WAIT);
    expect(delivery.payload).toMatchObject({ type: 'lead.created', data: { prospect: { id: prospect.id } } });
    expect((await admin.get(`/api/webhooks/${calls.id}/deliveries`)).json().items).toEqual([]);
  });

  it('sends a signed test event through the job queue', async () => {
    const org = await t.seedOrg();
    const created = (
      await t.as(org.tokens.admin).post('/api/webhooks', { url: receiver.url, events: ['call.ended'] })
    ).json();
    const sent = await t.as(org.tokens.admin).post(`/api/webhooks/${created.id}/test`);
    expect(sent.statusCode).toBe(202);
    const delivery = await vi.waitFor(async () => {
      const items = (await t.as(org.tokens.admin).get(`/api/webhooks/${created.id}/deliveries`)).json().items;
      expect(items[0]?.status).toBe('delivered');
      return items[0];
    }, WAIT);
    expect(delivery).toMatchObject({ id: sent.json().deliveryId, event: 'webhook.test', attempts: 1 });
    const got = receiver.received.find((r) => r.headers['x-switchboard-event-id'] === delivery.eventId)!;
    expect(
      verifySignature(
        created.secret,
        got.body,
        String(got.headers['x-switchboard-signature']),
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);
  });
});

/** A queue stand-in that accepts jobs and runs none (the test runs the attempts itself). */
const idleJobs = { send: async () => 'job' } as unknown as TestApp['ctx']['jobs'];
