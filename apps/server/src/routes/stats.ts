import { statsOverviewSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { getStatsOverview } from '../services/get-stats-overview.ts';

export async function statsRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/stats/overview',
      auth: 'viewer',
      summary: 'Overview figures: calls today / this week, answer rate, meetings, live calls, latency, cost',
      description:
        '“Today” and “this week” (Monday 00:00 to now) are in the organization’s time zone. ' +
        '`answerRate` = answered calls / all calls this week (null with none); `avgDurationS` over answered ' +
        'calls (null with none). Attempts that never reached the phone network (failed with a configuration ' +
        'end reason such as `twilio_not_configured`) are not calls and count nowhere here; ' +
        '`liveCalls`: calls not ended, created in the last 6 hours; latency percentiles over the turns of this ' +
        'week’s calls; `callsPerDay`: the last 14 days, oldest first, today last.',
      responses: { 200: statsOverviewSchema },
    },
    async (request) => getStatsOverview(deps(request), { organizationId: request.auth.organizationId }),
  );
}
