import { businessProfileSchema, updateBusinessProfileSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toBusinessProfileJson } from '../mappers/organization.ts';
import { audit } from '../plugins/audit.ts';
import { getBusinessProfile } from '../services/get-business-profile.ts';
import { updateBusinessProfile } from '../services/update-business-profile.ts';

export async function organizationRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/organization',
      auth: 'viewer',
      summary: 'The business profile: name, time zone, weekly hours, holidays, phone country, retention',
      responses: { 200: businessProfileSchema },
    },
    async (request) =>
      toBusinessProfileJson(
        await getBusinessProfile(deps(request), { organizationId: request.auth.organizationId }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/organization',
      auth: 'admin',
      summary: 'Change the business profile',
      description:
        'Hours drive check_availability, booking (also by hand), the overview\'s "today" and campaign ' +
        'windows. `businessHours` replaces the week: `{ "mon": [["09:00","12:00"],["13:00","17:00"]], … }`, ' +
        'absent days closed; overlapping or inverted ranges are 400. `holidays` are local dates closed all ' +
        'day. `defaultCountry` (ISO 3166 alpha-2) reads local phone numbers. `retention` days (or null to ' +
        'keep) are enforced daily.',
      body: updateBusinessProfileSchema,
      responses: { 200: businessProfileSchema },
    },
    async (request, { body }) => {
      const row = await updateBusinessProfile(deps(request), {
        organizationId: request.auth.organizationId,
        patch: body,
      });
      await audit(
        request,
        'organization.update',
        { type: 'organization', id: row.id },
        { fields: Object.keys(body) },
      );
      return toBusinessProfileJson(row);
    },
  );
}
