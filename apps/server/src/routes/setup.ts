import { setupResponseSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { appDeps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { publicUrlReachable, readiness } from '../setup/readiness.ts';

/** How long a PUBLIC_URL reachability answer is reused (the overview asks on every visit). */
const REACHABILITY_TTL_MS = 30_000;

export async function setupRoutes(app: FastifyInstance): Promise<void> {
  let cached: { url: string; at: number; ok: Promise<boolean> } | undefined;
  const checkPublicUrl = (url: string): Promise<boolean> => {
    const now = Date.now();
    if (!cached || cached.url !== url || now - cached.at > REACHABILITY_TTL_MS) {
      cached = { url, at: now, ok: publicUrlReachable(url) };
    }
    return cached.ok;
  };

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/setup',
      auth: 'viewer',
      summary: 'The setup checklist: what is still missing before real calls work',
      description:
        'Items (twilio, model, phone_number, public_url, calendar, first_call) with `ok`, a plain-words ' +
        '`message` and the dashboard path (`action`) where the step is done. The server calls its own ' +
        '`PUBLIC_URL/health` (answer cached 30 s). `done` ignores optional items.',
      responses: { 200: setupResponseSchema },
    },
    async (request) => {
      const items = await readiness(appDeps(request), request.auth.organizationId, { checkPublicUrl });
      return { done: items.every((i) => i.ok || i.optional), items };
    },
  );
}
