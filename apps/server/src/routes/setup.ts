import { setTwilioWebhookResponseSchema, setupResponseSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { twilioClientFor } from '../calls/twilio-control.ts';
import { AppError } from '../errors.ts';
import { appDeps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { audit } from '../plugins/audit.ts';
import { boundTwilioNumbers, publicUrlReachable, readiness } from '../setup/readiness.ts';
import {
  checkNumberWebhooks,
  expectedWebhooks,
  setNumberWebhooks,
  type WebhookCheck,
} from '../setup/twilio-webhook.ts';

/** How long a PUBLIC_URL reachability or Twilio webhook answer is reused (the overview asks on every visit). */
const CHECK_TTL_MS = 30_000;

export async function setupRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  let cached: { url: string; at: number; ok: Promise<boolean> } | undefined;
  const checkPublicUrl = (url: string): Promise<boolean> => {
    const now = Date.now();
    if (!cached || cached.url !== url || now - cached.at > CHECK_TTL_MS) {
      cached = { url, at: now, ok: publicUrlReachable(url) };
    }
    return cached.ok;
  };

  /** Per organization: the last answer, keyed by the numbers it was about. */
  const webhookChecks = new Map<string, { key: string; at: number; check: Promise<WebhookCheck> }>();
  const checkTwilioWebhooks = (organizationId: string, numbers: string[]): Promise<WebhookCheck> => {
    const publicUrl = ctx.config.publicUrl ?? '';
    const key = `${publicUrl} ${numbers.join(',')}`;
    const hit = webhookChecks.get(organizationId);
    if (hit && hit.key === key && Date.now() - hit.at <= CHECK_TTL_MS) return hit.check;
    const check = twilioClientFor(ctx, organizationId).then((client) =>
      client
        ? checkNumberWebhooks(client, numbers, expectedWebhooks(publicUrl))
        : { kind: 'unreadable' as const, message: 'Twilio is not configured' },
    );
    webhookChecks.set(organizationId, { key, at: Date.now(), check });
    return check;
  };

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/setup',
      auth: 'viewer',
      summary: 'The setup checklist: what is still missing before real calls work',
      description:
        'Items (twilio, model, phone_number, public_url, twilio_webhook, calendar, first_call) with `key` ' +
        '(= `id`), `ok`, a plain-words `message` and the dashboard path (`action`) where the step is done. ' +
        'The server calls its own `PUBLIC_URL/health` and reads the bound numbers’ webhooks from Twilio ' +
        '(answers cached 30 s). An item with `fix: "twilio_webhook"` can be fixed by ' +
        '`POST /api/setup/twilio-webhook`. `done` ignores optional items.',
      responses: { 200: setupResponseSchema },
    },
    async (request) => {
      const items = await readiness(appDeps(request), request.auth.organizationId, {
        checkPublicUrl,
        checkTwilioWebhooks,
      });
      return {
        done: items.every((i) => i.ok || i.optional),
        items: items.map((item) => ({ key: item.id, ...item })),
      };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/setup/twilio-webhook',
      auth: 'admin',
      summary: "Point the organization's Twilio numbers at this server",
      description:
        'For every phone number bound to an agent (at most 10), sets in Twilio the voice webhook ' +
        '(`PUBLIC_URL/api/twiml/connect-stream`), the call status callback (`PUBLIC_URL/api/twiml/status`) ' +
        'and the SMS webhook (`PUBLIC_URL/api/twiml/sms`), all HTTP POST. 409 when Twilio, a bound number ' +
        'or an https `PUBLIC_URL` is missing; per-number results otherwise.',
      rateLimit: { max: 10, timeWindow: '1 minute' },
      responses: { 200: setTwilioWebhookResponseSchema },
    },
    async (request) => {
      const organizationId = request.auth.organizationId;
      const publicUrl = ctx.config.publicUrl;
      if (!publicUrl?.startsWith('https://')) {
        throw new AppError(
          'conflict',
          'Set PUBLIC_URL to the https address of this server first, then restart.',
        );
      }
      const client = await twilioClientFor(ctx, organizationId);
      if (!client) throw new AppError('conflict', 'Enter your Twilio Account SID and auth token first.');
      const numbers = await boundTwilioNumbers(ctx.db, organizationId);
      if (numbers.length === 0) {
        throw new AppError(
          'conflict',
          'Add your Twilio phone number and choose the agent that answers it first.',
        );
      }
      const results = await setNumberWebhooks(client, numbers, expectedWebhooks(publicUrl));
      webhookChecks.delete(organizationId);
      await audit(request, 'twilio.webhooks_set', null, {
        numbers: results.length,
        ok: results.filter((r) => r.ok).length,
      });
      return { results };
    },
  );
}
